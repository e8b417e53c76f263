// The 1D barcode payload → what to encode and how to draw it, with every problem found at once
// as Issues naming the field, the value and the rule. GTIN check digits are judged by the GS1
// validator's csum (gs1/gtin.ts); GS1-128 data by the same dictionary and linters as DataMatrix
// (gs1/ai/). Browser-safe.
import { Linear, LinearFlag } from "../engine/abi.js";
import {
  buildElementString,
  orderForSymbol,
  parseBracketed,
  sourceInBracketed,
} from "../gs1/ai/element-string.js";
import type { AiElement } from "../gs1/ai/types.js";
import { validateCombination, validateElement } from "../gs1/ai/validate.js";
import { checkCsum } from "../gs1/gtin.js";
import { describeValue as describe, type Issue } from "../issues.js";
import { readBoolean, readEnum } from "../read-field.js";
import { luminance } from "../render/color.js";
import type { LinearOptions } from "../render/linear/layout.js";
import { DPI_MAX, DPI_MIN, MIN_CONTRAST } from "../render/options.js";
import { readColor, readNumber } from "../render/parse-options.js";
import {
  BARCODE_FORMATS,
  BARCODE_TYPES,
  type BarcodeFormat,
  type BarcodeType,
  BWR_MM,
  barcodeDefault,
  FONT_SIZE_PT,
  GS1_128_MAX_DATA,
  MAX_TEXT_DATA,
  MODULE_HEIGHT_MM,
  MODULE_WIDTH_MM,
  QUIET_ZONE_MM,
} from "./fields.js";

/** A judged 1D request: what the core encodes, the text to print, and how to draw it. */
export interface BarcodeRequest {
  /** The type drawn (auto resolved). */
  type: Exclude<BarcodeType, "auto">;
  symbology: Linear;
  /** LinearFlag bits and the wide ratio (bits 8-15) for the core. */
  flags: number;
  /** The characters handed to the core (GS1-128: the element string, GS between fields). */
  data: string;
  /** The text to print when it is not the core's (GS1-128: the bracketed AIs). */
  hri?: string;
  format: BarcodeFormat;
  layout: LinearOptions;
  dpi: number;
  darkColor: string;
  lightColor: string;
  /** false: SVG text as live <text> in OCR-B instead of outlines (embed_font). */
  embedFont: boolean;
}

/** ITF-14 and Code 39 wide elements: 3X, the top of the range ISO/IEC 16390 and 16388 allow. */
const WIDE_RATIO = 3;

/**
 * Validates a 1D payload and returns the request (null when there are issues) and every issue,
 * never throwing. Rules (Issue.rule) besides the generic field ones (string_type, enum,
 * number_type, integer, range, boolean_type, color_format): `missing` (no gtin, element_string
 * or ais), `exclusive` (element_string or ais beside gtin, or both), `auto_type` (auto cannot
 * tell the type from gtin), `digits` (EAN/UPC/ITF data not all digits), `length` (a digit count
 * the type does not take; Code 128/39 longer than MAX_TEXT_DATA; GS1-128 over 48 data
 * characters), `csum` (a wrong check digit, the right one named), `jan_prefix`, `gs1_only`
 * (element_string or ais with a non-GS1 type), `bwr_width` (bwr_mm not below module_width),
 * `contrast`, and the GS1 dictionary's rules on GS1-128 data.
 */
export function parseBarcodePayload(input: unknown): {
  request: BarcodeRequest | null;
  issues: Issue[];
} {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    const issue: Issue = {
      field: null,
      value: input,
      rule: "object_type",
      message: `The payload must be a JSON object; got ${describe(input)}.`,
    };
    return { request: null, issues: [issue] };
  }
  const body = input as Record<string, unknown>;
  const issues: Issue[] = [];
  const asked = readEnum(body, "barcode_type", BARCODE_TYPES, "auto", issues);
  const check = readBoolean(body, "check_character", false, issues);
  const data = readData(body, asked, check, issues);
  const render = readRender(body, issues);
  if (data === null || issues.length > 0) return { request: null, issues };
  // Built field by field: the object spread ({...data, ...render}) took most of a parse
  // (slow-path object cloning and the garbage it left) in the profile.
  const request: BarcodeRequest = {
    type: data.type,
    symbology: data.symbology,
    flags: data.flags,
    data: data.data,
    hri: data.hri,
    format: render.format,
    layout: render.layout,
    dpi: render.dpi,
    darkColor: render.darkColor,
    lightColor: render.lightColor,
    embedFont: render.embedFont,
  };
  return { request, issues };
}

