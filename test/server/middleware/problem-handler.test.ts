// src/server/middleware/problem-handler.ts: every failure becomes the published RFC 9457 body
// from the catalogue, with Retry-After derived from retryAfter, internals never echoed.
import { afterEach, describe, expect, it } from "vitest";
import { ValidationError } from "../../../src/issues.js";
import { problemHandler } from "../../../src/server/middleware/problem-handler.js";
import { ProblemError } from "../../../src/server/problems.js";
import { type Served, serve } from "../../helpers/serve.js";

const NOW = Date.parse("2026-03-31T12:00:00.000Z");
const clock = { now: () => NOW };

let served: Served | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
});

// One route that fails with `err` (after setting an ETag, as a render would).
async function failWith(err: unknown): Promise<Response> {
  served = await serve((app, logger) => {
    app.get("/", (_req, res) => {
      res.setHeader("ETag", '"abc"');
      res.setHeader("X-Request-Id", "r1");
      throw err;
    });
    app.use(problemHandler({ logger, clock }));
  });
  return fetch(`${served.url}/`);
}

describe("problemHandler", () => {
  it("answers a ProblemError with retryAfter: 503, Retry-After header and both body fields", async () => {
    const res = await failWith(
      new ProblemError("service_unavailable", { detail: "Down for a moment.", retryAfter: 7 }),
    );
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("etag")).toBeNull();
    expect(res.headers.get("x-request-id")).toBe("r1");
    expect(await res.json()).toEqual({
      type: "https://closient.com/docs/errors/service_unavailable",
      title: "Service Unavailable",
      status: 503,
      detail: "Down for a moment.",
      error_code: "service_unavailable",
      retryable: true,
      timestamp: "2026-03-31T12:00:00.000Z",
      retry_after: 7,
      retry_after_seconds: 7,
    });
  });

  it("sends no Retry-After when the problem has no retryAfter, and keeps extra headers", async () => {
    const res = await failWith(
      new ProblemError("method_not_allowed", { headers: { Allow: "GET, POST" } }),
    );
    expect(res.status).toBe(405);
    expect(res.headers.get("retry-after")).toBeNull();
    expect(res.headers.get("allow")).toBe("GET, POST");
    const body = await res.json();
    expect(body.retry_after).toBeUndefined();
    expect(body.detail).toBe("The method is not allowed on this resource.");
  });

  it("answers a ValidationError with 422 and one details entry per issue, loc split on dots", async () => {
    const res = await failWith(
      new ValidationError([
        { field: "ais.10", value: "A B", rule: "cset82", position: 2, message: "Bad lot." },
        { field: null, value: null, rule: "gtin_required", message: "No key." },
      ]),
    );
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error_code).toBe("validation_error");
    expect(body.details).toEqual([
      { loc: ["body", "ais", "10"], msg: "Bad lot.", type: "cset82" },
      { loc: ["body"], msg: "No key.", type: "gtin_required" },
    ]);
  });

  it("maps an http-errors style status onto the catalogue, ignoring its message", async () => {
    const res = await failWith(Object.assign(new Error("secret parser detail"), { status: 413 }));
    expect(res.status).toBe(413);
    const text = await res.text();
    expect(text).not.toContain("secret");
    expect(JSON.parse(text).error_code).toBe("payload_too_large");
  });

  it("answers anything else 500 with the generic detail and logs the error", async () => {
    const res = await failWith(new Error("database password is hunter2"));
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("hunter2");
    expect(JSON.parse(text)).toMatchObject({
      error_code: "internal_error",
      detail: "An unexpected error occurred. It has been logged.",
    });
    expect(served?.logs.some((l) => l.msg === "unhandled error")).toBe(true);
  });
});
