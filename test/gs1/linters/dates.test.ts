import { describe, expect, it } from "vitest";
import {
  lintHh,
  lintHhmi,
  lintMi,
  lintSs,
  lintYymmd0,
  lintYymmdd,
  lintYyyymmd0,
  lintYyyymmdd,
} from "../../../src/gs1/linters/dates.js";
import { LINTERS } from "../../../src/gs1/linters/index.js";
import { checkCases, fail, type LintCase, pass } from "./cases.js";

// "engine" rows: unit tests of gs1/gs1-syntax-engine src/c-lib/syntax/lint_<name>.c, the
// reference the dictionary's docs/lint__<name>_8c.html pages document. The reference fixes the
// current year at 2021; with NOW in 2026 every one of its rows resolves to the same century.
const NOW = new Date("2026-05-01T12:00:00Z");

/** The YYMMDD rows lint_yymmd0.c and lint_yymmdd.c share. */
function shortDateCases(source: string): LintCase[] {
  return [
    pass("000606", source),
    pass("250606", source),
    pass("500606", source),
    pass("750606", source),
    pass("990606", source),
    pass("200131", source),
    fail("*x*00131", '"x" is not a digit', source),
    fail("2*x*0131", '"x" is not a digit', source),
    fail("20*x*131", '"x" is not a digit', source),
    fail("200*x*31", '"x" is not a digit', source),
    fail("2001*x*1", '"x" is not a digit', source),
    fail("20013*x*", '"x" is not a digit', source),
    fail("**", "has 0 characters", source),
    fail("*1*", "has 1 character", source),
    fail("*11111*", "has 5 characters", source),
    fail("*1111111*", "has 7 characters", source),
    fail("20*00*10", "Month 00 does not exist", source),
    fail("20*13*10", "Month 13 does not exist", source),
    fail("20*99*10", "Month 99 does not exist", source),
    fail("2001*32*", "January 2020 has 31 days", source),
    pass("200229", source),
    fail("2002*30*", "February 2020 has 29 days", source),
    fail("2004*31*", "April 2020 has 30 days", source),
    pass("201231", source),
    fail("2012*32*", "December 2020 has 31 days", source),
    pass("210228", source),
    fail("2102*29*", "February 2021 has 28 days", source),
    pass("240229", source),
    fail("2402*30*", "February 2024 has 29 days", source),
    pass("000229", `${source}: 2000 is a leap year`),
    fail("0002*30*", "February 2000 has 29 days", source),
    pass("960229", `${source}: YY 96 is 1996 (§7.12)`),
    fail("9602*30*", "February 1996 has 29 days", source),
  ];
}

describe("lintYymmd0 (yymmd0)", () => {
  checkCases(
    (v) => lintYymmd0(v, NOW),
    [
      ...shortDateCases("engine lint_yymmd0.c"),
      pass("200600", "engine lint_yymmd0.c: DD = 00 permitted"),
    ],
  );

  it("takes the century from §7.12: in 2060, YY 00 is 2100, which has no February 29", () => {
    // GS1 General Specifications §7.12: 2060 - 2100 = -40 years is within -49..+50.
    const fault = lintYymmd0("000229", new Date("2060-03-01T00:00:00Z"));
    expect(fault).toEqual({
      position: 5,
      detail: "Day 29 does not exist: February 2100 has 28 days.",
    });
  });
});

describe("lintYymmdd (yymmdd)", () => {
  checkCases(
    (v) => lintYymmdd(v, NOW),
    [
      ...shortDateCases("engine lint_yymmdd.c"),
      fail("2006*00*", "Day 00 is not allowed", "engine lint_yymmdd.c: DD = 00 forbidden"),
    ],
  );
});

