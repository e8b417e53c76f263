// Payload (HTTP body, library or CLI input) → the GS1 fields of one symbol, with every problem
// found at once as Issues. Only gtin, lot, serial, expiry and strict_expiry are read here; the
// rendering options belong to src/render/options.ts and unknown keys are ignored.
import { type CharViolation, checkCset82, checkNumeric, codePointLength } from "./cset82.js";
import { checkYymmd0, daysInMonth } from "./date.js";
import { checkCsum, GTIN_LENGTHS } from "./gtin.js";
import { describeValue as describe, type Issue } from "./issues.js";

/** The validated GS1 content of a symbol; null means the element is absent. */
export interface Gs1Fields {
  /** AI (01): the GTIN as 14 digits (GTIN-8/12/13 left-padded with zeros), check digit verified. */
  gtin: string;
  /** AI (17): expiry date YYMMDD as given (DD may be 00 unless strict_expiry). */
  expiry: string | null;
  /** AI (10): lot or batch, 1-20 characters of set 82. */
  lot: string | null;
  /** AI (21): serial number, 1-20 characters of set 82. */
  serial: string | null;
}

/** Shortest lot (AI 10) or serial (AI 21), in characters. */
export const VARIABLE_FIELD_MIN = 1;
/** Longest lot (AI 10) or serial (AI 21), in characters (GS1 format X..20). */
export const VARIABLE_FIELD_MAX = 20;

const CSET82_NAME = "the GS1 AI encodable character set 82";

/**
 * Validates the GS1 fields of `input` and returns them normalised (GTIN-14) with every problem
 * found, never throwing. `fields` is null exactly when `issues` is non-empty.
 *
 * Rules (Issue.rule), checked independently per field so one call reports them all:
 * - `object_type` (field null): `input` is not a JSON object; the only issue then.
 * - `missing`: gtin absent. `string_type`: gtin not a string (null included), or lot, serial or
 *   expiry neither a string nor null. `boolean_type`: strict_expiry present but not a boolean.
 * - `digits` (with position): gtin or expiry holds a non-digit. `length`: gtin not 8, 12, 13 or
 *   14 characters; expiry not 6; lot or serial not 1-20 (the empty string is too short).
 * - `csum`: wrong GTIN check digit. `cset82` (with position): lot or serial holds a character
 *   outside set 82. `yymmd0`: month not 01-12 or day past the end of the month (leap years by
 *   the century of GS1 §7.12, judged from `now`, default the current date). `day_00`: expiry
 *   day 00 while strict_expiry is true.
 * - `lot_or_serial_required` (field null): neither lot nor serial given (absent or null).
 *
 * Character rules give one issue per field, positioned at the first offending character
 * (1-based, in code points), and say how many there are. Later checks that need earlier ones
 * (csum needs digits and length) are skipped when those fail.
 */
export function parseGs1Payload(
  input: unknown,
  now?: Date,
): { fields: Gs1Fields | null; issues: Issue[] } {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    const issue: Issue = {
      field: null,
      value: input,
      rule: "object_type",
      message: `The payload must be a JSON object; got ${describe(input)}.`,
    };
    return { fields: null, issues: [issue] };
  }
  const body = input as Record<string, unknown>;
  const issues: Issue[] = [];

  // Issues come out in the published field order; strict_expiry is read first because the
  // expiry check depends on it, and its own issue is appended after expiry's.
  const strictIssues: Issue[] = [];
  const strict = readStrict(body.strict_expiry, strictIssues);
  const gtin = readGtin(body.gtin, issues);
  const lot = readVariable("lot", "AI 10", body.lot, issues);
  const serial = readVariable("serial", "AI 21", body.serial, issues);
  const expiry = readExpiry(body.expiry, strict, now, issues);
  issues.push(...strictIssues);
  if (isAbsent(body.lot) && isAbsent(body.serial)) {
    issues.push({
      field: null,
      value: null,
      rule: "lot_or_serial_required",
      message: "At least one of lot or serial is required; both are absent.",
    });
  }

  if (issues.length > 0 || gtin === null) return { fields: null, issues };
  return { fields: { gtin, expiry, lot, serial }, issues };
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
}

function readStrict(value: unknown, issues: Issue[]): boolean {
  if (value === undefined) return false;
  if (typeof value === "boolean") return value;
  issues.push({
    field: "strict_expiry",
    value,
    rule: "boolean_type",
    message: `strict_expiry must be true or false; got ${describe(value)}.`,
  });
  return false;
}

