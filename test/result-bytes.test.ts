import { describe, expect, it } from "vitest";
import { claimResult, commitResult, ownedCopy, resultCopy, Scratch } from "../src/result-bytes.js";

// Writes ASCII `s` at `at` in `out` (the renderers use render/byte-writer.ts; this layer is below).
function writeAscii(out: Uint8Array, at: number, s: string): number {
  for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i);
  return at + s.length;
}

describe("Scratch", () => {
  it("grows to the largest size asked for and hands back the same buffer below it", () => {
    const scratch = new Scratch();
    const big = scratch.get(100_000);
    expect(big.length).toBeGreaterThanOrEqual(100_000);
    expect(scratch.get(10)).toBe(big);
  });
});

describe("ownedCopy", () => {
  it("copies the first bytes into a plain Uint8Array whose ArrayBuffer is its own and exact", () => {
    const source = new TextEncoder().encode("<svg>abc</svg> and the scratch's stale tail");
    const copy = ownedCopy(source, 14);
    expect(new TextDecoder().decode(copy)).toBe("<svg>abc</svg>");
    expect(copy.constructor).toBe(Uint8Array);
    expect(copy.byteOffset).toBe(0);
    expect(copy.buffer.byteLength).toBe(14);
    source.fill(0);
    expect(new TextDecoder().decode(copy)).toBe("<svg>abc</svg>");
  });
});

describe("claimResult and commitResult", () => {
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

  it("keeps every result as written while later results fill the pool and start new ones", () => {
    const results: [Uint8Array, string][] = [];
    // 3 KB results with a 6 KB bound: far past one 256 KB pool, so pools are replaced.
    for (let n = 0; n < 200; n++) {
      const out = claimResult(6000);
      const want = `<r${n}>`.padEnd(3000, String.fromCharCode(97 + (n % 26)));
      const end = writeAscii(out, 0, want);
      // Bytes beyond the result (inside the bound) are scratch: they must not show.
      writeAscii(out, end, "junk beyond the result");
      results.push([commitResult(out, end), want]);
    }
    for (const [bytes, want] of results) {
      expect(text(bytes)).toBe(want);
      expect(bytes.constructor).toBe(Uint8Array); // not a Buffer: what the renderers promise
    }
    const buffers = new Set(results.map(([bytes]) => bytes.buffer));
    expect(buffers.size).toBeGreaterThan(1);
    expect(buffers.size).toBeLessThan(results.length);
  });

  it("gives a large result a buffer of its own, exactly its length", () => {
    const out = claimResult(100_000);
    const end = writeAscii(out, 0, "x".repeat(50_000));
    const bytes = commitResult(out, end);
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(50_000);
    claimResult(100_000).fill(0);
    expect(text(bytes)).toBe("x".repeat(50_000));
  });
});

describe("resultCopy", () => {
  it("copies small sources into pool views no later copy writes over, large ones into their own", () => {
    const source = new Uint8Array(1089);
    const copies: [Uint8Array, number][] = [];
    for (let n = 0; n < 400; n++) {
      source.fill(n & 0xff);
      copies.push([resultCopy(source), n & 0xff]);
    }
    for (const [copy, value] of copies) {
      expect(copy.length).toBe(1089);
      expect(copy.every((b) => b === value)).toBe(true);
    }
    const large = new Uint8Array(200_000).fill(7);
    const own = resultCopy(large);
    large.fill(0);
    expect(own.byteOffset).toBe(0);
    expect(own.buffer.byteLength).toBe(200_000);
    expect(own.every((b) => b === 7)).toBe(true);
  });
});
