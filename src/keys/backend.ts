// What a key database must offer the KeyStore: rows in, rows out, and a cheap change token. Two
// implementations: SQLite under DATA_DIR (sqlite.ts, the embedded default) and PostgreSQL
// (postgres.ts, shared by every instance). Neither caches; the KeyStore does.

/** One api_keys row as both databases hold it. Times are ISO 8601 UTC strings. */
export interface KeyRow {
  id: number;
  prefix: string;
  /** The raw SHA-256 digest of the whole key (32 bytes). */
  keyHash: Buffer;
  name: string;
  active: boolean;
  createdAt: string;
  expiresAt: string | null;
  lastUsed: string | null;
  /** Requests per minute; 0 = the default tier. */
  perMinute: number;
  /** Requests per day; 0 = the default tier. */
  perDay: number;
  /** The user (users.id) the key belongs to, or null for an operator's key. */
  ownerId: number | null;
  /**
   * The display hint stored at creation (format.ts keyHint: `csb_AbC1…9f3e`), or null for keys
   * made before hints were stored (lists then show the prefix alone).
   */
  hint: string | null;
}

/** A row to insert: everything the database does not assign (a hint may be absent: null). */
export type NewKeyRow = Omit<KeyRow, "id" | "active" | "lastUsed" | "hint"> & {
  hint?: string | null;
};

/**
 * A key database. Every method may reject when the database cannot be reached or fails; the
 * KeyStore decides what that means for requests. Implementations must be safe to use from
 * several processes and machines at once (the CLI and every server instance).
 */
export interface KeyBackend {
  /** Where the keys live, for log lines and error messages; never contains a password. */
  readonly location: string;
  /**
   * Resolves to a token that changes whenever another connection commits a change to the keys
   * (insert, revoke, limits, expiry; not last_used). Cheap: one small query.
   */
  changeToken(): Promise<string>;
  /** Resolves to every active key (not revoked, owner not disabled); expired ones included. */
  activeKeys(): Promise<KeyRow[]>;
  /** Resolves to the active key (as activeKeys) with this digest, or undefined; one indexed lookup. */
  activeKey(keyHash: Buffer): Promise<KeyRow | undefined>;
  /** Resolves to every key, revoked ones included, oldest first. */
  allKeys(): Promise<KeyRow[]>;
  /**
   * Inserts `row` and resolves to its id. With `onlyIfEmpty`, inserts only when the table has
   * no key at all, atomically against other instances doing the same, and resolves to
   * undefined when it had one.
   */
  insert(row: NewKeyRow, onlyIfEmpty?: boolean): Promise<number | undefined>;
  /** Revokes active key `id`; resolves to false when there is none. */
  deactivate(id: number): Promise<boolean>;
  /**
   * Resolves to `limit` keys of user `ownerId` after skipping `offset`, revoked ones included,
   * newest (highest id) first, and the number of keys the user has in all; indexed on owner_id.
   */
  ownedKeys(
    ownerId: number,
    offset: number,
    limit: number,
  ): Promise<{ rows: KeyRow[]; total: number }>;
  /** Revokes active key `id` if user `ownerId` owns it; resolves to false otherwise. */
  deactivateOwned(id: number, ownerId: number): Promise<boolean>;
  /** Resolves to the number of keys ever created, revoked ones included. */
  count(): Promise<number>;
  /** Writes last_used for each id (ms since the epoch), never moving it backwards. */
  recordUse(uses: ReadonlyMap<number, number>): Promise<void>;
  /**
   * Calls `listener` soon after any connection changes the keys, if the database can push
   * changes (PostgreSQL LISTEN/NOTIFY), and after reconnecting (changes may have been missed).
   * Databases that cannot push leave it to the KeyStore's polling of changeToken().
   */
  watch?(listener: () => void): void;
  /** Closes every connection; idempotent. */
  close(): Promise<void>;
}
