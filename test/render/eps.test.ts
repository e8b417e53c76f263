// EPS against the PDF it is made from: Ghostscript's raster of the EPS (its prolog defines the
// PDF operators and the OCR-B HRI font in PostScript) against poppler's raster of the PDF of the
// same picture, whose Type 3 HRI font the PDF tests check against the outline table.
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { drawEps } from "../../src/render/eps.js";
import { pictureOf } from "../../src/render/layout.js";
import { DEFAULT_RENDER_OPTIONS } from "../../src/render/options.js";
import { drawPdf } from "../../src/render/pdf.js";
import { rasteriseEps, rasterisePdf } from "../helpers/raster.js";
import { FIXTURES, symbolOf } from "./fixtures.js";

// Ink of a PNG as one byte per pixel (1 dark, 0 light), thresholded at mid-grey.
async function ink(png: Buffer): Promise<{ width: number; height: number; dark: Uint8Array }> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  const dark = new Uint8Array(info.width * info.height);
  for (let i = 0; i < dark.length; i++) dark[i] = data[i * info.channels] < 128 ? 1 : 0;
  return { width: info.width, height: info.height, dark };
}

describe("drawEps", () => {
  it("draws the HRI lines (escaped parentheses too) where the PDF draws them", async () => {
    const lines = ["(01) 09506000134352", "(10) AB(1)\\", "(21) X~{}"];
    const picture = pictureOf(
      symbolOf(FIXTURES[1]),
      { ...DEFAULT_RENDER_OPTIONS, hri: true },
      lines,
    );
    const eps = await ink(rasteriseEps(drawEps(picture, { cmyk: false }), 600));
    const pdf = await ink(rasterisePdf(drawPdf(picture), 600));
    // Ghostscript's EPS crop rounds the box up to whole points, adding columns on the right and
    // rows on top (the origin is the bottom-left corner): compare the PDF's area, bottoms aligned.
    // (Each rasteriser rounds the page to whole pixels its own way: a pixel either side.)
    const dy = eps.height - pdf.height;
    expect(dy).toBeGreaterThanOrEqual(-1);
    expect(dy).toBeLessThanOrEqual(9);
    expect(eps.width - pdf.width).toBeGreaterThanOrEqual(-1);
    expect(eps.width - pdf.width).toBeLessThanOrEqual(9);
    const epsAt = (x: number, y: number) =>
      y + dy < 0 || y + dy >= eps.height || x >= eps.width ? 0 : eps.dark[(y + dy) * eps.width + x];
    const pdfAt = (x: number, y: number) =>
      x < 0 || y < 0 || x >= pdf.width || y >= pdf.height ? 0 : pdf.dark[y * pdf.width + x];
    // Ink in one with no ink within a pixel of it in the other: Ghostscript fills every pixel a
    // shape touches where poppler weighs coverage, so edges may move by a pixel; nothing more.
    const near = (at: (x: number, y: number) => number, x: number, y: number) => {
      for (let j = -1; j <= 1; j++) for (let i = -1; i <= 1; i++) if (at(x + i, y + j)) return true;
      return false;
    };
    let stray = 0;
    let dark = 0;
    let textInk = 0;
    const textTop = Math.floor(pdf.height * 0.7);
    for (let y = 0; y < pdf.height; y++) {
      for (let x = 0; x < pdf.width; x++) {
        dark += pdfAt(x, y);
        if (pdfAt(x, y) && !near(epsAt, x, y)) stray++;
        if (epsAt(x, y) && !near(pdfAt, x, y)) stray++;
        if (y >= textTop) textInk += epsAt(x, y);
      }
    }
    // The text band under the symbol has ink.
    expect(textInk).toBeGreaterThan(1000);
    expect(stray / dark).toBeLessThan(0.002);
  });
});
