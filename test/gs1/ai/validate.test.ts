import { afterEach, describe, expect, it, vi } from "vitest";
import { aiEntry } from "../../../src/gs1/ai/lookup.js";
import { AI_TABLE } from "../../../src/gs1/ai/table.generated.js";
import type { AiElement } from "../../../src/gs1/ai/types.js";
import {
  aiField,
  allowedLengths,
  describeFormat,
  elementIssue,
  validateCombination,
  validateElement,
} from "../../../src/gs1/ai/validate.js";
import { LINTERS, UNSUPPORTED_LINTERS } from "../../../src/gs1/linters/index.js";
import { zintLint } from "../../helpers/zint.js";

const GTIN = "09506000134352"; // GS1 General Specifications example GTIN, check digit 2
const el = (ai: string, value: string): AiElement => ({ ai, value });

describe("validateElement", () => {
  it("accepts valid values of every kind of format", () => {
    for (const [ai, value] of [
      ["01", GTIN],
      ["10", "ABC123"],
      ["17", "270600"],
      ["7003", "2712302359"],
      ["8008", "27123012"],
      ["8008", "2712301230"],
      ["8008", "271230123059"],
      ["253", "9506000134352"],
      ["253", "9506000134352ABC"],
      ["421", "276D-12345"],
      ["3103", "000195"],
    ]) {
      expect(validateElement(ai, value), `(${ai}) ${value}`).toEqual([]);
    }
  });

  // Messages asserted verbatim (house style); positions also checked against zint below.
  it.each([
    {
      ai: "7003",
      value: "2713301200",
      issue: {
        field: "ais.7003",
        value: "2713301200",
        rule: "yymmdd",
        position: 3,
        message:
          'AI (7003) EXPIRY TIME: component 1 "271330" at position 3: month 13 does not exist; ' +
          "months run 01 to 12 (rule yymmdd).",
      },
    },
    {
      ai: "7003",
      value: "2712302460",
      issue: {
        field: "ais.7003",
        value: "2712302460",
        rule: "hhmi",
        position: 7,
        message:
          'AI (7003) EXPIRY TIME: component 2 "2460" at position 1: an hour of 24 is past 23 ' +
          "(rule hhmi).",
      },
    },
    {
      ai: "01",
      value: "09506000134353",
      issue: {
        field: "ais.01",
        value: "09506000134353",
        rule: "csum",
        position: 14,
        message:
          'AI (01) GTIN: value "09506000134353" at position 14: the check digit is 3; the digits ' +
          "before it give 2 (rule csum).",
      },
    },
    {
      ai: "10",
      value: "LOT A",
      issue: {
        field: "ais.10",
        value: "LOT A",
        rule: "cset82",
        position: 4,
        message:
          'AI (10) BATCH/LOT: value "LOT A" at position 4: " " is not in set 82 (rule cset82).',
      },
    },
    {
      ai: "7003",
      value: "271230",
      issue: {
        field: "ais.7003",
        value: "271230",
        rule: "length",
        message:
          'AI (7003) EXPIRY TIME: value "271230" is 6 characters long, but format N6 N4 takes 10 ' +
          "(rule length).",
      },
    },
    {
      ai: "8008",
      value: "271230121",
      issue: {
        field: "ais.8008",
        value: "271230121",
        rule: "length",
        message:
          'AI (8008) PROD TIME: value "271230121" is 9 characters long, but format N6 N2 [N2] [N2] ' +
          "takes 8, 10 or 12 (rule length).",
      },
    },
    {
      ai: "10",
      value: "",
      issue: {
        field: "ais.10",
        value: "",
        rule: "length",
        message:
          'AI (10) BATCH/LOT: value "" is 0 characters long, but format X..20 takes 1 to 20 (rule length).',
      },
    },
    {
      ai: "10",
      value: "ABCDEFGHIJKLMNOPQRSTU",
      issue: {
        field: "ais.10",
        value: "ABCDEFGHIJKLMNOPQRSTU",
        rule: "length",
        message:
          'AI (10) BATCH/LOT: value "ABCDEFGHIJKLMNOPQRSTU" is 21 characters long, but format X..20 ' +
          "takes 1 to 20 (rule length).",
      },
    },
    {
      ai: "04",
      value: "1",
      issue: {
        field: "ais.04",
        value: "1",
        rule: "unknown_ai",
        message: "AI (04) is not in the GS1 Barcode Syntax Dictionary (rule unknown_ai).",
      },
    },
    {
      ai: "1A",
      value: "1",
      issue: {
        field: "ais.1A",
        value: "1",
        rule: "unknown_ai",
        message: '"1A" is not an AI: an AI is 2 to 4 digits (rule unknown_ai).',
      },
    },
  ])("reports ($ai) $value as $issue.rule", ({ ai, value, issue }) => {
    expect(validateElement(ai, value)).toEqual([issue]);
  });

  it("checks each component's character set, and content linters only when the length is right", () => {
    // 421 is N3,iso3166 X..9: "12A" is too short and its first component is not numeric.
    expect(validateElement("421", "12A").map((i) => [i.rule, i.position])).toEqual([
      ["length", undefined],
      ["csetnumeric", 3],
    ]);
    // A wrong length skips the date linter even where the digits would fail it.
    expect(validateElement("17", "279999").map((i) => i.rule)).toEqual(["yymmd0"]);
    expect(validateElement("17", "2799999").map((i) => i.rule)).toEqual(["length"]);
  });

  it("reports every failing linter of a component", () => {
    // 8003 is N1,zero N13,csum,gcppos1 [X..16]: a non-zero first digit and a bad check digit.
    const issues = validateElement("8003", "19506000134353");
    expect(issues.map((i) => [i.rule, i.position])).toEqual([
      ["zero", 1],
      ["csum", 14],
    ]);
    expect(issues[1].message).toMatch(
      /^AI \(8003\) GRAI: component 2 "9506000134353" at position 13:/,
    );
  });

  it("counts positions in code points", () => {
    const [issue] = validateElement("10", "\u{1F600}A B");
    expect(issue.position).toBe(1);
    expect(validateElement("10", "AB\u{1F600}").map((i) => i.position)).toEqual([3]);
  });

  it("places issues where the IssueSource says", () => {
    const issues = validateElement("17", "270632", {
      field: "element_string",
      value: "(17)270632",
      position: (p) => p + 4,
    });
    expect(issues).toEqual([
      expect.objectContaining({ field: "element_string", value: "(17)270632", position: 9 }),
    ]);
    expect(validateElement("04", "1", { field: null, at: 2 })[0]).toMatchObject({
      field: null,
      position: 2,
    });
    expect(aiField("7003").split(".")).toEqual(["ais", "7003"]);
  });

  // 00 is 2000 seen from 2026 (a leap year) but 2100 seen from 2060 (not one): GS1 §7.12.
  it("judges two-digit years from context.now, in the yymmd0 and yymmdd linters alike", () => {
    const in2060 = { now: new Date("2060-01-01T00:00:00Z") };
    const in2026 = { now: new Date("2026-05-01T00:00:00Z") };
    expect(validateElement("17", "000229", {}, in2026)).toEqual([]);
    expect(validateElement("17", "000229", {}, in2060).map((i) => [i.rule, i.position])).toEqual([
      ["yymmd0", 5],
    ]);
    expect(validateElement("7006", "000229", {}, in2060).map((i) => i.rule)).toEqual(["yymmdd"]);
  });

  it("can run or explicitly refuses every linter the dictionary names", () => {
    const named = new Set(AI_TABLE.flatMap((e) => e.components.flatMap((c) => c.linters)));
    for (const linter of named) {
      expect(linter in LINTERS || linter in UNSUPPORTED_LINTERS, linter).toBe(true);
    }
  });

  describe("with a linter we cannot run", () => {
    afterEach(() => {
      vi.doUnmock("../../../src/gs1/linters/index.js");
      vi.resetModules();
    });

    it("refuses the AI, saying why", async () => {
      vi.resetModules();
      vi.doMock("../../../src/gs1/linters/index.js", async (importOriginal) => {
        const real = await importOriginal<typeof import("../../../src/gs1/linters/index.js")>();
        const { couponcode: _coupon, hhmi: _hhmi, ...linters } = real.LINTERS;
        return {
          LINTERS: linters,
          UNSUPPORTED_LINTERS: { couponcode: "the coupon tables are not loaded" },
        };
      });
      const fresh = await import("../../../src/gs1/ai/validate.js");
      expect(fresh.validateElement("8110", "0")).toContainEqual({
        field: "ais.8110",
        value: "0",
        rule: "unsupported_linter",
        message:
          "AI (8110) cannot be accepted: its linter couponcode cannot be run here " +
          "(the coupon tables are not loaded) (rule unsupported_linter).",
      });
      // A linter in neither table is refused too; AIs without it are unaffected.
      expect(fresh.validateElement("7003", "2712301200").map((i) => i.message)).toEqual([
        "AI (7003) EXPIRY TIME cannot be accepted: its linter hhmi cannot be run here " +
          "(it is not implemented) (rule unsupported_linter).",
      ]);
      expect(fresh.validateElement("01", GTIN)).toEqual([]);
    });
  });
});

