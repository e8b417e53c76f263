import { describe, expect, it } from "vitest";
import { decodeMatrix } from "./decode.js";
import { zintGs1 } from "./zint.js";

describe("test helpers", () => {
  it("decode a zint symbol with zxing-wasm back to its element string", async () => {
    const s = zintGs1("[01]00012345678905[17]270630[10]LOT-A001[21]SN-0001");
    expect([s.rows, s.columns]).toEqual([22, 22]);
    const d = await decodeMatrix(s.rows, s.columns, s.modules);
    expect(d.symbologyIdentifier).toBe("]d2");
    expect(d.text).toBe("01000123456789051727063010LOT-A001\x1d21SN-0001");
  });
});
