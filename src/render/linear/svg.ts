// 1D pictures as SVG: a light background, the bars as one <path> of exact rectangles in mm (bar
// width reduction applied), and the text as OCR-B outlines, one <path> per character (no <text>,
// no font name). Written straight into a reused byte buffer like ../svg.ts: building the
// document from strings cost more than everything else (the string, then its copy to bytes).
// Browser-safe.

import { claimResult, commitResult } from "../../result-bytes.js";
import { writeAscii, writeUint } from "../byte-writer.js";
import { formatDecimal } from "../format-number.js";
import { HRI_FIRST_CODE, HRI_GLYPHS, HRI_UNITS_PER_EM } from "../hri-font.generated.js";
import { hriGlyphId } from "../svg.js";
import type { LinearLayout } from "./layout.js";

/** Colours of a 1D picture, normalised "#rrggbb". */
export interface LinearColors {
  darkColor: string;
  lightColor: string;
}

const encoder = new TextEncoder();

/**
 * Writes `mm` rounded to 4 decimals (0.1 µm) in plain notation without trailing zeros, as
 * formatDecimal(mm, 4) does but for values within a hair of a half, where it rounds mm × 10^4
 * (2.00005 → "2.0001", toFixed "2"; see writeDecimal4), at `at`; returns the offset after it.
 */
export function writeMm(out: Uint8Array, at: number, mm: number): number {
  let n = Math.round(mm * 1e4);
  if (n < 0) {
    out[at++] = 0x2d;
    n = -n;
  }
  const whole = Math.floor(n / 1e4);
  let fraction = n - whole * 1e4;
  at = writeUint(out, at, whole);
  if (fraction === 0) return at;
  // The four decimals by integer steps, trailing zeros dropped: a loop dividing a float unit
  // made this the largest cost of a 1D SVG (~300 numbers each) in the profile.
  const d0 = (fraction / 1000) | 0;
  fraction -= d0 * 1000;
  const d1 = (fraction / 100) | 0;
  fraction -= d1 * 100;
  const d2 = (fraction / 10) | 0;
  const d3 = fraction - d2 * 10;
  out[at++] = 0x2e;
  out[at++] = 48 + d0;
  if (d1 + d2 + d3 === 0) return at;
  out[at++] = 48 + d1;
  if (d2 + d3 === 0) return at;
  out[at++] = 48 + d2;
  if (d3 !== 0) out[at++] = 48 + d3;
  return at;
}

// Every character's definition, `<path id="ocrb-41" d="…"/>` (font units, y up; the ids are the
// DataMatrix SVG's, hriGlyphId), in code order in one buffer: code c's is DEFS[DEF_AT[c],
// DEF_AT[c + 1]), empty for a space, which draws nothing, and for codes without a glyph. A
// picture's <defs> is then one copy per run of consecutive characters it uses (the digits are
// one run), not a native set() per character, which was a tenth of a GS1-128 SVG's time.
const DEF_AT = new Int32Array(0x81);
const DEFS = ((): Uint8Array => {
  const defs: Uint8Array[] = [];
  let size = 0;
  for (let code = 0; code < 0x80; code++) {
    DEF_AT[code] = size;
    const path = code >= HRI_FIRST_CODE ? (HRI_GLYPHS[code - HRI_FIRST_CODE] ?? "") : "";
    if (path === "") continue;
    const def = encoder.encode(`<path id="${hriGlyphId(code)}" d="${path}"/>`);
    defs.push(def);
    size += def.length;
  }
  DEF_AT[0x80] = size;
  const all = new Uint8Array(size);
  let at = 0;
  for (const def of defs) {
    all.set(def, at);
    at += def.length;
  }
  return all;
})();

// The definitions of codes [from, to), a view of DEFS made once per run.
const defRuns = new Map<number, Uint8Array>();
function defsOf(from: number, to: number): Uint8Array {
  const key = from * 0x81 + to;
  let run = defRuns.get(key);
  if (run === undefined) {
    run = DEFS.subarray(DEF_AT[from], DEF_AT[to]);
    defRuns.set(key, run);
  }
  return run;
}

