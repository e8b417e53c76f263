import { describe, expect, it } from "vitest";
import { type Gs1Fields, parseGs1Payload } from "../../src/gs1/payload.js";
import type { Issue } from "../../src/issues.js";
import { zintLint } from "../helpers/zint.js";

// The four published fields and the issues; the elements (data) are checked further down.
const named = ({ fields, issues }: ReturnType<typeof parseGs1Payload>) => ({ fields, issues });

const NOW = new Date("2026-05-01T12:00:00Z");
const OK = { gtin: "00012345678905", lot: "LOT-A001" };

// Accepted payloads and the fields they normalise to.
const VALID: { name: string; input: Record<string, unknown>; fields: Gs1Fields; source: string }[] =
  [
    {
      name: "the published example",
      input: {
        gtin: "00012345678905",
        lot: "LOT-A001",
        serial: "SN-0001",
        expiry: "270630",
        format: "svg",
      },
      fields: { gtin: "00012345678905", expiry: "270630", lot: "LOT-A001", serial: "SN-0001" },
      source: "published API example (DataMatrixPayload)",
    },
    {
      name: "a GTIN-8 with a lot only",
      input: { gtin: "96385074", lot: "A" },
      fields: { gtin: "00000096385074", expiry: null, lot: "A", serial: null },
      source: "EAN-8, Wikipedia 'EAN-8' example",
    },
    {
      name: "a GTIN-12 with a serial only and explicit nulls",
      input: { gtin: "036000291452", lot: null, serial: "SN-1", expiry: null },
      fields: { gtin: "00036000291452", expiry: null, lot: null, serial: "SN-1" },
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
      fields: {
        gtin: "04006381333931",
        expiry: "240200",
        lot: "!\"%&'()*+,-./0123456",
        serial: "789:;<=>?ABCDEFGHIJK",
      },
      source: "contract: 1-20 characters of set 82; DD 00 allowed by default",
    },
    {
      name: "other helpers' keys and unknown keys ignored, strict_expiry false",
      input: { ...OK, shape: 3, xdim_mm: "big", hri: "yes", colour: [], strict_expiry: false },
      fields: { gtin: "00012345678905", expiry: null, lot: "LOT-A001", serial: null },
      source: "brief: only gtin, lot, serial, expiry, strict_expiry are validated here",
    },
    {
      name: "February 29 of a leap year",
      input: { ...OK, expiry: "240229", strict_expiry: true },
      fields: { gtin: "00012345678905", expiry: "240229", lot: "LOT-A001", serial: null },
      source: "2024 is a leap year",
    },
  ];

