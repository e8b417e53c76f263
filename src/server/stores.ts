// The state a server process shares with others, chosen from the configuration: API keys, users
// and sessions in PostgreSQL (DATABASE_URL) or SQLite (DATA_DIR); rate-limit counts in Redis (REDIS_URL), the
// cluster primary (several workers) or memory (one process). See README "Deployment".
import cluster from "node:cluster";
import { Accounts } from "../accounts/accounts.js";
import type { Config } from "../config.js";
import { openKeyStore } from "../keys/open.js";
import type { KeyStore, StoreHealth, StoreLogger } from "../keys/store.js";
import { ClusterRateLimiter } from "../limits/cluster.js";
import { MemoryRateLimiter, RedisRateLimiter } from "../limits/limiters.js";
import { connectRedis, type RedisConnection } from "../stores/redis.js";
import { type Metrics, trackIps } from "./metrics.js";
import type { RateLimiter } from "./middleware/rate-limit.js";

/** A dependency /readyz reports on. */
export interface ReadinessCheck {
  /** "database" or "redis". */
  readonly name: string;
  /** Where it is (loggable), e.g. postgresql://db:5432/keys. */
  readonly location: string;
  health(): StoreHealth;
}

/** The opened stores of one server process. */
export interface Stores {
  readonly keys: KeyStore;
  /** Users and sign-in sessions, in the same database as the keys. */
  readonly accounts: Accounts;
  readonly limiter: RateLimiter;
  readonly readiness: readonly ReadinessCheck[];
  /** Flushes and closes every connection. */
  close(): Promise<void>;
}

/**
 * Opens the key store and the rate-limit counters for this process. Rejects when the key
 * database cannot be opened (a server must not start without its keys); an unreachable Redis
 * only degrades (see connectRedis). Errors are counted in `metrics` and outages logged once.
 */
export async function openStores(
  config: Config,
  options: { logger: StoreLogger; metrics?: Metrics },
): Promise<Stores> {
  const { logger, metrics } = options;
  const keys = await openKeyStore(config, {
    refreshMs: config.keyRefreshMs,
    logger,
    onError: () => metrics?.storeErrors.inc({ store: "database" }),
  });
  metrics?.watchKeySync(() => keys.health().syncedAt);
  let accounts: Accounts;
  try {
    accounts = await Accounts.open(config);
  } catch (err) {
    await keys.close();
    throw err;
  }
  const readiness: ReadinessCheck[] = [
    { name: "database", location: keys.location, health: () => keys.health() },
  ];

  // The machine's own counts: the primary's with several workers, else this process's.
  let local: RateLimiter;
  if (cluster.isWorker) local = new ClusterRateLimiter();
  else {
    const memory = new MemoryRateLimiter();
    if (metrics) trackIps(metrics.registry, () => memory.trackedBounded());
    local = memory;
  }
  let redis: RedisConnection | undefined;
  let limiter = local;
  if (config.redisUrl !== null) {
    redis = await connectRedis(config.redisUrl, {
      logger,
      onError: () => metrics?.storeErrors.inc({ store: "redis" }),
    });
    const connection = redis;
    readiness.push({ name: "redis", location: redis.location, health: () => connection.health() });
    limiter = new RedisRateLimiter(redis.client, config.redisKeyPrefix, local);
  }

  return {
    keys,
    accounts,
    limiter,
    readiness,
    close: async () => {
      await Promise.all([keys.close(), accounts.close(), redis?.close()]);
    },
  };
}
