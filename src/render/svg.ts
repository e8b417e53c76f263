// SVG output: one <path> of merged dark rectangles on integer module coordinates, a background
// rectangle in the light colour, optional HRI lines as OCR-B outlines (each glyph defined once,
// then referenced). Browser-safe (the preview page imports it).

import { RectPathStyle, writeRectanglePath } from "../engine/rectangles.js";
import { claimResult, commitResult } from "../result-bytes.js";
import { BoundedCache } from "./bounded-cache.js";
import { writeAscii } from "./byte-writer.js";
import { formatDecimal } from "./format-number.js";
import {
  CLOSE,
  CUBIC,
  glyphOutline,
  type HriPlacement,
  LINE,
  MOVE,
  placeHriLines,
} from "./hri-outlines.js";
import { type Layout, type Picture, pictureOf } from "./layout.js";
import type { RenderOptions } from "./options.js";
import { checkMatrix, darkRectanglesView, type ModuleMatrix } from "./runs.js";

// Declared only when there is HRI: <use> refers to its glyphs by xlink:href, which print-shop
// tools and older renderers understand (SVG 2 browsers accept it too).
const XLINK = 'xmlns:xlink="http://www.w3.org/1999/xlink" ';

/**
 * Returns a standalone SVG document for `symbol` as ASCII bytes: viewBox in modules including
 * the quiet zone (and the HRI area when there are `hri` lines), `width`/`height` in mm at
 * `options.xdimMm`, `shape-rendering="crispEdges"`, a light background, and the dark modules as
 * one `<path>` of integer rectangles; `hri` lines (printable ASCII) under the symbol in OCR-B
 * outlines: each glyph used defined once in `<defs>` (`<path id="ocrb-41">`, see hriGlyphId),
 * then per line an anti-aliased `<g>` of `<use xlink:href>`, one per glyph (no `<text>`, no font
 * name: every viewer draws the same shapes). Deterministic: equal inputs give equal bytes. The result is the
 * caller's own array (its own buffer; no later call touches it). Throws a RangeError for a
 * malformed matrix or unprintable HRI lines (see layoutPicture).
 */
export function toSvgBytes(
  symbol: ModuleMatrix,
  options: RenderOptions,
  hri?: readonly string[],
): Uint8Array {
  checkMatrix(symbol);
  return drawSvg(pictureOf(symbol, options, hri));
}

/** Returns toSvgBytes' document for a picture laid out already (see pictureOf). */
export function drawSvg({ symbol, options, layout }: Picture): Uint8Array {
  checkMatrix(symbol);
  const text = layout.lines.length > 0 ? placeHriLines(layout) : null;
  const head = headOf(options, layout, text !== null);

  // One closed subpath per rectangle: move to its top-left corner, then right, down, back left
  // ("M x y h w v h h -w z"). Relative h/v keep every number a small integer.
  const { count } = darkRectanglesView(symbol);
  const digits = String(Math.max(layout.width, layout.height)).length;
  const textBytes = text ? hriBytesBound(text, options.darkColor) : 0;
  const out = claimResult(head.length + 6 + 3 + textBytes + count * (7 + 5 * digits));
  out.set(head, 0);
  let at = writeRectanglePath(
    out,
    head.length,
    RectPathStyle.SVG,
    count,
    layout.symbolX,
    layout.symbolY,
  );
  at = writeAscii(out, at, '"/>');
  if (text) at = writeHri(out, at, text, options.darkColor);
  return commitResult(out, writeAscii(out, at, "</svg>"));
}

// Document starts already written, by x-dimension, picture size, colours and whether the HRI's
// xlink namespace is declared: a label run repeats a few of them, and formatting the size and
// encoding the text again was a tenth of an SVG's own cost.
const heads = new BoundedCache<Uint8Array>(256);

// The document's start up to the path data: the root element, the light background and the
// opening of the dark path.
function headOf(options: RenderOptions, layout: Layout, hri: boolean): Uint8Array {
  const { xdimMm, lightColor, darkColor } = options;
  const key = `${xdimMm} ${layout.width} ${layout.height} ${lightColor} ${darkColor} ${hri}`;
  let head = heads.get(key);
  if (head === undefined) {
    const w = String(layout.width);
    const h = String(layout.height);
    const size = `width="${formatDecimal(layout.width * xdimMm, 4)}mm" height="${formatDecimal(layout.height * xdimMm, 4)}mm"`;
    head = heads.set(
      key,
      encoder.encode(
        `<svg xmlns="http://www.w3.org/2000/svg" ${hri ? XLINK : ""}${size} viewBox="0 0 ${w} ${h}" shape-rendering="crispEdges">` +
          `<rect width="${w}" height="${h}" fill="${lightColor}"/>` +
          `<path fill="${darkColor}" d="`,
      ),
    );
  }
  return head;
}

