import { describe, expect, it } from "vitest";
import type { AiElement } from "../../src/gs1/ai/types.js";
import { NAMED_FIELDS, parseGs1Payload } from "../../src/gs1/payload.js";
import type { Issue } from "../../src/issues.js";
import { zintLint } from "../helpers/zint.js";

const NOW = new Date("2026-05-01T12:00:00Z");
const OK = { gtin: "00012345678905", lot: "LOT-A001" };

// Accepted payloads and the elements they become, in the order the encoder receives them.
const VALID: {
  name: string;
  input: Record<string, unknown>;
  elements: AiElement[];
  source: string;
}[] = [
  {
    name: "the published example",
    input: {
      gtin: "00012345678905",
      lot: "LOT-A001",
      serial: "SN-0001",
      expiry: "270630",
      format: "svg",
    },
    elements: [
      { ai: "01", value: "00012345678905" },
      { ai: "17", value: "270630" },
      { ai: "10", value: "LOT-A001" },
      { ai: "21", value: "SN-0001" },
    ],
    source: "published API example (DataMatrixPayload)",
  },
  {
    name: "a GTIN-8 with a lot only",
    input: { gtin: "96385074", lot: "A" },
    elements: [
      { ai: "01", value: "00000096385074" },
      { ai: "10", value: "A" },
    ],
    source: "EAN-8, Wikipedia 'EAN-8' example",
  },
  {
    name: "a GTIN-12 with a serial only and explicit nulls",
    input: { gtin: "036000291452", lot: null, serial: "SN-1", expiry: null },
    elements: [
      { ai: "01", value: "00036000291452" },
      { ai: "21", value: "SN-1" },
    ],
    source: "UPC-A, Wikipedia 'Universal Product Code' example",
  },
  {
    name: "a GTIN-13 with 20-character lot and serial of set 82 and DD 00",
    input: {
      gtin: "4006381333931",
      lot: "!\"%&'()*+,-./0123456",
      serial: "789:;<=>?ABCDEFGHIJK",
      expiry: "240200",
    },
    elements: [
      { ai: "01", value: "04006381333931" },
      { ai: "17", value: "240200" },
      { ai: "10", value: "!\"%&'()*+,-./0123456" },
      { ai: "21", value: "789:;<=>?ABCDEFGHIJK" },
    ],
    source: "contract: 1-20 characters of set 82; DD 00 allowed by default",
  },
  {
    name: "other helpers' keys and unknown keys ignored, strict_expiry false",
    input: { ...OK, shape: 3, xdim_mm: "big", hri: "yes", colour: [], strict_expiry: false },
    elements: [
      { ai: "01", value: "00012345678905" },
      { ai: "10", value: "LOT-A001" },
    ],
    source: "the rendering options are render/parse-options.ts's",
  },
  {
    name: "February 29 of a leap year",
    input: { ...OK, expiry: "240229", strict_expiry: true },
    elements: [
      { ai: "01", value: "00012345678905" },
      { ai: "17", value: "240229" },
      { ai: "10", value: "LOT-A001" },
    ],
    source: "2024 is a leap year",
  },
  {
    name: "every named field, the dates before lot and serial",
    input: { serial: "S", lot: "L", production_date: "260101", expiry: "270630", gtin: OK.gtin },
    elements: [
      { ai: "01", value: "00012345678905" },
      { ai: "11", value: "260101" },
      { ai: "17", value: "270630" },
      { ai: "10", value: "L" },
      { ai: "21", value: "S" },
    ],
    source: "the order symbols have always had (01, 11, 17, 10, 21), so their bytes stay the same",
  },
  {
    name: "a serial given as AI (21) in ais",
    input: { gtin: OK.gtin, ais: { "21": "S1" } },
    elements: [
      { ai: "01", value: "00012345678905" },
      { ai: "21", value: "S1" },
    ],
    source: "lot or serial: AI (10) or (21) in ais counts",
  },
];

describe("parseGs1Payload accepts", () => {
  it.each(VALID)("$name", ({ input, elements }) => {
    const { data, issues } = parseGs1Payload(input, NOW);
    expect(issues).toEqual([]);
    expect(data).toEqual({ elements, keepOrder: false, digitalLink: null });
  });

  // zint's linter (csum, cset82, yymmd0, lengths) raises nothing for any accepted payload.
  it.each(VALID)("$name, as zint does", ({ elements }) => {
    const bracketed = elements.map((e) => `[${e.ai}]${e.value}`).join("");
    expect(zintLint(bracketed).message).toBeNull();
  });
});

