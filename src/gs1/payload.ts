// Payload (HTTP body, library or CLI input) → the GS1 fields of one symbol, with every problem
// found at once as Issues. Only gtin, lot, serial, expiry and strict_expiry are read here; the
// rendering options belong to src/render/options.ts and unknown keys are ignored.

import { describeValue as describe, type Issue } from "../issues.js";
import { readBoolean, readEnum, readText } from "../read-field.js";
import { DATA_FORMATS, type DataFormat, DEFAULT_DL_BASE_URL } from "../request-schema.js";
import { buildDigitalLinkUri } from "./ai/digital-link.js";
import { parseBracketed, sourceInBracketed } from "./ai/element-string.js";
import type { AiElement } from "./ai/types.js";
import { type IssueSource, validateCombination, validateElement } from "./ai/validate.js";
import { type CharViolation, checkCset82, checkNumeric, codePointLength } from "./cset82.js";
import { checkYymmd0, daysInMonth } from "./date.js";
import { checkCsum, GTIN_LENGTHS } from "./gtin.js";

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

/**
 * The GS1 data of a symbol: its elements, and whether their order is the caller's (an
 * element_string) or the encoder's to choose (named fields and ais: smallest symbol wins).
 */
export interface Gs1Data {
  elements: AiElement[];
  keepOrder: boolean;
  /** The GS1 Digital Link URI to encode instead, when data_format is "digital_link". */
  digitalLink: string | null;
}

/** What parseGs1Payload finds: the data (null when there are issues) and every issue. */
export interface ParsedGs1 {
  /** The four published named fields, normalised; null in element_string mode or on issues. */
  fields: Gs1Fields | null;
  data: Gs1Data | null;
  issues: Issue[];
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
export function parseGs1Payload(input: unknown, now?: Date): ParsedGs1 {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    const issue: Issue = {
      field: null,
      value: input,
      rule: "object_type",
      message: `The payload must be a JSON object; got ${describe(input)}.`,
    };
    return { fields: null, data: null, issues: [issue] };
  }
  const body = input as Record<string, unknown>;
  const issues: Issue[] = [];

  const dataFormat = readEnum(body, "data_format", DATA_FORMATS, "element_string", issues);
  const dlBaseUrl = readText(body, "dl_base_url", DEFAULT_DL_BASE_URL, issues);
  if (!isAbsent(body.element_string)) {
    const data = readElementString(body, issues);
    return finish(null, data, dataFormat, dlBaseUrl, issues);
  }

  // Issues come out in the published field order; strict_expiry is read first because the
  // expiry check depends on it, and its own issue is appended after expiry's.
  const strictIssues: Issue[] = [];
  const strict = readBoolean(body, "strict_expiry", false, strictIssues);
  const gtin = readGtin(body.gtin, issues);
  const lot = readVariable("lot", "AI 10", body.lot, issues);
  const serial = readVariable("serial", "AI 21", body.serial, issues);
  const expiry = readDate("expiry", body.expiry, strict, now, issues);
  const productionDate = readDate("production_date", body.production_date, false, now, issues);
  issues.push(...strictIssues);

  // The named fields as elements, each issue pointing at its field; then the further AIs.
  const named: SourcedElement[] = [];
  const add = (ai: string, value: string | null, field: string) => {
    if (value !== null) named.push({ ai, value, source: { field } });
  };
  add("01", gtin, "gtin");
  add("11", productionDate, "production_date");
  add("17", expiry, "expiry");
  add("10", lot, "lot");
  add("21", serial, "serial");
  const further = readAis(body.ais, named, issues);
  const all = [...named, ...further];
  if (
    isAbsent(body.lot) &&
    isAbsent(body.serial) &&
    !further.some((e) => LOT_OR_SERIAL.has(e.ai))
  ) {
    issues.push({
      field: null,
      value: null,
      rule: "lot_or_serial_required",
      message: "At least one of lot or serial is required; both are absent.",
    });
  }
  if (gtin !== null && issues.length === 0) {
    issues.push(...validateCombination(all, (e) => (e as SourcedElement).source));
  }
  const fields = gtin === null ? null : { gtin, expiry, lot, serial };
  return finish(fields, { elements: all, keepOrder: false }, dataFormat, dlBaseUrl, issues);
}

/** An element with where its issues point (a named field, ais.<ai>, or the element string). */
interface SourcedElement extends AiElement {
  source: IssueSource;
}

const LOT_OR_SERIAL = new Set(["10", "21"]);
const NAMED_AIS: Readonly<Record<string, string>> = {
  "01": "gtin",
  "11": "production_date",
  "17": "expiry",
  "10": "lot",
  "21": "serial",
};

