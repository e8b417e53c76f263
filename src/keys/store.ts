// The API key store: a key database (SQLite or PostgreSQL, see backend.ts) fronted by an
// in-memory snapshot of the active keys, so a request with a known key never waits on I/O. The
// snapshot follows changes made anywhere (other processes, other machines, the CLI); a key the
// snapshot lacks gets one indexed lookup; database faults are logged once per outage and never
// thrown from a timer.
import type { Clock } from "../clock.js";
import { systemClock } from "../clock.js";
import { describeError } from "../describe-error.js";
import type { StoreHealth, StoreLogger } from "../stores/health.js";
import type { KeyBackend, KeyRow } from "./backend.js";
import { generateKey, hashKey, type KeyPrefix, keyHint } from "./format.js";

export type { StoreHealth, StoreLogger } from "../stores/health.js";

/** A key as listed by the CLI: the row without even the hash of the secret. */
export type KeyRecord = Omit<KeyRow, "keyHash">;

/** What a request needs to know about an active key. */
export interface ActiveKey {
  id: number;
  name: string;
  /** Expiry in ms since the epoch, or null for none. */
  expiresAtMs: number | null;
  perMinute: number;
  perDay: number;
  /** The user the key belongs to, or null for an operator's key. */
  ownerId: number | null;
}

/** The read side used per request. */
export interface KeyLookup {
  /**
   * Returns the active key whose base64 SHA-256 digest is `digest` from the in-memory snapshot,
   * or undefined when the snapshot does not hold it (it may still exist: see lookup).
   */
  find(digest: string): ActiveKey | undefined;
  /**
   * Asks the database for a key the snapshot lacks (created a moment ago elsewhere). Resolves
   * to the key, or undefined when there is no such active key (remembered briefly, so repeats
   * cost nothing); rejects with KeyStoreUnavailableError when the database cannot answer.
   */
  lookup(digest: string): Promise<ActiveKey | undefined>;
  /** Notes that key `id` was used now; persisted later in a batch, never per request. */
  touch(id: number): void;
}

/** Thrown by lookup() when the key database cannot be reached; names the database. */
export class KeyStoreUnavailableError extends Error {
  constructor(location: string, cause: unknown) {
    super(`The key database ${location} is unavailable: ${describeError(cause)}`, { cause });
    this.name = "KeyStoreUnavailableError";
  }
}

/** Options for creating a key. Limits of 0 (or omitted) mean the default tier. */
export interface NewKey {
  name: string;
  prefix?: KeyPrefix;
  perMinute?: number;
  perDay?: number;
  /** ISO 8601 instant after which the key is refused. */
  expiresAt?: string | null;
  /** The user (users.id) the key belongs to; null or omitted for an operator's key. */
  ownerId?: number | null;
}

/** Which slice of a list to return: skip `offset` items, then at most `limit`. */
export interface Page {
  offset: number;
  limit: number;
}

/** The most keys one listOwned() call returns. */
export const MAX_PAGE_LIMIT = 1000;

/** Options for opening the store. */
export interface StoreOptions {
  /**
   * Period of the check for changes made elsewhere, in ms. 0 = follow no changes made elsewhere
   * (no timer, no change notifications): for short-lived users such as the CLI.
   */
  refreshMs?: number;
  /** Period of the batched last_used write, in ms; 0 = only on flush()/close(). */
  flushMs?: number;
  /** How long a key the database did not know is refused without asking again, in ms. */
  missTtlMs?: number;
  clock?: Clock;
  /** Where outages and recoveries are reported (default: nowhere). */
  logger?: StoreLogger;
  /** Called for every failed database call (metrics). */
  onError?: (err: unknown) => void;
}

// Bounds the memory an attacker can make us spend on remembered misses (one entry per distinct
// well-formed key tried): past this many, the cache starts over.
const MAX_REMEMBERED_MISSES = 10_000;
const MAX_LIMIT = 1_000_000_000;
/** Longest pause between attempts to reach a database that is down. */
export const MAX_RETRY_MS = 5000;

/**
 * The key store over one KeyBackend. Requests read a Map of active keys keyed by digest; the
 * map is rebuilt after this process changes keys, whenever the backend pushes a change
 * (PostgreSQL NOTIFY), and whenever the backend's change token moves (polled every
 * `refreshMs`), so a revoke made anywhere is honoured within about `refreshMs`.
 */
