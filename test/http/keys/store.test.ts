// src/http/keys/store.ts: SQLite (WAL) key store holding hashes only, its in-memory snapshot,
// invalidation by this process and by other connections, and batched last_used writes.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { hashKey } from "../../../src/http/keys/format.js";
import { KEY_DB_FILE, KeyStore } from "../../../src/http/keys/store.js";

const NOW = Date.parse("2026-03-31T12:00:00.000Z");
const clock = { now: () => NOW };

let dir: string;
let store: KeyStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "dm-keys-"));
  store = KeyStore.open(dir, { refreshMs: 0, flushMs: 0, clock });
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A second connection to the same file, as the CLI in another process would open. */
function otherConnection() {
  return new Database(join(dir, KEY_DB_FILE));
}

describe("KeyStore", () => {
  it("creates keys findable by hash, with their limits and expiry", () => {
    const { id, key } = store.create({
      name: " label printer ",
      perMinute: 20,
      perDay: 0,
      expiresAt: "2027-01-01",
    });
    expect(store.find(hashKey(key))).toEqual({
      id,
      name: "label printer",
      expiresAtMs: Date.parse("2027-01-01T00:00:00.000Z"),
      perMinute: 20,
      perDay: 0,
    });
    expect(store.find(hashKey(`${key}x`))).toBeUndefined();
  });

  it("stores the SHA-256 of the key and never the key itself", () => {
    const { key } = store.create({ name: "a" });
    store.close();
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
    store = KeyStore.open(dir, { refreshMs: 0, flushMs: 0, clock });
  });

  it("uses WAL journaling", () => {
    const db = otherConnection();
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });

  it("lists keys without secrets, revoked ones included", () => {
    const a = store.create({ name: "a", prefix: "cpk", perMinute: 5, perDay: 50 });
    const b = store.create({ name: "b" });
    store.revoke(b.id);
    expect(store.list()).toEqual([
      {
        id: a.id,
        prefix: "cpk",
        name: "a",
        active: true,
        createdAt: "2026-03-31T12:00:00.000Z",
        expiresAt: null,
        lastUsed: null,
        perMinute: 5,
        perDay: 50,
      },
      {
        id: b.id,
        prefix: "csb",
        name: "b",
        active: false,
        createdAt: "2026-03-31T12:00:00.000Z",
        expiresAt: null,
        lastUsed: null,
        perMinute: 0,
        perDay: 0,
      },
    ]);
    expect(store.count()).toBe(2);
  });

  it("forgets a revoked key at once in this process; revoking twice reports false", () => {
    const { id, key } = store.create({ name: "a" });
    expect(store.revoke(id)).toBe(true);
    expect(store.find(hashKey(key))).toBeUndefined();
    expect(store.revoke(id)).toBe(false);
    expect(store.revoke(9999)).toBe(false);
  });

  it("sees a revoke made by another connection on refresh()", () => {
    const { id, key } = store.create({ name: "a" });
    const db = otherConnection();
    db.prepare("UPDATE api_keys SET is_active = 0 WHERE id = ?").run(id);
    db.close();
    expect(store.find(hashKey(key))).toBeDefined();
    store.refresh();
    expect(store.find(hashKey(key))).toBeUndefined();
  });

  it("refreshes on its own timer when opened with refreshMs", async () => {
    const watching = KeyStore.open(dir, { refreshMs: 20, flushMs: 0, clock });
    const { id, key } = store.create({ name: "a" });
    await vi.waitFor(() => expect(watching.find(hashKey(key))).toBeDefined(), { timeout: 2000 });
    store.revoke(id);
    await vi.waitFor(() => expect(watching.find(hashKey(key))).toBeUndefined(), { timeout: 2000 });
    watching.close();
  });

  it("records use in memory and writes last_used only on flush", () => {
    const { id } = store.create({ name: "a" });
    for (let i = 0; i < 1000; i++) store.touch(id);
    const db = otherConnection();
    const lastUsed = () =>
      db.prepare("SELECT last_used FROM api_keys WHERE id = ?").pluck().get(id);
    expect(lastUsed()).toBeNull();
    store.flush();
    expect(lastUsed()).toBe("2026-03-31T12:00:00.000Z");
    db.close();
  });

  it("never moves last_used backwards (several servers may share the file)", () => {
    const { id } = store.create({ name: "a" });
    const db = otherConnection();
    db.prepare("UPDATE api_keys SET last_used = ? WHERE id = ?").run(
      "2026-04-01T00:00:00.000Z",
      id,
    );
    db.close();
    store.touch(id);
    store.flush();
    expect(store.list()[0].lastUsed).toBe("2026-04-01T00:00:00.000Z");
  });

  it("flushes pending uses on close", () => {
    const { id } = store.create({ name: "a" });
    store.touch(id);
    store.close();
    const db = otherConnection();
    expect(db.prepare("SELECT last_used FROM api_keys").pluck().get()).toBe(
      "2026-03-31T12:00:00.000Z",
    );
    db.close();
    store = KeyStore.open(dir, { refreshMs: 0, flushMs: 0, clock });
  });

  it.each([
    [{ name: "  " }, "A key needs a non-empty name."],
    [
      { name: "a", perMinute: -1 },
      "The per-minute limit must be a whole number ≥ 0 (0 = default tier).",
    ],
    [
      { name: "a", perDay: 1.5 },
      "The per-day limit must be a whole number ≥ 0 (0 = default tier).",
    ],
    [{ name: "a", expiresAt: "next week" }, 'Expiry "next week" is not an ISO 8601 date.'],
    [{ name: "a", expiresAt: "2027-13-01" }, 'Expiry "2027-13-01" is not an ISO 8601 date.'],
  ])("refuses %j", (spec, message) => {
    expect(() => store.create(spec)).toThrow(new RangeError(message));
    expect(store.count()).toBe(0);
  });

  it("keeps the zone of an expiry given with an offset", () => {
    const { key } = store.create({ name: "a", expiresAt: "2027-01-01T02:00:00+02:00" });
    expect(store.find(hashKey(key))?.expiresAtMs).toBe(Date.parse("2027-01-01T00:00:00.000Z"));
  });
});
