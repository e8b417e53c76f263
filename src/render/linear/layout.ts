// 1D picture geometry shared by SVG, PDF and PNG: bars from the core's runs, quiet zones, ITF-14
// bearer bars and the human-readable text as GS1 lays it out (GS1 General Specifications §5.2.3
// EAN/UPC, §5.3.2 ITF-14, §5.4.3 GS1-128; ISO/IEC 15420 Annex for the quiet-zone marks).
// Horizontal positions are in modules (X), vertical ones in mm, so PNG can put every bar on
// whole dots and vector output states exact sizes. Browser-safe.

import { Linear } from "../../engine/abi.js";
import type { LinearRuns } from "../../engine/linear.js";
import { HRI_ADVANCE, HRI_UNITS_PER_EM } from "../hri-font.generated.js";
import { glyphOutline } from "../hri-outlines.js";
import { MM_PER_INCH, PT_PER_INCH } from "../units.js";

/** What a 1D picture is drawn with; every field validated by the caller (the request schema). */
export interface LinearOptions {
  /** X, the narrow bar width, mm (0.1-2). */
  moduleWidthMm: number;
  /** Height of the (normal) bars, mm (1-100). */
  moduleHeightMm: number;
  /** Light margin each side, mm (0-20), never less than the symbology's minimum; 0 = no marks. */
  quietZoneMm: number;
  /** Whether the human-readable text is printed. */
  writeText: boolean;
  /** Text size in points (4-24): the em of the OCR-B outlines. */
  fontSizePt: number;
  /** Bar width reduction, mm: each bar loses this much, half per edge (print gain). */
  bwrMm: number;
}

/** A rectangle: x and width in modules, y and height in mm (y down). */
export interface BarRect {
  x: number;
  width: number;
  yMm: number;
  heightMm: number;
  /** Bars lose the bar width reduction; bearer bars do not. */
  reduced: boolean;
}

/** One character of text: its outline's origin (left end, on the baseline). */
export interface PlacedGlyph {
  code: number;
  /** Origin x in modules. */
  x: number;
  /** Baseline y in mm. */
  baselineMm: number;
}

/** Everything a 1D picture holds, laid out once for every format. */
export interface LinearLayout {
  /** X in mm. */
  moduleMm: number;
  /** Picture width in whole modules (quiet zones and bearer bars included). */
  widthModules: number;
  /** Picture height in mm. */
  heightMm: number;
  rects: BarRect[];
  glyphs: PlacedGlyph[];
  /** The em of the text in mm (font size). */
  emMm: number;
  bwrMm: number;
}

/** Least quiet zones in modules, left and right (GS1 GS Figure 5.2.3.4-1, §5.3.2.2, §5.4.3.4). */
const MIN_QUIET: Record<Linear, [number, number]> = {
  [Linear.EAN13]: [11, 7],
  [Linear.EAN8]: [7, 7],
  [Linear.UPCA]: [9, 9],
  [Linear.UPCE]: [9, 7],
  [Linear.ITF14]: [10, 10],
  [Linear.CODE128]: [10, 10],
  [Linear.CODE39]: [10, 10],
};

/** EAN/UPC guard bars reach this many modules below the other bars (GS1 GS §5.2.3.4.1). */
export const GUARD_DESCENT_MODULES = 5;
/** Gap between the bars (or bearer bar) and the top of the text, in modules. */
export const TEXT_GAP_MODULES = 1;
/**
 * The compact layout (font_size below this many points, as the published API promises): the
 * gap between the bars and the top of the text shrinks with the text, TEXT_GAP_MODULES ×
 * font_size / 8 (0.5X at 4 pt, 0.75X at 6 pt), so small digits sit nearer the bars instead of
 * floating a full module below them, and the label is shorter. Continuous at 8 pt (1X), so no
 * size jumps between 7.9 and 8 pt. The bars, guard-bar descent (5X, GS1's) and quiet zones do
 * not change: only the text moves up.
 */
