// Whole symbols against independent encoders: data regions, finder and clock patterns
// (assembly/frame.ts), and with them placement, padding and ECC.
import { describe, expect, it } from "vitest";
import { ShapeMask } from "../../src/engine/abi.js";
import { zintFile, zintRows } from "../helpers/zint.js";
import { dmtxread, dmtxwrite, parseCodewords, withTempDir } from "./reference.js";
import {
  core,
  digitPairCodewords,
  digitString,
  matrixModules,
  matrixRows,
  type Size,
  sizes,
  writeCodewords,
} from "./wasm.js";

const iso = sizes().filter((s) => s.family !== ShapeMask.DMRE);
const dmre = sizes().filter((s) => s.family === ShapeMask.DMRE);

// zint 2.11 --vers numbers for the DMRE sizes (zint backend/dmatrix.h intsymbol comments).
const ZINT_DMRE_VERSION: Record<string, number> = {
  "8x48": 31,
  "8x64": 32,
  "8x80": 33,
  "8x96": 34,
  "8x120": 35,
  "8x144": 36,
  "12x64": 37,
  "12x88": 38,
  "16x64": 39,
  "20x36": 40,
  "20x44": 41,
  "20x64": 42,
  "22x48": 43,
  "24x48": 44,
  "24x64": 45,
  "26x40": 46,
  "26x48": 47,
  "26x64": 48,
};

function symbolFrom(codewords: number[], s: Size): string[] {
  writeCodewords(codewords);
  expect(core.encodeCodewordsInSize(codewords.length, s.index)).toBe(0);
  return matrixRows();
}

describe("whole symbols", () => {
  // libdmtx 0.7.5 dmtxwrite (ASCII encodation, forced size): its data codewords, pads included,
  // go in unchanged, so the matrices must be identical module for module.
  it.each(iso.map((s) => ({ name: s.name, s })))(
    "$name equals libdmtx 0.7.5 dmtxwrite -p for the same data codewords",
    ({ name, s }) => {
      const ref = dmtxwrite(digitString(Math.max(1, s.capacity - 3)), name);
      expect(ref.data).toHaveLength(s.capacity);
      expect(ref.rows).toHaveLength(s.rows);
      expect(symbolFrom(ref.data, s)).toEqual(ref.rows);
    },
  );

  // zint 2.11 encodes digits as ASCII digit pairs and pads the rest like we do; 144x144 is left
  // out because zint 2.11 writes its "de facto" interleave there (see reed-solomon.ts).
  it.each([...dmre, ...iso.filter((s) => s.name !== "144x144")].map((s) => ({ name: s.name, s })))(
    "$name equals zint 2.11 --dump for digit-pair data",
    ({ name, s }) => {
      const digits = digitString(Math.max(1, s.capacity - 3), 3);
      const args =
        s.family === ShapeMask.DMRE
          ? ["--dmre", `--vers=${ZINT_DMRE_VERSION[name]}`]
          : [`--vers=${zintIsoVersion(s)}`];
      const ref = zintRows([...args, "-d", digits], s.columns);
      expect(ref).toHaveLength(s.rows);
      expect(symbolFrom(digitPairCodewords(digits), s)).toEqual(ref);
    },
  );

  // GS1 element strings as zint encodes them (C40, Text and ASCII mixed): dmtxread -c gives the
  // data codewords from zint's PNG; fed to encodeCodewords, they must rebuild zint's matrix.
  it.each([
    "[01]00012345678905[17]270630[10]LOT-A001[21]SN-0001",
    "[01]09506000134352[17]201225[10]ABC123",
    "[01]04012345678901[21]abcdefghijklmnopqrst",
    "[01]01111543726513[17]291217[10]TRAPUPKYHH",
  ])("rebuilds zint's square symbol for %s from dmtxread's codewords", async (payload) => {
    await withTempDir(async (dir) => {
      const png = `${dir}/zint.png`;
      zintFile(["--gs1", "--square", "--quietzones", "--scale=4", "-d", payload], png);
      const { data } = parseCodewords(dmtxread(png, true));
      // Square symbols: as many columns as rows.
      const ref = zintRows(["--gs1", "--square", "-d", payload], 200);
      const columns = ref.length;
      for (let r = 0; r < ref.length; r++) ref[r] = ref[r].slice(0, columns);
      writeCodewords(data);
      // All of the capacity (pads included) goes in, so the smallest square is zint's size.
      expect(core.encodeCodewords(data.length, ShapeMask.SQUARE)).toBe(0);
      expect([core.symbolRows(), core.symbolColumns()]).toEqual([ref.length, columns]);
      expect(matrixRows()).toEqual(ref);
    });
  });

  it("draws each data region's finder L and clock track (10x10, the 16 regions of 72x72)", () => {
    for (const name of ["10x10", "72x72"]) {
      const s = sizes().find((t) => t.name === name) as Size;
      symbolFrom(new Array(s.capacity).fill(0), s);
      const m = matrixModules();
      const at = (r: number, c: number) => m[r * s.columns + c];
      const band = s.regionRows + 2;
      const width = s.regionColumns + 2;
      for (let r = 0; r < s.rows; r++) {
        for (let c = 0; c < s.columns; c++) {
          const y = r % band;
          const x = c % width;
          if (x === 0 || y === band - 1) expect(at(r, c), `${name} (${r},${c}) finder`).toBe(1);
          else if (y === 0)
            expect(at(r, c), `${name} (${r},${c}) top clock`).toBe(x % 2 === 0 ? 1 : 0);
          else if (x === width - 1) expect(at(r, c), `${name} (${r},${c}) right clock`).toBe(y % 2);
        }
      }
    }
  });
});

// zint's --vers for ISO sizes: 1..24 square, 25..30 rectangular (zint backend/dmatrix.h).
function zintIsoVersion(s: Size): number {
  const squares = sizes().filter((t) => t.family === ShapeMask.SQUARE);
  const rects = sizes().filter((t) => t.family === ShapeMask.RECTANGLE);
  const square = squares.findIndex((t) => t.index === s.index);
  return square >= 0 ? square + 1 : 25 + rects.findIndex((t) => t.index === s.index);
}
