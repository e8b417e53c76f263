import { describe, expect, it } from "vitest";
import {
  buildElementString,
  buildHriLines,
  candidateOrders,
  GS,
  orderForSymbol,
  parseBracketed,
  sourceInBracketed,
} from "../../../src/gs1/ai/element-string.js";
import { AI_TABLE } from "../../../src/gs1/ai/table.generated.js";
import type { AiElement } from "../../../src/gs1/ai/types.js";
import { allowedLengths, validateElement } from "../../../src/gs1/ai/validate.js";
import { decodeMatrix } from "../../helpers/decode.js";
import { zintGs1 } from "../../helpers/zint.js";

const GTIN = "09506000134352";
const el = (ai: string, value: string): AiElement => ({ ai, value });
const pairs = (elements: readonly AiElement[] | null) => elements?.map((e) => [e.ai, e.value]);

describe("parseBracketed", () => {
  it.each([
    {
      text: "(01)09506000134352(17)270630(10)ABC123",
      elements: [
        ["01", GTIN],
        ["17", "270630"],
        ["10", "ABC123"],
      ],
    },
    {
      text: "(10)A\\(1\\)B(21)x\\\\y",
      elements: [
        ["10", "A(1)B"],
        ["21", "x\\y"],
      ],
    },
    { text: "(21)\\(\\)", elements: [["21", "()"]] },
    {
      text: "(3103)000195(01)09506000134352",
      elements: [
        ["3103", "000195"],
        ["01", GTIN],
      ],
    },
  ])("reads $text in the given order", ({ text, elements }) => {
    const parsed = parseBracketed(text);
    expect(parsed.issues).toEqual([]);
    expect(pairs(parsed.elements)).toEqual(elements);
  });

  it("records where each element and each value character came from", () => {
    const { elements } = parseBracketed("(01)09506000134352(10)A\\(B");
    expect(elements?.[1]).toEqual({
      ai: "10",
      value: "A(B",
      position: 19,
      valuePositions: [23, 24, 26], // the escape \( counts from its backslash
    });
  });

  it.each([
    {
      text: "",
      rule: "empty",
      position: undefined,
      message: "element_string is empty (rule empty).",
    },
    {
      text: "01)1",
      rule: "syntax",
      position: 1,
      message:
        'element_string must start with an AI in parentheses, e.g. "(01)"; got "0" (rule syntax).',
    },
    {
      text: "(01",
      rule: "unbalanced",
      position: 1,
      message: 'The "(" at position 1 has no matching ")" (rule unbalanced).',
    },
    {
      text: "(10)A)B",
      rule: "unbalanced",
      position: 6,
      message:
        'The ")" at position 6 has no matching "("; write \\) for a parenthesis in a value (rule unbalanced).',
    },
    {
      text: "(1A)X",
      rule: "ai_digits",
      position: 2,
      message: '"(1A)" at position 1 is not an AI: an AI is 2 to 4 digits (rule ai_digits).',
    },
    {
      text: "(10)A(04)1",
      rule: "unknown_ai",
      position: 7,
      message:
        "AI (04) at position 6 is not in the GS1 Barcode Syntax Dictionary (rule unknown_ai).",
    },
    {
      text: "(10)(21)B",
      rule: "empty_value",
      position: 1,
      message: "AI (10) at position 1 has an empty value (rule empty_value).",
    },
    {
      text: "(10)A\\B",
      rule: "escape",
      position: 6,
      message: '"\\B" at position 6 is not an escape; write \\(, \\) or \\\\ (rule escape).',
    },
    {
      text: "(10)A\\",
      rule: "escape",
      position: 6,
      message: 'The "\\" at position 6 ends the text; write \\(, \\) or \\\\ (rule escape).',
    },
  ])("refuses $text ($rule)", ({ text, rule, position, message }) => {
    const parsed = parseBracketed(text);
    expect(parsed.elements).toBeNull();
    const issue: Record<string, unknown> = { field: "element_string", value: text, rule, message };
    if (position !== undefined) issue.position = position;
    expect(parsed.issues).toEqual([issue]);
  });

  it("reports every problem at once, under the caller's field", () => {
    const parsed = parseBracketed("(1)x(04)y(10)", "gs1");
    expect(parsed.issues.map((i) => [i.field, i.rule, i.position])).toEqual([
      ["gs1", "ai_digits", 2],
      ["gs1", "unknown_ai", 6],
      ["gs1", "empty_value", 10],
    ]);
  });

  it("counts positions in code points", () => {
    expect(parseBracketed("(10)\u{1F600})").issues[0].position).toBe(6);
  });

  it("lets validateElement point into the bracketed text (sourceInBracketed)", () => {
    const text = "(01)09506000134352(17)27\\)632";
    const parsed = parseBracketed(text);
    expect(parsed.issues).toEqual([]);
    const element = parsed.elements?.[1];
    if (!element) throw new Error("no element");
    const [issue] = validateElement(element.ai, element.value, sourceInBracketed(text, element));
    // "27)632": the ")" at value position 3 is the escape "\)" starting at text position 25.
    expect(issue).toMatchObject({
      field: "element_string",
      value: text,
      rule: "csetnumeric",
      position: 25,
    });
  });
});

