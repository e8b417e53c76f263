// GF(256) arithmetic with the prime polynomial 0x12D (assembly/gf256.ts).
import { describe, expect, it } from "vitest";
import { core } from "./wasm.js";

// libdmtx 0.7.x dmtxreedsol.c, antilog301[0..15]: α^0..α^15 for the polynomial 301.
const ANTILOG_FIRST_ROW = [1, 2, 4, 8, 16, 32, 64, 128, 45, 90, 180, 69, 138, 57, 114, 228];

// Products read off libdmtx's log301/antilog301 tables (a·b = antilog[(log a + log b) mod 255]),
// each checked by hand where noted.
const PRODUCTS: { a: number; b: number; product: number; source: string }[] = [
  { a: 2, b: 128, product: 45, source: "α·α^7 = α^8 = x^5+x^3+x^2+1 (hand)" },
  { a: 16, b: 16, product: 45, source: "α^4·α^4 = α^8 (hand)" },
  { a: 3, b: 7, product: 9, source: "(x+1)(x^2+x+1) = x^3+1, no reduction (hand)" },
  { a: 255, b: 255, product: 52, source: "log301[255]=150, 300 mod 255 = 45, antilog301[45]" },
  { a: 100, b: 200, product: 92, source: "log301[100]=142, log301[200]=143, antilog301[30]" },
  { a: 1, b: 200, product: 200, source: "identity" },
  { a: 0, b: 77, product: 0, source: "zero" },
  { a: 77, b: 0, product: 0, source: "zero" },
];

describe("GF(256)", () => {
  it("starts its antilog table like libdmtx antilog301", () => {
    expect(ANTILOG_FIRST_ROW.map((_, i) => core.gfExp(i))).toEqual(ANTILOG_FIRST_ROW);
  });

  it("has α of order 255: α^255 = 1 and the powers α^0..α^254 are all distinct", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 255; i++) seen.add(core.gfExp(i));
    expect(seen.size).toBe(255);
    expect(core.gfExp(255)).toBe(1);
  });

  it.each(PRODUCTS)("multiplies $a · $b = $product ($source)", ({ a, b, product }) => {
    expect(core.gfMultiply(a, b)).toBe(product);
    expect(core.gfMultiply(b, a)).toBe(product);
  });

  it("inverts the logarithm and gives every nonzero element an inverse", () => {
    for (let a = 1; a < 256; a++) {
      expect(core.gfExp(core.gfLog(a))).toBe(a);
      const inverse = core.gfExp(255 - core.gfLog(a));
      expect(core.gfMultiply(a, inverse), `inverse of ${a}`).toBe(1);
    }
  });

  it("distributes over xor (field addition)", () => {
    for (let a = 0; a < 256; a += 17) {
      for (let b = 0; b < 256; b += 13) {
        for (const c of [1, 2, 45, 200, 255]) {
          expect(core.gfMultiply(a ^ b, c)).toBe(core.gfMultiply(a, c) ^ core.gfMultiply(b, c));
        }
      }
    }
  });
});
