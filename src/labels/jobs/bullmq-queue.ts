// The queue on Redis (REDIS_URL set): BullMQ, for the multi-instance shape. A BullMQ job per
// label job, with our job id as its id (adding it twice is a no-op), one Worker per queue
// object running one job at a time. BullMQ's lock is the lease: lockDuration = leaseMs,
// renewed by the worker (and by heartbeat()); a job whose lock ran out is found by any
// worker's stalled check and run again, and after maxAttempts lost runs (maxStalledCount =
// maxAttempts - 1) BullMQ fails it, which fails our row. "paused" moves the job back to wait
// (or delayed) without counting. The database row stays the source of truth for status and
// progress; Redis only says who runs what, and reconcile() gives an unfinished row whose Redis
// job is gone (Redis restarted empty) a new one.
import { DelayedError, type Job, Queue, WaitingError, Worker } from "bullmq";
import {
  HANDLER_FAILED_MESSAGE,
  type HandlerResult,
  type JobHandler,
  type JobQueue,
  LeaseLost,
  type QueueOptions,
  QueueStopping,
  queueSettings,
} from "./queue.js";
import { ACTIVE_STATUSES, type JobStore, lostRunnerMessage } from "./store.js";

/** Options of the BullMQ queue. */
export interface BullQueueOptions extends QueueOptions {
  /** redis:// or rediss:// URL (user, password and /db honoured). */
  redisUrl: string;
  /** Key prefix of every BullMQ key (the service uses REDIS_KEY_PREFIX + "labels"). */
  prefix: string;
  /** Default "label-jobs". */
  queueName?: string;
  /** How often each worker looks for runners that were lost (ms). Default leaseMs / 2. */
  stalledIntervalMs?: number;
  /** How often unfinished rows are checked for a Redis job (see reconcile). Default leaseMs. */
  reconcileMs?: number;
}

/**
 * BullMQ connection options from a redis:// URL: BullMQ makes its own clients from options
 * (our ioredis instance would not do: BullMQ wants maxRetriesPerRequest null on its blocking
 * connection, and may resolve another ioredis major). Throws naming a URL it cannot use.
 */
