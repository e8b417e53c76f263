import { describe, expect, it } from "vitest";
import { checkCsum, computeCheckDigit, GTIN_LENGTHS, toGtin14 } from "../../src/gs1/gtin.js";
import { zintLint } from "../helpers/zint.js";

// Valid GTINs, each with its GTIN-14 form. Check digits are also confirmed by zint's csum
// linter below, so no row rests on our own arithmetic alone.
const VALID = [
  {
    gtin: "00012345678905",
    gtin14: "00012345678905",
    source: "published API example (DataMatrixPayload)",
  },
  {
    gtin: "09506000134352",
    gtin14: "09506000134352",
    source: "GS1 Digital Link standard example GTIN",
  },
  {
    gtin: "10012345678902",
    gtin14: "10012345678902",
    source: "GTIN-14 with indicator 1, hand-computed",
  },
  {
    gtin: "4006381333931",
    gtin14: "04006381333931",
    source: "EAN-13, Wikipedia 'International Article Number' example",
  },
  {
    gtin: "5901234123457",
    gtin14: "05901234123457",
    source: "EAN-13, Wikipedia barcode illustration",
  },
  {
    gtin: "036000291452",
    gtin14: "00036000291452",
    source: "UPC-A, Wikipedia 'Universal Product Code' example",
  },
  { gtin: "96385074", gtin14: "00000096385074", source: "EAN-8, Wikipedia 'EAN-8' example" },
  {
    gtin: "12345670",
    gtin14: "00000012345670",
    source: "EAN-8, hand-computed (3+2+9+4+15+6+21 = 60)",
  },
];

describe("computeCheckDigit", () => {
  it.each(VALID)("gives the last digit of $gtin ($source)", ({ gtin }) => {
    expect(computeCheckDigit(gtin.slice(0, -1))).toBe(Number(gtin.at(-1)));
  });

  it("is unchanged by leading zeros (GTIN-13 vs its GTIN-14 form)", () => {
    expect(computeCheckDigit("400638133393")).toBe(computeCheckDigit("0400638133393"));
  });

  it("weights the rightmost data digit 3: 1 → 7, 10 → 9, 0 → 0 (hand-computed)", () => {
    expect(computeCheckDigit("1")).toBe(7);
    expect(computeCheckDigit("10")).toBe(9);
    expect(computeCheckDigit("0")).toBe(0);
  });

  it.each(["", "12a", " 1", "١٢"])("throws RangeError for %j", (data) => {
    expect(() => computeCheckDigit(data)).toThrow(RangeError);
  });
});

describe("checkCsum", () => {
  it.each(VALID)("accepts $gtin", ({ gtin }) => {
    const digit = Number(gtin.at(-1));
    expect(checkCsum(gtin)).toEqual({ valid: true, checkDigit: digit, expected: digit });
  });

  it.each(VALID)("rejects $gtin with every other last digit", ({ gtin }) => {
    const expected = Number(gtin.at(-1));
    for (let d = 0; d < 10; d++) {
      if (d === expected) continue;
      expect(checkCsum(gtin.slice(0, -1) + d)).toEqual({ valid: false, checkDigit: d, expected });
    }
  });

  // zint's own csum linter reports the digit it expected: an independent implementation.
  it.each(VALID)("finds the same expected digit as zint for a corrupted $gtin14", ({ gtin14 }) => {
    expect(zintLint(`[01]${gtin14}[10]A`).message).toBeNull();
    const wrong = (Number(gtin14.at(-1)) + 1) % 10;
    const verdict = zintLint(`[01]${gtin14.slice(0, -1)}${wrong}[10]A`);
    const zintExpected = verdict.message?.match(
      /AI \(01\) position 14: Bad checksum '(\d)', expected '(\d)'/,
    );
    expect(zintExpected, verdict.message ?? "no warning").not.toBeNull();
    expect(checkCsum(gtin14.slice(0, -1) + wrong).expected).toBe(Number(zintExpected?.[2]));
  });

  it.each(["", "7", "12a", "1234 "])("throws RangeError for %j", (digits) => {
    expect(() => checkCsum(digits)).toThrow(RangeError);
  });
});

describe("toGtin14", () => {
  it("knows the four GTIN lengths", () => {
    expect(GTIN_LENGTHS).toEqual([8, 12, 13, 14]);
  });

  it.each(VALID)("pads $gtin to $gtin14", ({ gtin, gtin14 }) => {
    expect(toGtin14(gtin)).toBe(gtin14);
  });

  it("does not verify the check digit", () => {
    expect(toGtin14("4006381333932")).toBe("04006381333932");
  });

  it.each([
    "",
    "1234567",
    "123456789",
    "12345678901",
    "123456789012345",
    "0001234567890X",
    " 4006381333931",
  ])("throws RangeError for %j", (gtin) => {
    expect(() => toGtin14(gtin)).toThrow(RangeError);
  });
});
