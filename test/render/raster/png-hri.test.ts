// src/render/raster/png-hri.ts (toPng with HRI): each picture is compared pixel by pixel with
// the SVG of the same picture rasterised by librsvg (rsvg-convert, not our code: cairo's own
// anti-aliasing of the same outlines at the positions the SVG states), both decoded by sharp
// (libspng), and read back by zxing-wasm.
//
// Tolerances, per 8-bit channel, in the text rows only (the rows above must be identical):
// - max 32: cairo flattens curves with its own tolerance (0.1 px) and samples coverage on a
//   sub-pixel grid (15 sub-rows a pixel: 255/15 = 17 on a horizontal edge), where the masks here
//   are exact areas of chords within 1/64 px of the curve at origins rounded to 1/32 px (4 more
//   levels each), plus rounding of blends. Measured 17-25 over these cases.
// - mean absolute difference below 0.5 % of full scale (1.3 levels) over the text rows, and
//   below 2 % (5.1 levels) over the pixels inked in either picture (measured 0.04-0.8 and
//   0.5-3.6): the text is where the SVG says, not merely similar.
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { layoutPicture } from "../../../src/render/layout.js";
import { DEFAULT_RENDER_OPTIONS, type RenderOptions } from "../../../src/render/options.js";
import { toPng } from "../../../src/render/png.js";
import { clearGlyphCache } from "../../../src/render/raster/glyph-masks.js";
import { clearLineCache } from "../../../src/render/raster/hri-lines.js";
import type { ModuleMatrix } from "../../../src/render/runs.js";
import { toSvgBytes } from "../../../src/render/svg.js";
import { pixelsPerModule } from "../../../src/render/units.js";
import { decodeImage } from "../../helpers/decode.js";
import { rasteriseSvg } from "../../helpers/raster.js";
import { FIXTURES, type Fixture, HRI_22, symbolOf } from "../fixtures.js";

/** Returns the SVG of the picture rasterised by rsvg-convert at pixelsPerModule(options). */
function rasteriseSvgPng(
  symbol: ModuleMatrix,
  options: RenderOptions,
  hri: readonly string[],
): Buffer {
  const ppm = pixelsPerModule(options);
  const { width, height } = layoutPicture(symbol, options, hri);
  const size = ["-w", String(width * ppm), "-h", String(height * ppm)];
  return rasteriseSvg(toSvgBytes(symbol, options, hri), size);
}

const MAX_DIFFERENCE = 32;
const MAX_MEAN_DIFFERENCE = 0.005 * 255;
const MAX_INKED_MEAN_DIFFERENCE = 0.02 * 255;

/** Decodes a PNG with sharp to 3 channels (RGB), whatever its colour type. */
async function rgb(png: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(png)
    .removeAlpha()
    .toColourspace("srgb")
    .raw()
    .toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(3);
  return { data, width: info.width, height: info.height };
}

interface Comparison {
  /** Channel values that differ above the text rows. */
  symbolRowsDiffering: number;
  /** Over the text rows: the largest difference, and the mean over all and over inked pixels. */
  max: number;
  mean: number;
  inkedMean: number;
}

/** Compares the new picture with the old: the rows above `textTop` exactly, the rest by stats. */
async function compare(oldPng: Buffer, newPng: Buffer, textTop: number): Promise<Comparison> {
  const before = await rgb(oldPng);
  const after = await rgb(newPng);
  expect([after.width, after.height]).toEqual([before.width, before.height]);
  const split = textTop * before.width * 3;
  let symbolRowsDiffering = 0;
  for (let i = 0; i < split; i++) if (before.data[i] !== after.data[i]) symbolRowsDiffering++;
  // Inked: a pixel not the light colour (that of the top-left corner) in either picture.
  const light = before.data.subarray(0, 3);
  const isLight = (data: Buffer, i: number): boolean =>
    data[i] === light[0] && data[i + 1] === light[1] && data[i + 2] === light[2];
  let max = 0;
  let sum = 0;
  let inkedSum = 0;
  let inked = 0;
  for (let i = split; i < before.data.length; i += 3) {
    const ink = !isLight(before.data, i) || !isLight(after.data, i);
    if (ink) inked += 3;
    for (let k = i; k < i + 3; k++) {
      const d = Math.abs(before.data[k] - after.data[k]);
      sum += d;
      if (ink) inkedSum += d;
      if (d > max) max = d;
    }
  }
  const count = before.data.length - split;
  return { symbolRowsDiffering, max, mean: sum / count, inkedMean: inkedSum / inked };
}

