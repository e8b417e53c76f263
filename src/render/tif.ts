// TIFF output (QR's "tif if cheap"): the PNG renderer's image re-encoded by sharp (libvips) as
// an LZW-compressed TIFF with the same resolution, so both raster formats hold the same pixels.
// Node only, beside png.ts.
import sharp from "sharp";
import { MM_PER_INCH } from "./units.js";

/**
 * Returns a TIFF of the PNG `png` (as drawPng made it): the same pixels, LZW-compressed, with
 * its resolution `dpi` written as XResolution/YResolution. Rejects if sharp cannot read `png`.
 */
export async function pngToTiff(png: Uint8Array, dpi: number): Promise<Buffer> {
  const perMm = dpi / MM_PER_INCH;
  return sharp(png).tiff({ compression: "lzw", xres: perMm, yres: perMm }).toBuffer();
}
