// The label-export jobs: creation with idempotency keys, the owner's views (get, list, count),
// and every status change as a compare-and-set on the row's status (and lease), so that a
// canceled job is never completed afterwards and a runner that lost its lease never writes
// over the next one's work. The same rows are the embedded queue (sql-queue.ts): the lease
// operations are here too, written once for both engines over a JobBackend.
import { type Clock, systemClock } from "../../clock.js";
import type { ItemError, JobRecord, JobSpec, JobStatus, Owner } from "../types.js";
import type { JobBackend, JobDbRow } from "./backend.js";
import { newJobId } from "./ids.js";

/** How long an Idempotency-Key keeps naming its job (the published minimum: 24 h). */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The statuses of a job that has not finished: they count against LABELS_MAX_ACTIVE. */
export const ACTIVE_STATUSES: readonly JobStatus[] = ["pending", "processing"];

/**
 * Thrown by JobStore.create when the owner's Idempotency-Key names a job, made within the last
 * 24 hours, whose request differs (the route answers 422).
 */
export class IdempotencyConflict extends Error {
  constructor(
    readonly idempotencyKey: string,
    readonly jobId: string,
  ) {
    super(
      `Idempotency-Key ${JSON.stringify(idempotencyKey)} was used for job ${jobId} with a ` +
        "different request within the last 24 hours",
    );
    this.name = "IdempotencyConflict";
  }
}

/** What a failed job records: a summary and, for bad items, the first of them. */
export type JobError = NonNullable<JobRecord["error"]>;

/** Maps a label_jobs row of either engine to a JobRecord (JSON columns parsed, bigints read). */
export function toJobRecord(row: JobDbRow): JobRecord {
  const num = (v: number | string) => Number(v);
  const opt = (v: number | string | null) => (v === null ? null : Number(v));
  return {
    id: row.id,
    owner: row.owner,
    status: row.status,
    spec: JSON.parse(row.spec) as JobSpec,
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
    totalItems: num(row.total_items),
    processedItems: num(row.processed_items),
    checkpoint: row.checkpoint === null ? null : JSON.parse(row.checkpoint),
    attempts: num(row.attempts),
    error: row.error === null ? null : (JSON.parse(row.error) as JobError),
    outputFilename: row.output_filename,
    fileSizeBytes: opt(row.file_size_bytes),
    sha256: row.sha256,
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
    startedAt: opt(row.started_at),
    finishedAt: opt(row.finished_at),
    expiresAt: opt(row.expires_at),
  };
}

/** What a job's items count at creation, when it is known (inline items, CSV rows, count). */
function initialTotal(spec: JobSpec): number {
  const source = spec.source;
  return source.kind === "serials" ? source.spec.count : source.count;
}

