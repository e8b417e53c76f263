// src/limits/limiters.ts: counting, refunds, separation and exactness under concurrency, the same
// for the in-memory counters and for Redis (the real shared server, a key prefix of this run's
// own); and Redis's fallback to per-process counting while a private Redis is stopped.
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { MemoryRateLimiter, RedisRateLimiter } from "../../src/limits/limiters.js";
import type { RateLimiter } from "../../src/server/middleware/rate-limit.js";
import {
  cleanupRedisPrefix,
  type PrivateRedis,
  sharedRedisUrl,
  startPrivateRedis,
  uniquePrefix,
} from "../helpers/services.js";

const MINUTE_2_DAY_5 = [
  { limit: 2, seconds: 60 },
  { limit: 5, seconds: 86_400 },
];

let redis: Redis;
const prefixes: string[] = [];
beforeAll(() => {
  redis = new Redis(sharedRedisUrl());
});
afterAll(async () => {
  for (const prefix of prefixes) await cleanupRedisPrefix(sharedRedisUrl(), prefix);
  redis.disconnect();
});

const limiters: Record<string, () => RateLimiter> = {
  memory: () => new MemoryRateLimiter(),
  Redis: () => {
    const prefix = uniquePrefix("limiters");
    prefixes.push(prefix);
    return new RedisRateLimiter(redis, prefix, new MemoryRateLimiter());
  },
};

