// SVG output: one <path> of merged dark rectangles on integer module coordinates, a background
// rectangle in the light colour, optional HRI lines as OCR-B outlines. Browser-safe (the preview
// page imports it).

import { Scratch, writeAscii, writeUint } from "./byte-writer.js";
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
import { type Picture, pictureOf } from "./layout.js";
import type { RenderOptions } from "./options.js";
import { checkMatrix, darkRectanglesView, type ModuleMatrix } from "./runs.js";

const scratch = new Scratch();

/**
 * Returns a standalone SVG document for `symbol` as ASCII bytes: viewBox in modules including
 * the quiet zone (and the HRI area when there are `hri` lines), `width`/`height` in mm at
 * `options.xdimMm`, `shape-rendering="crispEdges"`, a light background, and the dark modules as
 * one `<path>` of integer rectangles; `hri` lines (printable ASCII) under the symbol as one
 * anti-aliased `<path>` of OCR-B outlines per line (no `<text>`, no font name: every viewer
 * draws the same shapes). Deterministic: equal inputs give equal bytes. The result is the
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
  const w = String(layout.width);
  const h = String(layout.height);
  const size = `width="${formatDecimal(layout.width * options.xdimMm, 4)}mm" height="${formatDecimal(layout.height * options.xdimMm, 4)}mm"`;
  const head =
    `<svg xmlns="http://www.w3.org/2000/svg" ${size} viewBox="0 0 ${w} ${h}" shape-rendering="crispEdges">` +
    `<rect width="${w}" height="${h}" fill="${options.lightColor}"/>` +
    `<path fill="${options.darkColor}" d="`;
  const tail = "</svg>";
  const text = layout.lines.length > 0 ? placeHriLines(layout) : null;

  // One closed subpath per rectangle: move to its top-left corner, then right, down, back left
  // ("M x y h w v h h -w z"). Relative h/v keep every number a small integer.
  const { rects, count } = darkRectanglesView(symbol);
  const digits = String(Math.max(layout.width, layout.height)).length;
  const textBytes = text ? hriBytesBound(text, options.darkColor) : 0;
  const out = scratch.get(head.length + tail.length + 3 + textBytes + count * (7 + 5 * digits));
  let at = writeAscii(out, 0, head);
  for (let i = 0; i < count * 4; i += 4) {
    out[at++] = 0x4d; // M
    at = writeUint(out, at, rects[i] + layout.symbolX);
    out[at++] = 0x20;
    at = writeUint(out, at, rects[i + 1] + layout.symbolY);
    out[at++] = 0x68; // h
    at = writeUint(out, at, rects[i + 2]);
    out[at++] = 0x76; // v
    at = writeUint(out, at, rects[i + 3]);
    out[at++] = 0x68; // h-
    out[at++] = 0x2d;
    at = writeUint(out, at, rects[i + 2]);
    out[at++] = 0x7a; // z
  }
  at = writeAscii(out, at, '"/>');
  if (text) at = writeHriPaths(out, at, text, options.darkColor);
  at = writeAscii(out, at, tail);
  return out.slice(0, at);
}

/** A glyph as SVG path data: where its first move goes and its pen ends, and the rest, relative. */
interface SvgGlyph {
  firstX: number;
  firstY: number;
  endX: number;
  endY: number;
  body: Uint8Array;
}

const svgGlyphs: (SvgGlyph | null | undefined)[] = [];
const encoder = new TextEncoder();

// The most a relative move ("m-12345-12345") takes beyond a glyph's body.
const MOVE_BYTES = 13;

// Returns the bytes writeHriPaths may write for `text`: each line's element plus its glyphs.
function hriBytesBound(text: HriPlacement, color: string): number {
  let bytes = 0;
  for (const line of text.lines) {
    bytes += 120 + color.length + 2 * text.scale.length + line.x.length + line.y.length;
    for (let k = 0; k < line.text.length; k++) {
      const glyph = svgGlyph(line.text.charCodeAt(k));
      if (glyph) bytes += MOVE_BYTES + glyph.body.length;
    }
  }
  return bytes;
}

// Writes one <path> per line: its glyphs in font units (y up), placed and scaled by a matrix,
// so the outlines are written once per character, the table's integers unchanged. Paths are
// relative: after a glyph's last "z" the pen is where its last subpath began, so the next
// glyph's first "m" is relative to that. Anti-aliased (geometricPrecision) unlike the modules.
function writeHriPaths(out: Uint8Array, at: number, text: HriPlacement, color: string): number {
  for (const line of text.lines) {
    at = writeAscii(
      out,
      at,
      `<path fill="${color}" shape-rendering="geometricPrecision" ` +
        `transform="matrix(${text.scale} 0 0 -${text.scale} ${line.x} ${line.y})" d="`,
    );
    let penX = 0;
    let penY = 0;
    for (let k = 0; k < line.text.length; k++) {
      const glyph = svgGlyph(line.text.charCodeAt(k));
      if (!glyph) continue;
      const originX = k * text.advance;
      out[at++] = 0x6d; // m
      at = writeInt(out, at, originX + glyph.firstX - penX);
      if (glyph.firstY - penY >= 0) out[at++] = 0x20;
      at = writeInt(out, at, glyph.firstY - penY);
      out.set(glyph.body, at);
      at += glyph.body.length;
      penX = originX + glyph.endX;
      penY = glyph.endY;
    }
    at = writeAscii(out, at, '"/>');
  }
  return at;
}

// Returns character `code`'s outline as relative SVG path data (null for a space), encoded on
// first use.
function svgGlyph(code: number): SvgGlyph | null {
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
    glyph = {
      firstX: coords[0],
      firstY: coords[1],
      endX: startX,
      endY: startY,
      body: encoder.encode(body),
    };
  }
  svgGlyphs[code] = glyph;
  return glyph;
}

// Writes the integer `n`, signed.
function writeInt(out: Uint8Array, at: number, n: number): number {
  if (n >= 0) return writeUint(out, at, n);
  out[at] = 0x2d;
  return writeUint(out, at + 1, -n);
}
