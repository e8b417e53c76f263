// The embedded queue: the label_jobs table itself, in the service's own database (SQLite by
// default, PostgreSQL with DATABASE_URL but no Redis). A job is claimable while pending, or
// while processing with its lease run out; a claim is one atomic UPDATE … RETURNING (see
// JobBackend.claim) that takes a fresh lease token and counts the attempt. Each queue object
// polls every pollMs, and at once after an enqueue in the same process, and runs one job at
// a time, extending the lease every lease/3. A runner that stops heartbeating (crash, kill,
// stall) loses the job to the next claimer once the lease runs out; after maxAttempts such
// losses the job is failed. Resuming from the checkpoint is the handler's business.
import { randomUUID } from "node:crypto";
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
import { ACTIVE_STATUSES, type JobStore } from "./store.js";

/** Options of the embedded queue. */
export interface SqlQueueOptions extends QueueOptions {
  /**
   * How often an idle queue looks for claimable jobs (ms). Default 100: a job submitted through
   * another process (the cluster's HTTP workers submit, its job process runs) waits for this
   * poll, and two indexed queries ten times a second cost nothing next to a job.
   */
  pollMs?: number;
}

/** The embedded JobQueue over a JobStore; see the top of this file. */
export class SqlJobQueue implements JobQueue {
  private readonly settings: ReturnType<typeof queueSettings>;
  private readonly pollMs: number;
  private handler: JobHandler | undefined;
  private timer: NodeJS.Timeout | undefined;
  private loop: Promise<void> | undefined;
  private wakeRequested = false;
  private stopping = false;
  private abandoned = false;
  private current: { controller: AbortController; beat: NodeJS.Timeout } | undefined;

  /** Throws a RangeError naming a bad option. Takes no job before start(). */
  constructor(
    private readonly jobs: JobStore,
    options: SqlQueueOptions = {},
  ) {
    this.settings = queueSettings(options);
    this.pollMs = options.pollMs ?? 100;
    if (!Number.isInteger(this.pollMs) || this.pollMs < 1) {
      throw new RangeError(`pollMs must be a positive integer, not ${options.pollMs}`);
    }
  }

  /** The row is already pending (JobStore.create): wake this process's poller for it. */
  async enqueue(_jobId: string): Promise<void> {
    this.wake();
  }

  /** Starts polling for jobs and running them with `handler`; throws if already started. */
  start(handler: JobHandler): void {
    if (this.handler !== undefined) throw new Error("this job queue was already started");
    this.handler = handler;
    this.wake();
  }

  /** Stops claiming, aborts the running handler (QueueStopping) and waits for it to return. */
  async stop(): Promise<void> {
    // An abandoned queue is a dead process: nothing to wait for.
    if (this.abandoned) return;
    this.stopping = true;
    clearTimeout(this.timer);
    this.current?.controller.abort(new QueueStopping());
    await this.loop;
  }

  /**
   * Simulates this process dying, for tests: stops polling and heartbeating at once and
   * writes nothing more, leaving the running job's lease to run out.
   */
  abandon(): void {
    this.abandoned = true;
    this.stopping = true;
    clearTimeout(this.timer);
    if (this.current) clearInterval(this.current.beat);
  }

  private wake(): void {
    this.wakeRequested = true;
    if (this.handler === undefined || this.stopping || this.loop !== undefined) return;
    clearTimeout(this.timer);
    this.loop = this.drain().finally(() => {
      this.loop = undefined;
      if (this.stopping) return;
      this.timer = setTimeout(() => this.wake(), this.wakeRequested ? 0 : this.pollMs);
      // Polling alone does not keep a process alive; the server (or the test) does.
      this.timer.unref();
    });
  }

  // Claims and runs jobs until none is claimable (or the queue stops).
  private async drain(): Promise<void> {
    const { leaseMs, maxAttempts, onError } = this.settings;
    while (!this.stopping) {
      this.wakeRequested = false;
      const token = randomUUID();
      let claimed: { id: string; attempt: number } | null;
      try {
        await this.jobs.failExhausted(maxAttempts, leaseMs);
        claimed = await this.jobs.claim(token, leaseMs, maxAttempts);
      } catch (err) {
        onError(err, { what: "claim a label job" });
        return;
      }
      if (claimed === null || this.stopping) return;
      await this.run(claimed.id, claimed.attempt, token);
    }
  }

  private async run(id: string, attempt: number, token: string): Promise<void> {
    const { leaseMs, pauseDelayMs, onError } = this.settings;
    const controller = new AbortController();
    let lost = false;
    const lose = (why: string) => {
      if (lost) return;
      lost = true;
      controller.abort(new LeaseLost(id, why));
    };
    // The lease as far as this runner knows it holds: from the last extension's sending.
    let heldUntil = Date.now() + leaseMs;
    const heartbeat = async () => {
      if (lost) throw controller.signal.reason;
      const sentAt = Date.now();
      let held: boolean;
      try {
        held = await this.jobs.extendLease(id, token, leaseMs);
      } catch (err) {
        if (Date.now() >= heldUntil) lose("its lease ran out while the database was unreachable");
        throw err;
      }
      if (!held) {
        const row = await this.jobs.getById(id).catch(() => null);
        lose(
          row?.status === "canceled"
            ? "it was canceled"
            : "its lease ran out and another runner claimed it",
        );
        throw controller.signal.reason;
      }
      heldUntil = sentAt + leaseMs;
    };
    const beat = setInterval(
      () => {
        heartbeat().catch((err) => {
          if (!(err instanceof LeaseLost)) onError(err, { jobId: id, what: "extend a lease" });
        });
      },
      Math.floor(leaseMs / 3),
    );
    this.current = { controller, beat };

    let result: HandlerResult | { thrown: unknown };
    try {
      result = await (this.handler as JobHandler)({
        id,
        attempt,
        signal: controller.signal,
        heartbeat,
      });
    } catch (err) {
      result = { thrown: err };
    } finally {
      clearInterval(beat);
      this.current = undefined;
    }
    // A dead process writes nothing; a runner that lost the job must not touch the next one's.
    if (this.abandoned || lost) return;
    try {
      if (result === "paused") {
        await this.jobs.releaseLease(id, token, "paused", pauseDelayMs);
      } else if (result === "done") {
        await this.jobs.releaseLease(id, token, "done");
        const row = await this.jobs.getById(id);
        if (row !== null && ACTIVE_STATUSES.includes(row.status)) {
          onError(new Error(`the handler returned "done" but left the job ${row.status}`), {
            jobId: id,
            what: "run a label job",
          });
          await this.jobs.fail(id, { message: HANDLER_FAILED_MESSAGE });
        }
      } else {
        onError(result.thrown, { jobId: id, what: "run a label job" });
        await this.jobs.fail(id, { message: HANDLER_FAILED_MESSAGE }, token);
      }
    } catch (err) {
      // The lease runs out by itself and the job is claimed again.
      onError(err, { jobId: id, what: "give back a lease" });
    }
  }
}