/** Returns the GTIN-14, or null after recording why there is none. */
function readGtin(value: unknown, issues: Issue[]): string | null {
  if (value === undefined) {
    issues.push({
      field: "gtin",
      value,
      rule: "missing",
      message: "gtin is required but missing.",
    });
    return null;
  }
  if (typeof value !== "string") {
    issues.push({
      field: "gtin",
      value,
      rule: "string_type",
      message: `gtin must be a string; got ${describe(value)}.`,
    });
    return null;
  }
  const before = issues.length;
  pushCharIssue("gtin", value, checkNumeric(value), "digits", "non-digit character", issues);
  const length = codePointLength(value);
  if (!GTIN_LENGTHS.includes(length)) {
    issues.push({
      field: "gtin",
      value,
      rule: "length",
      message:
        `gtin ${JSON.stringify(value)} is ${characters(length)} long; ` +
        "a GTIN has 8, 12, 13 or 14 digits.",
    });
  }
  if (issues.length > before) return null;
  const csum = checkCsum(value);
  if (!csum.valid) {
    issues.push({
      field: "gtin",
      value,
      rule: "csum",
      message:
        `gtin ${JSON.stringify(value)} ends in check digit ${csum.checkDigit}, ` +
        `but the GS1 mod-10 check digit of the digits before it is ${csum.expected}.`,
    });
    return null;
  }
  return value.padStart(14, "0");
}

/** Returns the YYMMDD string, or null when absent or after recording why it is invalid. */
function readExpiry(
  value: unknown,
  strict: boolean,
  now: Date | undefined,
  issues: Issue[],
): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") {
    issues.push({
      field: "expiry",
      value,
      rule: "string_type",
      message: `expiry must be a string or null; got ${describe(value)}.`,
    });
    return null;
  }
  const before = issues.length;
  pushCharIssue("expiry", value, checkNumeric(value), "digits", "non-digit character", issues);
  const length = codePointLength(value);
  if (length !== 6) {
    issues.push({
      field: "expiry",
      value,
      rule: "length",
      message:
        `expiry ${JSON.stringify(value)} is ${characters(length)} long; ` +
        "an expiry date is 6 digits, YYMMDD.",
    });
  }
  if (issues.length > before) return null;
  const check = checkYymmd0(value, { strict, now });
  if (check.ok) return value;
  const quoted = JSON.stringify(value);
  let message: string;
  switch (check.reason) {
    case "month":
      message = `expiry ${quoted} has month ${pad2(check.month)}; a month is 01 to 12.`;
      break;
    case "day":
      message =
        `expiry ${quoted} has day ${pad2(check.day)}, ` +
        `but ${MONTHS[check.month - 1]} ${check.year} has ${check.daysInMonth} days.`;
      break;
    case "day_00": {
      const lastDay = daysInMonth(check.year, check.month);
      message =
        `expiry ${quoted} has day 00 (the last day of the month), which strict_expiry forbids; ` +
        `write the day itself, ${JSON.stringify(value.slice(0, 4) + lastDay)}.`;
      break;
    }
  }
  issues.push({
    field: "expiry",
    value,
    rule: check.reason === "day_00" ? "day_00" : "yymmd0",
    message,
  });
  return null;
}

/** Returns the lot or serial string, or null when absent or after recording why it is invalid. */
function readVariable(
  field: "lot" | "serial",
  ai: string,
  value: unknown,
  issues: Issue[],
): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") {
    issues.push({
      field,
      value,
      rule: "string_type",
      message: `${field} must be a string or null; got ${describe(value)}.`,
    });
    return null;
  }
  const before = issues.length;
  const length = codePointLength(value);
  if (length < VARIABLE_FIELD_MIN || length > VARIABLE_FIELD_MAX) {
    issues.push({
      field,
      value,
      rule: "length",
      message:
        `${field} ${JSON.stringify(value)} is ${characters(length)} long; ` +
        `${field} (${ai}) must be ${VARIABLE_FIELD_MIN} to ${VARIABLE_FIELD_MAX} characters.`,
    });
  }
  pushCharIssue(
    field,
    value,
    checkCset82(value),
    "cset82",
    `character outside ${CSET82_NAME}`,
    issues,
  );
  return issues.length > before ? null : value;
}

/**
 * Records one issue for the character violations of a field (none if there are none), at the
 * first offending position: `lot "LOT A" has a character outside ... at position 4: " ".`
 */
function pushCharIssue(
  field: string,
  value: string,
  violations: readonly CharViolation[],
  rule: string,
  what: string,
  issues: Issue[],
): void {
  const first = violations[0];
  if (!first) return;
  const shown = JSON.stringify(first.char);
  const quoted = JSON.stringify(value);
  const n = violations.length;
  const message =
    n === 1
      ? `${field} ${quoted} has a ${what} at position ${first.position}: ${shown}.`
      : `${field} ${quoted} has ${n} ${plural(what)}, ` +
        `the first at position ${first.position}: ${shown}.`;
  issues.push({ field, value, rule, position: first.position, message });
}

// "non-digit character" → "non-digit characters"; "character outside …" → "characters outside …".
function plural(what: string): string {
  return what.replace("character", "characters");
}

function characters(n: number): string {
  return n === 1 ? "1 character" : `${n} characters`;
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

const MONTHS = [
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