export class KeyStore implements KeyLookup {
  readonly #backend: KeyBackend;
  readonly #clock: Clock;
  readonly #logger?: StoreLogger;
  readonly #onError?: (err: unknown) => void;
  readonly #missTtlMs: number;
  readonly #timers: NodeJS.Timeout[] = [];
  #active = new Map<string, ActiveKey>();
  #misses = new Map<string, number>();
  #inflight = new Map<string, Promise<ActiveKey | undefined>>();
  #token: string | undefined;
  #refreshing: Promise<void> | undefined;
  #refreshAgain = false;
  #pendingUse = new Map<number, number>();
  #health: StoreHealth;
  #failures = 0;
  #writeFault = false;
  #lastAttempt = 0;
  #closed = false;

  /**
   * Opens the store on `backend`: loads the active keys (rejecting if that fails, so a server
   * never starts blind), then starts the refresh and flush timers (unref'd) and, with a
   * refresh timer, subscribes to the backend's change notifications when it has them.
   */
  static async open(backend: KeyBackend, options: StoreOptions = {}): Promise<KeyStore> {
    const store = new KeyStore(backend, options);
    await store.#reload();
    const { refreshMs = 500, flushMs = 5000 } = options;
    if (refreshMs > 0) {
      store.#every(refreshMs, () => store.#poll(refreshMs));
      backend.watch?.(() => {
        void store.refresh(true);
      });
    }
    if (flushMs > 0) store.#every(flushMs, () => store.flush());
    return store;
  }

  private constructor(backend: KeyBackend, options: StoreOptions) {
    this.#backend = backend;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger;
    this.#onError = options.onError;
    this.#missTtlMs = options.missTtlMs ?? 2000;
    this.#health = { ok: true, syncedAt: this.#clock.now() };
  }

  /** Where the keys live (a file path, or PostgreSQL host:port/database). */
  get location(): string {
    return this.#backend.location;
  }

  /** See KeyLookup.find. A Map lookup on the digest: no comparison ever runs on the secret. */
  find(digest: string): ActiveKey | undefined {
    return this.#active.get(digest);
  }

  /** See KeyLookup.lookup. Concurrent lookups of one digest share one query. */
  lookup(digest: string): Promise<ActiveKey | undefined> {
    const known = this.#active.get(digest);
    if (known !== undefined) return Promise.resolve(known);
    const missedAt = this.#misses.get(digest);
    if (missedAt !== undefined && this.#clock.now() - missedAt < this.#missTtlMs) {
      return Promise.resolve(undefined);
    }
    let pending = this.#inflight.get(digest);
    if (pending === undefined) {
      pending = this.#lookupOnce(digest).finally(() => this.#inflight.delete(digest));
      this.#inflight.set(digest, pending);
    }
    return pending;
  }

