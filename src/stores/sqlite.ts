// The embedded database: one SQLite file (WAL) in DATA_DIR holding every table of the service
// (src/stores/migrations.ts), opened per domain (keys, accounts, ...) with its own statements,
// followed when replaced under a running process, backed up and restored online.
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describeError } from "../describe-error.js";
import { SQLITE_MIGRATIONS } from "./migrations.js";

/** The file name of the database inside DATA_DIR (named when it held keys alone). */
export const KEY_DB_FILE = "keys.sqlite";

// How long a statement waits for another connection's write lock before failing with
// SQLITE_BUSY. better-sqlite3 waits synchronously, on the event loop, so this stays short: key
// and session writes are single-row and finish in well under a millisecond.
const BUSY_TIMEOUT_MS = 250;

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

// Brings the file to the last SQLITE_MIGRATIONS step. A current file costs one read; otherwise
// the steps run in an IMMEDIATE transaction (the write lock first), which rechecks the version,
// so processes opening an old file at once (the workers of a cluster, the CLI) migrate it
// exactly once.
function migrate(db: Database.Database): void {
  const target = SQLITE_MIGRATIONS.length;
  const version = () => db.pragma("user_version", { simple: true }) as number;
  if (version() >= target) return;
  db.transaction(() => {
    for (let step = version(); step < target; step++) SQLITE_MIGRATIONS[step](db);
    db.pragma(`user_version = ${target}`);
  }).immediate();
}
