// The request, described once: every field of the payload (HTTP body, library input, CLI flags,
// preview form) with its JSON type, bounds, enum, default, title and description. The served
// OpenAPI schema, the CLI's flags and usage text, the preview's choices and the library's
// DataMatrixPayload type are generated from this table. Its bounds, enums and defaults are the
// validators' own constants (gs1/payload.ts, gs1/ai/digital-link.ts, render/options.ts), imported
// here so the two cannot disagree; the GS1 rules themselves (check digits, character sets,
// dates, AI associations) stay in src/gs1/, which never imports this file. Browser-safe.
import { DEFAULT_DL_BASE_URL } from "./gs1/ai/digital-link.js";
import { DATA_FORMATS } from "./gs1/payload.js";
import {
  DEFAULT_RENDER_OPTIONS as DEFAULTS,
  DPI_MAX,
  DPI_MIN,
  FORMATS,
  MAX_PNG_PIXELS,
  QR_FORMATS,
  QUIET_ZONE_MAX,
  QUIET_ZONE_MIN,
  SHAPES,
  XDIM_MM_MAX,
  XDIM_MM_MIN,
} from "./render/options.js";

/** Where a field belongs: the symbol's data, or how it is drawn. */
export type FieldGroup = "data" | "render";

/** One payload field. */
export interface FieldSpec {
  /** The JSON property (snake_case, as published). */
  readonly name: string;
  readonly group: FieldGroup;
  /** JSON type; "object" is a map of strings (the `ais` field). */
  readonly type: "string" | "boolean" | "integer" | "number" | "object";
  /** Accepts null as "absent". */
  readonly nullable?: boolean;
  readonly enum?: readonly string[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly pattern?: string;
  readonly default?: string | number | boolean;
  readonly title: string;
  /** One or two sentences: what the field does, its unit and its rule. */
  readonly description: string;
  /** The CLI flag's value placeholder (absent for booleans, which are switches). */
  readonly metavar?: string;
  /** CLI only: the flag may be given several times (each NAME=VALUE). */
  readonly repeatable?: boolean;
  /** CLI only: the flag's name when it is not the field's (ais → --ai, one AI per flag). */
  readonly flag?: string;
}

const COLOR_PATTERN = "^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$";

// The table as written, literal types kept, so DataMatrixPayload can be derived from it.
const FIELD_TABLE = [
  {
    name: "gtin",
    group: "data",
    type: "string",
    title: "GTIN",
    description:
      "AI (01): GTIN-8, -12, -13 or -14 with its check digit, normalised to GTIN-14. Required " +
      "unless element_string is given.",
    metavar: "GTIN",
  },
  {
    name: "lot",
    group: "data",
    type: "string",
    nullable: true,
    title: "Lot",
    description: "AI (10) batch/lot: 1-20 characters of GS1 character set 82.",
    metavar: "LOT",
  },
  {
    name: "serial",
    group: "data",
    type: "string",
    nullable: true,
    title: "Serial",
    description:
      "AI (21) serial number: 1-20 characters of GS1 character set 82. With the named fields, " +
      "at least one of lot or serial is required.",
    metavar: "SERIAL",
  },
  {
    name: "expiry",
    group: "data",
    type: "string",
    nullable: true,
    title: "Expiry",
    description: "AI (17) expiry date YYMMDD (e.g. 270630); day 00 means the end of the month.",
    metavar: "YYMMDD",
  },
  {
    name: "production_date",
    group: "data",
    type: "string",
    nullable: true,
    title: "Production date",
    description: "AI (11) production date YYMMDD, same rules as expiry.",
    metavar: "YYMMDD",
  },
  {
    name: "ais",
    group: "data",
    type: "object",
    nullable: true,
    title: "Further AIs",
    description:
      'Any other AIs of the GS1 Barcode Syntax Dictionary as {"AI": "value"}, e.g. ' +
      '{"7003": "2706301200", "714": "1234567"}; every rule of the dictionary applies.',
    metavar: "AI=VALUE",
    repeatable: true,
    flag: "ai",
  },
  {
    name: "element_string",
    group: "data",
    type: "string",
    nullable: true,
    title: "Element string",
    description:
      'The whole GS1 data in bracketed form, "(01)09506000134352(17)270630(10)ABC123", kept in ' +
      "the order given; \\( and \\) are literal parentheses in values. Instead of the named " +
      "fields and ais (both is a 422).",
    metavar: "TEXT",
  },
  {
    name: "strict_expiry",
    group: "data",
    type: "boolean",
    default: false,
    title: "Strict expiry",
    description:
      "Refuse day 00 in the AI (17) expiry date, whether sent as expiry, in ais or in " +
      "element_string (valid GS1 syntax, banned in regulated healthcare since 2025).",
  },
  {
    name: "data_format",
    group: "data",
    type: "string",
    enum: DATA_FORMATS,
    default: "element_string",
    title: "Data format",
    description:
      "element_string: a GS1 DataMatrix (FNC1 first, scanners report ]d2). digital_link: the " +
      "GS1 Digital Link URI of the same data (no FNC1, scanners report ]d1).",
    metavar: "FORMAT",
  },
  {
    name: "dl_base_url",
    group: "data",
    type: "string",
    default: DEFAULT_DL_BASE_URL,
    title: "Digital Link base URL",
    description:
      "The resolver a Digital Link URI starts with: http(s), no query or fragment, no trailing " +
      "slash needed.",
    metavar: "URL",
  },
  {
    name: "format",
    group: "render",
    type: "string",
    enum: FORMATS,
    default: DEFAULTS.format,
    title: "Format",
    description:
      "Output: svg (scalable vector), png (raster at dpi) or pdf (one page of vector paths).",
    metavar: "FORMAT",
  },
  {
    name: "shape",
    group: "render",
    type: "string",
    enum: SHAPES,
    default: DEFAULTS.shape,
    title: "Shape",
    description:
      "square (the GS1 norm), rectangle (the 6 ISO rectangles), dmre (also ISO/IEC 21471 " +
      "rectangles) or auto (smallest area of squares and ISO rectangles).",
    metavar: "SHAPE",
  },
  {
    name: "xdim_mm",
    group: "render",
    type: "number",
    minimum: XDIM_MM_MIN,
    maximum: XDIM_MM_MAX,
    default: DEFAULTS.xdimMm,
    title: "X-dimension (mm)",
    description: "Module size in millimetres, within the GS1 range; PNG rounds to whole dots.",
    metavar: "MM",
  },
  {
    name: "quiet_zone",
    group: "render",
    type: "integer",
    minimum: QUIET_ZONE_MIN,
    maximum: QUIET_ZONE_MAX,
    default: DEFAULTS.quietZoneModules,
    title: "Quiet zone (modules)",
    description: "Margin on each side, in modules (GS1 requires at least 1).",
    metavar: "N",
  },
  {
    name: "dpi",
    group: "render",
    type: "integer",
    minimum: DPI_MIN,
    maximum: DPI_MAX,
    default: DEFAULTS.dpi,
    title: "DPI",
    description:
      `PNG resolution in dots per inch, written into the file. A PNG is at most ` +
      `${MAX_PNG_PIXELS} pixels (else 422 on dpi); larger prints take svg or pdf.`,
    metavar: "N",
  },
  {
    name: "dark_color",
    group: "render",
    type: "string",
    pattern: COLOR_PATTERN,
    default: DEFAULTS.darkColor,
    title: "Dark colour",
    description: "Colour of dark modules, #rgb or #rrggbb; at least 40 % darker than light_color.",
    metavar: "#RRGGBB",
  },
  {
    name: "light_color",
    group: "render",
    type: "string",
    pattern: COLOR_PATTERN,
    default: DEFAULTS.lightColor,
    title: "Light colour",
    description: "Colour of light modules and the quiet zone, #rgb or #rrggbb.",
    metavar: "#RRGGBB",
  },
  {
    name: "hri",
    group: "render",
    type: "boolean",
    default: DEFAULTS.hri,
    title: "HRI",
    description: "Print the human-readable interpretation under the symbol, one AI a line.",
  },
  {
    name: "hri_titles",
    group: "render",
    type: "boolean",
    default: DEFAULTS.hriTitles,
    title: "HRI titles",
    description: "Start each HRI line with the GS1 data title, e.g. GTIN (01) 09506000134352.",
  },
] as const satisfies readonly FieldSpec[];

/** Every payload field, in the order the documentation, the CLI usage and the form show them. */
export const REQUEST_FIELDS: readonly FieldSpec[] = FIELD_TABLE;

type RequestField = (typeof FIELD_TABLE)[number];

// The TypeScript type of one field's value: its enum's members, else by JSON type; null too
// when the field is nullable.
type ValueOf<F extends FieldSpec> =
  | (F extends { enum: readonly (infer E)[] }
      ? E
      : F["type"] extends "string"
        ? string
        : F["type"] extends "boolean"
          ? boolean
          : F["type"] extends "object"
            ? Record<string, string>
            : number)
  | (F extends { nullable: true } ? null : never);

/**
 * The payload of the HTTP body, the library and the CLI, as the type REQUEST_FIELDS describes:
 * every field optional with its JSON type (enums as their members, nullable fields also null),
 * and gtin or element_string required, as the JSON schema's anyOf says. See REQUEST_FIELDS (or
 * the README's field table) for what each field means.
 */
export type DataMatrixPayload = { [F in RequestField as F["name"]]?: ValueOf<F> } & (
  | { gtin: string }
  | { element_string: string }
);

/** QR error correction levels (ISO/IEC 18004 Table 13), lowest first; M is the default. */
export const QR_LEVELS = ["L", "M", "Q", "H"] as const;
/** QR `size` bounds and default, as published: pixels for PNG, points of width for vectors. */
export const QR_SIZE_MIN = 50;
export const QR_SIZE_MAX = 2000;
export const QR_SIZE_DEFAULT = 400;
/** QR quiet zone default: 4 modules, the minimum ISO/IEC 18004 requires. */
export const QR_QUIET_ZONE_DEFAULT = 4;

// The QR payload: the DataMatrix fields that mean the same thing (shape does not apply), with
// the QR defaults, plus size and error_correction. Written as changes to the one table so the
// shared fields cannot drift apart.
const QR_OVERRIDES: Record<string, Partial<FieldSpec>> = {
  format: {
    enum: QR_FORMATS,
    description:
      "Output: svg (scalable vector), png (raster at dpi), pdf (one page of vector paths), " +
      "eps (EPSF 3.0, vector; cmyk for CMYK colours) or tif (the png's pixels as TIFF).",
  },
  data_format: {
    default: "digital_link",
    description:
      "digital_link: the GS1 Digital Link URI of the data as plain text (scanners report ]Q1; " +
      "phone cameras open it). element_string: a GS1 QR Code (FNC1 first, scanners report ]Q3).",
  },
  xdim_mm: {
    default: undefined,
    description:
      "Module size in millimetres, within the GS1 range; when given, size is ignored. PNG " +
      "rounds to whole dots.",
  },
  quiet_zone: {
    default: QR_QUIET_ZONE_DEFAULT,
    description: "Margin on each side, in modules (ISO/IEC 18004 requires 4).",
  },
};

const QR_EXTRA_FIELDS: readonly FieldSpec[] = [
  {
    name: "size",
    group: "render",
    type: "integer",
    minimum: QR_SIZE_MIN,
    maximum: QR_SIZE_MAX,
    default: QR_SIZE_DEFAULT,
    title: "Size",
    description:
      "Width of the symbol with its quiet zone: the most pixels for png (whole pixels per " +
      "module, so it may come out narrower), points (1/72 in) for svg and pdf. Ignored when " +
      "xdim_mm is given.",
    metavar: "N",
  },
  {
    name: "cmyk",
    group: "render",
    type: "boolean",
    default: false,
    title: "CMYK",
    description: "EPS only: write the colours as CMYK (setcmykcolor) instead of RGB.",
  },
  {
    name: "error_correction",
    group: "render",
    type: "string",
    enum: QR_LEVELS,
    default: "M",
    title: "Error correction",
    description:
      "QR error correction level: L (7 %), M (15 %, the default), Q (25 %) or H (30 % of the " +
      "codewords restorable).",
    metavar: "LEVEL",
  },
];

/** Every field of the QR payload (POST /products/api/v1/qr/), in documentation order. */
export const QR_REQUEST_FIELDS: readonly FieldSpec[] = [
  ...REQUEST_FIELDS.filter((f) => f.name !== "shape").map((f) =>
    QR_OVERRIDES[f.name] ? { ...f, ...QR_OVERRIDES[f.name] } : f,
  ),
  ...QR_EXTRA_FIELDS,
];

/** The QR payload: the DataMatrix payload's fields but shape, plus size and error_correction. */
export type QrPayload = Omit<DataMatrixPayload, "shape" | "format"> & {
  format?: (typeof QR_FORMATS)[number];
  cmyk?: boolean;
  size?: number;
  error_correction?: (typeof QR_LEVELS)[number];
};

/** Returns the field named `name`; throws for a name the table lacks (a programming error). */
export function field(name: string): FieldSpec {
  const spec = REQUEST_FIELDS.find((f) => f.name === name);
  if (spec === undefined) throw new RangeError(`no request field ${JSON.stringify(name)}`);
  return spec;
}

/** Returns the CLI flag of a field: its name with hyphens, e.g. xdim_mm → --xdim-mm. */
export function flagOf(spec: FieldSpec): string {
  return spec.flag ?? spec.name.replaceAll("_", "-");
}

/**
 * Returns the JSON Schema (OpenAPI 3.1) of a payload described by `fields` (default: the
 * DataMatrix payload; QR_REQUEST_FIELDS for QR): one property per field with its type,
 * nullability, enum, bounds, pattern, default, title and description; `gtin` is required
 * unless `element_string` replaces it (anyOf).
 */
export function payloadJsonSchema(
  fields: readonly FieldSpec[] = REQUEST_FIELDS,
): Record<string, unknown> {
  return {
    ...fieldsJsonSchema(fields),
    anyOf: [{ required: ["gtin"] }, { required: ["element_string"] }],
  };
}

/**
 * Returns the JSON Schema (OpenAPI 3.1) object of `fields`: one property per field with its
 * type, nullability, enum, bounds, pattern, default, title and description (an "object" field is
 * a map from AI to string). The payloads of other endpoints (the 1D barcode) describe themselves
 * with their own FieldSpec tables through this.
 */
export function fieldsJsonSchema(fields: readonly FieldSpec[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const f of fields) {
    const base: Record<string, unknown> =
      f.type === "object"
        ? {
            type: "object",
            additionalProperties: { type: "string" },
            propertyNames: { pattern: "^[0-9]{2,4}$" },
          }
        : { type: f.type };
    if (f.enum) base.enum = [...f.enum];
    if (f.minimum !== undefined) base.minimum = f.minimum;
    if (f.maximum !== undefined) base.maximum = f.maximum;
    if (f.pattern !== undefined) base.pattern = f.pattern;
    const schema: Record<string, unknown> = f.nullable ? { anyOf: [base, { type: "null" }] } : base;
    if (f.default !== undefined) schema.default = f.default;
    schema.title = f.title;
    schema.description = f.description;
    properties[f.name] = schema;
  }
  return { type: "object", properties };
}
