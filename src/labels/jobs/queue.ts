// The queue label jobs run from, with two back ends behind one contract: the embedded one, where
// the label_jobs table itself is the queue (sql-queue.ts; SQLite or PostgreSQL), and BullMQ on
// Redis for the multi-instance shape (bullmq-queue.ts). Either way a job is claimed under a
// lease, kept alive by heartbeats, claimed again by any instance when its runner is lost, and
// failed after maxAttempts lost runners. The job's row stays the source of truth for its
// status and progress; the queue only decides who runs it.

/** One run of a job, as a queue hands it to the handler. */
export interface RunningJob {
  id: string;
  /** 1 for the first run; each run whose runner was lost adds one (a pause does not). */
  attempt: number;
  /**
   * Aborted when the handler must stop: the queue is stopping (reason QueueStopping: finish or
   * checkpoint the chunk, then return "paused"), the lease was lost to another instance or the
   * job was canceled (reason LeaseLost: return at once, writing nothing).
   */
  signal: AbortSignal;
  /**
   * Extends the lease now (the queue also does every lease/3 on its own); rejects with
   * LeaseLost when the job is no longer this runner's.
   */
  heartbeat(): Promise<void>;
}

/**
 * What the handler says when it returns: "done" once it has put the job in a final state
 * itself (completed, failed, canceled); "paused" when it stopped at a checkpoint (SIGTERM) so
 * that any instance resumes it, without counting an attempt. A handler that throws fails the
 * job with an internal error (the cause goes to onError, not to the job's owner).
 */
export type HandlerResult = "done" | "paused";

/** Runs one job; see RunningJob and HandlerResult. */
export type JobHandler = (job: RunningJob) => Promise<HandlerResult>;

/** The contract both back ends keep. */
export interface JobQueue {
  /** Makes job `id` (a pending row already in the database) runnable by any instance. */
  enqueue(jobId: string): Promise<void>;
  /** Starts taking jobs, one at a time per queue object, and running them with `handler`. */
  start(handler: JobHandler): void;
  /**
   * Stops taking jobs, aborts the running handler's signal (QueueStopping) and resolves once it
   * has returned and its lease is given back; idempotent.
   */
  stop(): Promise<void>;
}

/** Settings both back ends share. */
export interface QueueOptions {
  /** How long a claim lasts without a heartbeat (ms); heartbeats go every lease/3. Default 30 s. */
  leaseMs?: number;
  /** Runs a job may lose (crash, kill, stall) before it is failed. Default 3. */
  maxAttempts?: number;
  /** How soon a paused job may be taken again (ms). Default 0: at once, by any instance. */
  pauseDelayMs?: number;
  /** Told about failures the queue survives (database or Redis errors, a handler that threw). */
  onError?: (err: unknown, context: { jobId?: string; what: string }) => void;
}

/** The abort reason when the queue is stopping: checkpoint and return "paused". */
export class QueueStopping extends Error {
  constructor() {
    super("the job queue is stopping: checkpoint and return");
    this.name = "QueueStopping";
  }
}

/** The abort reason (and heartbeat rejection) when the job is no longer this runner's. */
export class LeaseLost extends Error {
  constructor(
    readonly jobId: string,
    why: string,
  ) {
    super(`label job ${jobId} is no longer this runner's: ${why}`);
    this.name = "LeaseLost";
  }
}

export const DEFAULT_LEASE_MS = 30_000;
export const DEFAULT_MAX_ATTEMPTS = 3;

/** The message a job fails with when its handler threw (details go to onError). */
export const HANDLER_FAILED_MESSAGE = "the job failed unexpectedly (internal error)";

/** Returns `options` with the defaults filled in; throws naming a bad value. */
export function queueSettings(options: QueueOptions): Required<Omit<QueueOptions, "onError">> & {
  onError: NonNullable<QueueOptions["onError"]>;
} {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const pauseDelayMs = options.pauseDelayMs ?? 0;
  if (!Number.isInteger(leaseMs) || leaseMs < 30) {
    throw new RangeError(`leaseMs must be an integer of at least 30 ms, not ${leaseMs}`);
  }
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(`maxAttempts must be a positive integer, not ${maxAttempts}`);
  }
  if (!Number.isInteger(pauseDelayMs) || pauseDelayMs < 0) {
    throw new RangeError(`pauseDelayMs must be a non-negative integer, not ${pauseDelayMs}`);
  }
  return { leaseMs, maxAttempts, pauseDelayMs, onError: options.onError ?? (() => {}) };
}
