// In-process benchmark of the 1D path: encode + SVG, ours (renderBarcode, the route's whole path
// including validation) and ours without validation (core + layout + SVG) vs bwip-js toSVG, on
// the same seeded corpora of EAN-13 and GS1-128 values, in one run. JsBarcode is measured when
// installed (it is not a dependency). Prints µs/symbol (median of rounds) and the ratios.
// Run: npx tsx test/bench/linear.bench.ts   (not part of npm test; ~20 s)
import bwipjs from "bwip-js";
import { renderBarcode } from "../../src/barcode/render.js";
import { Linear, LinearFlag } from "../../src/engine/abi.js";
import { encodeLinearRuns, type LinearRuns } from "../../src/engine/linear.js";
import { buildElementString, parseBracketed } from "../../src/gs1/ai/element-string.js";
import { layoutLinear } from "../../src/render/linear/layout.js";
import { linearSvg } from "../../src/render/linear/svg.js";
import { digitCorpus, gs1Corpus128 } from "../helpers/linear-corpus.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const N = 1000;
const OPTIONS = {
  moduleWidthMm: 0.33,
  moduleHeightMm: 25,
  quietZoneMm: 6.5,
  writeText: true,
  fontSizePt: 10,
  bwrMm: 0,
};
const COLORS = { darkColor: "#000000", lightColor: "#ffffff" };

const ean = digitCorpus(N, 12, 2013).map((c) => c.zint);
const gs1 = gs1Corpus128(N, 2016);
const gs1Strings = gs1.map((b) => {
  const { elements } = parseBracketed(b);
  if (!elements) throw new Error(b);
  return buildElementString(elements);
});

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function measure(fn: (i: number) => unknown): Promise<number> {
  for (let i = 0; i < N; i++) await fn(i); // warm-up: JIT, glyph caches, WASM
  const perItem: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) {
      const out = fn(i);
      if (out instanceof Promise) await out;
    }
    perItem.push(Number(process.hrtime.bigint() - t0) / 1000 / N);
  }
  return median(perItem);
}

async function jsBarcode(): Promise<((text: string, format: string) => string) | null> {
  try {
    const name = "jsbarcode";
    const { default: JsBarcode } = await import(name);
    const { DOMImplementation, XMLSerializer } = await import("xmldom" as string);
    return (text, format) => {
      const doc = new DOMImplementation().createDocument("http://www.w3.org/1999/xhtml", "html");
      const svg = doc.createElementNS("http://www.w3.org/2000/svg", "svg");
      JsBarcode(svg, text, { xmlDocument: doc, format });
      return new XMLSerializer().serializeToString(svg);
    };
  } catch {
    return null;
  }
}

const direct = (symbology: Linear, data: string, flags: number, hri?: string) =>
  linearSvg(
    layoutLinear(encodeLinearRuns(symbology, data, flags) as LinearRuns, OPTIONS, hri),
    COLORS,
  );

const js = await jsBarcode();
const rows: string[][] = [];
for (const [name, run] of [
  [
    "EAN-13",
    {
      route: (i: number) => renderBarcode({ gtin: ean[i], barcode_type: "ean13" }),
      core: (i: number) => direct(Linear.EAN13, ean[i], 0),
      bwip: (i: number) => bwipjs.toSVG({ bcid: "ean13", text: ean[i], includetext: true }),
      js: js && ((i: number) => js(ean[i], "EAN13")),
    },
  ],
  [
    "GS1-128",
    {
      // 165 mm is GS1-128's limit with quiet zones: the longest values need the 10X minimum.
      route: (i: number) => renderBarcode({ gtin: gs1[i], quiet_zone: 0 }),
      core: (i: number) => direct(Linear.CODE128, gs1Strings[i], LinearFlag.GS1, gs1[i]),
      bwip: (i: number) => bwipjs.toSVG({ bcid: "gs1-128", text: gs1[i], includetext: true }),
      js: null,
    },
  ],
] as const) {
  const route = await measure(run.route);
  const core = await measure(run.core);
  const bwip = await measure(run.bwip);
  const jsb = run.js ? await measure(run.js) : Number.NaN;
  rows.push([
    name,
    route.toFixed(1),
    core.toFixed(1),
    bwip.toFixed(1),
    (bwip / route).toFixed(1),
    Number.isNaN(jsb) ? "not installed" : (jsb / route).toFixed(1),
  ]);
}
console.log("µs/symbol, encode + SVG; ratios = theirs / ours (whole route path)");
console.log(
  [
    "symbology",
    "ours (validated)",
    "ours (core+svg)",
    "bwip-js",
    "bwip/ours",
    "JsBarcode/ours",
  ].join("\t"),
);
for (const r of rows) console.log(r.join("\t"));
