// The sheet renderer: a batch of items → one content stream per label (the single PDF's drawing,
// render/pdf.ts pdfContentOf, laid out for the template's cell by label.ts), run in the render
// threads like the ZIP renderer. The coordinator's SheetPdfWriter only places them.
import { describeValue, ValidationError } from "../../issues.js";
import { hriLinesOf, prepare } from "../../prepare.js";
import { pdfContentOf } from "../../render/pdf.js";
import type { ItemError, SheetSpec } from "../types.js";
import { LabelFitError, labelPicture } from "./label.js";

/** Most label_text lines an item may carry, and their longest. */
export const MAX_LABEL_TEXT_LINES = 6;
export const MAX_LABEL_TEXT_CHARS = 80;
const PRINTABLE = /^[\x20-\x7e]*$/;

/** One item's label: its content stream bytes and picture size in points. */
export interface SheetLabel {
  content: Uint8Array;
  widthPt: number;
  heightPt: number;
}

/**
 * Renders `item` (row `row`) as a label for `sheet`: the datamatrix payload with `assetConfig`
 * as rendering options and its own `label_text` (a string, "\n" between lines, or an array of
 * strings) as extra lines under the HRI. Returns the label, or pushes ItemErrors naming the row,
 * field and rule and returns null.
 */
export function renderSheetLabel(
  item: Record<string, unknown>,
  row: number,
  assetConfig: Record<string, unknown>,
  sheet: SheetSpec,
  errors: ItemError[],
): SheetLabel | null {
  const { label_text: labelText, format: _format, ...data } = item;
  const extra = readLabelText(labelText, row, errors);
  let prepared: ReturnType<typeof prepare>;
  try {
    prepared = prepare({ ...data, ...assetConfig, format: "pdf" });
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    for (const issue of err.issues) {
      errors.push({ row, field: issue.field ?? "item", message: issue.message });
    }
    return null;
  }
  if (extra === null) return null;
  try {
    const picture = labelPicture(
      prepared.symbol,
      prepared.options,
      [...hriLinesOf(prepared), ...extra],
      sheet.template,
      extra.length > 0,
    );
    return pdfContentOf(picture);
  } catch (err) {
    if (!(err instanceof LabelFitError)) throw err;
    errors.push({ row, field: err.field, message: err.message });
    return null;
  }
}

// label_text → lines, or null after pushing the problem.
function readLabelText(value: unknown, row: number, errors: ItemError[]): string[] | null {
  if (value === undefined || value === null) return [];
  const lines =
    typeof value === "string"
      ? value.split(/\r?\n/)
      : Array.isArray(value) && value.every((v) => typeof v === "string")
        ? (value as string[])
        : null;
  let message: string | null = null;
  if (lines === null) {
    message = `label_text must be a string or an array of strings; got ${describeValue(value)}.`;
  } else if (lines.length > MAX_LABEL_TEXT_LINES) {
    message = `label_text has ${lines.length} lines; at most ${MAX_LABEL_TEXT_LINES}.`;
  } else {
    for (const line of lines) {
      if (line.length > MAX_LABEL_TEXT_CHARS) {
        message = `label_text line ${JSON.stringify(line.slice(0, 20))}… has ${line.length} characters; at most ${MAX_LABEL_TEXT_CHARS}.`;
        break;
      }
      if (!PRINTABLE.test(line)) {
        message = `label_text line ${JSON.stringify(line)} has a character the OCR-B outlines do not cover; printable ASCII only (space to ~).`;
        break;
      }
    }
  }
  if (message === null) return lines as string[];
  errors.push({ row, field: "label_text", message });
  return null;
}
