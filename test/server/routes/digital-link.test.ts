// POST /products/api/v1/digital-link/parse over HTTP: the published shape, the AIs with their
// titles and element strings written out here by hand, errors naming the segment and the rule,
// non-Digital-Link input as is_valid false (200), and round trips: URIs the service puts into
// QR codes (decoded back by zxing-wasm) and its Digital Link builder parse to exactly their AIs.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDigitalLinkUri } from "../../../src/gs1/ai/digital-link.js";
import { CSET82 } from "../../../src/gs1/cset82.js";
import { decodeBody, type Harness, postTo, QR, startApp } from "../../helpers/http.js";

const PARSE = "/products/api/v1/digital-link/parse";

let h: Harness;
beforeAll(async () => {
  h = await startApp({ keyDefault: { perMinute: 100_000, perDay: 1_000_000 } });
});
afterAll(() => h.close());

interface Parsed {
  is_valid: boolean;
  url: string;
  gtin: string | null;
  lot: string | null;
  expiry: string | null;
  serial: string | null;
  raw_ais: Record<string, string>;
  primary_key: { ai: string; title: string; value: string } | null;
  ais: { ai: string; title: string; value: string; place: string }[];
  element_string: { bracketed: string | null; gs1: string | null };
  base_url: string | null;
  ignored_query_params: string[];
  errors: { segment: string; position: number; rule: string; message: string }[];
}

async function parse(url: unknown): Promise<Parsed> {
  const res = await postTo(h, PARSE, { url });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  return (await res.json()) as Parsed;
}

describe("valid Digital Links", () => {
  it("reads path and query AIs into the published fields and more", async () => {
    const url = "https://id.gs1.org/01/09506000134352/10/ABC123/21/S%2F1?17=270630&utm_source=x";
    expect(await parse(url)).toEqual({
      is_valid: true,
      url,
      gtin: "09506000134352",
      lot: "ABC123",
      expiry: "270630",
      serial: "S/1",
      raw_ais: { "01": "09506000134352", "10": "ABC123", "21": "S/1", "17": "270630" },
      primary_key: { ai: "01", title: "GTIN", value: "09506000134352", place: "path" },
      ais: [
        { ai: "01", title: "GTIN", value: "09506000134352", place: "path" },
        { ai: "10", title: "BATCH/LOT", value: "ABC123", place: "path" },
        { ai: "21", title: "SERIAL", value: "S/1", place: "path" },
        { ai: "17", title: "USE BY or EXPIRY", value: "270630", place: "query" },
      ],
      element_string: {
        bracketed: "(01)09506000134352(17)270630(10)ABC123(21)S/1",
        gs1: "01095060001343521727063010ABC123\x1d21S/1",
      },
      base_url: "https://id.gs1.org",
      ignored_query_params: ["utm_source=x"],
      errors: [],
    });
  });

  it("reads an SSCC key under a resolver with a path of its own", async () => {
    const parsed = await parse("https://example.com/dl/00/106141411234567897");
    expect(parsed.is_valid).toBe(true);
    expect(parsed.gtin).toBeNull();
    expect(parsed.raw_ais).toEqual({ "00": "106141411234567897" });
    expect(parsed.base_url).toBe("https://example.com/dl");
  });
});

