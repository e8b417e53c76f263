// The body of POST /products/api/v1/labels/export/ → a JobSpec, or every problem at once. The
// rendering options are the datamatrix endpoint's own (validated by the same code, so a bad
// xdim_mm reads the same here and there); items are validated one by one later, by the job, with
// exactly the single endpoint's rules.
import { BARCODE_FIELDS, BARCODE_TYPES } from "../barcode/fields.js";
import { parseBarcodePayload } from "../barcode/payload.js";
import { describeValue, type Issue, ValidationError } from "../issues.js";
import { parsePayload, parseQrPayload } from "../payload.js";
import { readBoolean, readEnum, readText } from "../read-field.js";
import type { RenderOptions } from "../render/options.js";
import {
  compileFilenamePattern,
  DEFAULT_FILENAME_PATTERN,
  validateFilenamePattern,
} from "./archive/filenames.js";
import { smallestSymbolMisfit } from "./sheets/label.js";
import { resolveTemplate, TEMPLATES } from "./sheets/templates.js";
import type { ExportType, JobSpec, SheetSpec } from "./types.js";

/** Export types this service knows, and the ones it renders today. */
export const EXPORT_TYPES: readonly ExportType[] = [
  "datamatrix",
  "qr_codes",
  "barcodes_1d",
  "codes_combined",
  "sheet_pdf",
];
export const SUPPORTED_EXPORT_TYPES: readonly ExportType[] = [
  "datamatrix",
  "qr_codes",
  "barcodes_1d",
  "codes_combined",
  "sheet_pdf",
];

/** The file formats each supported export type takes (a ZIP of one symbol per item; one PDF). */
export const FILE_FORMATS: Readonly<Partial<Record<ExportType, readonly JobSpec["fileFormat"][]>>> =
  {
    datamatrix: ["svg", "png", "pdf"],
    qr_codes: ["svg", "png", "pdf"],
    // EPS is what label-printer drivers and prepress take for 1D; the 1D endpoint's formats.
    barcodes_1d: ["svg", "eps", "png", "pdf"],
    // Both endpoints draw EPS (the QR one since its Type 3 HRI font), so the pair can be EPS too.
    codes_combined: ["svg", "eps", "png", "pdf"],
    sheet_pdf: ["pdf"],
  };

/** asset_config fields of sheet_pdf jobs only: how the labels go onto the sheets. */
export const SHEET_FIELDS = ["sheet_template", "start_position", "proof"] as const;

/** The QR endpoint's own rendering fields: asset_config of qr_codes jobs only. */
export const QR_ASSET_FIELDS = ["size", "error_correction"] as const;

/** The datamatrix endpoint's rendering fields that every item of a job shares. */
export const ASSET_CONFIG_FIELDS = [
  "shape",
  "xdim_mm",
  "quiet_zone",
  "dpi",
  "dark_color",
  "light_color",
  "hri",
  "hri_titles",
  "data_format",
  "dl_base_url",
  "strict_expiry",
  "filename_pattern",
  ...SHEET_FIELDS,
  ...QR_ASSET_FIELDS,
] as const;

/**
 * barcodes_1d: the 1D endpoint's rendering fields every item shares (its "render" group, less
 * format: that is the job's file_format), and two data fields as the job's default for items
 * that do not name them (a CSV of GTINs has no barcode_type column).
 */
export const BARCODE_ASSET_CONFIG_FIELDS: readonly string[] = [
  "barcode_type",
  "check_character",
  ...BARCODE_FIELDS.filter((f) => f.group === "render" && f.name !== "format").map((f) => f.name),
  "filename_pattern",
];

/**
 * barcodes_1d's default file name: most 1D items have no lot or serial of their own (those of
 * a GS1-128 item given as ais still fill {lot} and {serial}).
 */
export const BARCODE_FILENAME_PATTERN = "{index}-{gtin}.{ext}";

/** barcodes_1d: the asset_config fields an item may set itself (its own wins). */
export const BARCODE_ITEM_DEFAULTS = ["barcode_type", "check_character"] as const;

/**
 * codes_combined: the asset_config fields of its QR (QR endpoint rules), of its 1D barcode (1D
 * endpoint rules), the ones both symbols take (judged by both), and the two quiet zones. The
 * endpoints' own `quiet_zone` means modules to one and millimetres to the other, so here each
 * symbol's has a name of its own and the plain name is refused.
 */
