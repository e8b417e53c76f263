// src/server/middleware/rate-limit.ts: the reported window, and over HTTP the headers on every response, per-key tiers, per-IP limits for callers
// without a valid key, the 429 problem, and exact counting under concurrency.
import { afterEach, describe, expect, it } from "vitest";
import { mostRestrictive } from "../../../src/server/middleware/rate-limit.js";
import {
  ANON_POLICY,
  DATAMATRIX,
  DEFAULT_POLICY,
  expectDecodesTo,
  expectProblem,
  expectRateHeaders,
  type Harness,
  post,
  startApp,
} from "../../helpers/http.js";

describe("mostRestrictive", () => {
  const minute = { limit: 300, seconds: 60, remaining: 10, resetMs: 30_000 };
  const day = { limit: 10_000, seconds: 86_400, remaining: 9, resetMs: 3_600_000 };

  it("picks the window with the fewest requests left", () => {
    expect(mostRestrictive([minute, day])).toBe(day);
    expect(mostRestrictive([{ ...minute, remaining: 3 }, day]).seconds).toBe(60);
  });

  it("on a tie picks the window that resets last, so a retry then can succeed", () => {
    const exhausted = [
      { ...minute, remaining: 0 },
      { ...day, remaining: 0 },
    ];
    expect(mostRestrictive(exhausted).seconds).toBe(86_400);
  });
});

const PAYLOAD = { gtin: "09506000134352", serial: "SN1", expiry: "291231" };

let h: Harness;
afterEach(() => h?.close());

async function expectRateLimited(res: Response, policy: string, limit: number, window: number) {
  const reset = Number(res.headers.get("ratelimit-reset"));
  await expectProblem(
    res,
    429,
    "rate_limited",
    "Rate Limited",
    "Rate limit exceeded. Please try again later.",
    { retry_after: reset, retry_after_seconds: reset },
    true,
  );
  expect(res.headers.get("retry-after")).toBe(String(reset));
  expectRateHeaders(res, policy, limit, 0, window);
}

describe("rate limits over HTTP", () => {
  it("counts down the default tier and reports the minute window", async () => {
    h = await startApp();
    for (const remaining of [299, 298, 297]) {
      const res = await post(h, PAYLOAD);
      expect(res.status).toBe(200);
      expectRateHeaders(res, DEFAULT_POLICY, 300, remaining, 60);
      expect(res.headers.get("retry-after")).toBeNull();
      await res.arrayBuffer();
    }
  });

  it("answers 429 past a key's per-minute override, with Retry-After = RateLimit-Reset", async () => {
    h = await startApp({ key: { perMinute: 3 } });
    const policy = "3;w=60, 10000;w=86400";
    for (let i = 0; i < 3; i++) expect((await post(h, PAYLOAD)).status).toBe(200);
    await expectRateLimited(await post(h, PAYLOAD), policy, 3, 60);
    // A 429 wins over the 422 the same request would otherwise get.
    await expectRateLimited(await post(h, { gtin: 1 }), policy, 3, 60);
  });

  it("reports the day window when it has fewer requests left, and blocks until it resets", async () => {
    h = await startApp({ key: { perMinute: 10, perDay: 2 } });
    const policy = "10;w=60, 2;w=86400";
    const first = await post(h, PAYLOAD);
    expectRateHeaders(first, policy, 2, 1, 86_400);
    expect((await post(h, PAYLOAD)).status).toBe(200);
    await expectRateLimited(await post(h, PAYLOAD), policy, 2, 86_400);
  });

  it("keeps keys apart: one key's quota does not limit another", async () => {
    h = await startApp({ key: { perMinute: 1 } });
    const other = await h.keys.create({ name: "other" });
    expect((await post(h, PAYLOAD)).status).toBe(200);
    expect((await post(h, PAYLOAD)).status).toBe(429);
    const res = await post(h, PAYLOAD, {}, other.key);
    expect(res.status).toBe(200);
    expectRateHeaders(res, DEFAULT_POLICY, 300, 299, 60);
  });

  it("limits callers without a valid key per IP: 429 instead of 401 once over", async () => {
    h = await startApp({ anonymous: { perMinute: 3, perDay: 100 } });
    const policy = "3;w=60, 100;w=86400";
    for (let i = 0; i < 3; i++) expect((await post(h, PAYLOAD, {}, "csb_guess")).status).toBe(401);
    await expectRateLimited(await post(h, PAYLOAD, {}, null), policy, 3, 60);
    // The same IP with a valid key is counted against the key, not the IP.
    const res = await post(h, PAYLOAD);
    expect(res.status).toBe(200);
    expectRateHeaders(res, DEFAULT_POLICY, 300, 299, 60);
  });

  it("ignores X-Forwarded-For by default: rotating it does not escape the per-IP limit", async () => {
    h = await startApp({ anonymous: { perMinute: 3, perDay: 1000 } });
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await post(h, PAYLOAD, { "x-forwarded-for": `203.0.113.${i}` }, null)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it("with TRUST_PROXY=1 counts the address the proxy appended, not what the client wrote", async () => {
    h = await startApp({ anonymous: { perMinute: 3, perDay: 1000 }, extra: { trustProxy: 1 } });
    const through = (client: string, forged: string) =>
      post(h, PAYLOAD, { "x-forwarded-for": `${forged}, ${client}` }, null);
    const statuses = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await through("198.51.100.7", `203.0.113.${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    // Another client behind the same proxy has a quota of its own.
    expect((await through("198.51.100.8", "203.0.113.1")).status).toBe(401);
  });

  it("admits exactly 20 of 60 simultaneous requests against a quota of 20", async () => {
    h = await startApp({ key: { perMinute: 20 } });
    const responses = await Promise.all(Array.from({ length: 60 }, () => post(h, PAYLOAD)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40);
    const remaining = responses
      .filter((r) => r.status === 200)
      .map((r) => Number(r.headers.get("ratelimit-remaining")))
      .sort((a, b) => a - b);
    expect(remaining).toEqual(Array.from({ length: 20 }, (_, i) => i));
    await expectDecodesTo(responses.find((r) => r.status === 200) as Response, PAYLOAD);
  });

  it("puts the headers on 304, 400, 401, 404, 405, 413, 415 and 422 responses too", async () => {
    h = await startApp();
    const ok = await post(h, PAYLOAD);
    const etag = ok.headers.get("etag") as string;
    const cases: [number, () => Promise<Response>][] = [
      [304, () => post(h, PAYLOAD, { "if-none-match": etag })],
      [400, () => post(h, "{")],
      [404, () => fetch(`${h.url}/nowhere`, { headers: { "x-api-key": h.key } })],
      [405, () => fetch(h.url + DATAMATRIX, { headers: { "x-api-key": h.key } })],
      [413, () => post(h, JSON.stringify({ gtin: "x".repeat(17_000) }))],
      [415, () => post(h, "gtin=1", { "content-type": "application/x-www-form-urlencoded" })],
      [422, () => post(h, { gtin: 9506000134352 })],
    ];
    let remaining = 299;
    for (const [status, send] of cases) {
      const res = await send();
      expect(res.status).toBe(status);
      expectRateHeaders(res, DEFAULT_POLICY, 300, --remaining, 60);
      await res.arrayBuffer();
    }
    const anonymous = await post(h, PAYLOAD, {}, null);
    expect(anonymous.status).toBe(401);
    expectRateHeaders(anonymous, ANON_POLICY, 60, 59, 60);
  });
});
