// Request limits per caller: fixed windows counted behind the RateLimiter contract
// (src/limits/: memory, the cluster primary, Redis), and the draft-06 RateLimit headers plus
// the legacy X-RateLimit-* ones on every response that passes through.
import type { NextFunction, Request, Response } from "express";
import type { Clock } from "../../clock.js";
import type { Decision, RateLimiter, Window, WindowState } from "../../limits/limiter.js";
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

/** The tiers a request can be counted in, as named in metrics. */
export type TierName = "key" | "anonymous" | "unverified";

/** Options of rateLimit(): the key default tier and the per-IP tiers. */
export interface RateLimitOptions {
  limiter: RateLimiter;
  keyDefault: Tier;
  /** Per IP, for callers without a valid credential. */
  anonymous: Tier;
  /**
   * Per IP, for requests whose credential needs I/O to verify, counted before it (default: the
   * anonymous tier's windows ten times over).
   */
  unverified?: Tier;
  clock: Clock;
  /** Called for every request refused with 429, with the tier that refused it (metrics). */
  onLimited?: (tier: TierName) => void;
}

interface Policy {
  windows: readonly Window[];
  /** The RateLimit-Policy value, e.g. "300;w=60, 10000;w=86400", built once per tier. */
  header: string;
}

/** One tier a request was counted in, and the verdict. */
interface Counted {
  policy: Policy;
  tier: TierName;
  decision: Decision;
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
 * Returns middleware that counts the request against the caller, sets RateLimit-Policy,
 * RateLimit-Limit, -Remaining, -Reset (relative seconds) and X-RateLimit-Limit, -Remaining,
 * -Reset (absolute Unix seconds) on the response, and fails with 429 rate_limited (Retry-After
 * equal to RateLimit-Reset) when a window is exhausted. Per-key limits of 0 fall back to the
 * default. Who is charged:
 * - a caller identify() accepted at once (an API key in the snapshot, a cached token): its own
 *   tier only;
 * - no credential, or one refused at once: the client IP's anonymous tier;
 * - a credential identify() deferred (a session cookie, a token or key still to look up): the
 *   client IP's unverified tier first, which bounds the I/O that guessed credentials can cause;
 *   then, once verified, the caller's own tier, or, when the credential proves invalid, the
 *   IP's anonymous tier as well.
 * The headers always describe the window that will refuse the next request: of every tier the
 * request was counted in, the one with the fewest requests left.
 */
export function rateLimit(options: RateLimitOptions) {
  const { limiter, clock, onLimited } = options;
  const defaultPolicy = policyOf(options.keyDefault);
  const anonymousPolicy = policyOf(options.anonymous);
  const unverifiedPolicy = policyOf(
    options.unverified ?? {
      perMinute: options.anonymous.perMinute * 10,
      perDay: options.anonymous.perDay * 10,
      maxSubjects: options.anonymous.maxSubjects,
    },
  );
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

  const count = (subject: string, policy: Policy, tier: TierName): Promise<Counted> =>
    limiter.consume(subject, policy.windows).then((decision) => ({ policy, tier, decision }));

  // Sets the headers from the tiers counted so far and throws 429 when one refused. Shown: the
  // refusing tier's window, else the window with the fewest requests left over all tiers.
  const publish = (res: Response, counted: readonly Counted[]): void => {
    let from = counted[0];
    let shown = mostRestrictive(from.decision.windows);
    for (const c of counted) {
      const w = mostRestrictive(c.decision.windows);
      const refusedFirst = !c.decision.allowed && from.decision.allowed;
      const fewer =
        c.decision.allowed === from.decision.allowed &&
        (w.remaining < shown.remaining ||
          (w.remaining === shown.remaining && w.resetMs > shown.resetMs));
      if (refusedFirst || fewer) {
        from = c;
        shown = w;
      }
    }
    const resetSeconds = Math.ceil(shown.resetMs / 1000);
    res.setHeader("RateLimit-Policy", from.policy.header);
    res.setHeader("RateLimit-Limit", shown.limit);
    res.setHeader("RateLimit-Remaining", shown.remaining);
    res.setHeader("RateLimit-Reset", resetSeconds);
    res.setHeader("X-RateLimit-Limit", shown.limit);
    res.setHeader("X-RateLimit-Remaining", shown.remaining);
    res.setHeader("X-RateLimit-Reset", Math.ceil((clock.now() + shown.resetMs) / 1000));
    if (!from.decision.allowed) {
      onLimited?.(from.tier);
      throw new ProblemError("rate_limited", { retryAfter: resetSeconds });
    }
  };

  const countCaller = (req: Request): Promise<Counted> => {
    const principal = req.auth?.principal;
    return principal
      ? count(principal.subject, policyFor(principal.limits), "key")
      : count(`ip:${req.ip}`, anonymousPolicy, "anonymous");
  };

  const verifyThenCount = async (req: Request, res: Response): Promise<void> => {
    const gate = await count(`unverified:${req.ip}`, unverifiedPolicy, "unverified");
    // Published now too, so an answer the verification itself fails with (a 503) carries them.
    publish(res, [gate]);
    await settleDeferred(req);
    publish(res, [gate, await countCaller(req)]);
  };

  return function limitRate(req: Request, res: Response, next: NextFunction): Promise<void> {
    // Returned, not awaited in an async function: Express 5 routes a rejection to the handler.
    if (req.auth?.deferred === undefined) {
      return countCaller(req).then((counted) => {
        publish(res, [counted]);
        next();
      });
    }
    return verifyThenCount(req, res).then(() => next());
  };
}