export const COMBINED_QR_FIELDS = [
  "xdim_mm",
  "hri",
  "hri_titles",
  "data_format",
  "dl_base_url",
  "strict_expiry",
  ...QR_ASSET_FIELDS,
] as const;
export const COMBINED_BARCODE_FIELDS = [
  "barcode_type",
  "module_width",
  "module_height",
  "font_size",
  "write_text",
  "embed_font",
  "bwr_mm",
] as const;
export const COMBINED_SHARED_FIELDS = ["dpi", "dark_color", "light_color"] as const;
export const COMBINED_QUIET_ZONES = { qr_quiet_zone: "qr", barcode_quiet_zone: "1d" } as const;
export const COMBINED_ASSET_CONFIG_FIELDS: readonly string[] = [
  ...COMBINED_QR_FIELDS,
  ...COMBINED_BARCODE_FIELDS,
  ...COMBINED_SHARED_FIELDS,
  ...Object.keys(COMBINED_QUIET_ZONES),
  "filename_pattern",
];

/**
 * codes_combined's 1D symbol carries the item's GS1 data; Code 128 and Code 39 carry free text
 * the QR has no counterpart of, so they are not among its barcode types.
 */
export const COMBINED_BARCODE_TYPES = BARCODE_TYPES.filter(
  (t) => t !== "code128" && t !== "code39",
);

/** codes_combined: the tags put before each entry's extension, QR first (see suffixEntryName). */
export const COMBINED_SUFFIXES = { qr: "-qr", barcode: "-1d" } as const;

/** Most items a request may carry inline (larger lots come as CSV or a serial generator). */
export const MAX_INLINE_ITEMS = 10_000;

// A sample item that is valid under any rendering options, so validating the asset config
// through the payload parser reports the options' problems alone.
const SAMPLE_ITEM = { gtin: "09506000134352", lot: "A" };

/** What the request parser returns: the spec less the item source, plus the inline items. */
export interface ParsedExportRequest {
  spec: Omit<JobSpec, "source">;
  /** Inline items (`items`), or null when the items come from elsewhere. */
  items: unknown[] | null;
  /** The raw serial generator request (`serials`), or null; parsed by the serial module. */
  serials: unknown | null;
}

/**
 * Validates the job fields of `body` (export_type, file_format, asset_config, on_invalid, items
 * or serials, and that scope/filters are absent) and returns them, or throws ValidationError
 * listing every problem with `loc` under "body". `itemsFromUpload` says the items come as a CSV
 * upload, so neither `items` nor `serials` may be given.
 */