describe("lintYyyymmdd (yyyymmdd)", () => {
  const E = "engine lint_yyyymmdd.c";
  checkCases(lintYyyymmdd, [
    pass("20000606", E),
    pass("19750606", E),
    pass("20200131", E),
    fail("*x*0200131", '"x" is not a digit', E),
    fail("2020013*x*", '"x" is not a digit', E),
    fail("**", "A YYYYMMDD date has 8 digits", E),
    fail("*1111111*", "has 7 characters", E),
    fail("*111111111*", "has 9 characters", E),
    fail("2020*00*10", "Month 00 does not exist", E),
    fail("2020*13*10", "Month 13 does not exist", E),
    fail("202001*32*", "January 2020 has 31 days", E),
    pass("20200229", E),
    fail("202002*30*", "February 2020 has 29 days", E),
    fail("202011*31*", "November 2020 has 30 days", E),
    fail("202102*29*", "February 2021 has 28 days", E),
    pass("20000229", E),
    pass("19960229", E),
    fail("200002*30*", "February 2000 has 29 days", E),
    fail("202006*00*", "Day 00 is not a day", `${E}: DD = 00 forbidden`),
    fail("210002*29*", "February 2100 has 28 days", "Gregorian rule: 2100 is not a leap year"),
  ]);
});

describe("lintYyyymmd0 (yyyymmd0)", () => {
  const E = "engine lint_yyyymmd0.c";
  checkCases(lintYyyymmd0, [
    pass("20200600", `${E}: DD = 00 permitted`),
    pass("24000229", `${E}: divisible by 400, a leap year`),
    fail("230002*29*", "February 2300 has 28 days", E),
    fail("2020*13*00", "Month 13 does not exist", "hand-made: the month is checked with DD = 00"),
    fail("*2020060*", "has 7 characters", "hand-made"),
  ]);
});

describe("lintHhmi (hhmi)", () => {
  const E = "engine lint_hhmi.c";
  checkCases(lintHhmi, [
    pass("0000", E),
    pass("2359", E),
    pass("2300", E),
    fail("*24*00", "An hour of 24 is past 23", E),
    pass("0059", E),
    fail("00*60*", "A minute of 60 is past 59", E),
    fail("*x*000", '"x" is not a digit', E),
    fail("0*x*00", '"x" is not a digit', E),
    fail("00*x*0", '"x" is not a digit', E),
    fail("000*x*", '"x" is not a digit', E),
    fail("**", "A time HHMI has 4 digits", E),
    fail("*111*", "has 3 characters", E),
    fail("*11111*", "has 5 characters", E),
  ]);
});

describe("lintHh, lintMi, lintSs (hh, mi, ss)", () => {
  describe("hh", () => {
    const E = "engine lint_hh.c";
    checkCases(lintHh, [
      pass("00", E),
      pass("23", E),
      fail("*24*", "past 23", E),
      fail("*x*0", "is not a digit", E),
      fail("0*x*", "is not a digit", E),
      fail("**", "An hour has 2 digits", E),
      fail("*1*", "has 1 character", E),
      fail("*111*", "has 3 characters", E),
    ]);
  });
  describe("mi", () => {
    const E = "engine lint_mi.c";
    checkCases(lintMi, [
      pass("00", E),
      pass("59", E),
      fail("*60*", "past 59", E),
      fail("*x*0", "is not a digit", E),
      fail("0*x*", "is not a digit", E),
      fail("**", "A minute has 2 digits", E),
      fail("*111*", "has 3 characters", E),
    ]);
  });
  describe("ss", () => {
    const E = "engine lint_ss.c";
    checkCases(lintSs, [
      pass("00", E),
      pass("59", E),
      fail("*60*", "past 59", E),
      fail("*x*0", "is not a digit", E),
      fail("**", "A second has 2 digits", E),
      fail("*1111*", "has 4 characters", E),
    ]);
  });
});

describe("LINTERS date entries", () => {
  it("judge from today's date and ignore extra arguments such as an array index", () => {
    // YY 24 resolves to 2024 or 2124 (§7.12), leap years both, so "240229" passes whenever
    // this runs; map() passes (value, index, array), which would break an unwrapped linter.
    expect(["240229", "200600"].map(LINTERS.yymmd0)).toEqual([null, null]);
    expect(LINTERS.yymmdd("200600")?.position).toBe(5);
  });
});
