// 1D pictures (src/render/linear/ and src/render/raster/linear-png.ts): GS1 dimensions checked
// in the SVG, PDF and PNG themselves, bar positions against zint 2.11's bars for the same data,
// and every format read back by zxing-wasm (SVG through rsvg-convert, PDF through pdftoppm).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { Linear, LinearFlag, LinearStatus } from "../../../src/engine/abi.js";
import { encodeLinearRuns, isRefusal, type LinearRuns } from "../../../src/engine/linear.js";
import { formatDecimal } from "../../../src/render/format-number.js";
import { linearEps } from "../../../src/render/linear/eps.js";
import { type LinearOptions, layoutLinear } from "../../../src/render/linear/layout.js";
import { linearPdf } from "../../../src/render/linear/pdf.js";
import {
  linearSvg as linearSvgBytes,
  writeDecimal4,
  writeMm,
} from "../../../src/render/linear/svg.js";
import { linearDots, linearPng } from "../../../src/render/raster/linear-png.js";
import { seededRandom } from "../../helpers/corpus.js";
import { decodeLinearImage } from "../../helpers/decode.js";
import { hriDefinitions, hriGroups } from "../../helpers/hri-outlines.js";
import { rasteriseEps, rasterisePdf, rasteriseSvg } from "../../helpers/raster.js";
import { ZINT, zintLinearBatch } from "../../helpers/zint-linear.js";

