// Sign-in, sessions, CSRF, the Account API and CORS over real HTTP against the real app, with
// real users (argon2id) in the harness's SQLite database.
import { OAuth2Server } from "oauth2-mock-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearerCheck } from "../../../src/server/middleware/bearer.js";
import { PER_ACCOUNT } from "../../../src/server/middleware/sign-in-limit.js";
import {
  type AccountHarness,
  DATAMATRIX,
  expectDecodesTo,
  expectProblem,
  startAccountsApp,
} from "../../helpers/http.js";
import { createTestDatabase, type TestDatabase } from "../../helpers/services.js";

const PASSWORD = "correct horse battery staple";
const PAYLOAD = { gtin: "09506000134352", lot: "ABC123", format: "png" };

let h: AccountHarness;

beforeAll(async () => {
  const tier = { perMinute: 10_000, perDay: 100_000 };
  // Sign-in per IP is raised here (every test signs in from 127.0.0.1); its default has a test.
  h = await startAccountsApp({
    keyDefault: tier,
    anonymous: tier,
    extra: { signInLimits: { perIp: [{ limit: 1000, seconds: 60 }], perAccount: PER_ACCOUNT } },
  });
  await h.accounts.createUser("ada@example.com", PASSWORD);
  await h.accounts.createUser("bob@example.com", PASSWORD);
});
afterAll(() => h.close());

/** Signs in with a form post from the page's own origin; returns the sessionid cookie value. */
async function signIn(email: string, password = PASSWORD, cookie?: string): Promise<Response> {
  return fetch(`${h.url}/account/login`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: h.url,
      "sec-fetch-site": "same-origin",
      ...(cookie ? { cookie: `sessionid=${cookie}` } : {}),
    },
    body: new URLSearchParams({ email, password }).toString(),
  });
}

function sessionCookie(res: Response): string {
  const header = res.headers.get("set-cookie") ?? "";
  const match = /^sessionid=([^;]+)/.exec(header);
  if (!match) throw new Error(`no sessionid cookie in ${JSON.stringify(header)}`);
  return match[1];
}

