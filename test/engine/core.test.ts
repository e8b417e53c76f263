// The host side of the WASM boundary (src/engine/core.ts) over the release build.
import { describe, expect, it } from "vitest";
import * as wasm from "#core";
import { INPUT_CAPACITY, ShapeMask, Status } from "../../src/engine/abi.js";
import {
  copyModules,
  dataLength,
  encodeInput,
  symbolColumns,
  symbolRows,
} from "../../src/engine/core.js";
import { copyCodewords, dataCapacity, eccLength, encodeCodewordList } from "./core-inspect.js";

describe("core", () => {
  it('writes string input: "123456" gives the ISO/IEC 16022 example codewords', () => {
    expect(encodeInput("123456", ShapeMask.SQUARE, 0)).toBe(Status.OK);
    expect([symbolRows(), symbolColumns(), dataLength(), dataCapacity(), eccLength()]).toEqual([
      10, 10, 3, 3, 5,
    ]);
    expect(Array.from(copyCodewords()).join(" ")).toBe("142 164 186 114 25 5 88 102");
  });

  it("hands data codewords through as given (low-level layer)", () => {
    expect(encodeCodewordList([142, 164, 186], ShapeMask.SQUARE)).toBe(Status.OK);
    expect(Array.from(copyCodewords()).join(" ")).toBe("142 164 186 114 25 5 88 102");
    expect(encodeCodewordList(new Array(2179).fill(0), ShapeMask.SQUARE)).toBe(Status.TOO_LONG);
  });

  it("refuses a char code above 255, and leaves over-long input unwritten", () => {
    expect(encodeInput("\u0100", ShapeMask.SQUARE, 0)).toBe(Status.INVALID_BYTE);
    expect(encodeInput("1".repeat(INPUT_CAPACITY + 1), ShapeMask.SQUARE, 0)).toBe(
      Status.INPUT_TOO_LONG,
    );
  });

  it("copies modules out as a fresh array each time", () => {
    encodeInput("123456", ShapeMask.SQUARE, 0);
    const a = copyModules();
    const b = copyModules();
    expect(a).not.toBe(b);
    expect(Array.from(a)).toEqual(Array.from(b));
    a[0] = 9;
    expect(b[0]).toBe(1);
  });

  // Runs last in this file: it grows the release module's memory on purpose.
  it("re-derives its memory view after linear memory grew", () => {
    encodeInput("654321", ShapeMask.SQUARE, 0);
    const expected = Array.from(copyModules());
    encodeInput("123456", ShapeMask.SQUARE, 0);
    const pages = wasm.memory.buffer.byteLength / 65536;
    wasm.memory.grow(1);
    expect(wasm.memory.buffer.byteLength / 65536).toBe(pages + 1);
    // A stale view would drop these writes (its buffer is detached) and re-encode "123456".
    expect(encodeInput("654321", ShapeMask.SQUARE, 0)).toBe(Status.OK);
    expect(Array.from(copyModules())).toEqual(expected);
  });
});
