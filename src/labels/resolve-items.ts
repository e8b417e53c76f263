// A job's items resolved into its items file (one JSON line per item, in order) while the job
// already renders: the file grows a batch at a time and each batch is published once its bytes
// are in the file, so the render threads start on the first batches while the rest are still
// being made. Resolving is single-threaded (generated serials are recorded in the database
// first), so running it beside rendering puts the second core to work that sat idle before:
// 100,000 generated serials took 0.5 s of a 5.6 s SVG job, one core busy, the other idle.
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { readCsvItems } from "./items/csv.js";
import { generateSerialItems } from "./items/serials.js";
import type { SerialRegistry } from "./jobs/backend.js";
import type { ItemLine } from "./render-batch.js";
import type { JobRecord } from "./types.js";

/** Items per batch of the items file (a render task). */
export const BATCH_ITEMS = 500;

/**
 * The items file of one job as it is being written: `offsets` grows by one byte offset per
 * batch published (offsets[b] to offsets[b + 1] is batch b); `total` is the job's item count
 * once known (at once for generated serials and inline lists, at the end for a CSV). Whoever
 * waits on it sees resolving's failure as a rejection.
 */
export class ItemsFeed {
  readonly offsets: number[] = [0];
  total: number | null = null;
  done = false;
  failure: unknown = null;
  /** Settles when resolving ends; never rejects (see failure). */
  readonly settled: Promise<void>;
  private waiters: (() => void)[] = [];

  constructor(run: (feed: ItemsFeed) => Promise<void>) {
    this.settled = run(this).then(
      () => this.end(null),
      (err) => this.end(err),
    );
  }

  /** Publishes the next batch's end offset (its bytes are in the file). */
  publish(offset: number): void {
    this.offsets.push(offset);
    this.notify();
  }

  /** Sets the job's item count. */
  setTotal(total: number): void {
    this.total = total;
    this.notify();
  }

  /**
   * Resolves when `test()` holds, or rejects with resolving's failure; resolves false when
   * resolving ended without it holding.
   */
  async until(test: () => boolean): Promise<boolean> {
    for (;;) {
      if (test()) return true;
      if (this.failure !== null) throw this.failure;
      if (this.done) return false;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private end(err: unknown): void {
    this.failure = err;
    this.done = true;
    this.notify();
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/** What resolving needs from the process. */
export interface ResolveDeps {
  serials: SerialRegistry;
  now: () => number;
}

/**
 * Starts writing `job`'s items to `itemsFile` (one ItemLine per item, in order) and, at the end,
 * the batch offsets to `indexFile` (JSON); returns the feed that follows it. Starts over if an
 * earlier attempt got part way (generated serials of that attempt are released first). The
 * feed's failure is the source's error: SerialCollisionError and the like, ENOSPC, or a store
 * error.
 */
export function resolveItems(
  job: JobRecord,
  deps: ResolveDeps,
  paths: { work: string; items: string; index: string },
): ItemsFeed {
  return new ItemsFeed((feed) => writeItems(job, deps, paths, feed));
}

async function writeItems(
  job: JobRecord,
  deps: ResolveDeps,
  paths: { work: string; items: string; index: string },
  feed: ItemsFeed,
): Promise<void> {
  await mkdir(paths.work, { recursive: true });
  const out = createWriteStream(paths.items);
  let bytes = 0;
  let count = 0;
  // Lines are written a batch at a time: one write per 500 items, not one await per item. A
  // batch is published from the write's callback, once its bytes are in the file: the render
  // threads read it from there.
  let pending = "";
  const flush = async () => {
    if (pending === "") return;
    bytes += Buffer.byteLength(pending);
    const end = bytes;
    const text = pending;
    pending = "";
    const written = new Promise<void>((resolve, reject) =>
      out.write(text, (err) => (err ? reject(err) : resolve())),
    );
    written.then(
      () => feed.publish(end),
      () => {},
    );
    // A failed write (ENOSPC) errors the stream: once() then rejects, and the end throws it.
    if (out.writableNeedDrain) await once(out, "drain");
  };
  const put = async (line: ItemLine) => {
    pending += `${JSON.stringify(line)}\n`;
    count++;
    if (count % BATCH_ITEMS === 0) await flush();
  };
  const { source } = job.spec;
  try {
    if (source.kind === "items") {
      const items = JSON.parse(await readFile(source.file, "utf8")) as Record<string, unknown>[];
      feed.setTotal(items.length);
      for (let k = 0; k < items.length; k++) await put({ r: k + 1, i: items[k] });
    } else if (source.kind === "csv") {
      for await (const row of readCsvItems(source.file)) {
        await put("error" in row ? { r: row.row, e: row.error } : { r: row.row, i: row.item });
      }
    } else {
      await deps.serials.releaseJob(job.id);
      const { spec } = source;
      feed.setTotal(spec.count);
      let first: string | null = null;
      let last: string | null = null;
      for await (const chunk of generateSerialItems(spec, deps.serials, job.id)) {
        for (const item of chunk) {
          first ??= item.serial as string;
          last = item.serial as string;
          await put({ r: count + 1, i: item });
        }
      }
      const start = spec.mode === "range" ? (spec.start ?? 0) : null;
      await deps.serials.recordBatch({
        gtin: spec.gtin,
        lot: typeof spec.base.lot === "string" ? spec.base.lot : null,
        jobId: job.id,
        owner: job.owner,
        mode: spec.mode,
        count: spec.count,
        prefix: spec.prefix ?? null,
        width: spec.width ?? null,
        rangeStart: start,
        rangeEnd: start === null ? null : start + spec.count - 1,
        firstSerial: first,
        lastSerial: last,
        createdAt: deps.now(),
      });
    }
    await flush();
  } finally {
    // A failed write (ENOSPC) has already destroyed the stream and emitted "close": waiting for
    // it again would hang the job, and the queue's stop() with it, forever.
    if (!out.closed) {
      out.end();
      await once(out, "close");
    }
  }
  if (out.errored) throw out.errored;
  // The last write's callback has run by "close": every batch is published.
  await writeFile(paths.index, JSON.stringify(feed.offsets));
  feed.setTotal(count);
}
