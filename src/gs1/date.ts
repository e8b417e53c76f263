// YYMMDD dates with DD = 00 meaning the last day of the month (linter `yymmd0`: AI 17 expiry, AI 11
// production date and the other date AIs), and the century rule of GS1 General Specifications
// §7.12 that decides which February has 29 days.

/** A YYMMDD date that passed `yymmd0`, with its full year resolved. */
export interface Yymmd0Date {
  /** Four-digit year, chosen by resolveCentury. */
  year: number;
  /** Month, 1-12. */
  month: number;
  /** Day of the month, 1-31; for DD = 00 the last day of the month. */
  day: number;
  /** True when the value said DD = 00. */
  endOfMonth: boolean;
}

/** Options for checkYymmd0. */
export interface Yymmd0Options {
  /** Reject DD = 00 (regulated healthcare has banned it since 2025-01-01). Default false. */
  strict?: boolean;
  /** The date the century is judged from (its UTC year). Default: the current date. */
  now?: Date;
}

/**
 * The result of checkYymmd0: either the date, or why it fails. `month`: MM is not 01-12.
 * `day`: DD is beyond the last day of that month in that year. `day_00`: DD = 00 under `strict`.
 */
export type Yymmd0Check =
  | { ok: true; date: Yymmd0Date }
  | { ok: false; reason: "month"; month: number }
  | { ok: false; reason: "day"; year: number; month: number; day: number; daysInMonth: number }
  | { ok: false; reason: "day_00"; year: number; month: number };

/**
 * Returns the four-digit year for the two-digit year `yy` (0-99), per GS1 §7.12, relative to
 * the UTC year of `now` (default: the current date): a year 51 to 99 years ahead of the current
 * year falls in the previous century, one 50 to 99 years behind in the next, any other in the
 * current century. With now in 2024: 74 → 2074, 75 → 1975. Throws RangeError for other `yy`.
 */
export function resolveCentury(yy: number, now: Date = new Date()): number {
  if (!Number.isInteger(yy) || yy < 0 || yy > 99)
    throw new RangeError(`yy must be 0-99; got ${yy}`);
  const current = now.getUTCFullYear();
  const century = current - (((current % 100) + 100) % 100);
  const diff = yy - (current - century);
  if (diff >= 51) return century - 100 + yy;
  if (diff <= -50) return century + 100 + yy;
  return century + yy;
}

/** Returns true when `year` is a Gregorian leap year (2000 and 2024 are, 2100 and 2025 are not). */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The English month names, January first, for messages. */
export const MONTH_NAMES: readonly string[] = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** Returns the days (28-31) in `month` (1-12) of `year`; throws RangeError for another month. */
export function daysInMonth(year: number, month: number): number {
  if (!Number.isInteger(month) || month < 1 || month > 12)
    throw new RangeError(`month must be 1-12; got ${month}`);
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Checks `value`, exactly six ASCII digits YYMMDD, as a `yymmd0` date (AI 17, AI 11, ...): MM must
 * be 01-12 and DD 01 up to the last day of that month in the year resolveCentury gives
 * (`options.now`), or 00 (end of month) unless `options.strict`. Returns the resolved date or
 * the reason it fails. Throws RangeError if `value` is not six digits (the caller's format rule).
 */
export function checkYymmd0(value: string, options: Yymmd0Options = {}): Yymmd0Check {
  if (!/^[0-9]{6}$/.test(value))
    throw new RangeError(`yymmd0 needs six digits; got ${JSON.stringify(value)}`);
  const yy = Number(value.slice(0, 2));
  const month = Number(value.slice(2, 4));
  const day = Number(value.slice(4, 6));
  if (month < 1 || month > 12) return { ok: false, reason: "month", month };
  // The century only matters for February 29 (2000 is a leap year, 2100 is not), but it is
  // resolved for every date so the result carries a full year.
  const year = resolveCentury(yy, options.now);
  const last = daysInMonth(year, month);
  if (day === 0) {
    if (options.strict) return { ok: false, reason: "day_00", year, month };
    return { ok: true, date: { year, month, day: last, endOfMonth: true } };
  }
  if (day > last) return { ok: false, reason: "day", year, month, day, daysInMonth: last };
  return { ok: true, date: { year, month, day, endOfMonth: false } };
}
