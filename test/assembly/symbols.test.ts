// The size table and the smallest-fit lookup (assembly/symbols.ts).
import { describe, expect, it } from "vitest";
import { ShapeMask } from "../../src/engine/abi.js";
import { core, type Size, sizes } from "./wasm.js";

const SQ = ShapeMask.SQUARE;
const RE = ShapeMask.RECTANGLE;
const DM = ShapeMask.DMRE;

// [rows, columns, region rows, region columns, ECC per block, [blocks, data per block]...]
// Source: zxing-cpp core/src/datamatrix/DMVersion.cpp, which transcribes ISO/IEC 16022:2006
// Table 7 (first 30 rows) and ISO/IEC 21471:2020 Table 7 (DMRE); DMRE rows cross-checked with
// zint 2.11 backend/dmatrix.h (matrixH/W, matrixFH/FW, matrixbytes, matrixrsblock).
type Row = [number, number, number, number, number, [number, number][]];
const PUBLISHED: Row[] = [
  [10, 10, 8, 8, 5, [[1, 3]]],
  [12, 12, 10, 10, 7, [[1, 5]]],
  [14, 14, 12, 12, 10, [[1, 8]]],
  [16, 16, 14, 14, 12, [[1, 12]]],
  [18, 18, 16, 16, 14, [[1, 18]]],
  [20, 20, 18, 18, 18, [[1, 22]]],
  [22, 22, 20, 20, 20, [[1, 30]]],
  [24, 24, 22, 22, 24, [[1, 36]]],
  [26, 26, 24, 24, 28, [[1, 44]]],
  [32, 32, 14, 14, 36, [[1, 62]]],
  [36, 36, 16, 16, 42, [[1, 86]]],
  [40, 40, 18, 18, 48, [[1, 114]]],
  [44, 44, 20, 20, 56, [[1, 144]]],
  [48, 48, 22, 22, 68, [[1, 174]]],
  [52, 52, 24, 24, 42, [[2, 102]]],
  [64, 64, 14, 14, 56, [[2, 140]]],
  [72, 72, 16, 16, 36, [[4, 92]]],
  [80, 80, 18, 18, 48, [[4, 114]]],
  [88, 88, 20, 20, 56, [[4, 144]]],
  [96, 96, 22, 22, 68, [[4, 174]]],
  [104, 104, 24, 24, 56, [[6, 136]]],
  [120, 120, 18, 18, 68, [[6, 175]]],
  [132, 132, 20, 20, 62, [[8, 163]]],
  [
    144,
    144,
    22,
    22,
    62,
    [
      [8, 156],
      [2, 155],
    ],
  ],
  [8, 18, 6, 16, 7, [[1, 5]]],
  [8, 32, 6, 14, 11, [[1, 10]]],
  [12, 26, 10, 24, 14, [[1, 16]]],
  [12, 36, 10, 16, 18, [[1, 22]]],
  [16, 36, 14, 16, 24, [[1, 32]]],
  [16, 48, 14, 22, 28, [[1, 49]]],
  [8, 48, 6, 22, 15, [[1, 18]]],
  [8, 64, 6, 14, 18, [[1, 24]]],
  [8, 80, 6, 18, 22, [[1, 32]]],
  [8, 96, 6, 22, 28, [[1, 38]]],
  [8, 120, 6, 18, 32, [[1, 49]]],
  [8, 144, 6, 22, 36, [[1, 63]]],
  [12, 64, 10, 14, 27, [[1, 43]]],
  [12, 88, 10, 20, 36, [[1, 64]]],
  [16, 64, 14, 14, 36, [[1, 62]]],
  [20, 36, 18, 16, 28, [[1, 44]]],
  [20, 44, 18, 20, 34, [[1, 56]]],
  [20, 64, 18, 14, 42, [[1, 84]]],
  [22, 48, 20, 22, 38, [[1, 72]]],
  [24, 48, 22, 22, 41, [[1, 80]]],
  [24, 64, 22, 14, 46, [[1, 108]]],
  [26, 40, 24, 18, 38, [[1, 70]]],
  [26, 48, 24, 22, 42, [[1, 90]]],
  [26, 64, 24, 14, 50, [[1, 118]]],
];

function familyOf(index: number): number {
  if (index < 24) return SQ;
  return index < 30 ? RE : DM;
}

function area(s: Size): number {
  return s.rows * s.columns;
}

