// Payload (HTTP body, library or CLI input) → the GS1 elements of one symbol, with every problem
// found at once as Issues. The named fields (gtin, lot, serial, expiry, production_date) are AI
// elements with a field of their own: every element, however it was sent, is judged by the GS1
// Barcode Syntax Dictionary (ai/validate.ts and linters/). Only the rules about the payload itself
// live here: gtin present unless element_string, lot or serial, strict_expiry, and element_string
// instead of (never beside) the named fields and ais. The rendering options belong to
// src/render/parse-options.ts; unknown keys are ignored.

import { describeValue as describe, type Issue } from "../issues.js";
import { fieldOf, readBoolean, readEnum, readText } from "../read-field.js";
import { buildDigitalLinkUri, DEFAULT_DL_BASE_URL } from "./ai/digital-link.js";
import { parseBracketed, sourceInBracketed } from "./ai/element-string.js";
import { aiEntry } from "./ai/lookup.js";
import type { AiElement } from "./ai/types.js";
import {
  elementIssue,
  type IssueSource,
  label,
  validateCombination,
  validateElement,
} from "./ai/validate.js";
import { daysInMonth, resolveCentury } from "./date.js";
import { GTIN_LENGTHS, toGtin14 } from "./gtin.js";

/** The two data formats a symbol can carry: a GS1 element string (]d2) or a Digital Link URI. */
export const DATA_FORMATS = ["element_string", "digital_link"] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];

/**
 * The named fields and the AI each one is, in the published field order (the order their issues
 * come out in). The one place the named-field ↔ AI mapping is written.
 */
export const NAMED_FIELDS = [
  { field: "gtin", ai: "01" },
  { field: "lot", ai: "10" },
  { field: "serial", ai: "21" },
  { field: "expiry", ai: "17" },
  { field: "production_date", ai: "11" },
] as const;
export type NamedField = (typeof NAMED_FIELDS)[number]["field"];

/**
 * The GS1 data of a symbol: its elements, and whether their order is the caller's (an
 * element_string) or the encoder's to choose (named fields and ais: smallest symbol wins).
 */
export interface Gs1Data {
  elements: AiElement[];
  keepOrder: boolean;
  /** The GS1 Digital Link URI to encode instead, when data_format is "digital_link". */
  digitalLink: string | null;
  /** The resolver the Digital Link URI starts with (dl_base_url), when there is one. */
  dlBaseUrl?: string;
}

/** What parseGs1Payload finds: the data (null when there are issues) and every issue. */
export interface ParsedGs1 {
  data: Gs1Data | null;
  issues: Issue[];
}

/**
 * Validates the GS1 part of `input` and returns its elements (gtin as GTIN-14) with every problem
 * found, never throwing. `data` is null exactly when `issues` is non-empty. `now` is the date
 * two-digit years take their century from (GS1 §7.12; default the current date).
 *
 * Every element (a named field, an entry of `ais`, an element of `element_string`) is judged by
 * validateElement, so a bad value gets the same rule and message whichever way it came; only
 * Issue.field (and Issue.position inside an element_string) differ. Payload rules (Issue.rule):
 * - `object_type` (field null): `input` is not a JSON object; the only issue then. `object_type`
 *   on `ais` when it is not an object.
 * - `missing`: gtin absent (without element_string). `string_type`: gtin not a string (null
 *   included); lot, serial, expiry, production_date or element_string neither a string nor null;
 *   a value in `ais` not a string. `boolean_type`: strict_expiry present but not a boolean.
 * - `day_00`: AI (17) with day 00 while strict_expiry is true, wherever AI (17) was given.
 * - `lot_or_serial_required` (field null): neither lot nor serial, nor AI (10) or (21) in ais.
 * - `repeated_ai`: an AI given both as a named field and in ais.
 * - `exclusive`: element_string beside any named field or ais.
 * gtin may have 8, 12, 13 or 14 digits: all-digit GTIN-8/12/13 are left-padded to the GTIN-14 of
 * AI (01) before judging (messages quote that GTIN-14; Issue.position counts in what was sent).
 * Issues come in the published field order, then ais, then the payload-wide rules.
 * `defaultFormat` is data_format when absent: element_string for DataMatrix, digital_link for QR.
 */
