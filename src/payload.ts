// The one entry for a payload (HTTP body, library input, CLI flags, preview form): judged once as
// a JSON object, then its GS1 data (gs1/payload.ts: the GS1 rules) and its rendering options
// (render/options.ts), with every problem of both reported together, in field order.

import { type Gs1Data, parseGs1Payload } from "./gs1/payload.js";
import { describeValue, type Issue } from "./issues.js";
import { fieldOf, readBoolean, readEnum } from "./read-field.js";
import { DEFAULT_RENDER_OPTIONS, QR_FORMATS, type RenderOptions } from "./render/options.js";
import { parseRenderOptions } from "./render/parse-options.js";
import {
  QR_LEVELS,
  QR_QUIET_ZONE_DEFAULT,
  QR_SIZE_DEFAULT,
  QR_SIZE_MAX,
  QR_SIZE_MIN,
} from "./request-schema.js";

/** A judged payload: the data and options (null data when anything is wrong) and every issue. */
export interface ParsedPayload {
  data: Gs1Data | null;
  options: RenderOptions;
  issues: Issue[];
}

/**
 * Validates `input` as a whole. A non-object gives exactly one `object_type` issue; otherwise
 * the GS1 issues come first, then the rendering ones. `data` is null exactly when `issues` is
 * non-empty; `options` holds the defaults for fields that failed. `now` judges two-digit years.
 */
export function parsePayload(input: unknown, now?: Date): ParsedPayload {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    const issue: Issue = {
      field: null,
      value: input,
      rule: "object_type",
      message: `The payload must be a JSON object; got ${describeValue(input)}.`,
    };
    return { data: null, options: { ...DEFAULT_RENDER_OPTIONS }, issues: [issue] };
  }
  const gs1 = parseGs1Payload(input, now);
  const options = parseRenderOptions(input);
  const issues = [...gs1.issues, ...options.issues];
  return { data: issues.length === 0 ? gs1.data : null, options: options.options, issues };
}

/** QR's rendering defaults: the DataMatrix ones with the 4-module quiet zone QR requires. */
export const QR_RENDER_DEFAULTS: Readonly<RenderOptions> = Object.freeze({
  ...DEFAULT_RENDER_OPTIONS,
  quietZoneModules: QR_QUIET_ZONE_DEFAULT,
});

/** A judged QR payload: the ParsedPayload parts plus the QR fields. */
export interface ParsedQrPayload extends ParsedPayload {
  level: (typeof QR_LEVELS)[number];
  /** The width to draw at (see the size field), or null when xdim_mm sets the module size. */
  size: number | null;
  /** EPS colours as CMYK. */
  cmyk: boolean;
}

// Spaces and hyphens a person types into a GTIN (published: "separators allowed, stripped").
const GTIN_SEPARATORS = /[ -]/g;
const GTIN_SEPARATOR = /[ -]/;

/**
 * Validates a QR payload (POST /products/api/v1/qr/) as parsePayload does a DataMatrix one,
 * with data_format defaulting to digital_link, the QR quiet zone default (4), `gtin` with its
 * spaces and hyphens stripped first, and the QR fields: `error_correction` (L, M, Q, H; default
 * M; rule enum), `size` (an integer 50..2000, default 400; rules number_type, integer,
 * range), which is null in the result when xdim_mm is given, `format` eps besides the others,
 * and `cmyk` (boolean, default false; used by EPS only). `data` is null exactly when
 * `issues` is non-empty.
 */
export function parseQrPayload(input: unknown, now?: Date): ParsedQrPayload {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ...parsePayload(input, now), level: "M", size: null, cmyk: false };
  }
  let body = input as Record<string, unknown>;
  // A copy only when there is something to strip: the caller's object stays as it was.
  const gtin = fieldOf(body, "gtin");
  if (typeof gtin === "string" && GTIN_SEPARATOR.test(gtin)) {
    body = { ...body, gtin: gtin.replace(GTIN_SEPARATORS, "") };
  }
  const gs1 = parseGs1Payload(body, now, "digital_link");
  const options = parseRenderOptions(body, QR_RENDER_DEFAULTS, QR_FORMATS);
  const qrIssues: Issue[] = [];
  const cmyk = readBoolean(body, "cmyk", false, qrIssues);
  const level = readEnum(body, "error_correction", QR_LEVELS, "M", qrIssues);
  const size = readSize(fieldOf(body, "size"), qrIssues);
  const issues = [...gs1.issues, ...options.issues, ...qrIssues];
  return {
    data: issues.length === 0 ? gs1.data : null,
    options: options.options,
    issues,
    level,
    size: fieldOf(body, "xdim_mm") === undefined ? size : null,
    cmyk,
  };
}

function readSize(value: unknown, issues: Issue[]): number {
  if (value === undefined) return QR_SIZE_DEFAULT;
  const problem = (rule: string, message: string) => {
    issues.push({ field: "size", value, rule, message });
    return QR_SIZE_DEFAULT;
  };
  if (typeof value !== "number" || !Number.isFinite(value)) {
    return problem("number_type", `size must be a number; got ${describeValue(value)}.`);
  }
  if (!Number.isInteger(value))
    return problem("integer", `size must be a whole number; got ${value}.`);
  if (value < QR_SIZE_MIN || value > QR_SIZE_MAX) {
    return problem(
      "range",
      `size must be between ${QR_SIZE_MIN} and ${QR_SIZE_MAX} (pixels for png, points for ` +
        `svg and pdf); got ${value}.`,
    );
  }
  return value;
}
