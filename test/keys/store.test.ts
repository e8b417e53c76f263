// src/keys/store.ts over both key databases (SQLite in a temporary directory, PostgreSQL in
// a database of its own on the real server): the snapshot, changes made by another connection,
// the one lookup for a key the snapshot lacks, batched last_used writes, the first key, keys
// owned by users (pages, revoking only one's own), and a database that goes away under it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Accounts } from "../../src/accounts/accounts.js";
import type { Config } from "../../src/config.js";
import type { KeyBackend } from "../../src/keys/backend.js";
import { generateKey, hashKey } from "../../src/keys/format.js";
import { openPostgresBackend } from "../../src/keys/postgres.js";
import { openSqliteBackend } from "../../src/keys/sqlite.js";
import { KeyStore, KeyStoreUnavailableError, type StoreOptions } from "../../src/keys/store.js";
import { createTestDatabase, type TestDatabase } from "../helpers/services.js";

const NOW = Date.parse("2026-03-31T12:00:00.000Z");
const clock = { now: () => NOW };
const QUIET: StoreOptions = { refreshMs: 0, flushMs: 0, clock };

/** One key database under test: how to open a connection to it, and to empty it. */
interface Database {
  /** The settings that name it, for Accounts.open (users to own keys). */
  config: Pick<Config, "dataDir" | "databaseUrl">;
  open(): Promise<KeyBackend>;
  cleanup(): Promise<void>;
}

