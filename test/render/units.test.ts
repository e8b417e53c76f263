// src/render/units.ts: millimetres, points and whole printer dots per module.
import { describe, expect, it } from "vitest";
import { moduleSizePt, pixelsPerModule } from "../../src/render/units.js";

describe("unit conversions", () => {
  it("converts the module size to points (72 pt per 25.4 mm)", () => {
    expect(moduleSizePt({ xdimMm: 25.4 })).toBe(72);
    expect(moduleSizePt({ xdimMm: 0.38 })).toBeCloseTo(1.077165, 6);
  });

  // Hand-computed: dots = xdim_mm × dpi / 25.4, rounded, kept within 0.254–1.5 mm.
  it.each([
    [0.38, 300, 4], // 4.49 dots → 4 (0.339 mm)
    [0.38, 600, 9], // 8.98 → 9 (0.381 mm)
    [0.38, 203, 3], // 3.04 → 3 (0.375 mm)
    [0.254, 300, 3], // 3.0 exactly
    [0.99, 300, 12], // 11.69 → 12
    [0.254, 120, 2], // 1.2 → 1 would be 0.212 mm, below GS1's 0.254: 2 (0.423 mm)
    [0.254, 72, 1], // 0.72 → 1 (0.353 mm)
    [1.5, 1200, 70], // 70.87 → 71 would be 1.503 mm, above GS1's 1.5: 70
  ])("gives %s mm at %s dpi %s pixels per module", (xdimMm, dpi, ppm) => {
    expect(pixelsPerModule({ xdimMm, dpi })).toBe(ppm);
  });
});