describe("orderForSymbol and candidateOrders", () => {
  const mixed = [
    el("10", "ABC"),
    el("01", GTIN),
    el("21", "123"),
    el("17", "270630"),
    el("91", "Z"),
  ];

  it("puts predefined-length AIs first, keeping both groups' order", () => {
    expect(orderForSymbol(mixed).map((e) => e.ai)).toEqual(["01", "17", "10", "21", "91"]);
  });

  it("yields one order per variable-length element going last, the usual order first", () => {
    const orders = [...candidateOrders(mixed)].map((o) => o.map((e) => e.ai).join(" "));
    expect(orders).toEqual(["01 17 10 21 91", "01 17 21 91 10", "01 17 10 91 21"]);
  });

  it("yields a single order with fewer than two variable-length elements", () => {
    expect([...candidateOrders([el("17", "270630"), el("01", GTIN)])]).toHaveLength(1);
    expect([...candidateOrders([el("01", GTIN), el("10", "A")])]).toHaveLength(1);
  });

  it("throws RangeError for an AI not in the table", () => {
    expect(() => orderForSymbol([el("04", "1")])).toThrow(RangeError);
  });
});

describe("buildElementString", () => {
  // Hand-written from GS1 General Specifications §7.8.4-§7.8.5: no separator after 01, 17, 3103
  // (predefined length), one after a variable-length element unless it is last.
  it.each([
    { elements: [el("01", GTIN), el("3103", "000195")], expected: "01095060001343523103000195" },
    {
      elements: [el("01", GTIN), el("17", "270630"), el("10", "ABC123"), el("21", "XYZ")],
      expected: `01${GTIN}1727063010ABC123${GS}21XYZ`,
    },
    { elements: [el("10", "ABC123"), el("01", GTIN)], expected: `10ABC123${GS}01${GTIN}` },
    {
      elements: [el("7003", "2712302359"), el("01", GTIN)],
      expected: `70032712302359${GS}01${GTIN}`,
    },
  ])("$expected", ({ elements, expected }) => {
    expect(buildElementString(elements)).toBe(expected);
  });

  it.each([
    ["an unknown AI", [el("04", "1")]],
    ["an empty value", [el("10", "")]],
    ["a GS in a value", [el("10", `A${GS}21B`)]],
    ["a GTIN of 13 digits", [el("01", "9506000134352")]],
  ])("throws RangeError for %s", (_name, elements) => {
    expect(() => buildElementString(elements)).toThrow(RangeError);
  });
});

describe("buildHriLines", () => {
  const elements = [el("01", GTIN), el("17", "270630"), el("10", "ABC123"), el("8110", "0")];

  it("writes each AI in parentheses, a space and the value", () => {
    expect(buildHriLines(elements)).toEqual([
      "(01) 09506000134352",
      "(17) 270630",
      "(10) ABC123",
      "(8110) 0",
    ]);
  });

  it("puts the dictionary's data title first on request (none for an AI without one)", () => {
    expect(buildHriLines(elements, { titles: true })).toEqual([
      "GTIN (01) 09506000134352",
      "USE BY or EXPIRY (17) 270630",
      "BATCH/LOT (10) ABC123",
      "(8110) 0",
    ]);
  });
});

// Independent truth: zint 2.11 decides separators itself (from the AI's first two digits, GS1
// General Specifications Figure 7.8.5-2) and zxing-cpp decodes what it encoded.
describe("the element string against zint and zxing-cpp", () => {
  async function zintElementString(bracketed: string, extra: string[] = []): Promise<string> {
    const symbol = zintGs1(bracketed, ["--square", ...extra]);
    const decoded = await decodeMatrix(symbol.rows, symbol.columns, symbol.modules);
    expect(decoded.symbologyIdentifier).toBe("]d2");
    return decoded.text;
  }

  it.each([
    "(01)09506000134352(17)270630(10)ABC123(21)XYZ",
    "(01)09506000134352(3103)000195(10)LOT-1",
    "(10)ABC(21)123(01)09506000134352",
    "(01)09506000134352(7003)2712302359(8008)27123012",
  ])("zint --gs1parens %s, in our order, decodes to buildElementString", async (text) => {
    const parsed = parseBracketed(text);
    for (const order of candidateOrders(parsed.elements ?? [])) {
      const ours = order.map((e) => `(${e.ai})${e.value}`).join("");
      expect(await zintElementString(ours, ["--gs1parens"])).toBe(buildElementString(order));
    }
  });

  it("agrees on the separator after every AI of the table except 235 (zint 2.11 treats 23x as predefined)", async () => {
    // Each AI with a value of its shortest valid length, followed by (90) so that a missing or
    // extra separator shows; --gs1nocheck because zint 2.11 predates some AIs.
    const elements = AI_TABLE.filter((e) => e.ai !== "235").map((e) =>
      el(e.ai, "1".repeat(allowedLengths(e.components)[0][0])),
    );
    for (let start = 0; start < elements.length; start += 40) {
      const chunk = elements.slice(start, start + 40);
      const withTail = [...chunk, el("90", "X")];
      const bracketed = withTail.map((e) => `[${e.ai}]${e.value}`).join("");
      expect(await zintElementString(bracketed, ["--gs1nocheck"])).toBe(
        buildElementString(withTail),
      );
    }
  });

  it("documents the 235 difference: zint 2.11 writes no separator after it, the dictionary needs one", async () => {
    const elements = [el("01", GTIN), el("235", "TPX1"), el("90", "X")];
    const bracketed = elements.map((e) => `[${e.ai}]${e.value}`).join("");
    expect(await zintElementString(bracketed, ["--gs1nocheck"])).toBe(`01${GTIN}235TPX190X`);
    expect(buildElementString(elements)).toBe(`01${GTIN}235TPX1${GS}90X`);
  });
});
