// The cost guard's workload, run under `valgrind --tool=callgrind` by cost.test.ts: each stage
// (encode, render to SVG, PDF and PNG; a GS1-128 SVG through the 1D route; the same payloads as
// QR Digital Link SVGs) over a fixed corpus, warmed up first, then once more
// inside vm.Script#runInThisContext. Callgrind zeroes its counts on entering that C++ function
// (--zero-before; the JIT's code has no symbols to name, node's C++ has) and dumps them on
// entering vm.createContext's, called right after, so each dump holds one stage's count. Plain
// JavaScript over the compiled build (build/js), so no transpiler runs under valgrind.
// Usage: see measure.ts (valgrind and node flags); the arguments are the corpora as JSON files:
// DataMatrix payloads, then bracketed GS1-128 element strings.
import { readFileSync } from "node:fs";
import vm from "node:vm";
import { drawBarcode } from "../../build/js/barcode/render.js";
import { encode, planQrRender, planRender } from "../../build/js/index.js";

/** Warm-up rounds before the measured ones (JIT flags in measure.ts: no tier-up to wait for). */
const WARM_UP_ROUNDS = 1;
/**
 * Measured rounds per stage, each its own dump; measure.ts takes their median, so one round
 * carrying a late compilation or an extra collection does not move the result.
 */
const MEASURED_ROUNDS = 3;

const corpus = JSON.parse(readFileSync(process.argv[2], "utf8"));
// quiet_zone 0 as in the bench: the longest values need it to stay within GS1-128's 165 mm.
const gs1128 = JSON.parse(readFileSync(process.argv[3], "utf8")).map((gtin) => ({
  gtin,
  quiet_zone: 0,
}));
const withFormat = (format) => corpus.map((payload) => ({ ...payload, format }));
const svg = withFormat("svg");
const pdf = withFormat("pdf");
const png = withFormat("png");

// Drawing is synchronous inside draw() (its promise is already settled), so the whole stage
// runs within the counted call; awaiting would move the rest into a microtask outside it.
const each = (payloads, fn) => () => {
  for (const payload of payloads) fn(payload);
};
const draw = (payload) => planRender(payload).draw();
const drawQr = (payload) => planQrRender(payload).draw();
const STAGES = {
  encode: each(corpus, encode),
  svg: each(svg, draw),
  pdf: each(pdf, draw),
  png: each(png, draw),
  gs1_128_svg: each(gs1128, drawBarcode),
  qr_svg: each(svg, drawQr),
};

for (const [name, stage] of Object.entries(STAGES)) {
  for (let r = 0; r < WARM_UP_ROUNDS; r++) stage();
  globalThis.costStage = stage;
  const script = new vm.Script("costStage()", { filename: `cost-${name}` });
  for (let r = 0; r < MEASURED_ROUNDS; r++) {
    globalThis.gc(); // start each count from a collected heap, so no earlier garbage is charged
    script.runInThisContext();
    vm.createContext(); // the dump trigger: nothing else here makes a context
    process.stdout.write(`${name}\n`); // one line per dump, in order: how the test names them
  }
}