export function parseExportRequest(body: unknown, itemsFromUpload: boolean): ParsedExportRequest {
  const issues: Issue[] = [];
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ValidationError([
      {
        field: null,
        value: body,
        rule: "object_type",
        message: `The request must be a JSON object; got ${describeValue(body)}.`,
      },
    ]);
  }
  const b = body as Record<string, unknown>;
  for (const field of ["scope", "filters"]) {
    if (b[field] !== undefined) {
      issues.push({
        field,
        value: b[field],
        rule: "unsupported",
        message:
          `${field} selects stored products, lots or serials, and this service keeps none: ` +
          "send the items themselves (items, a CSV upload, or serials).",
      });
    }
  }
  const exportType = readEnum(b, "export_type", EXPORT_TYPES, "datamatrix", issues);
  if (!SUPPORTED_EXPORT_TYPES.includes(exportType)) {
    issues.push({
      field: "export_type",
      value: exportType,
      rule: "supported",
      message: `export_type "${exportType}" is not available yet; supported: ${SUPPORTED_EXPORT_TYPES.join(", ")}.`,
    });
  }
  const formats = FILE_FORMATS[exportType] ?? ["svg", "png", "pdf"];
  const fileFormat = readEnum(
    b,
    "file_format",
    formats,
    formats.includes("svg") ? "svg" : formats[0],
    issues,
  );
  const onInvalid = readEnum(b, "on_invalid", ["fail", "skip"] as const, "fail", issues);
  const { assetConfig, filenamePattern, options, sheetFields } =
    exportType === "barcodes_1d"
      ? readBarcodeAssetConfig(b.asset_config, fileFormat, issues)
      : exportType === "codes_combined"
        ? readCombinedAssetConfig(b.asset_config, fileFormat, issues)
        : readAssetConfig(b.asset_config, fileFormat, issues, exportType);
  const sheet = readSheet(exportType, sheetFields, options, issues);
  if (exportType === "sheet_pdf" && onInvalid === "skip") {
    // A ZIP carries errors.csv beside the labels; a PDF has no place for it, and a completed
    // job has no other way to report the items it left out.
    issues.push({
      field: "on_invalid",
      value: onInvalid,
      rule: "supported",
      message:
        'on_invalid "skip" is not available for sheet_pdf yet (the PDF cannot carry the report of skipped items); use "fail", which lists every bad item.',
    });
  }

  let items: unknown[] | null = null;
  let serials: unknown | null = null;
  const given = ["items", "serials"].filter((f) => b[f] !== undefined);
  if (itemsFromUpload && given.length > 0) {
    issues.push({
      field: given[0],
      value: b[given[0]],
      rule: "exclusive",
      message: `${given[0]} cannot be sent with a CSV file: the file holds the items.`,
    });
  } else if (!itemsFromUpload && given.length !== 1) {
    issues.push({
      field: given.length === 0 ? "items" : given[1],
      value: given.length === 0 ? undefined : b[given[1]],
      rule: given.length === 0 ? "missing" : "exclusive",
      message:
        given.length === 0
          ? "A job needs items: an items array, a serials generator, or a CSV file (multipart/form-data or text/csv)."
          : "Send either items or serials, not both.",
    });
  } else if (b.items !== undefined) {
    if (!Array.isArray(b.items) || b.items.length === 0 || b.items.length > MAX_INLINE_ITEMS) {
      issues.push({
        field: "items",
        value: Array.isArray(b.items) ? `${b.items.length} items` : b.items,
        rule: Array.isArray(b.items) ? "length" : "array_type",
        message: Array.isArray(b.items)
          ? `items must hold 1 to ${MAX_INLINE_ITEMS} payloads (got ${b.items.length}); send larger lots as a CSV file.`
          : `items must be an array of datamatrix payloads; got ${describeValue(b.items)}.`,
      });
    } else items = b.items;
  } else if (b.serials !== undefined) {
    if (exportType === "barcodes_1d") {
      // The generator makes DataMatrix items (gtin, lot, serial...); a 1D symbol of the GTIN
      // would drop the serial and print the same bars for every item.
      issues.push({
        field: "serials",
        value: b.serials,
        rule: "export_type",
        message:
          'serials is not available for export_type "barcodes_1d": a 1D symbol carries the serial only as GS1-128 data; send items with element_string or ais, e.g. {"element_string": "(01)09506000134352(21)SN001"}.',
      });
    } else serials = b.serials;
  }

  if (issues.length > 0) throw new ValidationError(issues);
  return {
    spec: {
      exportType,
      fileFormat,
      assetConfig,
      filenamePattern,
      onInvalid,
      ...(sheet ? { sheet } : {}),
    },
    items,
    serials,
  };
}

// Validates asset_config: only the shared rendering fields, each by its endpoint's own rules
// (through its parser, on a sample item: the QR one for qr_codes), plus filename_pattern. shape
// is DataMatrix only, size and error_correction QR only.
function readAssetConfig(
  value: unknown,
  format: string,
  issues: Issue[],
  exportType: ExportType = "datamatrix",
): {
  assetConfig: Record<string, unknown>;
  filenamePattern: string;
  options: RenderOptions | null;
  sheetFields: Record<string, unknown>;
} {
  const assetConfig: Record<string, unknown> = {};
  const sheetFields: Record<string, unknown> = {};
  let filenamePattern = DEFAULT_FILENAME_PATTERN;
  const qr = exportType === "qr_codes";
  const parse = (payload: unknown) => (qr ? parseQrPayload(payload) : parsePayload(payload));
  if (value === undefined) {
    const { options } = parse({ ...SAMPLE_ITEM, format });
    return { assetConfig, filenamePattern, options, sheetFields };
  }
  if (!isConfigObject(value, issues)) {
    return { assetConfig, filenamePattern, options: null, sheetFields };
  }
  const config = value as Record<string, unknown>;
  for (const [field, v] of Object.entries(config)) {
    const qrOnly = (QR_ASSET_FIELDS as readonly string[]).includes(field);
    if ((qrOnly && !qr) || (field === "shape" && qr)) {
      issues.push({
        field: `asset_config.${field}`,
        value: v,
        rule: "export_type",
        message: `asset_config.${field} applies to export_type "${qrOnly ? "qr_codes" : "datamatrix"}" only; this job's is "${exportType}".`,
      });
      continue;
    }
    if ((ASSET_CONFIG_FIELDS as readonly string[]).includes(field)) {
      if ((SHEET_FIELDS as readonly string[]).includes(field)) sheetFields[field] = v;
      else if (field !== "filename_pattern") assetConfig[field] = v;
      continue;
    }
    issues.push({
      field: `asset_config.${field}`,
      value: v,
      rule: "unknown_field",
      message:
        field === "format"
          ? "asset_config.format: the format of every item is the job's file_format."
          : `asset_config.${field} is not a rendering option shared by a job's items; one of ${ASSET_CONFIG_FIELDS.join(", ")}. Item data (gtin, lot, serial, ...) belongs in the items.`,
    });
  }
  const parsed = parse({ ...SAMPLE_ITEM, ...assetConfig, format });
  const problems = parsed.issues;
  for (const issue of problems) {
    issues.push({
      ...issue,
      field: issue.field === null ? "asset_config" : `asset_config.${issue.field}`,
    });
  }
  const pattern = readText(config, "filename_pattern", DEFAULT_FILENAME_PATTERN, issues);
  const before = issues.length;
  checkFilenamePattern(pattern, issues);
  if (issues.length === before) filenamePattern = pattern;
  for (const issue of issues) {
    if (issue.field === "filename_pattern") issue.field = "asset_config.filename_pattern";
  }
  return {
    assetConfig,
    filenamePattern,
    options: problems.length === 0 ? parsed.options : null,
    sheetFields,
  };
}