export const COMPACT_BELOW_PT = 8;

/** The gap, in modules, between the bars and the top of text of `fontSizePt` (see above). */
export function textGapModules(fontSizePt: number): number {
  return fontSizePt < COMPACT_BELOW_PT
    ? (TEXT_GAP_MODULES * fontSizePt) / COMPACT_BELOW_PT
    : TEXT_GAP_MODULES;
}
/**
 * ITF-14 bearer bar thickness in modules: GS1 asks for at least 2X and shows 4.83 mm at
 * X = 1.016 mm; zint draws 5X, and so do we.
 */
export const BEARER_MODULES = 5;
/** Most ink width of an EAN/UPC digit, in modules: its 7X character less a 1X gap. */
export const DIGIT_CELL_INK_MODULES = 6;
/** Points per millimetre. */
const PT_PER_MM = PT_PER_INCH / MM_PER_INCH;

// Ink extent (font units from the origin, y up) of each printable character: lowest and highest
// y, leftmost and rightmost x, from its outline's control points (a bound of the ink: the
// curves stay inside them). A space has none: all zero. Kept four numbers per code in one array
// (NaN: not worked out yet): a Map of tuples, looked up and destructured once per character,
// was a tenth of a GS1-128 layout.
const INK_LO = 0;
const INK_HI = 1;
const INK_LEFT = 2;
const INK_RIGHT = 3;
const inkTable = new Float64Array(4 * 128).fill(Number.NaN);
const inkSlow = new Map<number, [number, number, number, number]>();
function inkOf(code: number): [number, number, number, number] {
  let ink = inkSlow.get(code);
  if (!ink) {
    const { coords } = glyphOutline(code);
    ink = coords.length === 0 ? [0, 0, 0, 0] : [0, 0, Infinity, -Infinity];
    for (let i = 0; i < coords.length; i += 2) {
      ink[2] = Math.min(ink[2], coords[i]);
      ink[3] = Math.max(ink[3], coords[i]);
      ink[0] = Math.min(ink[0], coords[i + 1]);
      ink[1] = Math.max(ink[1], coords[i + 1]);
    }
    inkSlow.set(code, ink);
  }
  return ink;
}
// One of the four numbers of `code`'s ink (INK_LO ... INK_RIGHT).
function ink(code: number, which: number): number {
  if (code >= 128) return inkOf(code)[which];
  const at = 4 * code;
  if (Number.isNaN(inkTable[at])) inkTable.set(inkOf(code), at);
  return inkTable[at + which];
}

// The widest ink of the digits 0-9, font units.
function digitInkWidth(): number {
  let widest = 0;
  for (let code = 48; code <= 57; code++) {
    widest = Math.max(widest, ink(code, INK_RIGHT) - ink(code, INK_LEFT));
  }
  return widest;
}

// Lowest (`which` INK_LO) or highest (INK_HI) ink of `text` in font units.
function inkExtent(text: string, which: typeof INK_LO | typeof INK_HI): number {
  let extent = 0;
  for (let i = 0; i < text.length; i++) {
    const v = ink(text.charCodeAt(i), which);
    extent = which === INK_LO ? Math.min(extent, v) : Math.max(extent, v);
  }
  return extent;
}

// A hair under a whole module still counts as that module (0.33 / 0.33 is not exactly 1).
function wholeModules(v: number): number {
  return Math.ceil(v - 1e-9);
}

// The characters of the text as the glyphs they become, `x` holding each one's centre in
// modules from the symbol's left edge until the picture's width is known (layoutLinear then
// turns it into the origin, and sets the baseline): one object per character, no second list.
// A plain object, not a class instance: the maps of short-lived instances die in a full GC,
// and the optimised layoutLinear that depended on them was thrown away ("weak objects").
interface Centres {
  glyphs: PlacedGlyph[];
  advance: number;
}

