// PNG with HRI text (Node only): the symbol drawn from its modules and each text line from glyph
// masks sharp rasterised once (./hri-lines.ts, ./glyphs.ts), all deflated as runs and
// pre-encoded fragments (./deflate.ts) instead of rasterising the SVG per call. Matches
// rasteriseSvgPng: the symbol bit for bit, the text within the glyph cache's sub-pixel
// rounding (test/render/png-hri.test.ts).

import { parseHexColor } from "../color.js";
import { layoutPicture } from "../layout.js";
import type { RenderOptions } from "../options.js";
import type { ModuleMatrix } from "../runs.js";
import { pixelsPerModule } from "../units.js";
import { encodeFragment, type Fragment, RunDeflater } from "./deflate.js";
import { deflateLines, loadGlyphs, locateLines } from "./hri-lines.js";
import { assemblePng } from "./png-chunks.js";

const FILTER_NONE = 0;
const FILTER_UP = 2;
const COLOUR_GREY = 0;
const COLOUR_INDEXED = 3;

const deflater = new RunDeflater();
// A module row's dark runs: where each starts, and its bytes as a fragment.
let runX = new Int32Array(2 * 144);
const runs: Fragment[] = [];
// Uniform scanlines by filter, byte and width (see uniformRow).
const uniformRows = new Map<number, Fragment>();
const MAX_UNIFORM_ROWS = 32;
// Fragments of dark runs by length in modules, for one dark byte and module size.
const darkRuns: Fragment[] = [];
let darkRunsOf = -1;

/**
 * Returns the PNG toPng draws with HRI (`hri` lines under the symbol, laid out by
 * layoutPicture as in toSvgPixels), or null when the text would leave the area under the
 * symbol or two lines would share a row (the caller then rasterises the SVG; layoutPicture's
 * margins keep DejaVu Sans Mono inside). 8-bit greyscale
 * for black on white, else 8-bit indexed, the palette cairo's 256 blends from light to dark;
 * `options.dpi` in pHYs. Rejects with a RangeError for missing or unprintable lines
 * (layoutPicture), and with sharp's error if glyphs fail to rasterise.
 */
export async function drawHriPng(
  symbol: ModuleMatrix,
  options: RenderOptions,
  hri: readonly string[] | undefined,
): Promise<Buffer | null> {
  const ppm = pixelsPerModule(options);
  const layout = layoutPicture(symbol, options, hri);
  const width = layout.width * ppm;
  const height = layout.height * ppm;
  const textTop = (symbol.rows + 2 * options.quietZoneModules) * ppm;
  const grey = options.darkColor === "#000000" && options.lightColor === "#ffffff";
  const lightByte = grey ? 255 : 0;

  // 1. Each line's rows: cached, or drawn from glyph masks (rasterising missing ones first).
  const located = locateLines(layout, ppm, width, grey);
  const loads = loadGlyphs(located);
  if (loads.length > 0) await Promise.all(loads);
  const lines = deflateLines(located, width, grey);
  if (!lines) return null;
  let below = textTop;
  for (const { y, band } of lines) {
    if (y + band.top < below) return null;
    below = y + band.top + band.rows;
  }
  if (below > height) return null;

  // 2. Scanlines: the symbol's band, then the lines with light rows around them.
  deflater.begin(height * (width + 1));
  putSymbolBand(symbol, options.quietZoneModules, layout.symbolX * ppm, ppm, width, lightByte);
  let y = textTop;
  // The row above the first gap is the quiet zone's last, or with no quiet zone the symbol's.
  let aboveIsLight = options.quietZoneModules > 0;
  for (const { y: baseline, band } of lines) {
    putLightRows(width, lightByte, baseline + band.top - y, aboveIsLight);
    deflater.putBlock(band.block);
    y = baseline + band.top + band.rows;
    aboveIsLight = false; // a band's last row may hold ink
  }
  putLightRows(width, lightByte, height - y, aboveIsLight);
  const idat = deflater.end();

  // 3. The file; for colours, a palette of cairo's blends of the dark fill over the light.
  let palette: Uint8Array | null = null;
  if (!grey) {
    const dark = parseHexColor(options.darkColor);
    const light = parseHexColor(options.lightColor);
    palette = new Uint8Array(3 * 256);
    for (let a = 0; a < 256; a++) {
      for (let k = 0; k < 3; k++) palette[3 * a + k] = blend(dark[k], light[k], a);
    }
  }
  const colourType = grey ? COLOUR_GREY : COLOUR_INDEXED;
  return assemblePng(width, height, 8, colourType, options.dpi, palette, idat);
}