interface Case {
  name: string;
  fixture: Fixture;
  hri: string[];
  options: Partial<RenderOptions>;
}

// Every character HRI can hold (GS1 set 82, space) and upper-case data titles.
const ALL_CHARACTERS = [
  "GTIN (01) 00012345678905",
  `!"%&'()*+,-./:;<=>?_`,
  "abcdefghijklmnopqrstuvwxyz",
  "BATCH/LOT (10) ABCDEFGHIJKLMNOPQRSTUVWXYZ",
];

const CASES: Case[] = [
  {
    name: "22x22, four AIs, defaults (300 dpi, 0.38 mm)",
    fixture: FIXTURES[1],
    hri: HRI_22,
    options: {},
  },
  {
    name: "16x16 at 203 dpi",
    fixture: FIXTURES[0],
    hri: ["(01) 00012345678905", "(10) A1"],
    options: { dpi: 203 },
  },
  {
    name: "32x32, 20-character lot and serial, 600 dpi, 0.5 mm, navy on cream",
    fixture: FIXTURES[2],
    hri: [
      "(01) 00012345678905",
      "(17) 270630",
      "(10) ABCDEFGHIJKLMNOPQRST",
      "(21) abcdefghijklmnopqrst",
    ],
    options: { dpi: 600, xdimMm: 0.5, darkColor: "#002060", lightColor: "#ffeecc" },
  },
  {
    name: "16x48 rectangle at 72 dpi, 0.254 mm (1 px modules), quiet zone 4",
    fixture: FIXTURES[4],
    hri: HRI_22,
    options: { dpi: 72, xdimMm: 0.254, quietZoneModules: 4 },
  },
  {
    name: "22x22 with no quiet zone (the gap under the symbol starts below its last row)",
    fixture: FIXTURES[1],
    hri: HRI_22,
    options: { quietZoneModules: 0 },
  },
  {
    name: "16x16 with no quiet zone, navy on cream",
    fixture: FIXTURES[0],
    hri: ["(01) 00012345678905", "(10) A1"],
    options: { quietZoneModules: 0, darkColor: "#002060", lightColor: "#ffeecc" },
  },
  {
    name: "12x26 rectangle at 1200 dpi, 1 mm, grey on grey",
    fixture: FIXTURES[3],
    hri: ["(01) 00012345678905", "(10) A1"],
    options: { dpi: 1200, xdimMm: 1, darkColor: "#333333", lightColor: "#eeeeee" },
  },
  {
    name: "8x48 DMRE at 300 dpi, 1.5 mm, dark red",
    fixture: FIXTURES[5],
    hri: ["(01) 00012345678905", "(10) A1"],
    options: { xdimMm: 1.5, darkColor: "#8b0000" },
  },
  {
    name: "22x22 with every HRI character and titles, 400 dpi, 0.33 mm",
    fixture: FIXTURES[1],
    hri: ALL_CHARACTERS,
    options: { dpi: 400, xdimMm: 0.33 },
  },
  {
    name: "22x22 with every HRI character at 150 dpi, 0.85 mm (5 px modules)",
    fixture: FIXTURES[1],
    hri: ALL_CHARACTERS,
    options: { dpi: 150, xdimMm: 0.85 },
  },
  {
    // Lines with no ink, and with ink only above or only below the baseline.
    name: "16x16 with empty and blank lines, and marks above or below the baseline",
    fixture: FIXTURES[0],
    hri: ["", "   ", "'^`", "_", "(10) A1"],
    options: {},
  },
  {
    // Runs of wide glyphs: OCR-B keeps each inside its advance, so none touch.
    name: "22x22 with runs of wide glyphs (____, WWWW, ////, \\\\), 300 dpi",
    fixture: FIXTURES[1],
    hri: ["(10) ____WWWWMMMMmmmmwwww", "(21) ////\\\\||||%%%%&&&&"],
    options: {},
  },
];

function optionsOf(c: Case): RenderOptions {
  return { ...DEFAULT_RENDER_OPTIONS, ...c.options, hri: true };
}

function textTopOf(symbol: ModuleMatrix, options: RenderOptions): number {
  return (symbol.rows + 2 * options.quietZoneModules) * pixelsPerModule(options);
}

