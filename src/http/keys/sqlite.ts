// The embedded key database: SQLite (WAL) in DATA_DIR/keys.sqlite, hashes only. Good for one
// machine (one process or the workers of a cluster); several machines need PostgreSQL. The same
// file holds the user accounts (../accounts/sqlite.ts); this module owns its schema.
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describeError } from "../describe-error.js";
import type { KeyBackend, KeyRow, NewKeyRow } from "./backend.js";

/** The file name of the key database inside DATA_DIR. */
export const KEY_DB_FILE = "keys.sqlite";

// The schema version recorded in PRAGMA user_version. 0: api_keys alone (a file made before
// accounts existed, or a new one); 1: users, sessions and api_keys.owner_id. Like the PostgreSQL
// MIGRATIONS, a later change adds a version and its step; never edit a shipped step.
const SCHEMA_VERSION = 1;

// Tables as version 1 has them. On a version-0 file api_keys already exists without owner_id,
// which migrate() then adds.
const TABLES = `
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
  rate_limit_per_day INTEGER NOT NULL DEFAULT 0,
  owner_id INTEGER REFERENCES users (id)
);
CREATE TABLE IF NOT EXISTS users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
  id_hash BLOB PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sessions_user_id ON sessions (user_id);`;

// Active keys whose owner (if any) is not disabled.
const SELECT_USABLE = `SELECT k.* FROM api_keys AS k LEFT JOIN users AS u ON u.id = k.owner_id
  WHERE k.is_active = 1 AND coalesce(u.disabled, 0) = 0`;

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
  owner_id: number | null;
}

function toKeyRow(row: Row): KeyRow {
  return {
    id: row.id,
    prefix: row.prefix,
    keyHash: row.key_hash,
    name: row.name,
    active: row.is_active === 1,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsed: row.last_used,
    perMinute: row.rate_limit_per_minute,
    perDay: row.rate_limit_per_day,
    ownerId: row.owner_id,
  };
}

// How long a statement waits for another connection's write lock before failing with
// SQLITE_BUSY. better-sqlite3 waits synchronously, on the event loop, so this stays short: key
// and session writes are single-row and finish in well under a millisecond.
const BUSY_TIMEOUT_MS = 250;

/** Options of openSqliteBackend. */
export interface SqliteOptions {
  /** Called when the file was replaced under the running process and has been reopened. */
  onReopen?: (path: string) => void;
}

/**
 * Opens (creating if needed) `dataDir/keys.sqlite` in WAL mode with the current schema. Throws,
 * naming the path and the cause, if the directory cannot be created or the file is not a
 * database. The methods are synchronous underneath; they return promises only to share the
 * KeyBackend contract. The file is watched through changeToken(): deleted, it makes the backend
 * fail (the KeyStore serves what it loaded and says so) until a file is back; replaced (a new
 * file the CLI made after a deletion), it is reopened, so the server and the CLI always work on
 * the same file, unless the replaced file's -wal and -shm are still there (then calls fail,
 * saying to delete them). Backups go back in through restoreSqliteFile.
 */
export function openSqliteBackend(dataDir: string, options: SqliteOptions = {}): KeyBackend {
  const file = openSqliteFile(dataDir, "key database", prepareKeys, options.onReopen);
  const current = () => file.current().q;
  return {
    location: file.path,
    // data_version changes only for other connections' commits; the KeyStore reloads after
    // its own writes itself. The inode makes a reopened file a change too.
    changeToken: async () => {
      const c = file.current();
      return `${c.ino}:${c.db.pragma("data_version", { simple: true })}`;
    },
    activeKeys: async () => (current().selectActive.all() as Row[]).map(toKeyRow),
    activeKey: async (keyHash) => {
      const row = current().selectByHash.get(keyHash) as Row | undefined;
      return row && toKeyRow(row);
    },
    allKeys: async () => (current().selectAll.all() as Row[]).map(toKeyRow),
    insert: async (row: NewKeyRow, onlyIfEmpty = false) => {
      const values = [
        row.prefix,
        row.keyHash,
        row.name,
        row.createdAt,
        row.expiresAt,
        row.perMinute,
        row.perDay,
        row.ownerId,
      ];
      const q = current();
      const info = (onlyIfEmpty ? q.insertIfEmpty : q.insert).run(...values);
      return info.changes === 1 ? Number(info.lastInsertRowid) : undefined;
    },
    deactivate: async (id) => current().deactivate.run(id).changes === 1,
    ownedKeys: async (ownerId, offset, limit) => {
      const q = current();
      const rows = q.selectOwned.all(ownerId, limit, offset) as (Row & { total: number })[];
      // The window count rides on the rows; a page past the end has none to carry it.
      const total = rows.length > 0 ? rows[0].total : (q.countOwned.get(ownerId) as number);
      return { rows: rows.map(toKeyRow), total };
    },
    deactivateOwned: async (id, ownerId) =>
      current().deactivateOwned.run(id, ownerId).changes === 1,
    count: async () => current().count.get() as number,
    recordUse: async (uses) => current().recordUse(uses),
    close: async () => file.close(),
  };
}