async function session(cookie: string): Promise<{ email: string; csrf_token: string }> {
  const res = await fetch(`${h.url}/account/api/v1/session`, {
    headers: { cookie: `sessionid=${cookie}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { email: string; csrf_token: string };
}

/** A same-origin browser request with the session cookie and (unless null) the CSRF token. */
function asBrowser(
  cookie: string,
  csrf: string | null,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    cookie: `sessionid=${cookie}`,
    origin: h.url,
    "sec-fetch-site": "same-origin",
    ...(csrf === null ? {} : { "x-csrf-token": csrf }),
    ...extra,
  };
}

describe("sign-in", () => {
  it("serves the sign-in form with a strict CSP and no caching", async () => {
    const res = await fetch(`${h.url}/account/login`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-security-policy")).toContain("form-action 'self'");
    const html = await res.text();
    expect(html).toContain('<form method="post" action="/account/login">');
    expect(html).toContain('autocomplete="current-password"');
  });

  it("sets an HttpOnly, SameSite=Lax, Path=/ session cookie and redirects to the dashboard", async () => {
    const res = await signIn("ADA@example.com ");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/account/");
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^sessionid=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).toContain("Path=/");
    expect(cookie).not.toContain("Secure");
    expect(await session(sessionCookie(res))).toMatchObject({ email: "ada@example.com" });
  });

  it("answers a wrong password and an unknown email alike", async () => {
    const wrong = await signIn("bob@example.com", "not the password at all");
    const unknown = await signIn("nobody@example.com", "not the password at all");
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.headers.get("set-cookie")).toBeNull();
      expect(res.headers.get("www-authenticate")).toBe(
        'Session realm="closient", cookie="sessionid"',
      );
    }
    const alert = (html: string) => /<p class="error" role="alert">([^<]*)<\/p>/.exec(html)?.[1];
    expect(alert(await wrong.text())).toBe("The email or password is incorrect.");
    expect(alert(await unknown.text())).toBe("The email or password is incorrect.");
  });

  it("takes JSON too, and answers its failures as problems", async () => {
    const ok = await fetch(`${h.url}/account/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "bob@example.com", password: PASSWORD }),
    });
    expect(ok.status).toBe(303);
    const bad = await fetch(`${h.url}/account/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "bob@example.com", password: "nope-nope-nope" }),
    });
    await expectProblem(
      bad,
      401,
      "unauthorized",
      "Unauthorized",
      "The email or password is incorrect.",
    );
  });

  it("refuses a sign-in form posted from another origin", async () => {
    const res = await fetch(`${h.url}/account/login`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: "http://evil.example",
        "sec-fetch-site": "cross-site",
      },
      body: new URLSearchParams({ email: "ada@example.com", password: PASSWORD }).toString(),
    });
    await expectProblem(
      res,
      403,
      "forbidden",
      "Forbidden",
      "The request came from another site or origin (Sec-Fetch-Site: cross-site).",
    );
  });

  it("rotates the session at sign-in: the previous id stops working", async () => {
    const first = sessionCookie(await signIn("bob@example.com"));
    const second = sessionCookie(await signIn("bob@example.com", PASSWORD, first));
    expect(second).not.toBe(first);
    const old = await fetch(`${h.url}/account/api/v1/session`, {
      headers: { cookie: `sessionid=${first}` },
    });
    await expectProblem(
      old,
      401,
      "unauthorized",
      "Unauthorized",
      "The session has expired or was ended. Please sign in again.",
    );
    await session(second);
  });

  it("limits failures per account and client: the 6th in a minute is 429 with Retry-After", async () => {
    const email = "target@example.com";
    for (let i = 0; i < 5; i++) expect((await signIn(email, "guess-guess-guess")).status).toBe(401);
    const res = await signIn(email, "guess-guess-guess");
    expect(res.status).toBe(429);
    const retry = Number(res.headers.get("retry-after"));
    expect(retry).toBeGreaterThan(50);
    expect(retry).toBeLessThanOrEqual(60);
    const body = (await res.json()) as { error_code: string; retry_after: number };
    expect(body).toMatchObject({ error_code: "rate_limited", retry_after: retry });
  });

  it("limits attempts per IP by default: the 21st in a minute is 429, whatever the account", async () => {
    const fresh = await startAccountsApp();
    try {
      const attempt = (i: number) =>
        fetch(`${fresh.url}/account/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: `spray${i}@example.com`, password: "guess-guess-guess" }),
        });
      for (let i = 0; i < 20; i++) expect((await attempt(i)).status).toBe(401);
      const res = await attempt(20);
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      await fresh.close();
    }
  });

  it("signs out: the cookie is cleared and the session ends", async () => {
    const cookie = sessionCookie(await signIn("ada@example.com"));
    const { csrf_token } = await session(cookie);
    const noToken = await fetch(`${h.url}/account/logout`, {
      method: "POST",
      redirect: "manual",
      headers: asBrowser(cookie, null, { "content-type": "application/x-www-form-urlencoded" }),
      body: "",
    });
    expect(noToken.status).toBe(403);
    const res = await fetch(`${h.url}/account/logout`, {
      method: "POST",
      redirect: "manual",
      headers: asBrowser(cookie, null, { "content-type": "application/x-www-form-urlencoded" }),
      body: new URLSearchParams({ csrf_token }).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/account/login");
    expect(res.headers.get("set-cookie")).toMatch(/^sessionid=; Path=\/; Expires=Thu, 01 Jan 1970/);
    const after = await fetch(`${h.url}/account/api/v1/session`, {
      headers: { cookie: `sessionid=${cookie}` },
    });
    expect(after.status).toBe(401);
    const dashboard = await fetch(`${h.url}/account/`, {
      redirect: "manual",
      headers: { cookie: `sessionid=${cookie}` },
    });
    expect(dashboard.status).toBe(303);
    expect(dashboard.headers.get("location")).toBe("/account/login");
  });
});