// Writes the rows of the symbol and its quiet zone: each module row once, its dark runs as
// cached fragments, its repeats as filter Up (all zeros); the quiet zone as a light row and
// repeats.
function putSymbolBand(
  symbol: ModuleMatrix,
  q: number,
  symbolLeft: number,
  ppm: number,
  width: number,
  lightByte: number,
): void {
  const { rows, columns, modules } = symbol;
  if (runX.length < columns) runX = new Int32Array(2 * columns);
  putLightRows(width, lightByte, q * ppm, false);
  const repeat = uniformRow(FILTER_UP, 0, width);
  for (let r = 0; r < rows; r++) {
    let count = 0;
    for (let c = 0; c < columns; ) {
      if (modules[r * columns + c] === 0) {
        c++;
        continue;
      }
      let end = c + 1;
      while (end < columns && modules[r * columns + end] !== 0) end++;
      runX[count] = symbolLeft + c * ppm;
      runs[count++] = darkRun(255 - lightByte, ppm, end - c);
      c = end;
    }
    deflater.putScanline(FILTER_NONE, lightByte, width, runX, runs, 0, count);
    deflater.putRepeated(repeat, ppm - 1);
  }
  putLightRows(width, lightByte, q * ppm, false);
}

// Returns `modules` dark modules of `ppm` px as a fragment of `darkByte`s, cached for the
// last (darkByte, ppm) drawn.
function darkRun(darkByte: number, ppm: number, modules: number): Fragment {
  if (darkRunsOf !== darkByte * 0x10000 + ppm) {
    darkRunsOf = darkByte * 0x10000 + ppm;
    darkRuns.length = 0;
  }
  let fragment = darkRuns[modules];
  if (!fragment) {
    fragment = encodeFragment(new Uint8Array(modules * ppm).fill(darkByte));
    darkRuns[modules] = fragment;
  }
  return fragment;
}

// Writes `count` light rows: the first as a light row (filter None) unless the row above is
// light too, the rest as repeats (filter Up, all zeros).
function putLightRows(
  width: number,
  lightByte: number,
  count: number,
  aboveIsLight: boolean,
): void {
  if (count <= 0) return;
  if (!aboveIsLight) deflater.putFragment(uniformRow(FILTER_NONE, lightByte, width));
  deflater.putRepeated(uniformRow(FILTER_UP, 0, width), aboveIsLight ? count : count - 1);
}

// Returns the scanline of filter byte `filter` and `width` bytes of `value`, pre-encoded; the
// few in use (a light row and a repeat per picture width) are kept.
function uniformRow(filter: number, value: number, width: number): Fragment {
  const key = (width * 256 + value) * 8 + filter;
  let row = uniformRows.get(key);
  if (!row) {
    if (uniformRows.size >= MAX_UNIFORM_ROWS) uniformRows.clear();
    const bytes = new Uint8Array(width + 1).fill(value);
    bytes[0] = filter;
    row = encodeFragment(bytes);
    uniformRows.set(key, row);
  }
  return row;
}

// Cairo's OVER of `dark` at coverage a on `light`, per 8-bit channel with its rounding
// (pixman's MUL_UN8: t = x·a + 128, (t + (t >> 8)) >> 8).
function blend(dark: number, light: number, a: number): number {
  return mul(dark, a) + mul(light, 255 - a);
}

function mul(x: number, a: number): number {
  const t = x * a + 128;
  return (t + (t >> 8)) >> 8;
}
