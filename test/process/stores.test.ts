// src/server/stores.ts with real shared stores: two instances (`npm start`, own ports) on one
// Redis and one PostgreSQL database count a key's quota exactly and honour CLI changes at once,
// also behind nginx; and Redis or PostgreSQL stopped under load degrades as documented — no 5xx,
// /readyz 503, one warning — and recovers by itself.

import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { generateKey } from "../../src/keys/format.js";
import {
  burst,
  cleanups,
  expectExactQuota,
  PAYLOAD,
  post,
  redisPrefix,
  SLOW,
  servingPids,
  start,
  stopAll,
  testDatabase,
  timeUntil,
} from "../helpers/fleet.js";
import { decodeBody, expectedElementString } from "../helpers/http.js";
import { createKeyWithCli, keysCli, type ServerProcess } from "../helpers/processes.js";
import {
  freePort,
  type PrivatePostgres,
  type PrivateRedis,
  sharedRedisUrl,
  startNginx,
  startPrivatePostgres,
  startPrivateRedis,
} from "../helpers/services.js";

afterEach(stopAll);

/** The environment of an instance on the shared Redis and a PostgreSQL database of the test's own. */
async function sharedStores(): Promise<Record<string, string>> {
  const db = await testDatabase();
  return { DATABASE_URL: db.url, REDIS_URL: sharedRedisUrl(), REDIS_KEY_PREFIX: redisPrefix() };
}

describe("two instances sharing Redis and PostgreSQL", () => {
  it(
    "grant a 20/minute key exactly 20 of 60 simultaneous requests split across both",
    async () => {
      const env = await sharedStores();
      const [a, b] = await Promise.all([start(env), start(env)]);
      const { key } = await createKeyWithCli(env, "--per-minute", "20");
      expectExactQuota(await burst([a.url, b.url], key, 60), 20);
    },
    SLOW,
  );

  it(
    "accept a key the CLI just created at once, and refuse it within 1 s of its revocation",
    async () => {
      const env = await sharedStores();
      const [a, b] = await Promise.all([start(env), start(env)]);
      const { id, key } = await createKeyWithCli(env);
      // No wait: the first request to each instance already succeeds.
      expect([(await post(a.url, key)).status, (await post(b.url, key)).status]).toEqual([
        200, 200,
      ]);
      expect((await keysCli(env, "revoke", String(id))).code).toBe(0);
      const revokedAt = performance.now();
      const refused = async (s: ServerProcess) => (await post(s.url, key)).status === 401;
      await Promise.all([timeUntil(() => refused(a)), timeUntil(() => refused(b))]);
      expect(performance.now() - revokedAt).toBeLessThan(1000);
    },
    SLOW,
  );

  it(
    "answer identically (bytes and ETag) and count exactly behind nginx round-robin",
    async () => {
      const env = { ...(await sharedStores()), TRUST_PROXY: "1" };
      const [a, b] = await Promise.all([start(env), start(env)]);
      const nginx = await startNginx([new URL(a.url).host, new URL(b.url).host]);
      cleanups.push(() => nginx.stop());
      const { key } = await createKeyWithCli(env, "--per-minute", "20");

      const bodies = new Set<string>();
      const etags = new Set<string | null>();
      for (let i = 0; i < 10; i++) {
        const res = await post(nginx.url, key, { ...PAYLOAD, format: "png" });
        expect(res.status).toBe(200);
        bodies.add(Buffer.from(await res.arrayBuffer()).toString("base64"));
        etags.add(res.headers.get("etag"));
      }
      expect({ bodies: bodies.size, etags: etags.size }).toEqual({ bodies: 1, etags: 1 });
      const png = Buffer.from([...bodies][0], "base64");
      expect((await decodeBody(png, "image/png")).text).toBe(expectedElementString(PAYLOAD));
      // Both instances answered.
      await vi.waitFor(() => expect([servingPids(a).size, servingPids(b).size]).toEqual([1, 1]));
      // 10 used; the other 10 of the minute go to exactly 10 of 30 simultaneous requests.
      const outcomes = await burst([nginx.url], key, 30);
      expect(outcomes.filter((o) => o.status === 200)).toHaveLength(10);
      expect(outcomes.filter((o) => o.status === 429)).toHaveLength(20);
    },
    SLOW,
  );
});