// Whether the character `code` (below 0x80) draws anything.
function drawsInk(code: number): boolean {
  return DEF_AT[code + 1] > DEF_AT[code];
}

// `<use xlink:href="#ocrb-41"` by character code, encoded once.
const useHeads: (Uint8Array | undefined)[] = [];
function useHead(code: number): Uint8Array {
  let head = useHeads[code];
  if (head === undefined) {
    head = encoder.encode(`<use xlink:href="#${hriGlyphId(code)}"`);
    useHeads[code] = head;
  }
  return head;
}

// The <g> opening up to its origin, for the last fill and scale: the same for every picture of a
// request's size and colour, so encoded again only when they change.
let lastGroupFill = "";
let lastGroupScale = "";
let lastGroupHead = new Uint8Array(0);
function groupHeadOf(fill: string, scale: string): Uint8Array {
  if (fill !== lastGroupFill || scale !== lastGroupScale) {
    lastGroupHead = encoder.encode(`<g fill="${fill}" transform="matrix(${scale} 0 0 -${scale} `);
    lastGroupFill = fill;
    lastGroupScale = scale;
  }
  return lastGroupHead;
}

// The text's scale (mm per font unit) as written, for the last em: toFixed is a runtime call,
// and a request's pictures share one font size.
let lastEmMm = Number.NaN;
let lastScale = "";
function scaleOf(emMm: number): string {
  if (emMm !== lastEmMm) {
    lastScale = formatDecimal(emMm / HRI_UNITS_PER_EM, 7);
    lastEmMm = emMm;
  }
  return lastScale;
}

// The same followed by ` x="`, for every glyph but a line's first.
const useHeadsWithX: (Uint8Array | undefined)[] = [];
function useHeadWithX(code: number): Uint8Array {
  let head = useHeadsWithX[code];
  if (head === undefined) {
    head = encoder.encode(`<use xlink:href="#${hriGlyphId(code)}" x="`);
    useHeadsWithX[code] = head;
  }
  return head;
}

// Bar widths up to this many modules have their digits reused within a picture (see linearSvg).
const WIDTH_SLOTS = 16;
const widthAt = new Int32Array(2 * WIDTH_SLOTS);

// Copies out[from, to) to `at` (a few bytes: a loop beats a native call) and returns the end.
function copyBytes(out: Uint8Array, at: number, from: number, to: number): number {
  for (let i = from; i < to; i++) out[at++] = out[i];
  return at;
}

// Markup written into every picture, encoded once: the native encodeInto (a C++ call, and a
// subarray per string) cost more than copying the bytes.
const SVG_OPEN = encoder.encode('<svg xmlns="http://www.w3.org/2000/svg" ');
const XLINK_NS = encoder.encode('xmlns:xlink="http://www.w3.org/1999/xlink" ');
const VIEW_BOX = encoder.encode('mm" viewBox="0 0 ');

function writeBytes(out: Uint8Array, at: number, bytes: Uint8Array): number {
  out.set(bytes, at);
  return at + bytes.length;
}

// The background's fill up to the bars' path data, for the last pair of colours.
let lastPathLight = "";
let lastPathDark = "";
let lastPathHead = new Uint8Array(0);
function pathHeadOf(colors: LinearColors): Uint8Array {
  if (colors.lightColor !== lastPathLight || colors.darkColor !== lastPathDark) {
    lastPathHead = encoder.encode(
      `" fill="${colors.lightColor}"/><path fill="${colors.darkColor}" shape-rendering="crispEdges" d="`,
    );
    lastPathLight = colors.lightColor;
    lastPathDark = colors.darkColor;
  }
  return lastPathHead;
}

// Which characters the picture being written uses, by code.
const used = new Uint8Array(128);

// The most bytes a number written by writeMm takes: sign, 9 digits, point, 4 decimals.
const MM_BYTES = 15;

