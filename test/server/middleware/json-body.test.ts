// src/server/middleware/json-body.ts over real HTTP: JSON media types and UTF-8 only, the byte
// limit from Content-Length and while reading, 400 for bytes that are not JSON, any JSON value
// passed on, and 100 Continue sent only once the middleware runs.
import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { isJsonContentType, jsonBody } from "../../../src/server/middleware/json-body.js";
import { problemHandler } from "../../../src/server/middleware/problem-handler.js";
import { type Served, serve } from "../../helpers/serve.js";

const clock = { now: () => Date.parse("2026-03-31T12:00:00.000Z") };
const LIMIT = 64;

let served: Served;
afterEach(() => served?.close());

// POST / parses at most LIMIT bytes and echoes what it parsed.
async function start() {
  served = await serve((app, logger) => {
    app.post("/", jsonBody(LIMIT), (req, res) => {
      res.json({ parsed: req.body });
    });
    app.use(problemHandler({ logger, clock }));
  });
}

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${served.url}/`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });

async function expectCode(res: Response, status: number, code: string, detail: string) {
  expect(res.status).toBe(status);
  expect(await res.json()).toMatchObject({ error_code: code, detail });
}

describe("isJsonContentType", () => {
  it.each([
    ["application/json", true],
    ["Application/JSON; charset=UTF-8", true],
    ['application/json; charset="utf-8"', true],
    ["application/problem+json", true],
    ["application/json; charset=latin1", false],
    ["text/json", false],
    ["application/jsonx", false],
    [undefined, false],
  ])("%s → %s", (header, expected) => {
    expect(isJsonContentType(header)).toBe(expected);
  });
});

describe("jsonBody", () => {
  it("parses any JSON value and hands it on", async () => {
    await start();
    for (const value of [{ gtin: "09506000134352" }, [1, 2], "text", 3, null]) {
      const res = await post(JSON.stringify(value));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ parsed: value });
    }
  });

  it("answers 400 for bytes that are not JSON, an empty body included", async () => {
    await start();
    for (const body of ["{", ""]) {
      await expectCode(await post(body), 400, "bad_request", "The request body is not valid JSON.");
    }
  });

  it("answers 415 for another media type, another charset or a Content-Encoding", async () => {
    await start();
    const detail = "The request body must be JSON: send Content-Type: application/json (UTF-8).";
    await expectCode(
      await post("{}", { "content-type": "text/plain" }),
      415,
      "unsupported_media_type",
      detail,
    );
    await expectCode(
      await post("{}", { "content-type": "application/json; charset=utf-16" }),
      415,
      "unsupported_media_type",
      detail,
    );
    await expectCode(
      await post("{}", { "content-encoding": "gzip" }),
      415,
      "unsupported_media_type",
      detail,
    );
  });

  it("answers 413 for a body past the limit, whether declared or streamed, and closes", async () => {
    await start();
    const big = JSON.stringify({ pad: "x".repeat(LIMIT) });
    const declared = await post(big);
    expect(declared.headers.get("connection")).toBe("close");
    await expectCode(
      declared,
      413,
      "payload_too_large",
      `The request body exceeds the limit of ${LIMIT} bytes.`,
    );
    // Chunked, so the size is only known while reading.
    const streamed = await fetch(`${served.url}/`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new Blob([big]).stream(),
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(JSON.stringify({ pad: "x".repeat(LIMIT - 12) }).length).toBeLessThanOrEqual(LIMIT);
    expect((await post(JSON.stringify({ pad: "x".repeat(LIMIT - 12) }))).status).toBe(200);
  });

  // POSTs "{}" with Expect: 100-continue, sending the body only once told to continue.
  function postExpecting(contentType: string) {
    const { port } = new URL(served.url);
    return new Promise<{ continued: boolean; status: number }>((resolve, reject) => {
      let continued = false;
      const req = request({
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/",
        headers: { "content-type": contentType, expect: "100-continue", "content-length": 2 },
      });
      req.on("continue", () => {
        continued = true;
        req.end("{}");
      });
      req.on("response", (res) => {
        res.resume();
        resolve({ continued, status: res.statusCode ?? 0 });
        req.destroy();
      });
      req.on("error", reject);
      req.flushHeaders();
    });
  }

  it("sends 100 Continue to a client that waits for it, then reads the body", async () => {
    await start();
    expect(await postExpecting("application/json")).toEqual({ continued: true, status: 200 });
  });

  it("refuses a body it would not accept before the client sends it (no 100 Continue)", async () => {
    await start();
    expect(await postExpecting("text/plain")).toEqual({ continued: false, status: 415 });
  });
});
