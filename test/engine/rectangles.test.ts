// The core's rectangle finder and path writer (assembly/vector/, host src/engine/rectangles.ts),
// checked against plain statements of what they promise: the rectangles painted back give the
// matrix, and the path text, read back by a parser of its own grammar, gives the rectangles.
import { describe, expect, it } from "vitest";
import { RECT_PATH_CAPACITY, RECT_SIDE_MAX } from "../../src/engine/abi.js";
import {
  findDarkRectangles,
  RectPathStyle,
  writeRectanglePath,
} from "../../src/engine/rectangles.js";
import { seededRandom } from "../helpers/corpus.js";

interface Matrix {
  rows: number;
  columns: number;
  modules: Uint8Array;
}

// Random matrices of every side up to QR version 40, dark modules any non-zero byte.
function randomMatrices(count: number, seed: number): Matrix[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, n) => {
    const rows = n < 3 ? RECT_SIDE_MAX : 1 + Math.floor(random() * RECT_SIDE_MAX);
    const columns = n < 3 ? RECT_SIDE_MAX : 1 + Math.floor(random() * RECT_SIDE_MAX);
    const density = n === 0 ? 1 : random();
    const modules = Uint8Array.from({ length: rows * columns }, (_, i) => {
      if (n === 1) return ((i % columns) + Math.floor(i / columns)) % 2; // checkerboard
      return random() < density ? 1 + Math.floor(random() * 255) : 0;
    });
    return { rows, columns, modules };
  });
}

// The rectangles as [x, y, w, h] tuples, copied out of the core's view.
function rectanglesOf(matrix: Matrix): number[][] {
  const { rects, count } = findDarkRectangles(matrix.rows, matrix.columns, matrix.modules);
  return Array.from({ length: count }, (_, i) => Array.from(rects.subarray(4 * i, 4 * i + 4)));
}

// The runs a row-by-row reading of the matrix gives, merged down only when the next row has the
// same run: the promised rectangles, computed naively.
function expectedRectangles({ rows, columns, modules }: Matrix): number[][] {
  const done: number[][] = [];
  let open = new Map<string, number[]>();
  for (let y = 0; y < rows; y++) {
    const next = new Map<string, number[]>();
    for (let x = 0; x < columns; ) {
      if (modules[y * columns + x] === 0) {
        x++;
        continue;
      }
      let end = x;
      while (end < columns && modules[y * columns + end] !== 0) end++;
      const key = `${x},${end - x}`;
      const above = open.get(key);
      if (above) {
        above[3]++;
        next.set(key, above);
      } else {
        const rect = [x, y, end - x, 1];
        done.push(rect);
        next.set(key, rect);
      }
      x = end;
    }
    open = next;
  }
  return done;
}

// Reads SVG path data of the writer's grammar back into rectangles, refusing anything else.
function parseSvgPath(text: string): number[][] {
  const rect = /M(\d+) (\d+)h(\d+)v(\d+)h-(\d+)z/y;
  const out: number[][] = [];
  while (rect.lastIndex < text.length) {
    const match = rect.exec(text);
    if (!match)
      throw new Error(
        `unexpected path data at ${rect.lastIndex}: ${text.slice(rect.lastIndex, rect.lastIndex + 20)}`,
      );
    const [x, y, w, h, back] = match.slice(1).map(Number);
    expect(back).toBe(w);
    out.push([x, y, w, h]);
  }
  return out;
}

function parsePdfPath(text: string): number[][] {
  const lines = text.split("\n");
  expect(lines.pop()).toBe("");
  return lines.map((line) => {
    const match = /^(\d+) (\d+) (\d+) (\d+) re$/.exec(line);
    if (!match) throw new Error(`unexpected PDF operator line: ${line}`);
    return match.slice(1).map(Number);
  });
}