type DataPart = Pick<BarcodeRequest, "type" | "symbology" | "flags" | "data" | "hri">;
type RenderPart = Omit<BarcodeRequest, keyof DataPart>;

const absent = (v: unknown) => v === undefined || v === null;

function readData(
  body: Record<string, unknown>,
  asked: BarcodeType,
  check: boolean,
  issues: Issue[],
): DataPart | null {
  // The two GS1 fields tested before any array is made: nearly every request sends gtin alone.
  if (!absent(body.element_string) || !absent(body.ais)) {
    const gs1Fields = ["element_string", "ais"].filter((f) => !absent(body[f]));
    if (!absent(body.gtin) || gs1Fields.length > 1) {
      const given = ["gtin", ...gs1Fields].filter((f) => !absent(body[f]));
      issues.push({
        field: gs1Fields[0],
        value: body[gs1Fields[0]],
        rule: "exclusive",
        message: `Send the data once: ${given.join(" and ")} are all given; keep one.`,
      });
      return null;
    }
    if (asked !== "auto" && asked !== "gs1_128") {
      issues.push({
        field: gs1Fields[0],
        value: body[gs1Fields[0]],
        rule: "gs1_only",
        message: `${gs1Fields[0]} carries GS1-128 data, but barcode_type is ${JSON.stringify(asked)}; use gs1_128 or auto, or send gtin.`,
      });
      return null;
    }
    const elements =
      gs1Fields[0] === "ais"
        ? readAis(body.ais, issues)
        : readBracketed(body.element_string, "element_string", issues);
    return elements && gs1_128(elements, gs1Fields[0], issues);
  }
  const gtin = body.gtin;
  if (gtin === undefined) {
    issues.push({
      field: "gtin",
      value: gtin,
      rule: "missing",
      message: "gtin is required but missing (or send element_string or ais for GS1-128).",
    });
    return null;
  }
  if (typeof gtin !== "string") {
    issues.push({
      field: "gtin",
      value: gtin,
      rule: "string_type",
      message: `gtin must be a string; got ${describe(gtin)}.`,
    });
    return null;
  }
  const type = asked === "auto" ? autoType(gtin, issues) : asked;
  if (type === null) return null;
  switch (type) {
    case "gs1_128": {
      const elements = readBracketed(gtin, "gtin", issues);
      return elements && gs1_128(elements, "gtin", issues);
    }
    case "ean14": {
      const digits = readDigits(gtin, type, [8, 12, 13, 14], issues);
      if (digits === null || !checkDigitOk(gtin, issues)) return null;
      return gs1_128([{ ai: "01", value: digits.padStart(14, "0") }], "gtin", issues, "ean14");
    }
    case "code128":
    case "code39":
      return readText(gtin, type, check, issues);
    default:
      return readGtinDigits(gtin, type, issues);
  }
}

// auto: the type a gtin's shape implies, or an issue.
function autoType(gtin: string, issues: Issue[]): BarcodeType | null {
  if (gtin.startsWith("(")) return "gs1_128";
  const byLength: Record<number, BarcodeType> = { 8: "ean8", 12: "upca", 13: "ean13", 14: "itf14" };
  if (/^[0-9]+$/.test(gtin) && byLength[gtin.length]) return byLength[gtin.length];
  issues.push({
    field: "gtin",
    value: gtin,
    rule: "auto_type",
    message:
      `barcode_type auto needs a GTIN of 8, 12, 13 or 14 digits or bracketed AIs such as ` +
      `"(01)09506000134352"; got ${JSON.stringify(gtin)}. Name the barcode_type for other data.`,
  });
  return null;
}