describe("the session on the datamatrix endpoint", () => {
  let cookie: string;
  let csrf: string;
  beforeAll(async () => {
    cookie = sessionCookie(await signIn("ada@example.com"));
    csrf = (await session(cookie)).csrf_token;
  });

  const render = (headers: Record<string, string>) =>
    fetch(h.url + DATAMATRIX, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(PAYLOAD),
    });

  it("renders for a same-origin request with the CSRF token", async () => {
    const res = await render(asBrowser(cookie, csrf));
    expect(res.status).toBe(200);
    await expectDecodesTo(res, PAYLOAD);
  });

  it("refuses the cookie without the token, with a wrong token, or from another origin", async () => {
    const missing = await render(asBrowser(cookie, null));
    expect(missing.status).toBe(403);
    expect(((await missing.json()) as { detail: string }).detail).toContain("X-CSRF-Token");
    // One character changed (never to itself: a token ending in "A" gets "B").
    const other = csrf.endsWith("A") ? "B" : "A";
    const wrong = await render(asBrowser(cookie, `${csrf.slice(0, -1)}${other}`));
    expect(wrong.status).toBe(403);
    const otherOrigin = await render({
      ...asBrowser(cookie, csrf),
      origin: "http://127.0.0.1:1",
      "sec-fetch-site": "same-site",
    });
    await expectProblem(
      otherOrigin,
      403,
      "forbidden",
      "Forbidden",
      "The request came from another site or origin (Sec-Fetch-Site: same-site).",
    );
    // Without Sec-Fetch-Site (older browsers), the Origin header decides.
    const { "sec-fetch-site": _dropped, ...legacy } = asBrowser(cookie, csrf);
    expect((await render({ ...legacy, origin: "http://127.0.0.1:1" })).status).toBe(403);
    expect((await render(legacy)).status).toBe(200);
  });

  it("offers every accepted scheme when no credential is sent", async () => {
    const res = await render({});
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('APIKey realm="closient", header="X-API-Key"');
    expect(((await res.json()) as { detail: string }).detail).toBe(
      "One of an API key in the X-API-Key header or a signed-in session is required.",
    );
  });
});

