// Date and time linters: yymmd0, yymmdd, yyyymmd0, yyyymmdd, hhmi, hh, mi, ss. Two-digit years
// take their century from GS1 General Specifications §7.12 (src/gs1/date.ts), which only decides
// whether February has 29 days.

import { codePointLength } from "../cset82.js";
import { checkYymmd0, daysInMonth, MONTH_NAMES } from "../date.js";
import { characters, faultAt, firstNonDigit, type LintFault } from "./fault.js";

/**
 * Lints `value` as YYMMDD where DD = 00 (no particular day) is allowed (linter `yymmd0`), judging
 * the century from `now` (default: the current date). Faults: the first non-digit among the six,
 * a length other than 6 (position 1), MM outside 01-12 (position 3), or DD past the end of the
 * month in the resolved year (position 5).
 */
export function lintYymmd0(value: string, now: Date = new Date()): LintFault {
  return lintShortDate(value, now, false);
}

/**
 * Lints `value` as YYMMDD like lintYymmd0, except that DD = 00 is a fault at position 5 (linter
 * `yymmdd`).
 */
export function lintYymmdd(value: string, now: Date = new Date()): LintFault {
  return lintShortDate(value, now, true);
}

function lintShortDate(value: string, now: Date, dayRequired: boolean): LintFault {
  const shape = lintDigitsOfLength(value, 6, "A YYMMDD date");
  if (shape) return shape;
  const check = checkYymmd0(value, { now, strict: dayRequired });
  if (check.ok) return null;
  if (check.reason === "month") return badMonth(value, 2, check.month);
  if (check.reason === "day_00") {
    return faultAt(value, 4, "Day 00 is not allowed here; the date needs a day of the month.");
  }
  return badDay(value, 4, check.day, check.month, check.year, check.daysInMonth);
}

/**
 * Lints `value` as a YYYYMMDD date with a real day (linter `yyyymmdd`). Faults: the first
 * non-digit among the eight, a length other than 8 (position 1), MM outside 01-12 (position 5),
 * DD = 00 or past the end of the month (position 7).
 */
export function lintYyyymmdd(value: string): LintFault {
  return lintLongDate(value, true);
}

/**
 * Lints `value` as YYYYMMDD like lintYyyymmdd, except that DD = 00 (no particular day) passes
 * (linter `yyyymmd0`, which the dictionary's docs define though this copy names no AI with it).
 */
export function lintYyyymmd0(value: string): LintFault {
  return lintLongDate(value, false);
}

function lintLongDate(value: string, dayRequired: boolean): LintFault {
  const shape = lintDigitsOfLength(value, 8, "A YYYYMMDD date");
  if (shape) return shape;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(4, 6));
  const day = Number(value.slice(6, 8));
  if (month < 1 || month > 12) return badMonth(value, 4, month);
  if (day === 0) {
    return dayRequired ? faultAt(value, 6, "Day 00 is not a day of the month.") : null;
  }
  const last = daysInMonth(year, month);
  return day > last ? badDay(value, 6, day, month, year, last) : null;
}

/**
 * Lints `value` as HHMI, hours 00-23 and minutes 00-59 (linter `hhmi`). Faults: a length other
 * than 4 (position 1), a non-digit, an hour over 23 (position 1) or a minute over 59 (position 3).
 */
export function lintHhmi(value: string): LintFault {
  if (value.length !== 4) return wrongLength(value, "A time HHMI", 4);
  const hour = lintHh(value.slice(0, 2));
  if (hour) return hour;
  const minute = lintMi(value.slice(2));
  return minute && { position: minute.position + 2, detail: minute.detail };
}

/** Lints `value` as an hour HH, 00-23 (linter `hh`): wrong length or over 23 at position 1. */
export function lintHh(value: string): LintFault {
  return lintTwoDigits(value, "An hour", 23);
}

/** Lints `value` as a minute MI, 00-59 (linter `mi`): wrong length or over 59 at position 1. */
export function lintMi(value: string): LintFault {
  return lintTwoDigits(value, "A minute", 59);
}

/** Lints `value` as a second SS, 00-59 (linter `ss`): wrong length or over 59 at position 1. */
export function lintSs(value: string): LintFault {
  return lintTwoDigits(value, "A second", 59);
}

function lintTwoDigits(value: string, what: string, max: number): LintFault {
  if (value.length !== 2) return wrongLength(value, what, 2);
  const nonDigit = firstNonDigit(value);
  if (nonDigit) return nonDigit;
  const n = Number(value);
  return n > max ? faultAt(value, 0, `${what} of ${value} is past ${max}.`) : null;
}

// The reference date linters look for a non-digit among the characters the format needs before
// they complain about length, so "2x0131" names the "x" rather than the length.
function lintDigitsOfLength(value: string, length: number, what: string): LintFault {
  return (
    firstNonDigit(value, length) ??
    (value.length === length ? null : wrongLength(value, what, length))
  );
}

function wrongLength(value: string, what: string, length: number): LintFault {
  const has = characters(codePointLength(value));
  return faultAt(value, 0, `${what} has ${length} digits; this value has ${has}.`);
}

function badMonth(value: string, index: number, month: number): LintFault {
  const mm = String(month).padStart(2, "0");
  return faultAt(value, index, `Month ${mm} does not exist; months run 01 to 12.`);
}

function badDay(
  value: string,
  index: number,
  day: number,
  month: number,
  year: number,
  last: number,
): LintFault {
  const dd = String(day).padStart(2, "0");
  const name = `${MONTH_NAMES[month - 1]} ${year}`;
  return faultAt(value, index, `Day ${dd} does not exist: ${name} has ${last} days.`);
}
