// Sign-in throttling after OWASP's authentication cheat sheet and NIST SP 800-63B §5.2.2: attempts
// are throttled per (account, client) with growing waits, one client cannot spray many accounts,
// and a much higher per-account ceiling of failures bounds guessing from many addresses, without
// ever refusing a client that has not failed on the account (so nobody can lock an owner out).
// Counted in the same stores as every other limit (memory, the cluster primary or Redis).
import { ProblemError } from "../problems.js";
import { type Decision, mostRestrictive, type RateLimiter, type Window } from "./rate-limit.js";

/**
 * Failed attempts per (account, client IP): 5 a minute, 10 per 15 minutes, 20 an hour, 50 a
 * day, so a client's waits grow from a minute to a quarter hour, an hour and a day. A right
 * password counts nothing here.
 */
export const PER_CLIENT: readonly Window[] = [
  { limit: 5, seconds: 60 },
  { limit: 10, seconds: 900 },
  { limit: 20, seconds: 3_600 },
  { limit: 50, seconds: 86_400 },
];

/**
 * Failed attempts per account from every client together: 100 per 15 minutes, 1,000 a day.
 * Past it, clients that have failed on the account are refused; one that has not still gets
 * its attempts (its own PER_CLIENT), so the right password from a fresh client always works.
 */
export const PER_ACCOUNT: readonly Window[] = [
  { limit: 100, seconds: 900 },
  { limit: 1_000, seconds: 86_400 },
];

/** Attempts per client IP over all accounts: 20 per minute, 200 per day. */
export const PER_IP: readonly Window[] = [
  { limit: 20, seconds: 60 },
  { limit: 200, seconds: 86_400 },
];

/** The windows sign-in attempts are counted in (PER_CLIENT when `perClient` is not given). */
export interface SignInLimits {
  readonly perIp: readonly Window[];
  readonly perAccount: readonly Window[];
  readonly perClient?: readonly Window[];
}

/** Reports how the attempt countAttempt admitted ended: `ok` when the password was right. */
export type AttemptOutcome = (ok: boolean) => Promise<void>;

// The 429 for a refusing `decision`: its RateLimit headers replace the general tier's, so they
// describe the limit that refused (and will refuse the next attempt until it resets).
function refuse(decision: Decision, nowMs: number): never {
  const shown = mostRestrictive(decision.windows);
  const seconds = Math.ceil(shown.resetMs / 1000);
  throw new ProblemError("rate_limited", {
    detail: `Too many sign-in attempts. Try again in ${seconds} seconds.`,
    retryAfter: seconds,
    headers: {
      "RateLimit-Policy": decision.windows.map((w) => `${w.limit};w=${w.seconds}`).join(", "),
      "RateLimit-Limit": String(shown.limit),
      "RateLimit-Remaining": "0",
      "RateLimit-Reset": String(seconds),
      "X-RateLimit-Limit": String(shown.limit),
      "X-RateLimit-Remaining": "0",
      "X-RateLimit-Reset": String(Math.ceil((nowMs + shown.resetMs) / 1000)),
    },
  });
}

/**
 * Returns a function that admits one sign-in attempt for `ip` and `email` (case-insensitive)
 * or rejects with 429 rate_limited (Retry-After): when the client IP has used its attempts over
 * all accounts (counted now), when this client has used its failures on this account, or when
 * the account's failure ceiling is reached and this client has itself failed on it (its last
 * PER_CLIENT window holds a failure). An admitted attempt resolves to the function that records
 * its outcome: a failure counts for the client and for the account. Failures are read before
 * the password is checked and counted after, so simultaneous guesses of one client can pass
 * the read together; the per-IP count, taken first, bounds how many. At most `maxSubjects`
 * subjects per window are tracked in memory (the anonymous tier's bound). A 429 carries the
 * RateLimit and X-RateLimit headers of the refusing windows (`now` stamps X-RateLimit-Reset).
 */
export function signInLimiter(
  limiter: RateLimiter,
  maxSubjects?: number,
  limits: SignInLimits = { perIp: PER_IP, perAccount: PER_ACCOUNT },
  now: () => number = Date.now,
) {
  const bounded = (windows: readonly Window[]) => windows.map((w) => ({ ...w, maxSubjects }));
  const perIp = bounded(limits.perIp);
  const perClient = bounded(limits.perClient ?? PER_CLIENT);
  const perAccount = bounded(limits.perAccount);
  return async function countAttempt(ip: string, email: string): Promise<AttemptOutcome> {
    const normalized = email.trim().toLowerCase();
    const account = `signin-account:${normalized}`;
    const client = `signin-client:${normalized}\u0000${ip}`;
    const [byIp, clientFailures, accountFailures] = await Promise.all([
      limiter.consume(`signin-ip:${ip}`, perIp),
      limiter.peek(client, perClient),
      limiter.peek(account, perAccount),
    ]);
    if (!byIp.allowed) refuse(byIp, now());
    if (!clientFailures.allowed) refuse(clientFailures, now());
    const longest = clientFailures.windows[clientFailures.windows.length - 1];
    const failedHere = longest.remaining < longest.limit;
    if (!accountFailures.allowed && failedHere) refuse(accountFailures, now());
    return async (ok) => {
      if (ok) return;
      await Promise.all([limiter.consume(client, perClient), limiter.consume(account, perAccount)]);
    };
  };
}
