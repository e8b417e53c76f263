// In-process benchmark: QR encode + SVG, ours against bwip-js `qrcode` (BWIPP) and the `qrcode`
// npm package (toString, type svg), on the same 500 Digital Link URIs at level M, in one run.
// Each round times all three over all 500 URIs, one after the other; the machine is shared,
// so ratios are medians of per-round ratios (load that comes and goes hits a round's three
// alike) and µs/symbol are medians over rounds. Ours is given the GS1 fields and does
// everything the endpoint does (validation, the URI, encode, SVG); the others are given the URI.
// Run: npx tsx test/bench/qr.bench.ts (BENCH_ROUNDS, default 5). Not part of npm test.
import bwipjs from "bwip-js";
import qrcode from "qrcode";
import { prepareQr, renderQr } from "../../src/index.js";
import { CSET82, seededRandom } from "../helpers/corpus.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const random = seededRandom(19);
const pick = (n: number) =>
  Array.from({ length: n }, () => CSET82[Math.floor(random() * CSET82.length)]).join("");
const payloads = Array.from({ length: 500 }, () => ({
  gtin: "09506000134352",
  lot: pick(1 + Math.floor(random() * 20)),
  serial: pick(1 + Math.floor(random() * 20)),
  expiry: "270630",
}));

// The URIs the baselines get, written out by the Digital Link pattern (RFC 3986 unreserved
// characters kept, everything else percent-encoded) rather than taken from our builder; that
// ours encodes exactly these is checked below, so all three encode the same text.
const pct = (s: string) =>
  encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
const uris = payloads.map(
  (p) => `https://id.gs1.org/01/${p.gtin}/10/${pct(p.lot)}/21/${pct(p.serial)}?17=${p.expiry}`,
);
let sameVersion = 0;
payloads.forEach((p, i) => {
  const { symbol } = prepareQr(p);
  if (symbol.elementString !== uris[i]) {
    throw new Error(`ours encodes ${symbol.elementString}, the baselines ${uris[i]}`);
  }
  if (qrcode.create(uris[i], { errorCorrectionLevel: "M" }).version === symbol.version) {
    sameVersion++;
  }
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// µs per symbol over the 500.
async function timeAll(fn: (i: number) => unknown): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < uris.length; i++) await fn(i);
  return Number(process.hrtime.bigint() - t0) / 1000 / uris.length;
}

const runs = {
  ours: (i: number) => renderQr({ ...payloads[i], format: "svg" }),
  qrcode: (i: number) => qrcode.toString(uris[i], { type: "svg", errorCorrectionLevel: "M" }),
  bwipjs: (i: number) => bwipjs.toSVG({ bcid: "qrcode", text: uris[i], eclevel: "M" }),
};
type Run = keyof typeof runs;

// Warm-up: JIT, WASM, bwip-js's encoder caches.
for (const fn of Object.values(runs)) await timeAll(fn);
const times: Record<Run, number[]> = { ours: [], qrcode: [], bwipjs: [] };
for (let r = 0; r < ROUNDS; r++) {
  for (const name of Object.keys(runs) as Run[]) times[name].push(await timeAll(runs[name]));
  process.stderr.write(`round ${r + 1}/${ROUNDS} done\n`);
}

const ratio = (to: Run) => median(times[to].map((t, r) => t / times.ours[r]));
const line = (name: Run, target?: number) => {
  const us = median(times[name]).toFixed(1).padStart(9);
  if (!target) return `  ${name.padEnd(8)}${us} µs/symbol`;
  const x = ratio(name);
  const verdict = `${x >= target ? "PASS" : "FAIL"} (target >= ${target}x)`;
  return `  ${name.padEnd(8)}${us} µs/symbol   ${x.toFixed(1).padStart(5)}x ours   ${verdict}`;
};
console.log(
  `QR encode + SVG, ${uris.length} Digital Link URIs (${Math.min(...uris.map((u) => u.length))}` +
    `-${Math.max(...uris.map((u) => u.length))} characters), level M, ${ROUNDS} interleaved rounds:`,
);
console.log(line("ours"));
console.log(line("bwipjs", 50));
console.log(line("qrcode", 10));
console.log(
  "ratios: median over rounds of (its time / ours) in the same round; the qrcode package " +
    `chose the same version as ours for ${sameVersion}/${uris.length} URIs.`,
);
