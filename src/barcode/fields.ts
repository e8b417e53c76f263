// The 1D barcode request (POST /products/api/v1/barcode/), described once as a FieldSpec table:
// the payload reader (payload.ts) takes its bounds, enums and defaults from here and the served
// OpenAPI schema is generated from it. Browser-safe.
import { DPI_MAX, DPI_MIN, MAX_PNG_PIXELS } from "../render/options.js";
import { type FieldSpec, fieldsJsonSchema } from "../request-schema.js";

/** The endpoint, as published (trailing slash included). */
export const BARCODE_PATH = "/products/api/v1/barcode/";

/** barcode_type values, as published; `auto` picks by the GTIN's length. */
export const BARCODE_TYPES = [
  "auto",
  "ean13",
  "ean8",
  "jan",
  "upca",
  "upce",
  "itf14",
  "ean14",
  "code128",
  "gs1_128",
  "code39",
] as const;
export type BarcodeType = (typeof BARCODE_TYPES)[number];

/** Output formats of the 1D endpoint. */
export const BARCODE_FORMATS = ["svg", "png", "pdf", "eps"] as const;
export type BarcodeFormat = (typeof BARCODE_FORMATS)[number];

/** Bounds of the size fields, as published: module width and height, text size, quiet zone. */
export const MODULE_WIDTH_MM: readonly [number, number] = [0.1, 2];
export const MODULE_HEIGHT_MM: readonly [number, number] = [1, 100];
export const FONT_SIZE_PT: readonly [number, number] = [4, 24];
export const QUIET_ZONE_MM: readonly [number, number] = [0, 20];
/** Bar width reduction bound, mm; it must also stay below module_width (payload.ts). */
export const BWR_MM: readonly [number, number] = [0, 0.5];
/** Most characters of Code 128 or Code 39 data one symbol takes here. */
export const MAX_TEXT_DATA = 80;
/** GS1-128: at most 48 data characters and 165 mm wide (GS1 General Specifications §5.4.4). */
export const GS1_128_MAX_DATA = 48;
export const GS1_128_MAX_WIDTH_MM = 165;

const COLOR_PATTERN = "^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$";