export function parseGs1Payload(
  input: unknown,
  now?: Date,
  defaultFormat: DataFormat = "element_string",
): ParsedGs1 {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    const issue: Issue = {
      field: null,
      value: input,
      rule: "object_type",
      message: `The payload must be a JSON object; got ${describe(input)}.`,
    };
    return { data: null, issues: [issue] };
  }
  const body = input as Record<string, unknown>;
  const issues: Issue[] = [];
  const context = { now };

  const dataFormat = readEnum(body, "data_format", DATA_FORMATS, defaultFormat, issues);
  const dlBaseUrl = readText(body, "dl_base_url", DEFAULT_DL_BASE_URL, issues);
  // strict_expiry is read first because the AI (17) check depends on it; its own issue follows
  // those of the fields, in the published order.
  const strictIssues: Issue[] = [];
  const strict = readBoolean(body, "strict_expiry", false, strictIssues);

  let data: { elements: SourcedElement[]; keepOrder: boolean } | null;
  if (!isAbsent(fieldOf(body, "element_string"))) {
    data = readElementString(body, context, issues);
    issues.push(...strictIssues);
  } else {
    const named = readNamedFields(body, context, issues);
    issues.push(...strictIssues);
    const further = readAis(body, context, issues);
    const elements = [...named, ...further];
    if (!hasLotOrSerial(body)) {
      issues.push({
        field: null,
        value: null,
        rule: "lot_or_serial_required",
        message: "At least one of lot or serial is required; both are absent.",
      });
    }
    data = { elements, keepOrder: false };
  }
  if (data !== null) {
    if (strict) issues.push(...checkStrictExpiry(data.elements, now));
    if (issues.length === 0) issues.push(...validateCombination(data.elements, sourceOf));
  }
  return finish(data, dataFormat, dlBaseUrl, issues);
}

/** An element with where its issues point (a named field, ais.<ai>, or the element string). */
interface SourcedElement extends AiElement {
  source: IssueSource;
}

const sourceOf = (e: AiElement): IssueSource => (e as SourcedElement).source;

// The order the named elements have always been handed to the encoder in (AI 01, 11, 17, 10,
// 21), kept so a payload's symbol, and with it its ETag, stays byte for byte the same.
const ENCODING_ORDER = ["01", "11", "17", "10", "21"];

/**
 * Reads the named fields as elements, each judged by the dictionary as its AI; returns those that
 * passed, in ENCODING_ORDER. A field that is absent or null is no element (gtin absent: `missing`).
 */
function readNamedFields(
  body: Record<string, unknown>,
  context: { now?: Date },
  issues: Issue[],
): SourcedElement[] {
  // Each named field is one AI: its element goes straight to its place in ENCODING_ORDER.
  const placed: (SourcedElement | undefined)[] = [
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
  ];
  for (const { field, ai } of NAMED_FIELDS) {
    const value = fieldOf(body, field);
    if (field === "gtin" && value === undefined) {
      issues.push({ field, value, rule: "missing", message: "gtin is required but missing." });
      continue;
    }
    // gtin has no null: the payload needs one (see the JSON schema's anyOf).
    if (isAbsent(value) && field !== "gtin") continue;
    if (typeof value !== "string") {
      const orNull = field === "gtin" ? "" : " or null";
      issues.push({
        field,
        value,
        rule: "string_type",
        message: `${field} must be a string${orNull}; got ${describe(value)}.`,
      });
      continue;
    }
    const element = field === "gtin" ? gtinElement(value) : { ai, value, source: { field } };
    const found = validateElement(element.ai, element.value, element.source, context);
    if (found.length === 0) placed[ENCODING_ORDER.indexOf(ai)] = element;
    else issues.push(...found);
  }
  const elements: SourcedElement[] = [];
  for (const element of placed) if (element !== undefined) elements.push(element);
  return elements;
}

/**
 * The element of a gtin field: GTIN-8, -12 and -13 (all digits) become the GTIN-14 AI (01)
 * carries, with issues still naming the value as sent and positions counted in it; any other
 * text is judged as it stands (and fails AI (01)'s N14 format).
 */
function gtinElement(value: string): SourcedElement {
  const source: IssueSource = { field: "gtin" };
  if (!/^[0-9]+$/.test(value) || !GTIN_LENGTHS.includes(value.length) || value.length === 14) {
    return { ai: "01", value, source };
  }
  const padding = 14 - value.length;
  source.value = value;
  // A fault in the leading zeros cannot happen (zeros are digits and carry no check digit), but a
  // position must still land inside the value sent.
  source.position = (p) => Math.max(1, p - padding);
  return { ai: "01", value: toGtin14(value), source };
}