/**
 * Returns the SVG document of `layout` as bytes (ASCII; the caller's own copy, possibly a view
 * into a shared pool: mind byteOffset when using `.buffer`): `width`/`height`
 * in mm, a viewBox in mm, the bars as rectangles at their exact mm positions (each bar narrowed by
 * layout.bwrMm, half per edge; bearer bars not), the text as filled outlines, or with
 * `embedFont` false as live text (see writeLiveText). Numbers carry at most 4 decimals (0.1 µm).
 * Deterministic.
 */
export function linearSvg(
  layout: LinearLayout,
  colors: LinearColors,
  embedFont = true,
): Uint8Array {
  const x = layout.moduleMm;
  const scale = scaleOf(layout.emMm);
  // Each glyph: its <use> (30 bytes and an x) and at most a group of its own; each character
  // used, its definition once.
  let bound = 400 + layout.rects.length * (6 + 4 * MM_BYTES);
  const glyphCount = layout.glyphs.length;
  if (glyphCount > 0) {
    bound += embedFont
      ? glyphCount * (120 + scale.length * 2 + 3 * MM_BYTES) + markUsed(layout)
      : liveTextBound(layout, colors.darkColor);
  }
  // Written in place into the shared result pool (byte-writer.ts claimResult).
  const out = claimResult(bound);
  const width = layout.widthModules * x;
  let at = writeBytes(out, 0, SVG_OPEN);
  // <use> refers to its glyph by xlink:href, as the DataMatrix SVG does (print-shop tools and
  // older renderers understand it); declared only when there is text.
  if (embedFont && layout.glyphs.length > 0) {
    at = writeBytes(out, at, XLINK_NS);
  }
  at = writeAscii(out, at, 'width="');
  at = writeMm(out, at, width);
  at = writeAscii(out, at, 'mm" height="');
  at = writeMm(out, at, layout.heightMm);
  at = writeBytes(out, at, VIEW_BOX);
  at = writeMm(out, at, width);
  out[at++] = 0x20;
  at = writeMm(out, at, layout.heightMm);
  at = writeAscii(out, at, '"><rect width="');
  at = writeMm(out, at, width);
  at = writeAscii(out, at, '" height="');
  at = writeMm(out, at, layout.heightMm);
  at = writeBytes(out, at, pathHeadOf(colors));
  // A bar's top, height and width repeat from bar to bar (widths are 1-4 modules): each value's
  // digits are written once per picture and copied, leaving one number per bar (its x) to
  // format.
  let lastTop = Number.NaN;
  let topAt = 0;
  let topEnd = 0;
  let lastHeight = Number.NaN;
  let heightAt = 0;
  let heightEnd = 0;
  // Where each reduced bar width (by modules) was first written: start and end offsets.
  widthAt.fill(-1);
  const bwrMm = layout.bwrMm;
  for (const r of layout.rects) {
    const cut = r.reduced ? bwrMm : 0;
    out[at++] = 0x4d; // M
    at = writeMm(out, at, r.x * x + cut / 2);
    out[at++] = 0x20;
    if (r.yMm === lastTop) at = copyBytes(out, at, topAt, topEnd);
    else {
      lastTop = r.yMm;
      topAt = at;
      at = writeMm(out, at, r.yMm);
      topEnd = at;
    }
    out[at++] = 0x68; // h
    const cacheable = r.reduced && r.width < WIDTH_SLOTS;
    const start = at;
    if (cacheable && widthAt[r.width * 2] >= 0) {
      at = copyBytes(out, at, widthAt[r.width * 2], widthAt[r.width * 2 + 1]);
    } else {
      at = writeMm(out, at, r.width * x - cut);
      if (cacheable) {
        widthAt[r.width * 2] = start;
        widthAt[r.width * 2 + 1] = at;
      }
    }
    const end = at;
    out[at++] = 0x76; // v
    if (r.heightMm === lastHeight) at = copyBytes(out, at, heightAt, heightEnd);
    else {
      lastHeight = r.heightMm;
      heightAt = at;
      at = writeMm(out, at, r.heightMm);
      heightEnd = at;
    }
    out[at++] = 0x68; // h-
    out[at++] = 0x2d;
    at = copyBytes(out, at, start, end);
    out[at++] = 0x7a; // z
  }
  at = writeAscii(out, at, '"/>');
  if (glyphCount > 0) {
    at = embedFont
      ? writeGlyphs(out, at, layout, colors.darkColor, scale)
      : writeLiveText(out, at, layout, colors.darkColor);
  }
  at = writeAscii(out, at, "</svg>");
  return commitResult(out, at);
}

