// src/render/raster/deflate.ts: every stream is inflated by zlib (an independent decoder, which also
// checks the Adler-32) and compared with the bytes the calls describe, built here naively.
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { encodeFragment, type Fragment, RunDeflater } from "../../../src/render/raster/deflate.js";

/** Seeded generator (LCG, glibc constants): failures replay. */
function rng(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.floor((state / 2147483648) * n);
  };
}

/** One call on a writer, and the bytes it stands for. */
interface Step {
  apply(writer: RunDeflater): void;
  bytes: number[];
}

function putStep(value: number): Step {
  return { apply: (w) => w.put(value), bytes: [value] };
}

function runStep(value: number, count: number): Step {
  return { apply: (w) => w.putRun(value, count), bytes: new Array(count).fill(value) };
}

/** A scanline: filter byte, then `light` with `pieces` (offset, bytes) laid over it. */
function scanlineStep(
  filter: number,
  light: number,
  width: number,
  pieces: [number, number[]][],
): Step {
  const bytes = [filter, ...new Array(width).fill(light)];
  for (const [x, piece] of pieces) bytes.splice(1 + x, piece.length, ...piece);
  const xs = new Int32Array(pieces.map(([x]) => x));
  const fragments = pieces.map(([, piece]) => encodeFragment(piece));
  return {
    apply: (w) => w.putScanline(filter, light, width, xs, fragments, 0, pieces.length),
    bytes,
  };
}

function blockStep(steps: Step[]): Step {
  const bytes = steps.flatMap((s) => s.bytes);
  const writer = new RunDeflater();
  writer.beginFragment(bytes.length, true);
  for (const s of steps) s.apply(writer);
  const block = writer.endFragment();
  return { apply: (w) => w.putBlock(block), bytes };
}

/** `count` copies of `bytes` through putRepeated (one pre-encoded fragment). */
function repeatedStep(bytes: number[], count: number): Step {
  const fragment = encodeFragment(bytes);
  return {
    apply: (w) => w.putRepeated(fragment, count),
    bytes: Array.from({ length: count }, () => bytes).flat(),
  };
}

/** Deflates `steps` into one stream and returns what zlib inflates from it. */
function roundTrip(steps: Step[]): { inflated: Buffer; expected: Buffer } {
  const expected = Buffer.from(steps.flatMap((s) => s.bytes));
  const writer = new RunDeflater();
  writer.begin(expected.length);
  for (const s of steps) s.apply(writer);
  return { inflated: inflateSync(writer.end()), expected };
}

function randomScanline(next: (n: number) => number, maxWidth: number): Step {
  const width = 1 + next(maxWidth);
  const light = next(2) === 0 ? 255 : 0;
  const pieces: [number, number[]][] = [];
  for (let x = next(40); x < width; ) {
    const length = 1 + next(Math.min(600, width - x));
    pieces.push([x, Array.from({ length }, () => (next(3) === 0 ? light : next(256)))]);
    x += length + next(900);
  }
  return scanlineStep(next(5), light, width, pieces);
}

