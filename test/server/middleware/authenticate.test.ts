// src/server/middleware/authenticate.ts: identify() runs the checks in order and keeps the first
// verdict that is not "absent" (sync and async checks alike), settleDeferred() runs a deferred
// verification, requireCaller() answers 401 with the refusal's detail and challenge, and
// requireScope() answers 403 insufficient_scope to bearer callers only.
import type { Request } from "express";
import { afterEach, describe, expect, it } from "vitest";
import {
  ABSENT,
  API_KEY_CHALLENGE,
  BEARER_CHALLENGE,
  type Credential,
  type CredentialCheck,
  identify,
  type Principal,
  requireCaller,
  requireScope,
  settleDeferred,
} from "../../../src/server/middleware/authenticate.js";
import { problemHandler } from "../../../src/server/middleware/problem-handler.js";
import { type Served, serve } from "../../helpers/serve.js";

const clock = { now: () => Date.parse("2026-03-31T12:00:00.000Z") };
const KEY_CALLER: Principal = { subject: "key:1", method: "api_key" };
const BEARER_CALLER: Principal = {
  subject: "oauth:app",
  method: "bearer",
  scopes: new Set(["codes:read"]),
};

// A check that answers only when the request carries header `x-${name}` and records its turn.
function checkOn(
  name: string,
  verdict: Credential,
  calls: string[],
  async = false,
): CredentialCheck {
  return (req: Request) => {
    if (req.headers[`x-${name}`] === undefined) return ABSENT;
    calls.push(name);
    return async ? Promise.resolve(verdict) : verdict;
  };
}

let served: Served | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
});

// GET / behind identify(checks), settleDeferred and `guards`; answers the caller's subject.
async function start(checks: CredentialCheck[], guards = [requireCaller({ bearer: true })]) {
  served = await serve((app, logger) => {
    app.use(identify(checks));
    app.use((req, _res, next) => {
      settleDeferred(req).then(() => next(), next);
    });
    app.get("/", ...guards, (req, res) => {
      res.json({ subject: req.auth?.principal?.subject ?? null });
    });
    app.use(problemHandler({ logger, clock }));
  });
  const url = served.url;
  return (headers: Record<string, string> = {}) => fetch(`${url}/`, { headers });
}

describe("identify and requireCaller", () => {
  it("takes the first check that is not absent, sync or async, and skips the rest", async () => {
    const calls: string[] = [];
    const get = await start([
      checkOn("a", { outcome: "accepted", principal: KEY_CALLER }, calls, true),
      checkOn("b", { outcome: "accepted", principal: BEARER_CALLER }, calls),
    ]);
    expect(await (await get({ "x-a": "1", "x-b": "1" })).json()).toEqual({ subject: "key:1" });
    expect(calls).toEqual(["a"]);
    calls.length = 0;
    expect(await (await get({ "x-b": "1" })).json()).toEqual({ subject: "oauth:app" });
    expect(calls).toEqual(["b"]);
  });

  it("goes on after an absent async check to the later checks", async () => {
    const calls: string[] = [];
    const get = await start([
      () => Promise.resolve(ABSENT),
      checkOn("b", { outcome: "accepted", principal: KEY_CALLER }, calls),
    ]);
    expect(await (await get({ "x-b": "1" })).json()).toEqual({ subject: "key:1" });
  });

  it("answers 401 with one challenge per accepted kind when no credential came", async () => {
    const get = await start([checkOn("a", ABSENT, [])]);
    const res = await get();
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe(`${API_KEY_CHALLENGE}, ${BEARER_CHALLENGE}`);
    expect((await res.json()).detail).toBe(
      "One of an API key in the X-API-Key header or an OAuth 2.0 bearer token is required.",
    );
  });

  it("answers 401 with the refusing check's detail and challenge, not a later check's caller", async () => {
    const calls: string[] = [];
    const get = await start([
      checkOn("a", { outcome: "refused", detail: "Key revoked.", challenge: "X y" }, calls),
      checkOn("b", { outcome: "accepted", principal: KEY_CALLER }, calls),
    ]);
    const res = await get({ "x-a": "1", "x-b": "1" });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe("X y");
    expect((await res.json()).detail).toBe("Key revoked.");
    expect(calls).toEqual(["a"]);
  });

  it("runs a deferred verification only in settleDeferred, and records its verdict", async () => {
    let verified = 0;
    const deferred = (verdict: Credential): Credential => ({
      outcome: "deferred",
      verify: async () => {
        verified++;
        return verdict;
      },
    });
    const get = await start([
      checkOn("ok", deferred({ outcome: "accepted", principal: KEY_CALLER }), []),
      checkOn("no", deferred({ outcome: "refused", detail: "Unknown key." }), []),
    ]);
    expect(await (await get({ "x-ok": "1" })).json()).toEqual({ subject: "key:1" });
    const refused = await get({ "x-no": "1" });
    expect(refused.status).toBe(401);
    expect((await refused.json()).detail).toBe("Unknown key.");
    expect(verified).toBe(2);
  });

  it("with API keys alone, says an API key is required", async () => {
    const get = await start([], [requireCaller()]);
    const res = await get();
    expect(res.headers.get("www-authenticate")).toBe(API_KEY_CHALLENGE);
    expect((await res.json()).detail).toBe("A valid API key is required in the X-API-Key header.");
  });
});

describe("requireScope", () => {
  it("lets a bearer caller with the scope and every non-bearer caller through", async () => {
    const get = await start(
      [
        checkOn("bearer", { outcome: "accepted", principal: BEARER_CALLER }, []),
        checkOn("key", { outcome: "accepted", principal: KEY_CALLER }, []),
      ],
      [requireCaller({ bearer: true }), requireScope("codes:read")],
    );
    expect((await get({ "x-bearer": "1" })).status).toBe(200);
    expect((await get({ "x-key": "1" })).status).toBe(200);
  });

  it("answers 403 with an insufficient_scope challenge to a bearer caller without it", async () => {
    const get = await start(
      [checkOn("bearer", { outcome: "accepted", principal: BEARER_CALLER }, [])],
      [requireCaller({ bearer: true }), requireScope("codes:write")],
    );
    const res = await get({ "x-bearer": "1" });
    expect(res.status).toBe(403);
    expect(res.headers.get("www-authenticate")).toBe(
      'Bearer realm="closient", error="insufficient_scope", scope="codes:write"',
    );
    expect((await res.json()).detail).toBe(
      'The bearer token does not grant the scope "codes:write" this request needs.',
    );
  });
});