// Marks in `used` the characters of `layout`'s text and returns the bytes of their definitions.
function markUsed(layout: LinearLayout): number {
  used.fill(0);
  for (const g of layout.glyphs) used[g.code] = 1;
  let bytes = 0;
  for (let code = 0x21; code < 0x7f; code++) {
    if (used[code] !== 0) bytes += DEF_AT[code + 1] - DEF_AT[code];
  }
  return bytes;
}

// The text as outlines (the characters marked in `used` by markUsed): each glyph used defined once in <defs>, then per baseline a <g> placed
// and scaled by a matrix (origin at its first glyph, font units inside) holding a <use> per
// character at its x offset in font units. Repeated digits cost a <use>, not their outline:
// writing every outline again was most of a GS1-128 SVG's bytes and time.
function writeGlyphs(
  out: Uint8Array,
  at: number,
  layout: LinearLayout,
  fill: string,
  scale: string,
): number {
  const x = layout.moduleMm;
  const unitsPerMm = HRI_UNITS_PER_EM / layout.emMm;
  at = writeAscii(out, at, "<defs>");
  // Printable ASCII but the space: the only characters with outlines (the layout shows any
  // other as a space).
  for (let code = 0x21; code < 0x7f; code++) {
    if (used[code] === 0) continue;
    let end = code + 1;
    while (end < 0x7f && used[end] !== 0) end++;
    const run = defsOf(code, end);
    out.set(run, at);
    at += run.length;
    code = end;
  }
  at = writeAscii(out, at, "</defs>");
  const groupHead = groupHeadOf(fill, scale);
  let i = 0;
  while (i < layout.glyphs.length) {
    const first = layout.glyphs[i];
    const originMm = first.x * x;
    out.set(groupHead, at);
    at += groupHead.length;
    at = writeMm(out, at, originMm);
    out[at++] = 0x20;
    at = writeMm(out, at, first.baselineMm);
    at = writeAscii(out, at, ')">');
    for (; i < layout.glyphs.length && layout.glyphs[i].baselineMm === first.baselineMm; i++) {
      const g = layout.glyphs[i];
      if (!drawsInk(g.code)) continue;
      const dx = (g.x * x - originMm) * unitsPerMm;
      if (Math.round(dx * 1e4) !== 0) {
        const head = useHeadWithX(g.code);
        out.set(head, at);
        at = writeMm(out, at + head.length, dx);
        out[at++] = 0x22;
      } else {
        const head = useHead(g.code);
        out.set(head, at);
        at += head.length;
      }
      out[at++] = 0x2f; // "/>"
      out[at++] = 0x3e;
    }
    at = writeAscii(out, at, "</g>");
  }
  return at;
}

// `<text xml:space="preserve" x="` and the rest of a <text>'s fixed markup, encoded once.
const TEXT_OPEN = encoder.encode('<text xml:space="preserve" x="');
const TEXT_Y = encoder.encode('" y="');
const TEXT_CLOSE = encoder.encode("</text>");
const AMP = encoder.encode("&amp;");
const LT = encoder.encode("&lt;");
const GT = encoder.encode("&gt;");

// A <text>'s attributes after y, for the last em and fill: a request's pictures share them.
let lastTailEm = Number.NaN;
let lastTailFill = "";
let lastTail = new Uint8Array(0);
function textTailOf(emMm: number, fill: string): Uint8Array {
  if (emMm !== lastTailEm || fill !== lastTailFill) {
    lastTail = encoder.encode(
      `" font-family="OCR-B, 'OCR B', monospace" font-size="${formatDecimal(emMm, 4)}" fill="${fill}">`,
    );
    lastTailEm = emMm;
    lastTailFill = fill;
  }
  return lastTail;
}

