// src/server/middleware/sign-in-limit.ts over the real in-memory limiter on a test clock:
// failures throttled per (account, client) with growing waits, a per-account ceiling that only
// refuses clients that have failed on the account, a per-address budget over all accounts,
// emails compared case-insensitively, 429 with the wait that lets a retry succeed.
import { describe, expect, it } from "vitest";
import { MemoryRateLimiter } from "../../../src/limits/limiters.js";
import {
  PER_ACCOUNT,
  PER_CLIENT,
  PER_IP,
  signInLimiter,
} from "../../../src/server/middleware/sign-in-limit.js";
import { ProblemError } from "../../../src/server/problems.js";

function setup() {
  let now = Date.parse("2026-03-31T12:00:00.000Z");
  const limiter = new MemoryRateLimiter(() => now);
  return { count: signInLimiter(limiter), advance: (ms: number) => (now += ms) };
}

async function refusal(attempt: Promise<unknown>): Promise<ProblemError> {
  const err = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProblemError);
  return err as ProblemError;
}

describe("signInLimiter", () => {
  it("publishes its windows: per client 5/min … 50/day, per account 100/15 min, per IP 20/min", () => {
    expect(PER_CLIENT[0]).toEqual({ limit: 5, seconds: 60 });
    expect(PER_CLIENT.at(-1)).toEqual({ limit: 50, seconds: 86_400 });
    expect(PER_ACCOUNT[0]).toEqual({ limit: 100, seconds: 900 });
    expect(PER_IP[0]).toEqual({ limit: 20, seconds: 60 });
  });

  it("refuses a client after 5 failures on one account for the minute, case-insensitively, and not another client", async () => {
    const { count, advance } = setup();
    for (let i = 0; i < 5; i++) {
      const outcome = await count("10.0.0.1", i % 2 ? "Ann@Example.com" : "ann@example.com ");
      await outcome(false);
    }
    advance(15_000);
    const err = await refusal(count("10.0.0.1", "ANN@example.com"));
    expect(err.code).toBe("rate_limited");
    expect(err.extras.retryAfter).toBe(45);
    expect(err.extras.detail).toBe("Too many sign-in attempts. Try again in 45 seconds.");
    // Another client gets its own attempts on the same account, and the first one its own on
    // another account.
    await (await count("10.0.0.2", "ann@example.com"))(true);
    await (await count("10.0.0.1", "bob@example.com"))(true);
    advance(45_000);
    await count("10.0.0.1", "ann@example.com");
  });

  it("counts nothing for a right password", async () => {
    const { count } = setup();
    for (let i = 0; i < 15; i++) await (await count("10.0.0.3", "cy@example.com"))(true);
  });

  it("stops failing clients at the account's ceiling, but never a client that has not failed", async () => {
    const { count } = setup();
    // 100 failures from 25 addresses, 4 each: no client reaches its own 5 a minute.
    for (let i = 0; i < 100; i++) await (await count(`10.1.${i % 25}.1`, "dee@example.com"))(false);
    await refusal(count("10.1.0.1", "dee@example.com"));
    await (await count("10.9.9.9", "dee@example.com"))(true);
  });

  it("allows 20 attempts from one address across accounts, then 429 for any account", async () => {
    const { count, advance } = setup();
    for (let i = 0; i < 20; i++) await count("192.0.2.7", `user${i}@example.com`);
    advance(15_000);
    const err = await refusal(count("192.0.2.7", "new@example.com"));
    expect(err.extras.retryAfter).toBe(45);
    await count("192.0.2.8", "new@example.com");
  });
});
