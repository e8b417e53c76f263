import { describe, expect, it } from "vitest";
import {
  claimResult,
  commitResult,
  ownedCopy,
  Scratch,
  writeAscii,
  writeUint,
} from "../../src/render/byte-writer.js";

const text = (bytes: Uint8Array, end: number): string =>
  Buffer.from(bytes.subarray(0, end)).toString("latin1");

describe("writeUint", () => {
  it.each([
    0, 7, 10, 99, 100, 509, 999, 1000, 1001, 1010, 10_000, 65535, 100_100, 999_999, 1e6, 123456789,
  ])("writes %i in decimal", (n) => {
    const buffer = new Uint8Array(16).fill(0x3f);
    const end = writeUint(buffer, 2, n);
    expect(end).toBe(2 + String(n).length);
    expect(text(buffer, end)).toBe(`??${n}`);
    expect(buffer[end]).toBe(0x3f); // nothing written past the end
  });
});

describe("writeAscii", () => {
  it("writes short strings byte by byte and long ones through the encoder, identically", () => {
    const buffer = new Uint8Array(128);
    let at = writeAscii(buffer, 0, "M2 3h1v1h-1z");
    at = writeAscii(buffer, at, ' fill="#002060" d="abcdefghijklmnopqrstuvwxyz"');
    expect(text(buffer, at)).toBe('M2 3h1v1h-1z fill="#002060" d="abcdefghijklmnopqrstuvwxyz"');
  });
});

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
