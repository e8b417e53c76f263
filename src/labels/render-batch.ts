// One batch of a job, as a render thread runs it: read its items from the job's items file,
// validate and render each exactly as the single endpoint would (planRender), and return the
// ZIP entries ready to append, the manifest rows and the items that failed. Pure with respect
// to the job: the same batch always gives the same bytes, which is what makes a resumed job
// identical to an uninterrupted one.
import { hash } from "node:crypto";
import { closeSync, openSync, readSync } from "node:fs";
import { BARCODE_FIELDS } from "../barcode/fields.js";
import { drawBarcode } from "../barcode/render.js";
import { planQrRender, planRender } from "../index.js";
import { type Issue, ValidationError } from "../issues.js";
import { parseQrPayload } from "../payload.js";
import { csvRow } from "./archive/csv-cells.js";
import { type EntryMeta, encodeEntries } from "./archive/entries.js";
import { compileFilenamePattern, suffixEntryName } from "./archive/filenames.js";
import { BARCODE_ITEM_DEFAULTS, COMBINED_SUFFIXES, splitCombinedConfig } from "./request.js";
import { renderSheetLabel } from "./sheets/render-labels.js";
import type { ItemError, JobSpec, SheetSpec } from "./types.js";

/** One line of a job's items file: an item with its row, or a row its source already refused. */
export type ItemLine =
  | { r: number; i: Record<string, unknown> }
  | { r: number; e: { field: string; message: string } };

// Reads one line of the items file: its item with its row, or null once the reason there is
// none (a row its source refused, or not a JSON object) is in `errors`.
function itemOf(
  text: string,
  errors: ItemError[],
): { r: number; i: Record<string, unknown> } | null {
  const line = JSON.parse(text) as ItemLine;
  if ("e" in line) {
    errors.push({ row: line.r, field: line.e.field, message: line.e.message });
    return null;
  }
  const item = line.i;
  if (typeof item !== "object" || item === null || Array.isArray(item)) {
    errors.push({ row: line.r, field: "item", message: "An item must be a JSON object." });
    return null;
  }
  return line;
}

/** A batch: the byte range [start, end) of the items file, holding items firstIndex.. on. */
export interface BatchTask {
  itemsFile: string;
  start: number;
  end: number;
  /** 0-based position of the batch's first item in the job. */
  firstIndex: number;
  /** Items in the whole job (the zero-padding width of {index}). */
  total: number;
  spec: Pick<JobSpec, "fileFormat" | "assetConfig" | "filenamePattern" | "sheet"> &
    Partial<Pick<JobSpec, "exportType">>;
  /** True once the job is known to fail (on_invalid "fail" and a bad item seen): validate only. */
  validateOnly: boolean;
}

/** What a batch produced. `block` holds the local headers and data of `entries`, in order. */
export interface BatchResult {
  block: Uint8Array;
  entries: EntryMeta[];
  /** manifest.csv rows (CRLF-terminated) of the rendered items. */
  manifest: string;
  errors: ItemError[];
  /** Items read (rendered + failed). */
  items: number;
  /**
   * sheet_pdf: `block` holds one content stream per label instead of entries; per label three
   * numbers: its byte length, width and height in points (SheetPdfWriter.appendLabels).
   */
  labels?: number[];
}

/** The manifest's header row, matching the rows renderBatch writes. */
export const MANIFEST_HEADER = csvRow([
  "index",
  "file_name",
  "data",
  "hri",
  "symbol_size",
  "sha256",
]);

/** Data fields of an item that render options may never override, and options items may not set. */
const OPTION_FIELDS = new Set(["format"]);

/**
 * Renders the items of `task` and returns their entries (SVG deflated; PNG and PDF stored: they
 * are compressed already), manifest rows and failures. Throws only for I/O errors on the items
 * file; an item that breaks a rule becomes an ItemError naming its row, field and message.
 */
