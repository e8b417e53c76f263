// Bytes + options → module matrix through the release WASM build (src/engine/encode.ts).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ShapeMask, Status } from "../../src/engine/abi.js";
import {
  boundAreaOfInput,
  copyModules,
  fitInput,
  memoryByteLength,
  symbolColumns,
  symbolRows,
} from "../../src/engine/core.js";
import { EncodeError, encodeBytes, encodeSmallest, shapeMask } from "../../src/engine/encode.js";
import { decodeMatrix } from "../helpers/decode.js";
import { zintGs1 } from "../helpers/zint.js";

const ELEMENT = "01000123456789051727063010LOT-A001\x1d21SN-0001";

describe("encodeBytes", () => {
  it("encodes a GS1 element string that zxing-wasm reads back with ]d2", async () => {
    const symbol = encodeBytes(ELEMENT, { shapes: ShapeMask.SQUARE, gs1: true });
    // zint 2.11 (test/helpers/decode.test.ts) needs 22x22 for this payload too.
    const zint = zintGs1("[01]00012345678905[17]270630[10]LOT-A001[21]SN-0001");
    expect(symbol.rows * symbol.columns).toBeLessThanOrEqual(zint.rows * zint.columns);
    const decoded = await decodeMatrix(symbol.rows, symbol.columns, symbol.modules);
    expect(decoded.text).toBe(ELEMENT);
    expect(decoded.symbologyIdentifier).toBe("]d2");
  });

  it("gives the same symbol for a string and for its bytes", () => {
    const bytes = Uint8Array.from(ELEMENT, (ch) => ch.charCodeAt(0));
    const a = encodeBytes(ELEMENT, { shapes: ShapeMask.SQUARE, gs1: true });
    const b = encodeBytes(bytes, { shapes: ShapeMask.SQUARE, gs1: true });
    expect([b.rows, b.columns]).toEqual([a.rows, a.columns]);
    expect(Array.from(b.modules)).toEqual(Array.from(a.modules));
  });

  it("returns a fresh copy that later encodes do not touch", () => {
    const first = encodeBytes("123456", { shapes: ShapeMask.SQUARE, gs1: false });
    const saved = Array.from(first.modules);
    expect(first.modules).toHaveLength(100);
    encodeBytes("abcdefghijklmnopqrstuvwxyz0123456789", { shapes: ShapeMask.SQUARE, gs1: false });
    expect(Array.from(first.modules)).toEqual(saved);
  });

  it("picks rectangles when asked: 5 codewords go in 8x18, or 12x12 with squares too", () => {
    const rect = encodeBytes("ABCDE", { shapes: shapeMask("rectangle"), gs1: false });
    expect([rect.rows, rect.columns]).toEqual([8, 18]);
    const auto = encodeBytes("ABCDE", { shapes: shapeMask("auto"), gs1: false });
    expect([auto.rows, auto.columns]).toEqual([12, 12]);
  });

  it("encodes Latin-1 bytes outside GS1 mode", async () => {
    const symbol = encodeBytes("caf\u00e9", { shapes: ShapeMask.SQUARE, gs1: false });
    const decoded = await decodeMatrix(symbol.rows, symbol.columns, symbol.modules);
    expect(decoded.text).toBe("caf\u00e9");
  });

  it("keeps linear memory the same size over 10,000 encodes", () => {
    const before = memoryByteLength();
    for (let i = 0; i < 10_000; i++) {
      encodeBytes(i % 2 === 0 ? ELEMENT : `${i}`.repeat(1 + (i % 40)), {
        shapes: ShapeMask.SQUARE | ShapeMask.RECTANGLE | ShapeMask.DMRE,
        gs1: i % 2 === 0,
      });
    }
    expect(memoryByteLength()).toBe(before);
  });
});

// Two variable-length GS1 fields in both orders, as prepare.ts hands them to encodeSmallest.
const CSET82_CHARS =
  "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
const value = fc
  .array(fc.constantFrom(...CSET82_CHARS), { minLength: 1, maxLength: 40 })
  .map((cs) => cs.join(""));