// One row per rule (and per field where the wording differs), with the exact issue. `zint`
// gives the bracketed data and what zint 2.11 says about it where zint checks the same rule.
const REJECTED: {
  name: string;
  input: unknown;
  issue: Issue;
  zint?: { data: string; says: RegExp };
}[] = [
  {
    name: "a string instead of an object",
    input: "gtin=1",
    issue: {
      field: null,
      value: "gtin=1",
      rule: "object_type",
      message: 'The payload must be a JSON object; got the string "gtin=1".',
    },
  },
  {
    name: "null instead of an object",
    input: null,
    issue: {
      field: null,
      value: null,
      rule: "object_type",
      message: "The payload must be a JSON object; got null.",
    },
  },
  {
    name: "an array instead of an object",
    input: [OK],
    issue: {
      field: null,
      value: [OK],
      rule: "object_type",
      message: "The payload must be a JSON object; got an array.",
    },
  },
  {
    name: "undefined instead of an object",
    input: undefined,
    issue: {
      field: null,
      value: undefined,
      rule: "object_type",
      message: "The payload must be a JSON object; got a value of type undefined.",
    },
  },
  {
    name: "no gtin",
    input: { lot: "A" },
    issue: {
      field: "gtin",
      value: undefined,
      rule: "missing",
      message: "gtin is required but missing.",
    },
  },
  {
    name: "gtin as a number",
    input: { gtin: 12345678905, lot: "A" },
    issue: {
      field: "gtin",
      value: 12345678905,
      rule: "string_type",
      message: "gtin must be a string; got the number 12345678905.",
    },
  },
  {
    name: "gtin null",
    input: { gtin: null, lot: "A" },
    issue: {
      field: "gtin",
      value: null,
      rule: "string_type",
      message: "gtin must be a string; got null.",
    },
  },
  {
    name: "gtin with a letter",
    input: { gtin: "0001234567890X", lot: "A" },
    issue: {
      field: "gtin",
      value: "0001234567890X",
      rule: "csetnumeric",
      position: 14,
      message:
        'AI (01) GTIN: value "0001234567890X" at position 14: "X" is not a digit (rule csetnumeric).',
    },
  },
  {
    name: "gtin of 11 digits",
    input: { gtin: "12345678905", lot: "A" },
    issue: {
      field: "gtin",
      value: "12345678905",
      rule: "length",
      message:
        'AI (01) GTIN: value "12345678905" is 11 characters long, but format N14 takes 14 (rule length).',
    },
  },
  {
    name: "gtin with a wrong check digit",
    input: { gtin: "00012345678906", lot: "A" },
    issue: {
      field: "gtin",
      value: "00012345678906",
      rule: "csum",
      position: 14,
      message:
        'AI (01) GTIN: value "00012345678906" at position 14: the check digit is 6; the digits before it give 5 (rule csum).',
    },
    zint: {
      data: "[01]00012345678906[10]A",
      says: /AI \(01\) position 14: Bad checksum '6', expected '5'/,
    },
  },
  {
    name: "a GTIN-13 with a wrong check digit",
    input: { gtin: "4006381333932", lot: "A" },
    issue: {
      field: "gtin",
      value: "4006381333932",
      rule: "csum",
      position: 13,
      message:
        'AI (01) GTIN: value "04006381333932" at position 14: the check digit is 2; the digits before it give 1 (rule csum).',
    },
    zint: { data: "[01]04006381333932[10]A", says: /Bad checksum '2', expected '1'/ },
  },
  {
    name: "lot as a number",
    input: { gtin: OK.gtin, lot: 5 },
    issue: {
      field: "lot",
      value: 5,
      rule: "string_type",
      message: "lot must be a string or null; got the number 5.",
    },
  },
  {
    name: "serial as a boolean",
    input: { gtin: OK.gtin, serial: true },
    issue: {
      field: "serial",
      value: true,
      rule: "string_type",
      message: "serial must be a string or null; got the boolean true.",
    },
  },
  {
    name: "an empty lot",
    input: { gtin: OK.gtin, lot: "" },
    issue: {
      field: "lot",
      value: "",
      rule: "length",
      message:
        'AI (10) BATCH/LOT: value "" is 0 characters long, but format X..20 takes 1 to 20 (rule length).',
    },
  },
  {
    name: "a 21-character serial",
    input: { gtin: OK.gtin, serial: "ABCDEFGHIJKLMNOPQRSTU" },
    issue: {
      field: "serial",
      value: "ABCDEFGHIJKLMNOPQRSTU",
      rule: "length",
      message:
        'AI (21) SERIAL: value "ABCDEFGHIJKLMNOPQRSTU" is 21 characters long, but format X..20 takes 1 to 20 (rule length).',
    },
    zint: {
      data: "[01]00012345678905[21]ABCDEFGHIJKLMNOPQRSTU",
      says: /Invalid data length for AI \(21\)/,
    },
  },
  {
    name: "a lot with a space",
    input: { gtin: OK.gtin, lot: "LOT A" },
    issue: {
      field: "lot",
      value: "LOT A",
      rule: "cset82",
      position: 4,
      message:
        'AI (10) BATCH/LOT: value "LOT A" at position 4: " " is not in set 82 (rule cset82).',
    },
    zint: {
      data: "[01]00012345678905[10]LOT A",
      says: /AI \(10\) position 4: Invalid CSET 82 character ' '/,
    },
  },
  {
    name: "a serial with three characters outside set 82, the first named",
    input: { gtin: OK.gtin, serial: "SN#1 ~" },
    issue: {
      field: "serial",
      value: "SN#1 ~",
      rule: "cset82",
      position: 3,
      message: 'AI (21) SERIAL: value "SN#1 ~" at position 3: "#" is not in set 82 (rule cset82).',
    },
    zint: {
      data: "[01]00012345678905[21]SN#1 ~",
      says: /AI \(21\) position 3: Invalid CSET 82 character '#'/,
    },
  },
  {
    name: "a lot holding a group separator",
    input: { gtin: OK.gtin, lot: "A\x1dB" },
    issue: {
      field: "lot",
      value: "A\x1dB",
      rule: "cset82",
      position: 2,
      message:
        'AI (10) BATCH/LOT: value "A\\u001dB" at position 2: "\\u001d" is not in set 82 (rule cset82).',
    },
  },
  {
    name: "a serial with a non-ASCII letter",
    input: { gtin: OK.gtin, serial: "Größe" },
    issue: {
      field: "serial",
      value: "Größe",
      rule: "cset82",
      position: 3,
      message: 'AI (21) SERIAL: value "Größe" at position 3: "ö" is not in set 82 (rule cset82).',
    },
  },
  {
    name: "expiry as a number",
    input: { ...OK, expiry: 270630 },
    issue: {
      field: "expiry",
      value: 270630,
      rule: "string_type",
      message: "expiry must be a string or null; got the number 270630.",
    },
  },
  {
    name: "expiry with a non-digit",
    input: { ...OK, expiry: "27O630" },
    issue: {
      field: "expiry",
      value: "27O630",
      rule: "csetnumeric",
      position: 3,
      message:
        'AI (17) USE BY or EXPIRY: value "27O630" at position 3: "O" is not a digit (rule csetnumeric).',
    },
  },
  {
    name: "expiry of 5 digits",
    input: { ...OK, expiry: "27063" },
    issue: {
      field: "expiry",
      value: "27063",
      rule: "length",
      message:
        'AI (17) USE BY or EXPIRY: value "27063" is 5 characters long, but format N6 takes 6 (rule length).',
    },
  },
  {
    name: "expiry in month 13",
    input: { ...OK, expiry: "271301" },
    issue: {
      field: "expiry",
      value: "271301",
      rule: "yymmd0",
      position: 3,
      message:
        'AI (17) USE BY or EXPIRY: value "271301" at position 3: month 13 does not exist; months run 01 to 12 (rule yymmd0).',
    },
    zint: {
      data: "[01]00012345678905[17]271301[10]A",
      says: /AI \(17\) position 3: Invalid month '13'/,
    },
  },
  {
    name: "expiry on 29 February of a common year",
    input: { ...OK, expiry: "250229" },
    issue: {
      field: "expiry",
      value: "250229",
      rule: "yymmd0",
      position: 5,
      message:
        'AI (17) USE BY or EXPIRY: value "250229" at position 5: day 29 does not exist: February 2025 has 28 days (rule yymmd0).',
    },
    zint: {
      data: "[01]00012345678905[17]250229[10]A",
      says: /AI \(17\) position 5: Invalid day '29'/,
    },
  },
  {
    name: "expiry on 31 June",
    input: { ...OK, expiry: "270631" },
    issue: {
      field: "expiry",
      value: "270631",
      rule: "yymmd0",
      position: 5,
      message:
        'AI (17) USE BY or EXPIRY: value "270631" at position 5: day 31 does not exist: June 2027 has 30 days (rule yymmd0).',
    },
    zint: {
      data: "[01]00012345678905[17]270631[10]A",
      says: /AI \(17\) position 5: Invalid day '31'/,
    },
  },
  {
    name: "expiry with DD 00 under strict_expiry",
    input: { ...OK, expiry: "270600", strict_expiry: true },
    issue: {
      field: "expiry",
      value: "270600",
      rule: "day_00",
      position: 5,
      message:
        'AI (17) USE BY or EXPIRY: value "270600" at position 5: day 00 (the last day of the month) is refused under strict_expiry; write the day itself, "270630" (rule day_00).',
    },
  },
  {
    name: "strict_expiry as a string",
    input: { ...OK, strict_expiry: "yes" },
    issue: {
      field: "strict_expiry",
      value: "yes",
      rule: "boolean_type",
      message: 'strict_expiry must be true or false; got the string "yes".',
    },
  },
  {
    name: "strict_expiry null",
    input: { ...OK, strict_expiry: null },
    issue: {
      field: "strict_expiry",
      value: null,
      rule: "boolean_type",
      message: "strict_expiry must be true or false; got null.",
    },
  },
  {
    name: "neither lot nor serial",
    input: { gtin: OK.gtin, expiry: "270630" },
    issue: {
      field: null,
      value: null,
      rule: "lot_or_serial_required",
      message: "At least one of lot or serial is required; both are absent.",
    },
  },
  {
    name: "lot and serial both null",
    input: { gtin: OK.gtin, lot: null, serial: null },
    issue: {
      field: null,
      value: null,
      rule: "lot_or_serial_required",
      message: "At least one of lot or serial is required; both are absent.",
    },
  },
];

