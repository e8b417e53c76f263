// Bulk label export as the API offers it, transport aside: submit a job (limits, idempotency,
// the item source kept in the job's directory, then the queue), read, list, cancel, and find a
// finished job's download. The routes (src/server/routes/labels.ts) only translate HTTP.
import { createHash, randomUUID } from "node:crypto";
import { mkdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Issue, ValidationError } from "../issues.js";
import { fmdCheck, parseSerialSpec } from "./items/serials.js";
import type { LabelUsage, SerialRegistry } from "./jobs/backend.js";
import type { JobQueue } from "./jobs/queue.js";
import type { JobStore } from "./jobs/store.js";
import { artifactPath, jobPaths } from "./pipeline.js";
import { parseExportRequest } from "./request.js";
import type { ItemSource, JobRecord, JobSpec, Owner } from "./types.js";

/** A refusal of the label limits (429): which limit, and when a retry can succeed. */
export class LabelLimitError extends Error {
  constructor(
    message: string,
    readonly retryAfterSec: number,
  ) {
    super(message);
  }
}

/** A reused Idempotency-Key with another request body (422). */
export class IdempotencyMismatchError extends Error {}

export interface LabelLimits {
  maxItems: number;
  /** Most pages in one sheet PDF (LABELS_PDF_MAX_PAGES, default 2,000), fixed in each job's spec. */
  pdfMaxPages?: number;
  perDay: number;
  maxActive: number;
}

export interface LabelServiceDeps {
  jobs: JobStore;
  usage: LabelUsage;
  serials: SerialRegistry;
  queue: JobQueue;
  dir: string;
  limits: LabelLimits;
  now: () => number;
  /** Told of every job created (metrics). */
  onSubmitted?: () => void;
}

/** An uploaded CSV already on disk: its path, row count and SHA-256. */
export interface Upload {
  path: string;
  count: number;
  sha256: string;
}

/** Who submits: the job's owner and the key (or other principal) the daily quota is charged to. */
export interface Submitter {
  owner: Owner;
  quotaSubject: string;
}

export class LabelService {
  constructor(readonly deps: LabelServiceDeps) {}

  /**
   * Validates `body` (with `upload` when the items came as a CSV file), charges the limits and
   * creates the job, or returns the job an earlier request with the same Idempotency-Key made
   * (`created` false). Throws ValidationError (422), LabelLimitError (429),
   * IdempotencyMismatchError (422). The upload file is moved into the job's directory.
   */
  async submit(
    who: Submitter,
    body: unknown,
    upload: Upload | null,
    idempotencyKey: string | null,
  ): Promise<{ job: JobRecord; created: boolean }> {
    const { deps } = this;
    const parsed = parseExportRequest(body, upload !== null);
    let count: number;
    let serialSpec: Extract<ItemSource, { kind: "serials" }>["spec"] | null = null;
    if (parsed.serials !== null) {
      const result = parseSerialSpec({ serials: parsed.serials }, [], {
        maxItems: deps.limits.maxItems,
      });
      if ("issues" in result) throw new ValidationError(result.issues);
      serialSpec = result.spec;
      count = serialSpec.count;
      const issues: Issue[] = [];
      const issued = await deps.serials.issuedCount(serialSpec.gtin);
      const fmd = fmdCheck(serialSpec, issued);
      if (fmd) issues.push(fmd);
      if (serialSpec.mode === "range") {
        const start = serialSpec.start ?? 0;
        const overlap = await deps.serials.rangeOverlap(
          serialSpec.gtin,
          serialSpec.prefix ?? null,
          serialSpec.width ?? null,
          start,
          start + count - 1,
        );
        if (overlap) {
          issues.push({
            field: "serials.start",
            value: start,
            rule: "overlap",
            message: `Serials ${describeRange(serialSpec, start, count)} overlap serials already issued for GTIN ${serialSpec.gtin} by job ${overlap.jobId} (${overlap.firstSerial} to ${overlap.lastSerial}); serials must be unique per GTIN.`,
          });
        }
      }
      if (issues.length > 0) throw new ValidationError(issues);
    } else count = upload ? upload.count : (parsed.items as unknown[]).length;
    if (count > deps.limits.maxItems) {
      throw new ValidationError([
        {
          field: upload ? "file" : "items",
          value: count,
          rule: "max_items",
          message: `A job holds at most ${deps.limits.maxItems} items (LABELS_MAX_ITEMS); this one has ${count}.`,
        },
      ]);
    }
    const requestHash = createHash("sha256")
      .update(JSON.stringify(body))
      .update(upload ? upload.sha256 : "")
      .digest("hex");
    if ((await deps.jobs.countActive(who.owner)) >= deps.limits.maxActive) {
      throw new LabelLimitError(
        `At most ${deps.limits.maxActive} export jobs may be unfinished at once (LABELS_MAX_ACTIVE); wait for one to finish or cancel one.`,
        5,
      );
    }
    const now = deps.now();
    const day = new Date(now).toISOString().slice(0, 10);
    const charged = await deps.usage.charge(who.quotaSubject, day, count, deps.limits.perDay);
    if (!charged.ok) {
      const midnight = Date.parse(`${day}T00:00:00Z`) + 86_400_000;
      throw new LabelLimitError(
        `This job's ${count} labels would exceed the daily label quota of ${deps.limits.perDay} (LABELS_PER_DAY; ${charged.used} used today, UTC).`,
        Math.ceil((midnight - now) / 1000),
      );
    }
    // The items are on disk before the job exists: a runner may claim it at once.
    const source = await this.#source(parsed.items, upload, serialSpec, count);
    const spec: JobSpec = { ...parsed.spec, source };
    // A job keeps the part size it was submitted with, so a resumed run splits where the first
    // did whatever the setting is by then.
    if (spec.sheet) spec.sheet = { ...spec.sheet, maxPages: deps.limits.pdfMaxPages ?? 2_000 };
    let result: { job: JobRecord; created: boolean };
    try {
      result = await deps.jobs.create({ owner: who.owner, spec, idempotencyKey, requestHash, now });
    } catch (err) {
      await deps.usage.refund(who.quotaSubject, day, count);
      if ("file" in source) await rm(source.file, { force: true });
      if ((err as Error).name === "IdempotencyConflict") throw idempotencyMismatch(idempotencyKey);
      throw err;
    }
    if (!result.created) {
      await deps.usage.refund(who.quotaSubject, day, count);
      if ("file" in source) await rm(source.file, { force: true });
      return result;
    }
    await deps.queue.enqueue(result.job.id);
    deps.onSubmitted?.();
    return result;
  }

