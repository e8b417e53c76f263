// The core's ABI (assembly/index.ts): encode, encodeCodewords, the getters and the statuses.
import { describe, expect, it } from "vitest";
import { EncodeFlag, INPUT_CAPACITY, ShapeMask, Status } from "../../src/engine/abi.js";
import { zintRows } from "../helpers/zint.js";
import { core, matrixRows, memoryBytes, readCodewords, sizes, writeCodewords } from "./wasm.js";

const SQ = ShapeMask.SQUARE;

function writeInput(text: string): number {
  const bytes = memoryBytes();
  const at = core.inputOffset();
  for (let i = 0; i < text.length; i++) bytes[at + i] = text.charCodeAt(i);
  return text.length;
}

function getters() {
  return {
    rows: core.symbolRows(),
    columns: core.symbolColumns(),
    capacity: core.dataCapacity(),
    data: core.dataLength(),
    ecc: core.eccLength(),
  };
}

const NONE = { rows: 0, columns: 0, capacity: 0, data: 0, ecc: 0 };

describe("encode", () => {
  it('encodes the ISO/IEC 16022 worked example "123456" into 10x10', () => {
    // Codewords from the standard's example, confirmed by zint 2.11 + dmtxread -c; the matrix is
    // zint 2.11 --dump of the same data.
    expect(core.encode(writeInput("123456"), SQ, 0)).toBe(Status.OK);
    expect(getters()).toEqual({ rows: 10, columns: 10, capacity: 3, data: 3, ecc: 5 });
    expect(readCodewords(8).join(" ")).toBe("142 164 186 114 25 5 88 102");
    expect(matrixRows()).toEqual(zintRows(["-d", "123456"], 10));
  });

  it("puts FNC1 first in GS1 mode and reads GS as FNC1", () => {
    expect(core.encode(writeInput("10AB\x1d21C"), SQ, EncodeFlag.GS1)).toBe(Status.OK);
    expect(readCodewords(1)).toEqual([232]);
    expect(core.dataLength()).toBeGreaterThan(0);
  });

  // Digit pairs are the densest encodation (2 digits per codeword), so 2·capacity digits fill a
  // square exactly and two more need the next square, whatever the planner does elsewhere.
  it("chooses each square at its capacity boundary for digit data", () => {
    const squares = sizes().filter((s) => s.family === SQ);
    for (let i = 0; i < squares.length; i++) {
      const s = squares[i];
      const digits = "9".repeat(2 * s.capacity);
      expect(core.encode(writeInput(digits), SQ, 0), `${digits.length} digits`).toBe(Status.OK);
      expect(`${core.symbolRows()}x${core.symbolColumns()}`).toBe(s.name);
      if (i + 1 < squares.length) {
        core.encode(writeInput(`${digits}99`), SQ, 0);
        expect(`${core.symbolRows()}x${core.symbolColumns()}`).toBe(squares[i + 1].name);
      }
    }
  });

  it("accepts bytes above 127 outside GS1 mode", () => {
    const bytes = memoryBytes();
    bytes[core.inputOffset()] = 0xe9;
    expect(core.encode(1, SQ, 0)).toBe(Status.OK);
  });

  it.each([
    ["an empty input", 0, SQ, 0, Status.EMPTY],
    ["a negative length", -1, SQ, 0, Status.EMPTY],
    ["more than INPUT_CAPACITY bytes", INPUT_CAPACITY + 1, SQ, 0, Status.INPUT_TOO_LONG],
    ["an empty shape mask", 4, 0, 0, Status.NO_SHAPE],
    ["only unknown shape bits", 4, 8, 0, Status.NO_SHAPE],
    ["data beyond 16x48 in rectangles", 100, ShapeMask.RECTANGLE, 0, Status.TOO_LONG],
    ["3116 letters (one codeword each) in squares", INPUT_CAPACITY, SQ, 0, Status.TOO_LONG],
  ])(
    "answers %s with its status, and the getters report no symbol",
    (_, length, shapes, flags, status) => {
      core.encode(writeInput("123456"), SQ, 0);
      writeInput("A".repeat(Math.max(0, Math.min(length, INPUT_CAPACITY))));
      expect(core.encode(length, shapes, flags)).toBe(status);
      expect(getters()).toEqual(NONE);
    },
  );

  it("refuses a byte above 127 in GS1 mode before encoding", () => {
    writeInput("0101234567890128");
    memoryBytes()[core.inputOffset() + 5] = 0x80;
    expect(core.encode(16, SQ, EncodeFlag.GS1)).toBe(Status.INVALID_BYTE);
    expect(getters()).toEqual(NONE);
  });

  it("checks the length before the bytes and the shape before the bytes", () => {
    memoryBytes()[core.inputOffset()] = 0xff;
    expect(core.encode(INPUT_CAPACITY + 1, 0, EncodeFlag.GS1)).toBe(Status.INPUT_TOO_LONG);
    expect(core.encode(1, 0, EncodeFlag.GS1)).toBe(Status.NO_SHAPE);
    expect(core.encode(1, SQ, EncodeFlag.GS1)).toBe(Status.INVALID_BYTE);
  });
});

describe("encodeCodewords", () => {
  it("puts data codewords as given into the smallest symbol and reports the sizes", () => {
    writeCodewords([142, 164, 186]);
    expect(core.encodeCodewords(3, SQ)).toBe(Status.OK);
    expect(getters()).toEqual({ rows: 10, columns: 10, capacity: 3, data: 3, ecc: 5 });
    expect(readCodewords(8).join(" ")).toBe("142 164 186 114 25 5 88 102");

    writeCodewords([50]);
    expect(core.encodeCodewords(1, ShapeMask.RECTANGLE)).toBe(Status.OK);
    expect(getters()).toEqual({ rows: 8, columns: 18, capacity: 5, data: 1, ecc: 7 });
  });

  it.each([
    [0, SQ, Status.EMPTY],
    [1, 0, Status.NO_SHAPE],
    [1559, SQ, Status.TOO_LONG],
    [50, ShapeMask.RECTANGLE, Status.TOO_LONG],
    [119, ShapeMask.DMRE, Status.TOO_LONG],
  ])("answers %i codewords with mask %i with status %i", (count, shapes, status) => {
    expect(core.encodeCodewords(count, shapes)).toBe(status);
    expect(getters()).toEqual(NONE);
  });
});

describe("memory", () => {
  it("does not grow over 10,000 encodes of every kind", () => {
    const before = core.memory.buffer.byteLength;
    const element = "0100012345678905172706301012345678\x1d21SN-000123456";
    for (let i = 0; i < 10_000; i++) {
      const length = writeInput(i % 2 === 0 ? element : "9".repeat(1 + (i % 600)));
      core.encode(
        length,
        SQ | ShapeMask.RECTANGLE | ShapeMask.DMRE,
        i % 2 === 0 ? EncodeFlag.GS1 : 0,
      );
      if (i % 1000 === 0) core.encode(INPUT_CAPACITY, SQ, 0);
    }
    expect(core.memory.buffer.byteLength).toBe(before);
  });
});
