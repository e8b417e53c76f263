// Mask choice (assembly/qr/mask-choice.ts): the packed scorer the encoder uses gives the same
// penalty as the plain per-module scorer (assembly/qr/mask.ts penaltyScore, the four rules of
// ISO/IEC 18004:2015 7.8.3.1 written module by module) for every mask of symbols of every size,
// and the encoder picks the lowest (the first on a tie).
import { describe, expect, it } from "vitest";
import { core, memoryBytes } from "./wasm.js";

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("QR mask choice", () => {
  it("scores all 8 masks as the per-module scorer does, versions 1-40, and picks the lowest", () => {
    const next = random(7);
    const versions = new Set<number>();
    for (let n = 0; n < 160; n++) {
      const level = n % 4;
      const length = 1 + Math.floor(next() ** 2 * [2900, 2300, 1600, 1250][level]);
      const bytes = Uint8Array.from({ length }, () => 32 + Math.floor(next() * 95));
      memoryBytes().set(bytes, core.qrInputOffset());
      expect(core.qrEncode(length, level, 0, -1)).toBe(0);
      const chosen = core.qrMask();
      versions.add(core.qrVersion());
      core.qrPrepareScoring(level);
      const packed = Array.from({ length: 8 }, (_, m) => core.qrScorePacked(m));
      const bytewise = Array.from({ length: 8 }, (_, m) => core.qrScoreBytes(m));
      expect(packed, `version ${core.qrVersion()} level ${level}`).toEqual(bytewise);
      expect(chosen).toBe(packed.indexOf(Math.min(...packed)));
      expect(new Set(packed).size).toBeGreaterThan(1);
    }
    expect(versions.size).toBeGreaterThanOrEqual(30);
  });
});