const shapes = fc.constantFrom(ShapeMask.SQUARE, ShapeMask.RECTANGLE, ShapeMask.SQUARE | 2);
const orders = (lot: string, serial: string) => [
  `01000123456789051727063010${lot}\x1d21${serial}`,
  `010001234567890517270630${"21"}${serial}\x1d10${lot}`,
];

describe("encodeSmallest", () => {
  // fast-check, seed fixed so a failure replays; 400 runs take about a second.
  const params = { seed: 20261207, numRuns: 400 };

  it("gives the symbol of the order that encodes smallest, the first on a tie", () => {
    fc.assert(
      fc.property(value, value, shapes, (lot, serial, mask) => {
        const options = { shapes: mask, gs1: true };
        const areas = orders(lot, serial).map((text) => {
          try {
            const m = encodeBytes(text, options);
            return m.rows * m.columns;
          } catch {
            return Number.POSITIVE_INFINITY;
          }
        });
        const want = areas[1] < areas[0] ? 1 : 0;
        if (areas[want] === Number.POSITIVE_INFINITY) {
          expect(() => encodeSmallest(orders(lot, serial), options)).toThrow(EncodeError);
          return;
        }
        const { choice, matrix } = encodeSmallest(orders(lot, serial), options);
        expect(choice).toBe(want);
        const reference = encodeBytes(orders(lot, serial)[want], options);
        expect(Array.from(matrix.modules)).toEqual(Array.from(reference.modules));
      }),
      params,
    );
  });

  it("bounds every order from below: no symbol is smaller than boundAreaOfInput", () => {
    fc.assert(
      fc.property(value, value, shapes, (lot, serial, mask) => {
        for (const text of orders(lot, serial)) {
          const area = fitInput(text, mask, 1);
          if (area > 0) expect(boundAreaOfInput(text.length, mask, 1)).toBeLessThanOrEqual(area);
        }
      }),
      params,
    );
  });

  it("takes the second order when it is smaller: 32x32 where the usual order needs 36x36", () => {
    // Found by the property above's generator; the full encodes below are the reference.
    const texts = orders("O6vZz1<8LC7PuO)pZ", "Bjr=B/>2c'5YQ)Evrt:M';O4KMq?QS");
    const options = { shapes: ShapeMask.SQUARE, gs1: true };
    expect(encodeBytes(texts[0], options).rows).toBe(36);
    const { choice, matrix } = encodeSmallest(texts, options);
    expect([choice, matrix.rows]).toEqual([1, 32]);
    expect(Array.from(matrix.modules)).toEqual(Array.from(encodeBytes(texts[1], options).modules));
  });

  it("gives the same symbol when the planner resumes the last search after a shared prefix", () => {
    // Orders of 2-4 variable fields; each encoded right after the one before it (so the search
    // resumes after the fields they share) and after an unrelated non-GS1 encode (from scratch).
    const ais = ["10", "21", "91", "92"];
    fc.assert(
      fc.property(fc.array(value, { minLength: 2, maxLength: 4 }), shapes, (values, mask) => {
        const fields = values.map((v, i) => `${ais[i]}${v}`);
        const texts = fields.map((_, last) => {
          const order = [...fields.filter((_, i) => i !== last), fields[last]];
          return `0100012345678905${order.join("\x1d")}`;
        });
        const options = { shapes: mask, gs1: true };
        const attempt = (text: string) => {
          try {
            return Array.from(encodeBytes(text, options).modules).join("");
          } catch (err) {
            return String((err as EncodeError).status);
          }
        };
        const resumed = texts.map(attempt);
        const fresh = texts.map((text) => {
          encodeBytes("1", { shapes: ShapeMask.SQUARE, gs1: false });
          return attempt(text);
        });
        expect(resumed).toEqual(fresh);
      }),
      params,
    );
  });

  it("gives the same symbol when a GS falls among the last five bytes (no resume there)", () => {
    const options = { shapes: ShapeMask.SQUARE, gs1: true };
    const modules = (text: string) => Array.from(encodeBytes(text, options).modules).join("");
    for (const tail of ["\x1d3", "\x1d34", "\x1dA=", "\x1d!!!"]) {
      const text = `0100012345678905109!ABC=DE${tail}`;
      encodeBytes(`0100012345678905109!ABC=DE\x1d21XYZ`, options); // shares all but the tail
      const resumed = modules(text);
      encodeBytes("1", { shapes: ShapeMask.SQUARE, gs1: false }); // forgets the search
      expect(resumed).toBe(modules(text));
    }
  });

  it("sizes without encoding: fitInput leaves the last symbol made as it was", () => {
    const made = encodeBytes(ELEMENT, { shapes: ShapeMask.SQUARE, gs1: true });
    // FNC1 + 8 digit pairs: 9 codewords, 14x14 holds 8, 16x16 holds 12.
    expect(fitInput("0100012345678905", ShapeMask.SQUARE, 1)).toBe(16 * 16);
    expect([symbolRows(), symbolColumns()]).toEqual([made.rows, made.columns]);
    expect(Array.from(copyModules())).toEqual(Array.from(made.modules));
  });

  it("stops drawing candidates once the first reaches the bound (one past it, to know)", () => {
    let drawn = 0;
    function* candidates() {
      for (const text of [...orders("A1", "B2"), orders("A1", "B2")[0]]) {
        drawn++;
        yield text;
      }
    }
    encodeSmallest(candidates(), { shapes: ShapeMask.SQUARE, gs1: true });
    expect(drawn).toBe(2);
  });

  it("throws EncodeError TOO_LONG when no order fits, RangeError for no candidates", () => {
    const long = "A".repeat(30);
    const options = { shapes: ShapeMask.RECTANGLE, gs1: true };
    expect(() => encodeSmallest(orders(long, long), options)).toThrow(
      expect.objectContaining({ status: Status.TOO_LONG }),
    );
    expect(() => encodeSmallest([], options)).toThrow(RangeError);
  });
});

