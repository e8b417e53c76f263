// src/server/cluster.ts (WORKERS=2, as `npm start` runs it, no Redis, SQLite): quotas exact
// across workers through the primary's shared counters, byte-identical answers, the first key
// created once, CLI keys honoured at once by every worker, a killed worker replaced, and the
// metrics of all workers summed on METRICS_PORT.
import { request } from "node:http";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  burst,
  expectExactQuota,
  PAYLOAD,
  post,
  SLOW,
  servingPids,
  start,
  stopAll,
  tempDir,
  timeUntil,
} from "../helpers/fleet.js";
import { DATAMATRIX } from "../helpers/http.js";
import { createKeyWithCli, keysCli, usersCli } from "../helpers/processes.js";
import { freePort } from "../helpers/services.js";

afterEach(stopAll);

describe("WORKERS=2 on one port, no Redis, SQLite", () => {
  it(
    "grants exactly the quota across both workers, which answer byte-identically",
    async () => {
      const dataDir = tempDir();
      const s = await start({ DATA_DIR: dataDir, WORKERS: "2" });
      const { key } = await createKeyWithCli(dataDir, "--per-minute", "20");
      expectExactQuota(await burst([s.url], key, 60), 20);

      const { key: other } = await createKeyWithCli(dataDir);
      const answers = await Promise.all(
        Array.from({ length: 20 }, async () => {
          const res = await post(s.url, other, { ...PAYLOAD, format: "pdf" });
          return `${res.status} ${res.headers.get("etag")} ${Buffer.from(await res.arrayBuffer()).toString("base64")}`;
        }),
      );
      expect(new Set(answers).size).toBe(1);
      expect(answers[0].startsWith("200 ")).toBe(true);
      // Both workers served (the primary balances connections round-robin).
      await vi.waitFor(() => expect(servingPids(s).size).toBe(2), { timeout: 3000 });
    },
    SLOW,
  );

  it(
    "creates the first key once, accepts CLI keys at once and refuses revoked ones within 1 s",
    async () => {
      const dataDir = tempDir();
      const s = await start({ DATA_DIR: dataDir, WORKERS: "2" });
      expect(s.stderr().match(/csb_/g)).toHaveLength(2); // one banner: the key and the curl
      const { id, key } = await createKeyWithCli(dataDir);
      const statuses = await Promise.all(
        Array.from({ length: 10 }, async () => (await post(s.url, key)).status),
      );
      expect(statuses).toEqual(Array(10).fill(200));
      expect((await keysCli(dataDir, "list")).stdout.trimEnd().split("\n")).toHaveLength(3);

      expect((await keysCli(dataDir, "revoke", String(id))).code).toBe(0);
      const revokedAt = performance.now();
      // Every worker: ten requests in a row must all be refused.
      await timeUntil(async () => {
        const codes = await Promise.all(
          Array.from({ length: 10 }, async () => (await post(s.url, key)).status),
        );
        return codes.every((c) => c === 401);
      });
      expect(performance.now() - revokedAt).toBeLessThan(1000);
    },
    SLOW,
  );

  it(
    "ends every client connection within seconds when workers are SIGKILLed under new connections",
    async () => {
      const dataDir = tempDir();
      const s = await start({ DATA_DIR: dataDir, WORKERS: "2" });
      const { key } = await createKeyWithCli(
        dataDir,
        "--per-minute",
        "1000000",
        "--per-day",
        "1000000000",
      );
      const { port } = new URL(s.url);
      const body = JSON.stringify(PAYLOAD);
      // One request on a connection of its own: what it got and how long it took to end.
      const once = () =>
        new Promise<{ outcome: string; ms: number }>((resolve) => {
          const started = performance.now();
          const done = (outcome: string) => resolve({ outcome, ms: performance.now() - started });
          const req = request(
            {
              host: "127.0.0.1",
              port,
              agent: false,
              method: "POST",
              path: DATAMATRIX,
              headers: {
                "content-type": "application/json",
                "x-api-key": key,
                connection: "close",
              },
              timeout: 15_000,
            },
            (res) => {
              res.resume();
              res.on("end", () => done(String(res.statusCode)));
              res.on("error", (err) => done(`error ${(err as NodeJS.ErrnoException).code}`));
            },
          );
          req.on("timeout", () => {
            req.destroy();
            done("hung");
          });
          req.on("error", (err) => done(`error ${(err as NodeJS.ErrnoException).code}`));
          req.end(body);
        });

      let running = true;
      const results: { outcome: string; ms: number }[] = [];
      const clients = Array.from({ length: 16 }, async () => {
        while (running) results.push(await once());
      });
      const known = new Set<number>();
      for (let round = 0; round < 3; round++) {
        const listening = s.logs().filter((l) => l.msg === "worker listening");
        const alive = listening.map((l) => l.pid as number).filter((pid) => !known.has(pid));
        const before = results.length;
        await vi.waitFor(() => expect(results.length).toBeGreaterThan(before + 100), {
          timeout: 10_000,
        });
        const victim = alive[0];
        known.add(victim);
        process.kill(victim, "SIGKILL");
        await s.waitForLog(
          (l) =>
            l.msg === "worker listening" &&
            !known.has(l.pid as number) &&
            !alive.includes(l.pid as number),
        );
      }
      running = false;
      await Promise.all(clients);
      const outcomes: Record<string, number> = {};
      for (const r of results) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
      const slowest = Math.max(...results.map((r) => r.ms));
      console.log(
        `${results.length} connections: ${JSON.stringify(outcomes)}; slowest ${slowest.toFixed(0)} ms`,
      );
      expect(outcomes.hung ?? 0).toBe(0);
      expect(slowest).toBeLessThan(5_000);
      // Served, reset with the worker that was answering them, or, for connections handed to a
      // worker as it died, answered 503 (retryable) by the primary.
      for (const outcome of Object.keys(outcomes)) {
        expect(["200", "503", "error ECONNRESET"]).toContain(outcome);
      }
    },
    SLOW,
  );

  it(
    "replaces a worker killed with SIGKILL; only requests in flight on it fail",
    async () => {
      const dataDir = tempDir();
      const s = await start({ DATA_DIR: dataDir, WORKERS: "2" });
      const { key } = await createKeyWithCli(
        dataDir,
        "--per-minute",
        "1000000",
        "--per-day",
        "1000000000",
      );
      const workers = s.logs().filter((l) => l.msg === "worker listening");
      expect(workers).toHaveLength(2);
      const victim = workers[0].pid as number;

      // Ten clients in a loop; the worker dies under them.
      let running = true;
      const statuses: number[] = [];
      const failures: string[] = [];
      const clients = Array.from({ length: 10 }, async () => {
        while (running) {
          try {
            const res = await post(s.url, key);
            await res.arrayBuffer();
            statuses.push(res.status);
          } catch (err) {
            failures.push(String((err as Error).cause ?? err));
          }
        }
      });
      await vi.waitFor(() => expect(statuses.length).toBeGreaterThan(50));
      process.kill(victim, "SIGKILL");
      const exit = await s.waitForLog(
        (l) => l.msg === "worker exited unexpectedly; starting a replacement",
      );
      expect(exit).toMatchObject({ worker_pid: victim, signal: "SIGKILL" });
      await s.waitForLog(
        (l) => l.msg === "worker listening" && l.pid !== workers[0].pid && l.pid !== workers[1].pid,
      );
      const before = statuses.length;
      await vi.waitFor(() => expect(statuses.length).toBeGreaterThan(before + 100));
      running = false;
      await Promise.all(clients);
      // Every response was a 200, but for connections handed to the victim that it never took,
      // which the primary answers 503 (src/server/handoff.ts); at most the ten requests in
      // flight on the victim failed or got that 503.
      const orphaned = statuses.filter((status) => status === 503).length;
      expect(statuses.filter((status) => status !== 200 && status !== 503)).toEqual([]);
      expect(failures.length + orphaned).toBeLessThanOrEqual(10);
      expect(s.proc.exitCode).toBeNull();
    },
    SLOW,
  );

  it(
    "serves Prometheus metrics summed over the workers on METRICS_PORT only",
    async () => {
      const dataDir = tempDir();
      const metricsPort = await freePort();
      const s = await start({ DATA_DIR: dataDir, WORKERS: "2", METRICS_PORT: String(metricsPort) });
      const { key } = await createKeyWithCli(dataDir, "--per-minute", "30");
      const outcomes = await burst([s.url], key, 40);
      await post(s.url, key, PAYLOAD, { "if-none-match": "*" });
      expect(outcomes.filter((o) => o.status === 200)).toHaveLength(30);
      await vi.waitFor(() => expect(servingPids(s).size).toBe(2), { timeout: 3000 });

      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      const value = (line: string) =>
        Number(
          text
            .split("\n")
            .find((l) => l.startsWith(`${line} `))
            ?.split(" ")[1],
        );
      const route = `route="${DATAMATRIX}"`;
      expect(value(`dm_http_requests_total{${route},status="200",format="svg"}`)).toBe(30);
      expect(value(`dm_http_requests_total{${route},status="429",format=""}`)).toBe(11);
      expect(value('dm_rate_limited_total{tier="key"}')).toBe(11);
      expect(value('dm_render_duration_seconds_count{format="svg"}')).toBe(30);
      expect(value("dm_worker_restarts_total")).toBe(0);
      expect(text).toContain("dm_key_snapshot_age_seconds ");
      expect(text).toContain("process_cpu_seconds_total ");
      // Not on the public port.
      expect((await fetch(`${s.url}/metrics`)).status).toBe(404);
    },
    SLOW,
  );

  it(
    "throttles sign-in failures per account and client across workers, never the other clients",
    async () => {
      const dataDir = tempDir();
      const s = await start({ DATA_DIR: dataDir, WORKERS: "2", TRUST_PROXY: "1" });
      const password = "a passphrase nobody guesses";
      const made = await usersCli(
        { DATA_DIR: dataDir },
        ["create", "--email", "kim@example.com", "--password-stdin"],
        password,
      );
      expect(made.code).toBe(0);
      // A connection of its own per attempt, so the primary spreads them over both workers.
      const attempt = async (from: string, pass: string) => {
        const res = await fetch(`${s.url}/account/login`, {
          method: "POST",
          redirect: "manual",
          headers: {
            "content-type": "application/json",
            "x-forwarded-for": from,
            connection: "close",
          },
          body: JSON.stringify({ email: "kim@example.com", password: pass }),
        });
        await res.arrayBuffer();
        return res.status;
      };
      const guesses = [];
      for (let i = 0; i < 6; i++) guesses.push(await attempt("198.51.100.1", "wrong-wrong-wrong"));
      expect(guesses).toEqual([401, 401, 401, 401, 401, 429]);
      expect(await attempt("198.51.100.2", password)).toBe(303);
      // Both workers answered sign-ins: the counts (and the peeks at them) are the primary's.
      await vi.waitFor(() =>
        expect(
          new Set(
            s
              .logs()
              .filter((l) => l.path === "/account/login")
              .map((l) => l.pid),
          ).size,
        ).toBe(2),
      );
    },
    SLOW,
  );

  it(
    "drains every worker on SIGTERM, finishing requests in flight, and exits 0",
    async () => {
      const dataDir = tempDir();
      const s = await start({ DATA_DIR: dataDir, WORKERS: "2" });
      const { key } = await createKeyWithCli(dataDir);
      const workers = s
        .logs()
        .filter((l) => l.msg === "worker listening")
        .map((l) => l.pid);
      // PNGs with HRI take a while to draw: some are in flight on both workers at the signal.
      const inFlight = Array.from({ length: 8 }, () =>
        post(s.url, key, { ...PAYLOAD, format: "png", hri: true, dpi: 600 }).then(async (res) => {
          await res.arrayBuffer();
          return res.status;
        }),
      );
      await new Promise((r) => setTimeout(r, 50));
      s.proc.kill("SIGTERM");
      expect(await Promise.all(inFlight)).toEqual(Array(8).fill(200));
      expect(await s.exited).toBe(0);
      const stopped = s.logs().filter((l) => l.msg === "stopped");
      // The HTTP workers, the label job process and the primary, each cleanly.
      const jobs = s.logs().find((l) => l.msg === "running label jobs only (no HTTP)")?.pid;
      expect(stopped.map((l) => [l.pid, l.clean]).sort()).toEqual(
        [...workers, jobs, s.proc.pid].map((pid) => [pid, true]).sort(),
      );
    },
    SLOW,
  );
});
