// src/server/middleware/session.ts over a real account store (SQLite in a temporary directory):
// no cookie is absent, a live session is a caller with its user and CSRF token, an ended or
// made-up one is refused, and a store that cannot answer is 503 with Retry-After.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Request } from "express";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Accounts } from "../../../src/accounts/accounts.js";
import {
  identify,
  requireCaller,
  settleDeferred,
} from "../../../src/server/middleware/authenticate.js";
import { problemHandler } from "../../../src/server/middleware/problem-handler.js";
import {
  SESSION_COOKIE,
  sessionCheck,
  sessionIdOf,
} from "../../../src/server/middleware/session.js";
import { type Served, serve } from "../../helpers/serve.js";

const clock = { now: () => Date.parse("2026-03-31T12:00:00.000Z") };
const PASSWORD = "correct horse battery staple";

let dir: string;
let accounts: Accounts;
let served: Served | undefined;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "dm-session-test-"));
  accounts = await Accounts.open({ dataDir: dir, databaseUrl: null });
  await accounts.createUser("ann@example.com", PASSWORD);
});

afterEach(async () => {
  await served?.close();
  served = undefined;
  await accounts.close().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

async function start() {
  served = await serve((app, logger) => {
    app.use(identify([sessionCheck(accounts)]));
    app.use((req, _res, next) => {
      settleDeferred(req).then(() => next(), next);
    });
    app.get("/", requireCaller({ session: true }), (req, res) => {
      res.json(req.auth?.principal);
    });
    app.use(problemHandler({ logger, clock }));
  });
  const url = served.url;
  return (cookie?: string) => fetch(`${url}/`, { headers: cookie ? { cookie } : {} });
}

async function signIn() {
  const signedIn = await accounts.signIn("ann@example.com", PASSWORD);
  if (signedIn === null) throw new Error("sign-in failed");
  return signedIn;
}

describe("sessionIdOf", () => {
  const req = (cookie?: string) => ({ headers: cookie ? { cookie } : {} }) as Request;
  it("reads the sessionid cookie among others, and nothing from an empty or absent one", () => {
    expect(sessionIdOf(req("a=1; sessionid=abc; b=2"))).toBe("abc");
    expect(sessionIdOf(req("sessionid="))).toBeUndefined();
    expect(sessionIdOf(req("other=sessionid"))).toBeUndefined();
    expect(sessionIdOf(req())).toBeUndefined();
  });
});

describe("sessionCheck", () => {
  it("accepts a live session as user:<id> with its email and CSRF token", async () => {
    const get = await start();
    const { sessionId, csrfToken, userId } = await signIn();
    const res = await get(`${SESSION_COOKIE}=${sessionId}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      subject: `user:${userId}`,
      method: "session",
      userId,
      email: "ann@example.com",
      csrfToken,
    });
  });

  it("refuses a signed-out session and a made-up id with 401 saying it ended", async () => {
    const get = await start();
    const { sessionId } = await signIn();
    await accounts.signOut(sessionId);
    for (const id of [sessionId, "x".repeat(43)]) {
      const res = await get(`${SESSION_COOKIE}=${id}`);
      expect(res.status).toBe(401);
      expect((await res.json()).detail).toBe(
        "The session has expired or was ended. Please sign in again.",
      );
    }
  });

  it("is absent without the cookie (the 401 asks for a credential)", async () => {
    const get = await start();
    const res = await get("theme=dark");
    expect(res.status).toBe(401);
    expect((await res.json()).detail).toBe(
      "One of an API key in the X-API-Key header or a signed-in session is required.",
    );
  });

  it("answers 503 with Retry-After 5 when the account store cannot answer", async () => {
    const get = await start();
    const { sessionId } = await signIn();
    await accounts.close();
    const res = await get(`${SESSION_COOKIE}=${sessionId}`);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(await res.json()).toMatchObject({
      error_code: "service_unavailable",
      detail: "The session cannot be checked right now. Please retry shortly.",
      retry_after: 5,
    });
  });
});
