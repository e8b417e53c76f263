// The encodation stage (assembly/encodation/) against the vectors in test/vectors/encodation.ts:
// the exact data codewords for each scheme and each end-of-data rule, that no smaller size holds
// the input where a row says so, and that two independent decoders read each row's symbol back.
import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CSET82 } from "../../helpers/corpus.js";
import { ENCODATION_VECTORS } from "../../vectors/encodation.js";
import { dmtxread, parseCodewords, withTempDir, writePng } from "../reference.js";
import { core } from "../wasm.js";
import {
  plan,
  planSmallestSquare,
  readSymbol,
  SQUARES,
  squareWithCapacity,
  symbolFromCodewords,
  visualize,
} from "./plan.js";

describe("planEncodation vectors", () => {
  it.each(ENCODATION_VECTORS)("$name ($source)", ({ input, gs1, capacity, codewords }) => {
    const written = plan(input, gs1, capacity);
    expect(written && visualize(written)).toBe(codewords);
  });

  const smallest = ENCODATION_VECTORS.filter((v) => v.smallest);
  it.each(smallest)("$name: no smaller square size holds it", ({ input, gs1, capacity }) => {
    const smaller = SQUARES.filter((s) => s.capacity < capacity);
    for (const size of smaller) expect(plan(input, gs1, size.capacity)).toBeNull();
  });

  it.each(ENCODATION_VECTORS)("$name: zxing-wasm reads the input back", async (vector) => {
    const size = squareWithCapacity(vector.capacity);
    const written = plan(vector.input, vector.gs1, vector.capacity);
    const modules = symbolFromCodewords(written?.length ?? -1, size);
    const read = await readSymbol(size.rows, size.columns, modules);
    expect(read.text).toBe(vector.input);
    expect(read.symbologyIdentifier).toBe(vector.gs1 ? "]d2" : "]d1");
  });

  it("libdmtx (dmtxread -c) finds each row's codewords, then pads; ZXingReader 1.4 its bytes", async () => {
    await withTempDir(async (dir) => {
      for (const [i, vector] of ENCODATION_VECTORS.entries()) {
        const size = squareWithCapacity(vector.capacity);
        const written = plan(vector.input, vector.gs1, vector.capacity) ?? [];
        const file = `${dir}/${i}.png`;
        await writePng(file, size.rows, size.columns, symbolFromCodewords(written.length, size));
        const { data } = parseCodewords(dmtxread(file, true));
        expect(visualize(data.slice(0, written.length)), vector.name).toBe(vector.codewords);
        expect(data.length, vector.name).toBe(vector.capacity);
        const bytes = execFileSync("ZXingReader", ["-bytes", "-format", "DataMatrix", file]);
        expect(bytes.toString("latin1"), vector.name).toBe(vector.input);
      }
    });
  });
});

describe("planEncodation contract", () => {
  it("refuses a negative length, a length above the input region, and a negative capacity", () => {
    const at = core.inputOffset();
    expect(core.planEncodation(at, -1, false, 10, core.codewordsOffset())).toBe(-1);
    expect(core.planEncodation(at, 3117, false, 1558, core.codewordsOffset())).toBe(-1);
    expect(plan("A", false, -1)).toBeNull();
  });

  it("writes only FNC1 for empty GS1 input, and nothing for empty plain input", () => {
    expect(plan("", true, 3)).toEqual([232]);
    expect(plan("", false, 3)).toEqual([]);
  });

  it("gives the same codewords when the same input is planned again after another one", () => {
    const first = plan("10LOT-A001\x1d21ABC", true, 22);
    plan("21abcdefghijklmnop", true, 22);
    expect(plan("10LOT-A001\x1d21ABC", true, 22)).toEqual(first);
  });

  it("re-plans when the bytes change but the address and length do not", () => {
    expect(plan("AIMAIM", false, 5)).toEqual([230, 91, 11, 91, 11]);
    expect(plan("aimaim", false, 5)).toEqual([239, 91, 11, 91, 11]);
  });
});

/** ASCII codewords of `input` alone (the baseline planner): pairs of digits, 2 above 127. */
function asciiOnly(input: string, gs1: boolean): number {
  let count = gs1 ? 1 : 0;
  for (let i = 0; i < input.length; i++) {
    const digit = (k: number) => k < input.length && input[k] >= "0" && input[k] <= "9";
    if (digit(i) && digit(i + 1)) i++;
    else if (input.charCodeAt(i) > 127) count++;
    count++;
  }
  return count;
}

describe("planEncodation properties (fast-check, seed 20261127, 400 runs)", () => {
  const byte = fc.constantFrom(...`${CSET82}\x1d\r \xc1\xe9`.split(""));
  const inputs = fc.tuple(fc.string({ unit: byte, maxLength: 60 }), fc.boolean());

  it("never needs a larger square, nor more codewords in it, than ASCII alone", () => {
    fc.assert(
      fc.property(inputs, ([input, gs1]) => {
        const ascii = asciiOnly(input, gs1);
        const asciiSize = SQUARES.find((s) => s.capacity >= ascii);
        if (!asciiSize) return;
        expect(planSmallestSquare(input, gs1).size.capacity).toBeLessThanOrEqual(
          asciiSize.capacity,
        );
        expect(plan(input, gs1, asciiSize.capacity)?.length).toBeLessThanOrEqual(ascii);
      }),
      { seed: 20261127, numRuns: 400 },
    );
  });
});