describe("a store that goes away under load", () => {
  let redis: PrivateRedis | undefined;
  let postgres: PrivatePostgres | undefined;
  beforeAll(async () => {
    [redis, postgres] = await Promise.all([startPrivateRedis(), startPrivatePostgres()]);
  }, SLOW);
  afterAll(async () => {
    await redis?.stop();
    await postgres?.close();
  });

  /** Ten clients sending requests with `key` until stopped; counts statuses and failures. */
  function load(base: string, key: string) {
    let running = true;
    const statuses = new Map<number, number>();
    let failures = 0;
    const clients = Array.from({ length: 10 }, async () => {
      while (running) {
        try {
          const res = await post(base, key);
          await res.arrayBuffer();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        } catch {
          failures++;
        }
      }
    });
    return {
      statuses,
      total: () => [...statuses.values()].reduce((a, b) => a + b, 0),
      stop: async () => {
        running = false;
        await Promise.all(clients);
        return { statuses: Object.fromEntries(statuses), failures };
      },
    };
  }

  it(
    "Redis: no 5xx; limits counted per machine meanwhile, one warning, /readyz 503; exact again after",
    async () => {
      const r = redis as PrivateRedis;
      const env = { ...(await sharedStores()), REDIS_URL: r.url, WORKERS: "2" };
      const s = await start(env);
      const { key } = await createKeyWithCli(
        env,
        "--per-minute",
        "1000000",
        "--per-day",
        "1000000000",
      );
      expect((await fetch(`${s.url}/readyz`)).status).toBe(200);

      const traffic = load(s.url, key);
      await vi.waitFor(() => expect(traffic.total()).toBeGreaterThan(100));
      await r.stop();
      await vi.waitFor(async () => expect((await fetch(`${s.url}/readyz`)).status).toBe(503), {
        timeout: 5000,
      });
      const during = traffic.total();
      await vi.waitFor(() => expect(traffic.total()).toBeGreaterThan(during + 100));

      // The documented policy: exact per machine (the workers share the primary's counters).
      const { key: small } = await createKeyWithCli(env, "--per-minute", "5");
      expectExactQuota(await burst([s.url], small, 15), 5);

      await r.start();
      await vi.waitFor(async () => expect((await fetch(`${s.url}/readyz`)).status).toBe(200), {
        timeout: 10_000,
      });
      const result = await traffic.stop();
      expect(result).toEqual({ statuses: { 200: traffic.total() }, failures: 0 });
      // /readyz answers from one worker: wait until every worker that lost Redis has it back,
      // else a burst splits between Redis and the primary's fallback counters.
      const lost = () => s.logs().filter((l) => String(l.msg).startsWith("Redis unavailable"));
      await vi.waitFor(
        () =>
          expect(s.logs().filter((l) => l.msg === "Redis reachable again").length).toBe(
            lost().length,
          ),
        { timeout: 10_000 },
      );
      // Exact across processes again, counted in Redis.
      const { key: fresh } = await createKeyWithCli(env, "--per-minute", "20");
      expectExactQuota(await burst([s.url], fresh, 60), 20);

      const warnings = s.logs().filter((l) => String(l.msg).startsWith("Redis unavailable"));
      // One per process that saw the outage (each worker holds its own connection).
      expect(warnings.length).toBeGreaterThanOrEqual(1);
      expect(warnings.length).toBeLessThanOrEqual(2);
      expect(new Set(warnings.map((w) => w.pid)).size).toBe(warnings.length);
      expect(s.logs().filter((l) => l.msg === "Redis reachable again")).toHaveLength(
        warnings.length,
      );
    },
    SLOW,
  );

  it(
    "PostgreSQL: loaded keys keep working, unknown ones get 503, /readyz 503; recovers alone",
    async () => {
      const pg = postgres as PrivatePostgres;
      const env = { DATABASE_URL: pg.url };
      const s = await start({ ...env, WORKERS: "2" });
      const { key } = await createKeyWithCli(
        env,
        "--per-minute",
        "1000000",
        "--per-day",
        "1000000000",
      );
      expect((await post(s.url, key)).status).toBe(200);

      const traffic = load(s.url, key);
      await vi.waitFor(() => expect(traffic.total()).toBeGreaterThan(100));
      await pg.stop();
      await vi.waitFor(async () => expect((await fetch(`${s.url}/readyz`)).status).toBe(503), {
        timeout: 5000,
      });
      const during = traffic.total();
      await vi.waitFor(() => expect(traffic.total()).toBeGreaterThan(during + 100));

      // A well-formed key this instance has never seen cannot be checked: 503, not 401 or 500.
      const unknown = await post(s.url, generateKey());
      expect(unknown.status).toBe(503);
      expect(unknown.headers.get("retry-after")).toBe("5");
      expect(await unknown.json()).toMatchObject({
        error_code: "service_unavailable",
        retryable: true,
        retry_after: 5,
      });

      await pg.start();
      await vi.waitFor(async () => expect((await fetch(`${s.url}/readyz`)).status).toBe(200), {
        timeout: 10_000,
      });
      expect(await traffic.stop()).toEqual({ statuses: { 200: traffic.total() }, failures: 0 });
      // Changes flow again: a new key works at once, a revoke is honoured within a second.
      const created = await createKeyWithCli(env);
      expect((await post(s.url, created.key)).status).toBe(200);
      expect((await keysCli(env, "revoke", String(created.id))).code).toBe(0);
      const ms = await timeUntil(async () => (await post(s.url, created.key)).status === 401);
      expect(ms).toBeLessThan(1000);
      expect(
        s.logs().filter((l) => String(l.msg).startsWith("key database unavailable")).length,
      ).toBeGreaterThanOrEqual(1);
    },
    SLOW,
  );
});

