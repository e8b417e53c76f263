// src/render/linear/layout.ts over the whole option space: whatever the sizes, the text's ink
// (the OCR-B outlines as drawn: origin, size, control points) stays inside the picture, never
// touches a bar, and no two characters touch.
import { describe, expect, it } from "vitest";
import { Linear, LinearFlag } from "../../../src/engine/abi.js";
import { encodeLinearRuns, type LinearRuns } from "../../../src/engine/linear.js";
import { glyphOutline } from "../../../src/render/hri-outlines.js";
import { layoutLinear } from "../../../src/render/linear/layout.js";

const SYMBOLS: [string, Linear, string, number, string?][] = [
  ["EAN-13", Linear.EAN13, "5901234123457", 0],
  ["EAN-8", Linear.EAN8, "96385074", 0],
  ["UPC-A", Linear.UPCA, "036000291452", 0],
  ["UPC-E", Linear.UPCE, "04252614", 0],
  ["ITF-14", Linear.ITF14, "15400141288763", 3 << 8],
  [
    "GS1-128",
    Linear.CODE128,
    "0109506000134352\x1d10ABC",
    LinearFlag.GS1,
    "(01)09506000134352(10)ABC",
  ],
  ["Code 39", Linear.CODE39, "CODE-39", 3 << 8],
];

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

// The ink box of each drawn character in mm (y down), from its outline's control points.
function inkBoxes(layout: ReturnType<typeof layoutLinear>): Box[] {
  const unit = layout.emMm / 1000;
  return layout.glyphs.flatMap((g) => {
    const { coords } = glyphOutline(g.code);
    if (coords.length === 0) return [];
    const xs = coords.filter((_, i) => i % 2 === 0);
    const ys = coords.filter((_, i) => i % 2 === 1);
    const ox = g.x * layout.moduleMm;
    return [
      {
        left: ox + Math.min(...xs) * unit,
        right: ox + Math.max(...xs) * unit,
        top: g.baselineMm - Math.max(...ys) * unit,
        bottom: g.baselineMm - Math.min(...ys) * unit,
      },
    ];
  });
}

describe.each(SYMBOLS)("%s", (_name, symbology, data, flags, hri) => {
  const runs = encodeLinearRuns(symbology, data, flags) as LinearRuns;
  const cases = [4, 6, 8, 10, 16, 24].flatMap((fontSizePt) =>
    [0.1, 0.33, 1].flatMap((moduleWidthMm) =>
      [0, 6.5].map((quietZoneMm) => ({ fontSizePt, moduleWidthMm, quietZoneMm })),
    ),
  );

  it.each(cases)("keeps the text inside, off the bars and apart at %o", (size) => {
    const layout = layoutLinear(
      runs,
      { ...size, moduleHeightMm: 10, writeText: true, bwrMm: 0 },
      hri,
    );
    const width = layout.widthModules * layout.moduleMm;
    const boxes = inkBoxes(layout);
    expect(boxes.length).toBeGreaterThan(0);
    const eps = 1e-9;
    for (const b of boxes) {
      expect(b.left).toBeGreaterThanOrEqual(-eps);
      expect(b.right).toBeLessThanOrEqual(width + eps);
      expect(b.bottom).toBeLessThanOrEqual(layout.heightMm + eps);
      for (const r of layout.rects) {
        const rx = r.x * layout.moduleMm;
        const across = b.left < rx + r.width * layout.moduleMm && b.right > rx;
        const down = b.top < r.yMm + r.heightMm && b.bottom > r.yMm;
        expect(across && down, `glyph ${JSON.stringify(b)} meets bar ${JSON.stringify(r)}`).toBe(
          false,
        );
      }
    }
    const sorted = [...boxes].sort((a, b) => a.left - b.left);
    for (let i = 1; i < sorted.length; i++)
      expect(sorted[i].left).toBeGreaterThan(sorted[i - 1].right);
  });
});

// The compact layout (layout.ts, COMPACT_BELOW_PT): below 8 pt the text's top sits X × pt / 8
// under the bars (0.5X at 4 pt) instead of 1X; from 8 pt on, 1X. Measured on the drawn ink.
describe.each(SYMBOLS)("%s compact text below 8 pt", (_name, symbology, data, flags, hri) => {
  const runs = encodeLinearRuns(symbology, data, flags) as LinearRuns;
  const eanUpc = symbology <= Linear.UPCE;
  it.each([
    [4, 0.5],
    [6, 0.75],
    [7.5, 0.9375],
    [8, 1],
    [12, 1],
  ])("at %s pt the text's ink starts %sX under the bars", (fontSizePt, gapX) => {
    const moduleWidthMm = 0.33;
    const options = { fontSizePt, moduleWidthMm, quietZoneMm: 0, moduleHeightMm: 10, bwrMm: 0 };
    const layout = layoutLinear(runs, { ...options, writeText: true }, hri);
    const bottoms = layout.rects.map((r) => r.yMm + r.heightMm);
    // The bars' bottom: EAN/UPC's normal bars (the guards reach lower), else the lowest bar or
    // bearer bar.
    const barBottom = eanUpc ? Math.min(...bottoms) : Math.max(...bottoms);
    const textTop = Math.min(...inkBoxes(layout).map((b) => b.top));
    expect(textTop - barBottom).toBeCloseTo(gapX * moduleWidthMm, 9);
    // Only the text moves: the bars keep their widths, spacing and top (wide text may widen
    // the quiet zones evenly, shifting them all alike).
    const bare = layoutLinear(runs, { ...options, writeText: false }, hri);
    const place = (rects: typeof bare.rects) =>
      rects.map((r) => [r.x - rects[0].x, r.width, r.yMm]);
    expect(place(layout.rects)).toEqual(place(bare.rects));
  });
});
