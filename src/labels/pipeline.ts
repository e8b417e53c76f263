// One job from its items to its artifact, resumable: resolve the items into a file of one JSON
// line each (inline list, CSV rows or generated serials), then render them in batches on the
// render threads and append the results in item order to the ZIP, checkpointing at least every
// CHECKPOINT_ITEMS. A job cut anywhere (SIGKILL, a lost lease) restarts from its last
// checkpoint: the files are cut back to the checkpoint's lengths and the next batch is rendered,
// so every item is rendered into the archive exactly once and the bytes equal an uninterrupted
// run. SIGTERM (the signal) stops at the next checkpoint.
import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { open, readFile, rename, rm, stat, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import { csvRow } from "./archive/csv-cells.js";
import {
  type Container,
  type ContainerCheckpoint,
  emptyCheckpoint,
  openContainer,
} from "./container.js";
import type { SerialRegistry } from "./jobs/backend.js";
import { QueueStopping } from "./jobs/queue.js";
import type { JobStore } from "./jobs/store.js";
import { type BatchResult, MANIFEST_HEADER } from "./render-batch.js";
import type { RenderPool } from "./render-pool.js";
import { BATCH_ITEMS, type ItemsFeed, resolveItems } from "./resolve-items.js";
import type { ItemError, JobRecord } from "./types.js";

/** Items per render task: large enough that a task's overhead is noise, small enough to spread. */
export { BATCH_ITEMS };
/** Items between checkpoints (the bound: at most 5,000 labels redone after a crash). */
export const CHECKPOINT_ITEMS = 5_000;
/** Bad items listed in the job's status; errors.csv lists them all. */
export const MAX_LISTED_ERRORS = 1_000;
/** How long a job waits in place for its database to come back before it gives up the run. */
export const STORE_PATIENCE_MS = 5 * 60_000;

/** What a job needs from the process running it. */
export interface PipelineDeps {
  jobs: JobStore;
  serials: SerialRegistry;
  pool: RenderPool;
  /** LABELS_DIR: one directory per job for its work files, and the finished artifacts. */
  dir: string;
  /** How long an artifact stays downloadable, in ms. */
  ttlMs: number;
  now: () => number;
  logger: Logger;
  /** Counts rendered labels (metrics). */
  onLabels?: (n: number) => void;
}

/** The durable position of a job, stored as its checkpoint. */
interface Checkpoint {
  phase: "render";
  /** Byte offsets in items.ndjson where each batch starts; the last is the file's length. */
  batches: number;
  batch: number;
  processed: number;
  /** The container's position (ZIP or sheet PDF; the name is from when only ZIPs were). */
  zip: ContainerCheckpoint;
  manifestBytes: number;
  errorsBytes: number;
  errorCount: number;
  firstErrors: ItemError[];
}

/** Where a job's files live. */
export function jobPaths(dir: string, id: string) {
  const work = join(dir, id);
  return {
    work,
    input: join(work, "input"),
    items: join(work, "items.ndjson"),
    index: join(work, "items.idx.json"),
    archive: join(work, "archive.zip.part"),
    manifest: join(work, "manifest.csv"),
    errors: join(work, "errors.csv"),
    artifact: join(dir, `${id}.zip`),
    /** A sheet_pdf job's artifact (artifactPath picks by the job's spec). */
    sheetArtifact: join(dir, `${id}.pdf`),
    errorReport: join(dir, `${id}-errors.csv`),
  };
}

/** Where a finished job's artifact lives: the ZIP, or the PDF of a one-part sheet_pdf job. */
export function artifactPath(dir: string, job: Pick<JobRecord, "id" | "outputFilename">): string {
  const paths = jobPaths(dir, job.id);
  return job.outputFilename?.endsWith(".pdf") ? paths.sheetArtifact : paths.artifact;
}

// Errors of the item sources that are the request's fault, by name (src/labels/items/).
const ITEM_SOURCE_ERRORS = new Set([
  "SerialCollisionError",
  "SerialExhaustedError",
  "CsvHeaderError",
  "CsvSyntaxError",
  "CsvLimitError",
]);

/**
 * Runs `job` (status processing) to its end: "done" when it completed or failed (the store says
 * which), "paused" when `signal` asked it to stop at a checkpoint. Cancellation (the job's row
 * turning canceled) stops it at the next checkpoint and deletes its files. Throws for faults of
 * the machine (the store unreachable); the queue retries those from the last checkpoint.
 */
export async function runJob(
  job: JobRecord,
  deps: PipelineDeps,
  signal: AbortSignal,
  heartbeat: () => Promise<void>,
): Promise<"done" | "paused"> {
  const paths = jobPaths(deps.dir, job.id);
  const log = deps.logger.child({ job_id: job.id });
  let cp = job.checkpoint as Checkpoint | null;
  // A job without a checkpoint resolves its items while it renders them (resolve-items.ts); a
  // resumed one reads its batches from the index the first run wrote.
  let feed: ItemsFeed | null = null;
  let offsets: number[];
  if (cp === null) {
    const items = resolveItems(job, deps, paths);
    feed = items;
    let total: number;
    try {
      // Rendering needs the item count ({index} is zero-padded to its width): known at once
      // for generated serials and lists, after the whole file for a CSV.
      await items.until(() => items.total !== null);
      total = items.total as number;
    } catch (err) {
      return await resolveFailed(job, deps, paths, log, err);
    }
    void items.settled.then(() => {
      if (items.failure === null) log.info({ total_items: total }, "label job items resolved");
    });
    cp = {
      phase: "render",
      batches: 0,
      batch: 0,
      processed: 0,
      zip: emptyCheckpoint(job.spec),
      manifestBytes: 0,
      errorsBytes: 0,
      errorCount: 0,
      firstErrors: [],
    };
    try {
      await writeFile(paths.manifest, MANIFEST_HEADER);
      await writeFile(paths.errors, csvRow(["row", "field", "message"]));
      cp.manifestBytes = Buffer.byteLength(MANIFEST_HEADER);
      cp.errorsBytes = (await stat(paths.errors)).size;
      // The count shows in the job's status at once; the checkpoint stays unset until every
      // item is resolved, so a run cut before then starts over.
      await deps.jobs.progress(job.id, 0, total, undefined);
    } catch (err) {
      await items.settled;
      throw err;
    }
    job = { ...job, totalItems: total };
    offsets = items.offsets;
  } else {
    offsets = JSON.parse(await readFile(paths.index, "utf8")) as number[];
  }
  const position = cp;
  // Whether batch b exists: at once from the index, or once resolving has written it (throws
  // resolving's failure).
  const batchReady = async (b: number): Promise<boolean> =>
    feed === null ? b < position.batches : feed.until(() => offsets.length - 1 > b);
  const knownBatches = () => (feed === null ? position.batches : offsets.length - 1);
  // Cut every file back to the checkpoint: whatever was written after it is redone.
  await truncate(paths.manifest, cp.manifestBytes);
  await truncate(paths.errors, cp.errorsBytes);
  const zip = await openContainer(job.spec, paths.archive, cp.zip);
  const manifest = appendStream(paths.manifest);
  const errors = appendStream(paths.errors);
  const failFast = job.spec.onInvalid === "fail";
  const inFlight = new Map<number, Promise<BatchResult>>();
  try {
    const window = Math.max(2, deps.pool.threads * 2);
    const submit = (b: number, validateOnly: boolean) => {
      if (b >= knownBatches() || inFlight.has(b)) return;
      inFlight.set(
        b,
        deps.pool.run({
          itemsFile: paths.items,
          start: offsets[b],
          end: offsets[b + 1],
          firstIndex: b * BATCH_ITEMS,
          total: job.totalItems,
          spec: job.spec,
          validateOnly,
        }),
      );
    };
    let sinceCheckpoint = 0;
    // Records the position reached; false when the job is no longer this runner's to write.
    // A checkpoint names the batches of a complete items file, so it waits for resolving.
    const checkpoint = async (): Promise<boolean> => {
      if (feed !== null) {
        const items = feed;
        await items.until(() => items.done);
        position.batches = offsets.length - 1;
      }
      cp.zip = await zip.checkpoint();
      cp.manifestBytes = await flushed(manifest);
      cp.errorsBytes = await flushed(errors);
      return durably(
        () => deps.jobs.progress(job.id, cp.processed, job.totalItems, cp),
        signal,
        heartbeat,
        log,
      );
    };
    // Ends a run the job's owner or another runner took away: a canceled job's files are
    // deleted; a job another runner now holds is left to it, untouched from here on.
    const relinquish = async (): Promise<"done"> => {
      await Promise.allSettled(inFlight.values());
      await feed?.settled;
      await closeAll(manifest, errors);
      const current = await deps.jobs.getById(job.id);
      if (current === null || current.status === "canceled") {
        await zip.abort();
        await removeWork(job, paths);
        log.info({ processed_items: cp.processed }, "label job canceled");
      } else log.warn({ processed_items: cp.processed }, "label job taken over by another runner");
      return "done";
    };
    while (await batchReady(cp.batch)) {
      const invalid = failFast && cp.errorCount > 0;
      for (let b = cp.batch; b < cp.batch + window; b++) submit(b, invalid);
      const result = await (inFlight.get(cp.batch) as Promise<BatchResult>);
      inFlight.delete(cp.batch);
      // Checked before writing: a canceled job stops within one batch, and a runner whose lease
      // passed to another never writes into the files that one is now writing.
      if (signal.aborted) {
        if (!(signal.reason instanceof QueueStopping)) return await relinquish();
        // SIGTERM: settle what runs, record the position reached, and hand the job back.
        await Promise.allSettled(inFlight.values());
        if (!(await checkpoint())) return await relinquish();
        await closeAll(manifest, errors);
        log.info({ processed_items: cp.processed }, "label job paused at a checkpoint");
        return "paused";
      }
      if (result.errors.length > 0) {
        let rows = "";
        for (const e of result.errors) {
          rows += csvRow([e.row, e.field, e.message]);
          if (cp.firstErrors.length < MAX_LISTED_ERRORS) cp.firstErrors.push(e);
        }
        await write(errors, rows);
        cp.errorCount += result.errors.length;
      }
      if (!(failFast && cp.errorCount > 0)) {
        const labels = await zip.append(result);
        await write(manifest, result.manifest);
        deps.onLabels?.(labels);
      }
      cp.processed += result.items;
      cp.batch++;
      sinceCheckpoint += result.items;
      if (sinceCheckpoint >= CHECKPOINT_ITEMS) {
        sinceCheckpoint = 0;
        if (!(await checkpoint())) return await relinquish();
        await heartbeat().catch(() => {});
      }
    }
    // The last position, so that a run cut while finishing resumes at the finish.
    if (sinceCheckpoint > 0 || (feed !== null && knownBatches() === 0)) {
      if (!(await checkpoint())) return await relinquish();
      await heartbeat().catch(() => {});
    }
    await closeAll(manifest, errors);
    return await finish(job, cp, zip, paths, deps, log, signal, heartbeat);
  } catch (err) {
    await closeAll(manifest, errors).catch(() => {});
    if (feed !== null) {
      // Nothing may write the job's files or serials after this run ends.
      await Promise.allSettled(inFlight.values());
      await feed.settled;
      if (err === feed.failure) {
        await zip.abort().catch(() => {});
        return await resolveFailed(job, deps, paths, log, err);
      }
    }
    if (isDiskFull(err)) {
      // The batches still rendering read the items file about to be deleted: left unawaited,
      // their rejections (ENOENT) would be unhandled and take the process down.
      await Promise.allSettled(inFlight.values());
      await zip.abort().catch(() => {});
      return await failDiskFull(job, deps, paths, log, err);
    }
    throw err;
  }
}

// Ends a job whose items could not be resolved: a full disk or a source that cannot give them
// (a serial already issued, a serial space used up, a CSV the upload check let through but the
// reader refuses) fails it saying why; anything else (the store unreachable) is rethrown for the
// queue to run the job again.
async function resolveFailed(
  job: JobRecord,
  deps: PipelineDeps,
  paths: ReturnType<typeof jobPaths>,
  log: Logger,
  err: unknown,
): Promise<"done"> {
  if (isDiskFull(err)) return await failDiskFull(job, deps, paths, log, err);
  if (!ITEM_SOURCE_ERRORS.has((err as Error).name)) throw err;
  await deps.serials.releaseJob(job.id);
  await removeWork(job, paths);
  await deps.jobs.fail(job.id, { message: (err as Error).message });
  log.info({ reason: (err as Error).name }, "label job failed: its items could not be made");
  return "done";
}

function isDiskFull(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === "ENOSPC";
}

// A full disk fails the job and leaves nothing of it: its work files, its uploaded input (which
// rm of the work directory alone used to leave in LABELS_DIR/inputs) and, since no label was
// delivered, its generated serials, so that the same range can be asked again once there is room.
async function failDiskFull(
  job: JobRecord,
  deps: PipelineDeps,
  paths: ReturnType<typeof jobPaths>,
  log: Logger,
  err: unknown,
): Promise<"done"> {
  await removeWork(job, paths);
  if (job.spec.source.kind === "serials") await deps.serials.releaseJob(job.id);
  await deps.jobs.fail(job.id, {
    message:
      "The disk holding the label archives is full (ENOSPC); the job wrote nothing. Try again later or with fewer items.",
  });
  log.error({ err: String(err) }, "label job failed: disk full");
  return "done";
}

async function finish(
  job: JobRecord,
  cp: Checkpoint,
  zip: Container,
  paths: ReturnType<typeof jobPaths>,
  deps: PipelineDeps,
  log: Logger,
  signal: AbortSignal,
  heartbeat: () => Promise<void>,
): Promise<"done"> {
  if (cp.errorCount > 0 && job.spec.onInvalid === "fail") {
    await zip.abort();
    await rename(paths.errors, paths.errorReport);
    await removeWork(job, paths);
    await durably(
      () =>
        deps.jobs.fail(
          job.id,
          {
            message: `${cp.errorCount} of ${job.totalItems} items are invalid (on_invalid "fail"); nothing was rendered. Every bad item is listed in errors.csv.`,
            items: cp.firstErrors,
            invalid_count: cp.errorCount,
          },
          undefined,
          deps.now() + deps.ttlMs,
        ),
      signal,
      heartbeat,
      log,
    );
    log.info({ invalid_items: cp.errorCount }, "label job failed: invalid items");
    return "done";
  }
  const { file, size, sha256, ext } = await zip.finish({
    manifest: paths.manifest,
    errors: cp.errorCount > 0 ? paths.errors : null,
  });
  const outputFilename = `${job.spec.exportType}-${job.id}.${ext}`;
  const artifact = artifactPath(deps.dir, { id: job.id, outputFilename });
  await rename(file, artifact);
  await removeWork(job, paths);
  const now = deps.now();
  const completed = await durably(
    () =>
      deps.jobs.complete(job.id, {
        outputFilename,
        fileSizeBytes: size,
        sha256,
        expiresAt: now + deps.ttlMs,
      }),
    signal,
    heartbeat,
    log,
  );
  if (completed === false) await rm(artifact, { force: true });
  log.info(
    { total_items: job.totalItems, bytes: size, invalid_items: cp.errorCount },
    "label job completed",
  );
  return "done";
}

/**
 * Runs `write` (a job-row update) until it succeeds: a database that is down — restarting,
 * failing over, unreachable — pauses the job where it stands, its files flushed at the
 * checkpoint, instead of failing it. After a failed try the lease is confirmed (heartbeat)
 * before writing again, so a runner whose job another one claimed meanwhile writes nothing.
 * Rethrows when the run was taken away (signal) or after STORE_PATIENCE_MS; the queue then
 * runs the job again from its checkpoint.
 */
async function durably<T>(
  write: () => Promise<T>,
  signal: AbortSignal,
  heartbeat: () => Promise<void>,
  log: Logger,
): Promise<T> {
  const started = Date.now();
  for (let attempt = 0, wait = 250; ; attempt++, wait = Math.min(wait * 2, 5_000)) {
    try {
      if (attempt > 0) await heartbeat();
      const result = await write();
      if (attempt > 0) log.info({ attempts: attempt + 1 }, "label job's database is back");
      return result;
    } catch (err) {
      if (signal.aborted || Date.now() - started > STORE_PATIENCE_MS) throw err;
      if (attempt === 0) {
        log.warn({ err: String(err) }, "label job paused: its database is unreachable");
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

// Deletes a finished job's work files and its uploaded input.
async function removeWork(job: JobRecord, paths: ReturnType<typeof jobPaths>): Promise<void> {
  await rm(paths.work, { recursive: true, force: true });
  if ("file" in job.spec.source) await rm(job.spec.source.file, { force: true });
}

// Failures of the append streams, kept until the next write or flush throws them.
const streamFailures = new WeakMap<WriteStream, Error>();

// An append stream whose failure (ENOSPC) is thrown by the next write or flush, instead of
// being an 'error' event nobody listens to, which would take the process down.
function appendStream(path: string): WriteStream {
  const stream = createWriteStream(path, { flags: "a" });
  stream.on("error", (err) => streamFailures.set(stream, err));
  return stream;
}

async function write(stream: WriteStream, text: string): Promise<void> {
  const failed = streamFailures.get(stream);
  if (failed) throw failed;
  if (text !== "" && !stream.write(text)) await once(stream, "drain");
}

// Waits until everything written so far is in the file, makes it durable, and returns the
// file's length.
async function flushed(stream: WriteStream): Promise<number> {
  const failed = streamFailures.get(stream);
  if (failed) throw failed;
  await new Promise<void>((resolve, reject) =>
    stream.write("", (err) => (err ? reject(err) : resolve())),
  );
  const handle = await open(stream.path as string, "r");
  try {
    await handle.datasync();
    return (await handle.stat()).size;
  } finally {
    await handle.close();
  }
}

async function closeAll(...streams: WriteStream[]): Promise<void> {
  await Promise.all(
    streams.map((s) => (s.closed ? undefined : new Promise<void>((resolve) => s.end(resolve)))),
  );
}
