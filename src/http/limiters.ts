// Where request counts live: rate-limiter-flexible stores behind the RateLimiter interface. One
// process counts in memory; the workers of one machine share the primary's memory over IPC
// (cluster limiter); several machines share Redis, falling back per machine when it fails.
import cluster from "node:cluster";
import type { Redis } from "ioredis";
import {
  type RateLimiterAbstract,
  RateLimiterCluster,
  RateLimiterClusterMaster,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from "rate-limiter-flexible";
import type { Decision, RateLimiter, Window, WindowState } from "./middleware/rate-limit.js";

/** Makes the counter of one window; called once per distinct (limit, seconds) pair. */
export type WindowCounterFactory = (window: Window, id: string) => RateLimiterAbstract;

/**
 * A RateLimiter over one rate-limiter-flexible counter per distinct window. `consume` counts
 * the request in every window at once and, when any window refuses, refunds the windows that
 * admitted it, so a refused request uses up nothing. Exact under concurrency when each store's
 * increment is atomic (memory: one event loop; cluster: the primary's one event loop; Redis: a
 * Lua script): N simultaneous requests against a remaining quota of Q admit exactly min(N, Q).
 */
export class WindowedRateLimiter implements RateLimiter {
  readonly #create: WindowCounterFactory;
  readonly #counters = new Map<string, RateLimiterAbstract>();
  readonly #byWindow = new WeakMap<Window, RateLimiterAbstract>();

  constructor(create: WindowCounterFactory) {
    this.#create = create;
  }

  async consume(subject: string, windows: readonly Window[]): Promise<Decision> {
    const counters = windows.map((w) => this.#counter(w));
    // Start every count before awaiting any: the memory store increments synchronously, in
    // order, and the others send all their commands before waiting for any answer.
    const pending = counters.map((c) => c.consume(subject));
    const results: RateLimiterRes[] = [];
    let allowed = true;
    for (const p of pending) {
      try {
        results.push(await p);
      } catch (reason) {
        // The library rejects with a RateLimiterRes when over quota; anything else is a failure.
        if (!(reason instanceof RateLimiterRes)) throw reason;
        results.push(reason);
        allowed = false;
      }
    }
    const refunds: Promise<unknown>[] = [];
    const states = windows.map((w, i): WindowState => {
      const res = results[i];
      const admitted = res.consumedPoints <= w.limit;
      // Refund: a refused request must not use up the windows that would have admitted it.
      if (!allowed && admitted) refunds.push(counters[i].reward(subject));
      return {
        limit: w.limit,
        seconds: w.seconds,
        remaining: !allowed && admitted ? res.remainingPoints + 1 : res.remainingPoints,
        resetMs: Math.max(0, res.msBeforeNext),
      };
    });
    // Refused requests only: waiting keeps the next request's count exact.
    if (refunds.length > 0) await Promise.all(refunds);
    return { allowed, windows: states };
  }

  #counter(w: Window): RateLimiterAbstract {
    // Window objects are long-lived (one per tier), so the WeakMap hit is the common case.
    let counter = this.#byWindow.get(w);
    if (counter === undefined) {
      const id = `${w.limit}/${w.seconds}`;
      counter = this.#counters.get(id);
      if (counter === undefined) {
        counter = this.#create(w, id);
        this.#counters.set(id, counter);
      }
      this.#byWindow.set(w, counter);
    }
    return counter;
  }
}

/** Counts in this process's memory: exact for one process, not shared with any other. */
export class MemoryRateLimiter extends WindowedRateLimiter {
  constructor() {
    super((w) => new RateLimiterMemory({ points: w.limit, duration: w.seconds }));
  }
}

/**
 * Starts the counting side of the cluster limiter in the primary process: the workers'
 * ClusterRateLimiters send every count here over IPC. Call once, before forking.
 */
export function startClusterCounting(): void {
  if (!cluster.isPrimary) throw new Error("startClusterCounting() belongs in the primary.");
  new RateLimiterClusterMaster();
}

// A worker waits this long for the primary's answer before the request fails; the primary only
// increments a counter in memory, so only a wedged primary takes longer.
const CLUSTER_TIMEOUT_MS = 2000;

/** A memory counter kept by the primary for all workers of this machine (a worker only). */
function clusterCounter(w: Window, id: string): RateLimiterAbstract {
  return new RateLimiterCluster({
    points: w.limit,
    duration: w.seconds,
    keyPrefix: `rl:${id}`,
    timeoutMs: CLUSTER_TIMEOUT_MS,
  });
}

/**
 * Counts in the cluster primary's memory (see startClusterCounting): exact across the workers
 * of one machine, because the primary increments on its one event loop. Use in workers only.
 */
export class ClusterRateLimiter extends WindowedRateLimiter {
  constructor() {
    if (!cluster.isWorker) throw new Error("ClusterRateLimiter needs a cluster worker.");
    super(clusterCounter);
  }
}

/**
 * Counts in Redis (atomic Lua increments), exact across every process and machine using the
 * same Redis and `keyPrefix`. While Redis cannot answer, each count goes to the insurance
 * counter instead — the cluster limiter in a worker, memory otherwise — so limits are then
 * enforced per machine rather than refused or skipped; counting returns to Redis by itself when
 * it answers again (its counters start afresh if Redis lost them).
 */
export class RedisRateLimiter extends WindowedRateLimiter {
  constructor(client: Redis, keyPrefix: string) {
    super(
      (w, id) =>
        new RateLimiterRedis({
          storeClient: client,
          points: w.limit,
          duration: w.seconds,
          keyPrefix: `${keyPrefix}rl:${id}`,
          // Not connected: go to the insurance counter at once instead of queueing.
          rejectIfRedisNotReady: true,
          insuranceLimiter: cluster.isWorker
            ? clusterCounter(w, `insurance:${id}`)
            : new RateLimiterMemory({ points: w.limit, duration: w.seconds }),
        }),
    );
  }
}
