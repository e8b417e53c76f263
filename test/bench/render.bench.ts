// Micro-benchmark of the renderers on fixed module matrices (zint 2.11 symbols, so it runs
// without the WASM build): µs per toSvg / toPdf / toPng, with bwip-js and a sharp-only PNG in
// the same run. Jobs are interleaved round by round so machine noise hits all of them alike;
// prints the median and the minimum of the rounds, and ratios against bwip-js.
// Run: npx tsx test/bench/render.bench.ts   (not a test; BENCH_ROUNDS=n to change rounds)
import bwipjs from "bwip-js";
import sharp from "sharp";
import { DEFAULT_RENDER_OPTIONS, type RenderOptions } from "../../src/render/options.js";
import { toPdf } from "../../src/render/pdf.js";
import { toPng } from "../../src/render/png.js";
import { darkRectangles, type ModuleMatrix } from "../../src/render/runs.js";
import { pixelsPerModule } from "../../src/render/units.js";
import { zintGs1 } from "../helpers/zint.js";
import { toSvg } from "../render/svg-text.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 11);
const OPTIONS: RenderOptions = { ...DEFAULT_RENDER_OPTIONS };
const HRI_OPTIONS: RenderOptions = { ...DEFAULT_RENDER_OPTIONS, hri: true };
const HRI = ["(01) 00012345678905", "(17) 270630", "(10) LOT-A001", "(21) SN-0001"];
const BWIP_TEXT = "(01)00012345678905(17)270630(10)LOT-A001(21)SN-0001";
/** Anchor figures from ../shared/reference/anchors.md, for scaling this run's figures. */
const ANCHOR_BWIP_SVG_US = 850;

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

interface Job {
  name: string;
  /** Calls per round. */
  calls: number;
  run: () => unknown;
  samples: number[];
}

function job(name: string, calls: number, run: () => unknown): Job {
  return { name, calls, run, samples: [] };
}

/** Runs every job ROUNDS times, interleaved, recording µs per call per round. */
async function runJobs(jobs: Job[]): Promise<void> {
  for (const j of jobs) for (let i = 0; i < Math.min(j.calls, 300); i++) await j.run(); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    for (const j of jobs) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < j.calls; i++) {
        const out = j.run();
        if (out instanceof Promise) await out;
      }
      j.samples.push(Number(process.hrtime.bigint() - t0) / 1000 / j.calls);
    }
  }
}

const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
const median = (xs: number[]): number => sorted(xs)[Math.floor(xs.length / 2)];
const min = (xs: number[]): number => sorted(xs)[0];
const fmt = (us: number): string => us.toFixed(us < 100 ? 1 : 0);

/** The pixels toPng draws (1 byte per pixel), for the sharp-only comparison. */
function greyPixels(symbol: ModuleMatrix, options: RenderOptions): [Buffer, number, number] {
  const ppm = pixelsPerModule(options);
  const q = options.quietZoneModules;
  const width = (symbol.columns + 2 * q) * ppm;
  const height = (symbol.rows + 2 * q) * ppm;
  const data = Buffer.alloc(width * height, 255);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const r = Math.floor(y / ppm) - q;
      const c = Math.floor(x / ppm) - q;
      const inside = r >= 0 && c >= 0 && r < symbol.rows && c < symbol.columns;
      if (inside && symbol.modules[r * symbol.columns + c]) data[y * width + x] = 0;
    }
  }
  return [data, width, height];
}

async function main(): Promise<void> {
  const jobs: Job[] = [];
  const symbols = CASES.map(({ name, data, flags }) => ({ name, symbol: zintGs1(data, flags) }));
  for (const { name, symbol } of symbols) {
    jobs.push(
      job(`${name} toSvg`, 2_000, () => toSvg(symbol, OPTIONS)),
      job(`${name} toPdf`, 2_000, () => toPdf(symbol, OPTIONS)),
      job(`${name} toPng`, 500, () => toPng(symbol, OPTIONS)),
      job(`${name} toSvg hri`, 1_000, () => toSvg(symbol, HRI_OPTIONS, HRI)),
      job(`${name} toPdf hri`, 1_000, () => toPdf(symbol, HRI_OPTIONS, HRI)),
    );
  }
  const symbol22 = symbols[1].symbol;
  const [grey, width, height] = greyPixels(symbol22, OPTIONS);
  jobs.push(
    job("22x22 toPng hri", 10, () => toPng(symbol22, HRI_OPTIONS, HRI)),
    job("bwip-js toSVG", 20, () => bwipjs.toSVG({ bcid: "gs1datamatrix", text: BWIP_TEXT })),
    job("bwip-js toBuffer", 10, () =>
      bwipjs.toBuffer({ bcid: "gs1datamatrix", text: BWIP_TEXT, scale: 4 }),
    ),
    // sharp given the very pixels toPng writes, with its fastest settings measured (1-channel
    // b-w, compression 1, no adaptive filter): the cost of keeping sharp on the PNG path.
    job("sharp raw->PNG", 50, () =>
      sharp(grey, { raw: { width, height, channels: 1 } })
        .toColourspace("b-w")
        .png({ compressionLevel: 1 })
        .withDensity(OPTIONS.dpi)
        .toBuffer(),
    ),
    job("sharp 1x1 PNG", 50, () =>
      sharp(Buffer.alloc(1, 255), { raw: { width: 1, height: 1, channels: 1 } })
        .png()
        .toBuffer(),
    ),
  );
  await runJobs(jobs);

  const byName = new Map(jobs.map((j) => [j.name, j]));
  const med = (name: string): number => median(byName.get(name)?.samples ?? [Number.NaN]);
  const scale = ANCHOR_BWIP_SVG_US / med("bwip-js toSVG");
  console.log(
    `render micro-benchmark (node ${process.version}), µs per call: median / min of ${ROUNDS} interleaved rounds`,
  );
  console.log(
    `machine factor this run: bwip-js toSVG ${fmt(med("bwip-js toSVG"))} µs here vs ${ANCHOR_BWIP_SVG_US} µs in anchors.md → "anchor" column = median × ${scale.toFixed(2)}`,
  );
  console.log("");
  console.log(
    `${"job".padEnd(20)} ${"median".padStart(8)} ${"min".padStart(8)} ${"anchor".padStart(8)}`,
  );
  for (const j of jobs) {
    const m = median(j.samples);
    console.log(
      `${j.name.padEnd(20)} ${fmt(m).padStart(8)} ${fmt(min(j.samples)).padStart(8)} ${fmt(m * scale).padStart(8)}`,
    );
  }
  console.log("");
  for (const { name, symbol } of symbols) {
    const png = await toPng(symbol, OPTIONS);
    console.log(
      `${name}: ${darkRectangles(symbol).length / 4} rectangles, SVG ${toSvg(symbol, OPTIONS).length} B, PDF ${toPdf(symbol, OPTIONS).length} B, PNG ${png.length} B`,
    );
  }
  console.log("");
  const ratio = (a: string, b: string): string => (med(a) / med(b)).toFixed(0);
  console.log(
    `bwip-js toSVG / ours toSvg (22x22):       ${ratio("bwip-js toSVG", "22x22 toSvg")}x`,
  );
  console.log(
    `bwip-js toBuffer / ours toPng (22x22):    ${ratio("bwip-js toBuffer", "22x22 toPng")}x`,
  );
  console.log(
    `sharp raw->PNG / bwip-js toBuffer:        ${((100 * med("sharp raw->PNG")) / med("bwip-js toBuffer")).toFixed(0)} % (budget for encode+PNG at 5x: 20 %)`,
  );
}

await main();
