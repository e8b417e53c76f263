// The generated AI table against the dictionary text it comes from, and the generator itself.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DICTIONARY_PATH, parseDictionary, renderTable } from "../../../scripts/build-ai-table.mjs";
import { AI_DICTIONARY_RELEASE, AI_TABLE } from "../../../src/gs1/ai/table.generated.js";
import type { AiEntry } from "../../../src/gs1/ai/types.js";

const byAi = (ai: string) => AI_TABLE.find((e) => e.ai === ai);
const n = (min: number, max = min, linters: string[] = [], optional = false) => ({
  charset: "N" as const,
  min,
  max,
  optional,
  linters,
});
const x = (min: number, max = min, linters: string[] = [], optional = false) => ({
  ...n(min, max, linters, optional),
  charset: "X" as const,
});

// Written by hand from the lines of reference/gs1-syntax-dictionary.txt quoted in each `source`.
const ENTRIES: { source: string; entry: AiEntry }[] = [
  {
    source: "01  *?  N14,csum,gcppos2  ex=255,37 dlpkey=22,10,21|235  # GTIN",
    entry: {
      ai: "01",
      title: "GTIN",
      fixedLength: true,
      dlDataAttribute: true,
      components: [n(14, 14, ["csum", "gcppos2"])],
      req: [],
      ex: ["255", "37"],
      dlPrimaryKey: true,
      dlKeyQualifiers: [["22", "10", "21"], ["235"]],
    },
  },
  {
    source: "10  ?  X..20  req=01,02,03,8006,8026  # BATCH/LOT",
    entry: {
      ai: "10",
      title: "BATCH/LOT",
      fixedLength: false,
      dlDataAttribute: true,
      components: [x(1, 20)],
      req: [["01"], ["02"], ["03"], ["8006"], ["8026"]],
      ex: [],
      dlPrimaryKey: false,
      dlKeyQualifiers: [],
    },
  },
  {
    source: "17  *?  N6,yymmd0  req=01,02,03,255,8006,8026  # USE BY or EXPIRY",
    entry: {
      ai: "17",
      title: "USE BY or EXPIRY",
      fixedLength: true,
      dlDataAttribute: true,
      components: [n(6, 6, ["yymmd0"])],
      req: [["01"], ["02"], ["03"], ["255"], ["8006"], ["8026"]],
      ex: [],
      dlPrimaryKey: false,
      dlKeyQualifiers: [],
    },
  },
  {
    source: "21  X..20  req=01,03,8006 ex=235  # SERIAL",
    entry: {
      ai: "21",
      title: "SERIAL",
      fixedLength: false,
      dlDataAttribute: false,
      components: [x(1, 20)],
      req: [["01"], ["03"], ["8006"]],
      ex: ["235"],
      dlPrimaryKey: false,
      dlKeyQualifiers: [],
    },
  },
  {
    source: "235  X..28  req=01  # TPX",
    entry: {
      ai: "235",
      title: "TPX",
      fixedLength: false,
      dlDataAttribute: false,
      components: [x(1, 28)],
      req: [["01"]],
      ex: [],
      dlPrimaryKey: false,
      dlKeyQualifiers: [],
    },
  },
  {
    source: "3100-3105  *?  N6  req=01,02 ex=310n  # NET WEIGHT (kg)",
    entry: {
      ai: "3103",
      title: "NET WEIGHT (kg)",
      fixedLength: true,
      dlDataAttribute: true,
      components: [n(6)],
      req: [["01"], ["02"]],
      ex: ["310n"],
      dlPrimaryKey: false,
      dlKeyQualifiers: [],
    },
  },
  {
    source: "7003  ?  N6,yymmdd N4,hhmi  req=01,02,03  # EXPIRY TIME",
    entry: {
      ai: "7003",
      title: "EXPIRY TIME",
      fixedLength: false,
      dlDataAttribute: true,
      components: [n(6, 6, ["yymmdd"]), n(4, 4, ["hhmi"])],
      req: [["01"], ["02"], ["03"]],
      ex: [],
      dlPrimaryKey: false,
      dlKeyQualifiers: [],
    },
  },
  {
    source: "8200  X..70  req=01  # PRODUCT URL",
    entry: {
      ai: "8200",
      title: "PRODUCT URL",
      fixedLength: false,
      dlDataAttribute: false,
      components: [x(1, 70)],
      req: [["01"]],
      ex: [],
      dlPrimaryKey: false,
      dlKeyQualifiers: [],
    },
  },
  {
    source: "8008  ?  N6,yymmdd N2,hh [N2],mi [N2],ss  req=01,02,03  # PROD TIME",
    entry: {
      ai: "8008",
      title: "PROD TIME",
      fixedLength: false,
      dlDataAttribute: true,
      components: [
        n(6, 6, ["yymmdd"]),
        n(2, 2, ["hh"]),
        n(2, 2, ["mi"], true),
        n(2, 2, ["ss"], true),
      ],
      req: [["01"], ["02"], ["03"]],
      ex: [],
      dlPrimaryKey: false,
      dlKeyQualifiers: [],
    },
  },
  {
    source: "414  *?  N13,csum,gcppos1  dlpkey=254|7040  # LOC No.",
    entry: {
      ai: "414",
      title: "LOC No.",
      fixedLength: true,
      dlDataAttribute: true,
      components: [n(13, 13, ["csum", "gcppos1"])],
      req: [],
      ex: [],
      dlPrimaryKey: true,
      dlKeyQualifiers: [["254"], ["7040"]],
    },
  },
  {
    source: "8110  ?  X..70,couponcode   (no attributes, no title)",
    entry: {
      ai: "8110",
      title: "",
      fixedLength: false,
      dlDataAttribute: true,
      components: [x(1, 70, ["couponcode"])],
      req: [],
      ex: [],
      dlPrimaryKey: false,
      dlKeyQualifiers: [],
    },
  },
];

