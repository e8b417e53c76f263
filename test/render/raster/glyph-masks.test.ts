// src/render/raster/glyph-masks.ts: each mask is compared with an exact rasterisation of the same
// outline table written here a different way: curves flattened 40x finer, each pixel's coverage
// the area of the glyph's contours clipped to the pixel square (Sutherland-Hodgman, shoelace),
// not a running sum of edge contributions. No font file, system font or library is involved.
import { describe, expect, it } from "vitest";
import { HRI_FIRST_CODE, HRI_GLYPHS } from "../../../src/render/hri-font.generated.js";
import { CLOSE, CUBIC, glyphOutline, LINE } from "../../../src/render/hri-outlines.js";
import {
  clearGlyphCache,
  GLYPH_PHASES,
  glyphCacheUsage,
  glyphFace,
  rasteriseGlyph,
} from "../../../src/render/raster/glyph-masks.js";

type Point = [number, number];

/** The outline of `code` as closed polygons in pixels (y down), curves in 400 chords each. */
function polygons(code: number, pxPerUnit: number, ox: number, oy: number): Point[][] {
  const { ops, coords } = glyphOutline(code);
  const at = (i: number): Point => [ox + coords[i] * pxPerUnit, oy - coords[i + 1] * pxPerUnit];
  const result: Point[][] = [];
  let current: Point[] = [];
  let c = 0;
  for (const op of ops) {
    if (op === CLOSE) {
      result.push(current);
      current = [];
    } else if (op === CUBIC) {
      const p0 = current[current.length - 1];
      const [p1, p2, p3] = [at(c), at(c + 2), at(c + 4)];
      for (let k = 1; k <= 400; k++) {
        const t = k / 400;
        const s = 1 - t;
        current.push([
          s * s * s * p0[0] + 3 * s * s * t * p1[0] + 3 * s * t * t * p2[0] + t * t * t * p3[0],
          s * s * s * p0[1] + 3 * s * s * t * p1[1] + 3 * s * t * t * p2[1] + t * t * t * p3[1],
        ]);
      }
      c += 6;
    } else {
      if (op !== LINE) current = [];
      current.push(at(c));
      c += 2;
    }
  }
  return result;
}

/** Clips `poly` to the half-plane where `inside` holds, cutting edges at `cut`. */
function clip(
  poly: Point[],
  inside: (p: Point) => boolean,
  cut: (a: Point, b: Point) => Point,
): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i];
    const b = poly[(i + 1) % poly.length];
    if (inside(a)) {
      out.push(a);
      if (!inside(b)) out.push(cut(a, b));
    } else if (inside(b)) out.push(cut(a, b));
  }
  return out;
}

/** Signed area of `poly` inside the pixel square (x, y)-(x+1, y+1). */
function areaInPixel(poly: Point[], x: number, y: number): number {
  const atX =
    (v: number) =>
    (a: Point, b: Point): Point => [v, a[1] + ((b[1] - a[1]) * (v - a[0])) / (b[0] - a[0])];
  const atY =
    (v: number) =>
    (a: Point, b: Point): Point => [a[0] + ((b[0] - a[0]) * (v - a[1])) / (b[1] - a[1]), v];
  let p = clip(poly, (q) => q[0] >= x, atX(x));
  p = clip(p, (q) => q[0] <= x + 1, atX(x + 1));
  p = clip(p, (q) => q[1] >= y, atY(y));
  p = clip(p, (q) => q[1] <= y + 1, atY(y + 1));
  let area = 0;
  for (let i = 0; i < p.length; i++) {
    const [x0, y0] = p[i];
    const [x1, y1] = p[(i + 1) % p.length];
    area += x0 * y1 - x1 * y0;
  }
  return area / 2;
}

