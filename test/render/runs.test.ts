import { describe, expect, it } from "vitest";
import {
  checkMatrix,
  darkRectangles,
  darkRectanglesView,
  MAX_SIDE,
  type ModuleMatrix,
} from "../../src/render/runs.js";
import { seededRandom } from "../helpers/corpus.js";
import { darkCount, FIXTURES, symbolOf } from "./fixtures.js";

/** Builds a matrix from "0"/"1" row strings. */
function matrix(...lines: string[]): ModuleMatrix {
  const columns = lines[0].length;
  return {
    rows: lines.length,
    columns,
    modules: Uint8Array.from(lines.join(""), (c) => (c === "1" ? 1 : 0)),
  };
}

/** Paints the rectangles back into a matrix; throws on an empty, overflowing or overlapping one. */
function paint(symbol: ModuleMatrix, rects: Uint16Array): Uint8Array {
  const out = new Uint8Array(symbol.rows * symbol.columns);
  for (let i = 0; i < rects.length; i += 4) {
    const [x, y, w, h] = rects.subarray(i, i + 4);
    if (w === 0 || h === 0 || x + w > symbol.columns || y + h > symbol.rows) {
      throw new Error(`rectangle ${x},${y} ${w}x${h} is empty or outside the matrix`);
    }
    for (let r = y; r < y + h; r++) {
      for (let c = x; c < x + w; c++) {
        if (out[r * symbol.columns + c] !== 0) throw new Error(`module ${r},${c} painted twice`);
        out[r * symbol.columns + c] = 1;
      }
    }
  }
  return out;
}

describe("darkRectangles", () => {
  it("merges a run with the identical run below it, and only identical ones (hand-made)", () => {
    const symbol = matrix(
      "0110111", //
      "0110110",
      "0111110",
      "1000001",
    );
    expect(Array.from(darkRectangles(symbol))).toEqual(
      [
        // x, y, w, h — ordered by top row, then left edge
        [1, 0, 2, 2],
        [4, 0, 3, 1],
        [4, 1, 2, 1],
        [1, 2, 5, 1],
        [0, 3, 1, 1],
        [6, 3, 1, 1],
      ].flat(),
    );
  });

  it("does not merge identical runs across a row without them", () => {
    expect(Array.from(darkRectangles(matrix("11", "00", "11")))).toEqual([0, 0, 2, 1, 0, 2, 2, 1]);
  });

  it("gives nothing for an all-light matrix and one rectangle for an all-dark one", () => {
    expect(darkRectangles(matrix("000", "000")).length).toBe(0);
    expect(Array.from(darkRectangles(matrix("111", "111", "111")))).toEqual([0, 0, 3, 3]);
  });

  it.each(FIXTURES.map((f) => [f.name, f] as const))(
    "covers exactly the dark modules of the zint %s symbol, without overlap",
    (_name, fixture) => {
      const symbol = symbolOf(fixture);
      const rects = darkRectangles(symbol);
      expect(Array.from(paint(symbol, rects))).toEqual(Array.from(symbol.modules));
      let area = 0;
      for (let i = 0; i < rects.length; i += 4) area += rects[i + 2] * rects[i + 3];
      expect(area).toBe(darkCount(symbol));
    },
  );

  it("covers exactly the dark modules of 200 random matrices up to 144x144 (seed 20261126)", () => {
    const random = seededRandom(20261126);
    for (let n = 0; n < 200; n++) {
      const rows = 1 + Math.floor(random() * 144);
      const columns = 1 + Math.floor(random() * 144);
      const density = random();
      const modules = Uint8Array.from({ length: rows * columns }, () =>
        random() < density ? 1 : 0,
      );
      const symbol = { rows, columns, modules };
      const painted = paint(symbol, darkRectangles(symbol));
      expect(
        painted.every((m, i) => m === modules[i]),
        `matrix ${n} (${rows}x${columns})`,
      ).toBe(true);
    }
  });

  it("gives the renderers the same rectangles as a view of the one shared buffer", () => {
    const symbol = symbolOf(FIXTURES[1]);
    const expected = Array.from(darkRectangles(symbol));
    const { rects, count } = darkRectanglesView(symbol);
    // Room for the most any matrix has: a run in every other column of every row.
    expect(rects.length).toBe(4 * MAX_SIDE * Math.ceil(MAX_SIDE / 2));
    expect(Array.from(rects.subarray(0, 4 * count))).toEqual(expected);
  });

  it("returns a fresh array each call, so a later call cannot change an earlier result", () => {
    const a = darkRectangles(matrix("1"));
    darkRectangles(matrix("01"));
    expect(Array.from(a)).toEqual([0, 0, 1, 1]);
  });
});

describe("checkMatrix", () => {
  it("accepts the largest symbols (ECC 200 144x144, QR version 40 177x177) and rejects impossible sides or a wrong module count", () => {
    expect(() =>
      checkMatrix({ rows: 144, columns: 144, modules: new Uint8Array(144 * 144) }),
    ).not.toThrow();
    expect(() =>
      checkMatrix({ rows: 177, columns: 177, modules: new Uint8Array(177 * 177) }),
    ).not.toThrow();
    expect(() => checkMatrix({ rows: 0, columns: 10, modules: new Uint8Array(0) })).toThrow(
      new RangeError("module matrix sides must be integers 1-177, got 0x10"),
    );
    expect(() => checkMatrix({ rows: 178, columns: 1, modules: new Uint8Array(178) })).toThrow(
      RangeError,
    );
    expect(() => checkMatrix({ rows: 10, columns: 10, modules: new Uint8Array(99) })).toThrow(
      new RangeError("module matrix of 10x10 needs 100 modules, got 99"),
    );
  });
});
