// Where request counts live, behind the RateLimiter interface: one process counts in memory;
// several machines share Redis (one Lua script per request), falling back to counting per
// machine when it fails. (The workers of one machine share the primary's memory:
// cluster.ts.) Both count the same way: fixed windows, a request admitted only if every
// window has room, and then counted in all of them.
import type { Redis } from "ioredis";
import { batchPerTurn } from "./batch.js";
import type { Decision, RateLimiter, Window } from "./limiter.js";

interface Count {
  count: number;
  /** When the window restarts (ms since the epoch). */
  resetAt: number;
}

/** One window's counts per subject, oldest first (Map keeps insertion order). */
class WindowCounts {
  readonly #counts = new Map<string, Count>();
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  /** Returns the subject's current count, starting a fresh one when none is running. */
  current(subject: string, now: number, windowMs: number): Count {
    let c = this.#counts.get(subject);
    if (c !== undefined && c.resetAt > now) return c;
    if (c !== undefined) this.#counts.delete(subject);
    else if (this.#counts.size >= this.#max) this.#makeRoom(now);
    c = { count: 0, resetAt: now + windowMs };
    this.#counts.set(subject, c);
    return c;
  }

  /** Returns the subject's running count, or undefined when none is running; creates nothing. */
  running(subject: string, now: number): Count | undefined {
    const c = this.#counts.get(subject);
    return c !== undefined && c.resetAt > now ? c : undefined;
  }

  get size(): number {
    return this.#counts.size;
  }

  get bounded(): boolean {
    return Number.isFinite(this.#max);
  }

  // Drops the windows that have ended; if that frees too little, the oldest running ones (they
  // restart from zero: the price of a memory bound under a flood of distinct subjects).
  #makeRoom(now: number): void {
    for (const [subject, c] of this.#counts) {
      if (c.resetAt <= now) this.#counts.delete(subject);
    }
    const excess = this.#counts.size - Math.floor(this.#max * 0.9);
    if (excess <= 0) return;
    let dropped = 0;
    for (const subject of this.#counts.keys()) {
      if (dropped++ >= excess) break;
      this.#counts.delete(subject);
    }
  }
}

/**
 * Counts in this process's memory: fixed windows, one count per subject and window, checked and
 * incremented in one synchronous step, so exact on the one event loop. A request is admitted
 * only if every window has room and is then counted in all of them; a refused one counts
 * nowhere. A window with `maxSubjects` keeps at most that many subjects (the per-IP tier: memory
 * stays bounded whatever the number of addresses); others are bounded by the subjects that
 * exist (keys). Ours rather than rate-limiter-flexible's RateLimiterMemory, which keeps a timer
 * per subject and window and has no bound: measured by a fault campaign, 180,000 client IPs
 * took the process from 87 to 626 MB, held for the 24 h window.
 */
export class MemoryRateLimiter implements RateLimiter {
  readonly #windows = new Map<string, WindowCounts>();
  readonly #byWindow = new WeakMap<Window, WindowCounts>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  consume(subject: string, windows: readonly Window[]): Promise<Decision> {
    const now = this.#now();
    const counts = windows.map((w) => this.#counts(w).current(subject, now, w.seconds * 1000));
    const allowed = counts.every((c, i) => c.count < windows[i].limit);
    if (allowed) for (const c of counts) c.count++;
    return Promise.resolve({
      allowed,
      windows: windows.map((w, i) => ({
        limit: w.limit,
        seconds: w.seconds,
        remaining: Math.max(0, w.limit - counts[i].count),
        resetMs: counts[i].resetAt - now,
      })),
    });
  }

  peek(subject: string, windows: readonly Window[]): Promise<Decision> {
    const now = this.#now();
    const states = windows.map((w) => {
      const c = this.#counts(w).running(subject, now);
      const count = c?.count ?? 0;
      return {
        limit: w.limit,
        seconds: w.seconds,
        remaining: Math.max(0, w.limit - count),
        resetMs: c === undefined ? w.seconds * 1000 : c.resetAt - now,
      };
    });
    return Promise.resolve({ allowed: states.every((s) => s.remaining > 0), windows: states });
  }