// Each glyph's definition, `<path id="ocrb-41" d="…"/>` (path data relative, the first move from
// the origin), by character code; null for a space.
const svgGlyphs: (Uint8Array | null | undefined)[] = [];
const encoder = new TextEncoder();

/**
 * The id of character `code`'s glyph definition: "ocrb-" and the code in two upper-case hex
 * digits ("ocrb-41" for "A"). The definitions are the same in every document (the outline
 * table's), so two of these SVGs inlined in one HTML page draw alike even though the ids repeat.
 */
export function hriGlyphId(code: number): string {
  return `ocrb-${code.toString(16).toUpperCase().padStart(2, "0")}`;
}

// Which characters a document uses (by code), reset on every call.
const used = new Uint8Array(128);
// The <use> of character code c at glyph position k of a line: uses[c][k], encoded on first use.
const uses: Uint8Array[][] = [];
// The most a <use> takes: `<use xlink:href="#ocrb-41" x="` (32), the offset (16 digits), `"/>`.
const USE_BYTES = 32 + 16 + 3;
// The <defs> of the document being written: hriBytesBound finds it, writeHri writes it.
let definitions: Uint8Array = new Uint8Array(0);

// Returns the bytes writeHri may write for `text`: the definitions of the glyphs its lines use
// (found here, see definitionsOf), then each line's element with a <use> per character.
function hriBytesBound(text: HriPlacement, color: string): number {
  used.fill(0);
  let bytes = 0;
  for (const line of text.lines) {
    const chars = line.text;
    for (let k = 0; k < chars.length; k++) used[chars.charCodeAt(k)] = 1;
    bytes += 120 + color.length + 2 * text.scale.length + line.x.length + line.y.length;
    bytes += chars.length * USE_BYTES;
  }
  definitions = definitionsOf(used);
  return bytes + definitions.length;
}

// The start of a line's <g> for the last colour and scale asked for (a label run repeats them).
let groupKey = "";
let groupHead = new Uint8Array(0);

// Writes the HRI: in <defs>, each glyph the lines use once (in code order, font units, y up, no
// fill: a <use> inherits its group's), then one <g> per line, placed and scaled by a matrix,
// with a <use> per glyph one advance apart. Anti-aliased (geometricPrecision) unlike the
// modules. Every glyph's outline is written once per document however often it occurs.
// hriBytesBound(text) must have run just before.
function writeHri(out: Uint8Array, at: number, text: HriPlacement, color: string): number {
  const key = `${color} ${text.scale}`;
  if (key !== groupKey) {
    groupKey = key;
    groupHead = encoder.encode(
      `<g fill="${color}" shape-rendering="geometricPrecision" ` +
        `transform="matrix(${text.scale} 0 0 -${text.scale} `,
    );
  }
  out.set(definitions, at);
  at += definitions.length;
  let i = 0;
  for (const line of text.lines) {
    out.set(groupHead, at);
    at = writeAscii(out, at + groupHead.length, line.x);
    out[at++] = 0x20;
    at = writeAscii(out, at, line.y);
    at = writeAscii(out, at, ')">');
    at = writeLineUses(out, at, i++, line.text, text.advance);
    at = writeAscii(out, at, "</g>");
  }
  return at;
}

// The glyphs of the last <defs> made, and its bytes: a label run uses the same glyphs in
// document after document (its GTIN alone has most digits), so they are copied in one piece.
const lastUsed = new Uint8Array(128);
let lastDefinitions = new Uint8Array(0);

