// src/server/app.ts over HTTP: routing around the endpoint (404, 405, /healthz, /openapi.json),
// request ids and logs, and the 500 that never shows internals.
import { afterEach, describe, expect, it } from "vitest";
import {
  ANON_POLICY,
  DATAMATRIX,
  DEFAULT_POLICY,
  expectProblem,
  expectRateHeaders,
  type Harness,
  post,
  startApp,
} from "../helpers/http.js";

let h: Harness;
afterEach(() => h?.close());

describe("unknown paths", () => {
  it.each(["GET", "POST", "DELETE"])(
    "answer %s with 404 not_found and rate-limit headers",
    async (method) => {
      h = await startApp();
      const res = await fetch(`${h.url}/products/api/v1/no-such-endpoint/`, { method });
      await expectProblem(
        res,
        404,
        "not_found",
        "Not Found",
        "The requested resource was not found.",
      );
      expectRateHeaders(res, ANON_POLICY, 60, 59, 60);
    },
  );
});

describe("wrong methods", () => {
  it.each(["GET", "PUT", "PATCH", "DELETE", "OPTIONS"])(
    "answer %s on the endpoint with 405 and Allow: POST",
    async (method) => {
      h = await startApp();
      const res = await fetch(h.url + DATAMATRIX, { method, headers: { "x-api-key": h.key } });
      await expectProblem(
        res,
        405,
        "method_not_allowed",
        "Method Not Allowed",
        `The method ${method} is not allowed on this resource; allowed: POST.`,
      );
      expect(res.headers.get("allow")).toBe("POST");
      expectRateHeaders(res, DEFAULT_POLICY, 300, 299, 60);
    },
  );

  it("answer HEAD on the endpoint with a bodiless 405", async () => {
    h = await startApp();
    const res = await fetch(h.url + DATAMATRIX, { method: "HEAD" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect(await res.text()).toBe("");
  });

  it("answer POST to /openapi.json, /healthz and /readyz with 405 and Allow: GET, HEAD", async () => {
    h = await startApp();
    for (const path of ["/openapi.json", "/healthz", "/readyz"]) {
      const res = await fetch(h.url + path, { method: "POST" });
      await expectProblem(
        res,
        405,
        "method_not_allowed",
        "Method Not Allowed",
        "The method POST is not allowed on this resource; allowed: GET, HEAD.",
      );
      expect(res.headers.get("allow")).toBe("GET, HEAD");
    }
  });
});

describe("every response", () => {
  it("carries X-Content-Type-Options: nosniff: images, problems, probes and the 404", async () => {
    h = await startApp();
    const responses = [
      await post(h, { gtin: "09506000134352", lot: "A" }),
      await post(h, { gtin: "09506000134352", lot: "A" }, {}, null),
      await post(h, { lot: "A" }),
      await fetch(`${h.url}/healthz`),
      await fetch(`${h.url}/readyz`),
      await fetch(`${h.url}/nowhere`),
    ];
    expect(responses.map((r) => [r.status, r.headers.get("x-content-type-options")])).toEqual([
      [200, "nosniff"],
      [401, "nosniff"],
      [422, "nosniff"],
      [200, "nosniff"],
      [200, "nosniff"],
      [404, "nosniff"],
    ]);
  });
});

describe("GET /healthz", () => {
  it("answers 200 {status: ok} without a key and without counting against any limit", async () => {
    h = await startApp({ anonymous: { perMinute: 1, perDay: 1 } });
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${h.url}/healthz`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/json");
      expect(res.headers.get("ratelimit-policy")).toBeNull();
      expect(await res.json()).toEqual({ status: "ok" });
    }
  });
});

describe("GET /readyz", () => {
  // The stores' own health objects stand in here; test/process/stores.test.ts stops real
  // Redis and PostgreSQL servers under a running service.
  const store = (name: string, ok: boolean) => ({
    name,
    location: `${name}://somewhere`,
    health: () => ({ ok, syncedAt: 0, ...(ok ? {} : { error: "ECONNREFUSED" }) }),
  });

  it("answers 200 with each store's state, unthrottled, when every store answers", async () => {
    h = await startApp({
      anonymous: { perMinute: 1, perDay: 1 },
      extra: { readiness: [store("database", true), store("redis", true)] },
    });
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${h.url}/readyz`);
      expect(res.status).toBe(200);
      expect(res.headers.get("ratelimit-policy")).toBeNull();
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(await res.json()).toEqual({ status: "ok", checks: { database: "ok", redis: "ok" } });
    }
  });

  it("answers 503 service_unavailable naming the stores down, without their internals", async () => {
    h = await startApp({
      extra: { readiness: [store("database", false), store("redis", false)] },
    });
    const res = await fetch(`${h.url}/readyz`);
    await expectProblem(
      res,
      503,
      "service_unavailable",
      "Service Unavailable",
      "Not ready: database and redis unavailable; serving degraded.",
      { retry_after: 5, retry_after_seconds: 5 },
      true,
    );
    expect(res.headers.get("retry-after")).toBe("5");
    // Liveness is another question: the process serves.
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  });
});

describe("GET /openapi.json", () => {
  it("serves OpenAPI 3.1 with the published schemas, our options and the 304-on-POST note", async () => {
    h = await startApp();
    const res = await fetch(`${h.url}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expectRateHeaders(res, ANON_POLICY, 60, 59, 60);
    const doc = await res.json();
    expect(doc.openapi).toBe("3.1.0");
    const payload = doc.components.schemas.DataMatrixPayload;
    // gtin as published, or the whole data as an element string instead.
    expect(payload.anyOf).toEqual([{ required: ["gtin"] }, { required: ["element_string"] }]);
    expect(Object.keys(payload.properties).sort()).toEqual(
      [
        // published
        "gtin",
        "lot",
        "serial",
        "expiry",
        "format",
        // rendering options (src/request-schema.ts)
        "shape",
        "xdim_mm",
        "quiet_zone",
        "dpi",
        "dark_color",
        "light_color",
        "hri",
        "strict_expiry",
        // every GS1 AI, Digital Link, HRI titles
        "production_date",
        "ais",
        "element_string",
        "data_format",
        "dl_base_url",
        "hri_titles",
      ].sort(),
    );
    expect(payload.properties.data_format.enum).toEqual(["element_string", "digital_link"]);
    expect(payload.properties.ais.anyOf[0]).toMatchObject({
      type: "object",
      additionalProperties: { type: "string" },
    });
    expect(payload.properties.format.enum).toEqual(["svg", "png", "pdf"]);
    // Ranges as the renderer enforces them (see the 422 cases in routes/datamatrix.test.ts).
    expect(payload.properties.xdim_mm).toMatchObject({ minimum: 0.254, maximum: 1.5 });
    expect(payload.properties.quiet_zone).toMatchObject({ type: "integer", minimum: 1 });
    expect(payload.properties.lot.anyOf).toEqual([{ type: "string" }, { type: "null" }]);
    const errorOut = doc.components.schemas.ErrorOut;
    expect(errorOut.required).toEqual([
      "type",
      "title",
      "status",
      "detail",
      "error_code",
      "timestamp",
    ]);
    const op = doc.paths[DATAMATRIX].post;
    expect(op.description).toContain("this API answers 304 on POST");
    expect(op.responses["304"].description).toContain("POST");
    expect(Object.keys(op.responses)).toEqual([
      "200",
      "304",
      "400",
      "401",
      "403",
      "405",
      "413",
      "415",
      "417",
      "422",
      "429",
      "500",
      "503",
    ]);
    expect(Object.keys(op.responses["200"].content)).toEqual([
      "image/svg+xml",
      "image/png",
      "application/pdf",
    ]);
    // The three schemes exactly as published-api-datamatrix.md declares them.
    expect(op.security).toEqual([
      { APIKeyHeaderAuth: [] },
      { OAuthTokenAuth: [] },
      { SessionAuth: [] },
    ]);
    const schemes = doc.components.securitySchemes;
    expect(schemes.APIKeyHeaderAuth).toEqual({ type: "apiKey", in: "header", name: "X-API-Key" });
    expect(schemes.OAuthTokenAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(schemes.SessionAuth).toMatchObject({ type: "apiKey", in: "cookie", name: "sessionid" });
    // The Account API, with the published pagination envelope.
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/account/api/v1/session",
        "/account/api/v1/api-keys/",
        "/account/api/v1/api-keys/{id}/",
        "/account/login",
        "/account/logout",
      ]),
    );
    const list = doc.paths["/account/api/v1/api-keys/"].get;
    const envelope = list.responses["200"].content["application/json"].schema;
    expect(envelope.properties.pagination.required).toEqual([
      "page",
      "page_size",
      "total_count",
      "total_pages",
      "has_next",
      "has_previous",
    ]);
  });

  it("states the limits this instance enforces, not the defaults", async () => {
    h = await startApp({
      keyDefault: { perMinute: 50, perDay: 2_500 },
      anonymous: { perMinute: 7, perDay: 70 },
    });
    const doc = await (await fetch(`${h.url}/openapi.json`)).json();
    expect(doc.info.description).toContain(
      "Default limits: 50 requests/minute and 2,500/day per key; callers without a valid key " +
        "are limited per IP (7/minute, 70/day).",
    );
  });

  it("answers 304 to a matching If-None-Match", async () => {
    h = await startApp();
    const first = await fetch(`${h.url}/openapi.json`);
    const etag = first.headers.get("etag") as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    const again = await fetch(`${h.url}/openapi.json`, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
    expect(await again.text()).toBe("");
  });
});

describe("request ids and logs", () => {
  it("echoes a well-formed X-Request-Id, replaces a bad one, and logs one line per request", async () => {
    h = await startApp();
    const mine = await fetch(`${h.url}/healthz`, { headers: { "x-request-id": "abc-123" } });
    expect(mine.headers.get("x-request-id")).toBe("abc-123");
    const bad = await fetch(`${h.url}/healthz?secret=1`, { headers: { "x-request-id": "a b" } });
    const generated = bad.headers.get("x-request-id") as string;
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    await mine.text();
    await bad.text();
    const lines = h.logs.filter((l) => l.msg === "request");
    expect(
      lines.map(({ req_id, method, path, status, level }) => ({
        req_id,
        method,
        path,
        status,
        level,
      })),
    ).toEqual([
      { req_id: "abc-123", method: "GET", path: "/healthz", status: 200, level: 30 },
      { req_id: generated, method: "GET", path: "/healthz", status: 200, level: 30 },
    ]);
    for (const line of lines) expect(typeof line.ms).toBe("number");
  });
});

describe("unexpected failures", () => {
  it("answer 500 internal_error without internals, and log the error with the request id", async () => {
    h = await startApp({
      render: async () => {
        throw new Error("EACCES: /srv/engine/secret.wasm");
      },
    });
    const res = await post(h, { gtin: "09506000134352", lot: "A" });
    await expectProblem(
      res,
      500,
      "internal_error",
      "Internal Server Error",
      "An unexpected error occurred. It has been logged.",
      {},
      true,
    );
    const id = res.headers.get("x-request-id");
    expectRateHeaders(res, DEFAULT_POLICY, 300, 299, 60);
    const logged = h.logs.find((l) => l.msg === "unhandled error") as {
      req_id: string;
      err: { message: string; stack: string };
    };
    expect(logged.req_id).toBe(id);
    expect(logged.err.message).toBe("EACCES: /srv/engine/secret.wasm");
    expect(logged.err.stack).toContain("app.test.ts");
  });
});
