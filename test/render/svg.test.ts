import { readFileSync } from "node:fs";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { HRI_ADVANCE, HRI_GLYPHS, HRI_UNITS_PER_EM } from "../../src/render/hri-font.generated.js";
import { layoutPicture } from "../../src/render/layout.js";
import { DEFAULT_RENDER_OPTIONS, type RenderOptions } from "../../src/render/options.js";
import { decodeImage } from "../helpers/decode.js";
import { hriDefinitions, hriGroups, hriOutlines, outlineOf } from "../helpers/hri-outlines.js";
import { rasteriseSvg } from "../helpers/raster.js";
import { darkCount, FIXTURES, HRI_22, symbolOf } from "./fixtures.js";
import { toSvg } from "./svg-text.js";

const OPTIONS: RenderOptions = { ...DEFAULT_RENDER_OPTIONS };
const PATH_PIECE = /M(\d+) (\d+)h(\d+)v(\d+)h-(\d+)z/g;

const rsvg = rasteriseSvg;

function attribute(svg: string, element: string, name: string): string {
  const match = new RegExp(`<${element}\\b[^>]*\\b${name}="([^"]*)"`).exec(svg);
  if (!match) throw new Error(`no ${name} on <${element}>`);
  return match[1];
}

/** Returns the pixel colour at (x, y) of an encoded image as "#rrggbb". */
async function pixel(png: Buffer, x: number, y: number): Promise<string> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return `#${[0, 1, 2].map((k) => data[at + k].toString(16).padStart(2, "0")).join("")}`;
}