/** Jobs over one JobBackend; every method may reject when the database fails. */
export class JobStore {
  constructor(
    readonly backend: JobBackend,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Creates a pending job for `owner` (a new 22-character shortuuid id) and resolves to it
   * with created true. With an idempotency key: a job the owner made with that key within the
   * last 24 h (before `now`) is returned as it is (created false) when its requestHash is the
   * same, and an IdempotencyConflict is thrown when it differs; an older one lets go of the key
   * (its idempotency_key becomes null) and a new job takes it. Race-safe: the unique index on
   * (owner, idempotency_key) lets one of concurrent creators insert, the others find its job.
   */
  async create(input: {
    owner: Owner;
    spec: JobSpec;
    idempotencyKey: string | null;
    requestHash: string;
    now: number;
  }): Promise<{ job: JobRecord; created: boolean }> {
    const { owner, spec, idempotencyKey: key, requestHash, now } = input;
    // Each pass either returns or saw the key change hands under it (an insert lost to a
    // concurrent one, or a stale key released); a few passes always settle.
    for (let pass = 0; pass < 5; pass++) {
      if (key !== null) {
        const existing = await this.backend.byIdempotencyKey(owner, key);
        if (existing !== undefined) {
          if (Number(existing.created_at) > now - IDEMPOTENCY_WINDOW_MS) {
            if (existing.request_hash !== requestHash) {
              throw new IdempotencyConflict(key, existing.id);
            }
            return { job: toJobRecord(existing), created: false };
          }
          await this.backend.releaseIdempotencyKey(owner, key, now - IDEMPOTENCY_WINDOW_MS);
        }
      }
      const row: JobDbRow = {
        id: newJobId(),
        owner,
        status: "pending",
        export_type: spec.exportType,
        file_format: spec.fileFormat,
        spec: JSON.stringify(spec),
        idempotency_key: key,
        request_hash: requestHash,
        total_items: initialTotal(spec),
        processed_items: 0,
        checkpoint: null,
        attempts: 0,
        lease_token: null,
        lease_until: null,
        error: null,
        output_filename: null,
        file_size_bytes: null,
        sha256: null,
        created_at: now,
        updated_at: now,
        started_at: null,
        finished_at: null,
        expires_at: null,
      };
      if (await this.backend.insert(row)) return { job: toJobRecord(row), created: true };
    }
    throw new Error(
      `Cannot create a job for Idempotency-Key ${JSON.stringify(key)}: the key kept changing ` +
        "hands between concurrent requests",
    );
  }

  /** Resolves to the owner's job `id`, or null when there is none or another owner has it. */
  async get(owner: Owner, id: string): Promise<JobRecord | null> {
    const row = await this.backend.byId(id);
    return row === undefined || row.owner !== owner ? null : toJobRecord(row);
  }

  /** Resolves to job `id` whoever owns it, or null (for the runner and the sweeper). */
  async getById(id: string): Promise<JobRecord | null> {
    const row = await this.backend.byId(id);
    return row === undefined ? null : toJobRecord(row);
  }

  /**
   * Resolves to page `page` (1-based) of `pageSize` of the owner's jobs, newest first
   * (created_at, then id, descending), and how many jobs the owner has in all.
   */
  async list(
    owner: Owner,
    options: { page: number; pageSize: number },
  ): Promise<{ rows: JobRecord[]; total: number }> {
    const { page, pageSize } = options;
    if (!Number.isInteger(page) || page < 1 || !Number.isInteger(pageSize) || pageSize < 1) {
      throw new RangeError(`page (${page}) and pageSize (${pageSize}) must be positive integers`);
    }
    const { rows, total } = await this.backend.list(owner, (page - 1) * pageSize, pageSize);
    return { rows: rows.map(toJobRecord), total };
  }

  /** Resolves to the number of the owner's unfinished (pending or processing) jobs. */
  countActive(owner: Owner): Promise<number> {
    return this.backend.countStatuses(owner, ACTIVE_STATUSES);
  }

  /**
   * Marks job `id` processing (started_at set the first time) if it is pending or processing
   * (and, with `leaseToken`, still leased with that token); resolves to the job, or null when
   * it was canceled, finished or its lease was taken: the runner then stops.
   */
  async start(id: string, leaseToken?: string): Promise<JobRecord | null> {
    const now = this.clock.now();
    const row = await this.backend.update(
      id,
      { status: "processing", updated_at: now },
      { statuses: ACTIVE_STATUSES, leaseToken },
      { started_at: now },
    );
    return row === undefined ? null : toJobRecord(row);
  }

  /**
   * Records the attempt number a queue that keeps its own count (BullMQ) is on, so the job's
   * row shows it as the embedded queue's does; only while the job is unfinished.
   */
  async recordAttempt(id: string, attempt: number): Promise<boolean> {
    const set = { attempts: attempt, updated_at: this.clock.now() };
    return (await this.backend.update(id, set, { statuses: ACTIVE_STATUSES })) !== undefined;
  }

  /**
   * Records progress and the pipeline's durable position (`checkpoint`, any JSON value) while
   * the job is processing (and, with `leaseToken`, still this runner's); resolves to false when
   * it no longer is (canceled, or the lease was lost): the runner stops without writing more.
   */
  async progress(
    id: string,
    processedItems: number,
    totalItems: number,
    checkpoint: unknown,
    leaseToken?: string,
  ): Promise<boolean> {
    const set = {
      processed_items: processedItems,
      total_items: totalItems,
      checkpoint: checkpoint === undefined ? null : JSON.stringify(checkpoint),
      updated_at: this.clock.now(),
    };
    const guard = { statuses: ["processing"] as const, leaseToken };
    return (await this.backend.update(id, set, guard)) !== undefined;
  }

  /**
   * Marks a processing job completed with its artifact (processed_items becomes total_items);
   * resolves to false, changing nothing, when the job is no longer processing (canceled while
   * the last chunk ran): the caller deletes the artifact then.
   */
  async complete(
    id: string,
    output: { outputFilename: string; fileSizeBytes: number; sha256: string; expiresAt: number },
    leaseToken?: string,
  ): Promise<boolean> {
    const current = await this.backend.byId(id);
    if (current === undefined) return false;
    const now = this.clock.now();
    const set = {
      status: "completed" as const,
      processed_items: Number(current.total_items),
      output_filename: output.outputFilename,
      file_size_bytes: output.fileSizeBytes,
      sha256: output.sha256,
      expires_at: output.expiresAt,
      lease_token: null,
      lease_until: null,
      updated_at: now,
      finished_at: now,
    };
    const guard = { statuses: ["processing"] as const, leaseToken };
    return (await this.backend.update(id, set, guard)) !== undefined;
  }

  /**
   * Marks an unfinished job failed with `error`; resolves to false when it had already
   * finished (or, with `leaseToken`, another runner holds it).
   */
  async fail(
    id: string,
    error: { message: string; items?: ItemError[]; invalid_count?: number },
    leaseToken?: string,
    reportExpiresAt?: number,
  ): Promise<boolean> {
    const now = this.clock.now();
    const set = {
      status: "failed" as const,
      error: JSON.stringify(error),
      lease_token: null,
      lease_until: null,
      updated_at: now,
      finished_at: now,
      // A failed job's errors.csv is downloadable (errors_url) until then, like an artifact.
      ...(reportExpiresAt === undefined ? {} : { expires_at: reportExpiresAt }),
    };
    return (
      (await this.backend.update(id, set, { statuses: ACTIVE_STATUSES, leaseToken })) !== undefined
    );
  }

  /**
   * Cancels the owner's job `id` if it is unfinished and resolves to the status it had before
   * (pending or processing: now canceled; completed, failed or canceled: unchanged, so the
   * route can delete a finished job's artifact), or null when the owner has no such job. The
   * runner sees the change at its next guarded write (progress or complete answer false).
   */
  async cancel(owner: Owner, id: string): Promise<JobStatus | null> {
    // Compare-and-set on the status just read: a job that moved on meanwhile is read again.
    for (;;) {
      const row = await this.backend.byId(id);
      if (row === undefined || row.owner !== owner) return null;
      if (!ACTIVE_STATUSES.includes(row.status)) return row.status;
      const now = this.clock.now();
      const set = {
        status: "canceled" as const,
        lease_token: null,
        lease_until: null,
        updated_at: now,
        finished_at: now,
      };
      if ((await this.backend.update(id, set, { statuses: [row.status], owner })) !== undefined) {
        return row.status;
      }
    }
  }

  /**
   * Resolves to up to `limit` completed jobs whose artifact expired before `now` and is still
   * recorded (output_filename set), oldest expiry first: the sweeper deletes their files, then
   * calls markExpired.
   */
  async listExpired(now: number, limit = 100): Promise<JobRecord[]> {
    return (await this.backend.expired(now, limit)).map(toJobRecord);
  }

  /**
   * Resolves to the ids of up to `limit` unfinished (pending or processing) jobs, oldest first:
   * the BullMQ queue checks each still has its Redis job (a Redis that restarted empty has
   * none).
   */
  listActiveIds(limit = 1_000): Promise<string[]> {
    return this.backend.active(limit);
  }

  /**
   * Records that completed job `id`'s artifact is gone (output_filename, file_size_bytes and
   * sha256 become null, expires_at at most `now`): the job stays completed and its status
   * answers without a download. Resolves to false when the job is not completed.
   */
  async markExpired(id: string, now: number): Promise<boolean> {
    const row = await this.backend.byId(id);
    if (row?.status === "failed") {
      // Its errors.csv is gone: no expiry left to state, and errors_url answers null.
      const set = { expires_at: null, updated_at: now };
      return (await this.backend.update(id, set, { statuses: ["failed"] })) !== undefined;
    }
    if (row === undefined || row.status !== "completed") return false;
    const expiresAt = row.expires_at === null ? now : Math.min(Number(row.expires_at), now);
    const set = {
      output_filename: null,
      file_size_bytes: null,
      sha256: null,
      expires_at: expiresAt,
      updated_at: now,
    };
    return (await this.backend.update(id, set, { statuses: ["completed"] })) !== undefined;
  }

  // --- the embedded queue's lease operations (sql-queue.ts) -------------------------------

  /**
   * Claims the oldest claimable job for lease `token` until now + leaseMs (see
   * JobBackend.claim); resolves to its id and attempt number (1 for the first run), or null.
   */
  async claim(
    token: string,
    leaseMs: number,
    maxAttempts: number,
  ): Promise<{ id: string; attempt: number } | null> {
    const now = this.clock.now();
    const claimed = await this.backend.claim(token, now, now + leaseMs, maxAttempts);
    return claimed === undefined ? null : { id: claimed.id, attempt: claimed.attempts };
  }

  /** Moves lease `token` of job `id` to now + leaseMs; resolves to false when it is not held. */
  async extendLease(id: string, token: string, leaseMs: number): Promise<boolean> {
    const now = this.clock.now();
    const set = { lease_until: now + leaseMs };
    const guard = { statuses: ["processing"] as const, leaseToken: token };
    return (await this.backend.update(id, set, guard)) !== undefined;
  }

  /**
   * Gives lease `token` of job `id` back. "paused" (the runner stopped at a checkpoint) makes
   * the job claimable after `delayMs` without counting the attempt; "done" just clears the
   * lease. Resolves to the job after the change, or null when the lease was not held.
   */
  async releaseLease(
    id: string,
    token: string,
    how: "paused" | "done",
    delayMs = 0,
  ): Promise<JobRecord | null> {
    const row = await this.backend.byId(id);
    if (row === undefined || row.lease_token !== token) return null;
    const now = this.clock.now();
    const set =
      how === "paused"
        ? {
            lease_token: null,
            lease_until: now + delayMs,
            attempts: Math.max(0, Number(row.attempts) - 1),
            updated_at: now,
          }
        : { lease_token: null, lease_until: null };
    const guard = { statuses: [row.status], leaseToken: token };
    const updated = await this.backend.update(id, set, guard);
    return updated === undefined ? null : toJobRecord(updated);
  }

  /**
   * Fails every processing job whose lease expired with `maxAttempts` attempts used: each
   * lost its runner that many times (crash, kill, stall). Resolves to the ids failed.
   */
  async failExhausted(maxAttempts: number, leaseMs: number): Promise<string[]> {
    const now = this.clock.now();
    const failed: string[] = [];
    for (const row of await this.backend.exhausted(now, maxAttempts)) {
      const attempts = Number(row.attempts);
      const set = {
        status: "failed" as const,
        error: JSON.stringify({ message: lostRunnerMessage(attempts, leaseMs) }),
        lease_token: null,
        lease_until: null,
        updated_at: now,
        finished_at: now,
      };
      const guard = { statuses: ["processing"] as const, leaseExpiredBy: now, attempts };
      if ((await this.backend.update(row.id, set, guard)) !== undefined) failed.push(row.id);
    }
    return failed;
  }
}

/** The error a job gets when its runners kept disappearing. */
export function lostRunnerMessage(times: number, leaseMs: number): string {
  return (
    `the job lost its runner ${times} times (no heartbeat within the ${leaseMs} ms lease: ` +
    "the process crashed, was killed or stalled); giving up"
  );
}
