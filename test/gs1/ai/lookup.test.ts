import { describe, expect, it } from "vitest";
import { aiEntry, aiEntryAt, matchesAiPattern } from "../../../src/gs1/ai/lookup.js";
import { AI_TABLE } from "../../../src/gs1/ai/table.generated.js";

describe("aiEntry", () => {
  it("finds AIs of 2, 3 and 4 digits and nothing else", () => {
    expect(aiEntry("01")?.title).toBe("GTIN");
    expect(aiEntry("235")?.title).toBe("TPX");
    expect(aiEntry("3103")?.title).toBe("NET WEIGHT (kg)");
    for (const missing of ["", "1", "04", "31", "310", "3106", "01 ", "0１"]) {
      expect(aiEntry(missing)).toBeUndefined();
    }
  });
});

describe("aiEntryAt", () => {
  it("relies on no AI of the table being a prefix of another (GS1 General Specifications §3.1)", () => {
    const ais = new Set(AI_TABLE.map((e) => e.ai));
    const prefixed = AI_TABLE.filter((e) =>
      [2, 3].some((n) => n < e.ai.length && ais.has(e.ai.slice(0, n))),
    );
    expect(prefixed.map((e) => e.ai)).toEqual([]);
  });

  it.each([
    ["0109506000134352", 0, "01"],
    ["3103000195", 0, "3103"],
    ["235TPX", 0, "235"],
    ["0109506000134352" + "10ABC", 16, "10"],
    ["99X", 0, "99"],
  ])("finds the AI %s starts with at %i: (%s)", (data, offset, ai) => {
    expect(aiEntryAt(data, offset)?.ai).toBe(ai);
  });

  it.each([["310"], ["04123"], ["3"], [""], ["ABC"]])("finds no AI at the start of %j", (data) => {
    expect(aiEntryAt(data)).toBeUndefined();
  });
});

describe("matchesAiPattern", () => {
  it.each([
    ["3103", "310n", true],
    ["3100", "310n", true],
    ["3113", "310n", false],
    ["3512", "35nn", true],
    ["351", "35nn", false],
    ["01", "01", true],
    ["01", "02", false],
    ["3941", "394n", true],
  ])("%s against %s: %s", (ai, pattern, expected) => {
    expect(matchesAiPattern(ai, pattern)).toBe(expected);
  });
});
