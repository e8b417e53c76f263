// TIFF output (QR's "tif if cheap"): the PNG renderer's image re-encoded by sharp (libvips) as
// an LZW-compressed TIFF with the same resolution, so both raster formats hold the same pixels.
// Node only, beside png.ts.
// biome-ignore lint/correctness/noNodejsModules: Node only, like the sharp it loads
import { createRequire } from "node:module";
import type Sharp from "sharp";
import { MM_PER_INCH } from "./units.js";

// sharp's CommonJS entry, loaded on the first TIFF: its ES module build imports its package.json
// as a JSON module, which Node 20 before 20.18 reports with an ExperimentalWarning on stderr (the
// labels CLI's error channel, which callers parse), and libvips need not load for the many
// processes that never write a TIFF.
let sharpModule: typeof Sharp | undefined;
function sharp(input: Uint8Array): ReturnType<typeof Sharp> {
  sharpModule ??= createRequire(import.meta.url)("sharp") as typeof Sharp;
  return sharpModule(input);
}

/**
 * Returns a TIFF of the PNG `png` (as drawPng made it): the same pixels, LZW-compressed, with
 * its resolution `dpi` written as XResolution/YResolution. Rejects if sharp cannot read `png`.
 */
export async function pngToTiff(png: Uint8Array, dpi: number): Promise<Buffer> {
  const perMm = dpi / MM_PER_INCH;
  return sharp(png).tiff({ compression: "lzw", xres: perMm, yres: perMm }).toBuffer();
}