/**
 * Writes `v` exactly as formatDecimal(v, 4) spells it at `at`; returns the offset after it.
 */
export function writeDecimal4(out: Uint8Array, at: number, v: number): number {
  if (!(v >= 0 && v < 1e5)) return writeAscii(out, at, formatDecimal(v, 4));
  // n / 10^4 × 10^4 is within far less than a half of n, so writeMm writes n's digits.
  return writeMm(out, at, roundedTenThousandths(v) / 1e4);
}

// v (0 ≤ v < 10^5) in ten-thousandths rounded as toFixed(4) does: to nearest from v's exact
// value, a tie up. Math.round(v × 10^4) rounds the rounded product, which tips values within a
// hair of a half (2.00005 is a little below it, its product exactly on it): a tenth of the text
// x of a GS1-128 at X 0.33 mm are that near, so there the product's exact error (Dekker's
// two-product; 10^4 needs no split) decides instead of a call to toFixed.
function roundedTenThousandths(v: number): number {
  const p = v * 1e4;
  const n = Math.floor(p);
  // Exact: p's fraction is exact, and so is its difference from 0.5 near 0.5 (Sterbenz).
  const d = p - n - 0.5;
  if (d > 1e-5) return n + 1;
  if (d < -1e-5) return n;
  const c = 134217729 * v; // 2^27 + 1: Veltkamp's split of v into 26 and 27 bits
  const hi = c - (c - v);
  const lo = v - hi;
  const error = hi * 1e4 - p + lo * 1e4; // v × 10^4 = p + error, exactly
  return d + error >= 0 ? n + 1 : n;
}

// The most bytes of a <text>'s markup besides its x list and characters, less the fill.
const TEXT_FIXED_BYTES = 160;

// Bytes the live text of `layout` may take at most (see writeLiveText).
function liveTextBound(layout: LinearLayout, fill: string): number {
  // Each glyph: its x and a space, its character escaped (5 bytes), and at worst a <text> of
  // its own.
  return layout.glyphs.length * (MM_BYTES + 6 + TEXT_FIXED_BYTES + fill.length + 2 * MM_BYTES);
}

/**
 * The text of `layout` as live SVG text (embed_font false), written at `at`: one <text> per
 * baseline, in font-family OCR-B (then "OCR B", then monospace) at the layout's em, each
 * character placed by its own x at the outline's origin, so an editor shows the same positions
 * as the outlines when OCR-B is installed. Spaces are kept (xml:space="preserve") so every x
 * stays on its character. Returns the offset after it.
 */
function writeLiveText(out: Uint8Array, at: number, layout: LinearLayout, fill: string): number {
  const x = layout.moduleMm;
  const glyphs = layout.glyphs;
  const tail = textTailOf(layout.emMm, fill);
  let i = 0;
  while (i < glyphs.length) {
    const baseline = glyphs[i].baselineMm;
    const first = i;
    at = writeBytes(out, at, TEXT_OPEN);
    for (; i < glyphs.length && glyphs[i].baselineMm === baseline; i++) {
      if (i > first) out[at++] = 0x20;
      at = writeDecimal4(out, at, glyphs[i].x * x);
    }
    at = writeBytes(out, at, TEXT_Y);
    at = writeDecimal4(out, at, baseline);
    at = writeBytes(out, at, tail);
    for (let k = first; k < i; k++) {
      // Printable ASCII only (the layout's text shows other characters as spaces).
      const code = glyphs[k].code;
      if (code === 0x26) at = writeBytes(out, at, AMP);
      else if (code === 0x3c) at = writeBytes(out, at, LT);
      else if (code === 0x3e) at = writeBytes(out, at, GT);
      else out[at++] = code;
    }
    at = writeBytes(out, at, TEXT_CLOSE);
  }
  return at;
}
