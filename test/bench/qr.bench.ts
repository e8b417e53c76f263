// In-process benchmark: QR encode + SVG, ours vs bwip-js `qrcode` (BWIPP), on the same 500
// Digital Link URIs at level M, in one run. Prints µs/symbol (median of rounds after a warm-up)
// and the ratio bwip-js / ours. The `qrcode` npm package is compared when it is installed
// (it is not a dependency of this project). Run: npx tsx test/bench/qr.bench.ts
// (not part of npm test: this machine is noisy, figures are for reading).
import bwipjs from "bwip-js";
import { renderQr } from "../../src/index.js";
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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function measure(fn: (i: number) => unknown): Promise<number> {
  for (let i = 0; i < 100; i++) await fn(i);
  const perItem: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < payloads.length; i++) await fn(i);
    perItem.push(Number(process.hrtime.bigint() - t0) / 1000 / payloads.length);
  }
  return median(perItem);
}

// The URIs both encoders get: the ones our endpoint encodes, read from our own SVG's payload
// would be circular, so they are written out here by the Digital Link pattern.
const uris = payloads.map(
  (p) =>
    `https://id.gs1.org/01/${p.gtin}/10/${encodeURIComponent(p.lot).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}` +
    `/21/${encodeURIComponent(p.serial).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}?17=${p.expiry}`,
);

const ours = await measure((i) => renderQr({ ...payloads[i], format: "svg" }));
const bwip = await measure((i) => bwipjs.toSVG({ bcid: "qrcode", text: uris[i], eclevel: "M" }));
console.log(`QR encode + SVG, 500 Digital Link URIs, level M (median of ${ROUNDS} rounds):`);
console.log(`  ours      ${ours.toFixed(1)} µs/symbol`);
console.log(`  bwip-js   ${bwip.toFixed(1)} µs/symbol   ratio ${(bwip / ours).toFixed(1)}x`);
try {
  const qrcode = (await import("qrcode" as string)) as {
    toString(text: string, options: object): Promise<string>;
  };
  const other = await measure((i) =>
    qrcode.toString(uris[i], { type: "svg", errorCorrectionLevel: "M" }),
  );
  console.log(`  qrcode    ${other.toFixed(1)} µs/symbol   ratio ${(other / ours).toFixed(1)}x`);
} catch {
  console.log("  qrcode    not installed: skipped");
}
