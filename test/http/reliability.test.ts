// The service as `npm start` runs it, under the faults and floods an operator meets: a flood of
// distinct client addresses, (more to come: render bursts, store faults, keep-alive clients
// through SIGTERM). Each proof reads the server's own figures (RSS from /proc, its logs).
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../helpers/services.js";
import { SLOW, start, stopAll } from "./fleet.js";
import { DATAMATRIX } from "./helpers.js";

afterEach(stopAll);

/** The resident set size of process `pid`, in MB. */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024;
}

/** POSTs `{}` without a key from local address `from` on a connection of its own. */
function postFrom(port: number, from: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        localAddress: from,
        agent: false,
        method: "POST",
        path: DATAMATRIX,
        headers: { "content-type": "application/json" },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end("{}");
  });
}

describe("a flood of distinct client addresses", () => {
  it(
    "keeps the per-IP counters bounded: 20,000 loopback addresses, 5,000 tracked per window",
    async () => {
      const metricsPort = await freePort();
      const s = await start({
        RATE_LIMIT_ANONYMOUS_TRACKED: "5000",
        METRICS_PORT: String(metricsPort),
      });
      const { port } = new URL(s.url);
      const pid = s.proc.pid as number;
      const before = rssMb(pid);
      const statuses = new Map<number, number>();
      let next = 0;
      const total = 20_000;
      // 127.0.0.0/8 is all loopback on Linux: every request from an address of its own.
      const client = async () => {
        while (next < total) {
          const i = next++;
          const from = `127.${1 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
          const status = await postFrom(Number(port), from);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      };
      await Promise.all(Array.from({ length: 50 }, client));
      expect(Object.fromEntries(statuses)).toEqual({ 401: total });
      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      const tracked = Number(/^dm_rate_limit_tracked_ips (\d+)$/m.exec(metrics)?.[1]);
      // Two windows (minute, day), each at most 5,000 addresses.
      expect(tracked).toBeGreaterThan(8000);
      expect(tracked).toBeLessThanOrEqual(10_000);
      // Generous: V8's heap grows under load whatever is retained.
      expect(rssMb(pid) - before).toBeLessThan(100);
    },
    SLOW,
  );
});