describe("EncodeError", () => {
  // Each refusal with its status and its message, verbatim.
  it.each([
    ["", true, ShapeMask.SQUARE, Status.EMPTY, "The data is empty."],
    [
      "1".repeat(3117),
      false,
      ShapeMask.SQUARE,
      Status.INPUT_TOO_LONG,
      "The data is longer than 3116 bytes, the most the encoder accepts.",
    ],
    ["01", true, 0, Status.NO_SHAPE, "No symbol shape is allowed: the shape mask is empty."],
    [
      "10caf\u00e9",
      true,
      ShapeMask.SQUARE,
      Status.INVALID_BYTE,
      "The data holds a character that cannot be encoded: GS1 mode takes codes 0 to 127, byte mode 0 to 255.",
    ],
    [
      "snow \u2603",
      false,
      ShapeMask.SQUARE,
      Status.INVALID_BYTE,
      "The data holds a character that cannot be encoded: GS1 mode takes codes 0 to 127, byte mode 0 to 255.",
    ],
    [
      "1".repeat(100),
      false,
      ShapeMask.RECTANGLE,
      Status.TOO_LONG,
      "The data does not fit in the largest symbol of the allowed shapes.",
    ],
  ])("refuses %j (gs1 %s, mask %i) with status %i", (data, gs1, shapes, status, message) => {
    let caught: unknown;
    try {
      encodeBytes(data, { shapes, gs1 });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(EncodeError);
    const error = caught as EncodeError;
    expect(error.status).toBe(status);
    expect(error.message).toBe(message);
    expect(error.name).toBe("EncodeError");
  });

  it("throws TypeError for data that is neither a string nor bytes", () => {
    expect(() => encodeBytes(42 as unknown as string, { shapes: 1, gs1: false })).toThrow(
      new TypeError("data must be a string or a Uint8Array"),
    );
  });
});

describe("shapeMask", () => {
  it.each([
    ["square", ShapeMask.SQUARE],
    ["rectangle", ShapeMask.RECTANGLE],
    ["dmre", ShapeMask.RECTANGLE | ShapeMask.DMRE],
    ["auto", ShapeMask.SQUARE | ShapeMask.RECTANGLE],
  ] as const)("maps %s to %i", (shape, mask) => {
    expect(shapeMask(shape)).toBe(mask);
  });

  it("throws TypeError for an unknown shape", () => {
    expect(() => shapeMask("round" as "square")).toThrow(new TypeError('unknown shape "round"'));
    expect(() => shapeMask("toString" as "square")).toThrow(TypeError);
  });
});