// Independent truth: zint 2.11's own GS1 linter reports the value position of the first fault.
describe("validateElement against zint 2.11", () => {
  it.each([
    ["01", "09506000134353"],
    ["7003", "2713301200"],
    ["7003", "2712302460"],
    ["10", "LOT A"],
    ["17", "270632"],
    ["8008", "271230121"],
    ["421", "12A"],
  ])("(%s) %s: same verdict and position", (ai, value) => {
    const zint = zintLint(`[01]${GTIN}[${ai}]${value}`);
    const [first] = validateElement(ai, value);
    const message = zint.message ?? "";
    if (/Invalid data length/.test(message)) {
      expect(first.rule).toBe("length");
    } else {
      expect(message).toMatch(new RegExp(`^Warning 261: AI \\(${ai}\\) position (\\d+):`));
      expect(first.position).toBe(Number(/position (\d+)/.exec(message)?.[1]));
    }
  });
});

describe("allowedLengths and describeFormat", () => {
  it.each([
    ["10", [[1, 20]], "X..20"],
    ["01", [[14, 14]], "N14"],
    ["253", [[13, 30]], "N13 [X..17]"],
    [
      "8008",
      [
        [8, 8],
        [10, 10],
        [12, 12],
      ],
      "N6 N2 [N2] [N2]",
    ],
    ["8043", [[18, 20]], "N18 [N..2]"],
    [
      "423",
      [
        [3, 3],
        [6, 6],
        [9, 9],
        [12, 12],
        [15, 15],
      ],
      "N3 [N3] [N3] [N3] [N3]",
    ],
  ])("(%s): %j, %s", (ai, lengths, format) => {
    const entry = aiEntry(ai);
    expect(allowedLengths(entry?.components ?? [])).toEqual(lengths);
    expect(describeFormat(entry?.components ?? [])).toBe(format);
  });
});

