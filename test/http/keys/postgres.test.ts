// src/http/keys/postgres.ts against the real server, in a database of its own: the schema made
// once when instances start together, change notifications for key changes only, and a
// location that never shows the password.
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { KeyBackend } from "../../../src/http/keys/backend.js";
import {
  CHANGE_CHANNEL,
  describeDatabase,
  openPostgresBackend,
} from "../../../src/http/keys/postgres.js";
import { createTestDatabase, type TestDatabase } from "../../helpers/services.js";

let db: TestDatabase;
const opened: KeyBackend[] = [];
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

const ROW = {
  prefix: "csb",
  keyHash: Buffer.alloc(32, 7),
  name: "a",
  createdAt: "2026-03-31T12:00:00.000Z",
  expiresAt: null,
  perMinute: 0,
  perDay: 0,
};

describe("the PostgreSQL key database", () => {
  it("creates the schema once when several instances start at the same moment", async () => {
    await Promise.all(Array.from({ length: 6 }, () => open()));
    const client = new pg.Client(db.url);
    await client.connect();
    const { rows } = await client.query("SELECT version FROM dm_schema_version ORDER BY version");
    await client.end();
    expect(rows).toEqual([{ version: 1 }]);
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
});

describe("describeDatabase", () => {
  it.each([
    ["postgres://dm:s3cret@db.internal:6432/keys", "postgresql://db.internal:6432/keys"],
    ["postgresql://db.internal/keys?sslmode=require", "postgresql://db.internal:5432/keys"],
  ])("shows %s as %s", (url, shown) => {
    expect(describeDatabase(url)).toBe(shown);
  });
});
