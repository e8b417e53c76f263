// Where request counts live, behind the RateLimiter interface: one process counts in memory
// (rate-limiter-flexible); several machines share Redis (one Lua script per request), falling
// back to counting per machine when it fails. (The workers of one machine share the primary's
// memory: cluster-limiter.ts.)
import type { Redis } from "ioredis";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { batchPerTurn } from "./batch.js";
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
    // All settled before deciding, so no failed count is left as an unhandled rejection.
    const settled = await Promise.allSettled(pending);
    const results: RateLimiterRes[] = [];
    let allowed = true;
    for (const outcome of settled) {
      if (outcome.status === "fulfilled") {
        results.push(outcome.value);
        continue;
      }
      // The library rejects with a RateLimiterRes when over quota; anything else is a failure.
      if (!(outcome.reason instanceof RateLimiterRes)) throw outcome.reason;
      results.push(outcome.reason);
      allowed = false;
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
    // Refused requests only: waiting keeps the next request's count exact. A refund that fails
    // (the store went away) leaves that window one too high, which only errs on the safe side.
    if (refunds.length > 0) await Promise.allSettled(refunds);
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

// Counts one request in every window of a subject at once, atomically: admitted only if every
// window has room, and then counted in all of them; a refused request counts nowhere, so no
// refund is needed. KEYS: one counter per window. ARGV: limit and seconds per window. Returns
// {admitted (1/0), count and ms-to-reset per window}.
const CONSUME_SCRIPT = `
local n = #KEYS
local result = {1}
for i = 1, n do
  local count = tonumber(redis.call('GET', KEYS[i]) or '0')
  if count >= tonumber(ARGV[2 * i - 1]) then result[1] = 0 end
  result[2 * i] = count
  result[2 * i + 1] = redis.call('PTTL', KEYS[i])
end
for i = 1, n do
  local ms = tonumber(ARGV[2 * i]) * 1000
  if result[1] == 1 then
    result[2 * i] = redis.call('INCR', KEYS[i])
    if result[2 * i + 1] < 0 then redis.call('PEXPIRE', KEYS[i], ms) end
  end
  if result[2 * i + 1] < 0 then result[2 * i + 1] = ms end
end
return result`;

interface ConsumeCommand {
  /** The script with a dynamic key count: the number of keys, the keys, then ARGV. */
  dmRateLimitConsume(...args: (string | number)[]): Promise<number[]>;
}

/**
 * Counts in Redis, exact across every process and machine using the same Redis and `keyPrefix`:
 * one Lua script per request counts every window atomically. Ours rather than
 * rate-limiter-flexible's RateLimiterRedis, which takes one script call per window and a refund
 * call for refused requests: measured under `npm run bench:http` (WORKERS=2) the two calls cost
 * 20 % of the requests per second that the machine's in-memory counting reached. While Redis
 * cannot answer, each count goes to `fallback` instead (the machine's shared counters in a
 * cluster worker, memory otherwise), so limits are then enforced per machine rather than
 * refused or skipped; counting returns to Redis by itself when it answers again (its counters
 * start afresh if Redis lost them). Keys: `<keyPrefix>rl:{<subject>}:<limit>/<seconds>`, the
 * braces keeping one subject's windows in one Redis Cluster slot.
 */
export class RedisRateLimiter implements RateLimiter {
  readonly #client: Redis & ConsumeCommand;
  readonly #keyPrefix: string;
  readonly #fallback: RateLimiter;
  // The counts of one event-loop turn go as one pipeline: one write and one read for all.
  readonly #count = batchPerTurn((calls: (string | number)[][]) => {
    if (calls.length === 1) return this.#client.dmRateLimitConsume(...calls[0]).then((r) => [r]);
    const pipeline = this.#client.pipeline() as unknown as ConsumeCommand & {
      exec(): Promise<[Error | null, number[]][] | null>;
    };
    for (const call of calls) pipeline.dmRateLimitConsume(...call);
    return pipeline.exec().then((results) =>
      (results ?? []).map(([err, result]) => {
        if (err) throw err;
        return result;
      }),
    );
  });

  constructor(client: Redis, keyPrefix: string, fallback: RateLimiter) {
    if (!("dmRateLimitConsume" in client)) {
      client.defineCommand("dmRateLimitConsume", { lua: CONSUME_SCRIPT });
    }
    this.#client = client as Redis & ConsumeCommand;
    this.#keyPrefix = keyPrefix;
    this.#fallback = fallback;
  }

  consume(subject: string, windows: readonly Window[]): Promise<Decision> {
    // Not connected: straight to the fallback rather than waiting for a command to fail.
    if (this.#client.status !== "ready") return this.#fallback.consume(subject, windows);
    const call: (string | number)[] = [windows.length];
    for (const w of windows) call.push(`${this.#keyPrefix}rl:{${subject}}:${w.limit}/${w.seconds}`);
    for (const w of windows) call.push(w.limit, w.seconds);
    return this.#count(call).then(
      (result) => ({
        allowed: result[0] === 1,
        windows: windows.map((w, i) => ({
          limit: w.limit,
          seconds: w.seconds,
          remaining: Math.max(0, w.limit - result[2 * i + 1]),
          resetMs: Math.max(0, result[2 * i + 2]),
        })),
      }),
      () => this.#fallback.consume(subject, windows),
    );
  }
}
