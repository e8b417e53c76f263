// Validation of the payload's rendering fields into RenderOptions, every problem at once.
// Browser-safe.
import { describeValue as describe, type Issue } from "../issues.js";
import { fieldOf, readBoolean, readEnum } from "../read-field.js";
import type { Format } from "../types.js";
import { luminance } from "./color.js";
import {
  DEFAULT_RENDER_OPTIONS,
  DPI_MAX,
  DPI_MIN,
  FORMATS,
  MIN_CONTRAST,
  QUIET_ZONE_MAX,
  QUIET_ZONE_MIN,
  type RenderOptions,
  SHAPES,
  XDIM_MM_MAX,
  XDIM_MM_MIN,
} from "./options.js";

const COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

// The numeric fields' ranges and units, made once rather than per request.
const XDIM_RANGE: [number, number, string] = [
  XDIM_MM_MIN,
  XDIM_MM_MAX,
  "mm (the GS1 X-dimension range)",
];
const QUIET_ZONE_RANGE: [number, number, string] = [
  QUIET_ZONE_MIN,
  QUIET_ZONE_MAX,
  "modules (GS1 requires at least 1)",
];
const DPI_RANGE: [number, number, string] = [DPI_MIN, DPI_MAX, "dots per inch"];

/**
 * Validates the rendering fields of a payload (`format`, `shape`, `xdim_mm`, `quiet_zone`,
 * `dpi`, `dark_color`, `light_color`, `hri`; other fields are ignored) and returns the options
 * with defaults filled in plus every problem found. Absent (undefined) fields take the default;
 * JSON types are strict, so null or a string where a number belongs is an issue. `input`
 * undefined means "all defaults"; any other non-object gives one issue with field null. When
 * `issues` is non-empty, `options` holds the defaults for the fields that failed. `defaults`
 * replaces DEFAULT_RENDER_OPTIONS (QR: a 4-module quiet zone), `formats` the accepted formats
 * (QR adds eps).
 */
export function parseRenderOptions(
  input: unknown,
  defaults: Readonly<RenderOptions> = DEFAULT_RENDER_OPTIONS,
  formats: readonly Format[] = FORMATS,
): { options: RenderOptions; issues: Issue[] } {
  const options: RenderOptions = { ...defaults };
  const issues: Issue[] = [];
  if (input === undefined) return { options, issues };
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    issues.push({
      field: null,
      value: input,
      rule: "object_type",
      message: `The payload must be a JSON object; got ${describe(input)}.`,
    });
    return { options, issues };
  }
  const body = input as Record<string, unknown>;

  options.format = readEnum(body, "format", formats, options.format, issues);
  options.shape = readEnum(body, "shape", SHAPES, options.shape, issues);
  options.xdimMm = readNumber(body, "xdim_mm", options.xdimMm, issues, false, XDIM_RANGE);
  options.quietZoneModules = readNumber(
    body,
    "quiet_zone",
    options.quietZoneModules,
    issues,
    true,
    QUIET_ZONE_RANGE,
  );
  options.dpi = readNumber(body, "dpi", options.dpi, issues, true, DPI_RANGE);
  const dark = readColor(body, "dark_color", issues);
  const light = readColor(body, "light_color", issues);
  if (dark) options.darkColor = dark;
  if (light) options.lightColor = light;
  // Contrast is only judged between two valid colours, so one bad colour is reported once.
  // The default pair (black on white) needs no arithmetic: the common request skips it.
  const blackOnWhite =
    options.darkColor === DEFAULT_RENDER_OPTIONS.darkColor &&
    options.lightColor === DEFAULT_RENDER_OPTIONS.lightColor;
  if (dark !== null && light !== null && !blackOnWhite) {
    // Shown rounded down, so a failing 39.6 % never reads as "40 %".
    const contrast = luminance(options.lightColor) - luminance(options.darkColor);
    if (contrast < MIN_CONTRAST) {
      issues.push({
        field: "dark_color",
        value: fieldOf(body, "dark_color") ?? options.darkColor,
        rule: "contrast",
        message:
          `dark_color ${JSON.stringify(options.darkColor)} must be at least 40 % darker than ` +
          `light_color ${JSON.stringify(options.lightColor)} in relative luminance; ` +
          `the difference is ${Math.floor(contrast * 100)} %.`,
      });
    }
  }
  options.hri = readBoolean(body, "hri", options.hri, issues);
  options.hriTitles = readBoolean(body, "hri_titles", options.hriTitles, issues);
  return { options, issues };
}

/**
 * Reads `body[field]` as a finite number (rule "number_type"), whole when `integer` (rule
 * "integer"), within [min, max] (rule "range", the message naming `unit`); `fallback` when
 * absent or after recording the issue.
 */
export function readNumber(
  body: Record<string, unknown>,
  field: string,
  fallback: number,
  issues: Issue[],
  integer: boolean,
  [min, max, unit]: [number, number, string],
): number {
  const value = fieldOf(body, field);
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    issues.push({
      field,
      value,
      rule: "number_type",
      message: `${field} must be a number; got ${describe(value)}.`,
    });
    return fallback;
  }
  if (integer && !Number.isInteger(value)) {
    issues.push({
      field,
      value,
      rule: "integer",
      message: `${field} must be a whole number; got ${value}.`,
    });
    return fallback;
  }
  if (value < min || value > max) {
    issues.push({
      field,
      value,
      rule: "range",
      message: `${field} must be between ${min} and ${max} ${unit}; got ${value}.`,
    });
    return fallback;
  }
  return value;
}

/**
 * Reads `body[field]` as a colour "#rgb" or "#rrggbb" (rules "string_type", "color_format") and
 * returns it normalised to "#rrggbb", undefined when absent, null after recording the issue.
 */
export function readColor(
  body: Record<string, unknown>,
  field: string,
  issues: Issue[],
): string | undefined | null {
  const value = fieldOf(body, field);
  if (value === undefined) return undefined;
  if (typeof value !== "string") {
    issues.push({
      field,
      value,
      rule: "string_type",
      message: `${field} must be a string; got ${describe(value)}.`,
    });
    return null;
  }
  if (!COLOR.test(value)) {
    issues.push({
      field,
      value,
      rule: "color_format",
      message: `${field} must be a colour written "#rgb" or "#rrggbb"; got ${JSON.stringify(value)}.`,
    });
    return null;
  }
  const hex = value.toLowerCase();
  return hex.length === 4 ? `#${hex[1]}${hex[1]}${hex[2]}${hex[2]}${hex[3]}${hex[3]}` : hex;
}
