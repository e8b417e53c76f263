import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { DEFAULT_RENDER_OPTIONS, type RenderOptions } from "../../src/render/options.js";
import { toPng } from "../../src/render/png.js";
import type { ModuleMatrix } from "../../src/render/runs.js";
import { decodeImage } from "../helpers/decode.js";
import { FIXTURES, HRI_22, symbolOf } from "./fixtures.js";

const OPTIONS: RenderOptions = { ...DEFAULT_RENDER_OPTIONS };

/** Returns the PNG's chunks in order as [type, data]. */
function chunks(png: Buffer): [string, Buffer][] {
  const out: [string, Buffer][] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    out.push([png.toString("latin1", at + 4, at + 8), png.subarray(at + 8, at + 8 + length)]);
    at += 12 + length;
  }
  return out;
}

/** Decodes with sharp (libspng/libpng, not our code) to one byte per pixel per channel. */
async function pixels(
  png: Buffer,
): Promise<{ data: Buffer; width: number; height: number; channels: number }> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** Expects every pixel to be light in the quiet zone and to match its module elsewhere. */
async function expectPixelExact(
  png: Buffer,
  symbol: ModuleMatrix,
  ppm: number,
  q: number,
): Promise<void> {
  const { data, width, height, channels } = await pixels(png);
  expect([width, height]).toEqual([(symbol.columns + 2 * q) * ppm, (symbol.rows + 2 * q) * ppm]);
  let wrong = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const r = Math.floor(y / ppm) - q;
      const c = Math.floor(x / ppm) - q;
      const inside = r >= 0 && c >= 0 && r < symbol.rows && c < symbol.columns;
      const dark = inside && symbol.modules[r * symbol.columns + c] !== 0;
      if (data[(y * width + x) * channels] !== (dark ? 0 : 255)) wrong++;
    }
  }
  expect(wrong).toBe(0);
}