describe("parseGs1Payload rejects", () => {
  it.each(REJECTED)("$name with exactly one issue", ({ input, issue }) => {
    expect(parseGs1Payload(input, NOW)).toEqual({ data: null, issues: [issue] });
  });

  it.each(REJECTED.filter((row) => row.zint))("$name, as zint does", ({ zint }) => {
    expect(zintLint(zint?.data ?? "").message).toMatch(zint?.says ?? /^$/);
  });

  it("covers every rule id", () => {
    expect(new Set(REJECTED.map((row) => row.issue.rule))).toEqual(
      new Set([
        "object_type",
        "missing",
        "string_type",
        "boolean_type",
        "csetnumeric",
        "length",
        "csum",
        "cset82",
        "yymmd0",
        "day_00",
        "lot_or_serial_required",
      ]),
    );
  });
});

describe("parseGs1Payload reports every problem at once", () => {
  it("one issue per bad field, in field order, strict_expiry and the lot-or-serial rule last", () => {
    const input = { gtin: 12345678905, lot: 5, serial: true, expiry: 270630, strict_expiry: "yes" };
    expect(parseGs1Payload(input, NOW).issues.map((i) => [i.field, i.rule])).toEqual([
      ["gtin", "string_type"],
      ["lot", "string_type"],
      ["serial", "string_type"],
      ["expiry", "string_type"],
      ["strict_expiry", "boolean_type"],
    ]);
  });

  it("a missing gtin together with the lot-or-serial rule", () => {
    expect(parseGs1Payload({}, NOW)).toEqual({
      data: null,
      issues: [
        {
          field: "gtin",
          value: undefined,
          rule: "missing",
          message: "gtin is required but missing.",
        },
        {
          field: null,
          value: null,
          rule: "lot_or_serial_required",
          message: "At least one of lot or serial is required; both are absent.",
        },
      ],
    });
  });

  // The dictionary's order within a field: the length first, then each component's charset.
  it("format and character problems in the same field, and in several fields", () => {
    const input = {
      gtin: "12a45",
      lot: "LOT A",
      serial: "ABCDEFGHIJKLMNOPQRS T",
      expiry: "2027-06-30",
    };
    expect(parseGs1Payload(input, NOW)).toEqual({
      data: null,
      issues: [
        {
          field: "gtin",
          value: "12a45",
          rule: "length",
          message:
            'AI (01) GTIN: value "12a45" is 5 characters long, but format N14 takes 14 (rule length).',
        },
        {
          field: "gtin",
          value: "12a45",
          rule: "csetnumeric",
          position: 3,
          message:
            'AI (01) GTIN: value "12a45" at position 3: "a" is not a digit (rule csetnumeric).',
        },
        {
          field: "lot",
          value: "LOT A",
          rule: "cset82",
          position: 4,
          message:
            'AI (10) BATCH/LOT: value "LOT A" at position 4: " " is not in set 82 (rule cset82).',
        },
        {
          field: "serial",
          value: "ABCDEFGHIJKLMNOPQRS T",
          rule: "length",
          message:
            'AI (21) SERIAL: value "ABCDEFGHIJKLMNOPQRS T" is 21 characters long, but format X..20 takes 1 to 20 (rule length).',
        },
        {
          field: "serial",
          value: "ABCDEFGHIJKLMNOPQRS T",
          rule: "cset82",
          position: 20,
          // The component is cut at the format's 20 characters, so the message quotes those.
          message:
            'AI (21) SERIAL: value "ABCDEFGHIJKLMNOPQRS " at position 20: " " is not in set 82 (rule cset82).',
        },
        {
          field: "expiry",
          value: "2027-06-30",
          rule: "length",
          message:
            'AI (17) USE BY or EXPIRY: value "2027-06-30" is 10 characters long, but format N6 takes 6 (rule length).',
        },
        {
          field: "expiry",
          value: "2027-06-30",
          rule: "csetnumeric",
          position: 5,
          message:
            'AI (17) USE BY or EXPIRY: value "2027-0" at position 5: "-" is not a digit (rule csetnumeric).',
        },
      ],
    });
  });

  it("a check-digit error next to a date error", () => {
    const { issues } = parseGs1Payload(
      { gtin: "00012345678906", serial: "S", expiry: "250229" },
      NOW,
    );
    expect(issues.map((i) => i.rule)).toEqual(["csum", "yymmd0"]);
  });

  it("an invalid strict_expiry counts as false, so DD 00 still passes", () => {
    const { issues } = parseGs1Payload({ ...OK, expiry: "270600", strict_expiry: 1 }, NOW);
    expect(issues.map((i) => i.rule)).toEqual(["boolean_type"]);
  });

  it("a present but invalid lot is not also reported as absent", () => {
    const { issues } = parseGs1Payload({ gtin: OK.gtin, lot: "" }, NOW);
    expect(issues.map((i) => i.rule)).toEqual(["length"]);
  });

  it("nor is an invalid AI (10) in ais", () => {
    const { issues } = parseGs1Payload({ gtin: OK.gtin, ais: { "10": "A B" } }, NOW);
    expect(issues.map((i) => [i.field, i.rule])).toEqual([["ais.10", "cset82"]]);
  });

  it("an AI given as a named field and in ais is refused in ais, even when the field is bad", () => {
    const { issues } = parseGs1Payload({ gtin: OK.gtin, lot: "A B", ais: { "10": "AB" } }, NOW);
    expect(issues).toEqual([
      {
        field: "lot",
        value: "A B",
        rule: "cset82",
        position: 2,
        message:
          'AI (10) BATCH/LOT: value "A B" at position 2: " " is not in set 82 (rule cset82).',
      },
      {
        field: "ais.10",
        value: "AB",
        rule: "repeated_ai",
        message: "AI (10) is given twice: as lot and in ais (rule repeated_ai).",
      },
    ]);
  });

  it("strict_expiry is read beside element_string too", () => {
    const { issues } = parseGs1Payload(
      { element_string: "(01)00012345678905(17)270600", strict_expiry: "yes" },
      NOW,
    );
    expect(issues.map((i) => [i.field, i.rule])).toEqual([["strict_expiry", "boolean_type"]]);
  });
});