// Whether asset_config `value` (given) is an object; when not, the issue is in `issues`.
function isConfigObject(value: unknown, issues: Issue[]): value is Record<string, unknown> {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return true;
  issues.push({
    field: "asset_config",
    value,
    rule: "object_type",
    message: `asset_config must be an object of rendering options; got ${describeValue(value)}.`,
  });
  return false;
}

// barcodes_1d's asset_config: only BARCODE_ASSET_CONFIG_FIELDS, each by the 1D endpoint's own
// rules (its payload parser on a sample GTIN, the item defaults read on their own since the
// sample need not fit every barcode_type), plus filename_pattern.
function readBarcodeAssetConfig(
  value: unknown,
  format: string,
  issues: Issue[],
): {
  assetConfig: Record<string, unknown>;
  filenamePattern: string;
  options: null;
  sheetFields: Record<string, unknown>;
} {
  const assetConfig: Record<string, unknown> = {};
  const sheetFields: Record<string, unknown> = {};
  let filenamePattern = BARCODE_FILENAME_PATTERN;
  const none = { assetConfig, filenamePattern, options: null, sheetFields };
  if (value === undefined) return none;
  if (!isConfigObject(value, issues)) {
    return none;
  }
  const config = value as Record<string, unknown>;
  const render: Record<string, unknown> = {};
  for (const [field, v] of Object.entries(config)) {
    if (BARCODE_ASSET_CONFIG_FIELDS.includes(field)) {
      if (field === "filename_pattern") continue;
      assetConfig[field] = v;
      if (!(BARCODE_ITEM_DEFAULTS as readonly string[]).includes(field)) render[field] = v;
      continue;
    }
    issues.push({
      field: `asset_config.${field}`,
      value: v,
      rule: "unknown_field",
      message:
        field === "format"
          ? "asset_config.format: the format of every item is the job's file_format."
          : `asset_config.${field} is not an option of export_type "barcodes_1d"; one of ${BARCODE_ASSET_CONFIG_FIELDS.join(", ")}. Item data (gtin, element_string, ais) belongs in the items.`,
    });
  }
  const prefixed = (list: Issue[]) =>
    list.map((issue) => ({ ...issue, field: `asset_config.${issue.field ?? ""}` }));
  const defaults: Issue[] = [];
  readEnum(config, "barcode_type", BARCODE_TYPES, "auto", defaults);
  readBoolean(config, "check_character", false, defaults);
  issues.push(...prefixed(defaults));
  // An ITF-14 by auto: every render field applies to it.
  const sample = parseBarcodePayload({ gtin: "09506000134352", ...render, format });
  issues.push(...prefixed(sample.issues));
  const pattern = readText(config, "filename_pattern", BARCODE_FILENAME_PATTERN, issues);
  const before = issues.length;
  checkFilenamePattern(pattern, issues);
  if (issues.length === before) filenamePattern = pattern;
  for (const issue of issues) {
    if (issue.field === "filename_pattern") issue.field = "asset_config.filename_pattern";
  }
  return { assetConfig, filenamePattern, options: null, sheetFields };
}