describe("parseGs1Payload accepts", () => {
  it.each(VALID)("$name", ({ input, fields }) => {
    expect(named(parseGs1Payload(input, NOW))).toEqual({ fields, issues: [] });
  });

  // zint's linter (csum, cset82, yymmd0, lengths) raises nothing for any accepted payload.
  it.each(VALID)("$name, as zint does", ({ fields }) => {
    let bracketed = `[01]${fields.gtin}`;
    if (fields.expiry) bracketed += `[17]${fields.expiry}`;
    if (fields.lot) bracketed += `[10]${fields.lot}`;
    if (fields.serial) bracketed += `[21]${fields.serial}`;
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
      rule: "digits",
      position: 14,
      message: 'gtin "0001234567890X" has a non-digit character at position 14: "X".',
    },
  },
  {
    name: "gtin of 11 digits",
    input: { gtin: "12345678905", lot: "A" },
    issue: {
      field: "gtin",
      value: "12345678905",
      rule: "length",
      message: 'gtin "12345678905" is 11 characters long; a GTIN has 8, 12, 13 or 14 digits.',
    },
  },
  {
    name: "gtin with a wrong check digit",
    input: { gtin: "00012345678906", lot: "A" },
    issue: {
      field: "gtin",
      value: "00012345678906",
      rule: "csum",
      message:
        'gtin "00012345678906" ends in check digit 6, but the GS1 mod-10 check digit of the digits before it is 5.',
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
      message:
        'gtin "4006381333932" ends in check digit 2, but the GS1 mod-10 check digit of the digits before it is 1.',
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
      message: 'lot "" is 0 characters long; lot (AI 10) must be 1 to 20 characters.',
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
        'serial "ABCDEFGHIJKLMNOPQRSTU" is 21 characters long; serial (AI 21) must be 1 to 20 characters.',
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
        'lot "LOT A" has a character outside the GS1 AI encodable character set 82 at position 4: " ".',
    },
    zint: {
      data: "[01]00012345678905[10]LOT A",
      says: /AI \(10\) position 4: Invalid CSET 82 character ' '/,
    },
  },
  {
    name: "a serial with three characters outside set 82",
    input: { gtin: OK.gtin, serial: "SN#1 ~" },
    issue: {
      field: "serial",
      value: "SN#1 ~",
      rule: "cset82",
      position: 3,
      message:
        'serial "SN#1 ~" has 3 characters outside the GS1 AI encodable character set 82, the first at position 3: "#".',
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
        'lot "A\\u001dB" has a character outside the GS1 AI encodable character set 82 at position 2: "\\u001d".',
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
      message:
        'serial "Größe" has 2 characters outside the GS1 AI encodable character set 82, the first at position 3: "ö".',
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
      rule: "digits",
      position: 3,
      message: 'expiry "27O630" has a non-digit character at position 3: "O".',
    },
  },
  {
    name: "expiry of 5 digits",
    input: { ...OK, expiry: "27063" },
    issue: {
      field: "expiry",
      value: "27063",
      rule: "length",
      message: 'expiry "27063" is 5 characters long; an expiry date is 6 digits, YYMMDD.',
    },
  },
  {
    name: "expiry in month 13",
    input: { ...OK, expiry: "271301" },
    issue: {
      field: "expiry",
      value: "271301",
      rule: "yymmd0",
      message: 'expiry "271301" has month 13; a month is 01 to 12.',
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
      message: 'expiry "250229" has day 29, but February 2025 has 28 days.',
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
      message: 'expiry "270631" has day 31, but June 2027 has 30 days.',
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
      message:
        'expiry "270600" has day 00 (the last day of the month), which strict_expiry forbids; write the day itself, "270630".',
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
    expect(named(parseGs1Payload(input, NOW))).toEqual({ fields: null, issues: [issue] });
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
        "digits",
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
    expect(named(parseGs1Payload({}, NOW))).toEqual({
      fields: null,
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

  it("format and character problems in the same field, and in several fields", () => {
    const input = {
      gtin: "12a45",
      lot: "LOT A",
      serial: "ABCDEFGHIJKLMNOPQRS T",
      expiry: "2027-06-30",
    };
    expect(named(parseGs1Payload(input, NOW))).toEqual({
      fields: null,
      issues: [
        {
          field: "gtin",
          value: "12a45",
          rule: "digits",
          position: 3,
          message: 'gtin "12a45" has a non-digit character at position 3: "a".',
        },
        {
          field: "gtin",
          value: "12a45",
          rule: "length",
          message: 'gtin "12a45" is 5 characters long; a GTIN has 8, 12, 13 or 14 digits.',
        },
        {
          field: "lot",
          value: "LOT A",
          rule: "cset82",
          position: 4,
          message:
            'lot "LOT A" has a character outside the GS1 AI encodable character set 82 at position 4: " ".',
        },
        {
          field: "serial",
          value: "ABCDEFGHIJKLMNOPQRS T",
          rule: "length",
          message:
            'serial "ABCDEFGHIJKLMNOPQRS T" is 21 characters long; serial (AI 21) must be 1 to 20 characters.',
        },
        {
          field: "serial",
          value: "ABCDEFGHIJKLMNOPQRS T",
          rule: "cset82",
          position: 20,
          message:
            'serial "ABCDEFGHIJKLMNOPQRS T" has a character outside the GS1 AI encodable character set 82 at position 20: " ".',
        },
        {
          field: "expiry",
          value: "2027-06-30",
          rule: "digits",
          position: 5,
          message: 'expiry "2027-06-30" has 2 non-digit characters, the first at position 5: "-".',
        },
        {
          field: "expiry",
          value: "2027-06-30",
          rule: "length",
          message: 'expiry "2027-06-30" is 10 characters long; an expiry date is 6 digits, YYMMDD.',
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
        message: 'expiry "000229" has day 29, but February 2100 has 28 days.',
      },
    ]);
  });

  it("defaults now to the current date", () => {
    expect(parseGs1Payload({ ...OK, expiry: "240229" }).issues).toEqual([]);
  });
});
