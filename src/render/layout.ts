// Picture geometry shared by SVG, PDF and PNG: symbol, quiet zone and the optional HRI lines
// under it, in module units so every format places them identically. Browser-safe.

import {
  HRI_ADVANCE,
  HRI_ASCENDER,
  HRI_DESCENDER,
  HRI_LINE_GAP,
  HRI_UNITS_PER_EM,
} from "./hri-font.generated.js";
import type { RenderOptions } from "./options.js";
import type { ModuleMatrix } from "./runs.js";
import { moduleSizePt } from "./units.js";

/** HRI text size in points: 8 pt (2.8 mm) stays legible on labels printed at 203 dpi. */
export const HRI_FONT_PT = 8;
/** Advance width of every glyph of the monospaced HRI font (OCR-B), in em. */
export const HRI_CHAR_EM = HRI_ADVANCE / HRI_UNITS_PER_EM;
/**
 * Baseline-to-baseline distance, in em: the font's typographic line box (ascender, descender
 * and line gap), which holds every printable ASCII glyph's ink.
 */
export const HRI_LINE_EM = (HRI_ASCENDER - HRI_DESCENDER + HRI_LINE_GAP) / HRI_UNITS_PER_EM;
/** Baseline below the top of a line box, in em: half the line gap, then the ascender. */
export const HRI_BASELINE_EM = (HRI_LINE_GAP / 2 + HRI_ASCENDER) / HRI_UNITS_PER_EM;

/** Where everything goes, in module units; all values but the text metrics are integers. */
export interface Layout {
  /** Picture width and height, whole modules. */
  width: number;
  height: number;
  /** Top-left corner of the symbol (inside the quiet zone), whole modules. */
  symbolX: number;
  symbolY: number;
  /** HRI lines to print (empty when none), their font size, centre x and baselines. */
  lines: readonly string[];
  fontSize: number;
  textCenterX: number;
  baselines: number[];
}

/** A symbol, its options and its layout: what every format draws, laid out once. */
export interface Picture {
  symbol: ModuleMatrix;
  options: RenderOptions;
  layout: Layout;
}

// Whether every character of `line` is printable ASCII (0x20 to 0x7e). A loop: on every render
// with HRI, measured faster than the regular expression it replaced.
function printable(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) return false;
  }
  return true;
}

/**
 * Returns the picture geometry for `symbol` with `options`: the symbol inside its quiet zone,
 * and the `hri` lines, when there are any, stacked under the bottom quiet zone, centred,
 * with a quiet-zone margin around the text; the picture widens to whole modules when the text is
 * wider than the symbol. Each line's box is HRI_LINE_EM high and, set in OCR-B, holds its ink,
 * so text never leaves the picture nor meets the next line. HRI lines must be printable ASCII
 * (GS1 HRI always is), the characters the HRI font table has. Whether to print them is decided once, by the
 * caller (prepare.ts hriLinesOf), not here. Throws a RangeError when a line holds other
 * characters.
 */
export function layoutPicture(
  symbol: ModuleMatrix,
  options: RenderOptions,
  hri?: readonly string[],
): Layout {
  const q = options.quietZoneModules;
  const symbolWidth = symbol.columns + 2 * q;
  const symbolHeight = symbol.rows + 2 * q;
  if (!hri || hri.length === 0) {
    return {
      width: symbolWidth,
      height: symbolHeight,
      symbolX: q,
      symbolY: q,
      lines: [],
      fontSize: 0,
      textCenterX: 0,
      baselines: [],
    };
  }
  for (const line of hri) {
    if (!printable(line))
      throw new RangeError(`HRI line ${JSON.stringify(line)} is not printable ASCII`);
  }
  const fontSize = HRI_FONT_PT / moduleSizePt(options);
  const longest = hri.reduce((n, line) => Math.max(n, line.length), 0);
  const width = Math.max(symbolWidth, Math.ceil(longest * HRI_CHAR_EM * fontSize) + 2 * q);
  // Centre the symbol on whole modules so its edges stay on the module (and pixel) grid.
  const symbolX = q + Math.floor((width - symbolWidth) / 2);
  const baselines = hri.map(
    (_, i) => symbolHeight + (i * HRI_LINE_EM + HRI_BASELINE_EM) * fontSize,
  );
  const textBottom = symbolHeight + hri.length * HRI_LINE_EM * fontSize;
  return {
    width,
    height: Math.ceil(textBottom) + q,
    symbolX,
    symbolY: q,
    lines: hri,
    fontSize,
    textCenterX: width / 2,
    baselines,
  };
}

/** Returns the picture of `symbol` with `options` and `hri` lines: layoutPicture's, computed once. */
export function pictureOf(
  symbol: ModuleMatrix,
  options: RenderOptions,
  hri?: readonly string[],
): Picture {
  return { symbol, options, layout: layoutPicture(symbol, options, hri) };
}
