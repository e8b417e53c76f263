// `npm start`: configuration, then one server process (WORKERS=1) or a cluster primary that runs
// WORKERS of them (cluster.ts). A server process opens the stores, listens, creates the first
// key on an empty store (unless the primary did), and stops gracefully on SIGTERM/SIGINT (stop
// accepting, finish in-flight requests, close the stores).
import cluster from "node:cluster";
import { realpathSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setPriority } from "node:os";
import { pathToFileURL } from "node:url";
import type { Logger } from "pino";
import { SESSION_MAX_MS } from "../accounts/accounts.js";
import { systemClock } from "../clock.js";
import { type Config, ConfigError, loadConfig } from "../config.js";
import { describeError } from "../describe-error.js";
import type { Renderer } from "../index.js";
import { planQrRender, planRender } from "../index.js";
import { openLabels } from "../labels/open.js";
import { createApp } from "./app.js";
import { firstKeyBanner, serverUrl } from "./banner.js";
import { answerClientErrors, answerExpectations } from "./client-errors.js";
import { runPrimary, type WorkerMessage } from "./cluster.js";
import { createLog, type ServiceLog } from "./logger.js";
import { createMetrics, startMetricsServer } from "./metrics.js";
import { bearerCheck } from "./middleware/bearer.js";
import { gatedRenderer, renderGate } from "./render-gate.js";
import { openStores } from "./stores.js";

/** A listening server and the way to stop it. */
export interface RunningServer {
  readonly server: Server;
  /** Base URL, e.g. http://localhost:3000. */
  readonly url: string;
  /**
   * Stops accepting connections, lets in-flight requests finish (closing keep-alive connections
   * as they go idle), then closes the stores. Resolves true when everything drained, false
   * when `config.shutdownTimeoutMs` ran out and the remaining connections were cut.
   */
  stop(): Promise<boolean>;
}

/** What startServer needs besides the configuration. */
export interface ServerOptions {
  render: Renderer;
  /** The QR renderer (default: in process, ungated; serve() passes the gated one). */
  renderQr?: Renderer;
  logger: Logger;
  /** Where the first-start banner with the new key goes (default: stderr). */
  announce?: (text: string) => void;
}

/**
 * Opens the stores (see stores.ts), builds the app and listens on `config.host`:`config.port`.
 * Outside a cluster it also creates and announces the first key when the store has none, and
 * serves metrics on `config.metricsPort` when set (in a cluster the primary does both). Rejects
 * if the port is taken or the key database cannot be opened.
 */
export async function startServer(config: Config, options: ServerOptions): Promise<RunningServer> {
  const { logger } = options;
  const inCluster = cluster.isWorker;
  const metrics = config.metricsPort === null ? undefined : createMetrics();
  const stores = await openStores(config, { logger, metrics });
  const labels = await openLabels(config, logger, {
    run: config.labels.runJobs,
    events: metrics?.labels,
  });
  const lifecycle = { cutAtDeadline: false };
  const app = createApp({
    lifecycle,
    logRequests: config.logRequests,
    render: options.render,
    renderQr: options.renderQr,
    keys: stores.keys,
    limiter: stores.limiter,
    logger,
    limits: {
      keyDefault: config.keyLimits,
      anonymous: config.anonymousLimits,
      unverified: config.unverifiedLimits,
    },
    trustProxy: config.trustProxy,
    readiness: stores.readiness,
    metrics,
    oauth: config.oauth
      ? {
          check: bearerCheck({
            issuer: config.oauth.issuer,
            audience: config.oauth.audience,
            jwksUri: config.oauth.jwksUri,
            logger,
            // A token naming a user's email acts for that user on the Account API.
            userIdByEmail: async (email) => {
              const user = await stores.accounts.userByEmail(email);
              return user === undefined || user.disabled ? undefined : user.id;
            },
          }),
          scope: config.oauth.scope,
        }
      : undefined,
    accounts: { service: stores.accounts, keys: stores.keys, sessionMaxMs: SESSION_MAX_MS },
    corsOrigins: config.corsOrigins,
    labels: {
      service: labels.service,
      secret: labels.secret,
      maxUploadBytes: config.labels.maxUploadBytes,
      now: () => Date.now(),
      documented: {
        maxItems: config.labels.maxItems,
        perDay: config.labels.perDay,
        maxActive: config.labels.maxActive,
        maxUploadMb: config.labels.maxUploadBytes / 1024 / 1024,
        ttlHours: config.labels.ttlHours,
      },
    },
  });

  const server = createServer(
    {
      headersTimeout: config.headersTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      keepAliveTimeout: config.keepAliveTimeoutMs,
      // How often Node looks for requests past those timeouts: its default, 30 s, would let a
      // 10 s timeout run to 40 s.
      connectionsCheckingInterval: 1000,
    },
    app,
  );
  answerClientErrors(server, logger, systemClock);
  answerExpectations(server, logger, systemClock);
  // Expect: 100-continue: Node would answer 100 at once, inviting the body before anyone checked
  // the caller. Handled as a plain request instead; jsonBody sends the 100 when it needs the
  // body, so a refused caller (401, 429, 415, 413) never uploads it.
  server.on("checkContinue", (req, res) => server.emit("request", req, res));
  let metricsServer: Server | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(config.port, config.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    if (metrics && !inCluster && config.metricsPort !== null) {
      metricsServer = await startMetricsServer(config.metricsPort, config.host, () =>
        metrics.registry.metrics(),
      );
    }
  } catch (err) {
    server.close();
    await labels.close();
    await stores.close();
    throw err;
  }
  const url = serverUrl(config.host, (server.address() as AddressInfo).port);

  if (!inCluster) {
    const key = await stores.keys.createFirstKey();
    if (key !== null)
      (options.announce ?? ((t) => process.stderr.write(t)))(firstKeyBanner(key, url));
  }

  let draining = false;
  // While draining, answer each request on a kept-alive connection with Connection: close, so
  // clients reconnect elsewhere and the connection ends with its response.
  server.prependListener("request", (_req, res) => {
    if (draining) res.setHeader("Connection", "close");
  });

  let stopped: Promise<boolean> | undefined;
  const stop = () => {
    stopped ??= new Promise<boolean>((resolve) => {
      draining = true;
      // The running label job stops at its next checkpoint and goes back to the queue.
      const labelsClosed = labels
        .close()
        .catch((err) => logger.warn({ err: String(err) }, "label export did not close cleanly"));
      let clean = true;
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      const deadline = setTimeout(() => {
        clean = false;
        lifecycle.cutAtDeadline = true;
        server.closeAllConnections();
      }, config.shutdownTimeoutMs);
      metricsServer?.close();
      server.close(() => {
        clearInterval(sweep);
        clearTimeout(deadline);
        Promise.all([labelsClosed, stores.close()]).then(
          () => resolve(clean),
          () => resolve(false),
        );
      });
      server.closeIdleConnections();
    });
    return stopped;
  };

  const fields = {
    url,
    keys: stores.keys.location,
    rate_limits: config.redisUrl === null ? (inCluster ? "cluster" : "memory") : "redis",
  };
  if (inCluster) logger.info(fields, "worker listening");
  else logger.info(fields, "listening");
  return { server, url, stop };
}

