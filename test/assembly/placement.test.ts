// Codeword placement in the mapping matrix, ISO/IEC 16022 Annex F (assembly/placement.ts).
import { describe, expect, it } from "vitest";
import { core, memoryBytes, sizes, writeCodewords } from "./wasm.js";

// Each mapping byte: bit 0 = module, the bits above = how often the traversal wrote it.
function mapping(rows: number, columns: number): Uint8Array {
  const at = core.mappingOffset();
  return memoryBytes().slice(at, at + rows * columns);
}

describe("placeCodewords", () => {
  it.each(sizes().map((s) => ({ name: s.name, s })))(
    "$name: places every codeword and writes each mapping module exactly once",
    ({ s }) => {
      const total = s.capacity + s.ecc;
      const cells = s.mappingRows * s.mappingColumns;
      const spare = cells - 8 * total;

      writeCodewords(new Array(total).fill(0));
      expect(core.placeCodewordList(s.mappingRows, s.mappingColumns)).toBe(total);
      const zeros = mapping(s.mappingRows, s.mappingColumns);
      const counts = Array.from(zeros, (v) => v >> 1);
      expect(counts.filter((n) => n !== 1)).toEqual([]);

      // With all-zero codewords only the fixed pattern can be dark: when 4 modules are left
      // over, the lower-right 2x2 is dark on its diagonal (ISO/IEC 16022 Annex F.3).
      const dark = Array.from(zeros.keys()).filter((i) => (zeros[i] & 1) === 1);
      if (spare === 4) {
        expect(dark).toEqual([cells - s.mappingColumns - 2, cells - 1]);
      } else {
        expect(spare).toBe(0);
        expect(dark).toEqual([]);
      }

      // With all-one codewords every codeword module is dark: 8 per codeword, plus 2 fixed.
      writeCodewords(new Array(total).fill(0xff));
      core.placeCodewordList(s.mappingRows, s.mappingColumns);
      const ones = mapping(s.mappingRows, s.mappingColumns);
      const darkCount = ones.reduce((n, v) => n + (v & 1), 0);
      expect(darkCount).toBe(8 * total + (spare === 4 ? 2 : 0));
    },
  );

  it("wraps the first utah of an 8x8 mapping to the right edge (hand-derived from Annex F)", () => {
    // Codeword 1 sits in the utah ending at row 4, column 0. Its modules left of column 0 wrap
    // to the right edge with row shift 4 - ((8 + 4) mod 8) = 0, so bit 8 (least significant)
    // is at (4, 0), bit 7 at (4, 7) and bit 5 at (3, 0).
    const total = 8;
    const only = (value: number) => {
      const list = new Array(total).fill(0);
      list[0] = value;
      writeCodewords(list);
      core.placeCodewordList(8, 8);
      const m = mapping(8, 8);
      return Array.from(m.keys()).filter((i) => (m[i] & 1) === 1);
    };
    expect(only(0x01)).toEqual([4 * 8 + 0]);
    expect(only(0x02)).toEqual([4 * 8 + 7]);
    expect(only(0x08)).toEqual([3 * 8 + 0]);
  });
});

describe("placeByMap (the per-size map the encoder places by)", () => {
  it("puts every module where the Annex F sweep does, for all 48 sizes and random codewords", () => {
    let seed = 20261207;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed >>> 24;
    };
    for (const s of sizes()) {
      const total = s.capacity + s.ecc;
      for (let round = 0; round < 3; round++) {
        writeCodewords(Array.from({ length: total }, next));
        core.placeCodewordList(s.mappingRows, s.mappingColumns);
        const swept = Array.from(mapping(s.mappingRows, s.mappingColumns), (v) => v & 1);
        core.placeCodewordListByMap(s.index);
        const mapped = Array.from(mapping(s.mappingRows, s.mappingColumns));
        expect(mapped, `${s.name} round ${round}`).toEqual(swept);
      }
    }
  });
});