// Builds the Digital Link URI when asked for (its own rules: a primary key, attributes) and
// settles the result: data only when nothing at all was wrong.
function finish(
  fields: Gs1Fields | null,
  data: { elements: SourcedElement[]; keepOrder: boolean } | null,
  dataFormat: DataFormat,
  dlBaseUrl: string,
  issues: Issue[],
): ParsedGs1 {
  let digitalLink: string | null = null;
  if (data !== null && issues.length === 0 && dataFormat === "digital_link") {
    const built = buildDigitalLinkUri(
      data.elements,
      dlBaseUrl,
      (e) => (e as SourcedElement).source,
    );
    for (const issue of built.issues) {
      issues.push(issue.field === "base_url" ? { ...issue, field: "dl_base_url" } : issue);
    }
    digitalLink = built.uri;
  }
  if (issues.length > 0 || data === null) return { fields: null, data: null, issues };
  const elements = data.elements.map(({ ai, value }) => ({ ai, value }));
  return { fields, data: { elements, keepOrder: data.keepOrder, digitalLink }, issues };
}

/** Reads `ais`: an object of AI → value strings, each validated against the dictionary. */
function readAis(value: unknown, named: readonly AiElement[], issues: Issue[]): SourcedElement[] {
  if (isAbsent(value)) return [];
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    issues.push({
      field: "ais",
      value,
      rule: "object_type",
      message: `ais must be an object of AI → value strings, e.g. {"7003": "2706301200"}; got ${describe(value)}.`,
    });
    return [];
  }
  const out: SourcedElement[] = [];
  for (const [ai, v] of Object.entries(value as Record<string, unknown>)) {
    const field = `ais.${ai}`;
    if (typeof v !== "string") {
      issues.push({
        field,
        value: v,
        rule: "string_type",
        message: `ais.${ai} must be a string; got ${describe(v)}.`,
      });
      continue;
    }
    if (named.some((e) => e.ai === ai)) {
      issues.push({
        field,
        value: v,
        rule: "repeated_ai",
        message: `AI (${ai}) is given twice: as ${NAMED_AIS[ai]} and in ais (rule repeated_ai).`,
      });
      continue;
    }
    const found = validateElement(ai, v, { field });
    issues.push(...found);
    if (found.length === 0) out.push({ ai, value: v, source: { field } });
  }
  return out;
}

/** Reads `element_string` (bracketed form), alone: any named field or ais beside it is an issue. */
function readElementString(
  body: Record<string, unknown>,
  issues: Issue[],
): { elements: SourcedElement[]; keepOrder: boolean } | null {
  const text = body.element_string;
  const beside = Object.keys(NAMED_FIELDS_AND_AIS).filter((f) => !isAbsent(body[f]));
  if (beside.length > 0) {
    issues.push({
      field: "element_string",
      value: text,
      rule: "exclusive",
      message:
        `element_string replaces the named fields and ais, but ${beside.join(", ")} ` +
        `${beside.length === 1 ? "is" : "are"} given too; send one or the other.`,
    });
  }
  if (typeof text !== "string") {
    issues.push({
      field: "element_string",
      value: text,
      rule: "string_type",
      message: `element_string must be a string or null; got ${describe(text)}.`,
    });
    return null;
  }
  const parsed = parseBracketed(text);
  issues.push(...parsed.issues);
  if (parsed.elements === null) return null;
  const elements = parsed.elements.map((e) => ({
    ai: e.ai,
    value: e.value,
    source: sourceInBracketed(text, e),
  }));
  const before = issues.length;
  for (const e of elements) issues.push(...validateElement(e.ai, e.value, e.source));
  if (issues.length === before) {
    issues.push(...validateCombination(elements, (e) => (e as SourcedElement).source));
  }
  return { elements, keepOrder: true };
}

const NAMED_FIELDS_AND_AIS = {
  gtin: 1,
  lot: 1,
  serial: 1,
  expiry: 1,
  production_date: 1,
  ais: 1,
} as const;

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
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
function readDate(
  field: "expiry" | "production_date",
  value: unknown,
  strict: boolean,
  now: Date | undefined,
  issues: Issue[],
): string | null {
  const what = field === "expiry" ? "an expiry date" : "a production date";
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
  pushCharIssue(field, value, checkNumeric(value), "digits", "non-digit character", issues);
  const length = codePointLength(value);
  if (length !== 6) {
    issues.push({
      field,
      value,
      rule: "length",
      message:
        `${field} ${JSON.stringify(value)} is ${characters(length)} long; ` +
        `${what} is 6 digits, YYMMDD.`,
    });
  }
  if (issues.length > before) return null;
  const check = checkYymmd0(value, { strict, now });
  if (check.ok) return value;
  const quoted = JSON.stringify(value);
  let message: string;
  switch (check.reason) {
    case "month":
      message = `${field} ${quoted} has month ${pad2(check.month)}; a month is 01 to 12.`;
      break;
    case "day":
      message =
        `${field} ${quoted} has day ${pad2(check.day)}, ` +
        `but ${MONTHS[check.month - 1]} ${check.year} has ${check.daysInMonth} days.`;
      break;
    case "day_00": {
      const lastDay = daysInMonth(check.year, check.month);
      message =
        `${field} ${quoted} has day 00 (the last day of the month), which strict_expiry forbids; ` +
        `write the day itself, ${JSON.stringify(value.slice(0, 4) + lastDay)}.`;
      break;
    }
  }
  issues.push({
    field,
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