describe("parseGs1Payload and the century of AI 17", () => {
  it("accepts 000229 judged from 2026 (2000 is a leap year)", () => {
    expect(parseGs1Payload({ ...OK, expiry: "000229" }, NOW).issues).toEqual([]);
  });

  it("rejects 000229 judged from 2060 (00 is then 2100, not a leap year)", () => {
    expect(
      parseGs1Payload({ ...OK, expiry: "000229" }, new Date("2060-01-01T00:00:00Z")).issues,
    ).toEqual([
      {
        field: "expiry",
        value: "000229",
        rule: "yymmd0",
        position: 5,
        message:
          'AI (17) USE BY or EXPIRY: value "000229" at position 5: day 29 does not exist: February 2100 has 28 days (rule yymmd0).',
      },
    ]);
  });

  it("judges AI (17) in ais and in element_string from the same now", () => {
    const in2060 = new Date("2060-01-01T00:00:00Z");
    const viaAis = parseGs1Payload({ gtin: OK.gtin, lot: "A", ais: { "17": "000229" } }, in2060);
    const viaText = parseGs1Payload({ element_string: "(01)00012345678905(17)000229" }, in2060);
    expect(viaAis.issues.map((i) => i.message)).toEqual([
      'AI (17) USE BY or EXPIRY: value "000229" at position 5: day 29 does not exist: February 2100 has 28 days (rule yymmd0).',
    ]);
    expect(viaText.issues.map((i) => i.message)).toEqual(viaAis.issues.map((i) => i.message));
    expect(
      parseGs1Payload({ gtin: OK.gtin, lot: "A", ais: { "17": "000229" } }, NOW).issues,
    ).toEqual([]);
  });

  it("defaults now to the current date", () => {
    expect(parseGs1Payload({ ...OK, expiry: "240229" }).issues).toEqual([]);
  });
});