/** Runs one server process until SIGTERM/SIGINT (or, as a worker, until the primary goes). */
async function serve(config: Config, log: ServiceLog): Promise<void> {
  const { logger } = log;
  const gate = renderGate({
    concurrency: config.heavyRenders,
    maxWaitMs: config.renderQueueMs,
  });
  // QR shares the gate: a heavy QR PNG waits with the heavy DataMatrix ones.
  const running = await startServer(config, {
    render: gatedRenderer(planRender, gate),
    renderQr: gatedRenderer(planQrRender, gate),
    logger,
  });
  if (cluster.isWorker) {
    const message: WorkerMessage = { type: "dm:listening", url: running.url };
    process.send?.(message);
  }

  let stopping = false;
  const onSignal = (signal: string) => {
    // A second signal while draining changes nothing: the drain deadline bounds the wait.
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: draining in-flight requests");
    running.stop().then((clean) => {
      logger.info({ clean }, "stopped");
      log.flushThen(() => process.exit(clean ? 0 : 1));
    });
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  // A worker whose primary is gone (killed, crashed) stops too rather than serve unsupervised.
  if (cluster.isWorker) process.on("disconnect", () => onSignal("primary gone"));
}

/**
 * Runs label jobs only and serves no HTTP: the cluster's own job process (the primary starts
 * one beside the HTTP workers) or a dedicated runner instance (LABELS_JOBS_ONLY=true). Stops at
 * the running job's next checkpoint on SIGTERM/SIGINT, or when the primary goes.
 */
async function runJobsOnly(config: Config, log: ServiceLog): Promise<void> {
  const { logger } = log;
  // Below the HTTP workers (nice 10; the render threads lower themselves to 19): on a busy
  // machine the requests' event loops come first. On Linux this is the calling thread's value,
  // which the threads it starts inherit.
  try {
    setPriority(10);
  } catch {
    // Not permitted (some containers): the job process then runs at normal priority.
  }
  const metrics = config.metricsPort === null ? undefined : createMetrics();
  // Signals are taken from the start: the primary may stop the cluster while this opens.
  const opening = openLabels(config, logger, { run: true, events: metrics?.labels });
  let metricsServer: Server | undefined;
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: the running label job stops at its next checkpoint");
    opening
      .then((labels) => labels.close())
      .then(
        () => {
          metricsServer?.close();
          logger.info({ clean: true }, "stopped");
          log.flushThen(() => process.exit(0));
        },
        (err: unknown) => {
          logger.error({ err: describeError(err) }, "label jobs did not stop cleanly");
          log.flushThen(() => process.exit(1));
        },
      );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  if (cluster.isWorker) process.on("disconnect", () => onSignal("primary gone"));
  await opening;
  // In a cluster the primary serves every worker's metrics; alone, this process serves its own.
  if (metrics && config.metricsPort !== null && !cluster.isWorker) {
    metricsServer = await startMetricsServer(config.metricsPort, config.host, () =>
      metrics.registry.metrics(),
    );
  }
  logger.info({ threads: config.labels.threads }, "running label jobs only (no HTTP)");
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`Cannot start: ${err.message}\n`);
    process.exit(2);
  }
  const log = createLog(config.logLevel);
  try {
    if (config.labels.jobsOnly) await runJobsOnly(config, log);
    else if (config.workers > 1 && cluster.isPrimary) await runPrimary(config, log);
    else await serve(config, log);
  } catch (err) {
    process.stderr.write(`Cannot start: ${describeError(err)}\n`);
    log.flushThen(() => process.exit(1));
  }
}

/** True when this file is the program being run (node build/js/server/server.js, or via tsx). */
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  return entry !== undefined && import.meta.url === pathToFileURL(realpathSync(entry)).href;
}

if (isEntryPoint()) void main();
