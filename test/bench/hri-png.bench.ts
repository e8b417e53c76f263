// Benchmark of the PNG with HRI text, all measured in one run with jobs interleaved round by
// round (so machine noise hits them alike), after a warm-up; prints the median and minimum µs
// per call over the rounds, and ratios of medians:
// 1. toPng: without HRI; with HRI on a label run (16 zint symbols in turn, the serial line new on every call so
//    the line cache never holds it, GTIN/expiry/lot lines cached); the new way with every line
//    drawn (line cache emptied before each call); and the first call after emptying all caches
//    (every glyph mask rasterised: the first request for a new size).
// 2. render(): the whole request (validation, WASM encode, drawing) without and with HRI, a new
//    serial number on every call: PNG at each dpi, then SVG and PDF.
// 3. toSvgBytes and toPdf without and with HRI (OCR-B outlines), same symbols and serials; and
//    one document's size without and with HRI.
// Run: npx tsx test/bench/hri-png.bench.ts   (not a test; BENCH_ROUNDS=n to change rounds)

import { DEFAULT_RENDER_OPTIONS, type RenderOptions } from "../../src/render/options.js";
import { toPdf } from "../../src/render/pdf.js";
import { toPng } from "../../src/render/png.js";
import { clearGlyphCache, glyphCacheUsage } from "../../src/render/raster/glyph-masks.js";
import { clearLineCache } from "../../src/render/raster/hri-lines.js";
import type { ModuleMatrix } from "../../src/render/runs.js";
import { toSvgBytes } from "../../src/render/svg.js";
import { pixelsPerModule } from "../../src/render/units.js";
import { zintGs1 } from "../helpers/zint.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const SYMBOLS = 16;

/** Pictures to time: default options, a coarse label printer and a fine one. */
const CONFIGS: { name: string; options: RenderOptions }[] = [
  { name: "300 dpi 0.38 mm", options: { ...DEFAULT_RENDER_OPTIONS } },
  { name: "203 dpi 0.38 mm", options: { ...DEFAULT_RENDER_OPTIONS, dpi: 203 } },
  { name: "600 dpi 0.38 mm", options: { ...DEFAULT_RENDER_OPTIONS, dpi: 600 } },
];

interface Job {
  calls: number;
  run: () => Promise<unknown>;
  samples: number[];
}

function job(calls: number, run: () => Promise<unknown>): Job {
  return { calls, run, samples: [] };
}

/** Runs every job ROUNDS times after a warm-up, interleaved, recording µs per call per round. */
async function runJobs(jobs: Job[]): Promise<void> {
  for (const j of jobs) for (let i = 0; i < Math.min(j.calls, 200); i++) await j.run();
  for (let r = 0; r < ROUNDS; r++) {
    for (const j of jobs) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < j.calls; i++) await j.run();
      j.samples.push(Number(process.hrtime.bigint() - t0) / 1000 / j.calls);
    }
  }
}

const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
const median = (xs: number[]): number => sorted(xs)[Math.floor(xs.length / 2)];
const fmt = (us: number): string => us.toFixed(us < 100 ? 1 : 0);
const row = (label: string, cells: string[]): string =>
  `${label.padEnd(18)}${cells.map((c) => c.padStart(9)).join("")}`;

let serials = 0;
/** A serial number not used before in this run. */
const nextSerial = (): string => `SN-${String(++serials).padStart(6, "0")}`;

/** Label-run pictures: real symbols in turn, each call with a new serial line. */
function labelRun(): () => { symbol: ModuleMatrix; hri: string[] } {
  const symbols: ModuleMatrix[] = [];
  for (let n = 1; n <= SYMBOLS; n++) {
    const data = `[01]00012345678905[17]270630[10]LOT-A001[21]SN-${String(n).padStart(6, "0")}`;
    symbols.push(zintGs1(data, ["--square"]));
  }
  let i = 0;
  return () => ({
    symbol: symbols[i++ % SYMBOLS],
    hri: ["(01) 00012345678905", "(17) 270630", "(10) LOT-A001", `(21) ${nextSerial()}`],
  });
}

