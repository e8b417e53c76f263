// src/render/color.ts: the channels and luminance of "#rrggbb" colours.
import { describe, expect, it } from "vitest";
import { luminance, parseHexColor } from "../../src/render/color.js";

describe("colours", () => {
  it("parses #rrggbb into bytes", () => {
    expect(parseHexColor("#00aa33")).toEqual([0, 170, 51]);
  });

  it("gives the WCAG relative luminance: black 0, white 1, sRGB middle grey about 0.216", () => {
    expect(luminance("#000000")).toBe(0);
    expect(luminance("#ffffff")).toBeCloseTo(1, 10);
    expect(luminance("#808080")).toBeCloseTo(0.2159, 4);
  });
});
