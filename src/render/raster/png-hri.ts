// PNG with HRI text (Node only): the symbol drawn from its modules and each text line from
// OCR-B glyph masks (./hri-lines.ts, ./glyph-masks.ts), all deflated as runs and pre-encoded
// fragments (./deflate.ts). The masks are the outlines the SVG and PDF draw, at the positions
// they state, so the PNG is their picture (test/render/raster/png-hri.test.ts).

import { crc32 } from "node:zlib";
import { parseHexColor } from "../color.js";
import { placeHriLines } from "../hri-outlines.js";
import type { Picture } from "../layout.js";
import type { ModuleMatrix } from "../runs.js";
import { pixelsPerModule } from "../units.js";
import { encodeFragment, type Fragment, RunDeflater } from "./deflate.js";
import {
  deflateLines,
  locateLines,
  placeGlyphs,
  type TextLine,
  textLine,
  writeLine,
} from "./hri-lines.js";
import { drawBand } from "./line-band.js";
import { assemblePng, crcShift, idatCrc, type KnownCrc } from "./png-chunks.js";

const FILTER_NONE = 0;
const FILTER_UP = 2;
const COLOUR_GREY = 0;
const COLOUR_INDEXED = 3;

const deflater = new RunDeflater();
// A module row's dark runs: where each starts, and its bytes as a fragment.
let runX = new Int32Array(2 * 144);
const runs: Fragment[] = [];
// Uniform scanlines by filter, byte and width (see uniformRow), and runs of repeats by width
// and count (see repeatRows).
const uniformRows = new Map<number, Fragment>();
const repeats = new Map<number, Fragment>();
const MAX_UNIFORM_ROWS = 32;
const repeatWriter = new RunDeflater();
// Fragments of dark runs by length in modules, for one dark byte and module size.
const darkRuns: Fragment[] = [];
let darkRunsOf = -1;
// The CRC-32 of a cached line's block bytes, taken on its first reuse and kept as long as the
// line cache keeps the block; and the known spans of the IDAT being written.
const blockCrcs = new WeakMap<Fragment, { length: number; crc: number; shift: number }>();
const known: KnownCrc[] = [];

/**
 * Returns the PNG of `picture` with its HRI lines (at least one), laid out by layoutPicture:
 * 8-bit greyscale for black on white, else 8-bit indexed, the palette the 256 blends from light
 * to dark; `options.dpi` in pHYs. Throws a RangeError if a glyph would leave the picture
 * (layoutPicture's margins prevent it).
 */
export function drawHriPng(picture: Picture): Buffer {
  const { symbol, options, layout } = picture;
  const ppm = pixelsPerModule(options);
  const width = layout.width * ppm;
  const height = layout.height * ppm;
  const textTop = (symbol.rows + 2 * options.quietZoneModules) * ppm;
  const grey = options.darkColor === "#000000" && options.lightColor === "#ffffff";
  const lightByte = grey ? 255 : 0;

  // 1. Each line's rows: cached, or drawn from glyph masks (rasterised on first use).
  const located = locateLines(placeHriLines(layout), ppm, width, grey);
  let lines: TextLine[] = deflateLines(located, width, grey);
  let below = textTop;
  let apart = true;
  for (const { y, top, rows } of lines) {
    if (y + top < below) apart = false;
    below = y + top + rows;
  }
  if (below > height) throw new RangeError("HRI text runs below the picture");
  if (!apart) {
    // Small text (72 dpi) can put two lines' anti-aliased edges in one pixel row: then all
    // lines are drawn as one band, where drawBand sums the coverage of rows that glyphs share.
    const placements = located.flatMap((line) =>
      placeGlyphs(line, width).map((p) => ({ ...p, top: p.top + line.y - located[0].y })),
    );
    lines = [textLine(located[0].y, drawBand(placements, width, grey, 0, undefined).band, false)];
    if (located[0].y + lines[0].top < textTop) {
      throw new RangeError("HRI text runs into the symbol");
    }
  }

  // 2. Scanlines: the symbol's band, then the lines with light rows around them.
  deflater.begin(height * (width + 1));
  putSymbolBand(symbol, options.quietZoneModules, layout.symbolX * ppm, ppm, width, lightByte);
  let y = textTop;
  // The row above the first gap is the quiet zone's last, or with no quiet zone the symbol's.
  let aboveIsLight = options.quietZoneModules > 0;
  known.length = 0;
  for (const line of lines) {
    const { y: baseline, top, rows, block } = line;
    putLightRows(width, lightByte, baseline + top - y, aboveIsLight);
    writeLine(deflater, line, width, grey);
    // A line from the cache is likely to come again: its bytes' CRC is worth keeping.
    if (block && line.cached) {
      known.push({ start: deflater.lastBlockAt(), ...blockCrc(block) });
    }
    y = baseline + top + rows;
    aboveIsLight = false; // a band's last row may hold ink
  }
  putLightRows(width, lightByte, height - y, aboveIsLight);
  const idat = deflater.end();
  const crc = idatCrc(idat, known);

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
  return assemblePng(width, height, 8, colourType, options.dpi, palette, idat, crc);
}

// Returns the CRC-32 of the bytes putBlock copies of `block`, with its crcShift, from the cache.
function blockCrc(block: Fragment): { length: number; crc: number; shift: number } {
  let entry = blockCrcs.get(block);
  if (!entry) {
    const length = block.bitLength >> 3;
    entry = { length, crc: crc32(block.bits.subarray(0, length)), shift: crcShift(length) };
    blockCrcs.set(block, entry);
  }
  return entry;
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
  const repeat = repeatRows(width, ppm - 1);
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
    deflater.putFragment(repeat);
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

// Returns `count` repeat rows (filter Up, all zeros) of `width` px as one fragment, the bits
// putRepeated writes for them: a module row's repeats are then one copy, not a loop of
// `count` small ones, each with its Adler-32 step. The few in use (one per picture width and
// module size) are kept.
function repeatRows(width: number, count: number): Fragment {
  const key = width * 65536 + count;
  let rows = repeats.get(key);
  if (!rows) {
    if (repeats.size >= MAX_UNIFORM_ROWS) repeats.clear();
    repeatWriter.beginFragment(count * (width + 1), false);
    repeatWriter.putRepeated(uniformRow(FILTER_UP, 0, width), count);
    rows = repeatWriter.endFragment();
    repeats.set(key, rows);
  }
  return rows;
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