describe("toPng", () => {
  it.each(FIXTURES.map((f) => [f.name, f] as const))(
    "renders the zint %s symbol so that zxing reads it, at 4 px/module and 300 dpi",
    async (_name, fixture) => {
      const png = await toPng(symbolOf(fixture), OPTIONS);
      const meta = await sharp(png).metadata();
      expect(meta.density).toBe(300);
      // 0.38 mm at 300 dpi = 4.49 dots → 4 px per module; 2-module quiet zone.
      expect([meta.width, meta.height]).toEqual([
        (fixture.columns + 4) * 4,
        (fixture.rows + 4) * 4,
      ]);
      const decoded = await decodeImage(png);
      expect(decoded.symbologyIdentifier).toBe(fixture.symbologyIdentifier);
      expect(decoded.text).toBe(fixture.text);
    },
  );

  it.each([
    // dpi, xdim_mm, quiet zone, expected px per module (hand-computed: round(xdim × dpi / 25.4))
    [203, 0.38, 1, 3],
    [600, 0.38, 2, 9],
    [72, 0.254, 4, 1],
    [1200, 0.5, 3, 24],
  ])(
    "writes %s dpi into pHYs and draws %s mm modules pixel-exact (quiet zone %s)",
    async (dpi, xdimMm, q, ppm) => {
      const symbol = symbolOf(FIXTURES[4]);
      const png = await toPng(symbol, { ...OPTIONS, dpi, xdimMm, quietZoneModules: q });
      expect((await sharp(png).metadata()).density).toBe(dpi);
      const phys = chunks(png).find(([type]) => type === "pHYs")?.[1];
      const perMetre = Math.round(dpi / 0.0254);
      expect(phys && [phys.readUInt32BE(0), phys.readUInt32BE(4), phys[8]]).toEqual([
        perMetre,
        perMetre,
        1,
      ]);
      await expectPixelExact(png, symbol, ppm, q);
      expect((await decodeImage(png)).text).toBe(FIXTURES[4].text);
    },
  );

  it("is read by ZXingReader (zxing-cpp 1.4) and dmtxread (libdmtx) as well", async () => {
    const fixture = FIXTURES[1];
    const dir = mkdtempSync(join(tmpdir(), "render-png-"));
    try {
      const file = join(dir, "symbol.png");
      writeFileSync(file, await toPng(symbolOf(fixture), OPTIONS));
      const zxing = execFileSync("ZXingReader", [file], { encoding: "utf8" });
      expect(zxing).toContain("Identifier: ]d2");
      const hex = Buffer.from(fixture.text, "latin1").toString("hex").toUpperCase();
      expect(zxing).toContain(`Bytes:      ${hex.replace(/(..)(?!$)/g, "$1 ")}`);
      // dmtxread prints the FNC1 separator as nothing.
      const dmtx = execFileSync("dmtxread", ["-n", file], { encoding: "latin1" });
      expect(dmtx).toBe(`${fixture.text.replace("\x1d", "")}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is a 1-bit greyscale image for black on white", async () => {
    const png = await toPng(symbolOf(FIXTURES[1]), OPTIONS);
    const [ihdr] = chunks(png);
    expect(ihdr[0]).toBe("IHDR");
    expect([ihdr[1][8], ihdr[1][9]]).toEqual([1, 0]); // bit depth, colour type greyscale
    expect(chunks(png).map(([type]) => type)).toEqual(["IHDR", "pHYs", "IDAT", "IEND"]);
    await expectPixelExact(png, symbolOf(FIXTURES[1]), 4, 2);
  });

  it("is a 1-bit two-colour palette image that honours both colours otherwise", async () => {
    const fixture = FIXTURES[1];
    const png = await toPng(symbolOf(fixture), {
      ...OPTIONS,
      darkColor: "#002060",
      lightColor: "#ffeecc",
    });
    const found = chunks(png);
    expect(found.map(([type]) => type)).toEqual(["IHDR", "PLTE", "pHYs", "IDAT", "IEND"]);
    expect([found[0][1][8], found[0][1][9]]).toEqual([1, 3]); // bit depth, colour type indexed
    expect([...found[1][1]]).toEqual([0x00, 0x20, 0x60, 0xff, 0xee, 0xcc]);
    const { data, width, channels } = await pixels(png);
    const rgb = (x: number, y: number): number[] => [
      ...data.subarray((y * width + x) * channels, (y * width + x) * channels + 3),
    ];
    expect(rgb(0, 0)).toEqual([0xff, 0xee, 0xcc]); // quiet zone
    expect(rgb(2 * 4, (2 + 21) * 4)).toEqual([0x00, 0x20, 0x60]); // finder corner module (21, 0)
    expect((await decodeImage(png)).text).toBe(fixture.text);
  });

  it("adds the HRI lines under the symbol, keeping modules on whole pixels", async () => {
    const fixture = FIXTURES[1];
    const symbol = symbolOf(fixture);
    const png = await toPng(symbol, { ...OPTIONS, hri: true }, HRI_22);
    const meta = await sharp(png).metadata();
    // Layout (see layout.test.ts): 107 × 61 modules at 4 px; symbol at module (42, 2).
    expect([meta.width, meta.height, meta.density, meta.channels]).toEqual([428, 244, 300, 1]);
    const { data, width, channels } = await pixels(png);
    let wrong = 0;
    for (let r = 0; r < 22; r++) {
      for (let c = 0; c < 22; c++) {
        // All four corner pixels of each module: any blur or offset would grey one of them.
        for (const [dy, dx] of [
          [0, 0],
          [3, 3],
          [0, 3],
          [3, 0],
        ]) {
          const v = data[(((2 + r) * 4 + dy) * width + (42 + c) * 4 + dx) * channels];
          if (v !== (symbol.modules[r * 22 + c] ? 0 : 255)) wrong++;
        }
      }
    }
    expect(wrong).toBe(0);
    // Text was drawn: the band under the bottom quiet zone holds dark pixels.
    const textBand = data.subarray(26 * 4 * width * channels, 59 * 4 * width * channels);
    expect(textBand.some((v) => v < 128)).toBe(true);
    expect((await decodeImage(png)).text).toBe(fixture.text);
  });

  it("makes an indexed image (a palette of blends) for coloured HRI pictures", async () => {
    const png = await toPng(
      symbolOf(FIXTURES[0]),
      { ...OPTIONS, hri: true, darkColor: "#002060" },
      ["(10) A1"],
    );
    const meta = await sharp(png).metadata();
    expect([meta.channels, meta.isPalette, meta.density]).toEqual([3, true, 300]);
    expect((await decodeImage(png)).text).toBe(FIXTURES[0].text);
  });

  it("draws no text without lines, and rejects a malformed matrix", async () => {
    const withoutLines = await toPng(symbolOf(FIXTURES[0]), { ...OPTIONS, hri: true });
    expect(withoutLines.equals(await toPng(symbolOf(FIXTURES[0]), OPTIONS))).toBe(true);
    await expect(
      toPng({ rows: 3, columns: 3, modules: new Uint8Array(8) }, OPTIONS),
    ).rejects.toThrow(RangeError);
  });
});
