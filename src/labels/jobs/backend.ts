// What a label database must offer the job store, the quota, the serial registry and the
// settings: rows in, rows out, each change one atomic statement (or one transaction). Two
// implementations over the service's database: SQLite under DATA_DIR (sqlite.ts) and
// PostgreSQL (postgres.ts). The policy (idempotency, status transitions, leases) lives in
// store.ts and sql-queue.ts, written once for both.
import type { JobStatus } from "../types.js";

/**
 * One label_jobs row as the database returns it. PostgreSQL gives bigint columns as strings,
 * SQLite as numbers; store.ts reads both through Number().
 */
export interface JobDbRow {
  id: string;
  owner: string;
  status: JobStatus;
  export_type: string;
  file_format: string;
  spec: string;
  idempotency_key: string | null;
  request_hash: string;
  total_items: number | string;
  processed_items: number | string;
  checkpoint: string | null;
  attempts: number | string;
  lease_token: string | null;
  lease_until: number | string | null;
  error: string | null;
  output_filename: string | null;
  file_size_bytes: number | string | null;
  sha256: string | null;
  created_at: number | string;
  updated_at: number | string;
  started_at: number | string | null;
  finished_at: number | string | null;
  expires_at: number | string | null;
}

/** The columns a status change may write (never id, owner, spec or created_at). */
export type JobSet = Partial<
  Pick<
    { [K in keyof JobDbRow]: string | number | null },
    | "status"
    | "idempotency_key"
    | "total_items"
    | "processed_items"
    | "checkpoint"
    | "attempts"
    | "lease_token"
    | "lease_until"
    | "error"
    | "output_filename"
    | "file_size_bytes"
    | "sha256"
    | "updated_at"
    | "started_at"
    | "finished_at"
    | "expires_at"
  >
>;

/**
 * The condition a compare-and-set update holds under: the row must have one of `statuses`, and
 * each other field given must match. It is what keeps a canceled job from being completed and
 * a runner that lost its lease from writing over the next one's work.
 */
export interface JobGuard {
  statuses: readonly JobStatus[];
  owner?: string;
  /** The lease token must be this one. */
  leaseToken?: string;
  /** lease_until must be set and at most this (an abandoned lease). */
  leaseExpiredBy?: number;
  /** attempts must be exactly this. */
  attempts?: number;
}

/** One serial_batches row as the operators' listing shows it. */
export interface SerialBatch {
  id: number;
  gtin: string;
  lot: string | null;
  jobId: string;
  owner: string;
  mode: "random" | "range";
  count: number;
  prefix: string | null;
  width: number | null;
  rangeStart: number | null;
  rangeEnd: number | null;
  firstSerial: string | null;
  lastSerial: string | null;
  createdAt: number;
}

/** A batch to record: everything the database does not assign. */
export type NewSerialBatch = Omit<SerialBatch, "id">;

