// The Digital Link parse endpoint against two independent implementations' own test cases:
// GS1's Syntax Engine (dl.c unit tests) and BWIPP (gs1processdl.ps.test), transcribed in
// test/fixtures/dl-vectors/ with repository, path and commit. Every case runs through
// readDigitalLink (what the route answers) and then, all at once, through the HTTP endpoint.
// Where we differ from one of them, the decision and its grounds are in
// test/fixtures/dl-vectors/DISAGREEMENTS.md; the sets below name those cases and nothing else.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDigitalLinkUri } from "../../../src/gs1/ai/digital-link-parse.js";
import { readDigitalLink } from "../../../src/gs1/ai/digital-link-read.js";
import { type Harness, NOW, postTo, startApp } from "../../helpers/http.js";

interface SeCase {
  uri: string;
  valid: boolean;
  options?: string[];
  expect?: string;
  ais?: [string, string][];
  note?: string;
}
interface BwippCase {
  uri: string;
  valid: boolean;
  error?: string;
  commentedOut?: boolean;
  note?: string;
}
interface SeFile {
  cases: SeCase[];
  unescape: { vectors: { in: string; path?: string; query?: string; refused?: boolean }[] };
  pathSequences: { sequences: string[][] };
}

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/dl-vectors/${name}`, import.meta.url), "utf8"));
const se = fixture("gs1-syntax-engine.json") as SeFile;
const bwipp = fixture("bwipp.json") as { cases: BwippCase[] };
const now = new Date(NOW);

// GS1 General Specifications figure 7.11-1 (CSET 82), written out rather than imported so that
// the expectation does not lean on the code under test.
const CSET82_VALUE = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$/;
// AIs of predefined length (General Specifications figure 7.8.5-2: the first two digits 00-04,
// 11-20, 31-36, 41), after which no FNC1 follows; the transcribed AI pairs are checked against
// the expected string with it.
const PREDEFINED = /^(0[0-4]|1[1-9]|20|3[1-6]\d\d|41\d)$/;

function elementString(ais: [string, string][]): string {
  let out = "^";
  ais.forEach(([ai, value], i) => {
    out += ai + value;
    if (i < ais.length - 1 && !PREDEFINED.test(ai)) out += "^";
  });
  return out;
}

// BWIPP accepts zero-suppressed GTIN-8/12/13 in the path (padding them); the Syntax Engine only
// behind permitZeroSuppressedGTINinDLuris, off by default; the standard's gtin-value is 14DIGIT.
const BWIPP_ZERO_SUPPRESSED_PATH = new Set([
  "https://example.com/01/2112345678900",
  "https://example.com/01/02345673",
  "https://brand.example.com/01/9520123456788",
  "https://brand.example.com/some-extra/pathinfo/01/9520123456788",
  "https://example.com/01/9520123456788?3103=000195&3922=0299&17=201225",
  "https://id.gs1.org/01/9520123456788?3103=000195&3922=0299&17=201225",
  "https://id.gs1.org/01/9520123456788?17=201225&3103=000195&3922=0299",
]);
// The Syntax Engine's URIunescape keeps a "%" not followed by two hex digits as it is; BWIPP
// refuses it (GS1dlBadHexCharacter), as RFC 3986 section 2.1 does, and so do we.
const SE_MALFORMED_ESCAPES = new Set(["ABC%2", "ABCD%", "A%4gB", "A%4GB", "A%g4B", "A%G4B"]);

const pairs = (uri: string) =>
  readDigitalLink(uri, now).ais.map((a) => [a.ai, a.value] as [string, string]);

describe("GS1 Syntax Engine, dl.c test_dl_parseDLuri", () => {
  it("the transcribed AI pairs spell the expected AI data string", () => {
    for (const c of se.cases.filter((x) => x.valid)) {
      expect(elementString(c.ais ?? []), c.uri).toBe(c.expect);
    }
  });

  it.each(se.cases.filter((c) => !c.options))(
    "$uri: valid $valid, the same AIs in the same order",
    (c) => {
      const reading = readDigitalLink(c.uri, now);
      expect(reading.isValid, JSON.stringify(reading.errors)).toBe(c.valid);
      if (c.valid) expect(pairs(c.uri)).toEqual(c.ais);
      else expect(reading.errors.length).toBeGreaterThan(0);
    },
  );

  // None of these switches is offered: the endpoint reads URIs as the library's defaults do.
  it.each(se.cases.filter((c) => c.options))(
    "$uri with $options: refused, as without the option",
    (c) => {
      expect(readDigitalLink(c.uri, now).isValid).toBe(false);
    },
  );
});

describe("GS1 Syntax Engine, dl.c test_dl_URIunescape, as a (22) path value and a (98) query value", () => {
  const key = "https://a/01/12312312312333";
  it.each(se.unescape.vectors)("$in", (v) => {
    for (const [uri, decoded] of [
      [`${key}/22/${v.in}`, v.path],
      [`${key}?98=${v.in}`, v.query],
    ] as const) {
      const reading = readDigitalLink(uri, now);
      if (v.refused || SE_MALFORMED_ESCAPES.has(v.in)) {
        expect(reading.isValid, uri).toBe(false);
        continue;
      }
      // The Syntax Engine then refuses an empty value, and anything outside CSET 82.
      const valid = decoded !== undefined && CSET82_VALUE.test(decoded);
      expect(reading.isValid, uri).toBe(valid);
      if (valid) expect(reading.ais[1].value, uri).toBe(decoded);
    }
  });
});

describe("GS1 Syntax Engine, dl.c test_dl_testValidateDLpathAIseq", () => {
  // Values chosen here, each valid for its AI (check digits computed by hand); the sequences
  // are the Syntax Engine's.
  const VALUE: Record<string, string> = {
    "00": "006141411234567890",
    "01": "09520123456788",
    "10": "ABC123",
    "21": "12345",
    "22": "2A",
    "235": "XYZ",
    "253": "1231231231232",
    "254": "32a%2Fb",
    "255": "9520123456788",
    "401": "12345678",
    "402": "95201234567890122",
    "414": "9520123456788",
    "417": "9520123456788",
    "7040": "1ABC",
    "8003": "09520123456788",
    "8004": "9520614141234567",
    "8006": "095201234567880102",
    "8010": "0200",
    "8011": "123",
    "8013": "1987654Ad4X4bL5ttr2310c2K",
    "8017": "795260646688514634",
    "8018": "123456789012345675",
    "8019": "123",
  };
  // The dictionary lets (22) qualify an ITIP in the path (8006 dlpkey=22,10,21) but also says
  // (22) req=01, so the association check, which the Syntax Engine's parser runs after the path
  // check, refuses these URIs; the path itself is accepted.
  const needsGtin = (sequence: string[]) => sequence[0] === "8006" && sequence.includes("22");
  it.each(se.pathSequences.sequences.map((s) => [s.join(" "), s] as const))(
    "accepts the path %s",
    (_, sequence) => {
      const uri = `https://example.com${sequence.map((ai) => `/${ai}/${VALUE[ai]}`).join("")}`;
      const parsed = parseDigitalLinkUri(uri);
      expect(parsed.issues).toEqual([]);
      expect(parsed.elements?.map((e) => e.ai)).toEqual(sequence);
      const reading = readDigitalLink(uri, now);
      if (needsGtin(sequence)) {
        expect(reading.errors.map((e) => [e.segment, e.rule])).toEqual([["22/2A", "req"]]);
      } else {
        expect(reading.isValid, JSON.stringify(reading.errors)).toBe(true);
      }
    },
  );
});