// Puts `s` centred on `cx`, one advance apart.
function put(centres: Centres, s: string, cx: number): void {
  for (let i = 0; i < s.length; i++) {
    centres.glyphs.push({
      code: s.charCodeAt(i),
      x: cx + (i - (s.length - 1) / 2) * centres.advance,
      baselineMm: Number.NaN,
    });
  }
}

/**
 * Returns the layout of `runs` with `options`: quiet zones of options.quietZoneMm each side but
 * never below the symbology's minimum (EAN-13 11X/7X, EAN-8 7X, UPC-A 9X, UPC-E 9X/7X, the
 * others 10X); bars options.moduleHeightMm tall from the top (ITF-14: inside a 5X bearer frame
 * around bars and quiet zones); with options.writeText the text under the bars: EAN/UPC digits
 * centred under their symbol characters (the size reduced, if need be, until each digit's ink
 * fits 6X), the first (and for UPC the last) digit outside the
 * guards, guard bars reaching 5X further down, the ">" mark (EAN-8 also "<") in the quiet zone
 * unless quietZoneMm is 0; for the other symbologies `hri` (default runs.text, unprintable
 * characters shown as spaces) centred. The top of the text is 1X under the bars (below 8 pt less:
 * textGapModules, the compact layout), and the picture
 * ends at the lowest ink. The picture widens, evenly, to whole modules when the text is wider.
 */
export function layoutLinear(runs: LinearRuns, options: LinearOptions, hri?: string): LinearLayout {
  const x = options.moduleWidthMm;
  const eanUpc = runs.symbology <= Linear.UPCE;
  // EAN/UPC digits sit under their 7X characters: their ink stays within 6X (1X apart), so a
  // size too large for the module width is reduced to the largest that fits.
  const emMm = Math.min(
    options.fontSizePt / PT_PER_MM,
    eanUpc ? ((DIGIT_CELL_INK_MODULES * HRI_UNITS_PER_EM) / digitInkWidth()) * x : Infinity,
  );
  const emModules = emMm / x;
  const advance = (HRI_ADVANCE / HRI_UNITS_PER_EM) * emModules;
  const [minLeft, minRight] = MIN_QUIET[runs.symbology];
  const asked = options.quietZoneMm / x;
  let left = Math.max(minLeft, wholeModules(asked));
  let right = Math.max(minRight, wholeModules(asked));
  const itf = runs.symbology === Linear.ITF14;
  const frame = itf ? BEARER_MODULES : 0;
  const barTop = frame * x;
  const barBottom = barTop + options.moduleHeightMm;
  const text = options.writeText ? textOf(runs, hri) : "";

  // Text first (its width may widen the picture): where each character is centred, in modules
  // from the symbol's left edge.
  const glyphs: PlacedGlyph[] = [];
  const centres: Centres = { glyphs, advance };
  if (text !== "") {
    if (eanUpc) placeEanUpc(runs, text, centres, options.quietZoneMm > 0);
    else put(centres, text, runs.modules / 2);
  }
  // Widen evenly if any character's ink reaches beyond the picture.
  let reachLeft = 0;
  let reachRight = 0;
  const unit = emModules / HRI_UNITS_PER_EM;
  for (let k = 0; k < glyphs.length; k++) {
    const code = glyphs[k].code;
    const inkLeft = ink(code, INK_LEFT);
    const inkRight = ink(code, INK_RIGHT);
    const origin = glyphs[k].x - advance / 2;
    reachLeft = Math.max(reachLeft, -(origin + inkLeft * unit) - left - frame);
    reachRight = Math.max(reachRight, origin + inkRight * unit - runs.modules - right - frame);
  }
  const widen = wholeModules(Math.max(reachLeft, reachRight, 0));
  left += widen;
  right += widen;
  const symbolX = frame + left;
  const widthModules = symbolX + runs.modules + right + frame;

  const rects: BarRect[] = [];
  let heightMm = barBottom + frame * x;
  const inkLo = inkExtent(text, INK_LO);
  const inkHi = inkExtent(text, INK_HI);
  const textTop = heightMm + textGapModules(options.fontSizePt) * x;
  const baselineMm = textTop + (inkHi / HRI_UNITS_PER_EM) * emMm;
  if (text !== "") heightMm = baselineMm - (inkLo / HRI_UNITS_PER_EM) * emMm;
  const guardBottom = barBottom + (text !== "" ? GUARD_DESCENT_MODULES * x : 0);
  if (eanUpc && text !== "") heightMm = Math.max(heightMm, guardBottom);

  let at = symbolX;
  for (let i = 0; i < runs.widths.length; i++) {
    const w = runs.widths[i];
    if (i % 2 === 0) {
      const bottom = eanUpc && runs.guards[i] ? guardBottom : barBottom;
      rects.push({ x: at, width: w, yMm: barTop, heightMm: bottom - barTop, reduced: true });
    }
    at += w;
  }
  if (itf) {
    const bearer = BEARER_MODULES * x;
    const inner = widthModules - 2 * frame;
    rects.push({ x: 0, width: widthModules, yMm: 0, heightMm: bearer, reduced: false });
    rects.push({ x: 0, width: widthModules, yMm: barBottom, heightMm: bearer, reduced: false });
    for (const bx of [0, frame + inner]) {
      rects.push({
        x: bx,
        width: frame,
        yMm: bearer,
        heightMm: barBottom - bearer,
        reduced: false,
      });
    }
  }
  for (const g of glyphs) {
    g.x = symbolX + g.x - advance / 2;
    g.baselineMm = baselineMm;
  }
  return { moduleMm: x, widthModules, heightMm, rects, glyphs, emMm, bwrMm: options.bwrMm };
}