describe("invalid input: 200, is_valid false, nulls, errors with segment and rule", () => {
  it.each([
    [
      "a bad GTIN check digit",
      "https://id.gs1.org/01/09506000134353/10/A",
      "csum",
      "01/09506000134353",
    ],
    ["qualifiers out of order", "https://a.example/01/09506000134352/21/S/10/A", "dl_path", "21/S"],
    [
      "a data attribute in the path",
      "https://a.example/01/09506000134352/17/270630",
      "dl_path_attribute",
      "17/270630",
    ],
    [
      "bad percent-encoding",
      "https://a.example/01/09506000134352/10/A%zz",
      "dl_encoding",
      "10/A%zz",
    ],
    ["an unknown AI", "https://a.example/01/09506000134352?999=x", "unknown_ai", "999=x"],
    [
      "a linter failure (month 13)",
      "https://a.example/01/09506000134352/10/A?17=271330",
      "yymmd0",
      "17=271330",
    ],
    [
      "a qualifier in the query",
      "https://a.example/01/09506000134352?10=A",
      "dl_attribute",
      "10=A",
    ],
    ["no scheme", "www.example.com/01/09506000134352", "dl_syntax", "www.example.com"],
    ["not a URL at all", "hello", "dl_syntax", "hello"],
    ["no primary key", "https://example.com/products/123", "dl_syntax", "products"],
  ])("%s", async (_why, url, rule, segment) => {
    const parsed = await parse(url);
    expect(parsed).toMatchObject({
      is_valid: false,
      url,
      gtin: null,
      lot: null,
      expiry: null,
      serial: null,
      raw_ais: {},
      primary_key: null,
      ais: [],
    });
    expect(parsed.errors.map((e) => [e.rule, e.segment])).toContainEqual([rule, segment]);
    for (const error of parsed.errors) expect(error.message.length).toBeGreaterThan(10);
  });

  it("answers 422 on url for a body without a url string of 1 to 4096 characters", async () => {
    for (const body of [{}, { url: 5 }, { url: "" }, { url: `https://a/${"x".repeat(4096)}` }]) {
      const res = await postTo(h, PARSE, body);
      expect(res.status).toBe(422);
      const problem = (await res.json()) as { details: { loc: string[] }[] };
      expect(problem.details[0].loc).toEqual(["body", "url"]);
    }
  });

  it("needs a key (401) and allows POST only (405)", async () => {
    expect((await postTo(h, PARSE, { url: "hello" }, {}, null)).status).toBe(401);
    const res = await fetch(h.url + PARSE, { headers: { "x-api-key": h.key } });
    expect(res.status).toBe(405);
  });
});

describe("round trips", () => {
  it("parses the URI the QR endpoint encoded (read back by zxing-wasm) to exactly its AIs", async () => {
    const payloads = [
      { gtin: "09506000134352", lot: "LOT-A001", serial: "SN/0001", expiry: "270630" },
      { gtin: "4006381333931", serial: "Xy+z", production_date: "260101" },
      { gtin: "036000291452", lot: "%&'()*", ais: { "7003": "2706301200", "22": "CPV-1" } },
    ];
    for (const payload of payloads) {
      const res = await postTo(h, QR, { ...payload, format: "png" });
      expect(res.status).toBe(200);
      const body = new Uint8Array(await res.arrayBuffer());
      const { text } = await decodeBody(body, "image/png", "QRCode");
      const parsed = await parse(text);
      expect(parsed.errors).toEqual([]);
      const expected: Record<string, string> = { "01": payload.gtin.padStart(14, "0") };
      if (payload.lot) expected["10"] = payload.lot;
      if (payload.serial) expected["21"] = payload.serial;
      if (payload.expiry) expected["17"] = payload.expiry;
      if (payload.production_date) expected["11"] = payload.production_date;
      Object.assign(expected, payload.ais ?? {});
      expect(parsed.raw_ais).toEqual(expected);
    }
  });

  it("parses what the Digital Link builder generates back to exactly its AIs (fast-check, 60 runs)", async () => {
    const cset82 = fc.string({ unit: fc.constantFrom(...CSET82), minLength: 1, maxLength: 20 });
    await fc.assert(
      fc.asyncProperty(
        fc.option(cset82, { nil: undefined }),
        fc.option(cset82, { nil: undefined }),
        fc.option(fc.constantFrom("270630", "281231", "290200"), { nil: undefined }),
        async (lot, serial, expiry) => {
          const elements = [{ ai: "01", value: "09506000134352" }];
          if (lot) elements.push({ ai: "10", value: lot });
          if (serial) elements.push({ ai: "21", value: serial });
          if (expiry) elements.push({ ai: "17", value: expiry });
          const { uri } = buildDigitalLinkUri(elements, "https://brand.example/x");
          const parsed = await parse(uri);
          expect(parsed.errors).toEqual([]);
          expect(parsed.raw_ais).toEqual(Object.fromEntries(elements.map((e) => [e.ai, e.value])));
        },
      ),
      { seed: 19, numRuns: 60 },
    );
  });
});
