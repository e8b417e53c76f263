// The API key store: SQLite (WAL) under DATA_DIR holding SHA-256 hashes only, fronted by an
// in-memory snapshot of the active keys so a request never touches the database.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { type Clock, systemClock } from "../clock.js";
import { generateKey, hashKey, type KeyPrefix } from "./format.js";

/** A key as listed by the CLI: everything but the secret, which is never stored. */
export interface KeyRecord {
  id: number;
  prefix: string;
  name: string;
  active: boolean;
  createdAt: string;
  expiresAt: string | null;
  lastUsed: string | null;
  /** Requests per minute; 0 = the default tier. */
  perMinute: number;
  /** Requests per day; 0 = the default tier. */
  perDay: number;
}

/** What a request needs to know about an active key. */
export interface ActiveKey {
  id: number;
  name: string;
  /** Expiry in ms since the epoch, or null for none. */
  expiresAtMs: number | null;
  perMinute: number;
  perDay: number;
}

/** The read side used per request: lookup by hash and a cheap "was used" note. */
export interface KeyLookup {
  /** Returns the active (not revoked) key whose base64 SHA-256 digest is `digest`, or undefined. */
  find(digest: string): ActiveKey | undefined;
  /** Notes that key `id` was used now; persisted later in a batch, never per request. */
  touch(id: number): void;
}

/** Options for creating a key. Limits of 0 (or omitted) mean the default tier. */
export interface NewKey {
  name: string;
  prefix?: KeyPrefix;
  perMinute?: number;
  perDay?: number;
  /** ISO 8601 instant after which the key is refused. */
  expiresAt?: string | null;
}