/** The key statements of one open connection. */
function prepareKeys(db: Database.Database) {
  const touch = db.prepare(
    "UPDATE api_keys SET last_used = ? WHERE id = ? AND (last_used IS NULL OR last_used < ?)",
  );
  const columns = `prefix, key_hash, name, created_at, expires_at, rate_limit_per_minute,
    rate_limit_per_day, owner_id`;
  return {
    // A disabled user's keys are not active: they work again when the user is enabled.
    selectActive: db.prepare(`${SELECT_USABLE}`),
    selectByHash: db.prepare(`${SELECT_USABLE} AND k.key_hash = ?`),
    selectAll: db.prepare("SELECT * FROM api_keys ORDER BY id"),
    // One search of api_keys_owner_id (owner_id, and the rowid that is id); the window count
    // rides on the rows.
    selectOwned: db.prepare(
      `SELECT *, count(*) OVER () AS total FROM api_keys WHERE owner_id = ?
       ORDER BY id DESC LIMIT ? OFFSET ?`,
    ),
    countOwned: db.prepare("SELECT count(*) FROM api_keys WHERE owner_id = ?").pluck(),
    insert: db.prepare(`INSERT INTO api_keys (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    // One statement, so "only if empty" holds against other connections without a transaction.
    insertIfEmpty: db.prepare(
      `INSERT INTO api_keys (${columns})
       SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM api_keys)`,
    ),
    deactivate: db.prepare("UPDATE api_keys SET is_active = 0 WHERE id = ? AND is_active = 1"),
    deactivateOwned: db.prepare(
      "UPDATE api_keys SET is_active = 0 WHERE id = ? AND owner_id = ? AND is_active = 1",
    ),
    count: db.prepare("SELECT count(*) FROM api_keys").pluck(),
    recordUse: db.transaction((uses: ReadonlyMap<number, number>) => {
      for (const [id, ms] of uses) {
        const iso = new Date(ms).toISOString();
        touch.run(iso, id, iso);
      }
    }),
  };
}

/** One open connection to the database file, and what `prepare` made of it. */
export interface SqliteConnection<T> {
  db: Database.Database;
  ino: number;
  dev: number;
  /** The -wal and -shm files it uses ("dev:ino"), or null when there were none at open. */
  wal: string | null;
  shm: string | null;
  q: T;
}

/** The database file at `path`, held open across calls. */
export interface SqliteFile<T> {
  readonly path: string;
  /**
   * Returns the connection to the file now at `path` (one stat, microseconds). Throws when the
   * file is gone, or another took its place beside the old one's -wal and -shm; reopens, and
   * calls onReopen, when another file took its place cleanly.
   */
  current(): SqliteConnection<T>;
  /** Closes the connection; idempotent. */
  close(): void;
}

/**
 * Opens (creating if needed) `dataDir/keys.sqlite` in WAL mode with foreign keys enforced,
 * creates or migrates the schema, and prepares statements with `prepare`. Throws "Cannot open
 * the `label` <path>: <cause>" if the directory cannot be created, the file is not a database
 * or the migration fails. For the key backend and the accounts, one connection each.
 */
export function openSqliteFile<T>(
  dataDir: string,
  label: string,
  prepare: (db: Database.Database) => T,
  onReopen?: (path: string) => void,
): SqliteFile<T> {
  const path = join(dataDir, KEY_DB_FILE);
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (err) {
    throw new Error(`Cannot open the ${label} ${path}: ${describeError(err)}`, { cause: err });
  }
  let conn = connect(path, label, prepare);
  let closed = false;
  return {
    path,
    current: () => {
      let now: { ino: number; dev: number };
      try {
        now = statSync(path);
      } catch (err) {
        throw new Error(`${path} is gone (${describeError(err)})`, { cause: err });
      }
      if (now.ino !== conn.ino || now.dev !== conn.dev) {
        // SQLite finds a database's -wal and -shm by name and leaves them in place when the file
        // they belong to was moved: still ours (this connection holds them, so their inodes
        // cannot be reused), they would be read as the new file's, overlaying the old file's
        // pages on it. Refuse until they are gone, or the new file's own took their place.
        if (stillThere(`${path}-wal`, conn.wal) || stillThere(`${path}-shm`, conn.shm)) {
          throw new Error(
            `${path} was replaced, but ${path}-wal and ${path}-shm of the file it replaced are ` +
              "still there and SQLite would read the new file through them: delete them, or put " +
              "backups back with `npm run keys -- restore`",
          );
        }
        const old = conn;
        conn = connect(path, label, prepare);
        old.db.close();
        onReopen?.(path);
      }
      return conn;
    },
    close: () => {
      if (closed) return;
      closed = true;
      conn.db.close();
    },
  };
}

function connect<T>(
  path: string,
  label: string,
  prepare: (db: Database.Database) => T,
): SqliteConnection<T> {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
    db.pragma("journal_mode = WAL");
    // WAL with NORMAL is durable against process crashes; a power cut may lose the last
    // last_used batch, which is acceptable for a usage hint.
    db.pragma("synchronous = NORMAL");
    // Off by default in SQLite, per connection: owner_id and sessions.user_id depend on it.
    db.pragma("foreign_keys = ON");
    migrate(db);
    const { ino, dev } = statSync(path);
    const wal = fileId(`${path}-wal`);
    const shm = fileId(`${path}-shm`);
    return { db, ino, dev, wal, shm, q: prepare(db) };
  } catch (err) {
    db?.close();
    throw new Error(`Cannot open the ${label} ${path}: ${describeError(err)}`, { cause: err });
  }
}

/**
 * Copies the live database (`dataDir/keys.sqlite`, with what its WAL holds) to `destination`
 * through SQLite's online backup, while servers keep using it; an existing destination is
 * overwritten. Throws, naming the file and the cause, when the database cannot be read or the
 * copy cannot be written.
 */
export async function backupSqliteFile(dataDir: string, destination: string): Promise<void> {
  const path = join(dataDir, KEY_DB_FILE);
  if (!existsSync(path)) throw new Error(`Cannot back up ${path}: there is no database there`);
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    await db.backup(destination);
  } catch (err) {
    throw new Error(`Cannot back up ${path} to ${destination}: ${describeError(err)}`, {
      cause: err,
    });
  } finally {
    db?.close();
  }
}

/**
 * Replaces the contents of `dataDir/keys.sqlite` with the database in `source` (a file
 * backupSqliteFile made, or any consistent copy) through SQLite's online backup, then brings it
 * to the current schema. Running servers and workers keep their connections and see the change
 * like any other commit, at their next refresh. (A file swapped in under them would sit beside
 * the old file's -wal, which SQLite finds by name; they refuse it, see openSqliteFile.)
 * Throws, naming the files and the cause, when `source` is not a key database or the copy fails;
 * the live file is untouched then.
 */
export async function restoreSqliteFile(dataDir: string, source: string): Promise<void> {
  const path = join(dataDir, KEY_DB_FILE);
  let from: Database.Database | undefined;
  try {
    from = new Database(source, { readonly: true, fileMustExist: true });
    const check = from.pragma("quick_check", { simple: true });
    if (check !== "ok") throw new Error(`quick_check says ${JSON.stringify(check)}`);
    const tables = from.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck();
    if (!tables.all().includes("api_keys")) throw new Error("it has no api_keys table");
    // Through a connection made the usual way, so the live file exists and is in WAL mode.
    openSqliteFile(dataDir, "key database", () => undefined).close();
    await from.backup(path);
  } catch (err) {
    throw new Error(`Cannot restore ${path} from ${source}: ${describeError(err)}`, {
      cause: err,
    });
  } finally {
    from?.close();
  }
  // A backup of an older release's file is migrated, as opening it would.
  openSqliteFile(dataDir, "key database", () => undefined).close();
}

// Returns "dev:ino" of the file at `path`, or null if there is none.
function fileId(path: string): string | null {
  try {
    const { dev, ino } = statSync(path);
    return `${dev}:${ino}`;
  } catch {
    return null;
  }
}

// Returns whether the file `id` names is still at `path`.
function stillThere(path: string, id: string | null): boolean {
  return id !== null && fileId(path) === id;
}

// Brings the file to SCHEMA_VERSION. A current file costs one read; otherwise the step runs in
// an IMMEDIATE transaction (the write lock first), which rechecks the version, so processes
// opening an old file at once (the workers of a cluster, the CLI) migrate it exactly once.
function migrate(db: Database.Database): void {
  const version = () => db.pragma("user_version", { simple: true }) as number;
  if (version() >= SCHEMA_VERSION) return;
  db.transaction(() => {
    if (version() >= SCHEMA_VERSION) return;
    db.exec(TABLES);
    const columns = db.prepare("SELECT name FROM pragma_table_info('api_keys')").pluck().all();
    if (!columns.includes("owner_id")) {
      db.exec("ALTER TABLE api_keys ADD COLUMN owner_id INTEGER REFERENCES users (id)");
    }
    db.exec("CREATE INDEX IF NOT EXISTS api_keys_owner_id ON api_keys (owner_id)");
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
