// src/server/middleware/csrf.ts: an unsafe request authenticated by the session cookie passes
// only from our own origin with the session's token (header or form field); safe methods, API
// keys and bearer tokens pass untouched.
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import type { Principal } from "../../../src/server/middleware/authenticate.js";
import { requireCsrf } from "../../../src/server/middleware/csrf.js";
import { problemHandler } from "../../../src/server/middleware/problem-handler.js";
import { type Served, serve } from "../../helpers/serve.js";

const clock = { now: () => Date.parse("2026-03-31T12:00:00.000Z") };
const TOKEN = "t".repeat(43);
const SESSION: Principal = {
  subject: "user:3",
  method: "session",
  userId: 3,
  csrfToken: TOKEN,
};
const KEY: Principal = { subject: "key:1", method: "api_key" };

let served: Served;
afterEach(() => served?.close());

// Routes behind requireCsrf; the caller is set from the X-Test-Caller header ("session"/"key").
async function start() {
  served = await serve((app, logger) => {
    app.use(express.urlencoded({ extended: false }));
    app.use((req, _res, next) => {
      const caller = req.headers["x-test-caller"];
      req.auth = { principal: caller === "session" ? SESSION : caller === "key" ? KEY : undefined };
      next();
    });
    app.all("/", requireCsrf, (_req, res) => {
      res.status(204).end();
    });
    app.use(problemHandler({ logger, clock }));
  });
}

const send = (method: string, headers: Record<string, string>, body?: string) =>
  fetch(`${served.url}/`, { method, headers: { "x-test-caller": "session", ...headers }, body });

async function expectForbidden(res: Response, detail: string) {
  expect(res.status).toBe(403);
  const body = await res.json();
  expect(body.error_code).toBe("forbidden");
  expect(body.detail).toBe(detail);
}

describe("requireCsrf", () => {
  it("passes a session POST with the token and Sec-Fetch-Site same-origin", async () => {
    await start();
    const res = await send("POST", { "x-csrf-token": TOKEN, "sec-fetch-site": "same-origin" });
    expect(res.status).toBe(204);
  });

  it("passes a plain form carrying csrf_token", async () => {
    await start();
    const res = await send(
      "POST",
      { "content-type": "application/x-www-form-urlencoded" },
      `csrf_token=${TOKEN}`,
    );
    expect(res.status).toBe(204);
  });

  it("refuses a session POST without the token, naming the header", async () => {
    await start();
    await expectForbidden(
      await send("POST", {}),
      "A request signed in with the session cookie must send the session's CSRF token in the X-CSRF-Token header (GET /account/api/v1/session).",
    );
  });

  it("refuses a wrong token, a token of another length included", async () => {
    await start();
    for (const token of ["u".repeat(43), "short"]) {
      await expectForbidden(
        await send("POST", { "x-csrf-token": token }),
        "The X-CSRF-Token header does not match the session's token.",
      );
    }
  });

  it("refuses another site even with the right token", async () => {
    await start();
    await expectForbidden(
      await send("DELETE", { "x-csrf-token": TOKEN, "sec-fetch-site": "same-site" }),
      "The request came from another site or origin (Sec-Fetch-Site: same-site).",
    );
  });

  it("without Sec-Fetch-Site, judges Origin against this server's own", async () => {
    await start();
    const own = served.url;
    expect((await send("POST", { "x-csrf-token": TOKEN, origin: own })).status).toBe(204);
    await expectForbidden(
      await send("POST", { "x-csrf-token": TOKEN, origin: "http://evil.example" }),
      "The request came from another origin.",
    );
  });

  it("lets safe methods and callers without a session through untouched", async () => {
    await start();
    expect((await send("GET", { "sec-fetch-site": "cross-site" })).status).toBe(204);
    expect(
      (await send("POST", { "x-test-caller": "key", "sec-fetch-site": "cross-site" })).status,
    ).toBe(204);
  });
});
