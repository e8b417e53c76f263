import { describe, expect, it } from "vitest";
import { layoutPicture } from "../../src/render/layout.js";
import { DEFAULT_RENDER_OPTIONS, type RenderOptions } from "../../src/render/options.js";
import { HRI_22 } from "./fixtures.js";

const symbol22 = { rows: 22, columns: 22, modules: new Uint8Array(484) };
const withHri: RenderOptions = { ...DEFAULT_RENDER_OPTIONS, hri: true };

describe("layoutPicture", () => {
  it("is the symbol plus the quiet zone on every side without HRI lines", () => {
    const layout = layoutPicture(
      { rows: 16, columns: 48, modules: new Uint8Array(768) },
      {
        ...DEFAULT_RENDER_OPTIONS,
        quietZoneModules: 3,
      },
      [],
    );
    expect(layout).toEqual({
      width: 54,
      height: 22,
      symbolX: 3,
      symbolY: 3,
      lines: [],
      fontSize: 0,
      textCenterX: 0,
      baselines: [],
    });
  });

  it("widens the picture to the text and centres the symbol on whole modules", () => {
    // Hand-computed: 8 pt / (0.38 mm = 1.077165 pt) = 7.42690 modules per em; the longest line
    // has 19 characters × 0.723 em (OCR-B's advance, 723/1000) = 102.02 modules → 103, + 2 × 2
    // quiet = 107 wide (whole modules).
    const layout = layoutPicture(symbol22, withHri, HRI_22);
    expect(layout.fontSize).toBeCloseTo(7.4269, 4);
    expect(layout.width).toBe(107);
    expect(layout.symbolX).toBe(2 + Math.floor((107 - 26) / 2));
    expect(layout.symbolY).toBe(2);
    expect(layout.textCenterX).toBe(53.5);
    // OCR-B's OS/2 metrics: ascender 800, descender -200, line gap 90 (per 1000). First baseline
    // half a gap plus the ascender (0.845 em) under the bottom quiet zone (row 26), then every
    // 1.09 em.
    expect(layout.baselines.map((b) => Number(b.toFixed(3)))).toEqual([
      32.276, 40.371, 48.466, 56.562,
    ]);
    // Text ends at 26 + 4 × 1.09 em = 58.38 → 59, then a 2-module margin.
    expect(layout.height).toBe(61);
    expect(layout.lines).toEqual(HRI_22);
  });

  it("keeps the symbol's width when the text is narrower (1.5 mm modules)", () => {
    const layout = layoutPicture(
      { rows: 32, columns: 32, modules: new Uint8Array(1024) },
      {
        ...withHri,
        xdimMm: 1.5,
      },
      HRI_22,
    );
    expect([layout.width, layout.symbolX]).toEqual([36, 2]);
  });

  it("prints exactly the lines it is given (none: no text area), and only printable ASCII", () => {
    // The hri flag is the caller's decision (prepare.ts hriLinesOf); here only the lines count.
    const plain = layoutPicture(symbol22, { ...withHri, hri: false });
    expect(layoutPicture(symbol22, withHri)).toEqual(plain);
    expect(layoutPicture(symbol22, withHri, [])).toEqual(plain);
    expect(plain.lines).toEqual([]);
    expect(() => layoutPicture(symbol22, withHri, ["(10) A\x1dB"])).toThrow(
      new RangeError('HRI line "(10) A\\u001dB" is not printable ASCII'),
    );
    expect(() => layoutPicture(symbol22, withHri, ["(10) é"])).toThrow(RangeError);
  });
});
