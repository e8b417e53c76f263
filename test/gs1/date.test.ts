import { describe, expect, it } from "vitest";
import { checkYymmd0, daysInMonth, isLeapYear, resolveCentury } from "../../src/gs1/date.js";
import { zintLint } from "../helpers/zint.js";

const at = (iso: string) => new Date(iso);
// A fixed "now" for every row that is not about the century itself.
const NOW = at("2026-05-01T12:00:00Z");

// GS1 General Specifications §7.12, applied by hand: diff = YY - (current year mod 100);
// 51..99 → previous century, -99..-50 → next century, otherwise the current one.
const CENTURY = [
  { now: "2024-06-15", yy: 24, year: 2024, source: "diff 0" },
  { now: "2024-06-15", yy: 74, year: 2074, source: "diff 50: still ahead, current century" },
  { now: "2024-06-15", yy: 75, year: 1975, source: "diff 51: previous century" },
  { now: "2024-06-15", yy: 99, year: 1999, source: "diff 75: previous century" },
  { now: "2024-06-15", yy: 0, year: 2000, source: "diff -24" },
  { now: "2060-03-01", yy: 10, year: 2110, source: "diff -50: next century" },
  { now: "2060-03-01", yy: 11, year: 2011, source: "diff -49: current century" },
  { now: "2060-03-01", yy: 0, year: 2100, source: "diff -60: next century" },
  { now: "2000-01-01", yy: 50, year: 2050, source: "diff 50" },
  { now: "2000-01-01", yy: 51, year: 1951, source: "diff 51" },
  { now: "2099-12-31", yy: 49, year: 2149, source: "diff -50" },
  { now: "2099-12-31", yy: 50, year: 2050, source: "diff -49" },
  { now: "1999-07-01", yy: 0, year: 2000, source: "diff -99: next century" },
  { now: "1999-07-01", yy: 50, year: 1950, source: "diff -49" },
];

describe("resolveCentury", () => {
  it.each(CENTURY)("in $now, YY $yy is $year ($source)", ({ now, yy, year }) => {
    expect(resolveCentury(yy, at(`${now}T12:00:00Z`))).toBe(year);
  });

  it("judges from the UTC year of now", () => {
    // 2049-12-31 23:30 at UTC-5 is already 2050 in UTC: YY 00 is then 50 behind → 2100.
    expect(resolveCentury(0, at("2049-12-31T23:30:00-05:00"))).toBe(2100);
    expect(resolveCentury(0, at("2049-12-31T23:30:00Z"))).toBe(2000);
  });

  it("defaults to the current date", () => {
    const current = new Date().getUTCFullYear();
    expect(resolveCentury(current % 100)).toBe(current);
  });

  it.each([-1, 100, 1.5, Number.NaN])("throws RangeError for yy %d", (yy) => {
    expect(() => resolveCentury(yy, NOW)).toThrow(RangeError);
  });
});

describe("isLeapYear and daysInMonth", () => {
  it.each([
    [2024, true],
    [2025, false],
    [2000, true],
    [1900, false],
    [2100, false],
    [2400, true],
  ])("%i is a leap year: %s (Gregorian rule)", (year, leap) => {
    expect(isLeapYear(year)).toBe(leap);
    expect(daysInMonth(year, 2)).toBe(leap ? 29 : 28);
  });

  it("gives 31/30 days for the other months", () => {
    expect([1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2027, m))).toEqual([
      31, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
    ]);
  });

  it.each([0, 13, 1.5])("throws RangeError for month %d", (month) => {
    expect(() => daysInMonth(2027, month)).toThrow(RangeError);
  });
});

