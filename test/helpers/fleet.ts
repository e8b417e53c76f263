// Processes for the scale-out tests (cluster.test.ts, stores.test.ts): server instances as
// `npm start` runs them, on real Redis and PostgreSQL with a key prefix and a database per test,
// bursts of simultaneous requests, and the checks that quotas held exactly.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, vi } from "vitest";
import { DATAMATRIX } from "./http.js";
import { type ServerProcess, startServerProcess } from "./processes.js";
import {
  cleanupRedisPrefix,
  createTestDatabase,
  sharedRedisUrl,
  type TestDatabase,
  uniquePrefix,
} from "./services.js";

export const PAYLOAD = { gtin: "09506000134352", lot: "SCALE", expiry: "270630" };
// Each test starts processes and real servers; the machine has two cores.
export const SLOW = 120_000;

const servers: ServerProcess[] = [];
/** Undo steps stopAll() runs, last registered first (a test may add its own, e.g. nginx). */
export const cleanups: (() => Promise<unknown> | unknown)[] = [];
/** Stops every process started and undoes every cleanup registered since the last call. */
export async function stopAll(): Promise<void> {
  for (const s of servers.splice(0)) {
    if (s.proc.exitCode === null) {
      s.proc.kill("SIGKILL");
      await s.exited;
    }
  }
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

/** Returns a temporary directory removed by stopAll(). */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "dm-scale-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Creates a database of its own on the shared PostgreSQL, dropped by stopAll(). */
export async function testDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  return db;
}

/** Returns a Redis key prefix of its own on the shared Redis, emptied by stopAll(). */
export function redisPrefix(): string {
  const prefix = uniquePrefix("scale");
  cleanups.push(() => cleanupRedisPrefix(sharedRedisUrl(), prefix));
  return prefix;
}

// Probes refused with 401 (a revoked key) count against the client IP's anonymous tier; these
// tests poll that way, and are not about that tier.
const ANONYMOUS_UNLIMITED = {
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: "1000000",
  RATE_LIMIT_ANONYMOUS_PER_DAY: "1000000000",
};

/** Starts `npm start` (src/server/server.ts) with one worker unless `env` says otherwise. */
export async function start(env: Record<string, string>): Promise<ServerProcess> {
  const s = await startServerProcess({
    DATA_DIR: tempDir(),
    WORKERS: "1",
    ...ANONYMOUS_UNLIMITED,
    ...env,
  });
  servers.push(s);
  return s;
}

// No request of these tests should take long; one that does has failed (a connection lost
// with a killed process, say) rather than being waited on forever.
const REQUEST_TIMEOUT_MS = 15_000;

/** POSTs `body` to the endpoint of `base` with `key`; rejects after 15 s without an answer. */
export function post(base: string, key: string, body: unknown = PAYLOAD, headers = {}) {
  return fetch(base + DATAMATRIX, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": key, ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
}

/** What a request of a burst got back. */
export interface Outcome {
  status: number;
  remaining: string | null;
  reset: string | null;
  retryAfter: string | null;
}

/** Sends `n` requests at once, spread round-robin over `bases`; resolves to each outcome. */
export async function burst(bases: string[], key: string, n: number): Promise<Outcome[]> {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const res = await post(bases[i % bases.length], key);
      await res.arrayBuffer();
      return {
        status: res.status,
        remaining: res.headers.get("ratelimit-remaining"),
        reset: res.headers.get("ratelimit-reset"),
        retryAfter: res.headers.get("retry-after"),
      };
    }),
  );
}

/** Asserts exactly `quota` of the outcomes were admitted, with consistent RateLimit headers. */
export function expectExactQuota(outcomes: Outcome[], quota: number): void {
  const ok = outcomes.filter((o) => o.status === 200);
  const limited = outcomes.filter((o) => o.status === 429);
  expect({ ok: ok.length, limited: limited.length }).toEqual({
    ok: quota,
    limited: outcomes.length - quota,
  });
  // Each admitted request saw a different count: remaining quota-1 ... 0, once each.
  expect(ok.map((o) => Number(o.remaining)).sort((a, b) => a - b)).toEqual(
    Array.from({ length: quota }, (_, i) => i),
  );
  for (const o of limited) {
    expect(o.remaining).toBe("0");
    expect(o.retryAfter).toBe(o.reset);
    expect(Number(o.retryAfter)).toBeGreaterThan(0);
    expect(Number(o.retryAfter)).toBeLessThanOrEqual(60);
  }
}

/** Resolves to how long, in ms, until `check` holds (polling every 20 ms), failing after 5 s. */
export async function timeUntil(check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  await vi.waitFor(
    async () => {
      if (!(await check())) throw new Error("not yet");
    },
    { timeout: 5000, interval: 20 },
  );
  return performance.now() - started;
}

/** Pids of the processes that logged a request to the endpoint. */
export function servingPids(s: ServerProcess): Set<number> {
  return new Set(
    s
      .logs()
      .filter((l) => l.msg === "request" && l.path === DATAMATRIX)
      .map((l) => l.pid as number),
  );
}
