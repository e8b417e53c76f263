// Micro-benchmark of the renderers on fixed module matrices (zint 2.11 symbols, so it runs
// without the WASM build): µs per toSvg / toPdf / toPng, median of rounds after a warm-up,
// with bwip-js and a sharp-only PNG measured in the same run for ratios (the machine is noisy).
// Run: npx tsx test/bench/render.bench.ts   (not a test; BENCH_ROUNDS=n to change rounds)
import bwipjs from "bwip-js";
import sharp from "sharp";
import {
  DEFAULT_RENDER_OPTIONS,
  pixelsPerModule,
  type RenderOptions,
} from "../../src/render/options.js";
import { toPdf } from "../../src/render/pdf.js";
import { toPng } from "../../src/render/png.js";
import type { ModuleMatrix } from "../../src/render/runs.js";
import { toSvg } from "../../src/render/svg.js";
import { zintGs1 } from "../helpers/zint.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const OPTIONS: RenderOptions = { ...DEFAULT_RENDER_OPTIONS };
const HRI_OPTIONS: RenderOptions = { ...DEFAULT_RENDER_OPTIONS, hri: true };
const HRI = ["(01) 00012345678905", "(17) 270630", "(10) LOT-A001", "(21) SN-0001"];

// Element strings in zint's bracket syntax, chosen for a spread of sizes and shapes.
const CASES: { name: string; data: string; flags: string[] }[] = [
  { name: "16x16", data: "[01]00012345678905[10]A1", flags: ["--square"] },
  {
    name: "22x22",
    data: "[01]00012345678905[17]270630[10]LOT-A001[21]SN-0001",
    flags: ["--square"],
  },
  {
    name: "32x32",
    data: "[01]00012345678905[17]270630[10]ABCDEFGHIJKLMNOPQRST[21]abcdefghijklmnopqrst",
    flags: ["--square"],
  },
  {
    name: "16x48",
    data: "[01]00012345678905[17]270630[10]LOT-A001[21]SN-0001",
    flags: ["--vers=30"],
  },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Returns the median µs per call of `fn` over ROUNDS rounds of `n` calls, after a warm-up. */
async function measure(n: number, fn: () => unknown): Promise<number> {
  for (let i = 0; i < Math.min(n, 500); i++) await fn();
  const perCall: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      const out = fn();
      if (out instanceof Promise) await out;
    }
    perCall.push(Number(process.hrtime.bigint() - t0) / 1000 / n);
  }
  return median(perCall);
}

/** The pixels toPng would hand sharp (1 byte per pixel), for the sharp-only comparison. */
function greyPixels(
  symbol: ModuleMatrix,
  options: RenderOptions,
): { data: Buffer; side: [number, number] } {
  const ppm = pixelsPerModule(options);
  const q = options.quietZoneModules;
  const width = (symbol.columns + 2 * q) * ppm;
  const height = (symbol.rows + 2 * q) * ppm;
  const data = Buffer.alloc(width * height, 255);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const r = Math.floor(y / ppm) - q;
      const c = Math.floor(x / ppm) - q;
      if (
        r >= 0 &&
        c >= 0 &&
        r < symbol.rows &&
        c < symbol.columns &&
        symbol.modules[r * symbol.columns + c]
      ) {
        data[y * width + x] = 0;
      }
    }
  }
  return { data, side: [width, height] };
}

async function main(): Promise<void> {
  const f = (us: number): string => us.toFixed(us < 10 ? 2 : 0).padStart(8);
  console.log(
    `render micro-benchmark, µs per call, median of ${ROUNDS} rounds (node ${process.version})`,
  );
  console.log(
    `${"symbol".padEnd(7)} ${"rects".padStart(5)} ${"toSvg".padStart(8)} ${"+flat".padStart(8)} ${"toPdf".padStart(8)} ${"toPng".padStart(8)} ${"PNG B".padStart(6)} ${"svg+hri".padStart(8)} ${"pdf+hri".padStart(8)} ${"png+hri".padStart(8)}`,
  );
  for (const { name, data, flags } of CASES) {
    const symbol = zintGs1(data, flags);
    const svg = await measure(20_000, () => toSvg(symbol, OPTIONS));
    // A returned string may still be a rope; flattening it is a cost someone pays when sending.
    const svgFlat = await measure(20_000, () => toSvg(symbol, OPTIONS).charCodeAt(10));
    const pdf = await measure(20_000, () => toPdf(symbol, OPTIONS));
    const png = await measure(5_000, () => toPng(symbol, OPTIONS));
    const pngBytes = (await toPng(symbol, OPTIONS)).length;
    const svgHri = await measure(20_000, () => toSvg(symbol, HRI_OPTIONS, HRI));
    const pdfHri = await measure(20_000, () => toPdf(symbol, HRI_OPTIONS, HRI));
    const pngHri = await measure(200, () => toPng(symbol, HRI_OPTIONS, HRI));
    const rects = (toSvg(symbol, OPTIONS).match(/M/g) ?? []).length;
    console.log(
      `${name.padEnd(7)} ${String(rects).padStart(5)} ${f(svg)} ${f(svgFlat)} ${f(pdf)} ${f(png)} ${String(pngBytes).padStart(6)} ${f(svgHri)} ${f(pdfHri)} ${f(pngHri)}`,
    );
  }

  // References in the same run: bwip-js on the 22x22 payload, and sharp encoding the same
  // pixels toPng writes (its fastest settings found: 1 channel b-w, compression 1, no filter).
  const text = "(01)00012345678905(17)270630(10)LOT-A001(21)SN-0001";
  const bwipPng = await measure(300, () =>
    bwipjs.toBuffer({ bcid: "gs1datamatrix", text, scale: 4 }),
  );
  const bwipSvg = await measure(1_000, () => bwipjs.toSVG({ bcid: "gs1datamatrix", text }));
  const symbol = zintGs1(CASES[1].data, CASES[1].flags);
  const { data, side } = greyPixels(symbol, OPTIONS);
  const sharpPng = await measure(1_000, () =>
    sharp(data, { raw: { width: side[0], height: side[1], channels: 1 } })
      .toColourspace("b-w")
      .png({ compressionLevel: 1 })
      .withDensity(OPTIONS.dpi)
      .toBuffer(),
  );
  const sharp1px = await measure(1_000, () =>
    sharp(Buffer.alloc(1, 255), { raw: { width: 1, height: 1, channels: 1 } })
      .png()
      .toBuffer(),
  );
  const ours22 = {
    svg: await measure(20_000, () => toSvg(symbol, OPTIONS)),
    pdf: await measure(20_000, () => toPdf(symbol, OPTIONS)),
    png: await measure(5_000, () => toPng(symbol, OPTIONS)),
  };
  console.log("\nreferences (22x22 payload), µs per call:");
  console.log(
    `  bwip-js toSVG                 ${f(bwipSvg)}   ours toSvg ${f(ours22.svg)}   ratio ${(bwipSvg / ours22.svg).toFixed(0)}x`,
  );
  console.log(
    `  bwip-js toBuffer (PNG, x4)    ${f(bwipPng)}   ours toPng ${f(ours22.png)}   ratio ${(bwipPng / ours22.png).toFixed(0)}x`,
  );
  console.log(
    `  sharp raw->PNG, same pixels   ${f(sharpPng)}   = ${((100 * sharpPng) / bwipPng).toFixed(0)} % of bwip-js toBuffer`,
  );
  console.log(`  sharp raw->PNG, 1x1 pixel     ${f(sharp1px)}   (sharp's fixed cost per call)`);
  console.log(`  ours toPdf                    ${f(ours22.pdf)}`);
}

await main();