async function benchToPng(): Promise<void> {
  const next = labelRun();
  console.log("1. toPng, µs per call (median, then min)");
  const head = ["no HRI", "HRI run", "uncached", "run/no", "unc/no", "cold", "cold/no"];
  console.log(row("picture", head));
  for (const { name, options } of CONFIGS) {
    const hriOptions = { ...options, hri: true };
    clearGlyphCache();
    clearLineCache();
    const first = next();
    const t0 = process.hrtime.bigint();
    await toPng(first.symbol, hriOptions, first.hri);
    const cold = Number(process.hrtime.bigint() - t0) / 1000;
    const jobs = [
      job(400, () => toPng(next().symbol, options)),
      job(400, () => {
        const { symbol, hri } = next();
        return toPng(symbol, hriOptions, hri);
      }),
      job(200, () => {
        const { symbol, hri } = next();
        clearLineCache();
        return toPng(symbol, hriOptions, hri);
      }),
    ];
    await runJobs(jobs);
    const [none, run, uncached] = jobs.map((j) => median(j.samples));
    console.log(
      row(name, [
        fmt(none),
        fmt(run),
        fmt(uncached),
        (run / none).toFixed(2),
        (uncached / none).toFixed(2),
        fmt(cold),
        (cold / none).toFixed(1),
      ]),
    );
    const { faces, bytes } = glyphCacheUsage();
    const mins = jobs.map((j) => fmt(sorted(j.samples)[0]));
    console.log(
      `${row("  min", mins)}   ${pixelsPerModule(options)} px/module; glyph cache ${faces} faces, ${(bytes / 1024).toFixed(0)} KiB`,
    );
  }
}

async function benchRender(): Promise<void> {
  let render: (payload: unknown) => Promise<unknown>;
  try {
    ({ render } = await import("../../src/index.js"));
  } catch (err) {
    console.log(`2. render(): skipped, src/index.ts did not load (${(err as Error).message})`);
    return;
  }
  console.log("2. render(), the whole request, µs per call (median, then min)");
  console.log(row("picture", ["no HRI", "HRI", "HRI/no"]));
  // The PNG pictures, then the vector formats at the default size: what a caller pays for HRI.
  const pictures = [
    ...CONFIGS.map(({ name, options }) => ({ name, options, format: "png" })),
    { name: "svg", options: DEFAULT_RENDER_OPTIONS, format: "svg" },
    { name: "pdf", options: DEFAULT_RENDER_OPTIONS, format: "pdf" },
  ];
  for (const { name, options, format } of pictures) {
    const payload = (hri: boolean) => ({
      gtin: "00012345678905",
      expiry: "270630",
      lot: "LOT-A001",
      serial: nextSerial(),
      format,
      dpi: options.dpi,
      xdim_mm: options.xdimMm,
      hri,
    });
    const jobs = [job(400, () => render(payload(false))), job(400, () => render(payload(true)))];
    await runJobs(jobs);
    const [none, hri] = jobs.map((j) => median(j.samples));
    console.log(row(name, [fmt(none), fmt(hri), (hri / none).toFixed(2)]));
    console.log(
      row(
        "  min",
        jobs.map((j) => fmt(sorted(j.samples)[0])),
      ),
    );
  }
}

async function benchVectors(): Promise<void> {
  const next = labelRun();
  const options = { ...DEFAULT_RENDER_OPTIONS };
  const hriOptions = { ...options, hri: true };
  console.log("3. toSvgBytes and toPdf, µs per call (median, then min)");
  console.log(row("format", ["no HRI", "HRI run", "HRI/no"]));
  for (const [name, draw] of [
    ["svg", toSvgBytes],
    ["pdf", toPdf],
  ] as const) {
    const jobs = [
      job(2000, async () => draw(next().symbol, options)),
      job(2000, async () => {
        const { symbol, hri } = next();
        return draw(symbol, hriOptions, hri);
      }),
    ];
    await runJobs(jobs);
    const [none, hri] = jobs.map((j) => median(j.samples));
    console.log(row(name, [fmt(none), fmt(hri), (hri / none).toFixed(2)]));
    console.log(
      row(
        "  min",
        jobs.map((j) => fmt(sorted(j.samples)[0])),
      ),
    );
    const { symbol, hri: lines } = next();
    const bytes = [draw(symbol, options).length, draw(symbol, hriOptions, lines).length];
    console.log(row("  bytes", [...bytes.map(String), (bytes[1] / bytes[0]).toFixed(2)]));
  }
}

console.log(`PNG with HRI (node ${process.version}), ${ROUNDS} interleaved rounds`);
console.log("");
await benchToPng();
console.log("");
await benchRender();
console.log("");
await benchVectors();
console.log("");
console.log(
  "run = label run (GTIN, expiry, lot lines cached; serial line drawn); uncached = every line " +
    "drawn from glyph masks; cold = first call with empty glyph and line caches (rasterises " +
    "every glyph mask: the first request for a new size), one call",
);