export async function renderBatch(task: BatchTask): Promise<BatchResult> {
  const lines = readLines(task.itemsFile, task.start, task.end);
  if (task.spec.sheet) return renderSheetBatch(task, lines, task.spec.sheet);
  if (task.spec.exportType === "barcodes_1d") return renderBarcodeBatch(task, lines);
  if (task.spec.exportType === "codes_combined") return renderCombinedBatch(task, lines);
  const nameOf = compileFilenamePattern(task.spec.filenamePattern);
  const compress = task.spec.fileFormat === "svg";
  // qr_codes items are QR payloads, judged and drawn as the QR endpoint does.
  const plan = task.spec.exportType === "qr_codes" ? planQrRender : planRender;
  const files: { name: string; data: Uint8Array; compress: boolean }[] = [];
  const errors: ItemError[] = [];
  let manifest = "";
  let index = task.firstIndex;
  for (const text of lines) {
    const line = itemOf(text, errors);
    index++;
    if (line === null) continue;
    const item = line.i;
    const payload: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(item)) if (!OPTION_FIELDS.has(k)) payload[k] = v;
    Object.assign(payload, task.spec.assetConfig, { format: task.spec.fileFormat });
    let itemPlan: ReturnType<typeof planRender>;
    try {
      itemPlan = plan(payload);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      for (const issue of err.issues) {
        errors.push({ row: line.r, field: issue.field ?? "item", message: issue.message });
      }
      continue;
    }
    if (task.validateOnly || errors.length > 0) continue;
    const data = await itemPlan.draw();
    const symbol = itemPlan.symbol;
    const name = nameOf({
      index,
      total: task.total,
      gtin: stringField(item.gtin) ?? gtinOf(symbol.elementString),
      lot: stringField(item.lot),
      serial: stringField(item.serial),
      ext: task.spec.fileFormat,
    });
    files.push({ name, data, compress });
    manifest += csvRow([
      index,
      name,
      symbol.elementString,
      symbol.hri,
      `${symbol.rows}x${symbol.columns}`,
      hash("sha256", data, "hex"),
    ]);
  }
  // A batch with a failure renders nothing under on_invalid "fail"; the caller decides by mode.
  const { block, entries } = encodeEntries(files);
  return { block, entries, manifest, errors, items: lines.length };
}

/** The fields a barcodes_1d item may carry: the 1D endpoint's data fields. */
const BARCODE_ITEM_FIELDS = new Set([
  "gtin",
  "barcode_type",
  "element_string",
  "ais",
  ...BARCODE_ITEM_DEFAULTS,
]);

// barcodes_1d: each item through the 1D endpoint's own validation and drawing (drawBarcode),
// the job's barcode_type and check_character as defaults the item may override, the render
// options the job's. Manifest rows: data is what the symbol carries (check characters included;
// GS1-128 bracketed), hri the printed text, symbol_size the type drawn and the picture's size.
function renderBarcodeBatch(task: BatchTask, lines: string[]): BatchResult {
  const nameOf = compileFilenamePattern(task.spec.filenamePattern);
  // Text formats deflate well; PNG and PDF are compressed already.
  const compress = task.spec.fileFormat === "svg" || task.spec.fileFormat === "eps";
  const defaults: Record<string, unknown> = {};
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(task.spec.assetConfig)) {
    if ((BARCODE_ITEM_DEFAULTS as readonly string[]).includes(k)) defaults[k] = v;
    else options[k] = v;
  }
  const files: { name: string; data: Uint8Array; compress: boolean }[] = [];
  const errors: ItemError[] = [];
  let manifest = "";
  let index = task.firstIndex;
  for (const text of lines) {
    const line = itemOf(text, errors);
    index++;
    if (line === null) continue;
    const item = line.i;
    // A field the 1D symbol would ignore (a lot or serial from a DataMatrix item or CSV) is
    // refused: silently dropping it would print the same bars for different items.
    const stray = Object.keys(item).filter((k) => !BARCODE_ITEM_FIELDS.has(k));
    if (stray.length > 0) {
      for (const field of stray) {
        errors.push({
          row: line.r,
          field,
          message: `${field} is not a field of a barcodes_1d item (${[...BARCODE_ITEM_FIELDS].join(", ")}); GS1 data beyond the GTIN goes in element_string or ais as GS1-128, rendering options in asset_config.`,
        });
      }
      continue;
    }
    let drawn: ReturnType<typeof drawBarcode>;
    try {
      drawn = drawBarcode({ ...defaults, ...item, ...options, format: task.spec.fileFormat });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      for (const issue of err.issues) {
        errors.push({ row: line.r, field: issue.field ?? "item", message: issue.message });
      }
      continue;
    }
    if (task.validateOnly || errors.length > 0) continue;
    const data = drawn.image.body;
    const name = nameOf({
      index,
      total: task.total,
      gtin: gtinOf(drawn.request.data) ?? gtinDigits(drawn.request.type, drawn.text),
      lot: aiOf(item.ais, "10"),
      serial: aiOf(item.ais, "21"),
      ext: task.spec.fileFormat,
    });
    files.push({ name, data, compress });
    manifest += csvRow([
      index,
      name,
      drawn.text,
      drawn.hri,
      `${drawn.request.type} ${drawn.widthMm.toFixed(2)}x${drawn.heightMm.toFixed(2)}mm`,
      hash("sha256", data, "hex"),
    ]);
  }
  const { block, entries } = encodeEntries(files);
  return { block, entries, manifest, errors, items: lines.length };
}

