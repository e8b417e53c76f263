// src/server/middleware/bearer.ts over HTTP against the real app and a real OAuth 2.0 issuer on
// loopback (oauth2-mock-server): tokens fetched from its token endpoint are accepted; every way a
// token is refused answers 401 with a Bearer invalid_token challenge; scopes, per-client limits,
// key rotation without restart, an unreachable issuer (503), and tokens kept out of the logs.
import { createHmac, createPublicKey, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Request } from "express";
import { generateKeyPair, SignJWT } from "jose";
import { JWKStore, OAuth2Server } from "oauth2-mock-server";
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import type { Credential } from "../../../src/server/middleware/authenticate.js";
import { type BearerOptions, bearerCheck } from "../../../src/server/middleware/bearer.js";
import {
  ANON_POLICY,
  DEFAULT_POLICY,
  expectDecodesTo,
  expectProblem,
  expectRateHeaders,
  type Harness,
  type HarnessOptions,
  post,
  startApp,
} from "../../helpers/http.js";

const PAYLOAD = { gtin: "09506000134352", lot: "ABC123", format: "png" };
const AUDIENCE = "https://api.closient.test";
const SCOPE = "codes:write";
const BOTH_CHALLENGES = 'APIKey realm="closient", header="X-API-Key", Bearer realm="closient"';

let issuer: OAuth2Server;
let issuerUrl: string;

beforeAll(async () => {
  issuer = new OAuth2Server();
  await issuer.issuer.keys.generate("RS256");
  await issuer.start(0, "127.0.0.1");
  // The mock names itself "localhost"; keep discovery on the address it listens on.
  issuerUrl = `http://127.0.0.1:${issuer.address().port}`;
  issuer.issuer.url = issuerUrl;
  // Like real issuers, name the client and make every token unique (RS256 is deterministic).
  issuer.service.on("beforeTokenSigning", (token, req) => {
    const body = (req as { body?: Record<string, unknown> }).body ?? {};
    token.payload.client_id = body.client_id;
    token.payload.jti = randomUUID();
  });
});
afterAll(() => issuer.stop());

let h: Harness | undefined;
let issued: string[] = [];
let warnings: Record<string, unknown>[] = [];
const logger = { warn: (fields: object, msg: string) => warnings.push({ ...fields, msg }) };

afterEach(async () => {
  // No token, nor its signature alone, may reach a log line.
  const logged = (h?.logText() ?? "") + JSON.stringify(warnings);
  for (const token of issued) {
    expect(logged).not.toContain(token);
    expect(logged).not.toContain(token.split(".")[2] || "\0");
  }
  await h?.close();
  h = undefined;
  issued = [];
  warnings = [];
});

/** Starts the app with bearer tokens of the mock issuer accepted (found by discovery). */
async function startWithOAuth(
  options: Partial<BearerOptions> = {},
  harness: HarnessOptions = {},
): Promise<Harness> {
  const check = bearerCheck({ issuer: issuerUrl, audience: AUDIENCE, logger, ...options });
  return startApp({ ...harness, extra: { oauth: { check, scope: SCOPE } } });
}

/**
 * Fetches a client-credentials token over HTTP from the issuer's token endpoint; `claims`
 * overrides the payload just before signing (undefined removes a claim).
 */
async function fetchToken(
  form: Record<string, string> = {},
  claims: Record<string, unknown> = {},
): Promise<string> {
  issuer.service.once("beforeTokenSigning", (token) => {
    for (const [name, value] of Object.entries(claims)) {
      if (value === undefined) delete token.payload[name];
      else token.payload[name] = value;
    }
  });
  const res = await fetch(`${issuerUrl}/token`, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: "label-printer",
      scope: `codes:read ${SCOPE}`,
      aud: AUDIENCE,
      ...form,
    }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { access_token: string; token_type: string };
  expect(body.token_type).toBe("Bearer");
  issued.push(body.access_token);
  return body.access_token;
}

