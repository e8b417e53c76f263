// src/server/middleware/sign-in-limit.ts over the real in-memory limiter on a test clock: a
// budget per account (whatever the address) and per address (whatever the account), emails
// compared case-insensitively, 429 with the wait that lets a retry succeed.
import { describe, expect, it } from "vitest";
import { MemoryRateLimiter } from "../../../src/limits/limiters.js";
import {
  PER_ACCOUNT,
  PER_IP,
  signInLimiter,
} from "../../../src/server/middleware/sign-in-limit.js";
import { ProblemError } from "../../../src/server/problems.js";

function setup() {
  let now = Date.parse("2026-03-31T12:00:00.000Z");
  const limiter = new MemoryRateLimiter(() => now);
  return { count: signInLimiter(limiter), advance: (ms: number) => (now += ms) };
}

async function refusal(attempt: Promise<void>): Promise<ProblemError> {
  const err = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProblemError);
  return err as ProblemError;
}

describe("signInLimiter", () => {
  it("publishes 10 per account per 15 minutes and 20 per IP per minute", () => {
    expect(PER_ACCOUNT[0]).toEqual({ limit: 10, seconds: 900 });
    expect(PER_IP[0]).toEqual({ limit: 20, seconds: 60 });
  });

  it("allows 10 attempts on one account from many addresses, then 429 until the window ends", async () => {
    const { count, advance } = setup();
    for (let i = 0; i < 10; i++)
      await count(`10.0.0.${i}`, i % 2 ? "Ann@Example.com" : "ann@example.com ");
    advance(60_000);
    const err = await refusal(count("10.0.1.1", "ANN@example.com"));
    expect(err.code).toBe("rate_limited");
    expect(err.extras.retryAfter).toBe(840);
    expect(err.extras.detail).toBe("Too many sign-in attempts. Try again in 840 seconds.");
    // Another account from the same address is not affected.
    await count("10.0.1.1", "bob@example.com");
    advance(840_000);
    await count("10.0.1.1", "ann@example.com");
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