/** The 1D endpoint's render fields: a 1D problem with one of them is the job's asset_config. */
const BARCODE_RENDER_FIELDS = new Set(
  BARCODE_FIELDS.filter((f) => f.group === "render").map((f) => f.name),
);

// codes_combined: per item, the QR exactly as qr_codes draws it (planQrRender on the item with
// the job's QR options), then a 1D barcode of the same item's data as barcodes_1d draws it
// (drawBarcode with the job's 1D options): its GTIN as the item wrote it, barcode_type auto
// choosing by its digits, or with gs1_128 every element the QR carries (as ais, so the 1D
// endpoint orders them). Entries QR then 1D, item by item, named by the pattern with -qr and -1d
// before the extension; one manifest row each, as the two single-symbol types write them.
async function renderCombinedBatch(task: BatchTask, lines: string[]): Promise<BatchResult> {
  const nameOf = compileFilenamePattern(task.spec.filenamePattern);
  const format = task.spec.fileFormat;
  const compress = format === "svg" || format === "eps";
  const config = splitCombinedConfig(task.spec.assetConfig);
  const files: { name: string; data: Uint8Array; compress: boolean }[] = [];
  const errors: ItemError[] = [];
  let manifest = "";
  let index = task.firstIndex;
  for (const text of lines) {
    const line = itemOf(text, errors);
    index++;
    if (line === null) continue;
    const item = line.i;
    const payload: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(item)) {
      if (!OPTION_FIELDS.has(k) && k !== "barcode_type") payload[k] = v;
    }
    Object.assign(payload, config.qr, { format });
    let plan: ReturnType<typeof planQrRender>;
    try {
      plan = planQrRender(payload);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      for (const issue of err.issues) {
        errors.push({ row: line.r, field: issue.field ?? "item", message: issue.message });
      }
      continue;
    }
    // The item's own barcode_type wins over the job's, as in barcodes_1d.
    const type = item.barcode_type ?? config.barcodeType ?? "auto";
    if (type === "code128" || type === "code39") {
      errors.push({
        row: line.r,
        field: "barcode_type",
        message: `barcode_type "${type}" carries free text, not the item's GS1 data; codes_combined draws the other barcode types.`,
      });
      continue;
    }
    const data = combinedBarcodeData(type, item, payload);
    if (Object.keys(data).length === 0) {
      errors.push({
        row: line.r,
        field: "barcode_type",
        message: `The item carries no GTIN (AI 01) for a barcode_type "${type}" symbol; use gs1_128 for its other elements.`,
      });
      continue;
    }
    let drawn: ReturnType<typeof drawBarcode>;
    try {
      drawn = drawBarcode({ barcode_type: type, ...data, ...config.barcode, format });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      for (const issue of err.issues) {
        errors.push({
          row: line.r,
          field: combinedBarcodeField(issue, item, data),
          message: `The 1D barcode of this item: ${issue.message}`,
        });
      }
      continue;
    }
    if (task.validateOnly || errors.length > 0) continue;
    const symbol = plan.symbol;
    const name = nameOf({
      index,
      total: task.total,
      gtin: stringField(item.gtin) ?? gtinOf(symbol.elementString),
      lot: stringField(item.lot),
      serial: stringField(item.serial),
      ext: format,
    });
    const qrData = await plan.draw();
    const qrName = suffixEntryName(name, COMBINED_SUFFIXES.qr, format);
    files.push({ name: qrName, data: qrData, compress });
    manifest += csvRow([
      index,
      qrName,
      symbol.elementString,
      symbol.hri,
      `${symbol.rows}x${symbol.columns}`,
      hash("sha256", qrData, "hex"),
    ]);
    const barcodeData = drawn.image.body;
    const barcodeName = suffixEntryName(name, COMBINED_SUFFIXES.barcode, format);
    files.push({ name: barcodeName, data: barcodeData, compress });
    manifest += csvRow([
      index,
      barcodeName,
      drawn.text,
      drawn.hri,
      `${drawn.request.type} ${drawn.widthMm.toFixed(2)}x${drawn.heightMm.toFixed(2)}mm`,
      hash("sha256", barcodeData, "hex"),
    ]);
  }
  const { block, entries } = encodeEntries(files);
  return { block, entries, manifest, errors, items: lines.length };
}

