// Generator polynomials, per-block ECC and interleaving (assembly/reed-solomon.ts).
import { describe, expect, it } from "vitest";
import { seededRandom } from "../helpers/corpus.js";
import { dmtxwrite } from "./reference.js";
import { core, digitString, readCodewords, sizeNamed, sizes, writeCodewords } from "./wasm.js";

// Generator coefficients, x^0 first (the x^n coefficient, 1, left out), for the ECC lengths of
// ISO/IEC 16022 Annex E, as zxing's ErrorCorrection.FACTORS publishes them (zxing Java
// com.google.zxing.datamatrix.encoder.ErrorCorrection; identical in the ObjC port).
const PUBLISHED_GENERATORS: Record<number, number[]> = {
  5: [228, 48, 15, 111, 62],
  7: [23, 68, 144, 134, 240, 92, 254],
  10: [28, 24, 185, 166, 223, 248, 116, 255, 110, 61],
  11: [175, 138, 205, 12, 194, 168, 39, 245, 60, 97, 120],
  12: [41, 153, 158, 91, 61, 42, 142, 213, 97, 178, 100, 242],
  14: [156, 97, 192, 252, 95, 9, 157, 119, 138, 45, 18, 186, 83, 185],
  18: [83, 195, 100, 39, 188, 75, 66, 61, 241, 213, 109, 129, 94, 254, 225, 48, 90, 188],
  20: [15, 195, 244, 9, 233, 71, 168, 2, 188, 160, 153, 145, 253, 79, 108, 82, 27, 174, 186, 172],
  24: [
    52, 190, 88, 205, 109, 39, 176, 21, 155, 197, 251, 223, 155, 21, 5, 172, 254, 124, 12, 181, 184,
    96, 50, 193,
  ],
  28: [
    211, 231, 43, 97, 71, 96, 103, 174, 37, 151, 170, 53, 75, 34, 249, 121, 17, 138, 110, 213, 141,
    136, 120, 151, 233, 168, 93, 255,
  ],
  36: [
    245, 127, 242, 218, 130, 250, 162, 181, 102, 120, 84, 179, 220, 251, 80, 182, 229, 18, 2, 4, 68,
    33, 101, 137, 95, 119, 115, 44, 175, 184, 59, 25, 225, 98, 81, 112,
  ],
  42: [
    77, 193, 137, 31, 19, 38, 22, 153, 247, 105, 122, 2, 245, 133, 242, 8, 175, 95, 100, 9, 167,
    105, 214, 111, 57, 121, 21, 1, 253, 57, 54, 101, 248, 202, 69, 50, 150, 177, 226, 5, 9, 5,
  ],
  48: [
    245, 132, 172, 223, 96, 32, 117, 22, 238, 133, 238, 231, 205, 188, 237, 87, 191, 106, 16, 147,
    118, 23, 37, 90, 170, 205, 131, 88, 120, 100, 66, 138, 186, 240, 82, 44, 176, 87, 187, 147, 160,
    175, 69, 213, 92, 253, 225, 19,
  ],
  56: [
    175, 9, 223, 238, 12, 17, 220, 208, 100, 29, 175, 170, 230, 192, 215, 235, 150, 159, 36, 223,
    38, 200, 132, 54, 228, 146, 218, 234, 117, 203, 29, 232, 144, 238, 22, 150, 201, 117, 62, 207,
    164, 13, 137, 245, 127, 67, 247, 28, 155, 43, 203, 107, 233, 53, 143, 46,
  ],
  62: [
    242, 93, 169, 50, 144, 210, 39, 118, 202, 188, 201, 189, 143, 108, 196, 37, 185, 112, 134, 230,
    245, 63, 197, 190, 250, 106, 185, 221, 175, 64, 114, 71, 161, 44, 147, 6, 27, 218, 51, 63, 87,
    10, 40, 130, 188, 17, 163, 31, 176, 170, 4, 107, 232, 7, 94, 166, 224, 124, 86, 47, 11, 204,
  ],
  68: [
    220, 228, 173, 89, 251, 149, 159, 56, 89, 33, 147, 244, 154, 36, 73, 127, 213, 136, 248, 180,
    234, 197, 158, 177, 68, 122, 93, 213, 15, 160, 227, 236, 66, 139, 153, 185, 202, 167, 179, 25,
    220, 232, 96, 210, 231, 136, 223, 239, 181, 241, 59, 52, 172, 25, 49, 232, 211, 189, 64, 54,
    108, 153, 132, 63, 96, 103, 82, 186,
  ],
};

