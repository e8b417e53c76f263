// The API keys in the embedded database (src/stores/sqlite.ts: DATA_DIR/keys.sqlite, WAL),
// hashes only. Good for one machine (one process or the workers of a cluster); several machines
// need PostgreSQL.
import type Database from "better-sqlite3";
import { openSqliteFile } from "../stores/sqlite.js";
import type { KeyBackend, KeyRow, NewKeyRow } from "./backend.js";

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
  hint: string | null;
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
    hint: row.hint,
  };
}

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
        row.hint ?? null,
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
    rate_limit_per_day, owner_id, hint`;
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
    insert: db.prepare(`INSERT INTO api_keys (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    // One statement, so "only if empty" holds against other connections without a transaction.
    insertIfEmpty: db.prepare(
      `INSERT INTO api_keys (${columns})
       SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM api_keys)`,
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
