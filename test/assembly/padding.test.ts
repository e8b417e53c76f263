// Pad codewords after the data (assembly/padding.ts).
import { describe, expect, it } from "vitest";
import { dmtxwrite } from "./reference.js";
import { core, readCodewords, sizeNamed, writeCodewords } from "./wasm.js";

describe("padCodewords", () => {
  it("writes 129 first, then the 253-state pads (hand-computed; libdmtx 0.7.5 agrees)", () => {
    // "1" in 12x12 is codeword 50 then 4 pads at positions 2..5:
    // P=3: 129 + (447 mod 253 = 194) + 1 = 324 → 70; P=4: 129 + 90 + 1 = 220;
    // P=5: 129 + (745 mod 253 = 239) + 1 = 369 → 115. dmtxwrite -c prints 50 129 70 220 115.
    writeCodewords([50]);
    core.padCodewordList(1, 5);
    expect(readCodewords(5)).toEqual([50, 129, 70, 220, 115]);
  });

  it("leaves a full symbol alone", () => {
    writeCodewords([142, 164, 186, 7]);
    core.padCodewordList(3, 3);
    expect(readCodewords(4)).toEqual([142, 164, 186, 7]);
  });

  it.each(["10x10", "24x24", "52x52", "16x48", "144x144"])(
    'pads "A" in %s exactly as libdmtx 0.7.5 dmtxwrite -c does',
    (name) => {
      const s = sizeNamed(name);
      const ref = dmtxwrite("A", name);
      expect(ref.data[0]).toBe(66);
      writeCodewords([66]);
      core.padCodewordList(1, s.capacity);
      expect(readCodewords(s.capacity)).toEqual(ref.data);
    },
  );
});