describe("the size table", () => {
  const table = sizes();

  it("holds the 24 square, 6 rectangular and 18 DMRE sizes", () => {
    expect(table.filter((s) => s.family === SQ)).toHaveLength(24);
    expect(table.filter((s) => s.family === RE)).toHaveLength(6);
    expect(table.filter((s) => s.family === DM)).toHaveLength(18);
  });

  it.each(PUBLISHED.map((row, i) => ({ name: `${row[0]}x${row[1]}`, row, i })))(
    "$name matches the published row",
    ({ name, row, i }) => {
      const [rows, columns, regionRows, regionColumns, blockEcc, groups] = row;
      const s = table.find((t) => t.name === name);
      expect(s).toBeDefined();
      if (!s) return;
      const blocks = groups.reduce((n, [count]) => n + count, 0);
      const capacity = groups.reduce((n, [count, data]) => n + count * data, 0);
      expect({
        rows: s.rows,
        columns: s.columns,
        regionRows: s.regionRows,
        regionColumns: s.regionColumns,
        blockEcc: s.blockEcc,
        blocks: s.blocks,
        capacity: s.capacity,
        family: s.family,
        // Block split as data: the largest block, and how many hold one codeword fewer.
        blockData: s.blockData,
        shortBlocks: s.shortBlocks,
      }).toEqual({
        rows,
        columns,
        regionRows,
        regionColumns,
        blockEcc,
        blocks,
        capacity,
        family: familyOf(i),
        blockData: groups[0][1],
        shortBlocks: groups.length > 1 ? groups[1][0] : 0,
      });
      // The data regions tile the symbol, each with a 2-module finder/clock border.
      expect(s.regionsVertical * (s.regionRows + 2)).toBe(s.rows);
      expect(s.regionsHorizontal * (s.regionColumns + 2)).toBe(s.columns);
      // The mapping matrix holds every codeword, with 0 or 4 modules left for the fixed corner.
      const spare = s.mappingRows * s.mappingColumns - 8 * (s.capacity + s.ecc);
      expect([0, 4]).toContain(spare);
    },
  );

  it("is in lookup order: area, then square, rectangle, DMRE, then capacity", () => {
    for (let i = 1; i < table.length; i++) {
      const a = table[i - 1];
      const b = table[i];
      const key = (s: Size) => [area(s), s.family, s.capacity];
      const [a1, a2, a3] = key(a);
      const [b1, b2, b3] = key(b);
      expect(
        a1 < b1 || (a1 === b1 && (a2 < b2 || (a2 === b2 && a3 <= b3))),
        `${a.name} before ${b.name}`,
      ).toBe(true);
    }
  });
});

describe("lookupSymbol", () => {
  const table = sizes();
  const masks = [SQ, RE, DM, SQ | RE, RE | DM, SQ | RE | DM];

  // Oracle straight from the definition: the smallest area among allowed sizes that hold n
  // codewords; equal areas prefer square, then rectangle, then DMRE.
  function expected(n: number, mask: number): string | undefined {
    const fits = table.filter((s) => (s.family & mask) !== 0 && s.capacity >= n);
    fits.sort((a, b) => area(a) - area(b) || a.family - b.family || a.capacity - b.capacity);
    return fits[0]?.name;
  }

  function lookup(n: number, mask: number): string | undefined {
    const i = core.lookupSymbol(n, mask);
    return i < 0 ? undefined : table[i].name;
  }

  it.each(masks)("agrees with the definition at every capacity boundary, mask %i", (mask) => {
    for (const s of table.filter((t) => (t.family & mask) !== 0)) {
      for (const n of [s.capacity, s.capacity + 1]) {
        expect(lookup(n, mask), `${n} codewords`).toBe(expected(n, mask));
      }
    }
  });

  it.each([
    // [codewords, mask, expected size]; hand-checked against ISO/IEC 16022 Table 7.
    [1, SQ, "10x10"],
    [3, SQ, "10x10"],
    [4, SQ, "12x12"],
    [5, SQ | RE, "12x12"], // 12x12 and 8x18 both have area 144: square first
    [5, RE, "8x18"],
    [6, RE, "8x32"],
    [30, SQ, "22x22"],
    [31, SQ, "24x24"],
    [49, RE, "16x48"],
    [18, DM, "8x48"],
    [38, DM, "20x36"], // 8x96 holds 38 too, but 20x36 has the smaller area
    [118, DM, "26x64"],
    [1558, SQ, "144x144"],
  ] as const)("puts %i codewords (mask %i) in %s", (n, mask, name) => {
    expect(lookup(n, mask)).toBe(name);
  });

  it.each([
    [1559, SQ],
    [50, RE],
    [119, DM],
    [119, RE | DM],
    [1, 0],
    [1, 8],
  ])("finds nothing for %i codewords with mask %i", (n, mask) => {
    expect(core.lookupSymbol(n, mask)).toBe(-1);
  });
});
