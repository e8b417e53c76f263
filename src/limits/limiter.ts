// The rate-limit contract every counter implements (memory, cluster IPC, Redis) and the
// middleware and sign-in limits consume: fixed windows per subject, all-or-nothing.

/** One counting window: at most `limit` requests per `seconds`. */
export interface Window {
  readonly limit: number;
  readonly seconds: number;
  /**
   * At most this many subjects are tracked in memory; past it the oldest are forgotten (and
   * start afresh). Unset: every subject (keys, which the key database bounds).
   */
  readonly maxSubjects?: number;
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
 * Counts requests per subject. `consume` admits a request only if every window has room, and
 * then counts it in all of them; a refused request must use up no window. Implementations must
 * be exact under concurrency: N simultaneous requests against a remaining quota of Q admit
 * exactly min(N, Q).
 */
export interface RateLimiter {
  consume(subject: string, windows: readonly Window[]): Promise<Decision>;
  /**
   * Returns what `consume` would decide now without counting anything: `allowed` when every
   * window has room, and each window's state (a window not running yet is full and resets a
   * whole window from now). For decisions that depend on a count another event adds (sign-in
   * failures), never as a check-then-consume of the same request.
   */
  peek(subject: string, windows: readonly Window[]): Promise<Decision>;
}