describe("AI_TABLE", () => {
  it("holds the 541 AIs of the dictionary: 164 single AIs and 60 ranges expanded (counted with awk)", () => {
    expect(AI_TABLE).toHaveLength(541);
    expect(AI_DICTIONARY_RELEASE).toBe("UNSET");
  });

  it("is in strictly increasing lexical order of the AI (no duplicates)", () => {
    for (let i = 1; i < AI_TABLE.length; i++) {
      expect(AI_TABLE[i - 1].ai < AI_TABLE[i].ai).toBe(true);
    }
  });

  it.each(ENTRIES)("has the entry of the line $source", ({ entry }) => {
    expect(byAi(entry.ai)).toEqual(entry);
  });

  it("expands ranges: 3100-3105 gives 3100..3105, 91-99 gives 91..99, 3900-3909 ten AIs", () => {
    const family = AI_TABLE.filter((e) => e.ai.startsWith("310")).map((e) => e.ai);
    expect(family).toEqual(["3100", "3101", "3102", "3103", "3104", "3105"]);
    expect(AI_TABLE.filter((e) => /^9[1-9]$/.test(e.ai))).toHaveLength(9);
    expect(AI_TABLE.filter((e) => e.ai.startsWith("390"))).toHaveLength(10);
    expect(byAi("3106")).toBeUndefined();
  });

  it("has the NHRN AIs 710 to 717, each X..20, req=01, a data attribute", () => {
    for (const ai of ["710", "711", "712", "713", "714", "715", "716", "717"]) {
      const entry = byAi(ai);
      expect(entry?.components).toEqual([x(1, 20)]);
      expect(entry?.req).toEqual([["01"]]);
      expect(entry?.dlDataAttribute).toBe(true);
      expect(entry?.title).toMatch(/^NHRN /);
    }
    expect(byAi("710")?.title).toBe("NHRN PZN");
    expect(byAi("715")?.title).toBe("NHRN NDC");
  });

  it("marks exactly the predefined-length prefixes of GS1 General Specifications Figure 7.8.5-2", () => {
    // 00-03 (04 is gone), 11-20 (no 14, 18, 19 today), 31-36 and 41: the "*" flag, nothing else.
    const fixed = AI_TABLE.filter((e) => e.fixedLength).map((e) => e.ai.slice(0, 2));
    for (const prefix of new Set(fixed)) {
      expect(prefix).toMatch(/^(0[0-4]|1[1-9]|20|3[1-6]|41)$/);
    }
    expect(
      AI_TABLE.filter((e) => /^(0[0-3]|1[1-7]|20|3[1-6]|41)/.test(e.ai) && !e.fixedLength),
    ).toEqual([]);
  });

  it("is deeply frozen", () => {
    const entry = AI_TABLE[0];
    expect(Object.isFrozen(AI_TABLE)).toBe(true);
    expect(Object.isFrozen(entry)).toBe(true);
    expect(Object.isFrozen(entry.components[0])).toBe(true);
    expect(Object.isFrozen(entry.components[0].linters)).toBe(true);
  });
});

describe("scripts/build-ai-table.mjs", () => {
  it("regenerates exactly the committed src/gs1/ai/table.generated.ts (--check)", () => {
    const run = spawnSync(process.execPath, ["scripts/build-ai-table.mjs", "--check"], {
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  it("renders the same source in process", () => {
    const text = readFileSync(DICTIONARY_PATH, "utf8");
    const source: string = renderTable(parseDictionary(text));
    const committed = readFileSync(
      new URL("../../../src/gs1/ai/table.generated.ts", import.meta.url),
      "utf8",
    );
    expect(source).toBe(committed);
    expect(source.split("\n")[0]).toMatch(/^\/\/ GENERATED by scripts\/build-ai-table\.mjs/);
  });

  it("reads optional components with linters inside or after the bracket", () => {
    const { entries } = parseDictionary(
      "98  ?  N3,iso3166 [N3],iso3166 [N2,mi]  # TEST\n99  X..20\n",
    );
    expect(entries[0].components).toEqual([
      n(3, 3, ["iso3166"]),
      n(3, 3, ["iso3166"], true),
      n(2, 2, ["mi"], true),
    ]);
    expect(entries[1]).toMatchObject({ ai: "99", title: "", fixedLength: false, req: [] });
  });

  it.each([
    ["an unknown flag", "10  !  X..20", /line 1: unknown flag "!"/],
    ["a variable component before the last", "10  X..20 N2", /component 1 varies in length/],
    ["a mandatory component after an optional one", "10  [N2] N2", /mandatory component 2/],
    ["an unknown attribute", "10  X..20 foo=1", /unknown attribute "foo=1"/],
    ["a second req=", "10  X..20 req=01 req=02", /a second req=/],
    ["a bad component", "10  Q..20", /"Q..20" is not a component/],
    ["a range of two widths", "91-100  X..90", /not a range of AIs of one width/],
    ["AIs out of order", "10  X..20\n01  N14", /AI 01 is duplicated or out of lexical order/],
    ["an empty req item", "10  X..20 req=01,,02", /empty item/],
  ])("refuses %s", (_name, text, message) => {
    expect(() => parseDictionary(text)).toThrow(message);
  });
});