export function bullConnection(url: string) {
  const u = new URL(url);
  if (u.protocol !== "redis:" && u.protocol !== "rediss:") {
    throw new Error(`${u.protocol}// is not a Redis URL (redis:// or rediss://)`);
  }
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new Error(`${u.pathname} is not a Redis database`);
  return {
    host: u.hostname,
    port: u.port === "" ? 6379 : Number(u.port),
    db,
    username: u.username === "" ? undefined : decodeURIComponent(u.username),
    password: u.password === "" ? undefined : decodeURIComponent(u.password),
    tls: u.protocol === "rediss:" ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

// BullMQ's reason for a job whose runs were lost more than maxStalledCount times.
const STALLED_LIMIT = /stalled more than allowable limit/;

/** The BullMQ JobQueue; see the top of this file. */
export class BullJobQueue implements JobQueue {
  private readonly settings: ReturnType<typeof queueSettings>;
  private readonly queue: Queue;
  private worker: Worker | undefined;
  private reconciler: NodeJS.Timeout | undefined;
  private readonly running = new Map<string, AbortController>();
  private stopped: Promise<void> | undefined;

  /** Throws naming a bad option or URL; connects lazily (BullMQ reconnects on its own). */
  constructor(
    private readonly jobs: JobStore,
    private readonly options: BullQueueOptions,
  ) {
    this.settings = queueSettings(options);
    this.queue = new Queue(this.queueName, {
      connection: bullConnection(options.redisUrl),
      prefix: options.prefix,
    });
    this.queue.on("error", (err) => this.settings.onError(err, { what: "use the Redis queue" }));
  }

  private get queueName(): string {
    return this.options.queueName ?? "label-jobs";
  }

  /** Adds job `jobId` for any instance's worker; a job already queued is left as it is. */
  async enqueue(jobId: string): Promise<void> {
    await this.queue.add(
      "label",
      {},
      // Finished BullMQ jobs are dropped: the row says how the job ended, and a job retried
      // later (a new run of the same id) must be addable again.
      { jobId, attempts: 1, removeOnComplete: true, removeOnFail: true },
    );
  }

  /** Starts this object's worker with `handler`; throws if already started. */
  start(handler: JobHandler): void {
    if (this.worker !== undefined) throw new Error("this job queue was already started");
    const { leaseMs, maxAttempts, onError } = this.settings;
    this.worker = new Worker(this.queueName, (job, token) => this.process(handler, job, token), {
      connection: bullConnection(this.options.redisUrl),
      prefix: this.options.prefix,
      concurrency: 1,
      lockDuration: leaseMs,
      maxStalledCount: maxAttempts - 1,
      stalledInterval: this.options.stalledIntervalMs ?? Math.floor(leaseMs / 2),
    });
    this.worker.on("error", (err) => onError(err, { what: "run the Redis queue" }));
    const reconcile = () =>
      this.reconcile().catch((err) => onError(err, { what: "reconcile the Redis queue" }));
    this.reconciler = setInterval(reconcile, this.options.reconcileMs ?? leaseMs);
    this.reconciler.unref();
    void reconcile();
    this.worker.on("lockRenewalFailed", (ids: string[]) => {
      for (const id of ids) {
        this.running.get(id)?.abort(new LeaseLost(id, "its lock could not be renewed"));
      }
    });
    // The worker that picks up a job stalled once too often fails it without running it.
    this.worker.on("failed", (job, err) => {
      if (job?.id === undefined || !STALLED_LIMIT.test(err.message)) return;
      const times = job.stalledCounter ?? maxAttempts;
      this.jobs
        .fail(job.id, { message: lostRunnerMessage(times, leaseMs) })
        .catch((e) => onError(e, { jobId: job.id, what: "fail a label job" }));
    });
  }

  /**
   * Gives every unfinished job row that has no Redis job one again, and resolves to their ids.
   * Redis only says who runs what; a Redis that restarted empty, or a run whose end could not
   * be written to the database, would otherwise leave the row pending or processing for good.
   * The job then resumes from its checkpoint. Runs every reconcileMs and at start.
   */
  async reconcile(): Promise<string[]> {
    const added: string[] = [];
    for (const id of await this.jobs.listActiveIds()) {
      if ((await this.queue.getJob(id)) !== undefined) continue;
      await this.enqueue(id);
      added.push(id);
    }
    return added;
  }

  /** Stops taking jobs, aborts the running handler (QueueStopping) and waits for it. */
  stop(): Promise<void> {
    clearInterval(this.reconciler);
    this.stopped ??= (async () => {
      // Closing first, so that a job the handler gives back is not taken again right here.
      const closing = this.worker?.close();
      for (const controller of this.running.values()) controller.abort(new QueueStopping());
      await closing;
      await this.queue.close();
    })();
    return this.stopped;
  }

  /**
   * Simulates this process dying, for tests: the worker stops renewing locks and taking jobs
   * and its connections close, leaving the running job active until its lock runs out.
   */
  async abandon(): Promise<void> {
    clearInterval(this.reconciler);
    this.stopped = Promise.resolve();
    await this.worker?.close(true);
    await this.queue.close();
  }

  private async process(handler: JobHandler, job: Job, token?: string): Promise<void> {
    const { leaseMs, pauseDelayMs, onError } = this.settings;
    const id = job.id as string;
    const attempt = (job.stalledCounter ?? 0) + 1;
    const controller = new AbortController();
    let lost = false;
    const lose = (why: string) => {
      if (lost) return;
      lost = true;
      controller.abort(new LeaseLost(id, why));
    };
    controller.signal.addEventListener("abort", () => {
      if (controller.signal.reason instanceof LeaseLost) lost = true;
    });
    this.running.set(id, controller);
    // Cancellation lives in the row, not in Redis: look at it as often as the lock is renewed.
    const checkRow = async () => {
      const row = await this.jobs.getById(id);
      if (row === null || !ACTIVE_STATUSES.includes(row.status)) {
        lose(row === null ? "it was deleted" : `it was ${row.status}`);
      }
    };
    const watch = setInterval(
      () => {
        checkRow().catch((err) => onError(err, { jobId: id, what: "read a label job" }));
      },
      Math.floor(leaseMs / 3),
    );
    const heartbeat = async () => {
      if (lost) throw controller.signal.reason;
      if ((await job.extendLock(token as string, leaseMs)) !== 1) {
        lose("its lock ran out and another runner may have it");
        throw controller.signal.reason;
      }
      await checkRow();
      if (lost) throw controller.signal.reason;
    };

    let result: HandlerResult | { thrown: unknown };
    try {
      await this.jobs.recordAttempt(id, attempt);
    } catch (err) {
      // The database is unreachable: nothing ran; try again in a second.
      clearInterval(watch);
      this.running.delete(id);
      onError(err, { jobId: id, what: "start a label job" });
      await job.moveToDelayed(Date.now() + Math.max(pauseDelayMs, 1000), token);
      throw new DelayedError();
    }
    try {
      result = await handler({ id, attempt, signal: controller.signal, heartbeat });
    } catch (err) {
      result = { thrown: err };
    } finally {
      clearInterval(watch);
      this.running.delete(id);
    }
    if (lost) return;
    if (result === "paused") {
      // Back to wait (or delayed) for any instance, with no attempt counted; the thrown error
      // tells the worker the job has moved.
      if (pauseDelayMs > 0) {
        await job.moveToDelayed(Date.now() + pauseDelayMs, token);
        throw new DelayedError();
      }
      await job.moveToWait(token);
      throw new WaitingError();
    }
    if (result === "done") {
      const row = await this.jobs.getById(id);
      if (row !== null && ACTIVE_STATUSES.includes(row.status)) {
        onError(new Error(`the handler returned "done" but left the job ${row.status}`), {
          jobId: id,
          what: "run a label job",
        });
        await this.jobs.fail(id, { message: HANDLER_FAILED_MESSAGE });
      }
      return;
    }
    onError(result.thrown, { jobId: id, what: "run a label job" });
    await this.jobs.fail(id, { message: HANDLER_FAILED_MESSAGE });
  }
}