/** Options for opening the store. */
export interface StoreOptions {
  /** Period of the check for changes by other processes (CLI revoke), in ms; 0 = no timer. */
  refreshMs?: number;
  /** Period of the batched last_used write, in ms; 0 = only on flush()/close(). */
  flushMs?: number;
  clock?: Clock;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS api_keys (
  id INTEGER PRIMARY KEY,
  prefix TEXT NOT NULL,
  key_hash BLOB NOT NULL UNIQUE,
  name TEXT NOT NULL,
  is_active INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  last_used TEXT,
  rate_limit_per_minute INTEGER NOT NULL DEFAULT 0,
  rate_limit_per_day INTEGER NOT NULL DEFAULT 0
)`;

interface Row {
  id: number;
  prefix: string;
  key_hash: Buffer;
  name: string;
  is_active: number;
  created_at: string;
  expires_at: string | null;
  last_used: string | null;
  rate_limit_per_minute: number;
  rate_limit_per_day: number;
}

/** The file name of the key database inside DATA_DIR. */
export const KEY_DB_FILE = "keys.sqlite";

/**
 * SQLite-backed key store. Requests read an in-memory map of active keys keyed by hash; the map
 * is rebuilt after this process changes keys and, within `refreshMs`, after another process
 * (the CLI) does, detected through `PRAGMA data_version`.
 */
export class KeyStore implements KeyLookup {
  readonly #db: Database.Database;
  readonly #clock: Clock;
  readonly #timers: NodeJS.Timeout[] = [];
  #active = new Map<string, ActiveKey>();
  #dataVersion = -1;
  #pendingUse = new Map<number, number>();
  #closed = false;

  /**
   * Opens (creating if needed) `DATA_DIR/keys.sqlite` in WAL mode, loads the active keys and
   * starts the refresh and flush timers (unref'd, so they never keep the process alive).
   * Throws if the directory cannot be created or the file is not a database.
   */
  static open(dataDir: string, options: StoreOptions = {}): KeyStore {
    mkdirSync(dataDir, { recursive: true });
    return new KeyStore(new Database(join(dataDir, KEY_DB_FILE)), options);
  }

  private constructor(db: Database.Database, options: StoreOptions) {
    this.#db = db;
    this.#clock = options.clock ?? systemClock;
    db.pragma("journal_mode = WAL");
    // WAL with NORMAL is durable against process crashes; a power cut may lose the last
    // last_used batch, which is acceptable for a usage hint.
    db.pragma("synchronous = NORMAL");
    db.exec(SCHEMA);
    this.refresh();
    const { refreshMs = 1000, flushMs = 5000 } = options;
    if (refreshMs > 0) this.#timers.push(setInterval(() => this.refresh(), refreshMs).unref());
    if (flushMs > 0) this.#timers.push(setInterval(() => this.flush(), flushMs).unref());
  }

  /** See KeyLookup.find. A Map lookup on the digest: no comparison ever runs on the secret. */
  find(digest: string): ActiveKey | undefined {
    return this.#active.get(digest);
  }

  /** See KeyLookup.touch. */
  touch(id: number): void {
    this.#pendingUse.set(id, this.#clock.now());
  }

  /**
   * Reloads the active keys if another connection (the CLI, another server) committed since the
   * last load. Costs one pragma read when nothing changed.
   */
  refresh(): void {
    // data_version changes only for other connections' commits; our own writes call #load().
    const version = this.#db.pragma("data_version", { simple: true }) as number;
    if (version === this.#dataVersion) return;
    this.#dataVersion = version;
    this.#load();
  }

  #load(): void {
    const rows = this.#db.prepare("SELECT * FROM api_keys WHERE is_active = 1").all() as Row[];
    const next = new Map<string, ActiveKey>();
    for (const row of rows) {
      next.set(row.key_hash.toString("base64"), {
        id: row.id,
        name: row.name,
        expiresAtMs: row.expires_at === null ? null : Date.parse(row.expires_at),
        perMinute: row.rate_limit_per_minute,
        perDay: row.rate_limit_per_day,
      });
    }
    this.#active = next;
  }

  /**
   * Creates a key and returns its id and the key itself — the only time the key exists in
   * clear. Throws RangeError for an empty name, negative or fractional limits, or an
   * unparseable expiry.
   */
  create(spec: NewKey): { id: number; key: string } {
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
    const prefix = spec.prefix ?? "csb";
    const key = generateKey(prefix);
    const info = this.#db
      .prepare(
        `INSERT INTO api_keys (prefix, key_hash, name, created_at, expires_at,
           rate_limit_per_minute, rate_limit_per_day) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        prefix,
        Buffer.from(hashKey(key), "base64"),
        name,
        this.#nowIso(),
        expiresAt,
        perMinute,
        perDay,
      );
    this.#load();
    return { id: Number(info.lastInsertRowid), key };
  }

  /** Returns every key, revoked ones included, oldest first, with pending last_used applied. */
  list(): KeyRecord[] {
    this.flush();
    const rows = this.#db.prepare("SELECT * FROM api_keys ORDER BY id").all() as Row[];
    return rows.map((row) => ({
      id: row.id,
      prefix: row.prefix,
      name: row.name,
      active: row.is_active === 1,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      lastUsed: row.last_used,
      perMinute: row.rate_limit_per_minute,
      perDay: row.rate_limit_per_day,
    }));
  }

  /** Revokes key `id`; returns false if no active key has that id. Effective at once here. */
  revoke(id: number): boolean {
    const info = this.#db
      .prepare("UPDATE api_keys SET is_active = 0 WHERE id = ? AND is_active = 1")
      .run(id);
    this.#load();
    return info.changes === 1;
  }

  /** Returns the number of keys ever created (revoked included). */
  count(): number {
    return this.#db.prepare("SELECT count(*) FROM api_keys").pluck().get() as number;
  }

  /** Writes the pending last_used times in one transaction; a no-op when nothing is pending. */
  flush(): void {
    if (this.#pendingUse.size === 0 || this.#closed) return;
    const pending = this.#pendingUse;
    this.#pendingUse = new Map();
    // Never move last_used backwards when several server processes share the database.
    const update = this.#db.prepare(
      "UPDATE api_keys SET last_used = ? WHERE id = ? AND (last_used IS NULL OR last_used < ?)",
    );
    this.#db.transaction(() => {
      for (const [id, ms] of pending) {
        const iso = new Date(ms).toISOString();
        update.run(iso, id, iso);
      }
    })();
  }

  /** Stops the timers, flushes last_used and closes the database. Idempotent. */
  close(): void {
    if (this.#closed) return;
    for (const timer of this.#timers) clearInterval(timer);
    this.flush();
    this.#closed = true;
    this.#db.close();
  }

  #nowIso(): string {
    return new Date(this.#clock.now()).toISOString();
  }
}

// Date, or date and time with an optional zone (Date.parse alone accepts free-form dates too).
const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function checkLimit(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`The ${what} limit must be a whole number ≥ 0 (0 = default tier).`);
  }
  return n;
}
