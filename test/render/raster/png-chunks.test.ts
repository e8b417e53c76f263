// src/render/raster/png-chunks.ts: the IDAT CRC combined from known spans is zlib's CRC-32 of
// the chunk's type and data read whole.
import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { crcShift, idatCrc, type KnownCrc } from "../../../src/render/raster/png-chunks.js";

/** Seeded generator (LCG, glibc constants): failures replay. */
function rng(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.floor((state / 2147483648) * n);
  };
}

describe("idatCrc", () => {
  it("equals the CRC of 'IDAT' and the data, whatever spans are known", () => {
    const next = rng(20261207);
    for (let trial = 0; trial < 200; trial++) {
      const idat = Uint8Array.from({ length: next(5000) }, () => next(256));
      const known: KnownCrc[] = [];
      let at = 0;
      while (at < idat.length && next(3) > 0) {
        const start = at + next(Math.min(300, idat.length - at));
        const length = next(idat.length - start + 1);
        const bytes = idat.subarray(start, start + length);
        known.push({ start, length, crc: crc32(bytes), shift: crcShift(length) });
        at = start + length;
      }
      const whole = crc32(Buffer.concat([Buffer.from("IDAT", "latin1"), idat]));
      expect(idatCrc(idat, known)).toBe(whole);
    }
  });
});