/** The job table operations; see JobStore for the policy built on them. */
export interface JobBackend {
  /** Where the jobs live, for log lines and error messages; never contains a password. */
  readonly location: string;
  /**
   * Inserts a job row; resolves to false, inserting nothing, when (owner, idempotency_key) is
   * taken (the unique index label_jobs_idempotency decides, so concurrent inserts are safe).
   */
  insert(row: JobDbRow): Promise<boolean>;
  /** Resolves to the row holding (owner, key), or undefined. */
  byIdempotencyKey(owner: string, key: string): Promise<JobDbRow | undefined>;
  /** Sets idempotency_key to null on (owner, key) if that row was created before `createdBefore`. */
  releaseIdempotencyKey(owner: string, key: string, createdBefore: number): Promise<void>;
  byId(id: string): Promise<JobDbRow | undefined>;
  /** The owner's rows newest first (created_at, then id, descending) and their total count. */
  list(owner: string, offset: number, limit: number): Promise<{ rows: JobDbRow[]; total: number }>;
  /** The number of the owner's rows with one of `statuses`. */
  countStatuses(owner: string, statuses: readonly JobStatus[]): Promise<number>;
  /**
   * Writes `set` (and `setIfNull` where the column is null) on row `id` if it satisfies `guard`,
   * in one statement; resolves to the new row, or undefined when the guard did not hold.
   */
  update(
    id: string,
    set: JobSet,
    guard: JobGuard,
    setIfNull?: JobSet,
  ): Promise<JobDbRow | undefined>;
  /**
   * Atomically takes the oldest claimable job (pending, or processing with lease_until ≤ now)
   * whose attempts are below `maxAttempts`: status processing, the lease `token` until
   * `leaseUntil`, attempts + 1, started_at set if unset. Concurrent claimers (processes,
   * machines) never take the same job. Resolves to its id and new attempts, or undefined.
   */
  claim(
    token: string,
    now: number,
    leaseUntil: number,
    maxAttempts: number,
  ): Promise<{ id: string; attempts: number } | undefined>;
  /** Rows in processing whose lease ran out by `now` with attempts ≥ maxAttempts (≤ 100). */
  exhausted(now: number, maxAttempts: number): Promise<JobDbRow[]>;
  /**
   * Rows whose file expired before `now`, oldest first: completed ones whose artifact is still
   * recorded, and failed ones whose errors.csv is (their expires_at is set only then).
   */
  expired(now: number, limit: number): Promise<JobDbRow[]>;
  /** Ids of up to `limit` pending or processing rows, oldest first. */
  active(limit: number): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * The daily label quota per owner (table label_usage). `day` is a UTC date "YYYY-MM-DD".
 */
export interface LabelUsage {
  /**
   * Adds `labels` to the owner's count for `day` only if the result stays within `limit`, in
   * one atomic statement (concurrent charges from any process never exceed the limit).
   * Resolves to ok and the count after the charge; when refused, ok false and the count as it
   * stands. `labels` must be a positive integer.
   */
  charge(
    owner: string,
    day: string,
    labels: number,
    limit: number,
  ): Promise<{ ok: boolean; used: number }>;
  /** Takes `labels` back off the owner's count for `day` (never below zero). */
  refund(owner: string, day: string, labels: number): Promise<void>;
  /** The owner's count for `day` (0 when nothing was charged). */
  used(owner: string, day: string): Promise<number>;
}

/** Throws a RangeError unless `labels` is a positive integer (a charge or refund). */
export function checkLabelCount(labels: number): void {
  if (!Number.isSafeInteger(labels) || labels <= 0) {
    throw new RangeError(`labels must be a positive integer, not ${labels}`);
  }
}

/** Issued serials per GTIN (issued_serials, unique per GTIN) and their batches. */
export interface SerialRegistry {
  /** The number of serials issued for `gtin` across every job. */
  issuedCount(gtin: string): Promise<number>;
  /**
   * The first (lowest id) recorded `range` batch of `gtin` whose serials coincide with some of
   * prefix + zero-padded start..end (same prefix, intersecting numbers, and some common number
   * long enough that the two paddings write it alike), or null. A prefix that is a prefix of
   * another ("SN" + "123" against "SN1" + "23") is not found here: the unique index still
   * catches such serials in insertSerials.
   */
  rangeOverlap(
    gtin: string,
    prefix: string | null,
    width: number | null,
    start: number,
    end: number,
  ): Promise<SerialBatch | null>;
  /**
   * Records `serials` as issued for `gtin` to job `jobId` in chunks (one transaction or
   * statement each, INSERT … ON CONFLICT DO NOTHING) and resolves to those that were already
   * issued (to any job, or earlier in `serials`), in the order given; the rest are recorded.
   * A failure leaves the chunks before it recorded: releaseJob undoes them.
   */
  insertSerials(gtin: string, jobId: string, serials: readonly string[]): Promise<string[]>;
  /** Records a batch and resolves to its id. */
  recordBatch(batch: NewSerialBatch): Promise<number>;
  /**
   * Deletes every serial and batch job `jobId` recorded (for a job retried from scratch before
   * any output), in chunks; resolves to the number of serials deleted.
   */
  releaseJob(jobId: string): Promise<number>;
  /** The batches of `gtin`, newest first, page `page` (1-based) of `pageSize`, and their total. */
  listBatches(
    gtin: string,
    page: number,
    pageSize: number,
  ): Promise<{ rows: SerialBatch[]; total: number }>;
}

/** Service-wide settings every instance shares (service_settings). */
export interface Settings {
  /**
   * Resolves to the value of `name`, first storing `make()` if there is none. Race-safe: when
   * instances start at once, one value wins and every instance gets it.
   */
  getOrCreate(name: string, make: () => string): Promise<string>;
}

/** The serial_batches columns, as both engines name them, and their mapping. */
export interface SerialBatchDbRow {
  id: number;
  gtin: string;
  lot: string | null;
  job_id: string;
  owner: string;
  mode: string;
  count: number;
  prefix: string | null;
  width: number | null;
  range_start: number | string | null;
  range_end: number | string | null;
  first_serial: string | null;
  last_serial: string | null;
  created_at: number | string;
}

/** Maps a serial_batches row (either engine) to a SerialBatch. */
export function toSerialBatch(row: SerialBatchDbRow): SerialBatch {
  const num = (v: number | string | null) => (v === null ? null : Number(v));
  return {
    id: Number(row.id),
    gtin: row.gtin,
    lot: row.lot,
    jobId: row.job_id,
    owner: row.owner,
    mode: row.mode as SerialBatch["mode"],
    count: Number(row.count),
    prefix: row.prefix,
    width: num(row.width),
    rangeStart: num(row.range_start),
    rangeEnd: num(row.range_end),
    firstSerial: row.first_serial,
    lastSerial: row.last_serial,
    createdAt: Number(row.created_at),
  };
}

/**
 * Picks, from range batches of the same GTIN and prefix whose numbers intersect start..end
 * (lowest id first), the first whose serials really coincide with the new range's: with equal
 * widths any common number does; otherwise only numbers with at least max(width) digits are
 * written alike, so the common part must reach 10^(max(width) - 1).
 */
export function firstRealOverlap(
  candidates: readonly SerialBatch[],
  width: number | null,
  start: number,
  end: number,
): SerialBatch | null {
  for (const batch of candidates) {
    if (batch.rangeStart === null || batch.rangeEnd === null) continue;
    const low = Math.max(start, batch.rangeStart);
    const high = Math.min(end, batch.rangeEnd);
    if (low > high) continue;
    const a = width ?? 0;
    const b = batch.width ?? 0;
    if (a === b) return batch;
    const wider = Math.max(a, b);
    if (high >= 10 ** (wider - 1)) return batch;
  }
  return null;
}
