// src/server/middleware/api-key.ts and authenticate.ts over HTTP: every way a key is refused (401
// problem with WWW-Authenticate, counted per IP), the checksum gate before any lookup, the
// accepted prefixes, expiry against the clock, and keys kept out of the logs.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Request } from "express";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import { generateKey, hashKey } from "../../../src/keys/format.js";
import { openKeyStore } from "../../../src/keys/open.js";
import type { ActiveKey, KeyLookup } from "../../../src/keys/store.js";
import { apiKeyCheck } from "../../../src/server/middleware/api-key.js";
import {
  ANON_POLICY,
  DEFAULT_POLICY,
  DEFAULT_TIER,
  expectDecodesTo,
  expectProblem,
  expectRateHeaders,
  type Harness,
  NOW,
  post,
  startApp,
} from "../../helpers/http.js";

const PAYLOAD = { gtin: "09506000134352", lot: "ABC123" };
const WWW_AUTHENTICATE = 'APIKey realm="closient", header="X-API-Key"';

let h: Harness;
afterEach(() => h?.close());

async function expectUnauthorized(res: Response, detail: string, remaining: number) {
  await expectProblem(res, 401, "unauthorized", "Unauthorized", detail);
  expect(res.headers.get("www-authenticate")).toBe(WWW_AUTHENTICATE);
  // Refused callers are counted against their IP, so keys cannot be brute-forced.
  expectRateHeaders(res, ANON_POLICY, 60, remaining, 60);
}

