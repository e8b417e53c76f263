// src/keys/postgres.ts against the real server, in a database of its own: the schema made
// once when instances start together, migrated from the previous version with its keys kept,
// change notifications for key changes only, indexed lookups, and a location that never shows
// the password.
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Accounts } from "../../src/accounts/accounts.js";
import type { KeyBackend } from "../../src/keys/backend.js";
import { CHANGE_CHANNEL, openPostgresBackend } from "../../src/keys/postgres.js";
import { POSTGRES_MIGRATIONS as MIGRATIONS } from "../../src/stores/migrations.js";
import { describeDatabase } from "../../src/stores/postgres.js";
import { createTestDatabase, type TestDatabase } from "../helpers/services.js";

let db: TestDatabase;
const opened: { close(): Promise<void> }[] = [];
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  for (const b of opened.splice(0)) await b.close();
  await db.drop();
});

async function open(): Promise<KeyBackend> {
  const backend = await openPostgresBackend(db.url);
  opened.push(backend);
  return backend;
}

async function openAccounts(): Promise<Accounts> {
  const accounts = await Accounts.open({ dataDir: "/nonexistent", databaseUrl: db.url });
  opened.push(accounts);
  return accounts;
}

/** Runs `sql` on a connection of its own and returns the rows. */
async function sql(text: string, values?: unknown[]): Promise<Record<string, unknown>[]> {
  const client = new pg.Client(db.url);
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}

const ALL_VERSIONS = MIGRATIONS.map((_, i) => ({ version: i + 1 }));

const ROW = {
  prefix: "csb",
  keyHash: Buffer.alloc(32, 7),
  name: "a",
  createdAt: "2026-03-31T12:00:00.000Z",
  expiresAt: null,
  perMinute: 0,
  perDay: 0,
  ownerId: null,
};

