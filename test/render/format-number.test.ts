// src/render/format-number.ts: numbers as they are written into SVG and PDF files.
import { describe, expect, it } from "vitest";
import { formatDecimal } from "../../src/render/format-number.js";

describe("formatDecimal", () => {
  it("formats decimals without exponent or trailing zeros", () => {
    expect(formatDecimal(26 * 0.38, 4)).toBe("9.88");
    expect(formatDecimal(26, 4)).toBe("26");
    expect(formatDecimal(1.0771653543, 6)).toBe("1.077165");
    expect(formatDecimal(-0.00001, 3)).toBe("0");
  });
});
