// Prometheus metrics (prom-client) on their own port, never the public one: requests by route,
// status and format, render time, 429s by tier, store errors and key snapshot age, plus Node's
// process metrics. With several workers the primary serves the sum over all of them.
import cluster from "node:cluster";
import { createServer, type Server } from "node:http";
import type { NextFunction, Request, Response } from "express";
import client from "prom-client";
import type { Renderer } from "../index.js";
import type { LabelEvents } from "../labels/runner.js";

/** The service's metrics, registered in their own registry (one per app, so tests can build many). */
export interface Metrics {
  readonly registry: client.Registry;
  readonly requests: client.Counter<"route" | "status" | "format">;
  readonly renderSeconds: client.Histogram<"format">;
  readonly rateLimited: client.Counter<"tier">;
  readonly storeErrors: client.Counter<"store">;
  /** Reports the age of the key snapshot from the store's last confirmed sync (ms epoch). */
  watchKeySync(syncedAt: () => number): void;
  /** Bulk label export: what src/labels/runner.ts reports (LabelEvents). */
  readonly labels: LabelEvents;
}

/**
 * Registers in `registry` the gauge of client IPs the in-memory rate limits track (bounded by
 * RATE_LIMIT_ANONYMOUS_TRACKED per window), read from `count` at each scrape.
 */
export function trackIps(registry: client.Registry, count: () => number): void {
  new client.Gauge({
    name: "dm_rate_limit_tracked_ips",
    help: "Client IPs tracked in memory by the per-IP rate limits, over both windows.",
    registers: [registry],
    collect() {
      this.set(count());
    },
  });
}

const FORMAT_BY_TYPE: Readonly<Record<string, string>> = {
  "image/svg+xml": "svg",
  "image/png": "png",
  "application/pdf": "pdf",
  "application/postscript": "eps",
  "image/tiff": "tif",
};

/**
 * Creates the registry and metrics. In a cluster worker it also answers the primary's
 * aggregation requests with this registry (prom-client's AggregatorRegistry protocol).
 */
export function createMetrics(): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  let syncedAt: (() => number) | undefined;
  const metrics: Metrics = {
    registry,
    requests: new client.Counter({
      name: "dm_http_requests_total",
      help: "HTTP responses by route, status and image format (empty when no image was sent).",
      labelNames: ["route", "status", "format"],
      registers: [registry],
    }),
    renderSeconds: new client.Histogram({
      name: "dm_render_duration_seconds",
      help: "Time to validate, encode and draw one symbol.",
      labelNames: ["format"],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers: [registry],
    }),
    rateLimited: new client.Counter({
      name: "dm_rate_limited_total",
      help: "Requests refused with 429, by tier (key, anonymous per IP, unverified per IP).",
      labelNames: ["tier"],
      registers: [registry],
    }),
    storeErrors: new client.Counter({
      name: "dm_store_errors_total",
      help: "Failed calls to a store (redis or database).",
      labelNames: ["store"],
      registers: [registry],
    }),
    watchKeySync: (source) => {
      syncedAt = source;
    },
    labels: labelEvents(registry),
  };
  new client.Gauge({
    name: "dm_key_snapshot_age_seconds",
    help: "Seconds since the in-memory key snapshot was last confirmed current (refresh lag).",
    registers: [registry],
    // Across workers the worst one matters.
    aggregator: "max",
    collect() {
      if (syncedAt !== undefined) this.set((Date.now() - syncedAt()) / 1000);
    },
  });
  if (cluster.isWorker) {
    client.AggregatorRegistry.setRegistries([registry]);
    // Constructing one registers the worker's answer to the primary's requests.
    new client.AggregatorRegistry();
  }
  return metrics;
}

// Label-export metrics: job lifecycle events, jobs running, labels rendered (rate() gives
// labels/s) and how long jobs waited in the queue.
function labelEvents(registry: client.Registry): LabelEvents {
  const jobs = new client.Counter({
    name: "dm_label_jobs_total",
    help: "Label-export job events: submitted, started, completed, failed, canceled, paused.",
    labelNames: ["event"],
    registers: [registry],
  });
  const running = new client.Gauge({
    name: "dm_label_jobs_running",
    help: "Label-export jobs running in this process (summed over workers).",
    registers: [registry],
  });
  const rendered = new client.Counter({
    name: "dm_labels_rendered_total",
    help: "Labels rendered into export archives.",
    registers: [registry],
  });
  const wait = new client.Histogram({
    name: "dm_label_queue_wait_seconds",
    help: "Time from a job's submission to its first start.",
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
    registers: [registry],
  });
  return {
    job: (event) => jobs.inc({ event }),
    running: (delta) => running.inc(delta),
    rendered: (n) => rendered.inc(n),
    queueWait: (seconds) => wait.observe(seconds),
  };
}

/**
 * Returns middleware that counts every response (finished or aborted) by route, status and the
 * format of the image sent. The route label is the request path when it is one of `routes`
 * (the API's fixed paths), else "other" (preview assets, unknown paths): never the raw path, so
 * the label set stays bounded whatever clients send.
 */
export function countRequests(metrics: Metrics, routes: readonly string[]) {
  const known = new Set(routes);
  return function countRequest(req: Request, res: Response, next: NextFunction): void {
    res.on("close", () => {
      const type = res.getHeader("content-type");
      metrics.requests.inc({
        route: known.has(req.path) ? req.path : "other",
        status: res.statusCode,
        format: typeof type === "string" ? (FORMAT_BY_TYPE[type] ?? "") : "",
      });
    });
    next();
  };
}

/**
 * Returns `render` timed into the render histogram, by the format it produced; what `render`
 * resolves to passes through unchanged (a renderer's extra fields included).
 */
export function timeRenders<T extends Awaited<ReturnType<Renderer>>>(
  render: (payload: unknown) => Promise<T>,
  metrics: Metrics,
): (payload: unknown) => Promise<T> {
  return async (payload) => {
    const stop = metrics.renderSeconds.startTimer();
    const image = await render(payload);
    stop({ format: FORMAT_BY_TYPE[image.contentType] ?? "" });
    return image;
  };
}

/**
 * Serves `GET /metrics` on `host`:`port` with whatever `collect` resolves to (text exposition
 * format). Resolves once listening; the server is unref'd so it never keeps a process alive.
 */
export async function startMetricsServer(
  port: number,
  host: string,
  collect: () => Promise<string>,
): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url !== "/metrics" || (req.method !== "GET" && req.method !== "HEAD")) {
      res
        .writeHead(404, { "Content-Type": "text/plain", "X-Content-Type-Options": "nosniff" })
        .end("Not found: try GET /metrics\n");
      return;
    }
    const nosniff = { "X-Content-Type-Options": "nosniff" };
    collect().then(
      (text) =>
        res.writeHead(200, { "Content-Type": client.register.contentType, ...nosniff }).end(text),
      (err: Error) =>
        res.writeHead(500, { "Content-Type": "text/plain", ...nosniff }).end(`${err.message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  server.unref();
  return server;
}