/** Compares the mask of `code` with the exact coverage; returns the largest difference. */
function largestDifference(code: number, pxPerUnit: number, ox: number, oy: number): number {
  const mask = rasteriseGlyph(glyphOutline(code), pxPerUnit, ox, oy);
  const polys = polygons(code, pxPerUnit, ox, oy);
  let xs = [0, 0];
  let ys = [0, 0];
  if (polys.length > 0) {
    const all = polys.flat();
    xs = [
      Math.floor(Math.min(...all.map((p) => p[0]))),
      Math.ceil(Math.max(...all.map((p) => p[0]))),
    ];
    ys = [
      Math.floor(Math.min(...all.map((p) => p[1]))),
      Math.ceil(Math.max(...all.map((p) => p[1]))),
    ];
  }
  let worst = 0;
  for (let y = ys[0] - 1; y <= ys[1]; y++) {
    for (let x = xs[0] - 1; x <= xs[1]; x++) {
      let area = 0;
      for (const poly of polys) area += areaInPixel(poly, x, y);
      const exact = Math.min(1, Math.abs(area)) * 255;
      const r = y - mask.top;
      const k = x - mask.left;
      const inside = r >= 0 && k >= 0 && r < mask.height && k < mask.width;
      const got = inside ? mask.coverage[r * mask.width + k] : 0;
      worst = Math.max(worst, Math.abs(got - exact));
    }
  }
  return worst;
}

const PRINTABLE = Array.from({ length: HRI_GLYPHS.length }, (_, i) => HRI_FIRST_CODE + i);

/** Returns the glyph of `chars` whose mask differs most from the exact coverage, and by how much. */
function worstOf(chars: string, pxPerUnit: number, ox: number, oy: number): [string, number] {
  let worst: [string, number] = ["", 0];
  for (const c of chars) {
    const d = largestDifference(c.charCodeAt(0), pxPerUnit, ox, oy);
    if (d > worst[1]) worst = [c, d];
  }
  return worst;
}

// Within 6/255: a chord strays at most 1/64 px from its curve, which moves an edge pixel's
// coverage by at most 255/64 = 4; the bytes are rounded (0.5), and the reference's chords add
// their own 1/40 of that. Measured worst: 3.1 (72 dpi) to 5.0 (1200 dpi).
const TOLERANCE = 6;

describe("rasteriseGlyph", () => {
  it("matches the exact coverage of every printable glyph at 300 dpi (33 px an em)", () => {
    const all = PRINTABLE.map((code) => String.fromCharCode(code)).join("");
    const [, worst] = worstOf(all, (8 * 300) / 72 / 1000, 0.40625, 0.71875);
    expect(worst).toBeLessThanOrEqual(TOLERANCE);
  });

  it.each([
    ["72 dpi", (8 * 72) / 72 / 1000],
    ["203 dpi", (8 * 203) / 72 / 1000],
    ["1200 dpi", (8 * 1200) / 72 / 1000],
  ])("matches at %s and at other sub-pixel origins", (_name, pxPerUnit) => {
    for (const [ox, oy] of [
      [0, 0],
      [0.96875, 0.5],
      [0.125, 0.03125],
    ]) {
      const [glyph, worst] = worstOf("(0A8g_)/%&@", pxPerUnit, ox, oy);
      expect({ glyph, ox, oy, within: worst <= TOLERANCE }).toEqual({
        glyph,
        ox,
        oy,
        within: true,
      });
    }
  });

  it("leaves a space empty and covers a stem's interior fully", () => {
    expect(rasteriseGlyph(glyphOutline(0x20), 0.1, 0, 0).width).toBe(0);
    // "l" at 1200 dpi: its stem is ~10 px wide, so full pixels exist.
    const mask = rasteriseGlyph(glyphOutline(0x6c), (8 * 1200) / 72 / 1000, 0, 0);
    expect(Math.max(...mask.coverage)).toBe(255);
  });
});

describe("glyphFace", () => {
  it("rasterises a mask once, at the phase its key names, and counts it once", () => {
    clearGlyphCache();
    const pxPerUnit = (8 * 300) / 72 / 1000;
    const face = glyphFace(pxPerUnit, 8);
    const key = 0x41 * GLYPH_PHASES + 5;
    const mask = face.get(key);
    expect(face.get(key)).toBe(mask);
    expect(mask).toEqual(rasteriseGlyph(glyphOutline(0x41), pxPerUnit, 5 / 32, 8 / 32));
    expect(glyphCacheUsage()).toEqual({ faces: 1, bytes: mask.coverage.length + 64 });
    expect(glyphFace(pxPerUnit, 8)).toBe(face);
    expect(() => face.get(0x7f * GLYPH_PHASES)).toThrow(RangeError);
  });
});
