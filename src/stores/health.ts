// What every store (key database, accounts, Redis) reports to /readyz and writes to the log.

/** The subset of a pino logger the store writes to. */
export interface StoreLogger {
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

/** The store's view of its database, for /readyz. */
export interface StoreHealth {
  /** False from a failed database call until the next one succeeds. */
  readonly ok: boolean;
  /** The last failure, when not ok. */
  readonly error?: string;
  /** When the snapshot was last confirmed current (ms since the epoch). */
  readonly syncedAt: number;
}
