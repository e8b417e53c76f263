// The embedded key database: SQLite (WAL) in DATA_DIR/keys.sqlite, hashes only. Good for one
// machine (one process or the workers of a cluster); several machines need PostgreSQL.
import { mkdirSync } from "node:fs";
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

/**
 * Opens (creating if needed) `dataDir/keys.sqlite` in WAL mode with the api_keys table. Throws
 * if the directory cannot be created or the file is not a database. The methods are
 * synchronous underneath; they return promises only to share the KeyBackend contract.
 */
export function openSqliteBackend(dataDir: string): KeyBackend {
  const path = join(dataDir, KEY_DB_FILE);
  let db: Database.Database;
  try {
    mkdirSync(dataDir, { recursive: true });
    db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
    db.pragma("journal_mode = WAL");
    // WAL with NORMAL is durable against process crashes; a power cut may lose the last
    // last_used batch, which is acceptable for a usage hint.
    db.pragma("synchronous = NORMAL");
    db.exec(SCHEMA);
  } catch (err) {
    throw new Error(`Cannot open the key database ${path}: ${describeError(err)}`, { cause: err });
  }

  const selectActive = db.prepare("SELECT * FROM api_keys WHERE is_active = 1");
  const selectByHash = db.prepare("SELECT * FROM api_keys WHERE key_hash = ? AND is_active = 1");
  const selectAll = db.prepare("SELECT * FROM api_keys ORDER BY id");
  const insert = db.prepare(
    `INSERT INTO api_keys (prefix, key_hash, name, created_at, expires_at,
       rate_limit_per_minute, rate_limit_per_day) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  // One statement, so "only if empty" holds against other connections without a transaction.
  const insertIfEmpty = db.prepare(
    `INSERT INTO api_keys (prefix, key_hash, name, created_at, expires_at,
       rate_limit_per_minute, rate_limit_per_day)
     SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM api_keys)`,
  );
  const deactivate = db.prepare("UPDATE api_keys SET is_active = 0 WHERE id = ? AND is_active = 1");
  const count = db.prepare("SELECT count(*) FROM api_keys").pluck();
  const touch = db.prepare(
    "UPDATE api_keys SET last_used = ? WHERE id = ? AND (last_used IS NULL OR last_used < ?)",
  );
  const recordUse = db.transaction((uses: ReadonlyMap<number, number>) => {
    for (const [id, ms] of uses) {
      const iso = new Date(ms).toISOString();
      touch.run(iso, id, iso);
    }
  });
  let closed = false;

  return {
    location: path,
    // data_version changes only for other connections' commits; the KeyStore reloads after
    // its own writes itself.
    changeToken: async () => String(db.pragma("data_version", { simple: true })),
    activeKeys: async () => (selectActive.all() as Row[]).map(toKeyRow),
    activeKey: async (keyHash) => {
      const row = selectByHash.get(keyHash) as Row | undefined;
      return row && toKeyRow(row);
    },
    allKeys: async () => (selectAll.all() as Row[]).map(toKeyRow),
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
      const info = (onlyIfEmpty ? insertIfEmpty : insert).run(...values);
      return info.changes === 1 ? Number(info.lastInsertRowid) : undefined;
    },
    deactivate: async (id) => deactivate.run(id).changes === 1,
    count: async () => count.get() as number,
    recordUse: async (uses) => recordUse(uses),
    close: async () => {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