describe("elementIssue", () => {
  it("words and places an issue of a caller's own rule as validateElement places its own", () => {
    const source = {
      field: "element_string",
      value: "(17)270600",
      at: 1,
      position: (p: number) => p + 4,
    };
    expect(elementIssue(el("17", "270600"), source, "day_00", "Day 00 is refused", 5)).toEqual({
      field: "element_string",
      value: "(17)270600",
      rule: "day_00",
      position: 9,
      message: "Day 00 is refused (rule day_00).",
    });
    expect(elementIssue(el("17", "270600"), source, "whole", "About the element")).toMatchObject({
      position: 1,
    });
    expect(elementIssue(el("17", "270600"), {}, "x", "Default place")).toEqual({
      field: "ais.17",
      value: "270600",
      rule: "x",
      message: "Default place (rule x).",
    });
  });
});

describe("validateCombination", () => {
  it("accepts the usual pharmaceutical set and a GS1 General Specifications example", () => {
    expect(
      validateCombination([el("01", GTIN), el("17", "270630"), el("10", "ABC"), el("21", "1")]),
    ).toEqual([]);
    expect(validateCombination([el("01", GTIN), el("3103", "000195")])).toEqual([]);
    expect(validateCombination([el("01", GTIN), el("250", "X"), el("21", "1")])).toEqual([]);
  });

  it("refuses 21 with 235 (ex=235 on 21), once, on the AI that carries the attribute", () => {
    expect(validateCombination([el("01", GTIN), el("235", "T"), el("21", "1")])).toEqual([
      {
        field: "ais.21",
        value: "1",
        rule: "ex",
        message: "AI (21) SERIAL may not be used with AI (235) TPX (rule ex).",
      },
    ]);
  });

  it("refuses 10 without any of 01, 02, 03, 8006, 8026", () => {
    expect(validateCombination([el("10", "ABC")])).toEqual([
      {
        field: "ais.10",
        value: "ABC",
        rule: "req",
        message:
          "AI (10) BATCH/LOT requires AI (01), (02), (03), (8006) or (8026) as well (rule req).",
      },
    ]);
    for (const key of ["02", "03", "8006", "8026"]) {
      const issues = validateCombination([el(key, "1"), el("10", "ABC")]);
      expect(issues.filter((i) => i.field === "ais.10")).toEqual([]);
    }
  });

  it("refuses 250 unless 01 and 21 (or 03 or 8006 with 21) are both present", () => {
    const message =
      "AI (250) SECONDARY SERIAL requires AI (01) with (21), (03) with (21) or (8006) with (21) " +
      "as well (rule req).";
    expect(validateCombination([el("01", GTIN), el("250", "X")])).toEqual([
      { field: "ais.250", value: "X", rule: "req", message },
    ]);
    const withSerialOnly = validateCombination([el("250", "X"), el("21", "1")]);
    expect(withSerialOnly.map((i) => i.rule)).toEqual(["req", "req"]); // 21 lacks 01/03/8006 too
  });

  it("refuses two AIs of one family (3100-3105 ex=310n), but an AI never excludes itself", () => {
    const issues = validateCombination([
      el("01", GTIN),
      el("3102", "000001"),
      el("3103", "000001"),
    ]);
    expect(issues).toEqual([
      {
        field: "ais.3102",
        value: "000001",
        rule: "ex",
        message:
          "AI (3102) NET WEIGHT (kg) may not be used with AI (3103) NET WEIGHT (kg) (rule ex).",
      },
    ]);
    expect(validateCombination([el("01", GTIN), el("3103", "000001")])).toEqual([]);
    // Another family is fine: NET WEIGHT (kg) with GROSS WEIGHT (kg).
    expect(validateCombination([el("01", GTIN), el("3103", "1"), el("3303", "1")])).toEqual([]);
  });

  it("matches req patterns with n wildcards (3920-3929 req=01+30,01+31nn,...,01+35nn)", () => {
    const issues = (others: AiElement[]) =>
      validateCombination([el("01", GTIN), el("3922", "0299"), ...others]).filter(
        (i) => i.field === "ais.3922",
      );
    expect(issues([el("3512", "000001")])).toEqual([]);
    expect(issues([el("3103", "000001")])).toEqual([]); // 31nn
    expect(issues([el("3303", "000001")]).map((i) => i.rule)).toEqual(["req"]); // 33nn is not listed
    expect(issues([]).map((i) => i.rule)).toEqual(["req"]);
  });

  it("reports an excluded pair once even when both sides list each other (01 ex=255, 255 ex=01)", () => {
    const issues = validateCombination([el("01", GTIN), el("255", "9506000134352")]);
    expect(issues.map((i) => [i.field, i.rule])).toEqual([["ais.01", "ex"]]);
  });

  it("refuses a repeated AI on each later occurrence, with the IssueSource's position", () => {
    const elements = [el("01", GTIN), el("10", "A"), el("10", "A")];
    const issues = validateCombination(elements, (_e, i) => ({
      field: "element_string",
      value: "(01)…(10)A(10)A",
      at: i * 10 + 1,
    }));
    expect(issues).toEqual([
      {
        field: "element_string",
        value: "(01)…(10)A(10)A",
        rule: "repeated_ai",
        position: 21,
        message:
          "AI (10) BATCH/LOT appears more than once; each AI may appear only once (rule repeated_ai).",
      },
    ]);
  });

  it("skips unknown AIs (validateElement reports them)", () => {
    expect(validateCombination([el("01", GTIN), el("04", "1")])).toEqual([]);
  });
});