describe("BWIPP, tests/ps_tests/gs1processdl.ps.test", () => {
  it.each(bwipp.cases.filter((c) => !BWIPP_ZERO_SUPPRESSED_PATH.has(c.uri)))(
    "$uri: valid $valid",
    (c) => {
      const reading = readDigitalLink(c.uri, now);
      expect(reading.isValid, JSON.stringify(reading.errors)).toBe(c.valid);
    },
  );

  it.each([...BWIPP_ZERO_SUPPRESSED_PATH])(
    "%s: refused (BWIPP pads the GTIN; decided against, see DISAGREEMENTS.md)",
    (uri) => {
      expect(bwipp.cases.find((c) => c.uri === uri)?.valid).toBe(true);
      const reading = readDigitalLink(uri, now);
      expect(reading.isValid).toBe(false);
      expect(reading.errors.map((e) => [e.segment.split("?")[0], e.rule])).toEqual([
        [expect.stringMatching(/^01\/\d{8,13}$/), "length"],
      ]);
    },
  );

  it("where both files test a URI, they agree unless the GTIN is zero-suppressed in the path", () => {
    const seDefault = new Map(se.cases.filter((c) => !c.options).map((c) => [c.uri, c.valid]));
    const shared = bwipp.cases.filter((c) => seDefault.has(c.uri));
    expect(shared.length).toBe(15);
    for (const c of shared) expect(seDefault.get(c.uri), c.uri).toBe(c.valid);
  });
});

describe("over HTTP: POST /products/api/v1/digital-link/parse", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApp({ keyDefault: { perMinute: 100_000, perDay: 1_000_000 } });
  });
  afterAll(() => h.close());

  it("answers every case as readDigitalLink does: is_valid and the AIs in order", async () => {
    const uris = new Set([...se.cases, ...bwipp.cases].map((c) => c.uri));
    const expected = new Map<string, [string, string][] | null>();
    for (const c of se.cases.filter((x) => !x.options))
      expected.set(c.uri, c.valid ? (c.ais ?? []) : null);
    for (const uri of uris) {
      const res = await postTo(h, "/products/api/v1/digital-link/parse", { url: uri });
      if (uri === "") {
        // Not a usable url at all: refused before parsing, as published.
        expect(res.status).toBe(422);
        continue;
      }
      expect(res.status, uri).toBe(200);
      const body = (await res.json()) as {
        is_valid: boolean;
        ais: { ai: string; value: string }[];
      };
      const reading = readDigitalLink(uri, now);
      expect(body.is_valid, uri).toBe(reading.isValid);
      expect(
        body.ais.map((a) => [a.ai, a.value]),
        uri,
      ).toEqual(pairs(uri));
      const fromSe = expected.get(uri);
      if (fromSe !== undefined)
        expect(body.is_valid ? body.ais.map((a) => [a.ai, a.value]) : null, uri).toEqual(fromSe);
    }
  });
});
