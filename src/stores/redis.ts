// The Redis connection behind the shared rate limits (ioredis): fail fast when Redis is away so
// counting falls back at once, reconnect forever, and watch health with a periodic PING so a
// hung server is noticed too. One warning per outage, one info line on recovery.
import { Redis } from "ioredis";
import { describeError } from "../describe-error.js";
import type { StoreHealth, StoreLogger } from "./health.js";

/** A Redis connection and its health, as seen by this process. */
export interface RedisConnection {
  readonly client: Redis;
  /** Where Redis is (host:port/db), never the password. */
  readonly location: string;
  health(): StoreHealth;
  /** Stops the health checks and closes the connection. */
  close(): Promise<void>;
}

/** Options of connectRedis. */
export interface RedisOptions {
  logger?: StoreLogger;
  /** Called for every connection or command failure (metrics). */
  onError?: (err: unknown) => void;
  /** Period of the health PING, in ms. */
  pingMs?: number;
  /** How long start-up waits for the first connection before going on degraded, in ms. */
  connectWaitMs?: number;
}

// A command waits at most this long: the rate limiter then counts in its insurance store rather
// than holding the request.
const COMMAND_TIMEOUT_MS = 500;

/** Returns `redis://host:port/db` of a Redis URL: loggable, no user or password. */
export function describeRedis(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.hostname}:${u.port || 6379}${u.pathname === "/" ? "" : u.pathname}`;
}

/**
 * Connects to Redis at `url` and resolves once connected or after `connectWaitMs` (default 2 s),
 * whichever is first: an unreachable Redis never stops start-up, it is reported (one warning)
 * and retried in the background every 100 ms to 2 s until it answers.
 */
export async function connectRedis(
  url: string,
  options: RedisOptions = {},
): Promise<RedisConnection> {
  const { logger, onError, pingMs = 1000, connectWaitMs = 2000 } = options;
  const location = describeRedis(url);
  const client = new Redis(url, {
    // Commands while disconnected fail at once (the insurance counter takes over) instead of
    // queueing until a reconnect that may never come.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: 2000,
    // No auto-pipelining: with a Lua command (defineCommand) it can crash the process ("results[i]
    // is not iterable", redis/ioredis#1931; seen here under 60 parallel requests). The rate
    // limiter pipelines the counts of each event-loop turn itself.
    enableAutoPipelining: false,
    retryStrategy: (attempt) => Math.min(100 * attempt, 2000),
  });
  let health: StoreHealth = { ok: false, error: "not connected yet", syncedAt: 0 };
  let warned = false;
  const down = (err: unknown) => {
    onError?.(err);
    const wasOk = health.ok;
    health = { ok: false, error: describeError(err), syncedAt: health.syncedAt };
    if (wasOk || !warned) {
      warned = true;
      logger?.warn(
        { store: location, err: describeError(err) },
        "Redis unavailable: rate limits are counted per machine until it is back",
      );
    }
  };
  const up = () => {
    if (!health.ok && warned) logger?.info({ store: location }, "Redis reachable again");
    warned = false;
    health = { ok: true, syncedAt: Date.now() };
  };
  client.on("error", down);
  client.on("ready", up);
  client.on("close", () => {
    if (health.ok) down(new Error("connection closed"));
  });

  // PING also catches a server that accepts connections but no longer answers.
  const ping = setInterval(() => {
    if (client.status !== "ready") return;
    client.ping().then(up, down);
  }, pingMs);
  ping.unref();

  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      if (!health.ok && !warned) down(new Error(`no connection within ${connectWaitMs} ms`));
      resolve();
    }, connectWaitMs);
    client.once("ready", () => {
      clearTimeout(timer);
      resolve();
    });
  });

  return {
    client,
    location,
    health: () => health,
    close: async () => {
      clearInterval(ping);
      client.disconnect();
    },
  };
}
