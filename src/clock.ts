// The time source the HTTP layer reads, injectable so tests can move time (key expiry, timestamps).

/** A source of the current time in milliseconds since the Unix epoch. */
export interface Clock {
  now(): number;
}

/** The real clock (Date.now). */
export const systemClock: Clock = { now: Date.now };