/** Every field of the 1D request, in the order the documentation shows them. */
export const BARCODE_FIELDS: readonly FieldSpec[] = [
  {
    name: "gtin",
    group: "data",
    type: "string",
    title: "GTIN or data",
    description:
      "GTIN (8/12/13/14 digits) or AI-bracketed string for GS1-128, e.g. " +
      '"(01)09506000134352(10)ABC". EAN/UPC take the digits with or without the check digit ' +
      "(a wrong one is a 422); Code 128 and Code 39 take their data here. Required unless " +
      "element_string or ais is given.",
  },
  {
    name: "barcode_type",
    group: "data",
    type: "string",
    enum: BARCODE_TYPES,
    default: "auto",
    title: "Barcode type",
    description:
      "auto picks by the GTIN: 8 digits EAN-8, 12 UPC-A, 13 EAN-13, 14 ITF-14, bracketed " +
      "AIs GS1-128. jan is EAN-13 with prefix 45 or 49; ean14 is a GTIN as GS1-128 (01).",
  },
  {
    name: "element_string",
    group: "data",
    type: "string",
    nullable: true,
    title: "Element string",
    description:
      'GS1-128 data in bracketed form, "(00)012345678901234560"; judged by the GS1 Barcode ' +
      "Syntax Dictionary like the DataMatrix endpoint's. Instead of gtin.",
  },
  {
    name: "ais",
    group: "data",
    type: "object",
    nullable: true,
    title: "AIs",
    description:
      'GS1-128 data as {"AI": "value"}, e.g. {"01": "09506000134352", "10": "ABC"}, ordered ' +
      "by AI with the predefined-length AIs first. Instead of gtin.",
  },
  {
    name: "check_character",
    group: "data",
    type: "boolean",
    default: false,
    title: "Code 39 check character",
    description: "Code 39 only: append the mod-43 check character.",
  },
  {
    name: "format",
    group: "render",
    type: "string",
    enum: BARCODE_FORMATS,
    default: "svg",
    title: "Format",
    description:
      "svg (bars as exact rectangles in mm, text as OCR-B outlines), png (every bar whole " +
      "dots at dpi), pdf (one page of vector paths) or eps (EPSF 3.0 for label-printer " +
      "drivers; bars as rectfill, text as outlines).",
  },
  {
    name: "module_width",
    group: "render",
    type: "number",
    minimum: MODULE_WIDTH_MM[0],
    maximum: MODULE_WIDTH_MM[1],
    default: 0.33,
    title: "Module width (mm)",
    description:
      "X, the narrowest bar, in mm; 0.33 is GS1 retail 100 %, ITF-14 on cases ~0.5-1.0. PNG " +
      "rounds it to whole dots.",
  },
  {
    name: "module_height",
    group: "render",
    type: "number",
    minimum: MODULE_HEIGHT_MM[0],
    maximum: MODULE_HEIGHT_MM[1],
    default: 25,
    title: "Bar height (mm)",
    description: "Height of the bars in mm; EAN/UPC guard bars reach 5X further down.",
  },
  {
    name: "font_size",
    group: "render",
    type: "number",
    minimum: FONT_SIZE_PT[0],
    maximum: FONT_SIZE_PT[1],
    default: 10,
    title: "Text size (pt)",
    description: "Size of the human-readable text (OCR-B outlines) in points.",
  },
  {
    name: "quiet_zone",
    group: "render",
    type: "number",
    minimum: QUIET_ZONE_MM[0],
    maximum: QUIET_ZONE_MM[1],
    default: 6.5,
    title: "Quiet zone (mm)",
    description:
      "Light margin each side in mm, never less than the symbology's minimum (EAN-13 11X " +
      "left, 7X right; others 7-10X); 0 = the minimums and no > quiet-zone marks.",
  },
  {
    name: "write_text",
    group: "render",
    type: "boolean",
    default: true,
    title: "Write text",
    description: "Print the human-readable text under the bars.",
  },
  {
    name: "embed_font",
    group: "render",
    type: "boolean",
    default: true,
    title: "Embed font",
    description:
      "true: the text is the project's OCR-B glyphs drawn as outlines, identical on every " +
      "machine, RIP and viewer (what prints). false, SVG only: the text is live <text> in " +
      'font-family "OCR-B" at the same positions and size, for a designer who edits it; it ' +
      "shows right only where an OCR-B font is installed (others substitute monospace). PNG, " +
      "PDF and EPS always carry outlines: a PDF or EPS naming a font the RIP lacks prints in " +
      "Courier, which no print shop wants.",
  },
  {
    name: "bwr_mm",
    group: "render",
    type: "number",
    minimum: BWR_MM[0],
    maximum: BWR_MM[1],
    default: 0,
    title: "Bar width reduction (mm)",
    description:
      "Print-gain compensation: every bar is this much narrower (half per edge), less than " +
      "module_width; PNG rounds it to whole dots.",
  },
  {
    name: "dpi",
    group: "render",
    type: "integer",
    minimum: DPI_MIN,
    maximum: DPI_MAX,
    default: 300,
    title: "DPI",
    description: `PNG resolution in dots per inch; a PNG is at most ${MAX_PNG_PIXELS} pixels.`,
  },
  {
    name: "dark_color",
    group: "render",
    type: "string",
    pattern: COLOR_PATTERN,
    default: "#000000",
    title: "Bar colour",
    description: "Colour of bars and text, #rgb or #rrggbb; at least 40 % darker than light_color.",
  },
  {
    name: "light_color",
    group: "render",
    type: "string",
    pattern: COLOR_PATTERN,
    default: "#ffffff",
    title: "Background colour",
    description: "Colour of spaces and quiet zones, #rgb or #rrggbb.",
  },
];

/** Returns the default of field `name` in BARCODE_FIELDS (a programming error if it has none). */
export function barcodeDefault<T extends string | number | boolean>(name: string): T {
  const value = DEFAULTS.get(name);
  if (value === undefined) throw new RangeError(`no default for ${name}`);
  return value as T;
}

const DEFAULTS = new Map(
  BARCODE_FIELDS.filter((f) => f.default !== undefined).map((f) => [f.name, f.default]),
);

/**
 * Returns the JSON Schema (OpenAPI 3.1) of the 1D payload: BARCODE_FIELDS' properties, and one
 * of gtin, element_string or ais required.
 */
export function barcodeJsonSchema(): Record<string, unknown> {
  return {
    ...fieldsJsonSchema(BARCODE_FIELDS),
    anyOf: [{ required: ["gtin"] }, { required: ["element_string"] }, { required: ["ais"] }],
  };
}
