// PNG output (Node only through ./raster/), beside the SVG and PDF entries. Without HRI: a 1-bit
// image (./raster/bilevel.ts). With HRI: an 8-bit image composed in ./raster/png-hri.ts from
// OCR-B glyph masks this project rasterises itself, so its bytes are the same on any machine,
// whatever fonts it has. Both write the DPI (pHYs); modules are whole pixels.
import { type Picture, pictureOf } from "./layout.js";
import type { RenderOptions } from "./options.js";
import { encodeBilevel } from "./raster/bilevel.js";
import { drawHriPng } from "./raster/png-hri.js";
import { checkMatrix, type ModuleMatrix } from "./runs.js";
import { pixelsPerModule } from "./units.js";

/**
 * Returns the width and height in pixels of the PNG drawPng draws of `picture`: its layout (the
 * quiet zone, and the HRI lines when there are any) at pixelsPerModule(options) per module.
 */
export function pngSize({ options, layout }: Picture): { width: number; height: number } {
  const ppm = pixelsPerModule(options);
  return { width: layout.width * ppm, height: layout.height * ppm };
}

/**
 * Returns a PNG of `symbol` with `options.quietZoneModules` of light margin, each module
 * pixelsPerModule(options) pixels square, and `options.dpi` in the pHYs chunk (as pixels per
 * metre, rounded; readers show the dpi back). Without HRI the image is 1-bit: greyscale for
 * black on white, else a two-entry palette [dark, light]. With `hri` lines, they are printed
 * under the symbol as in toSvgBytes, the same OCR-B outlines at the same places, anti-aliased,
 * and the image is 8-bit greyscale (black on white) or 8-bit indexed (a palette of 256
 * blends). Deterministic on every machine: no system font or rasteriser is involved.
 * Rejects with a RangeError for a malformed matrix or unprintable HRI lines (see layoutPicture).
 */
export async function toPng(
  symbol: ModuleMatrix,
  options: RenderOptions,
  hri?: readonly string[],
): Promise<Buffer> {
  checkMatrix(symbol);
  return drawPng(pictureOf(symbol, options, hri));
}

/** Returns toPng's image for a picture laid out already (see pictureOf). */
export async function drawPng(picture: Picture): Promise<Buffer> {
  checkMatrix(picture.symbol);
  if (picture.layout.lines.length === 0) return encodeBilevel(picture.symbol, picture.options);
  return drawHriPng(picture);
}
