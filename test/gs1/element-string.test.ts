import { describe, expect, it } from "vitest";
import {
  AI,
  buildBracketed,
  buildElementString,
  buildHri,
  GS,
} from "../../src/gs1/element-string.js";
import type { Gs1Fields } from "../../src/gs1/payload.js";
import { decodeMatrix } from "../helpers/decode.js";
import { zintGs1 } from "../helpers/zint.js";

const fields = (f: Partial<Gs1Fields>): Gs1Fields => ({
  gtin: "00012345678905",
  expiry: null,
  lot: null,
  serial: null,
  ...f,
});

// Expected strings written out by hand from the GS1 rules (01 and 17 have predefined lengths,
// 10 and 21 do not; a separator follows a variable field only when another field follows).
const VECTORS = [
  {
    name: "all four elements",
    fields: fields({ expiry: "270630", lot: "LOT-A001", serial: "SN-0001" }),
    elementString: "01000123456789051727063010LOT-A001\x1d21SN-0001",
    hri: ["(01) 00012345678905", "(17) 270630", "(10) LOT-A001", "(21) SN-0001"],
    bracketed: "[01]00012345678905[17]270630[10]LOT-A001[21]SN-0001",
    source: "published API example; HRI from issue 2",
  },
  {
    name: "lot only: no separator at the end",
    fields: fields({ lot: "LOT-A001" }),
    elementString: "010001234567890510LOT-A001",
    hri: ["(01) 00012345678905", "(10) LOT-A001"],
    bracketed: "[01]00012345678905[10]LOT-A001",
    source: "hand-written from GS1 §7.8.4",
  },
  {
    name: "serial only",
    fields: fields({ serial: "SN-0001" }),
    elementString: "010001234567890521SN-0001",
    hri: ["(01) 00012345678905", "(21) SN-0001"],
    bracketed: "[01]00012345678905[21]SN-0001",
    source: "hand-written from GS1 §7.8.4",
  },
  {
    name: "expiry and serial: no separator after the fixed-length 17",
    fields: fields({ expiry: "270600", serial: "1" }),
    elementString: "01000123456789051727060021" + "1",
    hri: ["(01) 00012345678905", "(17) 270600", "(21) 1"],
    bracketed: "[01]00012345678905[17]270600[21]1",
    source: "hand-written from GS1 §7.8.4",
  },
  {
    name: "lot and serial without expiry: one separator between them",
    fields: fields({ gtin: "04006381333931", lot: "A", serial: "B" }),
    elementString: "010400638133393110A\x1d21B",
    hri: ["(01) 04006381333931", "(10) A", "(21) B"],
    bracketed: "[01]04006381333931[10]A[21]B",
    source: "hand-written from GS1 §7.8.4; GTIN from the EAN-13 Wikipedia example",
  },
  {
    name: "digits-only lot and serial that look like AIs",
    fields: fields({ expiry: "240229", lot: "17991231", serial: "0100012345678905" }),
    elementString: "0100012345678905172402291017991231\x1d210100012345678905",
    hri: ["(01) 00012345678905", "(17) 240229", "(10) 17991231", "(21) 0100012345678905"],
    bracketed: "[01]00012345678905[17]240229[10]17991231[21]0100012345678905",
    source: "hand-written; the separator is what keeps 21 apart from the lot",
  },
  {
    name: "parentheses and quotes in set 82 pass through",
    fields: fields({ lot: '(10)"x"', serial: "a_b/c%d" }),
    elementString: '010001234567890510(10)"x"\x1d21a_b/c%d',
    hri: ["(01) 00012345678905", '(10) (10)"x"', "(21) a_b/c%d"],
    bracketed: '[01]00012345678905[10](10)"x"[21]a_b/c%d',
    source: "hand-written; why the bracketed form, not the parenthesised one, is used for zint",
  },
];

describe("buildElementString, buildHri, buildBracketed", () => {
  it("use GS (0x1D) and the AIs 01, 17, 10, 21", () => {
    expect(GS).toBe("\x1d");
    expect(AI).toEqual({ GTIN: "01", EXPIRY: "17", LOT: "10", SERIAL: "21" });
  });

  it.each(VECTORS)("$name ($source)", (v) => {
    expect(buildElementString(v.fields)).toBe(v.elementString);
    expect(buildHri(v.fields)).toEqual(v.hri);
    expect(buildBracketed(v.fields)).toBe(v.bracketed);
  });

  it("never ends with GS and never starts with FNC1 or a symbology identifier", () => {
    for (const v of VECTORS) {
      const s = buildElementString(v.fields);
      expect(s.endsWith(GS)).toBe(false);
      expect(s.startsWith("01")).toBe(true);
    }
  });

  it("joins the HRI to the one-line form of issue 2", () => {
    expect(buildHri(VECTORS[0].fields).join(" ")).toBe(
      "(01) 00012345678905 (17) 270630 (10) LOT-A001 (21) SN-0001",
    );
  });

  it("treat an undefined element like null (JavaScript callers)", () => {
    const loose = { gtin: "00012345678905", lot: "A" } as unknown as Gs1Fields;
    expect(buildElementString(loose)).toBe("010001234567890510A");
    expect(buildHri(loose)).toEqual(["(01) 00012345678905", "(10) A"]);
    expect(buildBracketed(loose)).toBe("[01]00012345678905[10]A");
  });

  it.each([
    { name: "a GTIN-13", f: fields({ gtin: "4006381333931", lot: "A" }) },
    { name: "a non-digit GTIN", f: fields({ gtin: "0001234567890X", lot: "A" }) },
    { name: "a 5-digit expiry", f: fields({ expiry: "27063", lot: "A" }) },
    { name: "an empty lot", f: fields({ lot: "" }) },
    { name: "a 21-character serial", f: fields({ serial: "ABCDEFGHIJKLMNOPQRSTU" }) },
    { name: "a GS inside a lot", f: fields({ lot: "A\x1d21B" }) },
    { name: "a bracket inside a serial", f: fields({ serial: "A[10]B" }) },
  ])("throw RangeError for fields with $name", ({ f }) => {
    expect(() => buildElementString(f)).toThrow(RangeError);
    expect(() => buildHri(f)).toThrow(RangeError);
    expect(() => buildBracketed(f)).toThrow(RangeError);
  });
});

// Independent truth: zint parses the bracketed form itself and encodes a GS1 DataMatrix;
// zxing-cpp (zxing-wasm) decodes it. What the decoder reports after ]d2 must be our element string.
describe("the element string against zint and zxing-cpp", () => {
  it.each(VECTORS)("zint([bracketed]) decodes to buildElementString: $name", async (v) => {
    const symbol = zintGs1(buildBracketed(v.fields));
    const decoded = await decodeMatrix(symbol.rows, symbol.columns, symbol.modules);
    expect(decoded.symbologyIdentifier).toBe("]d2");
    expect(JSON.stringify(decoded.text)).toBe(JSON.stringify(buildElementString(v.fields)));
  });
});