// One-block vectors: data codewords → check codewords, each with where it comes from.
const BLOCKS: { data: number[]; ecc: number[]; source: string }[] = [
  {
    data: [142, 164, 186],
    ecc: [114, 25, 5, 88, 102],
    source: 'ISO/IEC 16022 worked example "123456" (10x10); zint 2.11 PNG read by dmtxread -c',
  },
  {
    data: [50, 129, 70, 220, 115],
    ecc: [107, 70, 235, 222, 118, 46, 7],
    source: '"1" in 12x12 by libdmtx 0.7.5 dmtxwrite -c',
  },
];

const eccLengths = [...new Set(sizes().map((s) => s.blockEcc))].sort((a, b) => a - b);

function generator(n: number): number[] {
  return Array.from({ length: n }, (_, k) => core.generatorCoefficient(n, k));
}

describe("generator polynomials", () => {
  it.each(Object.keys(PUBLISHED_GENERATORS).map(Number))(
    "degree %i matches ISO/IEC 16022 Annex E as zxing publishes it",
    (n) => {
      expect(core.generatorCoefficient(n, n)).toBe(1);
      expect(generator(n)).toEqual(PUBLISHED_GENERATORS[n]);
    },
  );

  it.each(eccLengths)("degree %i (a length the size table uses) vanishes at α^1..α^n", (n) => {
    const coefficients = [...generator(n), 1];
    for (let i = 1; i <= n; i++) {
      const x = core.gfExp(i);
      let value = 0;
      for (let k = n; k >= 0; k--) value = core.gfMultiply(value, x) ^ coefficients[k];
      expect(value, `g(α^${i})`).toBe(0);
    }
  });
});

describe("per-block ECC", () => {
  it.each(BLOCKS)("computes $ecc for $data ($source)", ({ data, ecc }) => {
    writeCodewords(data);
    core.blockEcc(data.length, ecc.length);
    expect(readCodewords(ecc.length, data.length)).toEqual(ecc);
  });
});

describe("interleaved ECC in every size", () => {
  const random = seededRandom(20261126);

  it.each(sizes().map((s) => ({ name: s.name, s })))(
    "$name: every block has a zero syndrome, and a changed codeword breaks it",
    ({ s }) => {
      const data = Array.from({ length: s.capacity }, () => Math.floor(random() * 256));
      writeCodewords(data);
      expect(core.encodeCodewordsInSize(s.capacity, s.index)).toBe(0);
      const syndromes = () => {
        const out: number[] = [];
        for (let b = 0; b < s.blocks; b++) {
          for (let e = 1; e <= s.blockEcc; e++) out.push(core.blockSyndrome(s.index, b, e));
        }
        return out;
      };
      expect(syndromes().every((v) => v === 0)).toBe(true);
      const at = core.codewordsOffset();
      const bytes = new Uint8Array(core.memory.buffer);
      bytes[at] ^= 0x5a;
      expect(syndromes().some((v) => v !== 0)).toBe(true);
    },
  );

  // libdmtx writes the ISO/IEC 16022 interleave (check codeword j of block b at capacity + jB + b)
  // for every size, 144x144 included; our check codewords must equal its, codeword for codeword.
  it.each(["52x52", "64x64", "104x104", "120x120", "132x132", "144x144"])(
    "%s matches libdmtx 0.7.5 dmtxwrite -c codeword for codeword",
    (name) => {
      const s = sizeNamed(name);
      const ref = dmtxwrite(digitString(s.capacity - 5), name);
      expect(ref.data).toHaveLength(s.capacity);
      writeCodewords(ref.data);
      expect(core.encodeCodewordsInSize(s.capacity, s.index)).toBe(0);
      expect(readCodewords(s.ecc, s.capacity)).toEqual(ref.ecc);
    },
  );
});
