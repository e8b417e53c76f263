// src/stores/redis.ts against the real Redis (127.0.0.1:6379 unless TEST_REDIS_URL), its keys
// under a prefix of its own: a loggable location without the password, a ready connection and
// its health, an unreachable address that does not stop start-up and fails commands at once,
// and one warning per outage with one info line on recovery after the server drops the link.
import { afterEach, describe, expect, it } from "vitest";
import { connectRedis, describeRedis, type RedisConnection } from "../../src/stores/redis.js";
import { cleanupRedisPrefix, freePort, sharedRedisUrl, uniquePrefix } from "../helpers/services.js";

const url = sharedRedisUrl();
const prefix = uniquePrefix("redis-store");
let conn: RedisConnection | undefined;

afterEach(async () => {
  await conn?.close();
  conn = undefined;
  await cleanupRedisPrefix(url, prefix);
});

function logger() {
  const lines: { level: string; msg: string; fields: Record<string, unknown> }[] = [];
  const log = (level: string) => (fields: object, msg: string) =>
    lines.push({ level, msg, fields: fields as Record<string, unknown> });
  return { lines, warn: log("warn"), info: log("info"), error: log("error") };
}

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("describeRedis", () => {
  it("keeps scheme, host, port and database, never the user or password", () => {
    expect(describeRedis("redis://user:s3cret@cache.internal:6380/2")).toBe(
      "redis://cache.internal:6380/2",
    );
    expect(describeRedis("redis://127.0.0.1")).toBe("redis://127.0.0.1:6379");
  });
});

describe("connectRedis", () => {
  it("resolves connected and healthy, with a working client", async () => {
    const log = logger();
    conn = await connectRedis(url, { logger: log });
    expect(conn.health().ok).toBe(true);
    expect(conn.location).toBe(describeRedis(url));
    await conn.client.set(`${prefix}k`, "v", "EX", 60);
    expect(await conn.client.get(`${prefix}k`)).toBe("v");
    expect(log.lines).toEqual([]);
  });

  it("goes on degraded when nothing answers: one warning, commands fail at once", async () => {
    const log = logger();
    const errors: unknown[] = [];
    conn = await connectRedis(`redis://127.0.0.1:${await freePort()}`, {
      logger: log,
      onError: (err) => errors.push(err),
      connectWaitMs: 300,
    });
    expect(conn.health().ok).toBe(false);
    // Not queued until a reconnect: refused on the spot.
    await expect(conn.client.get(`${prefix}k`)).rejects.toThrow(/enableOfflineQueue/);
    await new Promise((r) => setTimeout(r, 400));
    const warnings = log.lines.filter((l) => l.level === "warn");
    expect(warnings).toHaveLength(1);
    expect(warnings[0].msg).toBe(
      "Redis unavailable: rate limits are counted per machine until it is back",
    );
    expect(errors.length).toBeGreaterThanOrEqual(1);
  });

  it("warns once when the server drops the connection and says so when it is back", async () => {
    const log = logger();
    conn = await connectRedis(url, { logger: log, pingMs: 50 });
    const id = await conn.client.client("ID");
    const admin = await connectRedis(url);
    try {
      await admin.client.client("KILL", "ID", String(id));
    } finally {
      await admin.close();
    }
    await until(() => log.lines.some((l) => l.msg === "Redis reachable again"));
    expect(log.lines.map((l) => `${l.level} ${l.msg}`)).toEqual([
      "warn Redis unavailable: rate limits are counted per machine until it is back",
      "info Redis reachable again",
    ]);
    expect(conn.health().ok).toBe(true);
  });
});