// The digit counts each GTIN type takes: without and with the check digit, and longer GTIN
// forms whose extra leading digits are zeros (a GTIN-12 sent as its GTIN-14, ...).
const DIGIT_RULES: Record<
  string,
  { lengths: number[]; full: number; symbology: Linear; name: string }
> = {
  ean13: { lengths: [12, 13], full: 13, symbology: Linear.EAN13, name: "EAN-13" },
  jan: { lengths: [12, 13], full: 13, symbology: Linear.EAN13, name: "JAN" },
  ean8: { lengths: [7, 8], full: 8, symbology: Linear.EAN8, name: "EAN-8" },
  upca: { lengths: [11, 12], full: 12, symbology: Linear.UPCA, name: "UPC-A" },
  upce: { lengths: [6, 7, 8, 11, 12], full: 8, symbology: Linear.UPCE, name: "UPC-E" },
  itf14: { lengths: [8, 12, 13, 14], full: 14, symbology: Linear.ITF14, name: "ITF-14" },
};

function readDigits(gtin: string, type: string, lengths: number[], issues: Issue[]): string | null {
  const bad = gtin.search(/[^0-9]/);
  if (bad >= 0 || gtin === "") {
    issues.push({
      field: "gtin",
      value: gtin,
      rule: "digits",
      ...(bad >= 0 ? { position: bad + 1 } : {}),
      message:
        bad >= 0
          ? `gtin for ${type} must be digits; ${JSON.stringify(gtin[bad])} at position ${bad + 1} is not.`
          : `gtin for ${type} must be digits; got an empty string.`,
    });
    return null;
  }
  let digits = gtin;
  // A longer GTIN form with leading zeros stands for the shorter one.
  const longest = Math.max(...lengths);
  while (digits.length > longest && digits.startsWith("0")) digits = digits.slice(1);
  if (!lengths.includes(digits.length)) {
    issues.push({
      field: "gtin",
      value: gtin,
      rule: "length",
      message: `gtin for ${type} must have ${lengths.slice(0, -1).join(", ")} or ${lengths.at(-1)} digits; got ${gtin.length}.`,
    });
    return null;
  }
  return digits;
}

// The GS1 csum linter on a whole GTIN (check digit last); an issue naming the right digit.
function checkDigitOk(gtin: string, issues: Issue[]): boolean {
  const { valid, checkDigit, expected } = checkCsum(gtin);
  if (valid) return true;
  issues.push({
    field: "gtin",
    value: gtin,
    rule: "csum",
    position: gtin.length,
    message: `gtin ${JSON.stringify(gtin)}: check digit ${checkDigit} at position ${gtin.length} is wrong; the GS1 mod-10 check digit of the digits before it is ${expected} (rule csum).`,
  });
  return false;
}

function readGtinDigits(gtin: string, type: string, issues: Issue[]): DataPart | null {
  const rule = DIGIT_RULES[type];
  const digits = readDigits(gtin, type, rule.lengths, issues);
  if (digits === null) return null;
  // ITF-14 carries a GTIN-14: shorter GTINs (check digit included) take leading zeros.
  const data = type === "itf14" ? digits.padStart(14, "0") : digits;
  // A whole GTIN (check digit included) is judged by csum here; a UPC-E's check digit is its
  // UPC-A's, which only the core's expansion knows, so the core judges it (see toIssue).
  const whole = type === "upce" ? data.length === 12 : data.length === rule.full;
  if (whole && !checkDigitOk(data, issues)) return null;
  if (type === "jan" && !/^4[59]/.test(digits)) {
    issues.push({
      field: "gtin",
      value: gtin,
      rule: "jan_prefix",
      position: 1,
      message: `gtin for jan must start with 45 or 49 (GS1 Japan's prefixes); got ${JSON.stringify(digits.slice(0, 2))}.`,
    });
    return null;
  }
  const flags = type === "itf14" ? WIDE_RATIO << 8 : 0;
  return { type: type as DataPart["type"], symbology: rule.symbology, flags, data };
}

