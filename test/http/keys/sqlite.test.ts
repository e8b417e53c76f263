// src/http/keys/sqlite.ts: what only the embedded database promises — the file under DATA_DIR
// holds hashes and never a key, WAL journaling, and start-up errors that name the path.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hashKey } from "../../../src/http/keys/format.js";
import { KEY_DB_FILE, openSqliteBackend } from "../../../src/http/keys/sqlite.js";
import { KeyStore } from "../../../src/http/keys/store.js";

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

  it.skipIf(process.getuid?.() === 0)("names the path when the directory is read-only", () => {
    chmodSync(dir, 0o500);
    expect(() => openSqliteBackend(join(dir, "sub"))).toThrow(
      `Cannot open the key database ${join(dir, "sub", KEY_DB_FILE)}: EACCES: permission denied, mkdir '${join(dir, "sub")}'`,
    );
  });
});
