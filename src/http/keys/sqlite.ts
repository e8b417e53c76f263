// The embedded key database: SQLite (WAL) in DATA_DIR/keys.sqlite, hashes only. Good for one
// machine (one process or the workers of a cluster); several machines need PostgreSQL.
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describeError } from "../describe-error.js";
import type { KeyBackend, KeyRow, NewKeyRow } from "./backend.js";

/** The file name of the key database inside DATA_DIR. */
export const KEY_DB_FILE = "keys.sqlite";

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
  };
}

// How long a statement waits for another connection's write lock before failing with
// SQLITE_BUSY. better-sqlite3 waits synchronously, on the event loop, so this stays short: key
// writes are single-row and finish in well under a millisecond.
const BUSY_TIMEOUT_MS = 250;

/** Options of openSqliteBackend. */
export interface SqliteOptions {
  /** Called when the file was replaced under the running process and has been reopened. */
  onReopen?: (path: string) => void;
}

/**
 * Opens (creating if needed) `dataDir/keys.sqlite` in WAL mode with the api_keys table. Throws,
 * naming the path and the cause, if the directory cannot be created or the file is not a
 * database. The methods are synchronous underneath; they return promises only to share the
 * KeyBackend contract. The file is watched through changeToken(): deleted, it makes the backend
 * fail (the KeyStore serves what it loaded and says so) until a file is back; replaced (a
 * restored backup, or a new file the CLI made after a deletion), it is reopened, so the server
 * and the CLI always work on the same file.
 */
export function openSqliteBackend(dataDir: string, options: SqliteOptions = {}): KeyBackend {
  const path = join(dataDir, KEY_DB_FILE);
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (err) {
    throw new Error(`Cannot open the key database ${path}: ${describeError(err)}`, { cause: err });
  }
  let conn = connect(path);
  let closed = false;

  // Every call checks the file first (one stat, microseconds): throws when it is gone; reopens
  // when another file took its place.
  const current = (): Connection => {
    let now: { ino: number; dev: number };
    try {
      now = statSync(path);
    } catch (err) {
      throw new Error(`${path} is gone (${describeError(err)})`, { cause: err });
    }
    if (now.ino !== conn.ino || now.dev !== conn.dev) {
      const old = conn;
      conn = connect(path);
      old.db.close();
      options.onReopen?.(path);
    }
    return conn;
  };

  return {
    location: path,
    // data_version changes only for other connections' commits; the KeyStore reloads after
    // its own writes itself. The inode makes a reopened file a change too.
    changeToken: async () => {
      const c = current();
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
      ];
      const c = current();
      const info = (onlyIfEmpty ? c.insertIfEmpty : c.insert).run(...values);
      return info.changes === 1 ? Number(info.lastInsertRowid) : undefined;
    },
    deactivate: async (id) => current().deactivate.run(id).changes === 1,
    count: async () => current().count.get() as number,
    recordUse: async (uses) => current().recordUse(uses),
    close: async () => {
      if (closed) return;
      closed = true;
      conn.db.close();
    },
  };
}

/** One open database file and its prepared statements. */
interface Connection {
  db: Database.Database;
  ino: number;
  dev: number;
  selectActive: Database.Statement;
  selectByHash: Database.Statement;
  selectAll: Database.Statement;
  insert: Database.Statement;
  insertIfEmpty: Database.Statement;
  deactivate: Database.Statement;
  count: Database.Statement;
  recordUse: (uses: ReadonlyMap<number, number>) => void;
}

function connect(path: string): Connection {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
    db.pragma("journal_mode = WAL");
    // WAL with NORMAL is durable against process crashes; a power cut may lose the last
    // last_used batch, which is acceptable for a usage hint.
    db.pragma("synchronous = NORMAL");
    db.exec(SCHEMA);
    const { ino, dev } = statSync(path);
    const touch = db.prepare(
      "UPDATE api_keys SET last_used = ? WHERE id = ? AND (last_used IS NULL OR last_used < ?)",
    );
    return {
      db,
      ino,
      dev,
      selectActive: db.prepare("SELECT * FROM api_keys WHERE is_active = 1"),
      selectByHash: db.prepare("SELECT * FROM api_keys WHERE key_hash = ? AND is_active = 1"),
      selectAll: db.prepare("SELECT * FROM api_keys ORDER BY id"),
      insert: db.prepare(
        `INSERT INTO api_keys (prefix, key_hash, name, created_at, expires_at,
           rate_limit_per_minute, rate_limit_per_day) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      // One statement, so "only if empty" holds against other connections without a transaction.
      insertIfEmpty: db.prepare(
        `INSERT INTO api_keys (prefix, key_hash, name, created_at, expires_at,
           rate_limit_per_minute, rate_limit_per_day)
         SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM api_keys)`,
      ),
      deactivate: db.prepare("UPDATE api_keys SET is_active = 0 WHERE id = ? AND is_active = 1"),
      count: db.prepare("SELECT count(*) FROM api_keys").pluck(),
      recordUse: db.transaction((uses: ReadonlyMap<number, number>) => {
        for (const [id, ms] of uses) {
          const iso = new Date(ms).toISOString();
          touch.run(iso, id, iso);
        }
      }),
    };
  } catch (err) {
    db?.close();
    throw new Error(`Cannot open the key database ${path}: ${describeError(err)}`, { cause: err });
  }
}