// Returns <defs> with the definitions of the characters marked in `marks` (but a space, which
// draws nothing), in code order.
function definitionsOf(marks: Uint8Array): Uint8Array {
  let same = lastDefinitions.length > 0;
  for (let code = 0x21; same && code < 0x7f; code++) same = marks[code] === lastUsed[code];
  if (same) return lastDefinitions;
  let bytes = "<defs></defs>".length;
  for (let code = 0x21; code < 0x7f; code++) {
    if (marks[code] !== 0) bytes += (svgGlyph(code) as Uint8Array).length;
  }
  const made = new Uint8Array(bytes);
  let at = writeAscii(made, 0, "<defs>");
  for (let code = 0x21; code < 0x7f; code++) {
    if (marks[code] === 0) continue;
    const definition = svgGlyph(code) as Uint8Array;
    made.set(definition, at);
    at += definition.length;
  }
  writeAscii(made, at, "</defs>");
  lastUsed.set(marks);
  lastDefinitions = made;
  return made;
}

// The <use> elements last written for the line at each index, and their text: a label run
// repeats three of its four lines (GTIN, expiry, lot) in document after document, and copying a
// line's uses in one piece instead of one by one took the run's HRI from 1.7x to 1.4x the SVG
// without. Kept per line index rather than in a map by text: the serial line, new on every
// call, then costs neither a hash of its text, nor an allocation, nor an eviction.
const SLOTS = 8;
const slotTexts: (string | null)[] = new Array(SLOTS).fill(null);
const slotBytes: Uint8Array[] = Array.from({ length: SLOTS }, () => new Uint8Array(1024));
const slotLengths = new Int32Array(SLOTS);

// Writes at `at` the <use> elements of line `text` (line `index` of its document), glyphs
// `advance` font units apart (none for spaces); returns the offset after them.
function writeLineUses(
  out: Uint8Array,
  at: number,
  index: number,
  text: string,
  advance: number,
): number {
  const slot = index < SLOTS ? index : -1;
  if (slot >= 0 && slotTexts[slot] === text) {
    const length = slotLengths[slot];
    out.set(slotBytes[slot].subarray(0, length), at);
    return at + length;
  }
  const start = at;
  for (let k = 0; k < text.length; k++) {
    const code = text.charCodeAt(k);
    if (code === 0x20) continue;
    const use = useOf(code, k, advance);
    out.set(use, at);
    at += use.length;
  }
  if (slot >= 0) {
    const length = at - start;
    if (slotBytes[slot].length < length) slotBytes[slot] = new Uint8Array(2 * length);
    slotBytes[slot].set(out.subarray(start, at));
    slotLengths[slot] = length;
    slotTexts[slot] = text;
  }
  return at;
}

// Returns the <use> of character `code`'s glyph `k` advances from the line's start.
function useOf(code: number, k: number, advance: number): Uint8Array {
  let row = uses[code];
  if (row === undefined) {
    row = [];
    uses[code] = row;
  }
  let use = row[k];
  if (use === undefined) {
    const x = k === 0 ? "" : ` x="${k * advance}"`;
    use = encoder.encode(`<use xlink:href="#${hriGlyphId(code)}"${x}/>`);
    row[k] = use;
  }
  return use;
}

// Returns character `code`'s glyph definition, relative SVG path data in font units (null for
// a space), encoded on first use.
function svgGlyph(code: number): Uint8Array | null {
  let glyph = svgGlyphs[code];
  if (glyph !== undefined) return glyph;
  const { ops, coords } = glyphOutline(code);
  glyph = null;
  if (ops.length > 0) {
    // ops[0] is always a move: the table's path data starts with M.
    let body = "";
    let x = coords[0];
    let y = coords[1];
    let startX = x;
    let startY = y;
    let c = 2;
    for (let i = 1; i < ops.length; i++) {
      const op = ops[i];
      if (op === CLOSE) {
        body += "z";
        x = startX;
        y = startY;
        continue;
      }
      const n = op === CUBIC ? 6 : 2;
      let piece = op === MOVE ? "m" : op === LINE ? "l" : "c";
      for (let j = 0; j < n; j++) {
        const value = coords[c + j] - (j % 2 === 0 ? x : y);
        // A minus sign separates numbers by itself.
        piece += (j === 0 || value < 0 ? "" : " ") + String(value);
      }
      x = coords[c + n - 2];
      y = coords[c + n - 1];
      c += n;
      if (op === MOVE) {
        startX = x;
        startY = y;
      }
      body += piece;
    }
    const first = `m${coords[0]}${coords[1] < 0 ? "" : " "}${coords[1]}`;
    glyph = encoder.encode(`<path id="${hriGlyphId(code)}" d="${first}${body}"/>`);
  }
  svgGlyphs[code] = glyph;
  return glyph;
}
