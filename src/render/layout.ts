// Picture geometry shared by SVG, PDF and PNG: symbol, quiet zone and the optional HRI lines
// under it, in module units so every format places them identically. Browser-safe.

import type { RenderOptions } from "./options.js";
import type { ModuleMatrix } from "./runs.js";
import { moduleSizePt } from "./units.js";

/** HRI text size in points: 8 pt (2.8 mm) stays legible on labels printed at 203 dpi. */
export const HRI_FONT_PT = 8;
/** Advance width of every glyph of the monospaced HRI font, in em (Courier's AFM: 600/1000). */
export const HRI_CHAR_EM = 0.6;
/** Baseline-to-baseline distance, in em. */
export const HRI_LINE_EM = 1.25;
/** Baseline below the top of a line box, in em (Courier's ascender is 0.63 em, plus air). */
export const HRI_BASELINE_EM = 0.9;

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

const PRINTABLE = /^[\x20-\x7e]*$/;

/**
 * Returns the picture geometry for `symbol` with `options`: the symbol inside its quiet zone,
 * and the `hri` lines, when there are any, stacked under the bottom quiet zone, centred,
 * with a quiet-zone margin around the text; the picture widens to whole modules when the text is
 * wider than the symbol. HRI lines must be printable ASCII (GS1 HRI always is), since every
 * format must show them without embedding a font. Whether to print them is decided once, by the
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
    if (!PRINTABLE.test(line))
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