// Given, valid or not (an invalid one has its own issue and is not also "absent"): lot or
// serial, or AI (10) or (21) in ais.
function hasLotOrSerial(body: Record<string, unknown>): boolean {
  if (!isAbsent(fieldOf(body, "lot")) || !isAbsent(fieldOf(body, "serial"))) return true;
  const ais = fieldOf(body, "ais");
  if (typeof ais !== "object" || ais === null) return false;
  return Object.hasOwn(ais, "10") || Object.hasOwn(ais, "21");
}

/**
 * Returns a `day_00` issue for each AI (17) whose day is 00, for strict_expiry: valid GS1 syntax
 * (the last day of the month), banned in regulated healthcare since 2025-01-01.
 */
function checkStrictExpiry(elements: readonly SourcedElement[], now?: Date): Issue[] {
  const issues: Issue[] = [];
  const entry = aiEntry("17");
  for (const element of elements) {
    if (element.ai !== "17" || !entry || element.value.slice(4) !== "00") continue;
    // The value passed yymmd0, so it is six digits with a real month.
    const month = Number(element.value.slice(2, 4));
    const year = resolveCentury(Number(element.value.slice(0, 2)), now);
    const lastDay = daysInMonth(year, month);
    const written = JSON.stringify(element.value.slice(0, 4) + lastDay);
    issues.push(
      elementIssue(
        element,
        element.source,
        "day_00",
        `${label(entry)}: value ${JSON.stringify(element.value)} at position 5: day 00 (the ` +
          `last day of the month) is refused under strict_expiry; write the day itself, ${written}`,
        5,
      ),
    );
  }
  return issues;
}

// Builds the Digital Link URI when asked for (its own rules: a primary key, attributes) and
// settles the result: data only when nothing at all was wrong.
function finish(
  data: { elements: SourcedElement[]; keepOrder: boolean } | null,
  dataFormat: DataFormat,
  dlBaseUrl: string,
  issues: Issue[],
): ParsedGs1 {
  let digitalLink: string | null = null;
  if (data !== null && issues.length === 0 && dataFormat === "digital_link") {
    const built = buildDigitalLinkUri(data.elements, dlBaseUrl, sourceOf);
    for (const issue of built.issues) {
      issues.push(issue.field === "base_url" ? { ...issue, field: "dl_base_url" } : issue);
    }
    digitalLink = built.uri;
  }
  if (issues.length > 0 || data === null) return { data: null, issues };
  const elements = data.elements.map(({ ai, value }) => ({ ai, value }));
  if (digitalLink === null)
    return { data: { elements, keepOrder: data.keepOrder, digitalLink }, issues };
  return { data: { elements, keepOrder: data.keepOrder, digitalLink, dlBaseUrl }, issues };
}

/** Reads `ais`: an object of AI → value strings, each judged by the dictionary. */
function readAis(
  body: Record<string, unknown>,
  context: { now?: Date },
  issues: Issue[],
): SourcedElement[] {
  const value = fieldOf(body, "ais");
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
    // A named field given (even an invalid one) already claims its AI.
    const twin = NAMED_FIELDS.find((n) => n.ai === ai && !isAbsent(fieldOf(body, n.field)));
    if (twin) {
      issues.push({
        field,
        value: v,
        rule: "repeated_ai",
        message: `AI (${ai}) is given twice: as ${twin.field} and in ais (rule repeated_ai).`,
      });
      continue;
    }
    const found = validateElement(ai, v, { field }, context);
    issues.push(...found);
    if (found.length === 0) out.push({ ai, value: v, source: { field } });
  }
  return out;
}

/** Reads `element_string` (bracketed form), alone: any named field or ais beside it is an issue. */
function readElementString(
  body: Record<string, unknown>,
  context: { now?: Date },
  issues: Issue[],
): { elements: SourcedElement[]; keepOrder: boolean } | null {
  const text = fieldOf(body, "element_string");
  const beside = [...NAMED_FIELDS.map((n) => n.field), "ais"].filter(
    (f) => !isAbsent(fieldOf(body, f)),
  );
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
  // The elements that pass go on to the payload rules (strict_expiry), so those are reported
  // in the same call; the combination rules wait until every element passed.
  const passed = elements.filter((e) => {
    const found = validateElement(e.ai, e.value, e.source, context);
    issues.push(...found);
    return found.length === 0;
  });
  return { elements: passed, keepOrder: true };
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
}