describe("the PostgreSQL key database", () => {
  it("creates the schema once when several instances start at the same moment", async () => {
    await Promise.all([
      ...Array.from({ length: 6 }, () => open()),
      ...Array.from({ length: 3 }, () => openAccounts()),
    ]);
    expect(await sql("SELECT version FROM dm_schema_version ORDER BY version")).toEqual(
      ALL_VERSIONS,
    );
    // Keys, then accounts, then the label-export tables, then the keys' display hints
    // (src/stores/migrations.ts).
    expect(ALL_VERSIONS).toHaveLength(4);
  });

  it("migrates a database at the previous version, keeping its keys, with instances racing", async () => {
    // What the previous release left: step 1 applied and recorded, one operator key.
    await sql(`CREATE TABLE dm_schema_version (version integer NOT NULL);
      INSERT INTO dm_schema_version (version) VALUES (1); ${MIGRATIONS[0]}`);
    await sql(
      `INSERT INTO api_keys (prefix, key_hash, name, created_at) VALUES ('csb', $1, 'old', $2)`,
      [ROW.keyHash, ROW.createdAt],
    );
    const [backend, , accounts] = await Promise.all([open(), open(), openAccounts(), open()]);
    expect(await sql("SELECT version FROM dm_schema_version ORDER BY version")).toEqual(
      ALL_VERSIONS,
    );
    expect(await backend.allKeys()).toMatchObject([{ name: "old", ownerId: null, active: true }]);
    // Made before hints: none stored; lists show its prefix alone.
    expect((await backend.allKeys())[0].hint).toBeNull();

    // The new tables work, and the trigger now also fires on an owner change.
    const user = await accounts.createUser("owner@example.com", "a long enough password");
    const before = Number(await backend.changeToken());
    await sql("UPDATE api_keys SET owner_id = $1", [user.id]);
    expect(Number(await backend.changeToken())).toBe(before + 1);
    expect(await backend.ownedKeys(user.id, 0, 10)).toMatchObject({
      rows: [{ name: "old", ownerId: user.id }],
      total: 1,
    });
    // The hint column added by step 4 takes a hint.
    const hinted = await backend.insert({
      ...ROW,
      keyHash: Buffer.alloc(32, 9),
      hint: "csb_AbC1…9f3e",
    });
    expect((await backend.allKeys()).find((k) => k.id === hinted)?.hint).toBe("csb_AbC1…9f3e");
  });

  it("notifies on key changes, not on usage writes", async () => {
    const backend = await open();
    const listener = new pg.Client(db.url);
    await listener.connect();
    const heard: string[] = [];
    listener.on("notification", (n) => heard.push(n.channel));
    await listener.query(`LISTEN ${CHANGE_CHANNEL}`);
    const before = await backend.changeToken();
    const id = (await backend.insert(ROW)) as number;
    await backend.recordUse(new Map([[id, Date.parse("2026-04-01T00:00:00Z")]]));
    const afterUse = await backend.changeToken();
    await backend.deactivate(id);
    // One more round trip, so that notifications of the statements above have arrived.
    await listener.query("SELECT 1");
    await listener.end();
    expect(heard).toEqual([CHANGE_CHANNEL, CHANGE_CHANNEL]);
    expect(Number(afterUse) - Number(before)).toBe(1);
    expect(Number(await backend.changeToken()) - Number(before)).toBe(2);
    expect((await backend.allKeys())[0].lastUsed).toBe("2026-04-01T00:00:00.000Z");
  });

  it("finds an active key by its hash with one indexed lookup", async () => {
    const backend = await open();
    await backend.insert(ROW);
    const client = new pg.Client(db.url);
    await client.connect();
    const plan = await client.query(
      "EXPLAIN SELECT * FROM api_keys WHERE key_hash = $1 AND is_active",
      [ROW.keyHash],
    );
    await client.end();
    expect(plan.rows.map((r) => r["QUERY PLAN"]).join("\n")).toContain("api_keys_key_hash_key");
    expect(await backend.activeKey(ROW.keyHash)).toMatchObject({ name: "a", active: true });
    expect(await backend.activeKey(Buffer.alloc(32, 8))).toBeUndefined();
  });

  it("finds a user's keys, and revokes one of them, through the owner index", async () => {
    const backend = await open();
    const user = await (await openAccounts()).createUser("a@example.com", "a long enough password");
    const id = (await backend.insert({ ...ROW, ownerId: user.id })) as number;
    // The tables are tiny, so the planner would scan them; forbid that to see the index chosen.
    const client = new pg.Client(db.url);
    await client.connect();
    await client.query("SET enable_seqscan = off");
    const plans: string[] = [];
    for (const query of [
      "SELECT *, count(*) OVER () FROM api_keys WHERE owner_id = $1 ORDER BY id DESC OFFSET 0 LIMIT 10",
      "UPDATE api_keys SET is_active = false WHERE id = $2 AND owner_id = $1 AND is_active",
    ]) {
      const plan = await client.query(`EXPLAIN ${query}`, query.includes("$2") ? [1, 2] : [1]);
      plans.push(plan.rows.map((r) => r["QUERY PLAN"]).join("\n"));
    }
    await client.end();
    expect(plans[0]).toMatch(/Index Cond: \(owner_id = 1\)/);
    expect(plans[0]).toContain("api_keys_owner_id");
    expect(plans[1]).toMatch(/Index Scan using (api_keys_pkey|api_keys_owner_id)/);
    expect(await backend.deactivateOwned(id, user.id + 1)).toBe(false);
    expect(await backend.deactivateOwned(id, user.id)).toBe(true);
  });
});

describe("describeDatabase", () => {
  it.each([
    ["postgres://dm:s3cret@db.internal:6432/keys", "postgresql://db.internal:6432/keys"],
    ["postgresql://db.internal/keys?sslmode=require", "postgresql://db.internal:5432/keys"],
  ])("shows %s as %s", (url, shown) => {
    expect(describeDatabase(url)).toBe(shown);
  });
});
