// PNG output (Node only). Without HRI: a 1-bit image written here (IHDR, PLTE unless black on
// white, pHYs, IDAT via zlib) in ~40 µs, because sharp costs ~1 ms a call on this machine even
// for a 1x1 image, about 20 % of bwip-js toBuffer, which is the whole budget of the "encode+PNG
// 5x faster" target (see test/bench/render.bench.ts). With HRI: an 8-bit image composed in
// ./png-hri.ts from glyph masks sharp (librsvg) rasterised once and cached; rasterising the
// whole SVG per call cost ~5 ms (test/bench/hri-png.bench.ts). Both write the DPI (pHYs);
// modules are whole pixels.
import { constants, deflateSync } from "node:zlib";
import sharp from "sharp";
import { parseHexColor } from "./color.js";
import { layoutPicture } from "./layout.js";
import type { RenderOptions } from "./options.js";
import { assemblePng } from "./raster/png-chunks.js";
import { drawHriPng } from "./raster/png-hri.js";
import { checkMatrix, type ModuleMatrix } from "./runs.js";
import { toSvgPixels } from "./svg.js";
import { pixelsPerModule } from "./units.js";

/**
 * zlib settings for the 1-bit IDAT: with Up-filtered repeats, Z_RLE was 2–4x faster than the
 * default strategy from 600 dpi up (files stay ~1 KB, against ~0.4 KB); level 6 for the 8-bit
 * images sharp writes from the SVG, where level 9 cost milliseconds more for a few bytes.
 */
const BILEVEL_DEFLATE = { level: 6, strategy: constants.Z_RLE };
const HRI_COMPRESSION_LEVEL = 6;
const FILTER_UP = 2;

// One libvips thread per render and no operation cache: the server bounds how many HRI renders
// run at once (src/http/render-gate.ts), so a burst then takes one core's worth of threads
// rather than all of them, and its memory is given back when it ends.
sharp.concurrency(1);
sharp.cache(false);

/**
 * Returns the width and height in pixels of the PNG toPng would draw: the picture's layout (the
 * quiet zone, and the `hri` lines when there are any) at pixelsPerModule(options) per module.
 */
export function pngSize(
  symbol: ModuleMatrix,
  options: RenderOptions,
  hri?: readonly string[],
): { width: number; height: number } {
  const ppm = pixelsPerModule(options);
  const layout = layoutPicture(symbol, options, hri);
  return { width: layout.width * ppm, height: layout.height * ppm };
}

/**
 * Returns a PNG of `symbol` with `options.quietZoneModules` of light margin, each module
 * pixelsPerModule(options) pixels square, and `options.dpi` in the pHYs chunk (as pixels per
 * metre, rounded; readers show the dpi back). Without HRI the image is 1-bit: greyscale for
 * black on white, else a two-entry palette [dark, light]. With `hri` lines, they are
 * printed under the symbol as in toSvgBytes, anti-aliased, and the image is 8-bit greyscale (black
 * on white) or 8-bit indexed (a palette of 256 blends); its pixels match rasteriseSvgPng's
 * (modules exactly, text within the glyph cache's sub-pixel rounding, see png-hri.test.ts).
 * Deterministic for a given sharp/libvips build.
 * Rejects with a RangeError for a malformed matrix or unprintable HRI lines (see layoutPicture).
 */
export async function toPng(
  symbol: ModuleMatrix,
  options: RenderOptions,
  hri?: readonly string[],
): Promise<Buffer> {
  checkMatrix(symbol);
  if (!hri || hri.length === 0) return encodeBilevel(symbol, options);
  return (await drawHriPng(symbol, options, hri)) ?? rasteriseSvgPng(symbol, options, hri);
}

