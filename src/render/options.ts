// Render options: validation of the payload's rendering fields, their defaults, and the unit
// conversions (mm, pt, px, dpi) every renderer uses. Browser-safe: no Node imports.
//
// Units, written once:
// - X (the module size, `xdim_mm`) is in millimetres; 1 in = 25.4 mm = 72 pt.
// - SVG works in module units (the viewBox) and states its physical size in mm.
// - PDF works in points; the page is (modules × X) pt, X in pt = xdim_mm × 72 / 25.4.
// - PNG works in whole pixels per module at `dpi`, so a printer at that resolution lays down
//   a whole number of dots per module (fractional dots smear module edges); the realised X
//   is then pixelsPerModule × 25.4 / dpi mm, the nearest to xdim_mm within the GS1 range.

import { describeValue as describe, type Issue } from "../issues.js";
import type { Format, Shape } from "../types.js";

/** Validated rendering options; every field has a default (see DEFAULT_RENDER_OPTIONS). */
export interface RenderOptions {
  /** Output format. */
  format: Format;
  /** Symbol shapes the encoder may pick from (used by the encoder, carried here). */
  shape: Shape;
  /** Module size X in millimetres (vector output exact; PNG rounded to whole pixels). */
  xdimMm: number;
  /** Light margin on each side, in modules. */
  quietZoneModules: number;
  /** PNG resolution in dots per inch, written into the file. */
  dpi: number;
  /** Dark-module colour, normalised to lowercase "#rrggbb". */
  darkColor: string;
  /** Light-module, quiet-zone and background colour, normalised to lowercase "#rrggbb". */
  lightColor: string;
  /** Whether the human-readable interpretation is printed under the symbol. */
  hri: boolean;
  /** Whether each HRI line starts with the AI's GS1 data title ("GTIN (01) ..."). */
  hriTitles: boolean;
}

/**
 * The largest PNG this service draws, in pixels (e.g. 2000 x 2000). A PNG is for screens and
 * label printers, whose symbols are a few hundred to ~1,500 dots wide; past this a request costs
 * tens of milliseconds and tens of megabytes (a fault campaign's 1200 dpi, 1.5 mm, 10-module
 * quiet zone, HRI PNG was 18 megapixels, 120-160 ms). Larger prints take SVG or PDF, which scale.
 */
export const MAX_PNG_PIXELS = 4_000_000;

/** Millimetres per inch. */
export const MM_PER_INCH = 25.4;
/** PDF points per inch. */
export const PT_PER_INCH = 72;

/**
 * GS1 X-dimension bounds in mm: the smallest minimum and the largest maximum of the GS1 ranges
 * for GS1 DataMatrix (healthcare 0.254 min; general distribution 1.5 max). Narrower per-sector
 * ranges (healthcare primary packaging 0.254–0.990) are the label designer's call.
 */
export const XDIM_MM_MIN = 0.254;
export const XDIM_MM_MAX = 1.5;
/** Quiet zone bounds in modules: GS1 requires at least 1X; beyond 10 it only wastes label. */
export const QUIET_ZONE_MIN = 1;
export const QUIET_ZONE_MAX = 10;
/**
 * PNG resolution bounds: 72 dpi is the screen floor; 1200 dpi covers label and office printers
 * while keeping the largest image (1.5 mm modules, 71 px each) a few thousand pixels wide.
 */
export const DPI_MIN = 72;
export const DPI_MAX = 1200;
/**
 * Least relative-luminance difference between light and dark colours: 40 %, the symbol-contrast
 * floor of ISO/IEC 15415 grade C (GS1 healthcare asks for 1.5 = C/B). A screen approximation of
 * print reflectance, so necessary rather than sufficient (red on white passes here but vanishes
 * under a 660 nm scanner light).
 */
export const MIN_CONTRAST = 0.4;

/**
 * The defaults, chosen for GS1 healthcare labels: X = 0.380 mm is the GS1 target for healthcare
 * primary packaging (range 0.254–0.990); a 2-module quiet zone is twice the 1X minimum so a
 * crop or registration error of one module still leaves a legal margin; 300 dpi is the common
 * label-printer resolution (4 dots per module, realised X 0.339 mm, inside the healthcare range).
 */
export const DEFAULT_RENDER_OPTIONS: Readonly<RenderOptions> = Object.freeze({
  format: "svg",
  shape: "square",
  xdimMm: 0.38,
  quietZoneModules: 2,
  dpi: 300,
  darkColor: "#000000",
  lightColor: "#ffffff",
  hri: false,
  hriTitles: false,
});

/** The output formats, in the order documentation lists them. */
export const FORMATS: readonly Format[] = ["svg", "png", "pdf"];
/** The shapes a caller may allow. */
export const SHAPES: readonly Shape[] = ["square", "rectangle", "dmre", "auto"];
const COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

/**
 * Validates the rendering fields of a payload (`format`, `shape`, `xdim_mm`, `quiet_zone`,
 * `dpi`, `dark_color`, `light_color`, `hri`; other fields are ignored) and returns the options
 * with defaults filled in plus every problem found. Absent (undefined) fields take the default;
 * JSON types are strict, so null or a string where a number belongs is an issue. `input`
 * undefined means "all defaults"; any other non-object gives one issue with field null. When
 * `issues` is non-empty, `options` holds the defaults for the fields that failed.
 */
