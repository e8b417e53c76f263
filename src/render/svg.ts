// SVG output: one <path> of merged dark rectangles on integer module coordinates, a background
// rectangle in the light colour, optional HRI text. Browser-safe (the preview page imports it).

import { Scratch, writeAscii, writeUint } from "./byte-writer.js";
import { formatDecimal } from "./format-number.js";
import { layoutPicture } from "./layout.js";
import type { RenderOptions } from "./options.js";
import { checkMatrix, darkRectanglesView, type ModuleMatrix } from "./runs.js";

const scratch = new Scratch();
// "latin1" is windows-1252 in every TextDecoder; on ASCII bytes it is the identity, and it
// returns one flat string (a rope of small pieces would be flattened by the caller anyway).
const decoder = new TextDecoder("latin1");

/**
 * Returns a standalone SVG document for `symbol` as ASCII bytes: viewBox in modules including
 * the quiet zone (and the HRI area when there are `hri` lines), `width`/`height` in mm at
 * `options.xdimMm`, `shape-rendering="crispEdges"`, a light background, and the dark modules as
 * one `<path>` of integer rectangles; `hri` lines (printable ASCII) printed under the symbol.
 * Deterministic: equal inputs give equal bytes. The result is the caller's own array (its own
 * buffer; no later call touches it). Throws a RangeError for a malformed matrix or unprintable
 * HRI lines (see layoutPicture).
 */
export function toSvgBytes(
  symbol: ModuleMatrix,
  options: RenderOptions,
  hri?: readonly string[],
): Uint8Array {
  return buildSvg(symbol, options, hri, 0).slice();
}

/**
 * Returns the same SVG as toSvgBytes, as text, but sized in pixels at `pixelsPerModule` (a positive integer),
 * so a rasteriser at 1 px per SVG pixel puts every module edge on a pixel boundary.
 * Used by the PNG renderer for pictures with HRI text.
 */
export function toSvgPixels(
  symbol: ModuleMatrix,
  options: RenderOptions,
  hri: readonly string[] | undefined,
  pixelsPerModule: number,
): string {
  if (!Number.isInteger(pixelsPerModule) || pixelsPerModule < 1) {
    throw new RangeError(`pixelsPerModule must be a positive integer, got ${pixelsPerModule}`);
  }
  return decoder.decode(buildSvg(symbol, options, hri, pixelsPerModule));
}

// pixelsPerModule 0 means "physical size in mm". Returns a view of the scratch buffer, valid
// until the next call.
function buildSvg(
  symbol: ModuleMatrix,
  options: RenderOptions,
  hri: readonly string[] | undefined,
  pixelsPerModule: number,
): Uint8Array {
  checkMatrix(symbol);
  const layout = layoutPicture(symbol, options, hri);
  const w = String(layout.width);
  const h = String(layout.height);
  const size =
    pixelsPerModule === 0
      ? `width="${formatDecimal(layout.width * options.xdimMm, 4)}mm" height="${formatDecimal(layout.height * options.xdimMm, 4)}mm"`
      : `width="${layout.width * pixelsPerModule}" height="${layout.height * pixelsPerModule}"`;
  const head =
    `<svg xmlns="http://www.w3.org/2000/svg" ${size} viewBox="0 0 ${w} ${h}" shape-rendering="crispEdges">` +
    `<rect width="${w}" height="${h}" fill="${options.lightColor}"/>` +
    `<path fill="${options.darkColor}" d="`;
  let tail = '"/>';
  if (layout.lines.length > 0) {
    const font = `font-family="Courier, 'Courier New', monospace" font-size="${formatDecimal(layout.fontSize, 3)}"`;
    const x = formatDecimal(layout.textCenterX, 3);
    for (let i = 0; i < layout.lines.length; i++) {
      tail +=
        `<text x="${x}" y="${formatDecimal(layout.baselines[i], 3)}" ${font} text-anchor="middle" ` +
        `fill="${options.darkColor}">${escapeText(layout.lines[i])}</text>`;
    }
  }
  tail += "</svg>";

  // One closed subpath per rectangle: move to its top-left corner, then right, down, back left
  // ("M x y h w v h h -w z"). Relative h/v keep every number a small integer.
  const { rects, count } = darkRectanglesView(symbol);
  const digits = String(Math.max(layout.width, layout.height)).length;
  const out = scratch.get(head.length + tail.length + count * (7 + 5 * digits));
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
  at = writeAscii(out, at, tail);
  return out.subarray(0, at);
}

function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));
}