  // Keeps the job's items where every instance finds them (LABELS_DIR/inputs/) and says where.
  async #source(
    items: unknown[] | null,
    upload: Upload | null,
    serials: Extract<ItemSource, { kind: "serials" }>["spec"] | null,
    count: number,
  ): Promise<ItemSource> {
    if (serials) return { kind: "serials", spec: serials };
    if (upload) return { kind: "csv", file: upload.path, count };
    const file = join(inputsDir(this.deps.dir), `${randomUUID()}.json`);
    await mkdir(inputsDir(this.deps.dir), { recursive: true });
    await writeFile(file, JSON.stringify(items));
    return { kind: "items", file, count };
  }

  /**
   * Cancels `id` if it is unfinished (the runner stops at its next checkpoint and deletes its
   * files) or deletes its artifact if finished. Returns false when the owner has no such job.
   */
  async cancel(owner: Owner, id: string): Promise<boolean> {
    const previous = await this.deps.jobs.cancel(owner, id);
    if (previous === null) return false;
    const paths = jobPaths(this.deps.dir, id);
    if (previous === "pending") await rm(paths.work, { recursive: true, force: true });
    if (previous === "completed" || previous === "failed" || previous === "canceled") {
      await rm(paths.artifact, { force: true });
      await rm(paths.sheetArtifact, { force: true });
      await rm(paths.errorReport, { force: true });
    }
    return true;
  }

  /** Returns the path and size of a completed job's artifact, or null when it is gone. */
  async artifact(job: JobRecord): Promise<{ path: string; size: number } | null> {
    const path =
      job.status === "completed"
        ? artifactPath(this.deps.dir, job)
        : jobPaths(this.deps.dir, job.id).errorReport;
    try {
      return { path, size: (await stat(path)).size };
    } catch {
      return null;
    }
  }
}

/** Where uploads and inline item lists wait for their job (LABELS_DIR/inputs). */
export function inputsDir(dir: string): string {
  return join(dir, "inputs");
}

function idempotencyMismatch(key: string | null): IdempotencyMismatchError {
  return new IdempotencyMismatchError(
    `Idempotency-Key ${JSON.stringify(key)} was used with a different request body; use a new key for a new job.`,
  );
}

function describeRange(
  spec: { prefix?: string; width?: number },
  start: number,
  count: number,
): string {
  const fmt = (n: number) => `${spec.prefix ?? ""}${String(n).padStart(spec.width ?? 0, "0")}`;
  return `${fmt(start)} to ${fmt(start + count - 1)}`;
}