function spell(style: RectPathStyle, count: number, dx: number, dy: number): string {
  const out = new Uint8Array(count * 60 + 16).fill(0x21);
  const end = writeRectanglePath(out, 3, style, count, dx, dy);
  // Nothing before `at` or after the returned end is touched.
  expect(Array.from(out.subarray(0, 3))).toEqual([0x21, 0x21, 0x21]);
  expect(out.subarray(end).every((b) => b === 0x21)).toBe(true);
  return Buffer.from(out.subarray(3, end)).toString("latin1");
}

describe("findDarkRectangles", () => {
  it("finds the row runs merged down exactly, on 150 random matrices up to 177x177 (seed 20261207)", () => {
    for (const [n, matrix] of randomMatrices(150, 20261207).entries()) {
      expect(rectanglesOf(matrix), `matrix ${n} (${matrix.rows}x${matrix.columns})`).toEqual(
        expectedRectangles(matrix),
      );
    }
  });

  it("reads only rows x columns modules of a longer array, and refuses sides out of range", () => {
    const modules = Uint8Array.from([1, 0, 1, 1, 1, 1, 1, 1, 1]);
    expect(rectanglesOf({ rows: 2, columns: 2, modules })).toEqual([
      [0, 0, 1, 1],
      [0, 1, 2, 1],
    ]);
    expect(() => findDarkRectangles(0, 5, new Uint8Array(0))).toThrow(RangeError);
    expect(() => findDarkRectangles(178, 1, new Uint8Array(178))).toThrow(/1-177, got 178x1/);
  });
});

describe("writeRectanglePath", () => {
  it("spells every rectangle as SVG path data and as PDF re operators, shifted, for the matrices above", () => {
    for (const [n, matrix] of randomMatrices(40, 7).entries()) {
      const expected = rectanglesOf(matrix);
      const { count } = findDarkRectangles(matrix.rows, matrix.columns, matrix.modules);
      const shift = (dx: number, dy: number) =>
        expected.map(([x, y, w, h]) => [x + dx, y + dy, w, h]);
      expect(parseSvgPath(spell(RectPathStyle.SVG, count, 4, 0)), `matrix ${n}`).toEqual(
        shift(4, 0),
      );
      expect(parsePdfPath(spell(RectPathStyle.PDF, count, 0, 10)), `matrix ${n}`).toEqual(
        shift(0, 10),
      );
    }
  });

  it("fills its region more than once for the largest paths (a 177x177 checkerboard)", () => {
    const [, checkerboard] = randomMatrices(2, 1);
    const { count } = findDarkRectangles(
      checkerboard.rows,
      checkerboard.columns,
      checkerboard.modules,
    );
    const text = spell(RectPathStyle.SVG, count, 0, 0);
    expect(text.length).toBeGreaterThan(3 * RECT_PATH_CAPACITY);
    expect(parseSvgPath(text)).toEqual(rectanglesOf(checkerboard));
  });

  it("spells numbers of any length (shifts of 999 to 10^9) and refuses a negative or fractional shift", () => {
    const matrix = { rows: 1, columns: 3, modules: Uint8Array.from([1, 0, 1]) };
    const { count } = findDarkRectangles(1, 3, matrix.modules);
    expect(spell(RectPathStyle.SVG, count, 999, 1000)).toBe("M999 1000h1v1h-1zM1001 1000h1v1h-1z");
    expect(spell(RectPathStyle.PDF, count, 123456, 1_000_000_000)).toBe(
      "123456 1000000000 1 1 re\n123458 1000000000 1 1 re\n",
    );
    const out = new Uint8Array(100);
    expect(() => writeRectanglePath(out, 0, RectPathStyle.SVG, count, -1, 0)).toThrow(RangeError);
    expect(() => writeRectanglePath(out, 0, RectPathStyle.SVG, count, 0.5, 0)).toThrow(RangeError);
    expect(writeRectanglePath(out, 7, RectPathStyle.PDF, 0, 0, 0)).toBe(7);
  });
});