describe("toPng with HRI", () => {
  beforeAll(() => {
    clearGlyphCache();
    clearLineCache();
  });

  it.each(CASES.map((c) => [c.name, c] as const))(
    "matches the rasterised SVG: %s",
    async (_name, c) => {
      const symbol = symbolOf(c.fixture);
      const options = optionsOf(c);
      const before = rasteriseSvgPng(symbol, options, c.hri);
      const after = await toPng(symbol, options, c.hri);
      const result = await compare(before, after, textTopOf(symbol, options));
      expect(result.symbolRowsDiffering).toBe(0);
      expect(result.max).toBeLessThanOrEqual(MAX_DIFFERENCE);
      expect(result.mean).toBeLessThan(MAX_MEAN_DIFFERENCE);
      expect(result.inkedMean).toBeLessThan(MAX_INKED_MEAN_DIFFERENCE);
      // zxing finds no 1 px-module symbol over text, from either renderer (same pixels).
      if (pixelsPerModule(options) > 1) {
        // Printed without a quiet zone, a symbol is read once the label gives it one.
        const margin = options.quietZoneModules > 0 ? 0 : 2 * pixelsPerModule(options);
        const image = await sharp(after)
          .extend({
            top: margin,
            bottom: margin,
            left: margin,
            right: margin,
            background: options.lightColor,
          })
          .png()
          .toBuffer();
        expect((await decodeImage(image)).text).toBe(c.fixture.text);
      }
    },
  );

  it("writes 8-bit greyscale for black on white and a 256-shade palette otherwise", async () => {
    const symbol = symbolOf(FIXTURES[0]);
    const grey = await toPng(symbol, optionsOf(CASES[0]), ["(10) A1"]);
    expect([grey[24], grey[25]]).toEqual([8, 0]); // IHDR bit depth, colour type
    const colour = await toPng(symbol, optionsOf(CASES[2]), ["(10) A1"]);
    expect([colour[24], colour[25]]).toEqual([8, 3]);
    expect(colour.toString("latin1", 37, 41)).toBe("PLTE");
    expect(colour.readUInt32BE(33)).toBe(768);
    // Entry 0 is the light colour, 255 the dark one (full coverage).
    expect([...colour.subarray(41, 44)]).toEqual([0xff, 0xee, 0xcc]);
    expect([...colour.subarray(41 + 765, 41 + 768)]).toEqual([0x00, 0x20, 0x60]);
    const meta = await sharp(colour).metadata();
    expect([meta.isPalette, meta.density]).toEqual([true, 600]);
  });

  it("gives the same bytes from cached lines, and after emptying both caches", async () => {
    const symbol = symbolOf(FIXTURES[1]);
    const options = optionsOf(CASES[0]);
    const first = await toPng(symbol, options, HRI_22);
    const second = await toPng(symbol, options, HRI_22); // lines seen twice: now cached
    const third = await toPng(symbol, options, HRI_22); // from the line cache
    clearLineCache();
    clearGlyphCache();
    const fresh = await toPng(symbol, options, HRI_22); // glyphs rasterised again
    expect(second.equals(first)).toBe(true);
    expect(third.equals(first)).toBe(true);
    expect(fresh.equals(first)).toBe(true);
  });

  it("draws a label run's serial lines from a cached prefix, with the same pixels", async () => {
    const symbol = symbolOf(FIXTURES[1]);
    const options = optionsOf(CASES[0]);
    clearLineCache();
    const pictures: Buffer[] = [];
    // The third and later lines share "(21) SN-0" and are drawn from its cached rows.
    for (const serial of ["SN-0001", "SN-0002", "SN-0003", "SN-0999", "SN-0457"]) {
      pictures.push(await toPng(symbol, options, [...HRI_22.slice(0, 3), `(21) ${serial}`]));
    }
    for (const [i, serial] of ["SN-0001", "SN-0002", "SN-0003", "SN-0999", "SN-0457"].entries()) {
      clearLineCache();
      const alone = await toPng(symbol, options, [...HRI_22.slice(0, 3), `(21) ${serial}`]);
      const [a, b] = await Promise.all([rgb(pictures[i]), rgb(alone)]);
      expect([serial, a.data.equals(b.data)]).toEqual([serial, true]);
    }
  });

  it("rejects lines with characters no format can print", async () => {
    await expect(
      toPng(symbolOf(FIXTURES[0]), optionsOf(CASES[0]), ["(21) \u00e9"]),
    ).rejects.toThrow(new RangeError('HRI line "(21) \u00e9" is not printable ASCII'));
  });
});