function postBearer(harness: Harness, token: string, scheme = "Bearer"): Promise<Response> {
  return post(harness, PAYLOAD, { authorization: `${scheme} ${token}` }, null);
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);

/** Claims the app would accept, for tokens crafted by hand. */
function goodClaims(): Record<string, unknown> {
  return { iss: issuerUrl, aud: AUDIENCE, exp: now() + 600, client_id: "forger", scope: SCOPE };
}

async function publishedKeys(): Promise<Record<string, string>[]> {
  const res = await fetch(`${issuerUrl}/jwks`);
  return ((await res.json()) as { keys: Record<string, string>[] }).keys;
}

/**
 * Asserts a 401 refusing the token, charged to the client IP's anonymous tier (which has
 * `remaining` requests left: a refused token is charged there, an accepted one is not).
 */
async function expectInvalidToken(
  res: Response,
  detail: string,
  description: string,
  remaining = 59,
) {
  await expectProblem(res, 401, "unauthorized", "Unauthorized", detail);
  expect(res.headers.get("www-authenticate")).toBe(
    `Bearer realm="closient", error="invalid_token", error_description="${description}"`,
  );
  expectRateHeaders(res, ANON_POLICY, 60, remaining, 60);
}

describe("Authorization: Bearer", () => {
  it("accepts a client-credentials token from the issuer, counts it per client and decodes", async () => {
    h = await startWithOAuth();
    const token = await fetchToken();
    const res = await postBearer(h, token);
    expect(res.status).toBe(200);
    expect(res.headers.get("www-authenticate")).toBeNull();
    expectRateHeaders(res, DEFAULT_POLICY, 300, 299, 60);
    await expectDecodesTo(res, PAYLOAD);
    // The scheme is case-insensitive (RFC 9110 §11.1).
    expect((await postBearer(h, token, "bearer")).status).toBe(200);
    expect(h.logs.filter((l) => l.path !== undefined).map((l) => l.subject)).toEqual([
      "oauth:label-printer",
      "oauth:label-printer",
    ]);
  });

  it("still accepts an API key, and names both schemes when no credential is sent", async () => {
    h = await startWithOAuth();
    const withKey = await post(h, PAYLOAD);
    expect(withKey.status).toBe(200);
    expectRateHeaders(withKey, DEFAULT_POLICY, 300, 299, 60);
    await expectDecodesTo(withKey, PAYLOAD);

    const sent: Record<string, string>[] = [{}, { authorization: "Basic dXNlcjpwYXNz" }];
    for (const headers of sent) {
      const res = await post(h, PAYLOAD, headers, null);
      await expectProblem(
        res,
        401,
        "unauthorized",
        "Unauthorized",
        "One of an API key in the X-API-Key header or an OAuth 2.0 bearer token is required.",
      );
      expect(res.headers.get("www-authenticate")).toBe(BOTH_CHALLENGES);
    }
  });

  describe("refuses with 401 invalid_token", () => {
    it.each([
      [
        "an expired token",
        { iat: now() - 7200, nbf: now() - 7200, exp: now() - 3600 },
        "The bearer token has expired.",
        "The token has expired",
      ],
      [
        "a token not valid for another 10 minutes",
        { nbf: now() + 600 },
        "The bearer token is not valid yet (its nbf is in the future).",
        "The token is not yet valid",
      ],
      [
        "a token for another audience",
        { aud: "https://someone-else.test" },
        "The bearer token is not meant for this service (aud claim).",
        "The token audience is not accepted",
      ],
      [
        "a token naming another issuer",
        { iss: "https://issuer.evil.test" },
        "The bearer token is not from the trusted issuer (iss claim).",
        "The token issuer is not trusted",
      ],
      [
        "a token without exp",
        { exp: undefined },
        "The bearer token has no expiry (exp claim).",
        "The token has no exp",
      ],
      [
        "a token naming no client",
        { client_id: undefined, sub: undefined },
        "The bearer token names no client (client_id or sub claim).",
        "The token names no client",
      ],
    ])("%s", async (_why, claims, detail, description) => {
      h = await startWithOAuth();
      await expectInvalidToken(
        await postBearer(h, await fetchToken({}, claims)),
        detail,
        description,
      );
    });

    it.each([
      ["nothing after the scheme", "Bearer"],
      ["two spaces", "Bearer  a.b.c"],
      ["a space inside the token", "Bearer a.b c"],
      ["a character outside b64token", 'Bearer a.b.c"'],
    ])("a malformed Authorization header: %s", async (_why, header) => {
      h = await startWithOAuth();
      await expectInvalidToken(
        await post(h, PAYLOAD, { authorization: header }, null),
        "The Authorization header must be Bearer, one space and the token.",
        "The Authorization header is malformed",
      );
    });

    it.each([
      ["an opaque token", "2YotnFZFEjr1zCsicMWpAA"],
      ["three parts that are not JSON", "abc.def.ghi"],
    ])("a token that is not a JWT: %s", async (_why, token) => {
      h = await startWithOAuth();
      await expectInvalidToken(
        await postBearer(h, token),
        "The bearer token is not a well-formed signed JWT.",
        "The token is malformed",
      );
    });

    it("a token whose payload was changed after signing", async () => {
      h = await startWithOAuth();
      const [header, , signature] = (await fetchToken({ scope: "codes:read" })).split(".");
      const claims = {
        ...goodClaims(),
        client_id: "label-printer",
        scope: "codes:read codes:write",
      };
      const forged = `${header}.${b64url(claims)}.${signature}`;
      issued.push(forged);
      await expectInvalidToken(
        await postBearer(h, forged),
        "The bearer token's signature does not verify.",
        "The token signature is invalid",
      );
    });

    it("an unsigned token (alg none)", async () => {
      h = await startWithOAuth();
      const forged = `${b64url({ alg: "none", typ: "JWT" })}.${b64url(goodClaims())}.`;
      await expectInvalidToken(
        await postBearer(h, forged),
        "The bearer token's signing algorithm is not accepted (RS, PS, ES or EdDSA only).",
        "The token algorithm is not accepted",
      );
    });

    it("HS256 keyed with the issuer's public key (algorithm confusion)", async () => {
      h = await startWithOAuth();
      const [jwk] = await publishedKeys();
      const pem = createPublicKey({ key: jwk, format: "jwk" }).export({
        type: "spki",
        format: "pem",
      });
      const input = `${b64url({ alg: "HS256", typ: "JWT", kid: jwk.kid })}.${b64url(goodClaims())}`;
      const secrets = [pem, JSON.stringify(jwk)];
      for (const [i, secret] of secrets.entries()) {
        const forged = `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
        issued.push(forged);
        await expectInvalidToken(
          await postBearer(h, forged),
          "The bearer token's signing algorithm is not accepted (RS, PS, ES or EdDSA only).",
          "The token algorithm is not accepted",
          59 - i,
        );
      }
    });

    it("a token signed by a key the issuer does not publish, under any kid", async () => {
      h = await startWithOAuth();
      const { privateKey } = await generateKeyPair("RS256");
      const [published] = await publishedKeys();
      const sign = (kid: string) =>
        new SignJWT(goodClaims()).setProtectedHeader({ alg: "RS256", kid }).sign(privateKey);
      const unknownKid = await sign("not-published");
      const stolenKid = await sign(published.kid);
      issued.push(unknownKid, stolenKid);
      await expectInvalidToken(
        await postBearer(h, unknownKid),
        "The bearer token is signed with a key the issuer does not publish.",
        "The token signing key is unknown",
      );
      await expectInvalidToken(
        await postBearer(h, stolenKid),
        "The bearer token's signature does not verify.",
        "The token signature is invalid",
        58,
      );
    });
  });

  it("tolerates 60 s of clock skew on nbf and exp", async () => {
    h = await startWithOAuth();
    for (const claims of [{ nbf: now() + 30 }, { exp: now() - 30 }]) {
      const res = await postBearer(h, await fetchToken({}, claims));
      expect(res.status).toBe(200);
    }
  });

  it("follows a key rotation without restart: new key accepted, the removed key refused", async () => {
    // cooldownMs 0: the JWKS was fetched a moment ago, and the new kid must refetch it now.
    h = await startWithOAuth({ cooldownMs: 0 });
    const oldToken = await fetchToken();
    expect((await postBearer(h, oldToken)).status).toBe(200);

    // The mock's keystore cannot remove a key: give the issuer a fresh one with only the new key.
    const rotated = new JWKStore();
    const { kid: newKid } = await rotated.generate("RS256");
    Object.defineProperty(issuer.issuer, "keys", { value: rotated, configurable: true });
    onTestFinished(() => {
      Reflect.deleteProperty(issuer.issuer, "keys");
    });
    expect((await publishedKeys()).map((k) => k.kid)).toEqual([newKid]);

    const newToken = await fetchToken();
    expect((await postBearer(h, newToken)).status).toBe(200);
    await expectInvalidToken(
      await postBearer(h, oldToken),
      "The bearer token is signed with a key the issuer does not publish.",
      "The token signing key is unknown",
      59,
    );
  });

  describe("scopes", () => {
    it("answers 403 insufficient_scope when the token lacks the endpoint's scope", async () => {
      h = await startWithOAuth();
      const res = await postBearer(h, await fetchToken({ scope: "codes:read" }));
      await expectProblem(
        res,
        403,
        "forbidden",
        "Forbidden",
        'The bearer token does not grant the scope "codes:write" this request needs.',
      );
      expect(res.headers.get("www-authenticate")).toBe(
        'Bearer realm="closient", error="insufficient_scope", scope="codes:write"',
      );
      // A valid token is charged to its client even when the scope is missing.
      expectRateHeaders(res, DEFAULT_POLICY, 300, 299, 60);
    });

    it("reads scopes from an scp array claim", async () => {
      h = await startWithOAuth();
      const token = await fetchToken({}, { scope: undefined, scp: ["codes:read", SCOPE] });
      const res = await postBearer(h, token);
      expect(res.status).toBe(200);
      await expectDecodesTo(res, PAYLOAD);
    });
  });

  it("counts requests per client_id: a client's tokens share its quota, another has its own", async () => {
    h = await startWithOAuth({}, { keyDefault: { perMinute: 2, perDay: 100 } });
    const policy = "2;w=60, 100;w=86400";
    const first = await fetchToken({ client_id: "alpha" });
    const second = await fetchToken({ client_id: "alpha" });
    expect(second).not.toBe(first);
    expectRateHeaders(await postBearer(h, first), policy, 2, 1, 60);
    expectRateHeaders(await postBearer(h, second), policy, 2, 0, 60);

    const limited = await postBearer(h, first);
    const reset = Number(limited.headers.get("ratelimit-reset"));
    await expectProblem(
      limited,
      429,
      "rate_limited",
      "Rate Limited",
      "Rate limit exceeded. Please try again later.",
      { retry_after: reset, retry_after_seconds: reset },
      true,
    );
    expectRateHeaders(limited, policy, 2, 0, 60);

    const other = await postBearer(h, await fetchToken({ client_id: "beta" }));
    expect(other.status).toBe(200);
    expectRateHeaders(other, policy, 2, 1, 60);
  });
});

describe("when the issuer cannot be reached", () => {
  async function expectUnavailable(res: Response, remaining: number) {
    await expectProblem(
      res,
      503,
      "service_unavailable",
      "Service Unavailable",
      "Bearer tokens cannot be checked right now: the token issuer is unreachable.",
      { retry_after: 5, retry_after_seconds: 5 },
      true,
    );
    expect(res.headers.get("retry-after")).toBe("5");
    expect(res.headers.get("www-authenticate")).toBeNull();
    // The client IP was charged, in the tier of credentials still to verify, before the issuer
    // was asked (the harness's default: ten times the anonymous tier).
    expectRateHeaders(res, "600;w=60, 10000;w=86400", 600, remaining, 60);
  }

  it("answers 503 with Retry-After, logs the outage once and backs off", async () => {
    const gone = new OAuth2Server();
    await gone.start(0, "127.0.0.1");
    const goneUrl = `http://127.0.0.1:${gone.address().port}`;
    await gone.stop();
    const check = bearerCheck({ issuer: goneUrl, audience: AUDIENCE, logger });
    h = await startApp({ extra: { oauth: { check, scope: SCOPE } } });

    const token = await fetchToken();
    await expectUnavailable(await postBearer(h, token), 599);
    await expectUnavailable(await postBearer(h, token), 598);
    expect(warnings).toEqual([
      {
        url: `${goneUrl}/.well-known/openid-configuration`,
        reason: "ECONNREFUSED",
        msg: "OAuth issuer unavailable: bearer tokens cannot be verified",
      },
    ]);
    // Tokens refused on their face need no issuer.
    const unsigned = `${b64url({ alg: "none" })}.${b64url(goodClaims())}.`;
    expect((await postBearer(h, unsigned)).status).toBe(401);
    // API keys do not depend on the issuer.
    expect((await post(h, PAYLOAD)).status).toBe(200);
  });

  describe("behind a JWKS endpoint that fails with 503", () => {
    let proxy: Server;
    let proxyUrl: string;
    let down = false;
    let hang = false;
    let hits = 0;
    beforeAll(async () => {
      // The mock issuer's own handler, behind a switch that makes it answer 503.
      proxy = createServer((req, res) => {
        hits++;
        if (hang) return;
        if (down) res.writeHead(503).end();
        else issuer.service.requestHandler(req, res);
      });
      await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
      proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    });
    afterAll(() => {
      proxy.closeAllConnections();
      return new Promise((resolve) => proxy.close(resolve));
    });

    it("does not ask again before retryMs has passed", async () => {
      down = true;
      hits = 0;
      const check = bearerCheck({
        issuer: issuerUrl,
        audience: AUDIENCE,
        jwksUri: `${proxyUrl}/jwks`,
        logger,
        retryMs: 60_000,
      });
      h = await startApp({ extra: { oauth: { check, scope: SCOPE } } });
      const token = await fetchToken();
      await expectUnavailable(await postBearer(h, token), 599);
      await expectUnavailable(await postBearer(h, token), 598);
      expect(hits).toBe(1);
      expect(warnings).toEqual([
        {
          url: `${proxyUrl}/jwks`,
          reason: "HTTP 503",
          msg: "OAuth issuer unavailable: bearer tokens cannot be verified",
        },
      ]);
    });

    it("gives up on an issuer that does not answer within timeoutMs", async () => {
      hang = true;
      onTestFinished(() => {
        hang = false;
      });
      const check = bearerCheck({
        issuer: issuerUrl,
        audience: AUDIENCE,
        jwksUri: `${proxyUrl}/jwks`,
        logger,
        timeoutMs: 200,
      });
      h = await startApp({ extra: { oauth: { check, scope: SCOPE } } });
      await expectUnavailable(await postBearer(h, await fetchToken()), 599);
      expect(warnings).toEqual([
        {
          url: `${proxyUrl}/jwks`,
          reason: "no answer in 200 ms",
          msg: "OAuth issuer unavailable: bearer tokens cannot be verified",
        },
      ]);
    });

    it("refuses a discovery document that names another issuer (OpenID Discovery §4.3)", async () => {
      down = false;
      // The proxy serves the mock's discovery document, which names the mock, not the proxy.
      const check = bearerCheck({ issuer: proxyUrl, audience: AUDIENCE, logger });
      h = await startApp({ extra: { oauth: { check, scope: SCOPE } } });
      await expectUnavailable(await postBearer(h, await fetchToken()), 599);
      expect(warnings).toEqual([
        {
          url: `${proxyUrl}/.well-known/openid-configuration`,
          reason: "its issuer differs from the configured one",
          msg: "OAuth issuer unavailable: bearer tokens cannot be verified",
        },
      ]);
    });

    it("recovers when the issuer is back, and keeps using the cached keys when it goes again", async () => {
      down = true;
      hits = 0;
      const check = bearerCheck({
        issuer: issuerUrl,
        audience: AUDIENCE,
        jwksUri: `${proxyUrl}/jwks`,
        logger,
        retryMs: 0,
      });
      h = await startApp({ extra: { oauth: { check, scope: SCOPE } } });
      const token = await fetchToken();
      await expectUnavailable(await postBearer(h, token), 599);
      await expectUnavailable(await postBearer(h, token), 598);
      expect({ hits, warnings: warnings.length }).toEqual({ hits: 2, warnings: 1 });

      down = false;
      expect((await postBearer(h, token)).status).toBe(200);
      down = true;
      expect((await postBearer(h, token)).status).toBe(200);
      expect(hits).toBe(3);
    });
  });
});

describe("bearerCheck's principal", () => {
  const lookups: string[] = [];
  const userIdByEmail = async (email: string) => {
    lookups.push(email);
    return email === "ada@example.com" ? 7 : undefined;
  };
  const request = (token: string) => ({ headers: { authorization: `Bearer ${token}` } }) as Request;

  async function settle(credential: Credential | Promise<Credential>): Promise<Credential> {
    const c = await credential;
    return c.outcome === "deferred" ? c.verify() : c;
  }

  it.each([
    [
      "client_id, a scope string and a known email",
      { client_id: "erp", sub: "svc-1", scope: "a  b", email: "ada@example.com" },
      { subject: "oauth:erp", scopes: ["a", "b"], userId: 7 },
    ],
    [
      "sub alone, an scp string and an unknown email",
      {
        client_id: undefined,
        sub: "svc-1",
        scope: undefined,
        scp: "x y",
        email: "bob@example.com",
      },
      { subject: "oauth:svc-1", scopes: ["x", "y"], userId: undefined },
    ],
    [
      "an email the issuer says is unverified",
      { email: "ada@example.com", email_verified: false },
      { subject: "oauth:label-printer", scopes: ["codes:read", SCOPE], userId: undefined },
    ],
    [
      "no scope at all",
      { scope: undefined },
      { subject: "oauth:label-printer", scopes: [], userId: undefined },
    ],
  ])("maps %s", async (_why, claims, expected) => {
    const check = bearerCheck({ issuer: issuerUrl, audience: AUDIENCE, userIdByEmail });
    const verdict = await settle(check(request(await fetchToken({}, claims))));
    expect(verdict).toEqual({
      outcome: "accepted",
      principal: {
        subject: expected.subject,
        method: "bearer",
        scopes: new Set(expected.scopes),
        userId: expected.userId,
      },
    });
  });

  it("leaves userId undefined without a lookup, and asks nothing for unverified emails", async () => {
    lookups.length = 0;
    const check = bearerCheck({ issuer: issuerUrl, audience: AUDIENCE });
    const token = await fetchToken({}, { email: "ada@example.com" });
    const verdict = await settle(check(request(token)));
    expect(verdict.outcome === "accepted" && verdict.principal.userId).toBeUndefined();
    const withLookup = bearerCheck({ issuer: issuerUrl, audience: AUDIENCE, userIdByEmail });
    await settle(
      withLookup(
        request(await fetchToken({}, { email: "eve@example.com", email_verified: false })),
      ),
    );
    expect(lookups).toEqual([]);
  });

  it("answers absent for no Authorization header or another scheme", () => {
    const check = bearerCheck({ issuer: issuerUrl, audience: AUDIENCE });
    expect(check({ headers: {} } as Request)).toEqual({ outcome: "absent" });
    expect(check({ headers: { authorization: "Basic dXNlcjpwYXNz" } } as Request)).toEqual({
      outcome: "absent",
    });
    expect(check({ headers: { authorization: "Bearerish a.b.c" } } as Request)).toEqual({
      outcome: "absent",
    });
  });
});