describe("the Account API", () => {
  let cookie: string;
  let csrf: string;
  let bobCookie: string;
  let bobCsrf: string;
  beforeAll(async () => {
    cookie = sessionCookie(await signIn("ada@example.com"));
    csrf = (await session(cookie)).csrf_token;
    bobCookie = sessionCookie(await signIn("bob@example.com"));
    bobCsrf = (await session(bobCookie)).csrf_token;
  });

  const api = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    fetch(`${h.url}/account/api/v1${path}`, init);

  it("creates a key shown once, which then renders; revoking it refuses it", async () => {
    const created = await api("/api-keys/", {
      method: "POST",
      headers: asBrowser(cookie, csrf, { "content-type": "application/json" }),
      body: JSON.stringify({ name: "label printer", expires_at: "2027-06-30" }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("cache-control")).toBe("no-store");
    const body = (await created.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      name: "label printer",
      prefix: "csb",
      status: "active",
      is_active: true,
      expires_at: "2027-06-30T00:00:00.000Z",
      last_used: null,
      rate_limit_per_minute: 10_000,
      rate_limit_per_day: 100_000,
    });
    expect(created.headers.get("location")).toBe(`/account/api/v1/api-keys/${body.id}/`);
    const key = body.key as string;
    expect(key).toMatch(/^csb_/);
    // The hint: the key's first 8 characters and last 4, here and in the list.
    const hint = `${key.slice(0, 8)}…${key.slice(-4)}`;
    expect(body.hint).toBe(hint);

    const rendered = await fetch(h.url + DATAMATRIX, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": key },
      body: JSON.stringify(PAYLOAD),
    });
    expect(rendered.status).toBe(200);

    const listed = (await (
      await api("/api-keys/", { headers: asBrowser(cookie, csrf) })
    ).json()) as {
      data: Record<string, unknown>[];
    };
    expect(listed.data[0]).toMatchObject({ id: body.id, name: "label printer", hint });
    expect(JSON.stringify(listed)).not.toContain(key);

    const revoked = await api(`/api-keys/${body.id}/`, {
      method: "DELETE",
      headers: asBrowser(cookie, csrf),
    });
    expect(revoked.status).toBe(204);
    const refused = await fetch(h.url + DATAMATRIX, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": key },
      body: JSON.stringify(PAYLOAD),
    });
    expect(refused.status).toBe(401);
  });

  it("reads another user's key as not found", async () => {
    const created = await api("/api-keys/", {
      method: "POST",
      headers: asBrowser(bobCookie, bobCsrf, { "content-type": "application/json" }),
      body: JSON.stringify({ name: "bob's" }),
    });
    const { id } = (await created.json()) as { id: number };
    const res = await api(`/api-keys/${id}/`, {
      method: "DELETE",
      headers: asBrowser(cookie, csrf),
    });
    await expectProblem(
      res,
      404,
      "not_found",
      "Not Found",
      `You have no active API key with id ${id}.`,
    );
    const bobs = (await (
      await api("/api-keys/", { headers: asBrowser(bobCookie, bobCsrf) })
    ).json()) as {
      data: { id: number; status: string }[];
    };
    expect(bobs.data.find((k) => k.id === id)?.status).toBe("active");
  });

  it("needs the CSRF token to create or revoke with the cookie", async () => {
    const res = await api("/api-keys/", {
      method: "POST",
      headers: asBrowser(cookie, null, { "content-type": "application/json" }),
      body: JSON.stringify({ name: "x" }),
    });
    expect(res.status).toBe(403);
  });

  it("refuses API keys (a key cannot mint keys) and anonymous callers", async () => {
    const withKey = await api("/api-keys/", { headers: { "x-api-key": h.key } });
    expect(withKey.status).toBe(403);
    const anonymous = await api("/api-keys/");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe(
      'Session realm="closient", cookie="sessionid"',
    );
  });

  it("validates the new key's fields, naming each", async () => {
    const res = await api("/api-keys/", {
      method: "POST",
      headers: asBrowser(cookie, csrf, { "content-type": "application/json" }),
      body: JSON.stringify({ name: "", expires_at: "2020-01-01", colour: "red" }),
    });
    const body = (await res.json()) as { details: { loc: string[]; type: string }[] };
    expect(res.status).toBe(422);
    expect(body.details.map((d) => [d.loc.join("."), d.type])).toEqual([
      ["body.colour", "extra_forbidden"],
      ["body.name", "name"],
      ["body.expires_at", "future"],
    ]);
  });

  it.each([
    [
      { name: { toString: 1 } },
      "body.name",
      "string_type",
      "name must be a string of 1 to 100 characters; got an object.",
    ],
    [
      { name: ["k"] },
      "body.name",
      "string_type",
      "name must be a string of 1 to 100 characters; got an array.",
    ],
    [
      { name: 7 },
      "body.name",
      "string_type",
      "name must be a string of 1 to 100 characters; got the number 7.",
    ],
    [
      { name: "k", expires_at: { valueOf: 1 } },
      "body.expires_at",
      "string_type",
      "expires_at must be an ISO 8601 date or date-time string such as 2027-06-30T00:00:00Z; got an object.",
    ],
    [
      { name: "k", expires_at: 1798675200000 },
      "body.expires_at",
      "string_type",
      "expires_at must be an ISO 8601 date or date-time string such as 2027-06-30T00:00:00Z; got the number 1798675200000.",
    ],
    [
      { name: "k", expires_at: "2027-02-30" },
      "body.expires_at",
      "datetime",
      'expires_at "2027-02-30" is not a real date or time: February 2027 has 28 days.',
    ],
    [
      { name: "k", expires_at: "2028-02-30T00:00:00Z" },
      "body.expires_at",
      "datetime",
      'expires_at "2028-02-30T00:00:00Z" is not a real date or time: February 2028 has 29 days.',
    ],
    [
      { name: "k", expires_at: "2027-04-31" },
      "body.expires_at",
      "datetime",
      'expires_at "2027-04-31" is not a real date or time: April 2027 has 30 days.',
    ],
    [
      { name: "k", expires_at: "2027-13-01" },
      "body.expires_at",
      "datetime",
      'expires_at "2027-13-01" is not a real date or time: there is no month 13.',
    ],
    [
      { name: "k", expires_at: "2027-06-30T24:30:00Z" },
      "body.expires_at",
      "datetime",
      'expires_at "2027-06-30T24:30:00Z" is not a real date or time: there is no hour 24.',
    ],
  ])("refuses %j with a 422 naming the field", async (payload, loc, type, msg) => {
    const res = await api("/api-keys/", {
      method: "POST",
      headers: asBrowser(cookie, csrf, { "content-type": "application/json" }),
      body: JSON.stringify(payload),
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { details: { loc: string[]; type: string; msg: string }[] };
    expect(body.details.map((d) => [d.loc.join("."), d.type, d.msg])).toEqual([[loc, type, msg]]);
  });

  it("stores a leap day as given", async () => {
    const res = await api("/api-keys/", {
      method: "POST",
      headers: asBrowser(cookie, csrf, { "content-type": "application/json" }),
      body: JSON.stringify({ name: "leap", expires_at: "2028-02-29" }),
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { expires_at: string }).expires_at).toBe(
      "2028-02-29T00:00:00.000Z",
    );
  });

  it.each([
    [0, 1, 25, 0, 0, false],
    [1, 1, 25, 1, 1, false],
    [25, 1, 25, 25, 1, false],
    [26, 1, 25, 25, 2, true],
    [26, 2, 25, 1, 2, false],
    [101, 5, 25, 1, 5, false],
    [101, 2, 100, 1, 2, false],
    [101, 1, 100, 100, 2, true],
  ])(
    "paginates %i keys: page %i of size %i holds %i of %i pages",
    async (count, page, size, onPage, pages, hasNext) => {
      const email = `pages-${count}-${page}-${size}@example.com`;
      const user = await h.accounts.createUser(email, PASSWORD);
      for (let i = 0; i < count; i++) await h.keys.create({ name: `k${i}`, ownerId: user.id });
      const c = sessionCookie(await signIn(email));
      const query = size === 25 && page === 1 ? "" : `?page=${page}&page_size=${size}`;
      const res = await api(`/api-keys/${query}`, { headers: { cookie: `sessionid=${c}` } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { data: { name: string }[]; pagination: unknown };
      expect(body.pagination).toEqual({
        page,
        page_size: size,
        total_count: count,
        total_pages: pages,
        has_next: hasNext,
        has_previous: page > 1,
      });
      expect(body.data).toHaveLength(onPage);
      // Newest first.
      if (onPage > 0) expect(body.data[0].name).toBe(`k${count - 1 - (page - 1) * size}`);
    },
  );

  it("refuses a page size over 100 or a page below 1 with 422 naming the parameter", async () => {
    const res = await api("/api-keys/?page=0&page_size=101", { headers: asBrowser(cookie, csrf) });
    const body = (await res.json()) as { details: { loc: string[] }[] };
    expect(res.status).toBe(422);
    expect(body.details.map((d) => d.loc)).toEqual([
      ["query", "page"],
      ["query", "page_size"],
    ]);
  });
});

describe("CORS", () => {
  let c: AccountHarness;
  beforeAll(async () => {
    c = await startAccountsApp({ extra: { corsOrigins: ["https://app.example.com"] } });
  });
  afterAll(() => c.close());

  it("answers an allowed origin's preflight, without credentials", async () => {
    const res = await fetch(c.url + DATAMATRIX, {
      method: "OPTIONS",
      headers: {
        origin: "https://app.example.com",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,x-api-key,if-none-match",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(res.headers.get("access-control-allow-headers")).toBe(
      "Content-Type,X-API-Key,Authorization,If-None-Match,Idempotency-Key",
    );
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    expect(res.headers.get("ratelimit-limit")).toBeNull();
  });

  it("exposes ETag and the rate-limit headers on the actual response", async () => {
    const res = await fetch(c.url + DATAMATRIX, {
      method: "POST",
      headers: {
        origin: "https://app.example.com",
        "content-type": "application/json",
        "x-api-key": c.key,
      },
      body: JSON.stringify(PAYLOAD),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    const exposed = res.headers.get("access-control-expose-headers") ?? "";
    for (const name of ["ETag", "RateLimit-Remaining", "Retry-After"])
      expect(exposed).toContain(name);
  });

  it("gives other origins nothing", async () => {
    const res = await fetch(c.url + DATAMATRIX, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("logs", () => {
  it("never hold a password, session id, CSRF token or key", async () => {
    const res = await signIn("ada@example.com");
    const cookie = sessionCookie(res);
    const { csrf_token } = await session(cookie);
    const created = await fetch(`${h.url}/account/api/v1/api-keys/`, {
      method: "POST",
      headers: asBrowser(cookie, csrf_token, { "content-type": "application/json" }),
      body: JSON.stringify({ name: "log check" }),
    });
    const { key } = (await created.json()) as { key: string };
    const text = h.logText();
    expect(text.length).toBeGreaterThan(0);
    for (const secret of [PASSWORD, cookie, csrf_token, key, "guess-guess-guess"]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe("the Account API with an OAuth 2.0 bearer token", () => {
  let issuer: OAuth2Server;
  let b: AccountHarness;
  let adaId: number;
  const AUDIENCE = "https://api.closient.test";

  beforeAll(async () => {
    issuer = new OAuth2Server();
    await issuer.issuer.keys.generate("ES256");
    await issuer.start(0, "127.0.0.1");
    issuer.issuer.url = `http://127.0.0.1:${issuer.address().port}`;
    let accounts: AccountHarness["accounts"] | undefined;
    const check = bearerCheck({
      issuer: issuer.issuer.url,
      audience: AUDIENCE,
      userIdByEmail: async (email) => (await accounts?.userByEmail(email))?.id,
    });
    b = await startAccountsApp({ extra: { oauth: { check, scope: "codes:write" } } });
    accounts = b.accounts;
    adaId = (await b.accounts.createUser("ada@example.com", PASSWORD)).id;
    await b.keys.create({ name: "ada's printer", ownerId: adaId });
  });
  afterAll(async () => {
    await b.close();
    await issuer.stop();
  });

  /** A client-credentials token fetched over HTTP, with `claims` set just before signing. */
  async function token(scope: string, claims: Record<string, unknown>): Promise<string> {
    issuer.service.once("beforeTokenSigning", (t) => Object.assign(t.payload, claims));
    const res = await fetch(`${issuer.issuer.url}/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "client_credentials", scope, aud: AUDIENCE }),
    });
    return ((await res.json()) as { access_token: string }).access_token;
  }

  it("lists and creates the keys of the user the token's email names, without CSRF", async () => {
    const bearer = await token("keys:write", { email: "ada@example.com", client_id: "ops" });
    const listed = await fetch(`${b.url}/account/api/v1/api-keys/`, {
      headers: { authorization: `Bearer ${bearer}` },
    });
    expect(listed.status).toBe(200);
    const { data } = (await listed.json()) as { data: { name: string }[] };
    expect(data.map((k) => k.name)).toEqual(["ada's printer"]);
    const created = await fetch(`${b.url}/account/api/v1/api-keys/`, {
      method: "POST",
      headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "from CI" }),
    });
    expect(created.status).toBe(201);
    const { total } = await b.keys.listOwned(adaId, { offset: 0, limit: 10 });
    expect(total).toBe(2);
  });

  it("refuses a token without keys:write (403 insufficient_scope) or naming no user (403)", async () => {
    const narrow = await token("codes:write", { email: "ada@example.com", client_id: "ops" });
    const res = await fetch(`${b.url}/account/api/v1/api-keys/`, {
      headers: { authorization: `Bearer ${narrow}` },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get("www-authenticate")).toBe(
      'Bearer realm="closient", error="insufficient_scope", scope="keys:write"',
    );
    const stranger = await token("keys:write", { email: "eve@example.com", client_id: "ops" });
    const other = await fetch(`${b.url}/account/api/v1/api-keys/`, {
      headers: { authorization: `Bearer ${stranger}` },
    });
    await expectProblem(
      other,
      403,
      "forbidden",
      "Forbidden",
      "The bearer token does not name a user of this service (its email claim).",
    );
  });
});

describe("accounts on PostgreSQL", () => {
  let db: TestDatabase;
  let p: AccountHarness;
  beforeAll(async () => {
    db = await createTestDatabase();
    p = await startAccountsApp({ databaseUrl: db.url });
    await p.accounts.createUser("ada@example.com", PASSWORD);
  });
  afterAll(async () => {
    await p.close();
    await db.drop();
  });

  it("signs in, creates a key that renders, lists it, revokes it, signs out", async () => {
    const login = await fetch(`${p.url}/account/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "ada@example.com", password: PASSWORD }),
    });
    expect(login.status).toBe(303);
    const cookie = sessionCookie(login);
    const me = await fetch(`${p.url}/account/api/v1/session`, {
      headers: { cookie: `sessionid=${cookie}` },
    });
    const { csrf_token } = (await me.json()) as { csrf_token: string };
    const headers = {
      cookie: `sessionid=${cookie}`,
      "x-csrf-token": csrf_token,
      "content-type": "application/json",
    };
    const created = await fetch(`${p.url}/account/api/v1/api-keys/`, {
      method: "POST",
      headers,
      body: JSON.stringify({ name: "pg" }),
    });
    const { id, key } = (await created.json()) as { id: number; key: string };
    const rendered = await fetch(p.url + DATAMATRIX, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": key },
      body: JSON.stringify(PAYLOAD),
    });
    expect(rendered.status).toBe(200);
    const list = await fetch(`${p.url}/account/api/v1/api-keys/`, { headers });
    expect(
      ((await list.json()) as { pagination: { total_count: number } }).pagination.total_count,
    ).toBe(1);
    expect(
      (await fetch(`${p.url}/account/api/v1/api-keys/${id}/`, { method: "DELETE", headers }))
        .status,
    ).toBe(204);
    const logout = await fetch(`${p.url}/account/logout`, {
      method: "POST",
      redirect: "manual",
      headers,
      body: "{}",
    });
    expect(logout.status).toBe(303);
    const after = await fetch(`${p.url}/account/api/v1/session`, {
      headers: { cookie: `sessionid=${cookie}` },
    });
    expect(after.status).toBe(401);
  });
});