export function parseRenderOptions(input: unknown): { options: RenderOptions; issues: Issue[] } {
  const options: RenderOptions = { ...DEFAULT_RENDER_OPTIONS };
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

  options.format = readEnum(body, "format", FORMATS, options.format, issues);
  options.shape = readEnum(body, "shape", SHAPES, options.shape, issues);
  options.xdimMm = readNumber(body, "xdim_mm", options.xdimMm, issues, false, [
    XDIM_MM_MIN,
    XDIM_MM_MAX,
    "mm (the GS1 X-dimension range)",
  ]);
  options.quietZoneModules = readNumber(
    body,
    "quiet_zone",
    options.quietZoneModules,
    issues,
    true,
    [QUIET_ZONE_MIN, QUIET_ZONE_MAX, "modules (GS1 requires at least 1)"],
  );
  options.dpi = readNumber(body, "dpi", options.dpi, issues, true, [
    DPI_MIN,
    DPI_MAX,
    "dots per inch",
  ]);
  const dark = readColor(body, "dark_color", issues);
  const light = readColor(body, "light_color", issues);
  if (dark) options.darkColor = dark;
  if (light) options.lightColor = light;
  // Contrast is only judged between two valid colours, so one bad colour is reported once.
  // The default pair (black on white) needs no arithmetic: the common request skips it.
  const defaults =
    options.darkColor === DEFAULT_RENDER_OPTIONS.darkColor &&
    options.lightColor === DEFAULT_RENDER_OPTIONS.lightColor;
  if (dark !== null && light !== null && !defaults) {
    // Shown rounded down, so a failing 39.6 % never reads as "40 %".
    const contrast = luminance(options.lightColor) - luminance(options.darkColor);
    if (contrast < MIN_CONTRAST) {
      issues.push({
        field: "dark_color",
        value: body.dark_color ?? options.darkColor,
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

/** Returns the module size X in PDF points (1/72 in) for `options.xdimMm`. */
export function moduleSizePt(options: Pick<RenderOptions, "xdimMm">): number {
  return (options.xdimMm * PT_PER_INCH) / MM_PER_INCH;
}

/**
 * Returns the whole number of pixels (printer dots) per module at `options.dpi`: the nearest to
 * `xdimMm`, moved by one if rounding left the GS1 range [XDIM_MM_MIN, XDIM_MM_MAX]; at least 1.
 * At 300 dpi: 0.254 mm → 3, 0.38 mm → 4, 0.99 mm → 12.
 */
export function pixelsPerModule(options: Pick<RenderOptions, "xdimMm" | "dpi">): number {
  const dotsPerMm = options.dpi / MM_PER_INCH;
  // The epsilon keeps exact boundaries (0.254 mm at 100 dpi = 1 dot) from tipping over.
  const lo = Math.max(1, Math.ceil(XDIM_MM_MIN * dotsPerMm - 1e-9));
  const hi = Math.max(lo, Math.floor(XDIM_MM_MAX * dotsPerMm + 1e-9));
  return Math.min(hi, Math.max(lo, Math.round(options.xdimMm * dotsPerMm)));
}

/** Returns the 8-bit red, green and blue of a normalised "#rrggbb" colour. */
export function parseHexColor(color: string): [number, number, number] {
  const n = Number.parseInt(color.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

// WCAG / sRGB relative luminance in [0, 1]: the usual screen stand-in for reflectance.
function luminance(color: string): number {
  const [r, g, b] = parseHexColor(color).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function readBoolean(
  body: Record<string, unknown>,
  field: string,
  fallback: boolean,
  issues: Issue[],
): boolean {
  const value = body[field];
  if (value === undefined) return fallback;
  if (typeof value === "boolean") return value;
  issues.push({
    field,
    value,
    rule: "boolean_type",
    message: `${field} must be true or false; got ${describe(value)}.`,
  });
  return fallback;
}

function readEnum<T extends string>(
  body: Record<string, unknown>,
  field: string,
  allowed: readonly T[],
  fallback: T,
  issues: Issue[],
): T {
  const value = body[field];
  if (value === undefined) return fallback;
  if (typeof value !== "string") {
    issues.push({
      field,
      value,
      rule: "string_type",
      message: `${field} must be a string; got ${describe(value)}.`,
    });
    return fallback;
  }
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const list = allowed.map((a) => JSON.stringify(a));
  const expected = `${list.slice(0, -1).join(", ")} or ${list[list.length - 1]}`;
  issues.push({
    field,
    value,
    rule: "enum",
    message: `${field} must be one of ${expected}; got ${JSON.stringify(value)}.`,
  });
  return fallback;
}

function readNumber(
  body: Record<string, unknown>,
  field: string,
  fallback: number,
  issues: Issue[],
  integer: boolean,
  [min, max, unit]: [number, number, string],
): number {
  const value = body[field];
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

// Returns the colour normalised to "#rrggbb", undefined when absent, null when invalid.
function readColor(
  body: Record<string, unknown>,
  field: string,
  issues: Issue[],
): string | undefined | null {
  const value = body[field];
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

/**
 * Returns `value` rounded to at most `places` decimals in plain notation without trailing zeros
 * ("9.88", "26", "0.5"), the same in every JavaScript engine, for sizes written into files.
 * Valid for |value| < 1e21 (toFixed's plain-notation range).
 */
export function formatDecimal(value: number, places: number): string {
  const text = value.toFixed(places);
  if (places === 0) return text;
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48) end--;
  if (text.charCodeAt(end - 1) === 46) end--;
  const trimmed = text.slice(0, end);
  return trimmed === "-0" ? "0" : trimmed;
}
