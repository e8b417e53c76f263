// One label of a sheet: where the symbol and its text go inside a cell. The symbol keeps its true
// X-dimension (xdim_mm) — it is never scaled to fit; a symbol that does not fit is an error
// naming the template, the symbol's size with its quiet zone, and the cell. The text (HRI lines,
// then the item's label_text lines) goes under the symbol when the cell is tall enough, else
// beside it when it is wide enough, in the HRI font at HRI_FONT_PT, exactly as the single PDF.
import {
  HRI_BASELINE_EM,
  HRI_CHAR_EM,
  HRI_FONT_PT,
  HRI_LINE_EM,
  type Layout,
  layoutPicture,
  type Picture,
} from "../../render/layout.js";
import type { RenderOptions } from "../../render/options.js";
import type { ModuleMatrix } from "../../render/runs.js";
import { moduleSizePt } from "../../render/units.js";
import type { Shape } from "../../types.js";
import type { SheetGeometry } from "./templates.js";

/** Why a label cannot be placed in its cell: a sentence naming template, sizes and cell. */
export class LabelFitError extends Error {
  override name = "LabelFitError";
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/**
 * Returns the picture of one label for a cell of `sheet`: `symbol` at options.xdimMm with its
 * quiet zone and `lines` of text under it (preferred) or beside it, whichever the cell holds.
 * Throws LabelFitError (field "asset_config.xdim_mm") when the symbol with its quiet zone is
 * larger than the cell, or (field "label_text" / "asset_config.hri") when the text fits neither
 * way; RangeError for a line that is not printable ASCII (see layoutPicture).
 */
export function labelPicture(
  symbol: ModuleMatrix,
  options: RenderOptions,
  lines: readonly string[],
  sheet: SheetGeometry,
  hasLabelText: boolean,
): Picture {
  const x = options.xdimMm;
  const q = options.quietZoneModules;
  const bare = layoutPicture(symbol, options);
  if (!fits(bare, x, sheet)) {
    throw new LabelFitError(
      symbolTooLarge(sheet, symbol.rows, symbol.columns, q, x),
      "asset_config.xdim_mm",
    );
  }
  if (lines.length === 0) return { symbol, options, layout: bare };
  const under = layoutPicture(symbol, options, lines);
  if (fits(under, x, sheet)) return { symbol, options, layout: under };
  const beside = besideLayout(symbol, options, lines);
  if (fits(beside, x, sheet)) return { symbol, options, layout: beside };
  throw new LabelFitError(
    `The label's ${lines.length} text line(s) at ${HRI_FONT_PT} pt fit neither under nor beside the ${mmText(bare.width * x)} × ${mmText(bare.height * x)} mm symbol in template ${sheet.name}'s ${cellText(sheet)} cell (under needs ${mmText(under.width * x)} × ${mmText(under.height * x)} mm, beside ${mmText(beside.width * x)} × ${mmText(beside.height * x)} mm); shorten label_text, set asset_config.hri to false, or choose a larger template.`,
    hasLabelText ? "label_text" : "asset_config.hri",
  );
}

/**
 * Returns the message for a symbol of `rows` × `columns` modules (plus `q` quiet-zone modules on
 * each side) at `xdimMm` that is larger than a cell of `sheet`, or null when it fits.
 */
export function symbolTooLarge(
  sheet: SheetGeometry,
  rows: number,
  columns: number,
  q: number,
  xdimMm: number,
): string {
  const w = (columns + 2 * q) * xdimMm;
  const h = (rows + 2 * q) * xdimMm;
  return `A ${rows} × ${columns} symbol with its quiet zone (${q} modules a side) at xdim_mm ${xdimMm} is ${mmText(w)} × ${mmText(h)} mm, larger than template ${sheet.name}'s ${cellText(sheet)} cell; symbols are never scaled: lower xdim_mm or quiet_zone, or choose a template with larger labels.`;
}

/**
 * Returns null when the smallest symbol `shape` allows (10 × 10 square, 8 × 18 rectangle) fits a
 * cell of `sheet` at `xdimMm` with `q` quiet-zone modules, else the message for the smallest one:
 * then no item of the job can fit, and the request is refused before any work.
 */
export function smallestSymbolMisfit(
  sheet: SheetGeometry,
  shape: Shape,
  q: number,
  xdimMm: number,
): string | null {
  const candidates: [number, number][] =
    shape === "square"
      ? [[10, 10]]
      : shape === "auto"
        ? [
            [10, 10],
            [8, 18],
          ]
        : [[8, 18]];
  let first: string | null = null;
  for (const [rows, columns] of candidates) {
    const w = (columns + 2 * q) * xdimMm;
    const h = (rows + 2 * q) * xdimMm;
    if (w <= sheet.labelWidthMm + 1e-9 && h <= sheet.labelHeightMm + 1e-9) return null;
    first ??= symbolTooLarge(sheet, rows, columns, q, xdimMm);
  }
  return first;
}

// The text block to the right of the symbol, a quiet zone from it and from the cell's edge,
// the block and the symbol centred vertically on each other.
function besideLayout(
  symbol: ModuleMatrix,
  options: RenderOptions,
  lines: readonly string[],
): Layout {
  const q = options.quietZoneModules;
  const symbolWidth = symbol.columns + 2 * q;
  const symbolHeight = symbol.rows + 2 * q;
  const fontSize = HRI_FONT_PT / moduleSizePt(options);
  const longest = lines.reduce((n, line) => Math.max(n, line.length), 0);
  const textWidth = Math.ceil(longest * HRI_CHAR_EM * fontSize);
  const textHeight = lines.length * HRI_LINE_EM * fontSize;
  const height = Math.max(symbolHeight, Math.ceil(textHeight) + 2 * q);
  const top = (height - textHeight) / 2;
  // layoutPicture has checked the lines already (the "under" attempt ran first).
  return {
    width: symbolWidth + textWidth + q,
    height,
    symbolX: q,
    symbolY: q + Math.floor((height - symbolHeight) / 2),
    lines,
    fontSize,
    textCenterX: symbolWidth + textWidth / 2,
    baselines: lines.map((_, i) => top + (i * HRI_LINE_EM + HRI_BASELINE_EM) * fontSize),
  };
}

function fits(layout: Layout, xdimMm: number, sheet: SheetGeometry): boolean {
  return (
    layout.width * xdimMm <= sheet.labelWidthMm + 1e-9 &&
    layout.height * xdimMm <= sheet.labelHeightMm + 1e-9
  );
}

function cellText(sheet: SheetGeometry): string {
  return `${mmText(sheet.labelWidthMm)} × ${mmText(sheet.labelHeightMm)} mm`;
}

function mmText(n: number): string {
  return String(Math.round(n * 100) / 100);
}
