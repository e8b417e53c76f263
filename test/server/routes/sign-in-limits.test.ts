// Sign-in throttling over real HTTP with several client addresses through TRUST_PROXY and the
// harness's test clock stepped by hand: growing waits per (account, client), a per-account
// ceiling that only refuses clients that have failed, so nobody can lock an owner out.
import { afterEach, describe, expect, it } from "vitest";
import { type AccountHarness, NOW, startAccountsApp } from "../../helpers/http.js";

const PASSWORD = "correct horse battery staple";
const WRONG = "guess-guess-guess";
const OWNER = "owner@example.com";

let h: AccountHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function open() {
  let now = NOW;
  const clock = { now: () => now };
  h = await startAccountsApp({
    clock,
    // The general per-IP tier is not what these tests are about.
    anonymous: { perMinute: 100_000, perDay: 1_000_000 },
    extra: { trustProxy: 1 },
  });
  await h.accounts.createUser(OWNER, PASSWORD);
  return { h, advance: (ms: number) => (now += ms) };
}

/** Signs in as `email` from client address `from`; returns the status and Retry-After. */
async function attempt(harness: AccountHarness, from: string, password: string, email = OWNER) {
  const res = await fetch(`${harness.url}/account/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/json", "x-forwarded-for": from },
    body: JSON.stringify({ email, password }),
  });
  await res.arrayBuffer();
  return {
    status: res.status,
    retryAfter: Number(res.headers.get("retry-after")),
    rateLimit: ["policy", "limit", "remaining", "reset"].map((h) =>
      res.headers.get(`ratelimit-${h}`),
    ),
  };
}

const address = (i: number) => `198.51.100.${i}`;

describe("sign-in throttling", () => {
  it("makes one client wait longer and longer: a minute after 5 failures, the quarter hour after 10", async () => {
    const { h, advance } = await open();
    const seen = [];
    for (let i = 0; i < 6; i++) seen.push(await attempt(h, address(1), WRONG));
    expect(seen.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 429]);
    expect(seen[5].retryAfter).toBe(60);
    // The headers name the limit that refused, not the general per-IP tier.
    expect(seen[5].rateLimit).toEqual(["5;w=60, 10;w=900, 20;w=3600, 50;w=86400", "5", "0", "60"]);
    // The right password from that client waits too: it is the client that is throttled.
    expect((await attempt(h, address(1), PASSWORD)).status).toBe(429);
    advance(60_000);
    const later = [];
    for (let i = 0; i < 6; i++) later.push(await attempt(h, address(1), WRONG));
    expect(later.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 429]);
    // The 15-minute window began with the first failure, a minute ago.
    expect(later[5].retryAfter).toBe(840);
    expect(later[5].rateLimit).toEqual([
      "5;w=60, 10;w=900, 20;w=3600, 50;w=86400",
      "10",
      "0",
      "840",
    ]);
    advance(840_000);
    expect((await attempt(h, address(1), PASSWORD)).status).toBe(303);
  });

  it("never refuses the right password from a client that has not failed, whatever others did", async () => {
    const { h } = await open();
    // 20 addresses, 5 failures each: 100, the account's 15-minute ceiling.
    for (let a = 1; a <= 20; a++) {
      for (let i = 0; i < 5; i++) expect((await attempt(h, address(a), WRONG)).status).toBe(401);
    }
    // A fresh client with the right password signs in.
    expect((await attempt(h, address(100), PASSWORD)).status).toBe(303);
    // So does one that only ever signed in successfully.
    expect((await attempt(h, address(100), PASSWORD)).status).toBe(303);
  });

  it("keeps brute force from many addresses slow: past the ceiling each new address gets one guess", async () => {
    const { h, advance } = await open();
    for (let a = 1; a <= 20; a++) {
      for (let i = 0; i < 5; i++) await attempt(h, address(a), WRONG);
    }
    // A minute on, each of those clients' own minute has passed, but the ceiling holds them.
    advance(60_000);
    const again = await attempt(h, address(1), WRONG);
    expect(again.status).toBe(429);
    expect(again.retryAfter).toBe(840);
    expect((await attempt(h, address(1), PASSWORD)).status).toBe(429);
    // A new address: one wrong guess, then it too is held by the ceiling.
    expect((await attempt(h, address(21), WRONG)).status).toBe(401);
    expect((await attempt(h, address(21), WRONG)).status).toBe(429);
    // Past the quarter hour the ceiling has room again.
    advance(840_000);
    expect((await attempt(h, address(1), PASSWORD)).status).toBe(303);
  });

  it("keeps accounts apart: failures on one account do not throttle the client on another", async () => {
    const { h } = await open();
    await h.accounts.createUser("other@example.com", PASSWORD);
    for (let i = 0; i < 6; i++) await attempt(h, address(1), WRONG);
    expect((await attempt(h, address(1), PASSWORD, "other@example.com")).status).toBe(303);
  });
});
