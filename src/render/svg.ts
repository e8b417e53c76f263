// SVG output: one <path> of merged dark rectangles on integer module coordinates, a background
// rectangle in the light colour, optional HRI text. Browser-safe (the preview page imports it).
import { layoutPicture } from "./layout.js";
import { formatDecimal, type RenderOptions } from "./options.js";
import { checkMatrix, darkRectangles, type ModuleMatrix } from "./runs.js";

// Path pieces, built on first use and kept: "M{x} {y}" per corner and "h{w}v{h}h-{w}z" per
// rectangle size. Converting numbers to strings and joining eight pieces per rectangle cost
// ~5x more than joining two cached pieces; the caches hold at most 64 Ki short strings each.
const CACHE_STRIDE = 256;
const moves: string[] = [];
const segments: string[] = [];

/**
 * Returns a standalone SVG document for `symbol`: viewBox in modules including the quiet zone
 * (and the HRI area when `options.hri`), `width`/`height` in mm at `options.xdimMm`,
 * `shape-rendering="crispEdges"`, a light background, and the dark modules as one `<path>` of
 * integer rectangles. `hri` lines (printable ASCII) are printed under the symbol when
 * `options.hri` is true. Deterministic: equal inputs give equal strings. Throws a RangeError for
 * a malformed matrix or missing/unprintable HRI lines (see layoutPicture).
 */
export function toSvg(
  symbol: ModuleMatrix,
  options: RenderOptions,
  hri?: readonly string[],
): string {
  return buildSvg(symbol, options, hri, 0);
}

/**
 * Returns the same SVG as toSvg but sized in pixels at `pixelsPerModule` (a positive integer),
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
  return buildSvg(symbol, options, hri, pixelsPerModule);
}

// pixelsPerModule 0 means "physical size in mm".
function buildSvg(
  symbol: ModuleMatrix,
  options: RenderOptions,
  hri: readonly string[] | undefined,
  pixelsPerModule: number,
): string {
  checkMatrix(symbol);
  const layout = layoutPicture(symbol, options, hri);
  const w = String(layout.width);
  const h = String(layout.height);
  const size =
    pixelsPerModule === 0
      ? `width="${formatDecimal(layout.width * options.xdimMm, 4)}mm" height="${formatDecimal(layout.height * options.xdimMm, 4)}mm"`
      : `width="${layout.width * pixelsPerModule}" height="${layout.height * pixelsPerModule}"`;
  let svg =
    `<svg xmlns="http://www.w3.org/2000/svg" ${size} viewBox="0 0 ${w} ${h}" shape-rendering="crispEdges">` +
    `<rect width="${w}" height="${h}" fill="${options.lightColor}"/>` +
    `<path fill="${options.darkColor}" d="${pathData(symbol, layout.symbolX, layout.symbolY)}"/>`;
  if (layout.lines.length > 0) {
    const font = `font-family="Courier, 'Courier New', monospace" font-size="${formatDecimal(layout.fontSize, 3)}"`;
    const x = formatDecimal(layout.textCenterX, 3);
    for (let i = 0; i < layout.lines.length; i++) {
      svg +=
        `<text x="${x}" y="${formatDecimal(layout.baselines[i], 3)}" ${font} text-anchor="middle" ` +
        `fill="${options.darkColor}">${escapeText(layout.lines[i])}</text>`;
    }
  }
  return `${svg}</svg>`;
}

// One closed subpath per rectangle: move to its top-left corner, then right, down, back left.
// Relative h/v keep every number a small integer, so no decimal formatting is involved.
function pathData(symbol: ModuleMatrix, dx: number, dy: number): string {
  const rects = darkRectangles(symbol);
  let d = "";
  for (let i = 0; i < rects.length; i += 4) {
    const x = rects[i] + dx;
    const y = rects[i + 1] + dy;
    const w = rects[i + 2];
    const h = rects[i + 3];
    // Corners past the cache stride only occur beside very wide HRI text; those are not kept.
    const at = x < CACHE_STRIDE && y < CACHE_STRIDE ? y * CACHE_STRIDE + x : -1;
    let move = at < 0 ? undefined : moves[at];
    if (move === undefined) {
      move = `M${x} ${y}`;
      if (at >= 0) moves[at] = move;
    }
    let segment = segments[h * CACHE_STRIDE + w];
    if (segment === undefined) {
      segment = `h${w}v${h}h-${w}z`;
      segments[h * CACHE_STRIDE + w] = segment;
    }
    d += move + segment;
  }
  return d;
}

function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));
}