function encodeBilevel(symbol: ModuleMatrix, options: RenderOptions): Buffer {
  const { rows, columns, modules } = symbol;
  const ppm = pixelsPerModule(options);
  const q = options.quietZoneModules;
  const width = (columns + 2 * q) * ppm;
  const height = (rows + 2 * q) * ppm;
  // Scanlines: a filter byte, then 1 bit per pixel, MSB first, bit 0 = dark in both colour
  // types (greyscale 0 = black; palette index 0 = the dark entry). The first scanline of each
  // module row is stored as is (filter None); its ppm - 1 repeats use filter Up, which makes
  // them all zero bytes, so the buffer starts zeroed and the repeats cost one byte each to
  // write and almost nothing to compress with zlib's run-length strategy.
  const stride = 1 + Math.ceil(width / 8);
  const raw = Buffer.alloc(stride * height);
  const line = Buffer.alloc(stride - 1);
  for (let band = 0; band < rows + 2 * q; band++) {
    line.fill(0xff);
    const r = band - q;
    if (r >= 0 && r < rows) {
      for (let c = 0; c < columns; c++) {
        if (modules[r * columns + c] !== 0) clearBits(line, (c + q) * ppm, ppm);
      }
    }
    const top = band * ppm * stride;
    line.copy(raw, top + 1);
    for (let k = 1; k < ppm; k++) raw[top + k * stride] = FILTER_UP;
  }

  const dark = parseHexColor(options.darkColor);
  const light = parseHexColor(options.lightColor);
  const blackOnWhite = options.darkColor === "#000000" && options.lightColor === "#ffffff";
  const idat = deflateSync(raw, BILEVEL_DEFLATE);
  // 1-bit greyscale, or indexed with the palette [dark, light]
  if (blackOnWhite) return assemblePng(width, height, 1, 0, options.dpi, null, idat);
  return assemblePng(width, height, 1, 3, options.dpi, new Uint8Array([...dark, ...light]), idat);
}

// Clears `count` bits from bit `start` of packed pixels (bit 0 = MSB of byte 0).
function clearBits(line: Buffer, start: number, count: number): void {
  let bit = start;
  const end = start + count;
  while (bit < end && (bit & 7) !== 0) {
    line[bit >> 3] &= ~(0x80 >> (bit & 7));
    bit++;
  }
  while (bit + 8 <= end) {
    line[bit >> 3] = 0;
    bit += 8;
  }
  while (bit < end) {
    line[bit >> 3] &= ~(0x80 >> (bit & 7));
    bit++;
  }
}

/**
 * Returns the PNG of toSvgPixels(symbol, options, hri) rasterised by sharp (librsvg): 8-bit
 * greyscale when both colours are grey, else RGB, `options.dpi` in pHYs. ~5 ms a call, most of it
 * drawing glyphs. toPng's HRI path before the glyph cache; kept as its fallback and as the
 * reference its pixels are tested against. Rejects like toPng.
 */
export async function rasteriseSvgPng(
  symbol: ModuleMatrix,
  options: RenderOptions,
  hri?: readonly string[],
): Promise<Buffer> {
  checkMatrix(symbol);
  const ppm = pixelsPerModule(options);
  const layout = layoutPicture(symbol, options, hri);
  const svg = toSvgPixels(symbol, options, hri, ppm);
  const [dr, dg, db] = parseHexColor(options.darkColor);
  const [lr, lg, lb] = parseHexColor(options.lightColor);
  const grey = dr === dg && dg === db && lr === lg && lg === lb;
  // The SVG's width/height are unitless (pixels), so librsvg's dpi does not scale them; the
  // size is asserted because a change in that behaviour would silently break module alignment.
  // The background rectangle makes alpha 255 everywhere, so dropping channels loses nothing;
  // for greys the red channel is the grey level (extractChannel measured ~35 % faster than a
  // colourspace conversion to b-w).
  const image = sharp(Buffer.from(svg));
  const { data, info } = await (grey ? image.extractChannel(0) : image.removeAlpha())
    .png({ compressionLevel: HRI_COMPRESSION_LEVEL })
    .withDensity(options.dpi)
    .toBuffer({ resolveWithObject: true });
  if (info.width !== layout.width * ppm || info.height !== layout.height * ppm) {
    throw new Error(
      `rasterised SVG is ${info.width}x${info.height}, expected ${layout.width * ppm}x${layout.height * ppm}`,
    );
  }
  return data;
}
