// src/server/metrics.ts: responses counted by bounded route label, status and image format
// (aborted ones too), renders timed by format, the key snapshot age, and the metrics server's
// answers — read back as Prometheus text from a real scrape.
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  countRequests,
  createMetrics,
  startMetricsServer,
  timeRenders,
} from "../../src/server/metrics.js";
import { type Served, serve } from "../helpers/serve.js";
import { freePort } from "../helpers/services.js";

let served: Served | undefined;
let closeMetrics: (() => void) | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
  closeMetrics?.();
  closeMetrics = undefined;
});

// The value of the sample line `name{labels}` in Prometheus text, or undefined.
function sample(text: string, line: string): number | undefined {
  const found = text.split("\n").find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe("countRequests", () => {
  it("counts by known route, status and image format, and other paths as 'other'", async () => {
    const metrics = createMetrics();
    served = await serve((app) => {
      app.use(countRequests(metrics, ["/image"]));
      app.get("/image", (_req, res) => {
        res.type("image/png").send(Buffer.from([1]));
      });
      app.get("/whatever/:id", (_req, res) => {
        res.status(404).type("text/plain").send("no");
      });
    });
    for (let i = 0; i < 3; i++) await (await fetch(`${served.url}/image`)).arrayBuffer();
    await (await fetch(`${served.url}/whatever/1`)).text();
    await (await fetch(`${served.url}/whatever/2`)).text();
    const text = await metrics.registry.metrics();
    expect(sample(text, 'dm_http_requests_total{route="/image",status="200",format="png"}')).toBe(
      3,
    );
    expect(sample(text, 'dm_http_requests_total{route="other",status="404",format=""}')).toBe(2);
    expect(text).not.toContain("/whatever/1");
  });
});

describe("timeRenders", () => {
  it("observes one render per call under the format it produced, and passes the image on", async () => {
    const metrics = createMetrics();
    const render = timeRenders(
      async () => ({ body: Buffer.from("<svg/>"), contentType: "image/svg+xml" }),
      metrics,
    );
    const image = await render({});
    expect(image.body.toString()).toBe("<svg/>");
    await render({});
    const text = await metrics.registry.metrics();
    expect(sample(text, 'dm_render_duration_seconds_count{format="svg"}')).toBe(2);
  });
});

describe("watchKeySync", () => {
  it("reports the age of the last confirmed sync in seconds", async () => {
    const metrics = createMetrics();
    // A fixed instant: read inside the callback, Date.now() could tick between the metric's
    // own reading and this one, and the age come out 89.999.
    const syncedAt = Date.now() - 90_000;
    metrics.watchKeySync(() => syncedAt);
    const age = sample(await metrics.registry.metrics(), "dm_key_snapshot_age_seconds");
    expect(age).toBeGreaterThanOrEqual(90);
    expect(age).toBeLessThan(120);
  });
});

describe("startMetricsServer", () => {
  it("serves GET /metrics, 404 elsewhere, and 500 with the message when collecting fails", async () => {
    const metrics = createMetrics();
    metrics.rateLimited.inc({ tier: "key" });
    let fail = false;
    const port = await freePort();
    const server = await startMetricsServer(port, "127.0.0.1", () =>
      fail ? Promise.reject(new Error("aggregation timed out")) : metrics.registry.metrics(),
    );
    closeMetrics = () => server.close();
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const ok = await fetch(`${base}/metrics`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(await ok.text(), 'dm_rate_limited_total{tier="key"}')).toBe(1);
    const missing = await fetch(`${base}/other`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe("Not found: try GET /metrics\n");
    fail = true;
    const failed = await fetch(`${base}/metrics`);
    expect(failed.status).toBe(500);
    expect(await failed.text()).toBe("aggregation timed out\n");
  });
});
