import { createServer, type Server } from "node:http";
import { connect } from "node:net";
import { Redis } from "ioredis";
import { Client } from "pg";
import { describe, expect, it } from "vitest";
import {
  cleanupRedisPrefix,
  commandExists,
  createTestDatabase,
  freePort,
  sharedDatabaseUrl,
  sharedRedisUrl,
  startNginx,
  startPrivatePostgres,
  startPrivateRedis,
  uniquePrefix,
} from "./services.js";

const timeout = 60_000;

/** Runs `use` on a fresh, non-retrying connection, so a dead server fails fast. */
async function withRedis<T>(url: string, use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(url, {
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
  redis.on("error", () => {});
  try {
    await redis.connect();
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return (await client.query(sql)).rows;
  } finally {
    await client.end().catch(() => {});
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Starts an HTTP server that answers with its own port and the size of the body it got. */
async function portEcho(): Promise<{ port: number; server: Server }> {
  const port = await freePort();
  const server = createServer((req, res) => {
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
    });
    req.on("end", () =>
      res.end(JSON.stringify({ port, size, proto: req.headers["x-forwarded-proto"] })),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { port, server };
}

describe("test services", () => {
  it("tells which commands exist", () => {
    expect(commandExists("redis-server")).toBe(true);
    expect(commandExists("no-such-command-dmtest")).toBe(false);
  });

  it("runs a private Redis that can be stopped and restarted empty", { timeout }, async () => {
    const redis = await startPrivateRedis();
    try {
      await withRedis(redis.url, (r) => r.set("greeting", "hello"));
      expect(await withRedis(redis.url, (r) => r.get("greeting"))).toBe("hello");

      await redis.stop();
      await expect(withRedis(redis.url, (r) => r.ping())).rejects.toThrow();

      await redis.start();
      expect(await withRedis(redis.url, (r) => r.ping())).toBe("PONG");
      expect(await withRedis(redis.url, (r) => r.get("greeting"))).toBeNull();

      redis.kill();
      await redis.start();
      expect(await withRedis(redis.url, (r) => r.ping())).toBe("PONG");
    } finally {
      await redis.stop();
    }
    expect(await portOpen(redis.port)).toBe(false);
  });

  it("runs a private Postgres whose data survives a restart", { timeout }, async () => {
    const pg = await startPrivatePostgres();
    try {
      await query(pg.url, "CREATE TABLE t (id int); INSERT INTO t VALUES (42)");

      await pg.stop();
      expect(await portOpen(pg.port)).toBe(false);
      await expect(query(pg.url, "SELECT 1")).rejects.toThrow();

      await pg.start();
      expect(await query(pg.url, "SELECT id FROM t")).toEqual([{ id: 42 }]);
    } finally {
      await pg.close();
    }
    expect(await portOpen(pg.port)).toBe(false);
  });

  it("creates and drops a database of its own on the shared server", { timeout }, async () => {
    const db = await createTestDatabase();
    expect(db.name).toMatch(/^dm_test_\d+_[0-9a-f]+$/);
    expect(new URL(db.url).pathname).toBe(`/${db.name}`);
    await query(db.url, "CREATE TABLE t (id int)");

    // A leaked connection must not keep the database alive.
    const leaked = new Client({ connectionString: db.url });
    leaked.on("error", () => {});
    await leaked.connect();
    await db.drop();
    await db.drop();

    const listed = `SELECT 1 FROM pg_database WHERE datname = '${db.name}'`;
    expect(await query(sharedDatabaseUrl(), listed)).toEqual([]);
    await leaked.end().catch(() => {});
  });

  it("round-robins through nginx to two upstreams", { timeout }, async () => {
    const a = await portEcho();
    const b = await portEcho();
    const nginx = await startNginx([`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`]);
    try {
      const seen = new Set<number>();
      for (let i = 0; i < 4; i++) {
        const reply = await (await fetch(`${nginx.url}/`)).json();
        expect(reply.proto).toBe("http");
        seen.add(reply.port);
      }
      expect([...seen].sort()).toEqual([a.port, b.port].sort());

      // Bodies beyond nginx's in-memory buffer spill to its temp dir, which workers must reach.
      const body = new Uint8Array(200_000);
      const reply = await (await fetch(`${nginx.url}/`, { method: "POST", body })).json();
      expect(reply.size).toBe(body.length);
    } finally {
      await nginx.stop();
      a.server.close();
      b.server.close();
    }
    expect(await portOpen(nginx.port)).toBe(false);
  });

  it("removes exactly the keys under a unique prefix", { timeout }, async () => {
    const mine = uniquePrefix("selftest");
    const other = uniquePrefix("selftest");
    expect(mine).toMatch(/^dmtest:selftest:\d+-[0-9a-f]+:$/);
    expect(mine).not.toBe(other);
    const url = sharedRedisUrl();
    try {
      await withRedis(url, async (r) => {
        await r.mset(`${mine}a`, "1", `${mine}b:c`, "2", `${other}a`, "3");
      });
      expect(await cleanupRedisPrefix(url, mine)).toBe(2);
      expect(await withRedis(url, (r) => r.exists(`${mine}a`, `${mine}b:c`, `${other}a`))).toBe(1);
    } finally {
      await cleanupRedisPrefix(url, other);
    }
  });
});