// The 1D data of a codes_combined item whose QR payload `qrPayload` was judged valid: the gtin
// as written (spaces and hyphens stripped, as the QR does), else the AI (01) the QR carries;
// gs1_128: every element of the QR. Re-parsed only when the item's gtin field will not do.
function combinedBarcodeData(
  type: unknown,
  item: Record<string, unknown>,
  qrPayload: Record<string, unknown>,
): { gtin: string } | { ais: Record<string, string> } | Record<string, never> {
  if (type !== "gs1_128" && typeof item.gtin === "string") {
    return { gtin: item.gtin.replace(/[ -]/g, "") };
  }
  const elements = parseQrPayload(qrPayload).data?.elements ?? [];
  if (type === "gs1_128") return { ais: Object.fromEntries(elements.map((e) => [e.ai, e.value])) };
  const gtin = elements.find((e) => e.ai === "01")?.value;
  return gtin === undefined ? {} : { gtin };
}

// Where a 1D problem of a codes_combined item lies: a render field is the job's asset_config;
// data the item wrote as gtin is its gtin; data the job derived (the GS1-128 elements, the GTIN
// of an element string) does not fit the barcode_type chosen.
function combinedBarcodeField(
  issue: Issue,
  item: Record<string, unknown>,
  data: Record<string, unknown>,
): string {
  if (issue.field === "quiet_zone") return "asset_config.barcode_quiet_zone";
  if (issue.field !== null && BARCODE_RENDER_FIELDS.has(issue.field)) {
    return `asset_config.${issue.field}`;
  }
  if (issue.field === "gtin" && "gtin" in data && typeof item.gtin === "string") return "gtin";
  return "barcode_type";
}

// An AI's value from an item's ais object, for file names.
function aiOf(ais: unknown, ai: string): string | undefined {
  return typeof ais === "object" && ais !== null
    ? stringField((ais as Record<string, unknown>)[ai])
    : undefined;
}

// EAN/UPC/ITF-14 symbols carry a GTIN (check digit included); Code 39/128 text is no GTIN.
function gtinDigits(type: string, text: string): string | undefined {
  return type === "code128" || type === "code39" ? undefined : text;
}

// The sheet renderer's batch: one content stream per label, placed later by the coordinator.
function renderSheetBatch(task: BatchTask, lines: string[], sheet: SheetSpec): BatchResult {
  const errors: ItemError[] = [];
  const parts: Uint8Array[] = [];
  const labels: number[] = [];
  for (const text of lines) {
    const line = itemOf(text, errors);
    if (line === null) continue;
    const item = line.i;
    const label = renderSheetLabel(item, line.r, task.spec.assetConfig, sheet, errors);
    if (label === null || task.validateOnly || errors.length > 0) continue;
    parts.push(label.content);
    labels.push(label.content.length, label.widthPt, label.heightPt);
  }
  const block = Buffer.concat(parts);
  return { block, entries: [], manifest: "", errors, items: lines.length, labels };
}

function stringField(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

// The GTIN of an element string or Digital Link, for file names of items sent as
// element_string: "(01)" leads every GS1 element string with a GTIN.
function gtinOf(elementString: string): string | undefined {
  const m = /(?:^01|\/01\/)(\d{14})/.exec(elementString);
  return m?.[1];
}

// Reads [start, end) of the items file and splits it into lines (the range ends on a newline).
function readLines(path: string, start: number, end: number): string[] {
  const buffer = Buffer.allocUnsafe(end - start);
  const fd = openSync(path, "r");
  try {
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, start + read);
      if (n === 0) throw new Error(`${path} ends at ${start + read}, before ${end}`);
      read += n;
    }
  } finally {
    closeSync(fd);
  }
  const text = buffer.toString("utf8");
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}