/**
 * codes_combined: a stored asset_config split into the QR endpoint's payload fields and the 1D
 * endpoint's render fields (each symbol's quiet zone under the endpoint's own name; the shared
 * fields in both), and the job's default barcode_type (undefined when not given).
 */
export function splitCombinedConfig(config: Record<string, unknown>): {
  qr: Record<string, unknown>;
  barcode: Record<string, unknown>;
  barcodeType: unknown;
} {
  const qr: Record<string, unknown> = {};
  const barcode: Record<string, unknown> = {};
  for (const [field, v] of Object.entries(config)) {
    if (field === "qr_quiet_zone") qr.quiet_zone = v;
    else if (field === "barcode_quiet_zone") barcode.quiet_zone = v;
    else if ((COMBINED_SHARED_FIELDS as readonly string[]).includes(field)) {
      qr[field] = v;
      barcode[field] = v;
    } else if ((COMBINED_QR_FIELDS as readonly string[]).includes(field)) qr[field] = v;
    else if (field !== "barcode_type") barcode[field] = v;
  }
  return { qr, barcode, barcodeType: config.barcode_type };
}

// Why a field of another export type is no option of codes_combined, or null when it is simply
// unknown.
function combinedMisfit(field: string, value: unknown): { rule: string; message: string } | null {
  const got = `got ${describeValue(value)}`;
  if (field === "quiet_zone") {
    return {
      rule: "ambiguous",
      message: `asset_config.quiet_zone is modules to the QR endpoint and millimetres to the 1D one (${got}); for codes_combined give qr_quiet_zone (modules) and barcode_quiet_zone (mm).`,
    };
  }
  if (field === "check_character") {
    return {
      rule: "export_type",
      message: `asset_config.check_character is for Code 39, which export_type "codes_combined" does not draw: its 1D barcode carries the item's GS1 data (${got}).`,
    };
  }
  const owner =
    field === "shape"
      ? "datamatrix"
      : (SHEET_FIELDS as readonly string[]).includes(field)
        ? "sheet_pdf"
        : null;
  if (owner === null) return null;
  return {
    rule: "export_type",
    message: `asset_config.${field} applies to export_type "${owner}" only; this job's is "codes_combined" (${got}).`,
  };
}