describe.each(Object.keys(limiters))("the %s limiter", (kind) => {
  const make = limiters[kind];

  it("counts each window and refuses once any window is exhausted", async () => {
    const limiter = make();
    const remaining = [];
    for (let i = 0; i < 3; i++) {
      const d = await limiter.consume("s", MINUTE_2_DAY_5);
      remaining.push([d.allowed, d.windows.map((w) => w.remaining)]);
    }
    expect(remaining).toEqual([
      [true, [1, 4]],
      [true, [0, 3]],
      // The refused request is refunded in the day window: still 3 left there.
      [false, [0, 3]],
    ]);
  });

  it("does not let refused requests use up the other windows", async () => {
    const limiter = make();
    for (let i = 0; i < 20; i++) await limiter.consume("s", MINUTE_2_DAY_5);
    const d = await limiter.consume("s", MINUTE_2_DAY_5);
    expect(d.windows.map((w) => w.remaining)).toEqual([0, 3]);
  });

  it("keeps subjects and tiers apart", async () => {
    const limiter = make();
    await limiter.consume("a", MINUTE_2_DAY_5);
    await limiter.consume("a", MINUTE_2_DAY_5);
    expect((await limiter.consume("b", MINUTE_2_DAY_5)).allowed).toBe(true);
    const other = [{ limit: 3, seconds: 60 }];
    expect((await limiter.consume("a", other)).windows[0].remaining).toBe(2);
  });

  it("admits exactly the quota among simultaneous requests", async () => {
    const limiter = make();
    const windows = [
      { limit: 20, seconds: 60 },
      { limit: 1000, seconds: 86_400 },
    ];
    const decisions = await Promise.all(
      Array.from({ length: 60 }, () => limiter.consume("s", windows)),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(20);
    expect((await limiter.consume("s", windows)).windows[1].remaining).toBe(980);
  });

  it("peeks without counting: a full window before any count, then the counts as they are", async () => {
    const limiter = make();
    const fresh = await limiter.peek("p", MINUTE_2_DAY_5);
    expect(fresh.allowed).toBe(true);
    expect(fresh.windows.map((w) => [w.remaining, w.resetMs])).toEqual([
      [2, 60_000],
      [5, 86_400_000],
    ]);
    await limiter.consume("p", MINUTE_2_DAY_5);
    for (let i = 0; i < 3; i++) await limiter.peek("p", MINUTE_2_DAY_5);
    const once = await limiter.peek("p", MINUTE_2_DAY_5);
    expect([once.allowed, once.windows.map((w) => w.remaining)]).toEqual([true, [1, 4]]);
    await limiter.consume("p", MINUTE_2_DAY_5);
    const full = await limiter.peek("p", MINUTE_2_DAY_5);
    expect([full.allowed, full.windows.map((w) => w.remaining)]).toEqual([false, [0, 3]]);
    expect(full.windows[0].resetMs).toBeLessThanOrEqual(60_000);
    expect(full.windows[0].resetMs).toBeGreaterThan(58_000);
  });

  it("reports the time to each window's reset", async () => {
    const limiter = make();
    const d = await limiter.consume("s", MINUTE_2_DAY_5);
    expect(d.windows[0].resetMs).toBeGreaterThan(58_000);
    expect(d.windows[0].resetMs).toBeLessThanOrEqual(60_000);
    expect(d.windows[1].resetMs).toBeGreaterThan(86_398_000);
    expect(d.windows[1].resetMs).toBeLessThanOrEqual(86_400_000);
  });
});

describe("the memory limiter's bound", () => {
  it("tracks at most maxSubjects per bounded window, forgetting the oldest first", async () => {
    const limiter = new MemoryRateLimiter();
    const perIp = [{ limit: 1, seconds: 86_400, maxSubjects: 1000 }];
    const perKey = [{ limit: 1, seconds: 86_400 }];
    await limiter.consume("key:1", perKey);
    for (let i = 0; i < 5000; i++) await limiter.consume(`ip:${i}`, perIp);
    expect(limiter.tracked(perIp[0])).toBeLessThanOrEqual(1000);
    // The newest are still counted; the first ones were forgotten and start afresh.
    expect((await limiter.consume("ip:4999", perIp)).allowed).toBe(false);
    expect((await limiter.consume("ip:0", perIp)).allowed).toBe(true);
    // Unbounded windows (keys) are never evicted by a flood of addresses.
    expect((await limiter.consume("key:1", perKey)).allowed).toBe(false);
  });

  it("starts a fresh window once the old one has ended", async () => {
    let now = Date.parse("2026-03-31T12:00:00Z");
    const limiter = new MemoryRateLimiter(() => now);
    const windows = [{ limit: 1, seconds: 60 }];
    expect((await limiter.consume("s", windows)).allowed).toBe(true);
    now += 59_999;
    expect(await limiter.consume("s", windows)).toEqual({
      allowed: false,
      windows: [{ limit: 1, seconds: 60, remaining: 0, resetMs: 1 }],
    });
    now += 1;
    expect((await limiter.consume("s", windows)).allowed).toBe(true);
  });
});

describe("the Redis limiter when Redis goes away", () => {
  let server: PrivateRedis;
  let client: Redis;
  afterEach(async () => {
    client?.disconnect();
    await server?.stop();
  });

  it("counts in this process meanwhile, then in Redis again once it is back", async () => {
    server = await startPrivateRedis();
    // As the service connects (src/stores/redis.ts): fail fast while disconnected.
    client = new Redis(server.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => 50,
    });
    client.on("error", () => {});
    await vi.waitFor(() => expect(client.status).toBe("ready"));
    const limiter = new RedisRateLimiter(client, "t:", new MemoryRateLimiter());
    const windows = [{ limit: 3, seconds: 60 }];
    expect((await limiter.consume("s", windows)).windows[0].remaining).toBe(2);
    expect(await client.keys("t:*")).toEqual(["t:rl:{s}:3/60"]);

    await server.stop();
    // The insurance counter starts afresh: 3 more, then refused — never an error.
    const during = [];
    for (let i = 0; i < 4; i++) during.push((await limiter.consume("s", windows)).allowed);
    expect(during).toEqual([true, true, true, false]);

    await server.start();
    await vi.waitFor(() => expect(client.status).toBe("ready"), { timeout: 5000 });
    // Redis lost its counters (nothing persisted), so counting restarts there, exactly.
    const after = [];
    for (let i = 0; i < 4; i++) after.push((await limiter.consume("s", windows)).allowed);
    expect(after).toEqual([true, true, true, false]);
    // A refused request counts nowhere.
    expect(await client.get("t:rl:{s}:3/60")).toBe("3");
  });
});
