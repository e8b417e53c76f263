// src/render/glyphs.ts: the model of where librsvg puts text is checked against librsvg itself
// (sharp rasterising SVGs written here, in toSvgPixels' form), by finding the left edge of each
// "L" stem and the bottom of its foot; and the masks against librsvg drawing the same glyph.
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { DEFAULT_RENDER_OPTIONS } from "../../../src/render/options.js";
import {
  baselineStep,
  clearGlyphCache,
  GLYPH_PHASES,
  GRID_PER_MODULE,
  glyphCacheUsage,
  glyphFace,
  glyphStep,
  HRI_FONT_FAMILY,
  hriFontUnits,
} from "../../../src/render/raster/glyphs.js";
import { FIXTURES, symbolOf } from "../fixtures.js";
import { toSvg } from "../svg-text.js";

const PPM = 12;

/** Rasterises `text` elements (module units) at PPM px a module to grey levels, one per pixel. */
async function raster(
  widthModules: number,
  heightModules: number,
  texts: string,
): Promise<{ data: Buffer; width: number }> {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${widthModules * PPM}" height="${heightModules * PPM}" ` +
    `viewBox="0 0 ${widthModules} ${heightModules}" shape-rendering="crispEdges">` +
    `<rect width="${widthModules}" height="${heightModules}" fill="#ffffff"/>${texts}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg))
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width };
}

/** Left edges (px, sub-pixel from coverage) of the ink runs crossing row `y`. */
function leftEdges({ data, width }: { data: Buffer; width: number }, y: number): number[] {
  const edges: number[] = [];
  for (let x = 1; x < width; x++) {
    const ink = 255 - data[y * width + x];
    if (data[y * width + x - 1] === 255 && ink > 0) edges.push(x + 1 - ink / 255);
  }
  return edges;
}

const font = (size: string): string => `font-family="${HRI_FONT_FAMILY}" font-size="${size}"`;

describe("the text placement model", () => {
  it("names the font toSvg writes", () => {
    const svg = toSvg(symbolOf(FIXTURES[0]), { ...DEFAULT_RENDER_OPTIONS, hri: true }, ["(10) A1"]);
    expect(svg).toContain(`font-family="${HRI_FONT_FAMILY}"`);
  });

  it.each([
    // font size (modules), centre (modules): sizes span the HRI range (8 pt at X 1.5 … 0.254 mm);
    // pictures are twice the centre wide, wide enough for 18 glyphs
    ["1.881", 20],
    ["2.123", 30.5],
    ["5.644", 44.5],
    ["7.427", 60.123],
    ["11.111", 70.5],
  ])(
    "puts each glyph of a centred line where librsvg does (size %s, centre %s)",
    async (size, centre) => {
      const { advance, ascent } = hriFontUnits(size);
      const y = Math.ceil(Number(size) * 1.5);
      const single = await raster(20, y + 2, `<text x="5" y="${y}" ${font(size)}>L</text>`);
      // Offset of the stem's left edge from the glyph origin (5 modules, on the grid).
      // A row through the stems, above the feet.
      const row = Math.round((y - 0.4 * Number(size)) * PPM);
      const stem = leftEdges(single, row)[0] - 5 * PPM;
      for (const length of [1, 6, 7, 18]) {
        const width = Math.ceil(2 * centre);
        const text = `<text x="${centre}" y="${y}" ${font(size)} text-anchor="middle">${"L".repeat(length)}</text>`;
        const edges = leftEdges(await raster(width, y + 2, text), row);
        const start = centre - (length * advance) / 2048;
        const predicted = Array.from(
          { length },
          (_, k) => (glyphStep(start, k, advance) * PPM) / GRID_PER_MODULE + stem,
        );
        expect(edges).toHaveLength(length);
        // Within 0.02 px: the edges are read from 8-bit coverage.
        for (const [k, edge] of edges.entries()) {
          expect(Math.abs(edge - predicted[k])).toBeLessThan(0.02);
        }
      }
      expect(ascent).toBeGreaterThan(0);
    },
  );

  it.each([
    ["7.427", [10.287, 16.99, 19.376, 23.251, 15.22, 12.5]],
    ["5.644", [10.1, 10.2, 10.3, 27.693, 30.045]],
    ["2.17", [11.001, 13.337, 17.999]],
  ])("puts the baseline where librsvg does (size %s)", async (size, ys) => {
    const { ascent } = hriFontUnits(size);
    for (const y of ys) {
      const { data, width } = await raster(
        10,
        Math.ceil(y) + 3,
        `<text x="2" y="${y}" ${font(size)}>L</text>`,
      );
      // The stem's column: its bottom pixel's coverage gives the baseline below its top.
      const stemX = Math.ceil(leftEdges({ data, width }, Math.floor(y * PPM) - 4)[0]) + 1;
      let bottom = 0;
      for (let row = 0; row * width < data.length; row++)
        if (data[row * width + stemX] < 255) bottom = row;
      const baseline = bottom + (255 - data[bottom * width + stemX]) / 255;
      expect(Math.abs(baseline - (baselineStep(y, ascent) * PPM) / GRID_PER_MODULE)).toBeLessThan(
        0.02,
      );
    }
  });

  it("sizes glyph advances as pango does: 1233/2048 em, rounded to 1/1024 module", () => {
    // Measured from librsvg output by the test above; these pin the rounding (half up on ties).
    expect(
      ["1", "1.5", "1.881", "2.123", "3", "5.644"].map((s) => hriFontUnits(s).advance),
    ).toEqual([617, 925, 1160, 1309, 1850, 3479]);
  });
});

describe("glyphFace", () => {
  it("rasterises masks that match librsvg drawing the glyph at the same place", async () => {
    clearGlyphCache();
    const size = "7.427";
    const { ascent } = hriFontUnits(size);
    const y = 12.34; // baseline at a phase that is not a whole pixel
    const baseline = baselineStep(y, ascent) * PPM;
    const face = glyphFace(size, PPM, baseline % GRID_PER_MODULE);
    const x = 3 + 18 / GRID_PER_MODULE; // on the grid: 3 modules and 18 steps
    const phases = ((x * GRID_PER_MODULE * PPM) / GRID_PER_MODULE) * GLYPH_PHASES;
    expect(Number.isInteger(phases)).toBe(true); // 18 · 12 / 256 px is a whole 1/32 px
    const keys = [..."(0A_g)"].map((c) => c.charCodeAt(0) * GLYPH_PHASES + (phases % GLYPH_PHASES));
    await face.load(keys);
    const originX = Math.floor(phases / GLYPH_PHASES);
    const originY = Math.floor(baseline / GRID_PER_MODULE);
    for (const [i, c] of [..."(0A_g)"].entries()) {
      const { data, width } = await raster(
        12,
        18,
        `<text x="${x}" y="${y}" ${font(size)}>${c}</text>`,
      );
      const mask = face.get(keys[i]);
      let differing = 0;
      for (let row = 0; row * width < data.length; row++) {
        for (let col = 0; col < width; col++) {
          const r = row - (originY + mask.top);
          const k = col - (originX + mask.left);
          const inside = r >= 0 && k >= 0 && r < mask.height && k < mask.width;
          const coverage = inside ? mask.coverage[r * mask.width + k] : 0;
          if (255 - data[row * width + col] !== coverage) differing++;
        }
      }
      expect([c, differing]).toEqual([c, 0]);
    }
    expect(glyphCacheUsage().faces).toBe(1);
  });

  it("rasterises each missing glyph once, also when loads overlap, and counts it once", async () => {
    clearGlyphCache();
    const face = glyphFace("5.644", PPM, 0);
    const keys = [0x30, 0x31, 0x32].map((c) => c * GLYPH_PHASES + 5);
    await Promise.all([face.load(keys), face.load(keys.slice(1))]);
    const { bytes } = glyphCacheUsage();
    await face.load(keys);
    expect(glyphCacheUsage().bytes).toBe(bytes);
    const sizes = keys.map((k) => face.get(k).coverage.length + 64);
    expect(bytes).toBe(sizes.reduce((a, b) => a + b, 0));
    expect(() => face.get(0x33 * GLYPH_PHASES)).toThrow(RangeError);
  });
});
