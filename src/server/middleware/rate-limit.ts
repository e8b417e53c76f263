// Request limits per caller: fixed windows counted behind the RateLimiter contract
// (src/limits/: memory, the cluster primary, Redis), and the draft-06 RateLimit headers plus
// the legacy X-RateLimit-* ones on every response that passes through.
import type { NextFunction, Request, Response } from "express";
import type { Clock } from "../../clock.js";
import type { RateLimiter, Window, WindowState } from "../../limits/limiter.js";
import { ProblemError } from "../problems.js";
import { settleDeferred } from "./authenticate.js";

export type { Decision, RateLimiter, Window, WindowState } from "../../limits/limiter.js";

/** Per-minute and per-day request counts. */
export interface Tier {
  readonly perMinute: number;
  readonly perDay: number;
  /** Bound on the subjects tracked per window in memory (see Window.maxSubjects). */
  readonly maxSubjects?: number;
}

/** Options of rateLimit(): the key default tier, the per-IP tier for anonymous callers. */
export interface RateLimitOptions {
  limiter: RateLimiter;
  keyDefault: Tier;
  anonymous: Tier;
  clock: Clock;
  /** Called for every request refused with 429, with the tier that refused it (metrics). */
  onLimited?: (tier: "key" | "anonymous") => void;
}

interface Policy {
  windows: readonly Window[];
  /** The RateLimit-Policy value, e.g. "300;w=60, 10000;w=86400", built once per tier. */
  header: string;
}

function policyOf(tier: Tier): Policy {
  const { maxSubjects } = tier;
  const windows = [
    { limit: tier.perMinute, seconds: 60, maxSubjects },
    { limit: tier.perDay, seconds: 86_400, maxSubjects },
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
 * A credential identify() deferred (a key the snapshot lacks) is verified only after its IP has
 * been charged and admitted; a verified caller is then charged against its own tier, whose
 * headers replace the IP's.
 */
export function rateLimit(options: RateLimitOptions) {
  const { limiter, clock, onLimited } = options;
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

  // Counts one request of `subject` under `policy`, sets the headers, throws 429 when refused.
  const charge = (res: Response, subject: string, policy: Policy, anonymous: boolean) =>
    limiter.consume(subject, policy.windows).then((decision) => {
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
        onLimited?.(anonymous ? "anonymous" : "key");
        throw new ProblemError("rate_limited", {
          retryAfter: resetSeconds,
        });
      }
    });

  const chargeCaller = (req: Request, res: Response) => {
    const principal = req.auth?.principal;
    return principal
      ? charge(res, principal.subject, policyFor(principal.limits), false)
      : charge(res, `ip:${req.ip}`, anonymousPolicy, true);
  };

  return function limitRate(req: Request, res: Response, next: NextFunction): Promise<void> {
    // Returned, not awaited in an async function: Express 5 routes a rejection to the handler.
    if (req.auth?.deferred === undefined) return chargeCaller(req, res).then(() => next());
    return charge(res, `ip:${req.ip}`, anonymousPolicy, true)
      .then(() => settleDeferred(req))
      .then(() => (req.auth?.principal ? chargeCaller(req, res) : undefined))
      .then(() => next());
  };
}
