// Request limits per caller: fixed windows counted by rate-limiter-flexible behind a small
// interface (memory now, a shared store later), and the draft-06 RateLimit headers plus the
// legacy X-RateLimit-* ones on every response that passes through.
import type { NextFunction, Request, Response } from "express";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { Clock } from "../clock.js";
import { ProblemError } from "../problems.js";

/** One counting window: at most `limit` requests per `seconds`. */
export interface Window {
  readonly limit: number;
  readonly seconds: number;
}

/** A window's state after a request was counted. `resetMs` is the time until it restarts. */
export interface WindowState {
  readonly limit: number;
  readonly seconds: number;
  readonly remaining: number;
  readonly resetMs: number;
}

/** The verdict on one request: admitted or not, and every window's state (same order). */
export interface Decision {
  readonly allowed: boolean;
  readonly windows: readonly WindowState[];
}

/**
 * Counts requests per subject. `consume` counts one request against every window and admits it
 * only if all admit; a refused request must not use up any window (refund the ones that
 * admitted). Implementations must be exact under concurrency: N simultaneous requests against
 * a remaining quota of Q admit exactly min(N, Q).
 */
export interface RateLimiter {
  consume(subject: string, windows: readonly Window[]): Promise<Decision>;
}

/**
 * In-process RateLimiter on rate-limiter-flexible's RateLimiterMemory: one limiter per distinct
 * (limit, seconds) pair, created on first use. Exact because the memory store increments
 * synchronously on the one event loop. Not shared between processes.
 */
export class MemoryRateLimiter implements RateLimiter {
  readonly #limiters = new Map<string, RateLimiterMemory>();
  readonly #byWindow = new WeakMap<Window, RateLimiterMemory>();

  async consume(subject: string, windows: readonly Window[]): Promise<Decision> {
    const limiters = windows.map((w) => this.#limiter(w));
    // Start every count before awaiting any: the memory store increments synchronously, in
    // order, so simultaneous requests are counted exactly.
    const pending = limiters.map((l) => l.consume(subject));
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
    const states = windows.map((w, i): WindowState => {
      const res = results[i];
      const admitted = res.consumedPoints <= w.limit;
      if (!allowed && admitted) {
        // Refund: a refused request must not use up the windows that would have admitted it.
        // The memory store applies it synchronously; the returned promise only reports.
        void limiters[i].reward(subject);
      }
      return {
        limit: w.limit,
        seconds: w.seconds,
        remaining: !allowed && admitted ? res.remainingPoints + 1 : res.remainingPoints,
        resetMs: Math.max(0, res.msBeforeNext),
      };
    });
    return { allowed, windows: states };
  }

  #limiter(w: Window): RateLimiterMemory {
    // Window objects are long-lived (one per tier), so the WeakMap hit is the common case.
    let limiter = this.#byWindow.get(w);
    if (limiter === undefined) {
      const id = `${w.limit}/${w.seconds}`;
      limiter = this.#limiters.get(id);
      if (limiter === undefined) {
        limiter = new RateLimiterMemory({ points: w.limit, duration: w.seconds });
        this.#limiters.set(id, limiter);
      }
      this.#byWindow.set(w, limiter);
    }
    return limiter;
  }
}

/** Per-minute and per-day request counts. */
export interface Tier {
  readonly perMinute: number;
  readonly perDay: number;
}

/** Options of rateLimit(): the key default tier, the per-IP tier for anonymous callers. */
export interface RateLimitOptions {
  limiter: RateLimiter;
  keyDefault: Tier;
  anonymous: Tier;
  clock: Clock;
}

interface Policy {
  windows: readonly Window[];
  /** The RateLimit-Policy value, e.g. "300;w=60, 10000;w=86400", built once per tier. */
  header: string;
}

function policyOf(tier: Tier): Policy {
  const windows = [
    { limit: tier.perMinute, seconds: 60 },
    { limit: tier.perDay, seconds: 86_400 },
  ];
  return { windows, header: windows.map((w) => `${w.limit};w=${w.seconds}`).join(", ") };
}

/**
 * Returns the window to report: the one with the fewest requests left, and of those the one
 * that resets last, so that on a 429 Retry-After names a time at which a retry can succeed.
 */
export function mostRestrictive(windows: readonly WindowState[]): WindowState {
  let pick = windows[0];
  for (const w of windows) {
    const fewer = w.remaining < pick.remaining;
    if (fewer || (w.remaining === pick.remaining && w.resetMs > pick.resetMs)) pick = w;
  }
  return pick;
}

/**
 * Returns middleware that counts the request against the caller (the principal set by
 * identify(), or the client IP for anyone else), sets RateLimit-Policy, RateLimit-Limit,
 * -Remaining, -Reset (relative seconds) and X-RateLimit-Limit, -Remaining, -Reset (absolute
 * Unix seconds) on the response, and fails with 429 rate_limited (Retry-After equal to
 * RateLimit-Reset) when any window is exhausted. Per-key limits of 0 fall back to the default.
 */
export function rateLimit(options: RateLimitOptions) {
  const { limiter, clock } = options;
  const defaultPolicy = policyOf(options.keyDefault);
  const anonymousPolicy = policyOf(options.anonymous);
  // Per-key tiers are objects cached with the key record, so a WeakMap makes this one lookup.
  const keyPolicies = new WeakMap<Tier, Policy>();
  const policyFor = (tier: Tier | undefined): Policy => {
    if (tier === undefined || (tier.perMinute === 0 && tier.perDay === 0)) return defaultPolicy;
    let policy = keyPolicies.get(tier);
    if (policy === undefined) {
      policy = policyOf({
        perMinute: tier.perMinute || options.keyDefault.perMinute,
        perDay: tier.perDay || options.keyDefault.perDay,
      });
      keyPolicies.set(tier, policy);
    }
    return policy;
  };

  return function limitRate(req: Request, res: Response, next: NextFunction): Promise<void> {
    const principal = req.auth?.principal;
    const policy = principal ? policyFor(principal.limits) : anonymousPolicy;
    const subject = principal ? principal.subject : `ip:${req.ip}`;
    // Returned, not awaited in an async function: Express 5 routes a rejection to the handler.
    return limiter.consume(subject, policy.windows).then((decision) => {
      const shown = mostRestrictive(decision.windows);
      const resetSeconds = Math.ceil(shown.resetMs / 1000);
      res.setHeader("RateLimit-Policy", policy.header);
      res.setHeader("RateLimit-Limit", shown.limit);
      res.setHeader("RateLimit-Remaining", shown.remaining);
      res.setHeader("RateLimit-Reset", resetSeconds);
      res.setHeader("X-RateLimit-Limit", shown.limit);
      res.setHeader("X-RateLimit-Remaining", shown.remaining);
      res.setHeader("X-RateLimit-Reset", Math.ceil((clock.now() + shown.resetMs) / 1000));
      if (!decision.allowed) {
        throw new ProblemError("rate_limited", {
          retryAfter: resetSeconds,
          headers: { "Retry-After": String(resetSeconds) },
        });
      }
      next();
    });
  };
}
