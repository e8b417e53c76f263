// The label jobs of one process: takes jobs from the queue and runs them (pipeline.ts) on the
// render threads, and sweeps artifacts past their time. Started by the server; stopped on
// SIGTERM, when the running job stops at its next checkpoint and goes back to the queue.
import { rm } from "node:fs/promises";
import type { Logger } from "pino";
import type { JobQueue } from "./jobs/queue.js";
import type { JobStore } from "./jobs/store.js";
import { jobPaths, type PipelineDeps, runJob } from "./pipeline.js";

/** How often finished jobs' artifacts are checked for expiry. */
const SWEEP_MS = 60_000;

/** What the runner reports for metrics (src/server/metrics.ts implements it). */
export interface LabelEvents {
  job(event: "submitted" | "started" | "completed" | "failed" | "canceled" | "paused"): void;
  running(delta: 1 | -1): void;
  rendered(labels: number): void;
  queueWait(seconds: number): void;
}

export interface Runner {
  stop(): Promise<void>;
}

/**
 * Starts taking jobs from `queue` into runJob, and the sweeper. A job the store no longer has,
 * or that is no longer pending or processing (canceled while queued), is skipped.
 */
export function startRunner(
  queue: JobQueue,
  deps: PipelineDeps,
  logger: Logger,
  events?: LabelEvents,
): Runner {
  queue.start(async ({ id, signal, heartbeat, attempt }) => {
    const job = await deps.jobs.getById(id);
    if (!job || (job.status !== "pending" && job.status !== "processing")) return "done";
    const started = await deps.jobs.start(id);
    if (started === null) return "done";
    const resumed = started.checkpoint !== null;
    logger.info({ job_id: id, attempt, resumed }, "label job started");
    events?.job("started");
    if (!resumed) events?.queueWait((deps.now() - started.createdAt) / 1000);
    events?.running(1);
    try {
      const result = await runJob(
        started,
        { ...deps, onLabels: events?.rendered },
        signal,
        heartbeat,
      );
      if (result === "paused") events?.job("paused");
      else {
        const end = await deps.jobs.getById(id);
        if (
          end &&
          (end.status === "completed" || end.status === "failed" || end.status === "canceled")
        ) {
          events?.job(end.status);
        }
      }
      return result;
    } finally {
      events?.running(-1);
    }
  });
  const sweep = () =>
    sweepExpired(deps.jobs, deps.dir, deps.now(), logger).catch((err) =>
      logger.warn({ err: String(err) }, "label artifact sweep failed; retrying later"),
    );
  const timer = setInterval(sweep, SWEEP_MS);
  timer.unref();
  void sweep();
  return {
    stop: async () => {
      clearInterval(timer);
      await queue.stop();
    },
  };
}

/** Deletes the artifacts of jobs whose expires_at has passed (the link then answers 410). */
export async function sweepExpired(jobs: JobStore, dir: string, now: number, logger: Logger) {
  for (const job of await jobs.listExpired(now)) {
    const paths = jobPaths(dir, job.id);
    await rm(paths.artifact, { force: true });
    await rm(paths.sheetArtifact, { force: true });
    await rm(paths.errorReport, { force: true });
    await jobs.markExpired(job.id, now);
    logger.info({ job_id: job.id }, "label artifact expired and deleted");
  }
}
