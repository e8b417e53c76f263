// The cluster primary (WORKERS > 1): prepares the shared state once (key schema, first key,
// the workers' shared rate-limit counters), forks the workers — WORKERS serving HTTP and, when
// this instance runs label jobs, one more that runs them and serves nothing (so a job's
// coordination never holds up a request's event loop) — replaces a worker that dies with
// back-off, serves the metrics of all workers, and on SIGTERM/SIGINT drains every worker.
import cluster, { type Worker } from "node:cluster";
import type { Server } from "node:http";
import client from "prom-client";
import type { Config } from "../config.js";
import { openKeyStore } from "../keys/open.js";
import { startClusterCounting } from "../limits/cluster.js";
import { firstKeyBanner } from "./banner.js";
import { answerOrphanedHandoffs } from "./handoff.js";
import type { ServiceLog } from "./logger.js";
import { startMetricsServer, trackIps } from "./metrics.js";

/** What a worker tells the primary. */
export type WorkerMessage = { type: "dm:listening"; url: string };

// A worker that lived this long before dying is restarted at once; one that dies sooner is
// restarted after 0.1 s, then 0.2 s, 0.4 s ... up to 30 s, so a crash loop cannot spin.
const STABLE_MS = 10_000;
const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 30_000;
// Beyond the workers' own drain deadline, how long the primary waits before SIGKILL.
const KILL_GRACE_MS = 5_000;

interface Slot {
  readonly index: number;
  /** "http" serves requests; "jobs" runs label jobs only (LABELS_JOBS_ONLY in its env). */
  readonly role: "http" | "jobs";
  worker?: Worker;
  startedAt: number;
  failures: number;
  restart?: NodeJS.Timeout;
}

/**
 * Runs the primary until SIGTERM/SIGINT, then exits 0 when every worker drained cleanly (1 when
 * one had to be cut off). Rejects before forking if the key database cannot be opened; exits 1
 * if the first workers all die before any listens (port taken, bad database...).
 */
export async function runPrimary(config: Config, log: ServiceLog): Promise<void> {
  const { logger } = log;
  // 1. Once, not per worker: the key schema and the first key on an empty store.
  const keys = await openKeyStore(config, { refreshMs: 0, flushMs: 0 });
  let firstKey: string | null;
  try {
    firstKey = await keys.createFirstKey();
  } finally {
    await keys.close();
  }
  // 2. The workers' shared counters (rate limits without Redis; Redis's insurance with it).
  const counting = startClusterCounting();
  // 3. Metrics: the sum over every worker, plus the primary's own.
  const own = new client.Registry();
  const restarts = new client.Counter({
    name: "dm_worker_restarts_total",
    help: "Workers that died and were replaced.",
    registers: [own],
  });
  trackIps(own, () => counting.trackedBounded());
  let metricsServer: Server | undefined;
  if (config.metricsPort !== null) {
    const aggregator = new client.AggregatorRegistry();
    metricsServer = await startMetricsServer(
      config.metricsPort,
      config.host,
      async () => (await aggregator.clusterMetrics()) + (await own.metrics()),
    );
  }

  // 4. The workers.
  const slots: Slot[] = [];
  const bySlot = new Map<Worker, Slot>();
  let listening = 0;
  let everListened = false;
  let stopping = false;

  const fork = (slot: Slot) => {
    slot.restart = undefined;
    slot.startedAt = Date.now();
    // Measured: 100 HRI PNGs of 4 megapixels at once took RSS from 88 to 126 MB and back to 85
    // MB within a minute with these malloc settings; with glibc's defaults, to 193 MB, still
    // 166 MB a minute later.
    const role =
      slot.role === "jobs"
        ? { LABELS_JOBS_ONLY: "true" }
        : config.labels.runJobs
          ? { LABELS_RUN_JOBS: "false" }
          : {};
    const worker = cluster.fork({ ...config.workerMalloc, ...role });
    // Connections handed to it that it never took (it died first) are answered, not left open.
    answerOrphanedHandoffs(worker, Date.now, (count) =>
      logger.warn(
        { worker_pid: worker.process.pid, connections: count },
        "answered 503 on connections a dead worker never took",
      ),
    );
    slot.worker = worker;
    bySlot.set(worker, slot);
  };

  cluster.on("message", (worker, message: WorkerMessage) => {
    if (message?.type !== "dm:listening") return;
    if (!everListened && firstKey !== null) {
      process.stderr.write(firstKeyBanner(firstKey, message.url));
      firstKey = null;
    }
    everListened = true;
    listening++;
    if (listening === config.workers) {
      logger.info({ url: message.url, workers: config.workers }, "listening");
    }
    logger.debug({ worker_pid: worker.process.pid }, "worker ready");
  });

  const allExited = new Promise<boolean>((resolve) => {
    let clean = true;
    cluster.on("exit", (worker, code, signal) => {
      const slot = bySlot.get(worker);
      bySlot.delete(worker);
      if (slot === undefined) return;
      slot.worker = undefined;
      if (stopping) {
        clean &&= code === 0;
        if (slots.every((s) => s.worker === undefined)) resolve(clean);
        return;
      }
      if (!everListened) {
        logger.error({ worker_pid: worker.process.pid, code, signal }, "a worker failed to start");
        stopping = true;
        for (const s of slots) s.worker?.process.kill("SIGKILL");
        log.flushThen(() => process.exit(1));
        return;
      }
      restarts.inc();
      const lived = Date.now() - slot.startedAt;
      slot.failures = lived >= STABLE_MS ? 0 : slot.failures + 1;
      const delay =
        slot.failures === 0 ? 0 : Math.min(FIRST_DELAY_MS * 2 ** (slot.failures - 1), MAX_DELAY_MS);
      logger.warn(
        { worker_pid: worker.process.pid, code, signal, lived_ms: lived, restart_in_ms: delay },
        "worker exited unexpectedly; starting a replacement",
      );
      slot.restart = setTimeout(() => fork(slot), delay);
    });
  });

  for (let i = 0; i < config.workers; i++) {
    const slot: Slot = { index: i, role: "http", startedAt: 0, failures: 0 };
    slots.push(slot);
    fork(slot);
  }
  if (config.labels.runJobs) {
    const slot: Slot = { index: config.workers, role: "jobs", startedAt: 0, failures: 0 };
    slots.push(slot);
    fork(slot);
  }

  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: draining every worker");
    for (const slot of slots) clearTimeout(slot.restart);
    const running = slots.filter((s) => s.worker !== undefined);
    // SIGTERM even on SIGINT: a terminal's Ctrl-C already reached the workers (same process
    // group), and a worker takes a second signal as a no-op.
    for (const slot of running) slot.worker?.process.kill("SIGTERM");
    const kill = setTimeout(() => {
      for (const slot of slots) slot.worker?.process.kill("SIGKILL");
    }, config.shutdownTimeoutMs + KILL_GRACE_MS);
    const done = running.length === 0 ? Promise.resolve(true) : allExited;
    done.then((clean) => {
      clearTimeout(kill);
      metricsServer?.close();
      logger.info({ clean }, "stopped");
      log.flushThen(() => process.exit(clean ? 0 : 1));
    });
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