// The text to print: the digits for EAN/UPC/ITF-14, `hri` when given (GS1-128's bracketed
// AIs), else the data with unprintable characters as spaces.
function textOf(runs: LinearRuns, hri?: string): string {
  const raw = hri ?? runs.text;
  // The regular expression only when needed: nearly every text is printable already, and the
  // replace ran a regexp over every GS1-128 text.
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) return raw.replace(/[^\x20-\x7e]/g, " ");
  }
  return raw;
}

// EAN/UPC digits under their symbol characters (7 modules each), in modules from the symbol's
// left edge: the characters of the left half start after the 3-module guard, the right half
// after the 5-module centre guard. The digit outside the guards sits in the quiet zone, centred
// 4.5 modules out (its 7-module cell one module clear of the guard).
function placeEanUpc(runs: LinearRuns, text: string, centres: Centres, marks: boolean): void {
  const cell = (first: number, i: number) => first + 7 * i + 3.5;
  const outsideLeft = -4.5;
  const outsideRight = runs.modules + 4.5;
  switch (runs.symbology) {
    case Linear.EAN13:
      put(centres, text[0], outsideLeft);
      for (let i = 0; i < 6; i++) put(centres, text[1 + i], cell(3, i));
      for (let i = 0; i < 6; i++) put(centres, text[7 + i], cell(50, i));
      if (marks) put(centres, ">", outsideRight - 1);
      break;
    case Linear.EAN8:
      for (let i = 0; i < 4; i++) put(centres, text[i], cell(3, i));
      for (let i = 0; i < 4; i++) put(centres, text[4 + i], cell(36, i));
      if (marks) {
        put(centres, "<", outsideLeft + 1);
        put(centres, ">", outsideRight - 1);
      }
      break;
    case Linear.UPCA:
      // The outer characters (number system, check digit) have full-height bars; their digits
      // go outside.
      put(centres, text[0], outsideLeft);
      for (let i = 1; i < 6; i++) put(centres, text[i], cell(3, i));
      for (let i = 0; i < 5; i++) put(centres, text[6 + i], cell(50, i));
      put(centres, text[11], outsideRight);
      break;
    case Linear.UPCE:
      put(centres, text[0], outsideLeft);
      for (let i = 0; i < 6; i++) put(centres, text[1 + i], cell(3, i));
      put(centres, text[7], outsideRight);
      break;
  }
}
