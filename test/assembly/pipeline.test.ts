// Every size filled to capacity through pad → ECC → placement → frame (assembly/pipeline.ts),
// read back by independent decoders: zxing-wasm (zxing-cpp 2.x) for all 48, dmtxread for 144x144.
import { describe, expect, it } from "vitest";
import { ShapeMask } from "../../src/engine/abi.js";
import { decodeMatrix } from "../helpers/decode.js";
import { dmtxread, withTempDir, writePng } from "./reference.js";
import {
  core,
  digitPairCodewords,
  digitString,
  matrixModules,
  sizes,
  writeCodewords,
} from "./wasm.js";

const FNC1 = 232;

function fill(codewords: number[], index: number): Uint8Array {
  writeCodewords(codewords);
  expect(core.encodeCodewordsInSize(codewords.length, index)).toBe(0);
  expect(core.dataLength()).toBe(codewords.length);
  return matrixModules();
}

describe("every size filled to capacity", () => {
  it.each(sizes().map((s) => ({ name: s.name, s })))(
    "$name decodes with zxing-wasm, plain and GS1",
    async ({ s }) => {
      // zxing-cpp 2.x (as zxing-wasm 3.1 reports it) adds 6 to the symbology identifier
      // modifier of DMRE symbols: "]d7" plain, "]d8" GS1, where ISO sizes give "]d1" and "]d2".
      const dmre = s.family === ShapeMask.DMRE;
      const digits = digitString(s.capacity, s.index);
      const plain = await decodeMatrix(
        s.rows,
        s.columns,
        fill(digitPairCodewords(digits), s.index),
      );
      expect(plain.text).toBe(digits);
      expect(plain.symbologyIdentifier).toBe(dmre ? "]d7" : "]d1");

      const gs1Digits = digits.slice(0, 2 * (s.capacity - 1));
      const gs1 = await decodeMatrix(
        s.rows,
        s.columns,
        fill([FNC1, ...digitPairCodewords(gs1Digits)], s.index),
      );
      expect(gs1.text).toBe(gs1Digits);
      expect(gs1.symbologyIdentifier).toBe(dmre ? "]d8" : "]d2");
    },
  );

  it("144x144 (ISO interleave) decodes with libdmtx 0.7.5 dmtxread", async () => {
    const s = sizes().find((t) => t.name === "144x144");
    if (!s) throw new Error("no 144x144");
    const digits = digitString(s.capacity, 11);
    const modules = fill(digitPairCodewords(digits), s.index);
    await withTempDir(async (dir) => {
      await writePng(`${dir}/144.png`, s.rows, s.columns, modules);
      expect(dmtxread(`${dir}/144.png`)).toBe(digits);
    });
  });
});