const databases: Record<string, () => Promise<Database>> = {
  SQLite: async () => {
    const dir = mkdtempSync(join(tmpdir(), "dm-keys-"));
    return {
      config: { dataDir: dir, databaseUrl: null },
      open: async () => openSqliteBackend(dir),
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
  PostgreSQL: async () => {
    const db: TestDatabase = await createTestDatabase();
    return {
      config: { dataDir: "/nonexistent", databaseUrl: db.url },
      open: () => openPostgresBackend(db.url),
      cleanup: () => db.drop(),
    };
  },
};

describe.each(Object.keys(databases))("KeyStore on %s", (kind) => {
  let database: Database;
  let store: KeyStore;
  const others: KeyStore[] = [];

  /** Another process's view of the same database (the CLI, another server). */
  async function other(options: StoreOptions = QUIET): Promise<KeyStore> {
    const s = await KeyStore.open(await database.open(), options);
    others.push(s);
    return s;
  }

  /** A store whose database lookups for single keys are counted. */
  async function countingStore() {
    let lookups = 0;
    const backend = await database.open();
    const activeKey = (keyHash: Buffer) => {
      lookups++;
      return backend.activeKey(keyHash);
    };
    const s = await KeyStore.open({ ...backend, activeKey }, QUIET);
    others.push(s);
    return { s, lookups: () => lookups };
  }

  beforeEach(async () => {
    database = await databases[kind]();
    store = await KeyStore.open(await database.open(), QUIET);
  });

  afterEach(async () => {
    await store.close();
    for (const s of others.splice(0)) await s.close();
    await database.cleanup();
  });

  it("creates keys findable by hash, with their limits and expiry", async () => {
    const { id, key } = await store.create({
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
      ownerId: null,
    });
    expect(store.find(hashKey(`${key}x`))).toBeUndefined();
  });

  it("lists keys without secrets, revoked ones included", async () => {
    const a = await store.create({ name: "a", prefix: "cpk", perMinute: 5, perDay: 50 });
    const b = await store.create({ name: "b" });
    await store.revoke(b.id);
    const record = {
      createdAt: "2026-03-31T12:00:00.000Z",
      expiresAt: null,
      lastUsed: null,
      ownerId: null,
    };
    // The hint is each key's first 8 characters and last 4, taken from the key returned.
    const hint = (key: string) => `${key.slice(0, 8)}…${key.slice(-4)}`;
    expect(await store.list()).toEqual([
      {
        id: a.id,
        prefix: "cpk",
        hint: hint(a.key),
        name: "a",
        active: true,
        perMinute: 5,
        perDay: 50,
        ...record,
      },
      {
        id: b.id,
        prefix: "csb",
        hint: hint(b.key),
        name: "b",
        active: false,
        perMinute: 0,
        perDay: 0,
        ...record,
      },
    ]);
    expect(await store.count()).toBe(2);
  });

  it("forgets a revoked key at once in this process; revoking twice reports false", async () => {
    const { id, key } = await store.create({ name: "a" });
    expect(await store.revoke(id)).toBe(true);
    expect(store.find(hashKey(key))).toBeUndefined();
    expect(await store.revoke(id)).toBe(false);
    expect(await store.revoke(9999)).toBe(false);
  });

  it("sees a key revoked by another connection on refresh()", async () => {
    const { id, key } = await store.create({ name: "a" });
    await (await other()).revoke(id);
    expect(store.find(hashKey(key))).toBeDefined();
    await store.refresh();
    expect(store.find(hashKey(key))).toBeUndefined();
  });

  it("follows other connections' changes on its own", async () => {
    const watching = await other({ ...QUIET, refreshMs: 20 });
    const { id, key } = await store.create({ name: "a" });
    await vi.waitFor(() => expect(watching.find(hashKey(key))).toBeDefined(), { timeout: 2000 });
    await store.revoke(id);
    await vi.waitFor(() => expect(watching.find(hashKey(key))).toBeUndefined(), { timeout: 2000 });
  });

  it("finds a key created elsewhere with one lookup, before any refresh", async () => {
    const elsewhere = await other();
    const { id, key } = await elsewhere.create({ name: "new" });
    expect(store.find(hashKey(key))).toBeUndefined();
    expect(await store.lookup(hashKey(key))).toMatchObject({ id, name: "new" });
    // Kept: the next request needs no lookup.
    expect(store.find(hashKey(key))).toMatchObject({ id });
  });

  it("remembers a miss until the keys change", async () => {
    const { s, lookups } = await countingStore();
    const unknown = hashKey(generateKey());
    expect(await s.lookup(unknown)).toBeUndefined();
    expect(await s.lookup(unknown)).toBeUndefined();
    expect(lookups()).toBe(1);
    // Any reload means the keys changed, so misses are forgotten.
    await s.refresh(true);
    expect(await s.lookup(unknown)).toBeUndefined();
    expect(lookups()).toBe(2);
  });

  it("shares one lookup among simultaneous requests for one key", async () => {
    const { s, lookups } = await countingStore();
    const { id, key } = await store.create({ name: "new" });
    const found = await Promise.all(Array.from({ length: 20 }, () => s.lookup(hashKey(key))));
    expect(found.map((k) => k?.id)).toEqual(Array(20).fill(id));
    expect(lookups()).toBe(1);
  });

  it("records use in memory and writes last_used only on flush", async () => {
    const { id } = await store.create({ name: "a" });
    const reader = await other();
    for (let i = 0; i < 1000; i++) store.touch(id);
    expect((await reader.list())[0].lastUsed).toBeNull();
    await store.flush();
    expect((await reader.list())[0].lastUsed).toBe("2026-03-31T12:00:00.000Z");
  });

  it("never moves last_used backwards (several servers share the database)", async () => {
    const { id } = await store.create({ name: "a" });
    const later = await other({ ...QUIET, clock: { now: () => NOW + 86_400_000 } });
    later.touch(id);
    await later.flush();
    store.touch(id);
    await store.flush();
    expect((await store.list())[0].lastUsed).toBe("2026-04-01T12:00:00.000Z");
  });

  it("flushes pending uses on close", async () => {
    const { id } = await store.create({ name: "a" });
    const reader = await other();
    store.touch(id);
    await store.close();
    expect((await reader.list())[0].lastUsed).toBe("2026-03-31T12:00:00.000Z");
    store = await other();
  });

  it("creates the first key only on an empty database, once among racing instances", async () => {
    const racers = [store, await other(), await other(), await other()];
    const keys = await Promise.all(racers.map((s) => s.createFirstKey()));
    const created = keys.filter((k) => k !== null);
    expect(created).toHaveLength(1);
    expect(
      store.find(hashKey(created[0] as string)) ??
        (await store.lookup(hashKey(created[0] as string))),
    ).toMatchObject({ name: "first key" });
    expect(await store.createFirstKey()).toBeNull();
    expect(await store.count()).toBe(1);
  });

  it.each([
    [{ name: "  " }, "A key needs a non-empty name."],
    [
      { name: "a", perMinute: -1 },
      "The per-minute limit must be a whole number from 0 to 1000000000 (0 = default tier).",
    ],
    [
      { name: "a", perDay: 1.5 },
      "The per-day limit must be a whole number from 0 to 1000000000 (0 = default tier).",
    ],
    [
      { name: "a", perDay: 2 ** 31 },
      "The per-day limit must be a whole number from 0 to 1000000000 (0 = default tier).",
    ],
    [{ name: "a", expiresAt: "next week" }, 'Expiry "next week" is not an ISO 8601 date.'],
    [{ name: "a", expiresAt: "2027-13-01" }, 'Expiry "2027-13-01" is not an ISO 8601 date.'],
  ])("refuses %j", async (spec, message) => {
    await expect(store.create(spec)).rejects.toThrow(new RangeError(message));
    expect(await store.count()).toBe(0);
  });

  it("keeps the zone of an expiry given with an offset", async () => {
    const { key } = await store.create({ name: "a", expiresAt: "2027-01-01T02:00:00+02:00" });
    expect(store.find(hashKey(key))?.expiresAtMs).toBe(Date.parse("2027-01-01T00:00:00.000Z"));
  });

  describe("with keys owned by users", () => {
    let alice: number;
    let bob: number;

    beforeEach(async () => {
      const accounts = await Accounts.open(database.config);
      try {
        alice = (await accounts.createUser("alice@example.com", "alice's long password")).id;
        bob = (await accounts.createUser("bob@example.com", "bob's long password")).id;
      } finally {
        await accounts.close();
      }
    });

    it("records the owner on the key, in the snapshot and for other connections", async () => {
      const { id, key } = await store.create({ name: "mine", ownerId: alice });
      expect(store.find(hashKey(key))).toMatchObject({ id, ownerId: alice });
      expect(await store.list()).toMatchObject([{ id, ownerId: alice }]);
      expect(await (await other()).lookup(hashKey(key))).toMatchObject({ id, ownerId: alice });
    });

    it("stops a disabled user's keys everywhere, and starts them again when enabled", async () => {
      const { key } = await store.create({ name: "mine", ownerId: alice });
      const { key: operators } = await store.create({ name: "operator's" });
      const elsewhere = await other();
      expect(elsewhere.find(hashKey(key))).toBeDefined();
      const accounts = await Accounts.open(database.config);
      try {
        expect(await accounts.setDisabled("alice@example.com", true)).toBe(true);
        // The change moves the token like a revoke does: the next refresh drops the key.
        await elsewhere.refresh();
        expect(elsewhere.find(hashKey(key))).toBeUndefined();
        expect(await (await other()).lookup(hashKey(key))).toBeUndefined();
        expect(elsewhere.find(hashKey(operators))).toBeDefined();
        await accounts.setDisabled("alice@example.com", false);
        await elsewhere.refresh();
        expect(elsewhere.find(hashKey(key))).toMatchObject({ ownerId: alice });
      } finally {
        await accounts.close();
      }
    });

    it("lists one owner's keys newest first, a page at a time, with the total", async () => {
      const ids: Record<string, number> = {};
      for (const name of ["a1", "b1", "a2", "op", "a3", "a4", "b2", "a5"]) {
        const ownerId = name.startsWith("a") ? alice : name.startsWith("b") ? bob : null;
        ids[name] = (await store.create({ name, ownerId })).id;
      }
      await store.revoke(ids.a2);
      const pages: [{ offset: number; limit: number }, string[]][] = [
        [{ offset: 0, limit: 2 }, ["a5", "a4"]],
        [{ offset: 2, limit: 2 }, ["a3", "a2"]],
        [{ offset: 4, limit: 2 }, ["a1"]],
        [{ offset: 5, limit: 2 }, []],
        [{ offset: 1_000_000, limit: 1000 }, []],
        [{ offset: 0, limit: 1000 }, ["a5", "a4", "a3", "a2", "a1"]],
      ];
      for (const [page, names] of pages) {
        const { keys, total } = await store.listOwned(alice, page);
        expect({ page, names: keys.map((k) => k.name), total }).toEqual({ page, names, total: 5 });
      }
      const { keys } = await store.listOwned(alice, { offset: 2, limit: 2 });
      expect(keys).toEqual([
        {
          id: ids.a3,
          prefix: "csb",
          hint: expect.stringMatching(/^csb_[A-Za-z0-9]{4}…[0-9a-f]{4}$/),
          name: "a3",
          active: true,
          createdAt: "2026-03-31T12:00:00.000Z",
          expiresAt: null,
          lastUsed: null,
          perMinute: 0,
          perDay: 0,
          ownerId: alice,
        },
        expect.objectContaining({ id: ids.a2, active: false }),
      ]);
      expect(await store.listOwned(bob, { offset: 0, limit: 10 })).toMatchObject({
        keys: [{ name: "b2" }, { name: "b1" }],
        total: 2,
      });
    });

    it("lists nothing for a user without keys", async () => {
      await store.create({ name: "op" });
      expect(await store.listOwned(bob, { offset: 0, limit: 25 })).toEqual({ keys: [], total: 0 });
    });

    it("writes pending last_used before listing owned keys", async () => {
      const { id } = await store.create({ name: "a", ownerId: alice });
      store.touch(id);
      const { keys } = await store.listOwned(alice, { offset: 0, limit: 1 });
      expect(keys[0].lastUsed).toBe("2026-03-31T12:00:00.000Z");
    });

    it("revokes only the owner's own active key, at once; any other reads as false", async () => {
      const mine = await store.create({ name: "mine", ownerId: alice });
      const operators = await store.create({ name: "op" });
      const server = await other();
      expect(await store.revokeOwned(mine.id, bob)).toBe(false);
      expect(await store.revokeOwned(operators.id, alice)).toBe(false);
      expect(await store.revokeOwned(9999, alice)).toBe(false);
      expect(await store.revokeOwned(2 ** 40, alice)).toBe(false);
      expect(store.find(hashKey(mine.key))).toBeDefined();
      expect(store.find(hashKey(operators.key))).toBeDefined();

      expect(await store.revokeOwned(mine.id, alice)).toBe(true);
      expect(store.find(hashKey(mine.key))).toBeUndefined();
      expect(await store.revokeOwned(mine.id, alice)).toBe(false);
      await server.refresh();
      expect(server.find(hashKey(mine.key))).toBeUndefined();
      expect(server.find(hashKey(operators.key))).toBeDefined();
    });

    it("refuses an owner id no user has, creating nothing", async () => {
      const message = {
        SQLite: "FOREIGN KEY constraint failed",
        PostgreSQL:
          'insert or update on table "api_keys" violates foreign key constraint "api_keys_owner_id_fkey"',
      }[kind];
      await expect(store.create({ name: "orphan", ownerId: 9999 })).rejects.toThrow(message);
      expect(await store.count()).toBe(0);
    });

    it.each([
      [
        0,
        { offset: 0, limit: 1 },
        "An owner id must be a whole number from 1 to 2147483647, got 0.",
      ],
      [1, { offset: -1, limit: 1 }, "The offset must be a whole number from 0, got -1."],
      [1, { offset: 0.5, limit: 1 }, "The offset must be a whole number from 0, got 0.5."],
      [1, { offset: 0, limit: 0 }, "The limit must be a whole number from 1 to 1000, got 0."],
      [1, { offset: 0, limit: 1001 }, "The limit must be a whole number from 1 to 1000, got 1001."],
    ])("refuses listOwned(%j, %j)", async (ownerId, page, message) => {
      await expect(store.listOwned(ownerId, page)).rejects.toThrow(new RangeError(message));
    });

    it("refuses an owner id that is not a row id", async () => {
      await expect(store.create({ name: "a", ownerId: -3 })).rejects.toThrow(
        new RangeError("An owner id must be a whole number from 1 to 2147483647, got -3."),
      );
    });
  });
});

describe("KeyStore when its database fails", () => {
  // A backend whose calls fail while `down` is set: the store's behaviour around any real
  // outage (the PostgreSQL outage itself is exercised against a real server in
  // test/process/stores.test.ts).
  let dir: string;
  let down = false;
  // Only writes fail (another process holds SQLite's write lock; a full disk): reads go on.
  let writesDown = false;
  let store: KeyStore;
  const logged: { level: string; message: string; fields: object }[] = [];
  const logger = {
    warn: (fields: object, message: string) => logged.push({ level: "warn", message, fields }),
    info: (fields: object, message: string) => logged.push({ level: "info", message, fields }),
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "dm-keys-down-"));
    const real = openSqliteBackend(dir);
    const failing = new Proxy(real, {
      get(target, name: keyof KeyBackend) {
        const value = target[name];
        if (typeof value !== "function" || name === "close") return value;
        return (...args: unknown[]) =>
          down
            ? Promise.reject(Object.assign(new Error("connect failed"), { code: "ECONNREFUSED" }))
            : writesDown && name === "recordUse"
              ? Promise.reject(
                  Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" }),
                )
              : (value as (...a: unknown[]) => unknown).apply(target, args);
      },
    });
    down = false;
    writesDown = false;
    logged.length = 0;
    store = await KeyStore.open(failing, { ...QUIET, logger });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("counts a write outage as one until a write succeeds, whatever reads do meanwhile", async () => {
    const { id } = await store.create({ name: "used" });
    writesDown = true;
    for (let i = 0; i < 3; i++) {
      store.touch(id);
      await store.flush();
      await store.refresh(true);
    }
    expect(store.health()).toMatchObject({ ok: false, error: "SQLITE_BUSY: database is locked" });
    writesDown = false;
    await store.refresh(true);
    expect(store.health().ok).toBe(false);
    await store.flush();
    expect(store.health().ok).toBe(true);
    expect(logged.map((l) => [l.message, (l.fields as { operation?: string }).operation])).toEqual([
      ["key database unavailable: serving the keys already loaded; new keys get 503", "flush"],
      ["key database reachable again", undefined],
    ]);
  });

  it("keeps serving loaded keys, refuses lookups with KeyStoreUnavailableError, logs once", async () => {
    const { key } = await store.create({ name: "loaded" });
    down = true;
    await store.refresh(true);
    await store.refresh(true);
    expect(store.find(hashKey(key))).toBeDefined();
    await expect(store.lookup(hashKey(generateKey()))).rejects.toThrow(KeyStoreUnavailableError);
    expect(store.health()).toMatchObject({ ok: false, error: "ECONNREFUSED: connect failed" });
    expect(logged).toEqual([
      {
        level: "warn",
        message: "key database unavailable: serving the keys already loaded; new keys get 503",
        fields: {
          store: join(dir, "keys.sqlite"),
          operation: "refresh",
          err: "ECONNREFUSED: connect failed",
        },
      },
    ]);
    down = false;
    await store.refresh();
    expect(store.health().ok).toBe(true);
    expect(logged.map((l) => l.message)).toEqual([
      "key database unavailable: serving the keys already loaded; new keys get 503",
      "key database reachable again",
    ]);
  });

  it("keeps last_used for the next flush when a flush fails", async () => {
    const { id } = await store.create({ name: "a" });
    store.touch(id);
    down = true;
    await store.flush();
    down = false;
    await store.flush();
    expect((await store.list())[0].lastUsed).toBe("2026-03-31T12:00:00.000Z");
  });
});