// One validator: a bad value for an AI gets the same rule and message whether it is sent as its
// named field, in ais or in element_string; only the field (and, in element_string, the
// position, counted in the whole text) differ. The expected words are written out per row. An
// empty value is left out: element_string cannot carry one ("(10)" is rule empty_value).
const SAME_JUDGEMENT: {
  field: (typeof NAMED_FIELDS)[number]["field"];
  value: string;
  rule: string;
  position?: number;
  message: string;
  strict?: boolean;
}[] = [
  {
    field: "gtin",
    value: "0950600013435A",
    rule: "csetnumeric",
    position: 14,
    message:
      'AI (01) GTIN: value "0950600013435A" at position 14: "A" is not a digit (rule csetnumeric).',
  },
  {
    field: "gtin",
    value: "095060001343521",
    rule: "length",
    message:
      'AI (01) GTIN: value "095060001343521" is 15 characters long, but format N14 takes 14 (rule length).',
  },
  {
    field: "gtin",
    value: "09506000134353",
    rule: "csum",
    position: 14,
    message:
      'AI (01) GTIN: value "09506000134353" at position 14: the check digit is 3; the digits before it give 2 (rule csum).',
  },
  {
    field: "lot",
    value: "LOT A",
    rule: "cset82",
    position: 4,
    message: 'AI (10) BATCH/LOT: value "LOT A" at position 4: " " is not in set 82 (rule cset82).',
  },
  {
    field: "lot",
    value: "ABCDEFGHIJKLMNOPQRSTU",
    rule: "length",
    message:
      'AI (10) BATCH/LOT: value "ABCDEFGHIJKLMNOPQRSTU" is 21 characters long, but format X..20 takes 1 to 20 (rule length).',
  },
  {
    field: "serial",
    value: "SN#1",
    rule: "cset82",
    position: 3,
    message: 'AI (21) SERIAL: value "SN#1" at position 3: "#" is not in set 82 (rule cset82).',
  },
  {
    field: "serial",
    value: "x".repeat(25),
    rule: "length",
    message: `AI (21) SERIAL: value "${"x".repeat(25)}" is 25 characters long, but format X..20 takes 1 to 20 (rule length).`,
  },
  {
    field: "expiry",
    value: "27O630",
    rule: "csetnumeric",
    position: 3,
    message:
      'AI (17) USE BY or EXPIRY: value "27O630" at position 3: "O" is not a digit (rule csetnumeric).',
  },
  {
    field: "expiry",
    value: "2706301",
    rule: "length",
    message:
      'AI (17) USE BY or EXPIRY: value "2706301" is 7 characters long, but format N6 takes 6 (rule length).',
  },
  {
    field: "expiry",
    value: "271301",
    rule: "yymmd0",
    position: 3,
    message:
      'AI (17) USE BY or EXPIRY: value "271301" at position 3: month 13 does not exist; months run 01 to 12 (rule yymmd0).',
  },
  {
    field: "expiry",
    value: "270230",
    rule: "yymmd0",
    position: 5,
    message:
      'AI (17) USE BY or EXPIRY: value "270230" at position 5: day 30 does not exist: February 2027 has 28 days (rule yymmd0).',
  },
  {
    field: "expiry",
    value: "280200",
    rule: "day_00",
    position: 5,
    strict: true,
    message:
      'AI (17) USE BY or EXPIRY: value "280200" at position 5: day 00 (the last day of the month) is refused under strict_expiry; write the day itself, "280229" (rule day_00).',
  },
  {
    field: "production_date",
    value: "2601O1",
    rule: "csetnumeric",
    position: 5,
    message:
      'AI (11) PROD DATE: value "2601O1" at position 5: "O" is not a digit (rule csetnumeric).',
  },
  {
    field: "production_date",
    value: "26010",
    rule: "length",
    message:
      'AI (11) PROD DATE: value "26010" is 5 characters long, but format N6 takes 6 (rule length).',
  },
  {
    field: "production_date",
    value: "260001",
    rule: "yymmd0",
    position: 3,
    message:
      'AI (11) PROD DATE: value "260001" at position 3: month 00 does not exist; months run 01 to 12 (rule yymmd0).',
  },
  {
    field: "production_date",
    value: "250931",
    rule: "yymmd0",
    position: 5,
    message:
      'AI (11) PROD DATE: value "250931" at position 5: day 31 does not exist: September 2025 has 30 days (rule yymmd0).',
  },
];

