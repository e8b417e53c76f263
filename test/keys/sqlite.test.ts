// src/keys/sqlite.ts: what only the embedded database promises — the file under DATA_DIR
// holds hashes and never a key, WAL journaling, start-up errors that name the path, a file made
// before accounts existed migrated once (even by processes opening it together), and the owner
// index.
import { spawn } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Accounts } from "../../src/accounts/accounts.js";
import { openSqliteAccounts } from "../../src/accounts/sqlite.js";
import { hashKey, keyLabel } from "../../src/keys/format.js";
import { openSqliteBackend } from "../../src/keys/sqlite.js";
import { KeyStore } from "../../src/keys/store.js";
import { KEY_DB_FILE, restoreSqliteFile } from "../../src/stores/sqlite.js";

// The schema of the release before accounts, verbatim: api_keys alone, user_version 0.
const PREVIOUS_SCHEMA = `
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

/** Makes dir/keys.sqlite as the previous release left it, with one operator key. */
function makePreviousFile(dir: string): void {
  const db = new Database(join(dir, KEY_DB_FILE));
  db.pragma("journal_mode = WAL");
  db.exec(PREVIOUS_SCHEMA);
  db.prepare(
    "INSERT INTO api_keys (prefix, key_hash, name, created_at) VALUES ('csb', ?, 'old', ?)",
  ).run(Buffer.alloc(32, 7), "2026-03-31T12:00:00.000Z");
  db.close();
}

/** Reads the schema of dir/keys.sqlite: version, tables, indexes and api_keys' columns. */
function schemaOf(dir: string) {
  const db = new Database(join(dir, KEY_DB_FILE), { readonly: true });
  try {
    const names = (type: string) =>
      db
        .prepare(
          "SELECT name FROM sqlite_schema WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .pluck()
        .all(type);
    return {
      version: db.pragma("user_version", { simple: true }),
      tables: names("table"),
      indexes: names("index"),
      keyColumns: db.prepare("SELECT name FROM pragma_table_info('api_keys')").pluck().all(),
    };
  } finally {
    db.close();
  }
}

// Version 2 added the label-export tables, 3 the keys' display hints (src/stores/migrations.ts).
const CURRENT_SCHEMA = {
  version: 3,
  tables: [
    "api_keys",
    "issued_serials",
    "label_jobs",
    "label_usage",
    "serial_batches",
    "service_settings",
    "sessions",
    "users",
  ],
  indexes: [
    "api_keys_owner_id",
    "issued_serials_job",
    "label_jobs_idempotency",
    "label_jobs_owner",
    "label_jobs_status",
    "serial_batches_gtin",
    "sessions_user_id",
  ],
  keyColumns: [
    "id",
    "prefix",
    "key_hash",
    "name",
    "is_active",
    "created_at",
    "expires_at",
    "last_used",
    "rate_limit_per_minute",
    "rate_limit_per_day",
    "owner_id",
    "hint",
  ],
};

const SQLITE_MODULE = new URL("../../src/keys/sqlite.ts", import.meta.url).href;
const ACCOUNTS_MODULE = new URL("../../src/accounts/accounts.ts", import.meta.url).href;
const ROW = {
  prefix: "csb",
  name: "new",
  createdAt: "2026-03-31T12:00:00.000Z",
  expiresAt: null,
  perMinute: 0,
  perDay: 0,
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "dm-sqlite-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the SQLite key database", () => {
  it("stores the SHA-256 of the key and never the key itself", async () => {
    const store = await KeyStore.open(openSqliteBackend(dir), { refreshMs: 0, flushMs: 0 });
    const { key } = await store.create({ name: "a" });
    await store.close();
    const bytes = Buffer.concat(
      [KEY_DB_FILE, `${KEY_DB_FILE}-wal`].flatMap((f) => {
        try {
          return [readFileSync(join(dir, f))];
        } catch {
          return [];
        }
      }),
    );
    expect(bytes.includes(Buffer.from(key))).toBe(false);
    expect(bytes.includes(Buffer.from(key.slice(4, 36)))).toBe(false);
    expect(bytes.includes(Buffer.from(hashKey(key), "base64"))).toBe(true);
  });

  it("uses WAL journaling", async () => {
    const backend = openSqliteBackend(dir);
    await backend.close();
    expect(readFileSync(join(dir, KEY_DB_FILE)).subarray(18, 20)).toEqual(Buffer.from([2, 2]));
  });

  it("names the path when the file is not a database", () => {
    writeFileSync(join(dir, KEY_DB_FILE), "not a database, just text that is long enough to read");
    expect(() => openSqliteBackend(dir)).toThrow(
      `Cannot open the key database ${join(dir, KEY_DB_FILE)}: SQLITE_NOTADB: file is not a database`,
    );
  });

  it("creates the current schema in a new file", async () => {
    await openSqliteBackend(dir).close();
    expect(schemaOf(dir)).toEqual(CURRENT_SCHEMA);
  });

  it("migrates a file made before accounts, keeping its keys as operator keys", async () => {
    makePreviousFile(dir);
    const backend = openSqliteBackend(dir);
    try {
      expect(schemaOf(dir)).toEqual(CURRENT_SCHEMA);
      expect(await backend.allKeys()).toMatchObject([{ name: "old", ownerId: null, active: true }]);
      // A key made before hints has none (the key is not kept to make one): lists show "csb".
      const [old] = await backend.allKeys();
      expect(old.hint).toBeNull();
      expect(keyLabel(old)).toBe("csb");
      // The added column is a real foreign key: it takes a user's id and nothing else.
      const accounts = await Accounts.open({ dataDir: dir, databaseUrl: null });
      const user = await accounts.createUser("owner@example.com", "a long enough password");
      await accounts.close();
      const row = { ...ROW, keyHash: Buffer.alloc(32, 8) };
      await expect(backend.insert({ ...row, ownerId: user.id + 1 })).rejects.toThrow(
        "FOREIGN KEY constraint failed",
      );
      const id = (await backend.insert({ ...row, ownerId: user.id })) as number;
      expect(await backend.ownedKeys(user.id, 0, 10)).toMatchObject({ rows: [{ id }], total: 1 });
    } finally {
      await backend.close();
    }
  });

  it("migrates an old file exactly once when several processes open it at once", async () => {
    makePreviousFile(dir);
    // Each process loads the code, says "ready", and opens the keys or the accounts on "go".
    const script = `
      const [dir, kind] = process.argv.slice(1);
      const { openSqliteBackend } = await import(${JSON.stringify(SQLITE_MODULE)});
      const { Accounts } = await import(${JSON.stringify(ACCOUNTS_MODULE)});
      console.log("ready");
      process.stdin.once("data", async () => {
        process.stdin.destroy();
        if (kind === "keys") await openSqliteBackend(dir).close();
        else await (await Accounts.open({ dataDir: dir, databaseUrl: null })).close();
        console.log("ok");
      });`;
    const children = ["keys", "accounts", "keys", "accounts", "keys", "keys"].map((kind) => {
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "--input-type=module", "-e", script, dir, kind],
        { stdio: ["pipe", "pipe", "pipe"] },
      );
      let output = "";
      child.stdout.on("data", (d) => {
        output += d;
      });
      child.stderr.on("data", (d) => {
        output += d;
      });
      const ready = new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
      const done = new Promise<string>((resolve) => child.once("close", () => resolve(output)));
      return { child, ready, done };
    });
    await Promise.all(children.map((c) => c.ready));
    // Holding the write lock while they start lines every process up behind it (they wait up
    // to the 250 ms busy timeout), so they really do migrate at the same moment.
    const blocker = new Database(join(dir, KEY_DB_FILE));
    blocker.exec("BEGIN IMMEDIATE");
    for (const c of children) c.child.stdin.end("go\n");
    await sleep(50);
    blocker.exec("COMMIT");
    blocker.close();
    expect(await Promise.all(children.map((c) => c.done))).toEqual(Array(6).fill("ready\nok\n"));
    expect(schemaOf(dir)).toEqual(CURRENT_SCHEMA);
  });

  it("restores a backup of a file made before accounts into the current schema", async () => {
    const old = mkdtempSync(join(tmpdir(), "dm-sqlite-old-"));
    makePreviousFile(old);
    const live = openSqliteBackend(dir);
    await live.insert({ ...ROW, keyHash: Buffer.alloc(32, 9), ownerId: null });
    await restoreSqliteFile(dir, join(old, KEY_DB_FILE));
    rmSync(old, { recursive: true, force: true });
    expect(schemaOf(dir)).toEqual(CURRENT_SCHEMA);
    // The open connection sees the restored rows, as a server's would.
    expect((await live.allKeys()).map((k) => [k.name, k.keyHash[0], k.ownerId])).toEqual([
      ["old", 7, null],
    ]);
    await live.close();
  });

  it("refuses a file moved over the open one while the old WAL is still there, then reopens it", async () => {
    // The file to move in: consistent, its WAL checkpointed by closing.
    const elsewhere = mkdtempSync(join(tmpdir(), "dm-sqlite-other-"));
    const other = openSqliteBackend(elsewhere);
    await other.insert({ ...ROW, name: "moved in", keyHash: Buffer.alloc(32, 1), ownerId: null });
    await other.close();
    const reopened: string[] = [];
    const keys = openSqliteBackend(dir, { onReopen: (path) => reopened.push(path) });
    const accounts = openSqliteAccounts(dir);
    // Pages of the open file that only its WAL holds.
    for (let i = 2; i < 40; i++) {
      await keys.insert({ ...ROW, name: `live ${i}`, keyHash: Buffer.alloc(32, i), ownerId: null });
    }
    await accounts.insertUser("live@example.com", "hash", ROW.createdAt);
    const path = join(dir, KEY_DB_FILE);
    const wal = readFileSync(`${path}-wal`);
    expect(wal.length).toBeGreaterThan(4096);

    renameSync(join(elsewhere, KEY_DB_FILE), path);
    const refusal =
      `${path} was replaced, but ${path}-wal and ${path}-shm of the file it replaced are still ` +
      "there and SQLite would read the new file through them: delete them, or put backups back " +
      "with `npm run keys -- restore`";
    await expect(keys.allKeys()).rejects.toThrow(refusal);
    await expect(accounts.users()).rejects.toThrow(refusal);
    expect(readFileSync(`${path}-wal`).equals(wal)).toBe(true);

    rmSync(`${path}-wal`);
    rmSync(`${path}-shm`);
    expect((await keys.allKeys()).map((k) => k.name)).toEqual(["moved in"]);
    expect(await accounts.users()).toEqual([]);
    expect(reopened).toEqual([path]);
    await accounts.close();
    await keys.close();
    rmSync(elsewhere, { recursive: true, force: true });
  });

  it("reopens a file moved in with its own WAL", async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "dm-sqlite-other-"));
    const other = openSqliteBackend(elsewhere);
    await other.insert({ ...ROW, name: "moved in", keyHash: Buffer.alloc(32, 1), ownerId: null });
    // Its WAL as a crash would leave it: copied while the connection is still open.
    const moving = join(elsewhere, "moving");
    copyFileSync(join(elsewhere, KEY_DB_FILE), moving);
    copyFileSync(join(elsewhere, `${KEY_DB_FILE}-wal`), `${moving}-wal`);
    await other.close();
    const keys = openSqliteBackend(dir);
    await keys.insert({ ...ROW, name: "live", keyHash: Buffer.alloc(32, 2), ownerId: null });
    const path = join(dir, KEY_DB_FILE);
    rmSync(`${path}-shm`);
    renameSync(`${moving}-wal`, `${path}-wal`);
    renameSync(moving, path);
    expect((await keys.allKeys()).map((k) => k.name)).toEqual(["moved in"]);
    await keys.close();
    rmSync(elsewhere, { recursive: true, force: true });
  });

  it("finds a user's keys through the owner index", async () => {
    await openSqliteBackend(dir).close();
    const db = new Database(join(dir, KEY_DB_FILE), { readonly: true });
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT *, count(*) OVER () AS total FROM api_keys WHERE owner_id = ?
         ORDER BY id DESC LIMIT ? OFFSET ?`,
      )
      .all(1, 10, 0) as { detail: string }[];
    db.close();
    expect(plan.map((p) => p.detail)).toContain(
      "SEARCH api_keys USING INDEX api_keys_owner_id (owner_id=?)",
    );
  });

  it.skipIf(process.getuid?.() === 0)("names the path when the directory is read-only", () => {
    chmodSync(dir, 0o500);
    expect(() => openSqliteBackend(join(dir, "sub"))).toThrow(
      `Cannot open the key database ${join(dir, "sub", KEY_DB_FILE)}: EACCES: permission denied, mkdir '${join(dir, "sub")}'`,
    );
  });
});