describe("RunDeflater", () => {
  it("writes runs, bytes and fragments zlib inflates back, with the right Adler-32", () => {
    const { inflated, expected } = roundTrip([
      putStep(7),
      runStep(7, 300), // merges with the byte before
      runStep(0, 2),
      runStep(255, 1),
      scanlineStep(0, 255, 40, [
        [3, [1, 2, 3]],
        [6, [9, 9, 9, 9]], // right after the previous fragment
      ]),
      runStep(9, 0),
    ]);
    expect(inflated.equals(expected)).toBe(true);
  });

  it.each([
    // Light gaps around the match-length limit (258): the tail after full matches is literals.
    [259],
    [260],
    [261],
    [516],
    [517],
    [518],
    // Past 512 bytes Adler-32 advances by modular arithmetic instead of int32 sums.
    [513],
    [4000],
  ])("writes a %s-byte light gap in a scanline", (gap) => {
    const { inflated, expected } = roundTrip([
      runStep(200, 1000),
      scanlineStep(0, 255, gap + 10, [[gap, [1, 2, 3, 4, 5]]]),
      scanlineStep(2, 0, gap, []),
    ]);
    expect(inflated.equals(expected)).toBe(true);
  });

  it("round-trips 300 seeded random sequences of every call (seed 20240611)", () => {
    const next = rng(20240611);
    for (let trial = 0; trial < 300; trial++) {
      const steps: Step[] = [];
      for (let n = 1 + next(40); n > 0; n--) {
        const kind = next(5);
        if (kind === 0) steps.push(putStep(next(256)));
        else if (kind === 1) steps.push(runStep(next(256), next(3000)));
        else if (kind === 2) steps.push(randomScanline(next, 1500));
        else if (kind === 3) {
          const rows = Array.from({ length: 1 + next(12) }, () => randomScanline(next, 900));
          steps.push(blockStep(rows));
        } else steps.push(blockStep([runStep(next(256), 1 + next(100)), putStep(next(256))]));
      }
      const { inflated, expected } = roundTrip(steps);
      if (!inflated.equals(expected)) throw new Error(`trial ${trial} inflated other bytes`);
    }
  });

  it("repeats a fragment as often as asked (seed 1130): rows, runs, 0 to 60 copies", () => {
    const next = rng(1130);
    for (let trial = 0; trial < 200; trial++) {
      const steps: Step[] = [];
      for (let n = 1 + next(12); n > 0; n--) {
        const kind = next(3);
        if (kind === 0) steps.push(randomScanline(next, 900));
        else if (kind === 1) steps.push(runStep(next(256), next(600)));
        else {
          // A uniform row (filter byte, then one value), as the PNG renderer repeats, or any
          // bytes; past 512 bytes Adler-32 takes its modular path.
          const width = 1 + next(1400);
          const value = next(256);
          const bytes =
            next(2) === 0
              ? [next(5), ...new Array(width).fill(value)]
              : Array.from({ length: width }, () => (next(2) === 0 ? value : next(256)));
          steps.push(repeatedStep(bytes, next(61)));
        }
      }
      const { inflated, expected } = roundTrip(steps);
      if (!inflated.equals(expected)) throw new Error(`trial ${trial} inflated other bytes`);
    }
    const block = new RunDeflater();
    block.beginFragment(1, true);
    block.put(1);
    expect(() => new RunDeflater().putRepeated(block.endFragment(), 2)).toThrow(
      "putRepeated needs a fragment that is not a block",
    );
  });

  it("keeps Adler-32 right over a long stream (reductions mod 65521 on every path)", () => {
    const next = rng(7);
    const steps: Step[] = [];
    for (let i = 0; i < 400; i++) steps.push(randomScanline(next, 3000), runStep(255, 5000));
    const { inflated, expected } = roundTrip(steps);
    expect(expected.length).toBeGreaterThan(2_000_000);
    expect(inflated.equals(expected)).toBe(true);
  });

  it("encodes a fragment's Adler sums: sum and Σ (n − i)·byte[i], mod 65521", () => {
    const bytes = Array.from({ length: 1000 }, (_, i) => (i * 37) % 256);
    const fragment: Fragment = encodeFragment(bytes);
    let sum = 0;
    let weighted = 0;
    bytes.forEach((b, i) => {
      sum += b;
      weighted += (bytes.length - i) * b;
    });
    expect([fragment.length, fragment.sum, fragment.weighted, fragment.block]).toEqual([
      1000,
      sum % 65521,
      weighted % 65521,
      false,
    ]);
  });

  it("refuses a stream whose byte count is not the one declared, and a non-block block", () => {
    const writer = new RunDeflater();
    writer.begin(10);
    writer.putRun(1, 9);
    expect(() => writer.end()).toThrow(new Error("deflate stream got 9 bytes, 10 declared"));
    writer.begin(3);
    expect(() => writer.putBlock(encodeFragment([1, 2, 3]))).toThrow(
      new RangeError("putBlock needs a fragment encoded as a block"),
    );
  });
});