  /** Returns how many subjects the window `w` currently tracks (for tests and metrics). */
  tracked(w: Window): number {
    return this.#counts(w).size;
  }

  /** Returns how many subjects all bounded windows (the per-IP tier's) track together. */
  trackedBounded(): number {
    let n = 0;
    for (const counts of this.#windows.values()) if (counts.bounded) n += counts.size;
    return n;
  }

  #counts(w: Window): WindowCounts {
    // Window objects are long-lived (one per tier), so the WeakMap hit is the common case.
    let counts = this.#byWindow.get(w);
    if (counts === undefined) {
      const id = `${w.limit}/${w.seconds}/${w.maxSubjects ?? "all"}`;
      counts = this.#windows.get(id);
      if (counts === undefined) {
        counts = new WindowCounts(w.maxSubjects ?? Number.POSITIVE_INFINITY);
        this.#windows.set(id, counts);
      }
      this.#byWindow.set(w, counts);
    }
    return counts;
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

// Reads the windows CONSUME_SCRIPT counts, counting nothing: same KEYS, ARGV and result.
const PEEK_SCRIPT = `
local result = {1}
for i = 1, #KEYS do
  local count = tonumber(redis.call('GET', KEYS[i]) or '0')
  if count >= tonumber(ARGV[2 * i - 1]) then result[1] = 0 end
  result[2 * i] = count
  local ttl = redis.call('PTTL', KEYS[i])
  if ttl < 0 then ttl = tonumber(ARGV[2 * i]) * 1000 end
  result[2 * i + 1] = ttl
end
return result`;

interface ConsumeCommand {
  /** The script with a dynamic key count: the number of keys, the keys, then ARGV. */
  dmRateLimitConsume(...args: (string | number)[]): Promise<number[]>;
  /** PEEK_SCRIPT, called like dmRateLimitConsume. */
  dmRateLimitPeek(...args: (string | number)[]): Promise<number[]>;
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
    if (!("dmRateLimitPeek" in client)) {
      client.defineCommand("dmRateLimitPeek", { lua: PEEK_SCRIPT });
    }
    this.#client = client as Redis & ConsumeCommand;
    this.#keyPrefix = keyPrefix;
    this.#fallback = fallback;
  }

  consume(subject: string, windows: readonly Window[]): Promise<Decision> {
    // Not connected: straight to the fallback rather than waiting for a command to fail.
    if (this.#client.status !== "ready") return this.#fallback.consume(subject, windows);
    return this.#count(this.#call(subject, windows)).then(
      (result) => decisionOf(windows, result),
      () => this.#fallback.consume(subject, windows),
    );
  }

  peek(subject: string, windows: readonly Window[]): Promise<Decision> {
    if (this.#client.status !== "ready") return this.#fallback.peek(subject, windows);
    return this.#client.dmRateLimitPeek(...this.#call(subject, windows)).then(
      (result) => decisionOf(windows, result),
      () => this.#fallback.peek(subject, windows),
    );
  }

  // The scripts' arguments: the key count, one key per window, then limit and seconds of each.
  #call(subject: string, windows: readonly Window[]): (string | number)[] {
    const call: (string | number)[] = [windows.length];
    for (const w of windows) call.push(`${this.#keyPrefix}rl:{${subject}}:${w.limit}/${w.seconds}`);
    for (const w of windows) call.push(w.limit, w.seconds);
    return call;
  }
}

/** The Decision of a script's result: {admitted (1/0), count and ms-to-reset per window}. */
function decisionOf(windows: readonly Window[], result: number[]): Decision {
  return {
    allowed: result[0] === 1,
    windows: windows.map((w, i) => ({
      limit: w.limit,
      seconds: w.seconds,
      remaining: Math.max(0, w.limit - result[2 * i + 1]),
      resetMs: Math.max(0, result[2 * i + 2]),
    })),
  };
}
