// Which tier a request is charged to when its credential needs I/O to verify (a session cookie):
// signed-in users are held to their own tier, not the anonymous per-IP one; credentials still to
// verify share a larger per-IP tier that bounds guessing; invalid ones are anonymous. Several
// client addresses through TRUST_PROXY, and the harness's test clock stepped by hand.
import { afterEach, describe, expect, it } from "vitest";
import type { Tier } from "../../../src/server/middleware/rate-limit.js";
import {
  type AccountHarness,
  ANON_TIER,
  DATAMATRIX,
  DEFAULT_TIER,
  NOW,
  startAccountsApp,
} from "../../helpers/http.js";

const PASSWORD = "correct horse battery staple";
const PAYLOAD = { gtin: "09506000134352", lot: "ABC123" };
const OFFICE = "203.0.113.7";
const ELSEWHERE = "198.51.100.20";

let h: AccountHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A clock the test moves. */
function steppedClock() {
  let now = NOW;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

async function open(unverified: Tier, clock = steppedClock()) {
  h = await startAccountsApp({
    clock,
    extra: {
      trustProxy: 1,
      limits: { keyDefault: DEFAULT_TIER, anonymous: ANON_TIER, unverified },
    },
  });
  await h.accounts.createUser("ada@example.com", PASSWORD);
  return { h, clock };
}

/** Signs in as ada from `from`; returns the cookie and CSRF token. */
async function signIn(harness: AccountHarness, from: string) {
  const res = await fetch(`${harness.url}/account/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/json", "x-forwarded-for": from },
    body: JSON.stringify({ email: "ada@example.com", password: PASSWORD }),
  });
  expect(res.status).toBe(303);
  const cookie = /^sessionid=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1] as string;
  const info = await fetch(`${harness.url}/account/api/v1/session`, {
    headers: { cookie: `sessionid=${cookie}`, "x-forwarded-for": from },
  });
  const { csrf_token } = (await info.json()) as { csrf_token: string };
  return { cookie, csrf: csrf_token };
}

/** POSTs the payload from `from` with the session (or a made-up cookie), as the page would. */
async function render(harness: AccountHarness, from: string, cookie?: string, csrf?: string) {
  const res = await fetch(harness.url + DATAMATRIX, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-forwarded-for": from,
      origin: harness.url,
      "sec-fetch-site": "same-origin",
      ...(cookie ? { cookie: `sessionid=${cookie}` } : {}),
      ...(csrf ? { "x-csrf-token": csrf } : {}),
    },
    body: JSON.stringify(PAYLOAD),
  });
  await res.arrayBuffer();
  return {
    status: res.status,
    policy: res.headers.get("ratelimit-policy"),
    limit: res.headers.get("ratelimit-limit"),
    remaining: res.headers.get("ratelimit-remaining"),
    retryAfter: res.headers.get("retry-after"),
  };
}

describe("a signed-in user behind an address whose anonymous tier is spent", () => {
  it("gets 240 200s at 2 requests a second for two minutes, with the user's own tier in the headers", async () => {
    const { h, clock } = await open({ perMinute: 600, perDay: 50_000 });
    const { cookie, csrf } = await signIn(h, OFFICE);
    // The office's anonymous traffic (no credential) spends the address's 60/minute (the
    // sign-in form post was one of them).
    const anonymous = [];
    for (let i = 0; i < 60; i++) anonymous.push((await render(h, OFFICE)).status);
    expect(anonymous).toEqual([...Array(59).fill(401), 429]);

    const seen = [];
    for (let i = 0; i < 240; i++) {
      seen.push(await render(h, OFFICE, cookie, csrf));
      clock.advance(500);
    }
    expect(seen.filter((r) => r.status !== 200)).toEqual([]);
    // Fixed one-minute windows from the user's first request (the session read at sign-in):
    // the first window holds it and renders 0-119, the second starts at render 120 (60 s later).
    // Remaining is the user's 300 less those; the unverified per-IP tier (600) has more left.
    expect(seen.map((r) => r.remaining)).toEqual(
      Array.from({ length: 240 }, (_, i) => String(i < 120 ? 300 - 1 - (i + 1) : 300 - (i - 119))),
    );
    expect(new Set(seen.map((r) => `${r.policy} | ${r.limit}`))).toEqual(
      new Set(["300;w=60, 10000;w=86400 | 300"]),
    );
  });
});

describe("credentials still to verify", () => {
  it("share a per-IP tier that bounds guessing; the headers name it when it is the nearer limit", async () => {
    const { h } = await open({ perMinute: 10, perDay: 1_000 });
    const { cookie, csrf } = await signIn(h, OFFICE);
    // The session read after sign-in was the first request of the cookie: 9 left.
    const seen = [];
    for (let i = 0; i < 10; i++) seen.push(await render(h, OFFICE, cookie, csrf));
    expect(seen.slice(0, 9).map((r) => [r.status, r.policy, r.remaining])).toEqual(
      Array.from({ length: 9 }, (_, i) => [200, "10;w=60, 1000;w=86400", String(8 - i)]),
    );
    expect(seen[9]).toMatchObject({ status: 429, policy: "10;w=60, 1000;w=86400", remaining: "0" });
    expect(Number(seen[9].retryAfter)).toBeGreaterThan(0);
    // Guessed cookies from the same address are refused by that tier before any lookup.
    expect((await render(h, OFFICE, "guessed-cookie-value")).status).toBe(429);
    // Another address is not affected.
    expect((await render(h, ELSEWHERE, cookie, csrf)).status).toBe(200);
  });

  it("charge an invalid cookie to the anonymous tier as well: the 61st is 429 from it", async () => {
    const { h } = await open({ perMinute: 600, perDay: 50_000 });
    const seen = [];
    for (let i = 0; i < 61; i++) seen.push(await render(h, ELSEWHERE, `guess-${i}`));
    expect(seen.slice(0, 60).every((r) => r.status === 401)).toBe(true);
    expect(seen[59]).toMatchObject({ policy: "60;w=60, 1000;w=86400", remaining: "0" });
    expect(seen[60]).toMatchObject({ status: 429, policy: "60;w=60, 1000;w=86400" });
    // A signed-in user at the same address is still served.
    const { cookie, csrf } = await signIn(h, OFFICE);
    expect((await render(h, ELSEWHERE, cookie, csrf)).status).toBe(200);
  });
});
