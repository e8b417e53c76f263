// Sign-in attempts are limited per client IP and per account on top of the general per-IP tier:
// a password guesser gets a handful of tries per account per quarter hour, however many
// addresses it has, and one address cannot spray many accounts. Counted in the same stores as
// every other limit (memory, the cluster primary or Redis), so the bound holds across instances.
import { ProblemError } from "../problems.js";
import { mostRestrictive, type RateLimiter, type Window } from "./rate-limit.js";

/** Attempts per account: 10 per 15 minutes, 100 per day. */
export const PER_ACCOUNT: readonly Window[] = [
  { limit: 10, seconds: 900 },
  { limit: 100, seconds: 86_400 },
];

/** Attempts per client IP: 20 per minute, 200 per day. */
export const PER_IP: readonly Window[] = [
  { limit: 20, seconds: 60 },
  { limit: 200, seconds: 86_400 },
];

/** The windows sign-in attempts are counted in. */
export interface SignInLimits {
  readonly perIp: readonly Window[];
  readonly perAccount: readonly Window[];
}

/**
 * Returns a function that counts one sign-in attempt for `ip` and `email` (case-insensitive)
 * and rejects with 429 rate_limited (Retry-After) when either is exhausted. At most
 * `maxSubjects` IPs and accounts each are tracked in memory (the anonymous tier's bound), as
 * anyone may try any address.
 */
export function signInLimiter(
  limiter: RateLimiter,
  maxSubjects?: number,
  limits: SignInLimits = { perIp: PER_IP, perAccount: PER_ACCOUNT },
) {
  const bounded = (windows: readonly Window[]) => windows.map((w) => ({ ...w, maxSubjects }));
  const perIp = bounded(limits.perIp);
  const perAccount = bounded(limits.perAccount);
  return async function countAttempt(ip: string, email: string): Promise<void> {
    const [byIp, byAccount] = await Promise.all([
      limiter.consume(`signin-ip:${ip}`, perIp),
      limiter.consume(`signin-account:${email.trim().toLowerCase()}`, perAccount),
    ]);
    for (const decision of [byIp, byAccount]) {
      if (decision.allowed) continue;
      const seconds = Math.ceil(mostRestrictive(decision.windows).resetMs / 1000);
      throw new ProblemError("rate_limited", {
        detail: `Too many sign-in attempts. Try again in ${seconds} seconds.`,
        retryAfter: seconds,
      });
    }
  };
}
