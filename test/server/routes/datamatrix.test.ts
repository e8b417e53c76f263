// POST /products/api/v1/datamatrix/ over HTTP with the real engine: images decoded back to their
// payload, caching headers and every 304 rule, each validation rule's 422 and loc, and the body
// errors (400, 413, 415).

import { createHash } from "node:crypto";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { render } from "../../../src/index.js";
import type { ProblemDetail } from "../../../src/server/problems.js";
import {
  DATAMATRIX,
  expectDecodesTo,
  expectProblem,
  expectRateHeaders,
  type Harness,
  post,
  startApp,
} from "../../helpers/http.js";

const PAYLOAD = { gtin: "09506000134352", lot: "LOT-A001", serial: "SN-0001", expiry: "270630" };
const CONTENT_TYPES = { svg: "image/svg+xml", png: "image/png", pdf: "application/pdf" } as const;

let h: Harness;
beforeAll(async () => {
  // One harness for the file; the generous tier keeps the limiter out of these tests.
  h = await startApp({ keyDefault: { perMinute: 100_000, perDay: 1_000_000 } });
});
afterAll(() => h.close());

function sha256Tag(bytes: Uint8Array): string {
  return `"${createHash("sha256").update(bytes).digest("base64url")}"`;
}

describe("200", () => {
  it.each(["svg", "png", "pdf"] as const)(
    "renders %s with type, length, strong ETag over the bytes and 30-day caching",
    async (format) => {
      const payload = { ...PAYLOAD, format };
      const res = await post(h, payload);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe(CONTENT_TYPES[format]);
      expect(res.headers.get("cache-control")).toBe("public, max-age=2592000");
      const body = await expectDecodesTo(res, payload);
      expect(res.headers.get("content-length")).toBe(String(body.length));
      expect(res.headers.get("etag")).toBe(sha256Tag(body));
    },
  );

  it("defaults to SVG", async () => {
    const res = await post(h, PAYLOAD);
    expect(res.headers.get("content-type")).toBe("image/svg+xml");
    await expectDecodesTo(res, PAYLOAD);
  });

  it.each([
    ["GTIN-8", { gtin: "96385074", lot: "1" }],
    ["GTIN-12", { gtin: "036000291452", serial: "X" }],
    ["GTIN-13", { gtin: "4006381333931", lot: "20CHARSLOT-ABCDEFGHI", expiry: "280200" }],
    [
      "nulls for the optional fields",
      { gtin: "09506000134352", lot: null, serial: "S", expiry: null },
    ],
  ])("accepts %s and decodes to the GTIN-14 element string", async (_why, payload) => {
    const res = await post(h, { ...payload, format: "png" });
    expect(res.status).toBe(200);
    await expectDecodesTo(res, payload);
  });

  it.each([
    ["a rectangle", { gtin: "09506000134352", lot: "A1", shape: "rectangle", format: "png" }],
    [
      "every rendering option",
      {
        gtin: "09506000134352",
        lot: "OPT",
        serial: "7",
        xdim_mm: 0.5,
        quiet_zone: 4,
        dpi: 600,
        dark_color: "#123",
        light_color: "#fffff0",
        hri: true,
        strict_expiry: true,
        expiry: "270630",
        format: "png",
      },
    ],
    ["HRI in SVG", { gtin: "09506000134352", lot: "HRI", hri: true, format: "svg" }],
    ["HRI in PDF", { gtin: "09506000134352", serial: "HRI", hri: true, format: "pdf" }],
  ])("renders %s and decodes", async (_why, payload) => {
    const res = await post(h, payload);
    expect(res.status).toBe(200);
    await expectDecodesTo(res, payload);
  });

  it("ignores unknown fields: same bytes and ETag as without them", async () => {
    const plain = await post(h, PAYLOAD);
    const extra = await post(h, { ...PAYLOAD, colour_scheme: "neon", note: { a: 1 } });
    expect(extra.status).toBe(200);
    expect(extra.headers.get("etag")).toBe(plain.headers.get("etag"));
    expect(Buffer.from(await extra.arrayBuffer())).toEqual(Buffer.from(await plain.arrayBuffer()));
  });

  it("gives identical bytes and ETag for repeated requests, different ones for another payload", async () => {
    const tags = new Set<string | null>();
    for (let i = 0; i < 3; i++)
      tags.add((await post(h, { ...PAYLOAD, format: "pdf" })).headers.get("etag"));
    expect(tags.size).toBe(1);
    const other = await post(h, { ...PAYLOAD, serial: "SN-0002", format: "pdf" });
    expect(tags.has(other.headers.get("etag"))).toBe(false);
  });

  it("accepts application/json with charset=utf-8 and +json media types", async () => {
    for (const type of [
      "application/json; charset=utf-8",
      'Application/JSON;Charset="UTF-8"',
      "application/vnd.api+json",
    ]) {
      const res = await post(h, PAYLOAD, { "content-type": type });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
  });
});

describe("304", () => {
  let etag: string;
  beforeAll(async () => {
    const res = await post(h, PAYLOAD);
    etag = res.headers.get("etag") as string;
    await res.arrayBuffer();
  });

  async function expectNotModified(res: Response) {
    expect(res.status).toBe(304);
    expect(res.headers.get("etag")).toBe(etag);
    expect(res.headers.get("cache-control")).toBe("public, max-age=2592000");
    expect(res.headers.get("content-type")).toBeNull();
    expectRateHeaders(
      res,
      "100000;w=60, 1000000;w=86400",
      100_000,
      Number(res.headers.get("ratelimit-remaining")),
      60,
    );
    expect(await res.text()).toBe("");
  }

  it.each([
    ["the tag alone", () => etag],
    ["its weak form", () => `W/${etag}`],
    ["the tag in a list", () => `"nope", ${etag}, W/"other"`],
    ["a wildcard", () => "*"],
  ])("answers a POST whose If-None-Match holds %s", async (_why, header) => {
    await expectNotModified(await post(h, PAYLOAD, { "if-none-match": header() }));
  });

  it("answers 200 with the image when no tag matches", async () => {
    const res = await post(h, PAYLOAD, { "if-none-match": `"other", W/"${etag.slice(2)}` });
    expect(res.status).toBe(200);
    await expectDecodesTo(res, PAYLOAD);
  });

  it("answers 200 when the tag belongs to another format of the same payload", async () => {
    const res = await post(h, { ...PAYLOAD, format: "png" }, { "if-none-match": etag });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });

  it("answers a revalidation of a body it has served without rendering it again", async () => {
    let renders = 0;
    const counted = await startApp({
      keyDefault: { perMinute: 100_000, perDay: 1_000_000 },
      render: (payload) => {
        renders++;
        return render(payload as typeof PAYLOAD);
      },
    });
    try {
      const first = await post(counted, PAYLOAD);
      const tag = first.headers.get("etag") as string;
      await first.arrayBuffer();
      const again = await post(counted, PAYLOAD, { "if-none-match": tag });
      expect([again.status, again.headers.get("etag"), renders]).toEqual([304, tag, 1]);
      await again.text();
      // Another tag for the same body, and the same body in another format, still render.
      const other = await post(counted, PAYLOAD, { "if-none-match": '"other"' });
      const png = await post(counted, { ...PAYLOAD, format: "png" }, { "if-none-match": tag });
      expect([other.status, png.status, renders]).toEqual([200, 200, 3]);
      await Promise.all([other.arrayBuffer(), png.arrayBuffer()]);
    } finally {
      await counted.close();
    }
  });

  it("loses to errors: 401 without a key, 422 for a bad payload, 400 for bad JSON", async () => {
    const noKey = await post(h, PAYLOAD, { "if-none-match": "*" }, null);
    expect(noKey.status).toBe(401);
    await noKey.text();
    const invalid = await post(h, { ...PAYLOAD, lot: "A B" }, { "if-none-match": "*" });
    expect(invalid.status).toBe(422);
    await invalid.text();
    const broken = await post(h, "{", { "if-none-match": "*" });
    expect(broken.status).toBe(400);
    await broken.text();
  });
});

describe("422 validation_error", () => {
  /**
   * The details the engine's ValidationError for `payload` should become: each Issue mapped to
   * {loc, msg, type} by the rule in the brief, written here independently of the handler.
   */
  async function issuesAsDetails(payload: unknown): Promise<ProblemDetail[]> {
    try {
      await render(payload);
    } catch (err) {
      const issues = (err as { issues: { field: string | null; message: string; rule: string }[] })
        .issues;
      return issues.map((i) => ({
        loc: i.field === null ? ["body"] : ["body", i.field],
        msg: i.message,
        type: i.rule,
      }));
    }
    throw new Error(`expected ${JSON.stringify(payload)} to be refused`);
  }

  async function expect422(payload: unknown, locs: string[][]) {
    const res = await post(h, payload);
    const details = await issuesAsDetails(payload);
    await expectProblem(res, 422, "validation_error", "Validation Error", "Validation error.", {
      details,
    });
    expect(details.map((d) => d.loc)).toEqual(locs);
    expectRateHeaders(
      res,
      "100000;w=60, 1000000;w=86400",
      100_000,
      Number(res.headers.get("ratelimit-remaining")),
      60,
    );
    return details;
  }

  it.each([
    ["gtin missing", { lot: "A" }, [["body", "gtin"]]],
    ["gtin as a JSON number", { gtin: 9506000134352, lot: "A" }, [["body", "gtin"]]],
    ["gtin with a wrong check digit", { gtin: "09506000134353", lot: "A" }, [["body", "gtin"]]],
    ["gtin of 11 digits", { gtin: "12345678901", lot: "A" }, [["body", "gtin"]]],
    ["gtin with a letter", { gtin: "0950600013435A", lot: "A" }, [["body", "gtin"]]],
    ["lot with a space", { gtin: "09506000134352", lot: "LOT 1" }, [["body", "lot"]]],
    ["lot of 21 characters", { gtin: "09506000134352", lot: "A".repeat(21) }, [["body", "lot"]]],
    ["empty lot and no serial", { gtin: "09506000134352", lot: "" }, [["body", "lot"]]],
    ["lot as a number", { gtin: "09506000134352", lot: 42 }, [["body", "lot"]]],
    ["serial with #", { gtin: "09506000134352", serial: "SN#1" }, [["body", "serial"]]],
    [
      "expiry month 13",
      { gtin: "09506000134352", lot: "A", expiry: "271301" },
      [["body", "expiry"]],
    ],
    [
      "expiry 30 February",
      { gtin: "09506000134352", lot: "A", expiry: "270230" },
      [["body", "expiry"]],
    ],
    [
      "expiry of 8 digits",
      { gtin: "09506000134352", lot: "A", expiry: "20270630" },
      [["body", "expiry"]],
    ],
    ["neither lot nor serial", { gtin: "09506000134352", expiry: "270630" }, [["body"]]],
    ["format gif", { ...PAYLOAD, format: "gif" }, [["body", "format"]]],
    [
      "strict_expiry as a string",
      { ...PAYLOAD, strict_expiry: "yes" },
      [["body", "strict_expiry"]],
    ],
    ["shape round", { ...PAYLOAD, shape: "round" }, [["body", "shape"]]],
    ["xdim_mm above 1.5", { ...PAYLOAD, xdim_mm: 2 }, [["body", "xdim_mm"]]],
    ["xdim_mm as a string", { ...PAYLOAD, xdim_mm: "0.5" }, [["body", "xdim_mm"]]],
    ["quiet_zone 0", { ...PAYLOAD, quiet_zone: 0 }, [["body", "quiet_zone"]]],
    ["quiet_zone 1.5", { ...PAYLOAD, quiet_zone: 1.5 }, [["body", "quiet_zone"]]],
    ["dpi 50", { ...PAYLOAD, dpi: 50 }, [["body", "dpi"]]],
    ["dark_color by name", { ...PAYLOAD, dark_color: "black" }, [["body", "dark_color"]]],
    [
      "too little contrast",
      { ...PAYLOAD, dark_color: "#777", light_color: "#888" },
      [["body", "dark_color"]],
    ],
    ["hri as a string", { ...PAYLOAD, hri: "yes" }, [["body", "hri"]]],
    [
      "a PNG over 4 megapixels (1200 dpi, 1.5 mm, quiet zone 10)",
      { ...PAYLOAD, format: "png", dpi: 1200, xdim_mm: 1.5, quiet_zone: 10 },
      [["body", "dpi"]],
    ],
    [
      "data no ISO rectangle holds (16x48 has 49 data codewords)",
      {
        gtin: "09506000134352",
        expiry: "270630",
        lot: "zZyYxXwWvVuUtTsSrRqQ",
        serial: "pPoOnNmMlLkKjJiIhHgG",
        shape: "rectangle",
      },
      [["body", "shape"]],
    ],
  ])("names the field for %s", async (_why, payload, locs) => {
    await expect422(payload, locs);
  });

  it("reports every problem at once, in one entry each", async () => {
    const details = await expect422(
      { gtin: "123", lot: "bad lot", serial: "x".repeat(25), expiry: "991332" },
      [
        ["body", "gtin"],
        ["body", "lot"],
        ["body", "serial"],
        ["body", "expiry"],
      ],
    );
    expect(details).toHaveLength(4);
  });

  it.each([
    ["an array", []],
    ["null", null],
    ["a string", "09506000134352"],
  ])("refuses a body that is %s with loc ['body']", async (_why, payload) => {
    const res = await post(h, JSON.stringify(payload));
    const body = await expectProblem(
      res,
      422,
      "validation_error",
      "Validation Error",
      "Validation error.",
      {
        details: await issuesAsDetails(payload),
      },
    );
    expect((body.details as ProblemDetail[])[0].loc).toEqual(["body"]);
  });

  it("accepts expiry day 00 by default and refuses it with strict_expiry", async () => {
    const lenient = { gtin: "09506000134352", lot: "A", expiry: "270200", format: "png" };
    const ok = await post(h, lenient);
    expect(ok.status).toBe(200);
    await expectDecodesTo(ok, lenient);
    await expect422({ ...lenient, strict_expiry: true }, [["body", "expiry"]]);
  });
});

describe("body errors", () => {
  it("answers 400 bad_request for malformed JSON", async () => {
    for (const text of ['{"gtin": "0950600013435', "", "{'gtin': 1}"]) {
      const res = await post(h, text);
      await expectProblem(
        res,
        400,
        "bad_request",
        "Bad Request",
        "The request body is not valid JSON.",
      );
      expectRateHeaders(
        res,
        "100000;w=60, 1000000;w=86400",
        100_000,
        Number(res.headers.get("ratelimit-remaining")),
        60,
      );
    }
  });

  it("answers 413 payload_too_large past 16 KB, and accepts exactly 16 KB", async () => {
    const detail = "The request body exceeds the limit of 16384 bytes.";
    const padded = (size: number) => {
      const base = JSON.stringify({ ...PAYLOAD, pad: "" });
      return JSON.stringify({ ...PAYLOAD, pad: "x".repeat(size - base.length) });
    };
    expect(padded(16_384)).toHaveLength(16_384);
    const exact = await post(h, padded(16_384));
    expect(exact.status).toBe(200);
    await exact.arrayBuffer();
    const over = await post(h, padded(16_385));
    expect(over.headers.get("connection")).toBe("close");
    await expectProblem(over, 413, "payload_too_large", "Content Too Large", detail);
  });

  it("answers 413 for an oversized chunked body without Content-Length", async () => {
    const { status, type, body } = await new Promise<{
      status?: number;
      type?: string;
      body: string;
    }>((resolve, reject) => {
      const req = request(h.url + DATAMATRIX, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-api-key": h.key,
          "transfer-encoding": "chunked",
        },
      });
      req.on("response", (res) => {
        let text = "";
        res.on("data", (c) => {
          text += c;
        });
        res.on("end", () =>
          resolve({ status: res.statusCode, type: res.headers["content-type"], body: text }),
        );
      });
      req.on("error", reject);
      for (let i = 0; i < 20; i++) req.write(`${" ".repeat(1023)}\n`);
      req.end();
    });
    expect({ status, type }).toEqual({ status: 413, type: "application/problem+json" });
    expect(JSON.parse(body).error_code).toBe("payload_too_large");
  });

  it.each([
    ["text/plain", { "content-type": "text/plain" }],
    ["form encoding", { "content-type": "application/x-www-form-urlencoded" }],
    ["JSON in Latin-1", { "content-type": "application/json; charset=iso-8859-1" }],
    ["gzip-encoded JSON", { "content-encoding": "gzip" }],
  ])("answers 415 unsupported_media_type for %s", async (_why, headers) => {
    const res = await post(h, PAYLOAD, headers);
    await expectProblem(
      res,
      415,
      "unsupported_media_type",
      "Unsupported Media Type",
      "The request body must be JSON: send Content-Type: application/json (UTF-8).",
    );
  });

  it("answers 415 when there is no Content-Type at all", async () => {
    const res = await fetch(h.url + DATAMATRIX, {
      method: "POST",
      headers: { "x-api-key": h.key },
      body: new Uint8Array(Buffer.from(JSON.stringify(PAYLOAD))),
    });
    expect(res.status).toBe(415);
    expect((await res.json()).error_code).toBe("unsupported_media_type");
  });
});