describe("starting while a store is unreachable", () => {
  it(
    "serves without Redis, says so once and on /readyz, and counts in Redis once it appears",
    async () => {
      const port = await freePort();
      const prefix = redisPrefix();
      const s = await start({ REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_KEY_PREFIX: prefix });
      const key = s.stderr().match(/csb_[A-Za-z0-9]{32}_[0-9a-f]{8}/)?.[0] as string;
      expect((await post(s.url, key)).status).toBe(200);
      expect((await fetch(`${s.url}/readyz`)).status).toBe(503);
      await vi.waitFor(() =>
        expect(s.logs().filter((l) => String(l.msg).startsWith("Redis unavailable"))).toHaveLength(
          1,
        ),
      );

      const redis = await startPrivateRedis(port);
      cleanups.push(() => redis.stop());
      await vi.waitFor(async () => expect((await fetch(`${s.url}/readyz`)).status).toBe(200), {
        timeout: 10_000,
      });
      expect((await post(s.url, key)).status).toBe(200);
      const client = new Redis(redis.url);
      cleanups.push(() => client.disconnect());
      expect(await client.keys(`${prefix}*`)).toEqual(
        expect.arrayContaining([`${prefix}rl:{key:1}:300/60`, `${prefix}rl:{key:1}:10000/86400`]),
      );
      expect(s.logs().filter((l) => String(l.msg).startsWith("Redis unavailable"))).toHaveLength(1);
    },
    SLOW,
  );

  it(
    "refuses to start, naming the database, when PostgreSQL cannot be reached",
    async () => {
      const port = await freePort();
      const url = `postgres://postgres:s3cret@127.0.0.1:${port}/keys`;
      for (const workers of ["1", "2"]) {
        await expect(start({ DATABASE_URL: url, WORKERS: workers })).rejects.toThrow(
          "server exited 1: Cannot start: Cannot open the key database " +
            `postgresql://127.0.0.1:${port}/keys: connect ECONNREFUSED 127.0.0.1:${port}\n`,
        );
      }
    },
    SLOW,
  );
});
