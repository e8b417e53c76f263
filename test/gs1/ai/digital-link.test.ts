import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildDigitalLinkUri,
  DEFAULT_DL_BASE_URL,
  encodeValue,
} from "../../../src/gs1/ai/digital-link.js";
import { parseDigitalLinkUri } from "../../../src/gs1/ai/digital-link-parse.js";
import type { AiElement } from "../../../src/gs1/ai/types.js";
import { validateElement } from "../../../src/gs1/ai/validate.js";
import { CSET82 } from "../../../src/gs1/cset82.js";

// "(01)...(10)..." → elements; the test vectors below are written in that form, as their sources.
function ais(text: string): AiElement[] {
  return [...text.matchAll(/\((\d+)\)([^(]*)/g)].map((m) => ({ ai: m[1], value: m[2] }));
}

// Each row names its source: the GS1 Digital Link standard's examples, or the unit tests of
// GS1's reference implementation (gs1/gs1-syntax-engine src/c-lib/dl.c, test_dl_generateDLuri).
const BUILD: { elements: string; base?: string; uri: string; source: string }[] = [
  {
    elements: "(01)09506000134352(10)ABC123(17)270630",
    uri: "https://id.gs1.org/01/09506000134352/10/ABC123?17=270630",
    source: "brief; GS1 Digital Link standard pattern /01/{gtin}/10/{lot}?17={date}",
  },
  {
    elements: "(01)09521234543213(10)ABC123(21)12345",
    uri: "https://id.gs1.org/01/09521234543213/10/ABC123/21/12345",
    source: "GS1 Digital Link URI syntax example (as quoted by the BWIPP wiki)",
  },
  {
    elements: "(00)106141411234567897",
    uri: "https://id.gs1.org/00/106141411234567897",
    source: "GS1 Digital Link URI syntax example (SSCC)",
  },
  {
    elements: "(01)09521234543213",
    base: "https://example.com/products",
    uri: "https://example.com/products/01/09521234543213",
    source: "GS1 Digital Link URI syntax example (a stem with a path of its own)",
  },
  {
    elements: "(00)952012345678912345(02)09520123456788(37)25(10)ABC123",
    uri: "https://id.gs1.org/00/952012345678912345?02=09520123456788&37=25&10=ABC123",
    source: "GS1 Digital Link URI syntax example, via dl.c",
  },
  {
    elements: "(414)9520123456788(254)32a/b",
    uri: "https://id.gs1.org/414/9520123456788/254/32a%2Fb",
    source: "GS1 Digital Link URI syntax example, via dl.c",
  },
  {
    elements: "(01)12312312312326(21)abc123",
    uri: "https://id.gs1.org/01/12312312312326/21/abc123",
    source: "dl.c test_dl_generateDLuri (canonical stem)",
  },
  {
    elements: "(01)12312312312326(22)ABC(10)DEF(21)GHI(95)INT",
    base: "https://example.com",
    uri: "https://example.com/01/12312312312326/22/ABC/10/DEF/21/GHI?95=INT",
    source: "dl.c test_dl_generateDLuri",
  },
  {
    elements: "(21)XYZ(01)12312312312333(10)ABC123(99)XYZ",
    base: "https://example.com",
    uri: "https://example.com/01/12312312312333/10/ABC123/21/XYZ?99=XYZ",
    source: "dl.c test_dl_generateDLuri (qualifiers in dlpkey order, whatever the input order)",
  },
  {
    elements: "(01)12312312312333(10)ABC+123(99)XYZ+QWERTY",
    base: "https://example.com",
    uri: "https://example.com/01/12312312312333/10/ABC%2B123?99=XYZ%2BQWERTY",
    source: 'dl.c test_dl_generateDLuri ("+" is escaped, never a space)',
  },
  {
    elements: "(8017)795260646688514634(99)000001(253)9526064000028000001",
    base: "https://example.com",
    uri: "https://example.com/8017/795260646688514634?99=000001&253=9526064000028000001",
    source: "dl.c test_dl_generateDLuri (first key wins, later keys are attributes)",
  },
  {
    elements: "(98)ABC(253)9526064000028000001(99)000001(8017)795260646688514634",
    base: "https://example.com",
    uri: "https://example.com/253/9526064000028000001?98=ABC&99=000001&8017=795260646688514634",
    source: "dl.c test_dl_generateDLuri",
  },
  {
    elements: "(253)9526064000028000001(99)000001(01)12312312312326(10)DEF(95)INT",
    base: "https://example.com",
    uri: "https://example.com/253/9526064000028000001?01=12312312312326&99=000001&10=DEF&95=INT",
    source: "dl.c test_dl_generateDLuri (predefined-length attributes first)",
  },
  {
    elements: "(01)09520123456788(235)XYZ(10)ABC123",
    uri: "https://id.gs1.org/01/09520123456788/235/XYZ?10=ABC123",
    source:
      "dl.c test_dl_parseDLuri accepts this URI; the 235 alternative is the only one that places all",
  },
];

describe("buildDigitalLinkUri", () => {
  it.each(BUILD)("$uri ($source)", ({ elements, base, uri }) => {
    expect(buildDigitalLinkUri(ais(elements), base)).toEqual({ uri, issues: [] });
  });

  it("uses GS1's resolver by default and drops trailing slashes from the stem", () => {
    expect(DEFAULT_DL_BASE_URL).toBe("https://id.gs1.org");
    expect(buildDigitalLinkUri(ais("(01)09506000134352"), "https://example.com/p//").uri).toBe(
      "https://example.com/p/01/09506000134352",
    );
  });

  it.each([
    {
      elements: "(01)12312312312326(99)000001(8200)http://example.com(95)INT",
      field: "ais.8200",
      message:
        "AI (8200) PRODUCT URL cannot go into a GS1 Digital Link URI with primary key AI (01) GTIN: " +
        "it is not a data attribute, nor a key qualifier that fits the path (rule dl_attribute).",
    },
    {
      elements: "(01)12312312312326(235)TPX9526064(99)000001(22)ABC(95)INT",
      field: "ais.235",
      message:
        "AI (235) TPX cannot go into a GS1 Digital Link URI with primary key AI (01) GTIN: " +
        "it is not a data attribute, nor a key qualifier that fits the path (rule dl_attribute).",
    },
    {
      elements: "(01)12312312312326(22)ABC(10)DEF(99)000001(235)TPX9526064(95)INT",
      field: "ais.235",
      message:
        "AI (235) TPX cannot go into a GS1 Digital Link URI with primary key AI (01) GTIN: " +
        "it is not a data attribute, nor a key qualifier that fits the path (rule dl_attribute).",
    },
  ])("refuses $elements (dl.c test_dl_generateDLuri failures)", ({ elements, field, message }) => {
    const result = buildDigitalLinkUri(ais(elements), "https://example.com");
    expect(result.uri).toBeNull();
    expect(result.issues).toEqual([
      expect.objectContaining({ field, rule: "dl_attribute", message }),
    ]);
  });

  it("refuses elements without a primary key, naming the keys", () => {
    const result = buildDigitalLinkUri(ais("(10)ABC(17)270630"));
    expect(result).toEqual({
      uri: null,
      issues: [
        {
          field: null,
          value: ["10", "17"],
          rule: "dl_primary_key",
          message:
            "A GS1 Digital Link URI needs a primary key, one of AI (00), (01), (253), (255), (401), " +
            "(402), (414), (415), (417), (8003), (8004), (8006), (8010), (8013), (8017), (8018); " +
            "none is present (rule dl_primary_key).",
        },
      ],
    });
  });

  it("refuses unknown, repeated and empty elements, each where sourceOf points", () => {
    const result = buildDigitalLinkUri(
      [
        { ai: "01", value: "09506000134352" },
        { ai: "04", value: "1" },
        { ai: "10", value: "" },
        { ai: "01", value: "09506000134352" },
      ],
      undefined,
      (_e, i) => ({ field: `ais.${i}.value` }),
    );
    expect(result.uri).toBeNull();
    expect(result.issues.map((i) => [i.field, i.rule, i.message])).toEqual([
      [
        "ais.1.value",
        "unknown_ai",
        "AI (04) is not in the GS1 Barcode Syntax Dictionary (rule unknown_ai).",
      ],
      ["ais.2.value", "empty_value", "AI (10) BATCH/LOT has an empty value (rule empty_value)."],
      ["ais.3.value", "repeated_ai", "AI (01) GTIN appears more than once (rule repeated_ai)."],
    ]);
  });

  it("refuses a value that is not well-formed Unicode (a lone surrogate cannot be percent-encoded)", () => {
    const result = buildDigitalLinkUri([
      { ai: "01", value: "09506000134352" },
      { ai: "10", value: "A\uD800" },
    ]);
    expect(result.uri).toBeNull();
    expect(result.issues).toEqual([
      {
        field: "ais.10",
        value: "A\uD800",
        rule: "dl_value",
        message: 'AI (10) BATCH/LOT value "A\\ud800" is not well-formed Unicode (rule dl_value).',
      },
    ]);
  });

  it.each([
    ["ftp://example.com", "must start with http:// or https://"],
    ["HtTpS://example.com", "must start with http:// or https://"],
    ["https://example.com/?x=1", "may not have a query or a fragment"],
    ["https://example.com#top", "may not have a query or a fragment"],
    ["https://", "has no host"],
    ["https://user@example.com", "has characters a host name cannot (user info, escapes)"],
    ["https://exa mple.com", "holds characters a URI cannot"],
  ])("refuses the base URL %s", (base, why) => {
    expect(buildDigitalLinkUri(ais("(01)09506000134352"), base)).toEqual({
      uri: null,
      issues: [
        {
          field: "base_url",
          value: base,
          rule: "base_url",
          message: `base_url ${JSON.stringify(base)} ${why} (rule base_url).`,
        },
      ],
    });
  });
});

describe("encodeValue", () => {
  it("keeps only the unreserved characters, as dl.c test_dl_URIescape", () => {
    expect(encodeValue("ABCXYZabcxyz0123456789-._~")).toBe("ABCXYZabcxyz0123456789-._~");
    expect(encodeValue("!\"#%&'()*+,/:;<=>?")).toBe(
      "%21%22%23%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3C%3D%3E%3F",
    );
    expect(encodeValue("A B")).toBe("A%20B");
    expect(encodeValue("é")).toBe("%C3%A9");
  });

  it("is RFC 3986 percent-encoding of the UTF-8 bytes, for any well-formed string (fast-check)", () => {
    // The rule spelled out byte by byte, independent of encodeURIComponent.
    const unreserved = /^[A-Za-z0-9\-._~]$/;
    const reference = (value: string) =>
      [...new TextEncoder().encode(value)]
        .map((byte) => {
          const c = String.fromCharCode(byte);
          return byte < 0x80 && unreserved.test(c)
            ? c
            : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
        })
        .join("");
    const values = fc.oneof(
      fc.string({ unit: fc.constantFrom(..."AZaz09-._~!*'()/+ %") }),
      fc.string({ unit: "grapheme" }),
    );
    fc.assert(fc.property(values, (value) => encodeValue(value) === reference(value)));
  });
});

// Rows from dl.c test_dl_parseDLuri (GS1's reference implementation), the expected element
// strings there ("^01...") rewritten as elements.
const PARSE: { uri: string; elements: string; base: string }[] = [
  { uri: "http://a/00/006141411234567890", elements: "(00)006141411234567890", base: "http://a" },
  { uri: "HTTPS://a/00/006141411234567890", elements: "(00)006141411234567890", base: "HTTPS://a" },
  {
    uri: "https://a/00/faux/00/006141411234567890",
    elements: "(00)006141411234567890",
    base: "https://a/00/faux",
  },
  {
    uri: "https://a/more/stem/00/006141411234567890",
    elements: "(00)006141411234567890",
    base: "https://a/more/stem",
  },
  {
    uri: "https://a/01/12312312312333/22/TEST/10/ABC/21/XYZ",
    elements: "(01)12312312312333(22)TEST(10)ABC(21)XYZ",
    base: "https://a",
  },
  {
    uri: "https://a/01/12312312312333/235/TEST",
    elements: "(01)12312312312333(235)TEST",
    base: "https://a",
  },
  {
    uri: "https://a/8018/123456789012345675/8019/123",
    elements: "(8018)123456789012345675(8019)123",
    base: "https://a",
  },
  {
    uri: "https://a/stem/00/006141411234567890?",
    elements: "(00)006141411234567890",
    base: "https://a/stem",
  },
  {
    uri: "https://a/01/12312312312333?&&&99=ABC&&&&&&98=XYZ&&&",
    elements: "(01)12312312312333(99)ABC(98)XYZ",
    base: "https://a",
  },
  {
    uri: "https://a/01/12312312312333?singleton1&unknown1=555&99=ABC&singleton2&98=XYZ&unknown3=777",
    elements: "(01)12312312312333(99)ABC(98)XYZ",
    base: "https://a",
  },
  {
    uri: "https://a/01/12312312312333/22/ABC%2d123?99=ABC&98=XYZ%2f987",
    elements: "(01)12312312312333(22)ABC-123(99)ABC(98)XYZ/987",
    base: "https://a",
  },
  {
    uri: "https://a/01/12312312312333/22/ABC+123?99=ABC",
    elements: "(01)12312312312333(22)ABC+123(99)ABC",
    base: "https://a",
  },
  {
    uri: "https://a/01/12312312312333/22/test/10/abc/21/xyz#fragment",
    elements: "(01)12312312312333(22)test(10)abc(21)xyz",
    base: "https://a",
  },
  {
    uri: "https://id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426",
    elements: "(01)09520123456788(10)ABC1(21)12345(17)180426",
    base: "https://id.gs1.org",
  },
  {
    uri: "https://example.com/01/09520123456788?3103=000195&3922=0299&17=201225",
    elements: "(01)09520123456788(3103)000195(3922)0299(17)201225",
    base: "https://example.com",
  },
  {
    uri: "https://example.com/8004/9520614141234567?01=9520123456788",
    elements: "(8004)9520614141234567(01)09520123456788",
    base: "https://example.com",
  },
  {
    uri: "https://id.gs1.org/01/09520123456788/235/XYZ?10=ABC123",
    elements: "(01)09520123456788(235)XYZ(10)ABC123",
    base: "https://id.gs1.org",
  },
];

describe("parseDigitalLinkUri", () => {
  it.each(PARSE)("reads $uri (dl.c test_dl_parseDLuri)", ({ uri, elements, base }) => {
    const parsed = parseDigitalLinkUri(uri);
    expect({ baseUrl: parsed.baseUrl, elements: parsed.elements, issues: parsed.issues }).toEqual({
      baseUrl: base,
      elements: ais(elements),
      issues: [],
    });
  });

  it.each([
    ["", "dl_syntax"],
    ["ftp://a/00/006141411234567890", "dl_syntax"],
    ["HtTp://a/b/00/006141411234567890", "dl_syntax"],
    ["http://a", "dl_syntax"],
    ["https://00/006141411234567890", "dl_syntax"],
    ["https://$a/00/006141411234567890", "dl_syntax"],
    ["https://a/stem/00/006141411234567890/", "dl_syntax"],
    ["https://a/01/12312312312333?99=", "empty_value"],
    ["https://a/01/12312312312333?99=ABC&999=faux", "unknown_ai"],
    ["https://example.com/01/09520123456788?10=ABC123", "dl_attribute"],
    ["https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&01=09520123456788", "repeated_ai"],
    ["https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&10=ABC123", "repeated_ai"],
    ["https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&99=XYZ789", "repeated_ai"],
    ["https://example.com/01/09520123456788/89/ABC123?99=XYZ", "dl_syntax"],
    ["https://example.com/01/09520123456788?99=XYZ&89=ABC123", "unknown_ai"],
    ["https://a/01/12312312312333/10/ABC/22/X", "dl_path"],
    ["https://a/01/12312312312333/10/A%00B", "dl_encoding"],
    ["https://a/01/12312312312333/10/A%zzB", "dl_encoding"],
    ["https://a/01/12312312312333?8200=x", "dl_attribute"],
  ])("refuses %s (%s)", (uri, rule) => {
    const result = parseDigitalLinkUri(uri);
    expect(result.elements).toBeNull();
    expect(result.baseUrl).toBeNull();
    expect(result.issues.map((i) => i.rule)).toEqual([rule]);
  });

  it("explains with field, value and position", () => {
    expect(parseDigitalLinkUri("https://a/01/12312312312333/10/ABC/22/X", "link").issues).toEqual([
      {
        field: "link",
        value: "https://a/01/12312312312333/10/ABC/22/X",
        rule: "dl_path",
        position: 29,
        message:
          "The qualifiers (10) (22) after AI (01) GTIN are not in an allowed order: they must be " +
          "some of (22) (10) (21), or of (235), in that order (rule dl_path).",
      },
    ]);
    expect(
      parseDigitalLinkUri("https://example.com/01/09520123456788?10=ABC123").issues[0],
    ).toMatchObject({
      position: 42,
      message:
        "AI (10) BATCH/LOT is a key qualifier of AI (01) GTIN: it belongs in the path (rule dl_attribute).",
    });
  });

  it('reads "+" as a space in the query only, which validation then refuses (dl.c)', () => {
    const { elements } = parseDigitalLinkUri("https://a/01/12312312312333/22/A+B?98=XYZ+987");
    expect(elements).toEqual(ais("(01)12312312312333(22)A+B(98)XYZ 987"));
    expect(validateElement("98", "XYZ 987").map((i) => i.rule)).toEqual(["cset82"]);
  });
});

describe("round trips", () => {
  it("parse(build(elements)) gives back the elements, key and qualifiers first (fast-check, seed 20240601, 300 runs)", () => {
    const cset82 = fc.string({ unit: fc.constantFrom(...CSET82), minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(
        fc.option(cset82, { nil: undefined }),
        fc.option(cset82, { nil: undefined }),
        fc.option(cset82, { nil: undefined }),
        fc.option(fc.stringMatching(/^[0-9]{6}$/), { nil: undefined }),
        (cpv, lot, serial, expiry) => {
          const elements: AiElement[] = [{ ai: "01", value: "09506000134352" }];
          if (expiry) elements.push({ ai: "17", value: expiry });
          if (lot) elements.push({ ai: "10", value: lot });
          if (serial) elements.push({ ai: "21", value: serial });
          if (cpv) elements.push({ ai: "22", value: cpv });
          const built = buildDigitalLinkUri(elements, "https://example.com/x");
          expect(built.issues).toEqual([]);
          const parsed = parseDigitalLinkUri(built.uri ?? "");
          expect(parsed.issues).toEqual([]);
          expect(parsed.baseUrl).toBe("https://example.com/x");
          const order = ["01", "22", "10", "21", "17"];
          const expected = [...elements].sort((a, b) => order.indexOf(a.ai) - order.indexOf(b.ai));
          expect(parsed.elements).toEqual(expected);
        },
      ),
      { seed: 20240601, numRuns: 300 },
    );
  });

  it.each(BUILD)("parses back what it built: $uri", ({ elements, base, uri }) => {
    const parsed = parseDigitalLinkUri(uri);
    expect(parsed.baseUrl).toBe(base ?? DEFAULT_DL_BASE_URL);
    expect(new Set(parsed.elements?.map((e) => `${e.ai}=${e.value}`))).toEqual(
      new Set(ais(elements).map((e) => `${e.ai}=${e.value}`)),
    );
  });
});