  async #lookupOnce(digest: string): Promise<ActiveKey | undefined> {
    let row: KeyRow | undefined;
    try {
      row = await this.#backend.activeKey(Buffer.from(digest, "base64"));
    } catch (err) {
      this.#fault("lookup", err);
      throw new KeyStoreUnavailableError(this.#backend.location, err);
    }
    this.#recovered("read");
    if (row === undefined) {
      if (this.#misses.size >= MAX_REMEMBERED_MISSES) this.#misses.clear();
      this.#misses.set(digest, this.#clock.now());
      return undefined;
    }
    const key = toActiveKey(row);
    this.#active.set(digest, key);
    return key;
  }

  /** See KeyLookup.touch. */
  touch(id: number): void {
    this.#pendingUse.set(id, this.#clock.now());
  }

  // The timer's refresh: every tick while the database answers; while it does not, after 1, 2,
  // 4... ticks up to MAX_RETRY_MS, so an outage is not hammered (a PostgreSQL connection attempt
  // waits up to 2 s) yet recovery is noticed within seconds.
  #poll(refreshMs: number): Promise<void> {
    if (this.#health.ok) {
      this.#failures = 0;
      return this.refresh();
    }
    const backoff = Math.min(refreshMs * 2 ** this.#failures, MAX_RETRY_MS);
    if (performance.now() - this.#lastAttempt < backoff) return Promise.resolve();
    this.#failures++;
    return this.refresh();
  }

  /**
   * Reloads the active keys if the backend's change token moved since the last load (always,
   * with `force`). Never rejects: a failure is logged once per outage, marks the store
   * unhealthy and is retried on the next call; the snapshot stays as it was. Calls made while a
   * refresh runs are folded into one more refresh after it.
   */
  refresh(force = false): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (this.#refreshing !== undefined) {
      this.#refreshAgain ||= force;
      return this.#refreshing;
    }
    this.#refreshing = this.#refreshOnce(force).finally(() => {
      this.#refreshing = undefined;
      if (this.#refreshAgain) {
        this.#refreshAgain = false;
        void this.refresh(true);
      }
    });
    return this.#refreshing;
  }

  async #refreshOnce(force: boolean): Promise<void> {
    this.#lastAttempt = performance.now();
    try {
      const token = await this.#backend.changeToken();
      if (force || token !== this.#token) await this.#reload(token);
      this.#recovered("read");
    } catch (err) {
      this.#fault("refresh", err);
    }
  }

  // Reads the token before the rows: a change committed in between moves the token again, so
  // the next refresh reloads rather than keeping a stale snapshot under a current token.
  async #reload(token?: string): Promise<void> {
    const current = token ?? (await this.#backend.changeToken());
    const rows = await this.#backend.activeKeys();
    const next = new Map<string, ActiveKey>();
    for (const row of rows) next.set(row.keyHash.toString("base64"), toActiveKey(row));
    this.#active = next;
    // Something changed, perhaps a key created since it was last refused.
    this.#misses.clear();
    this.#token = current;
    this.#recovered("read");
  }

  /** The store's health: whether the database answered last time, and when it last synced. */
  health(): StoreHealth {
    return this.#health;
  }

  /**
   * Creates a key and returns its id and the key itself — the only time the key exists in
   * clear. Throws RangeError for an empty name, negative, fractional or huge limits, an
   * unparseable expiry or an owner id that is not a positive integer; rejects when the database
   * fails, or refuses an owner id no user has (a foreign key violation).
   */
  async create(spec: NewKey): Promise<{ id: number; key: string }> {
    const { key, row } = this.#newRow(spec);
    const id = (await this.#backend.insert(row)) as number;
    await this.#reload();
    return { id, key };
  }

  /**
   * Creates a first key named "first key" only if there has never been any key, atomically
   * against other instances starting at the same time. Returns the key, or null when there
   * were keys already.
   */
  async createFirstKey(): Promise<string | null> {
    const { key, row } = this.#newRow({ name: "first key" });
    const id = await this.#backend.insert(row, true);
    if (id === undefined) return null;
    await this.#reload();
    return key;
  }

  #newRow(spec: NewKey) {
    const name = spec.name.trim();
    if (name === "") throw new RangeError("A key needs a non-empty name.");
    const perMinute = checkLimit(spec.perMinute ?? 0, "per-minute");
    const perDay = checkLimit(spec.perDay ?? 0, "per-day");
    let expiresAt: string | null = null;
    if (spec.expiresAt != null) {
      const ms = ISO_8601.test(spec.expiresAt) ? Date.parse(spec.expiresAt) : Number.NaN;
      if (Number.isNaN(ms)) {
        throw new RangeError(`Expiry ${JSON.stringify(spec.expiresAt)} is not an ISO 8601 date.`);
      }
      expiresAt = new Date(ms).toISOString();
    }
    const ownerId = spec.ownerId ?? null;
    if (ownerId !== null) checkId(ownerId, "An owner id");
    const prefix = spec.prefix ?? "csb";
    const key = generateKey(prefix);
    const row = {
      prefix,
      keyHash: Buffer.from(hashKey(key), "base64"),
      name,
      createdAt: new Date(this.#clock.now()).toISOString(),
      expiresAt,
      perMinute,
      perDay,
      ownerId,
      hint: keyHint(key),
    };
    return { key, row };
  }

  /** Returns every key, revoked ones included, oldest first, with pending last_used applied. */
  async list(): Promise<KeyRecord[]> {
    await this.flush();
    return (await this.#backend.allKeys()).map(({ keyHash: _secretHash, ...record }) => record);
  }

  /** Revokes key `id`; resolves to false if no active key has that id. Effective at once here. */
  async revoke(id: number): Promise<boolean> {
    const revoked = await this.#backend.deactivate(id);
    await this.#reload();
    return revoked;
  }

  /**
   * Returns one page of user `ownerId`'s keys, revoked ones included, newest first, with pending
   * last_used applied, and how many keys the user has in all. Throws RangeError for an owner id
   * that is not a positive integer, a negative or fractional offset, or a limit outside 1 to
   * MAX_PAGE_LIMIT. A page past the end is empty, with the total still counted.
   */
  async listOwned(ownerId: number, page: Page): Promise<{ keys: KeyRecord[]; total: number }> {
    checkId(ownerId, "An owner id");
    if (!Number.isSafeInteger(page.offset) || page.offset < 0) {
      throw new RangeError(`The offset must be a whole number from 0, got ${page.offset}.`);
    }
    if (!Number.isSafeInteger(page.limit) || page.limit < 1 || page.limit > MAX_PAGE_LIMIT) {
      throw new RangeError(
        `The limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}, got ${page.limit}.`,
      );
    }
    await this.flush();
    const { rows, total } = await this.#backend.ownedKeys(ownerId, page.offset, page.limit);
    return { keys: rows.map(({ keyHash: _secretHash, ...record }) => record), total };
  }

  /**
   * Revokes key `id` if it is an active key of user `ownerId`; resolves to false otherwise (no
   * such key, revoked already, or another owner's: callers answer all three alike). Effective
   * at once in this process, like revoke().
   */
  async revokeOwned(id: number, ownerId: number): Promise<boolean> {
    if (!isRowId(id) || !isRowId(ownerId)) return false;
    const revoked = await this.#backend.deactivateOwned(id, ownerId);
    if (revoked) await this.#reload();
    return revoked;
  }

  /** Resolves to the number of keys ever created (revoked included). */
  count(): Promise<number> {
    return this.#backend.count();
  }

  /**
   * Writes the pending last_used times in one batch; a no-op when nothing is pending. Never
   * rejects: on failure the times are kept for the next flush and the fault is logged.
   */
  async flush(): Promise<void> {
    if (this.#pendingUse.size === 0 || this.#closed) return;
    const pending = this.#pendingUse;
    this.#pendingUse = new Map();
    try {
      await this.#backend.recordUse(pending);
      this.#recovered("write");
    } catch (err) {
      // Keep the newer of the failed batch and uses noted meanwhile.
      for (const [id, ms] of pending) {
        if ((this.#pendingUse.get(id) ?? 0) < ms) this.#pendingUse.set(id, ms);
      }
      this.#fault("flush", err);
    }
  }

  /** Stops the timers, flushes last_used and closes the database. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    for (const timer of this.#timers) clearInterval(timer);
    await this.flush();
    this.#closed = true;
    await this.#refreshing;
    await this.#backend.close();
  }

  #every(ms: number, task: () => Promise<void>): void {
    this.#timers.push(
      setInterval(() => {
        void task();
      }, ms).unref(),
    );
  }

  #fault(operation: string, err: unknown): void {
    this.#onError?.(err);
    // A failed write (another process holding SQLite's write lock, a full disk) is only over
    // once a write succeeds: reads keep working meanwhile and must not end the outage.
    if (operation === "flush") this.#writeFault = true;
    const wasOk = this.#health.ok;
    this.#health = { ok: false, error: describeError(err), syncedAt: this.#health.syncedAt };
    if (wasOk) {
      this.#logger?.warn(
        { store: this.#backend.location, operation, err: describeError(err) },
        "key database unavailable: serving the keys already loaded; new keys get 503",
      );
    }
  }

  // A successful call of `kind`: the snapshot is current; the outage, if any, ends unless it is
  // a write fault and this was only a read.
  #recovered(kind: "read" | "write"): void {
    const now = this.#clock.now();
    if (kind === "write") this.#writeFault = false;
    if (this.#health.ok || this.#writeFault) {
      this.#health = { ...this.#health, syncedAt: now };
      return;
    }
    this.#health = { ok: true, syncedAt: now };
    this.#logger?.info({ store: this.#backend.location }, "key database reachable again");
  }
}

function toActiveKey(row: KeyRow): ActiveKey {
  return {
    id: row.id,
    name: row.name,
    expiresAtMs: row.expiresAt === null ? null : Date.parse(row.expiresAt),
    perMinute: row.perMinute,
    perDay: row.perDay,
    ownerId: row.ownerId,
  };
}

// Date, or date and time with an optional zone (Date.parse alone accepts free-form dates too).
const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

// Row ids are PostgreSQL integers (SQLite's are wider): 1 to 2^31 - 1.
const MAX_ROW_ID = 2 ** 31 - 1;

function isRowId(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 1 && n <= MAX_ROW_ID;
}

function checkId(n: number, what: string): void {
  if (!isRowId(n)) {
    throw new RangeError(`${what} must be a whole number from 1 to ${MAX_ROW_ID}, got ${n}.`);
  }
}

function checkLimit(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_LIMIT) {
    throw new RangeError(
      `The ${what} limit must be a whole number from 0 to ${MAX_LIMIT} (0 = default tier).`,
    );
  }
  return n;
}