// AI 17 values with NOW = 2026-05-01 unless the row says otherwise. `date` is the resolved date
// or `problem` the failure; `zint` says whether zint 2.11's yymmd0 linter is asked too.
const DATES = [
  {
    value: "270630",
    date: { year: 2027, month: 6, day: 30, endOfMonth: false },
    source: "published API example",
  },
  {
    value: "240229",
    date: { year: 2024, month: 2, day: 29, endOfMonth: false },
    source: "leap year",
  },
  {
    value: "250229",
    problem: { reason: "day", year: 2025, month: 2, day: 29, daysInMonth: 28 },
    source: "not a leap year",
  },
  {
    value: "000229",
    date: { year: 2000, month: 2, day: 29, endOfMonth: false },
    source: "2000 is a leap year",
  },
  {
    value: "960229",
    date: { year: 1996, month: 2, day: 29, endOfMonth: false },
    source: "YY 96 is 70 ahead: 1996",
  },
  {
    value: "270131",
    date: { year: 2027, month: 1, day: 31, endOfMonth: false },
    source: "31-day month",
  },
  {
    value: "271231",
    date: { year: 2027, month: 12, day: 31, endOfMonth: false },
    source: "31-day month",
  },
  {
    value: "270132",
    problem: { reason: "day", year: 2027, month: 1, day: 32, daysInMonth: 31 },
    source: "day 32",
  },
  {
    value: "270631",
    problem: { reason: "day", year: 2027, month: 6, day: 31, daysInMonth: 30 },
    source: "30-day month",
  },
  {
    value: "270431",
    problem: { reason: "day", year: 2027, month: 4, day: 31, daysInMonth: 30 },
    source: "30-day month",
  },
  {
    value: "270931",
    problem: { reason: "day", year: 2027, month: 9, day: 31, daysInMonth: 30 },
    source: "30-day month",
  },
  {
    value: "271131",
    problem: { reason: "day", year: 2027, month: 11, day: 31, daysInMonth: 30 },
    source: "30-day month",
  },
  { value: "279901", problem: { reason: "month", month: 99 }, source: "month 99" },
  { value: "271301", problem: { reason: "month", month: 13 }, source: "month 13" },
  { value: "270001", problem: { reason: "month", month: 0 }, source: "month 00" },
  {
    value: "271300",
    problem: { reason: "month", month: 13 },
    source: "month checked before day 00",
  },
  {
    value: "270600",
    date: { year: 2027, month: 6, day: 30, endOfMonth: true },
    source: "DD 00: last day of June",
  },
  {
    value: "240200",
    date: { year: 2024, month: 2, day: 29, endOfMonth: true },
    source: "DD 00 in a leap February",
  },
  {
    value: "250200",
    date: { year: 2025, month: 2, day: 28, endOfMonth: true },
    source: "DD 00 in a common February",
  },
  {
    value: "271200",
    date: { year: 2027, month: 12, day: 31, endOfMonth: true },
    source: "DD 00 in December",
  },
] as const;

describe("checkYymmd0", () => {
  it.each(DATES)("$value: $source", (row) => {
    const check = checkYymmd0(row.value, { now: NOW });
    if ("date" in row) expect(check).toEqual({ ok: true, date: row.date });
    else expect(check).toEqual({ ok: false, ...row.problem });
  });

  it.each(DATES.filter((row) => row.value.endsWith("00") && "date" in row))(
    "$value: DD 00 is refused when strict",
    ({ value }) => {
      const year = 2000 + Number(value.slice(0, 2));
      const month = Number(value.slice(2, 4));
      expect(checkYymmd0(value, { now: NOW, strict: true })).toEqual({
        ok: false,
        reason: "day_00",
        year,
        month,
      });
      expect(checkYymmd0(value, { now: NOW, strict: false }).ok).toBe(true);
    },
  );

  it("leaves other dates alone when strict", () => {
    expect(checkYymmd0("270630", { now: NOW, strict: true }).ok).toBe(true);
  });

  it("decides February 29 of YY 00 by the century of now", () => {
    // In 2026, 00 is 2000 (leap); in 2060 it is 60 years behind, so 2100 (not leap).
    expect(checkYymmd0("000229", { now: at("2026-05-01T00:00:00Z") }).ok).toBe(true);
    expect(checkYymmd0("000229", { now: at("2060-01-01T00:00:00Z") })).toEqual({
      ok: false,
      reason: "day",
      year: 2100,
      month: 2,
      day: 29,
      daysInMonth: 28,
    });
    expect(checkYymmd0("000200", { now: at("2060-01-01T00:00:00Z") })).toEqual({
      ok: true,
      date: { year: 2100, month: 2, day: 28, endOfMonth: true },
    });
  });

  it.each(["", "27063", "2706300", "27-630", "27O630", "２７０６３０"])(
    "throws RangeError for %j",
    (value) => {
      expect(() => checkYymmd0(value, { now: NOW })).toThrow(RangeError);
    },
  );

  // zint's yymmd0 linter: valid and DD-00 dates pass, a bad month is flagged at position 3,
  // a bad day at position 5. zint has no `now`: only 000229 could depend on the century, and
  // there zint agrees with NOW's answer (2000, a leap year).
  it.each(DATES)("agrees with zint on $value", ({ value }) => {
    const verdict = zintLint(`[01]00012345678905[17]${value}[10]A`);
    const check = checkYymmd0(value, { now: NOW });
    if (check.ok) expect(verdict.message).toBeNull();
    else if (check.reason === "month")
      expect(verdict.message).toMatch(/AI \(17\) position 3: Invalid month/);
    else expect(verdict.message).toMatch(/AI \(17\) position 5: Invalid day/);
  });
});