// codes_combined's asset_config: each field judged by the endpoint whose symbol it shapes (the
// QR parser on a sample item, the 1D parser on a sample GTIN), the shared ones by both with a
// problem both find reported once, plus filename_pattern (the datamatrix default: QR items have
// a lot or serial).
function readCombinedAssetConfig(
  value: unknown,
  format: string,
  issues: Issue[],
): {
  assetConfig: Record<string, unknown>;
  filenamePattern: string;
  options: null;
  sheetFields: Record<string, unknown>;
} {
  const assetConfig: Record<string, unknown> = {};
  const sheetFields: Record<string, unknown> = {};
  let filenamePattern = DEFAULT_FILENAME_PATTERN;
  const none = { assetConfig, filenamePattern, options: null, sheetFields };
  if (value === undefined) return none;
  if (!isConfigObject(value, issues)) {
    return none;
  }
  const config = value as Record<string, unknown>;
  for (const [field, v] of Object.entries(config)) {
    if (COMBINED_ASSET_CONFIG_FIELDS.includes(field)) {
      if (field !== "filename_pattern") assetConfig[field] = v;
      continue;
    }
    const misfit = combinedMisfit(field, v);
    issues.push({
      field: `asset_config.${field}`,
      value: v,
      rule: misfit?.rule ?? "unknown_field",
      message:
        misfit?.message ??
        (field === "format"
          ? "asset_config.format: the format of every item is the job's file_format."
          : `asset_config.${field} is not an option of export_type "codes_combined"; one of ${COMBINED_ASSET_CONFIG_FIELDS.join(", ")}. Item data (gtin, lot, serial, ...) belongs in the items.`),
    });
  }
  const { qr, barcode, barcodeType } = splitCombinedConfig(assetConfig);
  const found: Issue[] = [];
  if (barcodeType === "code128" || barcodeType === "code39") {
    found.push({
      field: "barcode_type",
      value: barcodeType,
      rule: "export_type",
      message: `barcode_type "${barcodeType}" carries free text, not the item's GS1 data the QR carries; codes_combined takes ${COMBINED_BARCODE_TYPES.join(", ")}.`,
    });
  } else readEnum(config, "barcode_type", COMBINED_BARCODE_TYPES, "auto", found);
  const renamed = (list: Issue[], quietZone: string) =>
    list.map((i) =>
      // The endpoints' messages say quiet_zone; the user wrote the combined field's name.
      i.field === "quiet_zone"
        ? { ...i, field: quietZone, message: i.message.replace(/\bquiet_zone\b/g, quietZone) }
        : i,
    );
  found.push(...renamed(parseQrPayload({ ...SAMPLE_ITEM, ...qr, format }).issues, "qr_quiet_zone"));
  // An ITF-14 by auto: every 1D render field applies to it.
  const sample = parseBarcodePayload({ gtin: "09506000134352", ...barcode, format });
  found.push(...renamed(sample.issues, "barcode_quiet_zone"));
  const seen = new Set<string>();
  for (const issue of found) {
    // dpi, dark_color and light_color are judged twice; one answer per field and rule.
    const key = `${issue.field} ${issue.rule}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({
      ...issue,
      field: issue.field === null ? "asset_config" : `asset_config.${issue.field}`,
    });
  }
  const pattern = readText(config, "filename_pattern", DEFAULT_FILENAME_PATTERN, issues);
  const before = issues.length;
  checkFilenamePattern(pattern, issues);
  if (issues.length === before) filenamePattern = pattern;
  for (const issue of issues) {
    if (issue.field === "filename_pattern") issue.field = "asset_config.filename_pattern";
  }
  return { assetConfig, filenamePattern, options: null, sheetFields };
}

// The sheet fields of asset_config: required for sheet_pdf (sheet_template), refused for other
// types. A template whose cells cannot hold even the smallest symbol the options allow is
// refused here, before any work; larger symbols are checked per item.
function readSheet(
  exportType: ExportType,
  fields: Record<string, unknown>,
  options: RenderOptions | null,
  issues: Issue[],
): SheetSpec | null {
  if (exportType !== "sheet_pdf") {
    for (const [field, v] of Object.entries(fields)) {
      issues.push({
        field: `asset_config.${field}`,
        value: v,
        rule: "export_type",
        message: `asset_config.${field} applies to export_type "sheet_pdf" only; this job's is "${exportType}".`,
      });
    }
    return null;
  }
  if (fields.sheet_template === undefined) {
    issues.push({
      field: "asset_config.sheet_template",
      value: undefined,
      rule: "missing",
      message: `asset_config.sheet_template is required for sheet_pdf: a template name (${TEMPLATES.map((t) => t.name).join(", ")}) or a custom template object.`,
    });
    return null;
  }
  const template = resolveTemplate(fields.sheet_template, "asset_config.sheet_template", issues);
  const proof = fields.proof ?? false;
  if (typeof proof !== "boolean") {
    issues.push({
      field: "asset_config.proof",
      value: proof,
      rule: "boolean_type",
      message: `asset_config.proof must be true or false; got ${describeValue(proof)}.`,
    });
  }
  if (template === null) return null;
  const cells = template.columns * template.rows;
  const start = fields.start_position ?? 0;
  if (!Number.isInteger(start) || (start as number) < 0 || (start as number) >= cells) {
    issues.push({
      field: "asset_config.start_position",
      value: start,
      rule: "range",
      message: `asset_config.start_position must be a whole number from 0 to ${cells - 1} (cells of the first sheet to leave empty; ${template.name} has ${cells}); got ${describeValue(start)}.`,
    });
    return null;
  }
  if (options !== null) {
    const misfit = smallestSymbolMisfit(
      template,
      options.shape,
      options.quietZoneModules,
      options.xdimMm,
    );
    if (misfit !== null) {
      issues.push({
        field: "asset_config.xdim_mm",
        value: options.xdimMm,
        rule: "fits_template",
        message: misfit,
      });
    }
  }
  return { template, startPosition: start as number, proof: proof === true };
}

// Entry names must be unique without remembering a million of them (a resumed job would have
// to rebuild that memory): a pattern that begins with {index} makes them so.
function checkFilenamePattern(pattern: string, issues: Issue[]): void {
  const issue = validateFilenamePattern(pattern);
  if (issue) {
    issues.push(issue);
    return;
  }
  if (!compileFilenamePattern(pattern).collisionFree) {
    issues.push({
      field: "filename_pattern",
      value: pattern,
      rule: "index_first",
      message: `filename_pattern must begin with {index}, so that every file name in the ZIP is unique; got ${JSON.stringify(pattern)}.`,
    });
  }
}