describe("parseGs1Payload judges a named field, ais and element_string alike", () => {
  const GTIN = "09506000134352";
  const aiOf = (field: string) => NAMED_FIELDS.find((n) => n.field === field)?.ai ?? "";
  const strictOf = (row: { strict?: boolean }) => (row.strict ? { strict_expiry: true } : {});
  // The issues that name `field`; the payloads below may also miss gtin on purpose.
  const about = (input: Record<string, unknown>, field: string) =>
    parseGs1Payload(input, NOW).issues.filter((i) => i.field === field);

  it("covers every named field", () => {
    expect(new Set(SAME_JUDGEMENT.map((row) => row.field))).toEqual(
      new Set(["gtin", "lot", "serial", "expiry", "production_date"]),
    );
  });

  it.each(SAME_JUDGEMENT)("$field $value: $rule as a named field", (row) => {
    const others = row.field === "gtin" ? { lot: "A" } : { gtin: GTIN, serial: "S" };
    const input = { ...others, [row.field]: row.value, ...strictOf(row) };
    const { field, value, rule, position, message } = row;
    const expected: Issue = { field, value, rule, message };
    if (position !== undefined) expected.position = position;
    expect(about(input, field)).toEqual([expected]);
  });

  it.each(SAME_JUDGEMENT)("$field $value: $rule in ais", (row) => {
    const ai = aiOf(row.field);
    // An AI in ais cannot sit beside its own named field (repeated_ai): for AI (01) gtin is left
    // out (so gtin is missing, an issue of its own), for AI (21) the lot stands in for serial.
    const others =
      row.field === "gtin"
        ? { lot: "A" }
        : row.field === "serial"
          ? { gtin: GTIN, lot: "L" }
          : { gtin: GTIN, serial: "S" };
    const input = { ...others, ais: { [ai]: row.value }, ...strictOf(row) };
    const { value, rule, position, message } = row;
    const expected: Issue = { field: `ais.${ai}`, value, rule, message };
    if (position !== undefined) expected.position = position;
    expect(about(input, `ais.${ai}`)).toEqual([expected]);
  });

  it.each(SAME_JUDGEMENT)("$field $value: $rule in element_string", (row) => {
    const ai = aiOf(row.field);
    const prefix = row.field === "gtin" ? "" : `(01)${GTIN}`;
    const text = `${prefix}(${ai})${row.value}`;
    const { rule, position, message } = row;
    const expected: Issue = { field: "element_string", value: text, rule, message };
    // In the text, the value starts after the prefix and "(ai)"; its first character is one on.
    if (position !== undefined) expected.position = prefix.length + ai.length + 2 + position;
    else expected.position = prefix.length + 1;
    expect(about({ element_string: text, ...strictOf(row) }, "element_string")).toEqual([expected]);
  });
});
