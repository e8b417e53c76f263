// The QR segmenter (assembly/qr/segmenter.ts) against an exhaustive search written here from
// the standard's bit counts (ISO/IEC 18004:2015 7.4.3-7.4.5, Table 3): for short inputs every
// assignment of a mode to each character is tried, and the segmenter must find the minimum.
import { describe, expect, it } from "vitest";
import { core, memoryBytes } from "./wasm.js";

const ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
const COUNT_BITS = [
  [10, 9, 8],
  [12, 11, 16],
  [14, 13, 16],
];

// Characters each mode spends on one input character; 0 when it cannot hold it.
function charsIn(mode: number, c: string, gs1: boolean): number {
  if (mode === 0) return /[0-9]/.test(c) ? 1 : 0;
  if (mode === 1) {
    if (gs1 && c === "\x1d") return 1;
    if (!ALNUM.includes(c)) return 0;
    return gs1 && c === "%" ? 2 : 1;
  }
  return 1;
}

function dataBits(mode: number, n: number): number {
  if (mode === 0) return 10 * Math.floor(n / 3) + [0, 4, 7][n % 3];
  if (mode === 1) return 11 * Math.floor(n / 2) + 6 * (n % 2);
  return 8 * n;
}

// The bits of one mode assignment, or Infinity when a character does not fit its mode.
function bitsOf(text: string, modes: number[], gs1: boolean, range: number): number {
  let bits = 0;
  for (let i = 0; i < text.length; ) {
    let j = i;
    let chars = 0;
    while (j < text.length && modes[j] === modes[i]) {
      const n = charsIn(modes[i], text[j], gs1);
      if (n === 0) return Number.POSITIVE_INFINITY;
      chars += n;
      j++;
    }
    bits += 4 + COUNT_BITS[range][modes[i]] + dataBits(modes[i], chars);
    i = j;
  }
  return bits;
}

function bruteForce(text: string, gs1: boolean, range: number): number {
  let best = Number.POSITIVE_INFINITY;
  const modes = new Array<number>(text.length).fill(0);
  const total = 3 ** text.length;
  for (let k = 0; k < total; k++) {
    let v = k;
    for (let i = 0; i < text.length; i++) {
      modes[i] = v % 3;
      v = Math.floor(v / 3);
    }
    best = Math.min(best, bitsOf(text, modes, gs1, range));
  }
  return best;
}

function segmenter(text: string, gs1: boolean, range: number): { bits: number; modes: number[] } {
  memoryBytes().set(Buffer.from(text, "latin1"), core.qrInputOffset());
  const bits = core.qrSegmentBits(text.length, gs1 ? 1 : 0, range);
  return { bits, modes: Array.from(text, (_, i) => core.qrSegmentMode(i)) };
}

// A seeded generator (mulberry32) over characters that make mode choices interesting.
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("QR segmentation", () => {
  it("finds the fewest bits of all mode assignments (exhaustive, 600 inputs of 1-9 characters)", () => {
    const next = random(2026);
    const pool = "0123456789012345ABCXYZ%:/ab\x1d";
    for (let n = 0; n < 600; n++) {
      const length = 1 + (n % 9);
      const text = Array.from({ length }, () => pool[Math.floor(next() * pool.length)]).join("");
      const gs1 = n % 2 === 1;
      const range = n % 3;
      const ours = segmenter(text, gs1, range);
      const what = `${JSON.stringify(text)} gs1=${gs1} range=${range}`;
      expect(ours.bits, what).toBe(bruteForce(text, gs1, range));
      // The modes it reports cost what it says.
      expect(bitsOf(text, ours.modes, gs1, range), what).toBe(ours.bits);
    }
  });

  it("switches modes only where it saves bits (hand-counted examples)", () => {
    // 8 digits alone: numeric, 4 + 10 + 10 + 10 + 7 = 41 bits (range 0).
    expect(segmenter("01234567", false, 0)).toEqual({ bits: 41, modes: Array(8).fill(0) });
    // "a1234567b": byte for all 9 = 4 + 8 + 72 = 84; byte / numeric / byte = (4 + 8 + 8) +
    // (4 + 10 + 10 + 10 + 4) + (4 + 8 + 8) = 78.
    expect(segmenter("a1234567b", false, 0)).toEqual({
      bits: 78,
      modes: [2, 0, 0, 0, 0, 0, 0, 0, 2],
    });
    // A literal "%" costs two alphanumeric characters in GS1 mode, one otherwise.
    expect(segmenter("A%", false, 0).bits).toBe(4 + 9 + 11);
    // In GS1 mode "A%%" as alphanumeric is 4 + 9 + 17 = 30 bits, so two bytes win: 4 + 8 + 16.
    expect(segmenter("A%", true, 0)).toEqual({ bits: 28, modes: [2, 2] });
  });
});
