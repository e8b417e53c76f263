// The library's payload-to-symbol layer: what encode() returns and how it refuses.
import { describe, expect, it } from "vitest";
import { encode, ValidationError } from "../src/index.js";
import { decodeMatrix } from "./helpers/decode.js";

const EXAMPLE = { gtin: "00012345678905", lot: "LOT-A001", serial: "SN-0001", expiry: "270630" };

function issuesOf(payload: unknown) {
  try {
    encode(payload);
  } catch (err) {
    if (err instanceof ValidationError) return err.issues;
    throw err;
  }
  throw new Error("expected a ValidationError");
}

describe("encode()", () => {
  it("returns the published example as a square symbol that zxing-wasm reads back", async () => {
    const s = encode(EXAMPLE);
    expect(s.elementString).toBe("01000123456789051727063010LOT-A001\x1d21SN-0001");
    expect(s.hri).toBe("(01) 00012345678905 (17) 270630 (10) LOT-A001 (21) SN-0001");
    expect(s.hriLines).toEqual([
      "(01) 00012345678905",
      "(17) 270630",
      "(10) LOT-A001",
      "(21) SN-0001",
    ]);
    expect(s.rows).toBe(s.columns);
    expect(s.modules.length).toBe(s.rows * s.columns);
    const d = await decodeMatrix(s.rows, s.columns, s.modules);
    expect([d.text, d.symbologyIdentifier]).toEqual([s.elementString, "]d2"]);
  });

  it("normalises GTIN-13 to GTIN-14 in the element string", () => {
    expect(encode({ gtin: "4006381333931", lot: "A" }).elementString).toBe(
      "01040063813339311" + "0A",
    );
  });

  it("gives a rectangle when asked and the data fits one", async () => {
    const s = encode({ ...EXAMPLE, shape: "rectangle" });
    expect(s.rows).toBeLessThan(s.columns);
    const d = await decodeMatrix(s.rows, s.columns, s.modules);
    expect(d.text).toBe(s.elementString);
  });

  it("refuses a rectangle too small for two 20-character fields, naming the square that fits", () => {
    // Punctuation costs a byte per character in every mode (C40/Text need a shift for each),
    // so this needs about 56 data codewords; the largest ISO rectangle, 16x48, holds 49.
    const payload = {
      gtin: "00012345678905",
      expiry: "270630",
      lot: "!%&'()*+,-./:;<=>?_\"",
      serial: "\"_?><=;:/.-,+*)('&%!",
      shape: "rectangle",
    };
    const square = encode({ ...payload, shape: "square" });
    expect(issuesOf(payload)).toEqual([
      {
        field: "shape",
        value: "rectangle",
        rule: "capacity",
        message: `shape "rectangle" has no symbol large enough for this data; the smallest square that holds it is ${square.rows}x${square.columns}.`,
      },
    ]);
    // DMRE rectangles are larger: the same data fits when the caller allows them.
    const dmre = encode({ ...payload, shape: "dmre" });
    expect(dmre.rows).toBeLessThan(dmre.columns);
  });

  it("reports GS1 and rendering problems together, and a non-object once", () => {
    const issues = issuesOf({ gtin: "00012345678906", lot: "LOT A", dpi: "300" });
    expect(issues.map((i) => [i.field, i.rule])).toEqual([
      ["gtin", "csum"],
      ["lot", "cset82"],
      ["dpi", expect.any(String)],
    ]);
    expect(issuesOf("gtin=1").map((i) => [i.field, i.rule])).toEqual([[null, "object_type"]]);
  });
});