const CODE39_SET = /^[0-9A-Z\-. $/+%]*$/;

function readText(
  gtin: string,
  type: "code128" | "code39",
  check: boolean,
  issues: Issue[],
): DataPart | null {
  const name = type === "code128" ? "Code 128" : "Code 39";
  if (gtin.length === 0 || gtin.length > MAX_TEXT_DATA) {
    issues.push({
      field: "gtin",
      value: gtin,
      rule: "length",
      message: `gtin for ${name} must have 1 to ${MAX_TEXT_DATA} characters; got ${gtin.length}.`,
    });
    return null;
  }
  const bad =
    type === "code128"
      ? [...gtin].findIndex((c) => c.charCodeAt(0) > 127)
      : [...gtin].findIndex((c) => !CODE39_SET.test(c));
  if (bad >= 0) {
    const allowed = type === "code128" ? "ASCII (0-127)" : "0-9, A-Z, space and - . $ / + %";
    issues.push({
      field: "gtin",
      value: gtin,
      rule: "charset",
      position: bad + 1,
      message: `gtin for ${name}: ${JSON.stringify(gtin[bad])} at position ${bad + 1} is not encodable; ${name} takes ${allowed}.`,
    });
    return null;
  }
  if (type === "code128") return { type, symbology: Linear.CODE128, flags: 0, data: gtin };
  const flags = (WIDE_RATIO << 8) | (check ? LinearFlag.CHECK : 0);
  return { type, symbology: Linear.CODE39, flags, data: gtin };
}

// Bracketed AIs from `field`, each element judged by the GS1 dictionary; null with issues.
function readBracketed(text: unknown, field: string, issues: Issue[]): AiElement[] | null {
  if (typeof text !== "string") {
    issues.push({
      field,
      value: text,
      rule: "string_type",
      message: `${field} must be a string; got ${describe(text)}.`,
    });
    return null;
  }
  const parsed = parseBracketed(text, field);
  issues.push(...parsed.issues);
  if (parsed.elements === null) return null;
  const before = issues.length;
  for (const e of parsed.elements) {
    // Judged first without a source: nearly every value passes, and where issues point into
    // the text (a closure per element) is only needed, by a second run, when one does not.
    if (validateElement(e.ai, e.value).length === 0) continue;
    issues.push(...validateElement(e.ai, e.value, sourceInBracketed(text, e, field)));
  }
  if (issues.length > before) return null;
  const bracketed = parsed.elements;
  const elements = bracketed.map((e) => ({ ai: e.ai, value: e.value }));
  const combination = validateCombination(elements, (_, i) =>
    sourceInBracketed(text, bracketed[i], field),
  );
  issues.push(...combination);
  return combination.length > 0 ? null : elements;
}

function readAis(ais: unknown, issues: Issue[]): AiElement[] | null {
  if (typeof ais !== "object" || ais === null || Array.isArray(ais)) {
    issues.push({
      field: "ais",
      value: ais,
      rule: "object_type",
      message: `ais must be an object of AI to value; got ${describe(ais)}.`,
    });
    return null;
  }
  const before = issues.length;
  const elements: AiElement[] = [];
  for (const [ai, value] of Object.entries(ais)) {
    if (typeof value !== "string") {
      issues.push({
        field: `ais.${ai}`,
        value,
        rule: "string_type",
        message: `ais.${ai} must be a string; got ${describe(value)}.`,
      });
      continue;
    }
    issues.push(...validateElement(ai, value));
    elements.push({ ai, value });
  }
  if (elements.length === 0 && issues.length === before) {
    issues.push({
      field: "ais",
      value: ais,
      rule: "missing",
      message: "ais must hold at least one AI.",
    });
  }
  if (issues.length > before) return null;
  const combination = validateCombination(elements);
  issues.push(...combination);
  // JSON objects keep integer-like keys ("10") before others ("01"): sort by AI, then put the
  // predefined-length AIs first (no separator after them), so (01) leads as usual.
  elements.sort((a, b) => (a.ai < b.ai ? -1 : a.ai > b.ai ? 1 : 0));
  return combination.length > 0 ? null : orderForSymbol(elements);
}