describe("toSvg", () => {
  it.each(FIXTURES.map((f) => [f.name, f] as const))(
    "renders the zint %s symbol so that zxing reads it back (rsvg-convert, 8 px per module)",
    async (_name, fixture) => {
      const symbol = symbolOf(fixture);
      const svg = toSvg(symbol, OPTIONS);
      const png = rsvg(svg, ["-w", String((fixture.columns + 4) * 8)]);
      const decoded = await decodeImage(png);
      expect(decoded.symbologyIdentifier).toBe(fixture.symbologyIdentifier);
      expect(decoded.text).toBe(fixture.text);
    },
  );

  it("reads back at its physical size too (0.38 mm at 300 dpi: 4.49 px per module)", async () => {
    const fixture = FIXTURES[1];
    const png = rsvg(toSvg(symbolOf(fixture), OPTIONS), ["-d", "300", "-p", "300"]);
    // 26 modules × 0.38 mm = 9.88 mm = 116.7 px at 300 dpi.
    expect((await sharp(png).metadata()).width).toBe(117);
    expect((await decodeImage(png)).text).toBe(fixture.text);
  });

  it.each(FIXTURES.map((f) => [f.name, f] as const))(
    "draws the %s symbol as one path of integer rectangles whose area is the dark-module count",
    (_name, fixture) => {
      const symbol = symbolOf(fixture);
      const svg = toSvg(symbol, OPTIONS);
      expect(svg.match(/<path\b/g)).toHaveLength(1);
      const d = attribute(svg, "path", "d");
      // Nothing but "M x y h w v h h -w z" pieces, all integers.
      expect(d.replace(PATH_PIECE, "")).toBe("");
      let area = 0;
      for (const [, x, y, w, h, back] of d.matchAll(PATH_PIECE)) {
        expect(back).toBe(w);
        // Inside the symbol, which sits inside the 2-module quiet zone.
        expect(Number(x)).toBeGreaterThanOrEqual(2);
        expect(Number(y)).toBeGreaterThanOrEqual(2);
        expect(Number(x) + Number(w)).toBeLessThanOrEqual(2 + fixture.columns);
        expect(Number(y) + Number(h)).toBeLessThanOrEqual(2 + fixture.rows);
        area += Number(w) * Number(h);
      }
      expect(area).toBe(darkCount(symbol));
    },
  );

  it("states the viewBox with the quiet zone, the physical size in mm, and crisp edges", () => {
    const svg = toSvg(symbolOf(FIXTURES[4]), { ...OPTIONS, quietZoneModules: 3, xdimMm: 0.5 });
    expect(attribute(svg, "svg", "viewBox")).toBe("0 0 54 22"); // 48 + 6 by 16 + 6
    expect(attribute(svg, "svg", "width")).toBe("27mm");
    expect(attribute(svg, "svg", "height")).toBe("11mm");
    expect(attribute(svg, "svg", "shape-rendering")).toBe("crispEdges");
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" ')).toBe(true);
    expect(svg.endsWith("</svg>")).toBe(true);
  });

  it("paints the light colour behind everything and the dark colour on the modules", async () => {
    const fixture = FIXTURES[1];
    const svg = toSvg(symbolOf(fixture), {
      ...OPTIONS,
      darkColor: "#002060",
      lightColor: "#ffeecc",
    });
    expect(attribute(svg, "rect", "fill")).toBe("#ffeecc");
    expect(attribute(svg, "path", "fill")).toBe("#002060");
    const png = rsvg(svg, ["-w", String(26 * 8)]);
    expect(await pixel(png, 4, 4)).toBe("#ffeecc"); // quiet zone
    // Module (21, 0) is the corner of the finder "L", dark in every DataMatrix: centre pixel.
    expect(await pixel(png, (2 + 0) * 8 + 4, (2 + 21) * 8 + 4)).toBe("#002060");
    expect((await decodeImage(png)).text).toBe(fixture.text);
  });

  it("draws HRI lines as OCR-B outlines: each glyph defined once, a group of uses per line, no <text>, no font name, and still reads back", async () => {
    const fixture = FIXTURES[1];
    const lines = [...HRI_22, "(99) A&B<C>"];
    const svg = toSvg(symbolOf(fixture), { ...OPTIONS, hri: true }, lines);
    expect(svg).not.toContain("<text");
    expect(svg).not.toContain("font");
    expect(svg).toContain('xmlns:xlink="http://www.w3.org/1999/xlink"');
    // Only the module path outside <defs>; inside, one fill-less path per distinct glyph.
    const defs = /<defs>(.*?)<\/defs>/s.exec(svg)?.[1] ?? "";
    expect(svg.replace(defs, "").match(/<path /g)).toHaveLength(1);
    const ids = [...defs.matchAll(/<path ([^>]*)\/>/g)].map((m) => {
      expect(m[1]).toMatch(/^id="[^"]+" d="[^"]*"$/);
      return /id="([^"]+)"/.exec(m[1])?.[1];
    });
    const distinct = new Set(lines.join("").replaceAll(" ", ""));
    expect(ids).toHaveLength(distinct.size);
    expect(new Set(ids).size).toBe(distinct.size);
    // One group per line, anti-aliased, in the dark colour, each glyph a <use>.
    const groups = [...svg.matchAll(/<g ([^>]*)>(.*?)<\/g>/gs)];
    expect(groups).toHaveLength(lines.length);
    for (const [i, [, attributes, body]] of groups.entries()) {
      expect(attributes).toMatch(
        /^fill="#000000" shape-rendering="geometricPrecision" transform="matrix\([^)]*\)"$/,
      );
      expect(body.match(/<use /g)).toHaveLength(lines[i].replaceAll(" ", "").length);
      expect(body.replace(/<use xlink:href="#[^"]+"( x="\d+")?\/>/g, "")).toBe("");
    }
    // rsvg-convert refuses malformed XML and draws the uses; zxing still reads the symbol.
    const png = rsvg(svg, ["-w", "800"]);
    expect((await decodeImage(png)).text).toBe(fixture.text);
    // The HRI area makes the picture taller than wide for this 22x22 symbol.
    const [, , w, h] = attribute(svg, "svg", "viewBox").split(" ").map(Number);
    expect(h).toBeGreaterThan(26);
    expect(w).toBeGreaterThan(26);
  });

  it("defines each glyph as the font table's outline and writes each line as its glyphs one advance apart, placed by its group's matrix", () => {
    const lines = ["(10) LOT-A001", "(21) x_y"];
    const svg = toSvg(symbolOf(FIXTURES[1]), { ...OPTIONS, hri: true }, lines);
    const layout = layoutPicture(symbolOf(FIXTURES[1]), { ...OPTIONS, hri: true }, lines);
    // Every definition is the table's path data (relative back to absolute).
    const definitions = hriDefinitions(svg);
    const tableOf = (ch: string) => HRI_GLYPHS[ch.charCodeAt(0) - 32];
    const byOutline = new Map([...definitions].map(([id, d]) => [d, id]));
    for (const ch of new Set(lines.join("").replaceAll(" ", ""))) {
      expect(byOutline.has(tableOf(ch)), `definition of ${ch}`).toBe(true);
    }
    const groups = hriGroups(svg);
    expect(groups).toHaveLength(2);
    for (const [i, { matrix, uses }] of groups.entries()) {
      const [a, b, c, dd, e, f] = matrix;
      // Font units (y up) to modules (y down): scale = font size / units per em.
      expect([b, c]).toEqual([0, 0]);
      expect(a).toBeCloseTo(layout.fontSize / HRI_UNITS_PER_EM, 6);
      expect(dd).toBe(-a);
      // Centred: the line's advance box spans centre ± length × advance / 2.
      expect(e + (lines[i].length * HRI_ADVANCE * a) / 2).toBeCloseTo(layout.textCenterX, 2);
      expect(f).toBeCloseTo(layout.baselines[i], 3);
      // Glyph k of the line (spaces draw nothing) is the table's outline k advances right.
      const expected = [...lines[i]]
        .map((ch, k) => [ch, k] as const)
        .filter(([ch]) => ch !== " ")
        .map(([ch, k]) => ({ id: byOutline.get(tableOf(ch)), x: k * HRI_ADVANCE }));
      expect(uses).toEqual(expected);
    }
    expect(hriOutlines(svg)).toEqual(lines.map(outlineOf));
  });

  it("writes every line as its own glyphs whatever lines the documents before it had (a label run, lines moved, more lines than are remembered)", () => {
    const tableOf = (ch: string) => HRI_GLYPHS[ch.charCodeAt(0) - 32];
    const run = (serial: string) => ["(01) 00012345678905", "(17) 270630", "(10) A1", serial];
    const documents = [
      run("(21) 1"),
      run("(21) 2"),
      ["(17) 270630", "(01) 00012345678905", "(10) A1", "(21) 2"],
      run("(21) 2"),
      ["(10) A1"],
      Array.from({ length: 11 }, (_, i) => `(91) ${"X".repeat(i + 1)}`),
      Array.from({ length: 11 }, (_, i) => `(91) ${"Y".repeat(11 - i)}`),
      run("(21) 1"),
    ];
    for (const lines of documents) {
      const svg = toSvg(symbolOf(FIXTURES[1]), { ...OPTIONS, hri: true }, lines);
      const byOutline = new Map([...hriDefinitions(svg)].map(([id, d]) => [d, id]));
      const groups = hriGroups(svg);
      expect(groups).toHaveLength(lines.length);
      for (const [i, { uses }] of groups.entries()) {
        const expected = [...lines[i]]
          .map((ch, k) => [ch, k] as const)
          .filter(([ch]) => ch !== " ")
          .map(([ch, k]) => ({ id: byOutline.get(tableOf(ch)), x: k * HRI_ADVANCE }));
        expect(uses, `${lines.join("|")} line ${i}`).toEqual(expected);
      }
    }
  });

  it("writes the same glyph definitions in every document (so two SVGs inlined in one page agree)", () => {
    const one = hriDefinitions(
      toSvg(symbolOf(FIXTURES[1]), { ...OPTIONS, hri: true }, ["(10) AB"]),
    );
    const two = hriDefinitions(
      toSvg(symbolOf(FIXTURES[2]), { ...OPTIONS, hri: true, xdimMm: 0.5 }, ["(21) BA9"]),
    );
    for (const [id, d] of one) if (two.has(id)) expect(two.get(id)).toBe(d);
    expect([...one.keys()].filter((id) => two.has(id))).toHaveLength(5);
  });

  it("draws the same symbol whatever the HRI (the path only moves)", () => {
    const symbol = symbolOf(FIXTURES[2]);
    const plain = attribute(toSvg(symbol, OPTIONS), "path", "d");
    const withText = attribute(toSvg(symbol, { ...OPTIONS, hri: true }, ["(21) X"]), "path", "d");
    const shape = (d: string): string[] =>
      [...d.matchAll(PATH_PIECE)].map((m) => `${m[3]}x${m[4]}`);
    expect(shape(withText)).toEqual(shape(plain));
  });

  it("rejects a malformed matrix", () => {
    expect(() => toSvg({ rows: 2, columns: 2, modules: new Uint8Array(3) }, OPTIONS)).toThrow(
      RangeError,
    );
  });

  it("imports nothing from Node or sharp, directly or through its imports (the preview uses it)", () => {
    for (const file of [
      "svg.ts",
      "pdf.ts",
      "runs.ts",
      "options.ts",
      "layout.ts",
      "byte-writer.ts",
      "format-number.ts",
      "hri-outlines.ts",
      "hri-font.generated.ts",
    ]) {
      const source = readFileSync(new URL(`../../src/render/${file}`, import.meta.url), "utf8");
      const imports = [...source.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
      for (const from of imports) expect(from, `${file} imports ${from}`).toMatch(/^\.\.?\//);
    }
  });
});