describe("X-API-Key", () => {
  it("accepts a valid key, counts it against the key's own tier and decodes", async () => {
    h = await startApp();
    const res = await post(h, PAYLOAD);
    expect(res.status).toBe(200);
    expectRateHeaders(res, DEFAULT_POLICY, 300, 299, 60);
    await expectDecodesTo(res, PAYLOAD);
  });

  it("answers 401 when the header is missing", async () => {
    h = await startApp();
    await expectUnauthorized(
      await post(h, PAYLOAD, {}, null),
      "A valid API key is required in the X-API-Key header.",
      59,
    );
  });

  it.each([
    ["empty", ""],
    ["garbage", "hello"],
    [
      "the documentation's example key (checksum fails)",
      "csb_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEf_1a2b3c4d",
    ],
    ["a bearer-style value", "Bearer csb_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEf_84041098"],
  ])("answers 401 for a malformed key: %s", async (_why, key) => {
    h = await startApp();
    await expectUnauthorized(
      await post(h, PAYLOAD, {}, key),
      "The API key is malformed or its checksum does not match.",
      59,
    );
  });

  it("answers 401 for a valid key with one character changed (checksum catches the typo)", async () => {
    h = await startApp();
    const typo = h.key.slice(0, 10) + (h.key[10] === "a" ? "b" : "a") + h.key.slice(11);
    await expectUnauthorized(
      await post(h, PAYLOAD, {}, typo),
      "The API key is malformed or its checksum does not match.",
      59,
    );
  });

  it("answers 401 for a well-formed key that was never issued", async () => {
    h = await startApp();
    await expectUnauthorized(
      await post(h, PAYLOAD, {}, generateKey()),
      "The API key is not recognised or has been revoked.",
      59,
    );
  });

  it("answers 401 for a revoked key, from the next request on", async () => {
    h = await startApp();
    const { id, key } = await h.keys.create({ name: "soon revoked" });
    expect((await post(h, PAYLOAD, {}, key)).status).toBe(200);
    await h.keys.revoke(id);
    await expectUnauthorized(
      await post(h, PAYLOAD, {}, key),
      "The API key is not recognised or has been revoked.",
      59,
    );
  });

  it("answers 401 for an expired key and accepts one expiring later", async () => {
    h = await startApp();
    const expired = await h.keys.create({ name: "old", expiresAt: new Date(NOW).toISOString() });
    const later = await h.keys.create({
      name: "new",
      expiresAt: new Date(NOW + 1000).toISOString(),
    });
    await expectUnauthorized(
      await post(h, PAYLOAD, {}, expired.key),
      "The API key has expired.",
      59,
    );
    expect((await post(h, PAYLOAD, {}, later.key)).status).toBe(200);
  });

  it("accepts csu and cpk keys", async () => {
    h = await startApp();
    for (const prefix of ["csu", "cpk"] as const) {
      const { key } = await h.keys.create({ name: prefix, prefix });
      expect((await post(h, PAYLOAD, {}, key)).status).toBe(200);
    }
  });

  it("checks shape and checksum before any store lookup", async () => {
    const looked: string[] = [];
    const spy: KeyLookup = {
      find(digest) {
        looked.push(digest);
        return undefined;
      },
      lookup: async (digest) => {
        looked.push(digest);
        return undefined;
      },
      touch() {},
    };
    h = await startApp({ extra: { keys: spy } });
    await post(h, PAYLOAD, {}, "csb_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEf_1a2b3c4d");
    await post(h, PAYLOAD, {}, "nonsense");
    expect(looked).toHaveLength(0);
    // A well-formed key: the snapshot, then the database.
    const unknown = generateKey();
    await expectUnauthorized(
      await post(h, PAYLOAD, {}, unknown),
      "The API key is not recognised or has been revoked.",
      57,
    );
    expect(looked).toEqual([hashKey(unknown), hashKey(unknown)]);
  });

  it("accepts a key another process created after this one loaded its snapshot", async () => {
    h = await startApp();
    // The CLI's view of the same database: a second store, as another process would open it.
    const cli = await openKeyStore(
      { dataDir: h.dataDir, databaseUrl: null },
      { refreshMs: 0, flushMs: 0 },
    );
    const { key } = await cli.create({ name: "made elsewhere", perMinute: 7 });
    await cli.close();
    const res = await post(h, PAYLOAD, {}, key);
    expect(res.status).toBe(200);
    // Counted against the key's own tier from this first request on.
    expectRateHeaders(res, "7;w=60, 10000;w=86400", 7, 6, 60);
  });

  it("charges the client IP's unverified tier before looking a key up, and looks nothing up over it", async () => {
    let lookups = 0;
    const dataDir = mkdtempSync(join(tmpdir(), "dm-lookups-"));
    const store = await openKeyStore({ dataDir, databaseUrl: null }, { refreshMs: 0, flushMs: 0 });
    const counting: KeyLookup = {
      find: (digest) => store.find(digest),
      lookup: (digest) => {
        lookups++;
        return store.lookup(digest);
      },
      touch: (id) => store.touch(id),
    };
    onTestFinished(async () => {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const limits = {
      keyDefault: DEFAULT_TIER,
      anonymous: { perMinute: 2, perDay: 1000 },
      unverified: { perMinute: 3, perDay: 1000 },
    };
    h = await startApp({ extra: { keys: counting, limits } });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(h, PAYLOAD, {}, generateKey())).status);
    // Unknown keys are looked up while the unverified tier admits them (3), and each refused one
    // is charged to the anonymous tier too (2): the third is refused there after its lookup.
    expect(statuses).toEqual([401, 401, 429, 429, 429]);
    expect(lookups).toBe(3);
  });

  it("answers 401 before reading the body (no key and bad JSON is 401, not 400)", async () => {
    h = await startApp();
    await expectUnauthorized(
      await post(h, "{not json", {}, null),
      "A valid API key is required in the X-API-Key header.",
      59,
    );
  });

  it("never writes a key, or part of one, to the logs", async () => {
    h = await startApp();
    await post(h, PAYLOAD);
    const unknown = generateKey();
    await post(h, PAYLOAD, {}, unknown);
    await post(h, PAYLOAD, {}, `${h.key}x`);
    const logs = h.logText();
    expect(logs).toContain('"status":200');
    expect(logs).toContain('"status":401');
    for (const key of [h.key, unknown]) expect(logs).not.toContain(key.slice(4, 36));
    expect(h.logs.find((l) => l.status === 200)?.subject).toMatch(/^key:\d+$/);
  });
});

describe("apiKeyCheck", () => {
  it("gives the principal of a user's key that user's id, and an operator's key none", () => {
    const owned = generateKey();
    const operators = generateKey();
    const keys = new Map<string, ActiveKey>([
      [
        hashKey(owned),
        { id: 7, name: "a", expiresAtMs: null, perMinute: 0, perDay: 0, ownerId: 3 },
      ],
      [
        hashKey(operators),
        { id: 8, name: "b", expiresAtMs: null, perMinute: 5, perDay: 50, ownerId: null },
      ],
    ]);
    const lookup: KeyLookup = {
      find: (digest) => keys.get(digest),
      lookup: async (digest) => keys.get(digest),
      touch: () => {},
    };
    const check = apiKeyCheck(lookup, { now: () => NOW });
    const principal = (key: string) => {
      const credential = check({ headers: { "x-api-key": key } } as unknown as Request);
      return "outcome" in credential && credential.outcome === "accepted"
        ? credential.principal
        : undefined;
    };
    expect(principal(owned)).toEqual({
      subject: "key:7",
      method: "api_key",
      limits: { perMinute: 0, perDay: 0 },
      userId: 3,
    });
    expect(principal(operators)).toEqual({
      subject: "key:8",
      method: "api_key",
      limits: { perMinute: 5, perDay: 50 },
    });
    expect(principal(operators)).not.toHaveProperty("userId", expect.anything());
  });
});
