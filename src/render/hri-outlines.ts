// HRI text as outlines, for every format: the glyphs of the generated OCR-B table
// (./hri-font.generated.ts) parsed once, and where each line of a layout puts them. SVG, PDF and
// PNG all draw from here, so they show the same shapes at the same places on every machine.
// Browser-safe.

import { formatDecimal } from "./format-number.js";
import { HRI_ADVANCE, HRI_FIRST_CODE, HRI_GLYPHS, HRI_UNITS_PER_EM } from "./hri-font.generated.js";
import type { Layout } from "./layout.js";

/** Outline commands: move to (x y), line to (x y), cubic to (x1 y1 x2 y2 x y), close. */
export const MOVE = 0;
export const LINE = 1;
export const CUBIC = 2;
export const CLOSE = 3;

/** A glyph outline in font units from its origin, y up: commands and their coordinates in order. */
export interface GlyphOutline {
  ops: Uint8Array;
  coords: Int16Array;
}

const outlines: (GlyphOutline | undefined)[] = [];
const COMMAND = /([MLCZ])([^MLCZ]*)/g;

/**
 * Returns the outline of printable ASCII character `code` (0x20 to 0x7e; a space has no
 * commands), parsed from the table on first use. Throws a RangeError for other codes.
 */
export function glyphOutline(code: number): GlyphOutline {
  const index = code - HRI_FIRST_CODE;
  if (index < 0 || index >= HRI_GLYPHS.length) {
    throw new RangeError(`no HRI glyph for character code ${code}`);
  }
  let outline = outlines[index];
  if (!outline) {
    const ops: number[] = [];
    const coords: number[] = [];
    for (const [, op, args] of HRI_GLYPHS[index].matchAll(COMMAND)) {
      ops.push("MLCZ".indexOf(op));
      if (args.length > 0) for (const n of args.split(" ")) coords.push(Number(n));
    }
    outline = { ops: Uint8Array.from(ops), coords: Int16Array.from(coords) };
    outlines[index] = outline;
  }
  return outline;
}

/** A line of HRI where every format draws it: its first glyph's origin, in modules (y down). */
export interface PlacedLine {
  text: string;
  /** Origin of the first glyph (left end of the line, on the baseline), as written in files. */
  x: string;
  y: string;
}

/** HRI lines placed: their scale and origins, each number as the files write it. */
export interface HriPlacement {
  /** Modules per font unit. */
  scale: string;
  /** Glyph advance in font units (every glyph: the font is monospaced). */
  advance: number;
  lines: PlacedLine[];
}

/**
 * Returns where `layout`'s HRI lines go: each centred on layout.textCenterX with its baseline
 * at layout.baselines[i], glyphs HRI_ADVANCE font units apart, at layout.fontSize / em modules
 * per font unit. The numbers are rounded once here (scale to 7 decimals, about 1e-4 of it;
 * positions to 1/1000 module) and every format uses the rounded ones, so the PNG draws exactly
 * what the SVG and PDF state.
 */
export function placeHriLines(layout: Layout): HriPlacement {
  const n = layout.lines.length;
  let memo = lastPlacement;
  let same =
    memo !== null &&
    memo.fontSize === layout.fontSize &&
    memo.centre === layout.textCenterX &&
    memo.lengths.length === n;
  for (let i = 0; same && i < n; i++) {
    same =
      (memo as Placement).lengths[i] === layout.lines[i].length &&
      (memo as Placement).baselines[i] === layout.baselines[i];
  }
  if (!same) {
    const scale = formatDecimal(layout.fontSize / HRI_UNITS_PER_EM, 7);
    const lengths = layout.lines.map((text) => text.length);
    memo = {
      fontSize: layout.fontSize,
      centre: layout.textCenterX,
      lengths,
      baselines: layout.baselines.slice(0, n),
      scale,
      xs: lengths.map((length) =>
        formatDecimal(layout.textCenterX - (length * HRI_ADVANCE * Number(scale)) / 2, 3),
      ),
      ys: layout.baselines.slice(0, n).map((y) => formatDecimal(y, 3)),
    };
    lastPlacement = memo;
  }
  const { scale, xs, ys } = memo as Placement;
  const lines: PlacedLine[] = [];
  for (let i = 0; i < n; i++) lines.push({ text: layout.lines[i], x: xs[i], y: ys[i] });
  return { scale, advance: HRI_ADVANCE, lines };
}

/** What placeHriLines computed for a layout: its inputs and the numbers as written. */
interface Placement {
  fontSize: number;
  centre: number;
  lengths: number[];
  baselines: number[];
  scale: string;
  xs: string[];
  ys: string[];
}

// The last layout's placement: a label run lays out the same lines' lengths at the same places
// call after call, and formatting the numbers (toFixed) was the largest part of placing them.
let lastPlacement: Placement | null = null;