const dir = mkdtempSync(join(tmpdir(), "linear-render-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COLORS = { darkColor: "#000000", lightColor: "#ffffff" };
const DEFAULTS: LinearOptions = {
  moduleWidthMm: 0.33,
  moduleHeightMm: 25,
  quietZoneMm: 6.5,
  writeText: true,
  fontSizePt: 10,
  bwrMm: 0,
};

function encode(symbology: Linear, data: string, flags = 0): LinearRuns {
  const outcome = encodeLinearRuns(symbology, data, flags);
  if (isRefusal(outcome)) throw new Error(`refused ${data}: ${LinearStatus[outcome.status]}`);
  return outcome;
}

interface SvgRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

// The bar rectangles of a linearSvg document, in mm, and its stated size.
function readSvg(svg: string): { width: number; height: number; rects: SvgRect[] } {
  const size = /width="([\d.]+)mm" height="([\d.]+)mm"/.exec(svg);
  const d = /<path fill="[^"]+" shape-rendering="crispEdges" d="([^"]*)"/.exec(svg);
  if (!size || !d) throw new Error("not a 1D SVG");
  const rects = [...d[1].matchAll(/M([\d.]+) ([\d.]+)h([\d.]+)v([\d.]+)h-[\d.]+z/g)].map((m) => ({
    x: Number(m[1]),
    y: Number(m[2]),
    w: Number(m[3]),
    h: Number(m[4]),
  }));
  return { width: Number(size[1]), height: Number(size[2]), rects };
}

// The SVG as text, for reading its numbers.
const linearSvg = (...args: Parameters<typeof linearSvgBytes>) =>
  Buffer.from(linearSvgBytes(...args)).toString("latin1");

const close = (a: number, b: number) => Math.abs(a - b) < 5e-5;

describe("EAN-13 at GS1 100 % (X = 0.33 mm, bars 22.85 mm)", () => {
  const data = "590123412345";
  const runs = encode(Linear.EAN13, data);
  // zint's bars for the same number, as independent truth for where each bar goes.
  const zint = zintLinearBatch(ZINT.EAN, [data], [], "/tmp")[0];
  // The size at which OCR-B's digits (ink from -14 to 773 font units) are 2.75 mm tall, GS1's
  // nominal HRI digit height at 100 %.
  const fontSizePt = (2.75 / 0.787) * (72 / 25.4);
  const options = { ...DEFAULTS, moduleHeightMm: 22.85, quietZoneMm: 0, fontSizePt };
  const svg = linearSvg(layoutLinear(runs, options), COLORS);
  const read = readSvg(svg);

  it("is 37.29 mm wide (11X + 95X + 7X) and 25.93 mm high with its text", () => {
    expect(read.width).toBe(37.29);
    expect(read.height).toBeCloseTo(25.93, 2);
  });

  it("puts every bar where zint's bars are, 11X from the left edge", () => {
    const expected: number[][] = [];
    let at = 11;
    zint.forEach((w, i) => {
      if (i % 2 === 0) expected.push([at * 0.33, w * 0.33]);
      at += w;
    });
    expect(read.rects.length).toBe(expected.length);
    read.rects.forEach((r, i) => {
      expect(close(r.x, expected[i][0]), `bar ${i} x ${r.x}`).toBe(true);
      expect(close(r.w, expected[i][1]), `bar ${i} w ${r.w}`).toBe(true);
    });
  });

  it("draws the guard bars 5X (1.65 mm) below the 22.85 mm bars", () => {
    const heights = read.rects.map((r) => r.h);
    // start, centre and end guards: 2 + 2 + 2 bars; the 24 character bars stay at 22.85 mm.
    expect(heights.filter((h) => close(h, 24.5)).length).toBe(6);
    expect(heights.filter((h) => close(h, 22.85)).length).toBe(24);
    expect([0, 1, 14, 15, 28, 29].every((i) => close(heights[i], 24.5))).toBe(true);
  });

  it("writes the text as outlines, no <text> and no font: 13 digits, and no > when quiet_zone is 0", () => {
    expect(svg).not.toContain("<text");
    expect(svg).not.toContain("font");
    // Each glyph drawn is a <use> of its outline, defined once in <defs> (read with the SVG
    // grammar helpers): the 13 digits with their check digit 7, in order.
    const chars = (doc: string) =>
      hriGroups(doc)
        .flatMap((g) => g.uses.map((u) => String.fromCharCode(Number.parseInt(u.id.slice(5), 16))))
        .join("");
    expect(chars(svg)).toBe(`${data}7`);
    expect([...hriDefinitions(svg).keys()]).toHaveLength(new Set(`${data}7`).size);
    const marked = linearSvg(layoutLinear(runs, { ...options, quietZoneMm: 0.1 }), COLORS);
    expect(chars(marked)).toContain(">");
    expect(chars(marked).length).toBe(14);
    // the mark sits in the 7X right quiet zone: the picture stays 37.29 mm wide
    expect(readSvg(marked).width).toBe(37.29);
  });

  it("narrows every bar by bwr_mm, half per edge", () => {
    const reduced = readSvg(linearSvg(layoutLinear(runs, { ...options, bwrMm: 0.02 }), COLORS));
    reduced.rects.forEach((r, i) => {
      expect(close(r.x, read.rects[i].x + 0.01)).toBe(true);
      expect(close(r.w, read.rects[i].w - 0.02)).toBe(true);
    });
  });

  it("states the same mm in the PDF page (points) and fills the same rectangles", () => {
    const pdf = Buffer.from(linearPdf(layoutLinear(runs, options), COLORS)).toString("latin1");
    const box = /MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf);
    expect(Number(box?.[1])).toBeCloseTo((37.29 * 72) / 25.4, 3);
    const res = [...pdf.matchAll(/^([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re$/gm)];
    expect(res.length).toBe(read.rects.length);
    res.forEach((m, i) => {
      expect(Number(m[1])).toBe(read.rects[i].x);
      expect(Number(m[3])).toBe(read.rects[i].w);
    });
  });

  it("states the same mm in the EPS (points in the bounding box) and fills the same rectangles", () => {
    const eps = linearEps(layoutLinear(runs, options), COLORS);
    const box = /%%HiResBoundingBox: 0 0 ([\d.]+) ([\d.]+)/.exec(eps);
    expect(Number(box?.[1])).toBeCloseTo((37.29 * 72) / 25.4, 3);
    const fills = [...eps.matchAll(/^([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) rectfill$/gm)];
    // the first fill is the background
    expect(fills.length).toBe(read.rects.length + 1);
    fills.slice(1).forEach((m, i) => {
      expect(Number(m[1])).toBe(read.rects[i].x);
      expect(Number(m[3])).toBe(read.rects[i].w);
      expect(Number(m[4])).toBe(read.rects[i].h);
    });
  });

  it("draws the PNG with every module 4 dots at 300 dpi, bars where zint's are", async () => {
    const layout = layoutLinear(runs, options);
    const png = linearPng(layout, COLORS, 300);
    const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
    expect(info.width).toBe(113 * 4);
    expect(linearDots(layout, 300).moduleMm).toBeCloseTo(0.3387, 4);
    // Row 40: through every bar. Widths of the dark and light runs between the quiet zones.
    const row = Array.from(data.subarray(40 * info.width, 41 * info.width), (v) =>
      v < 128 ? 1 : 0,
    );
    const first = row.indexOf(1);
    const last = row.lastIndexOf(1);
    expect(first).toBe(11 * 4);
    expect(info.width - 1 - last).toBe(7 * 4);
    const widths: number[] = [];
    for (let i = first, run = 1; i <= last; i++, run++) {
      if (i === last || row[i + 1] !== row[i]) {
        widths.push(run);
        run = 0;
      }
    }
    expect(widths).toEqual(zint.map((w) => w * 4));
    // Bars end at the dot row nearest their mm: 22.85 mm → 270, the guards' 24.5 mm → 289.
    const darkRows = (x: number) => {
      let n = 0;
      while (n < info.height && data[n * info.width + x] < 128) n++;
      return n;
    };
    expect(darkRows(first + 1)).toBe(289);
    const characterBar = first + (zint[0] + zint[1] + zint[2] + zint[3]) * 4 + 1;
    expect(darkRows(characterBar)).toBe(270);
    expect(info.height).toBe(Math.ceil((layout.heightMm * 300) / 25.4));
  });
});

// Every symbology in every format, read back by zxing-wasm.
const CASES: {
  name: string;
  symbology: Linear;
  data: string;
  flags: number;
  hri?: string;
  text: string;
  /** What the ZXingReader command prints when it differs: UPC-A and UPC-E as printed. */
  cli?: string;
  identifier: string;
}[] = [
  {
    name: "EAN-13",
    symbology: Linear.EAN13,
    data: "5901234123457",
    flags: 0,
    text: "5901234123457",
    identifier: "]E0",
  },
  {
    name: "EAN-8",
    symbology: Linear.EAN8,
    data: "9638507",
    flags: 0,
    text: "96385074",
    identifier: "]E4",
  },
  {
    name: "UPC-A",
    symbology: Linear.UPCA,
    data: "03600029145",
    flags: 0,
    text: "0036000291452",
    cli: "036000291452",
    identifier: "]E0",
  },
  {
    name: "UPC-E",
    symbology: Linear.UPCE,
    data: "0425261",
    flags: 0,
    text: "0042100005264",
    cli: "04252614",
    identifier: "]E0",
  },
  {
    name: "ITF-14",
    symbology: Linear.ITF14,
    data: "1540014128876",
    flags: 3 << 8,
    text: "15400141288763",
    identifier: "]I1",
  },
  {
    name: "GS1-128",
    symbology: Linear.CODE128,
    data: "00123456789012345675",
    flags: LinearFlag.GS1,
    hri: "(00)123456789012345675",
    text: "00123456789012345675",
    identifier: "]C1",
  },
  {
    name: "Code 128",
    symbology: Linear.CODE128,
    data: "Hello 1234567",
    flags: 0,
    text: "Hello 1234567",
    identifier: "]C0",
  },
  {
    name: "Code 39",
    symbology: Linear.CODE39,
    data: "CODE-39",
    flags: 3 << 8,
    text: "CODE-39",
    identifier: "]A0",
  },
];

describe.each(CASES)("$name", ({ symbology, data, flags, hri, text, cli, identifier }) => {
  const runs = encode(symbology, data, flags);
  const options = { ...DEFAULTS, moduleHeightMm: 15 };

  it("is read from the PNG at 300 dpi", async () => {
    const decoded = await decodeLinearImage(
      linearPng(layoutLinear(runs, options, hri), COLORS, 300),
    );
    expect([decoded.text, decoded.symbologyIdentifier]).toEqual([text, identifier]);
  });

  it("is read from the SVG through rsvg-convert", async () => {
    const svg = linearSvg(layoutLinear(runs, options, hri), COLORS);
    const decoded = await decodeLinearImage(
      rasteriseSvg(svg, ["--dpi-x", "300", "--dpi-y", "300"]),
    );
    expect([decoded.text, decoded.symbologyIdentifier]).toEqual([text, identifier]);
  });

  it("is read from the PDF through pdftoppm", async () => {
    const pdf = linearPdf(layoutLinear(runs, options, hri), COLORS);
    const decoded = await decodeLinearImage(rasterisePdf(pdf, 300));
    expect([decoded.text, decoded.symbologyIdentifier]).toEqual([text, identifier]);
  });

  it("is read from the EPS through Ghostscript", async () => {
    const eps = linearEps(layoutLinear(runs, options, hri), COLORS);
    const decoded = await decodeLinearImage(rasteriseEps(eps, 300));
    expect([decoded.text, decoded.symbologyIdentifier]).toEqual([text, identifier]);
  });

  it("is read from the PNG by the ZXingReader command (zxing-cpp, outside the process)", () => {
    const file = join(dir, "symbol.png");
    writeFileSync(file, linearPng(layoutLinear(runs, options, hri), COLORS, 300));
    const out = execFileSync("ZXingReader", [file], { encoding: "utf8" });
    const bytes = /^Bytes:\s+(.*)$/m.exec(out)?.[1].trim().split(/\s+/) ?? [];
    const read = String.fromCharCode(...bytes.map((b) => Number.parseInt(b, 16)));
    expect([read, /^Identifier: (\S+)/m.exec(out)?.[1]]).toEqual([cli ?? text, identifier]);
  });

  it("is read in colours with a bar width reduction and no text", async () => {
    const colors = { darkColor: "#102060", lightColor: "#fff8e0" };
    const layout = layoutLinear(runs, { ...options, writeText: false, bwrMm: 0.04 }, hri);
    const decoded = await decodeLinearImage(linearPng(layout, colors, 600));
    expect(decoded.text).toBe(text);
  });
});

describe("ITF-14 bearer bars", () => {
  it("frames bars and quiet zones with a 5X bearer, the quiet zones at least 10X", () => {
    const runs = encode(Linear.ITF14, "1540014128876", 3 << 8);
    const x = 1.016;
    const layout = layoutLinear(runs, { ...DEFAULTS, moduleWidthMm: x, quietZoneMm: 0 });
    const read = readSvg(linearSvg(layout, COLORS));
    const width = (5 + 10 + runs.modules + 10 + 5) * x;
    expect(read.width).toBeCloseTo(width, 4);
    const bearers = read.rects.filter((r) => close(r.w, width));
    expect(bearers.map((r) => r.h)).toEqual([5 * x, 5 * x].map((v) => Number(v.toFixed(4))));
    expect(bearers[1].y).toBeCloseTo(5 * x + 25, 4);
    const sides = read.rects.filter((r) => close(r.w, 5 * x) && close(r.h, 25));
    expect(sides.map((r) => r.x)).toEqual([0, Number((width - 5 * x).toFixed(4))]);
  });
});

describe("writeMm", () => {
  it("writes what formatDecimal(v, 4) writes, for 10,000 seeded values", () => {
    const rnd = seededRandom(4);
    const out = new Uint8Array(32);
    for (let i = 0; i < 10_000; i++) {
      const v = i < 5000 ? rnd() * 200 : Math.round(rnd() * 2e6) / 1e4 - (i % 3) * 0.33;
      const at = writeMm(out, 0, v);
      expect(Buffer.from(out.subarray(0, at)).toString("latin1"), String(v)).toBe(
        formatDecimal(v, 4),
      );
    }
  });
});

describe("writeDecimal4", () => {
  it("writes what formatDecimal(v, 4) writes, halves within a hair of rounding included", () => {
    const rnd = seededRandom(5);
    const out = new Uint8Array(32);
    // Values whose product by 10^4 rounds onto the half: writeMm tips them up, toFixed not.
    const ties = [2.00005, 55.33025, 178.70145, 0.00015, 0.03125, -1.00005, -0.00001, 0, 1e6];
    const values = [...ties, ...Array.from({ length: 10_000 }, (_, i) => (i + rnd()) / 37)];
    for (let i = 0; i < 10_000; i++) values.push((Math.floor(rnd() * 2e6) + 0.5) / 1e4);
    for (const v of values) {
      const at = writeDecimal4(out, 0, v);
      expect(Buffer.from(out.subarray(0, at)).toString("latin1"), String(v)).toBe(
        formatDecimal(v, 4),
      );
    }
  });
});