// GS1-128 of valid elements: the element string (FNC1 first implied, GS between fields), the
// bracketed text, and GS1's 48-character limit.
function gs1_128(
  elements: AiElement[],
  field: string,
  issues: Issue[],
  type: "gs1_128" | "ean14" = "gs1_128",
): DataPart | null {
  const data = buildElementString(elements);
  if (data.length > GS1_128_MAX_DATA) {
    issues.push({
      field,
      value: data,
      rule: "length",
      message: `GS1-128 holds at most ${GS1_128_MAX_DATA} data characters (AIs, values and separators); this data has ${data.length}.`,
    });
    return null;
  }
  let hri = "";
  for (const e of elements) hri += `(${e.ai})${e.value}`;
  return { type, symbology: Linear.CODE128, flags: LinearFlag.GS1, data, hri };
}

// One numeric field with its default and bounds. A function of its own rather than a closure
// made per request in readRender.
function number(
  body: Record<string, unknown>,
  issues: Issue[],
  name: string,
  bounds: readonly [number, number],
  unit: string,
  integer = false,
): number {
  return readNumber(body, name, barcodeDefault<number>(name), issues, integer, [
    bounds[0],
    bounds[1],
    unit,
  ]);
}

function readRender(body: Record<string, unknown>, issues: Issue[]): RenderPart {
  const format = readEnum(body, "format", BARCODE_FORMATS, "svg", issues);
  const moduleWidthMm = number(body, issues, "module_width", MODULE_WIDTH_MM, "mm");
  const moduleHeightMm = number(body, issues, "module_height", MODULE_HEIGHT_MM, "mm");
  const fontSizePt = number(body, issues, "font_size", FONT_SIZE_PT, "pt");
  const quietZoneMm = number(body, issues, "quiet_zone", QUIET_ZONE_MM, "mm");
  const writeText = readBoolean(body, "write_text", true, issues);
  const embedFont = readBoolean(body, "embed_font", true, issues);
  const bwrMm = number(body, issues, "bwr_mm", BWR_MM, "mm");
  if (bwrMm >= moduleWidthMm) {
    issues.push({
      field: "bwr_mm",
      value: bwrMm,
      rule: "bwr_width",
      message: `bwr_mm must be less than module_width (${moduleWidthMm} mm), or no bar is left; got ${bwrMm}.`,
    });
  }
  const dpi = number(body, issues, "dpi", [DPI_MIN, DPI_MAX], "dots per inch", true);
  const dark = readColor(body, "dark_color", issues);
  const light = readColor(body, "light_color", issues);
  const darkColor = dark ?? "#000000";
  const lightColor = light ?? "#ffffff";
  // The default pair (black on white) needs no arithmetic: the common request skips it.
  const defaults = darkColor === "#000000" && lightColor === "#ffffff";
  if (dark !== null && light !== null && !defaults) {
    const contrast = luminance(lightColor) - luminance(darkColor);
    if (contrast < MIN_CONTRAST) {
      issues.push({
        field: "dark_color",
        value: body.dark_color ?? darkColor,
        rule: "contrast",
        message:
          `dark_color ${JSON.stringify(darkColor)} must be at least 40 % darker than ` +
          `light_color ${JSON.stringify(lightColor)} in relative luminance; the difference is ` +
          `${Math.floor(contrast * 100)} %.`,
      });
    }
  }
  return {
    format,
    layout: { moduleWidthMm, moduleHeightMm, quietZoneMm, writeText, fontSizePt, bwrMm },
    dpi,
    darkColor,
    lightColor,
    embedFont,
  };
}
