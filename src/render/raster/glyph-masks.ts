// HRI glyph coverage masks for the PNG renderer: the OCR-B outlines of ../hri-outlines.ts filled
// here with exact-area anti-aliasing (the signed-area accumulation of font-rs and stb_truetype),
// cached per size, baseline phase and horizontal phase, so a PNG with HRI is composed from masks.
// Plain arithmetic on doubles, no system library: the same pixels on every machine.

import { CLOSE, CUBIC, type GlyphOutline, glyphOutline, LINE } from "../hri-outlines.js";

/**
 * Sub-pixel positions kept per pixel, across and down: a glyph is drawn at most 1/64 px from its
 * exact place, which moves an edge pixel's coverage by at most 4/255, for at most 32 masks per
 * character and size instead of one per request.
 */
export const GLYPH_PHASES = 32;

/** Flattening tolerance of curves, in pixels: a chord strays at most this far from its curve. */
const FLATNESS_PX = 1 / 64;
/** At most this many chords per cubic, whatever its size (a 1200 dpi glyph needs ~20). */
const MAX_CHORDS = 64;

/**
 * Coverage bytes the cache keeps before dropping the least recently used faces: a face (one size
 * and baseline phase) with all 94 glyphs at all 32 phases is ~0.7 MB at 300 dpi and ~8 MB at
 * 1200 dpi; a label uses digits, a few letters and punctuation of it.
 */
export const GLYPH_CACHE_BYTES = 32 * 1024 * 1024;
// Per-mask bookkeeping counted against the budget besides its coverage bytes.
const MASK_OVERHEAD_BYTES = 64;

/** A glyph's anti-aliased coverage (0 = none, 255 = full), cropped to its ink. */
export interface GlyphMask {
  /** Offset of the mask's top-left pixel from the pixel that holds the glyph origin. */
  left: number;
  top: number;
  width: number;
  height: number;
  /** width × height bytes, row-major. */
  coverage: Uint8Array;
}

const EMPTY: GlyphMask = { left: 0, top: 0, width: 0, height: 0, coverage: new Uint8Array(0) };

/**
 * Returns the coverage of `outline` (font units, y up) drawn `pxPerUnit` px per font unit with
 * its origin at (`originX`, `originY`) px (y down) inside pixel (0, 0), so 0 <= origin < 1; left
 * and top count from that pixel. Nonzero winding for outlines whose contours do not overlap,
 * as the font's do: coverage is the absolute signed area, clamped to one pixel.
 */
export function rasteriseGlyph(
  outline: GlyphOutline,
  pxPerUnit: number,
  originX: number,
  originY: number,
): GlyphMask {
  const { ops, coords } = outline;
  if (ops.length === 0) return EMPTY;
  // Control points bound the curves: the accumulation grid covers them, one column spare.
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < coords.length; i += 2) {
    const x = originX + coords[i] * pxPerUnit;
    const y = originY - coords[i + 1] * pxPerUnit;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const left = Math.floor(minX);
  const top = Math.floor(minY);
  const width = Math.ceil(maxX) - left + 2;
  const height = Math.ceil(maxY) - top;
  const area = new Float64Array(width * height + 1);
  const grid = { area, width, height };

  // Points relative to the grid's corner; curves flattened into chords.
  const px = (u: number): number => originX + u * pxPerUnit - left;
  const py = (v: number): number => originY - v * pxPerUnit - top;
  let c = 0;
  let x = 0;
  let y = 0;
  let startX = 0;
  let startY = 0;
  for (const op of ops) {
    if (op === CLOSE) {
      addLine(grid, x, y, startX, startY);
      x = startX;
      y = startY;
    } else if (op === CUBIC) {
      const x1 = px(coords[c]);
      const y1 = py(coords[c + 1]);
      const x2 = px(coords[c + 2]);
      const y2 = py(coords[c + 3]);
      const x3 = px(coords[c + 4]);
      const y3 = py(coords[c + 5]);
      // Uniform steps: the chord error is at most 3/4 of the largest second difference / n².
      const dd = Math.max(
        Math.hypot(x - 2 * x1 + x2, y - 2 * y1 + y2),
        Math.hypot(x1 - 2 * x2 + x3, y1 - 2 * y2 + y3),
      );
      const n = Math.min(MAX_CHORDS, Math.max(1, Math.ceil(Math.sqrt((0.75 * dd) / FLATNESS_PX))));
      let prevX = x;
      let prevY = y;
      for (let k = 1; k <= n; k++) {
        const t = k / n;
        const s = 1 - t;
        const a = s * s * s;
        const b = 3 * s * s * t;
        const d = 3 * s * t * t;
        const e = t * t * t;
        const nx = k === n ? x3 : a * x + b * x1 + d * x2 + e * x3;
        const ny = k === n ? y3 : a * y + b * y1 + d * y2 + e * y3;
        addLine(grid, prevX, prevY, nx, ny);
        prevX = nx;
        prevY = ny;
      }
      x = x3;
      y = y3;
      c += 6;
    } else {
      const nx = px(coords[c]);
      const ny = py(coords[c + 1]);
      c += 2;
      if (op === LINE) addLine(grid, x, y, nx, ny);
      else {
        // A move closes nothing: the table closes every contour with Z before the next M.
        startX = nx;
        startY = ny;
      }
      x = nx;
      y = ny;
    }
  }
  return cropCoverage(grid, left, top);
}

interface Grid {
  area: Float64Array;
  width: number;
  height: number;
}

// Adds the signed area the edge (x0, y0)-(x1, y1) leaves to the right of it, per pixel row:
// in each row the edge's share goes to the cells it crosses (split by the trapezoid left of the
// edge in that cell) so that a running sum along the row is the winding-weighted coverage.
function addLine(grid: Grid, x0: number, y0: number, x1: number, y1: number): void {
  if (y0 === y1) return;
  const { area, width, height } = grid;
  let dir = 1;
  if (y0 > y1) {
    dir = -1;
    [x0, y0, x1, y1] = [x1, y1, x0, y0];
  }
  const dxdy = (x1 - x0) / (y1 - y0);
  let x = x0;
  if (y0 < 0) x -= y0 * dxdy;
  const last = Math.min(height, Math.ceil(y1));
  for (let row = Math.max(0, Math.floor(y0)); row < last; row++) {
    const start = row * width;
    const dy = Math.min(row + 1, y1) - Math.max(row, y0);
    const xNext = x + dxdy * dy;
    const d = dy * dir;
    const a = Math.min(x, xNext);
    const b = Math.max(x, xNext);
    const aFloor = Math.floor(a);
    const bCeil = Math.ceil(b);
    if (bCeil <= aFloor + 1) {
      // Within one cell: the part right of the edge's mean x stays here, the rest spills over.
      const mid = 0.5 * (x + xNext) - aFloor;
      area[start + aFloor] += d - d * mid;
      area[start + aFloor + 1] += d * mid;
    } else {
      const s = 1 / (b - a);
      const aFrac = a - aFloor;
      const first = 0.5 * s * (1 - aFrac) * (1 - aFrac);
      const bFrac = b - bCeil + 1;
      const end = 0.5 * s * bFrac * bFrac;
      area[start + aFloor] += d * first;
      if (bCeil === aFloor + 2) {
        area[start + aFloor + 1] += d * (1 - first - end);
      } else {
        const second = s * (1.5 - aFrac);
        area[start + aFloor + 1] += d * (second - first);
        for (let k = aFloor + 2; k < bCeil - 1; k++) area[start + k] += d * s;
        const before = second + (bCeil - aFloor - 3) * s;
        area[start + bCeil - 1] += d * (1 - before - end);
      }
      area[start + bCeil] += d * end;
    }
    x = xNext;
  }
}

// Sums each row of `grid` into coverage bytes and crops them to the inked rows and columns.
function cropCoverage(grid: Grid, left: number, top: number): GlyphMask {
  const { area, width, height } = grid;
  const full = new Uint8Array(width * height);
  let minX = width;
  let maxX = -1;
  let minY = height;
  let maxY = -1;
  for (let row = 0; row < height; row++) {
    let sum = 0;
    for (let col = 0; col < width; col++) {
      sum += area[row * width + col];
      const value = Math.round(Math.min(1, Math.abs(sum)) * 255);
      if (value === 0) continue;
      full[row * width + col] = value;
      if (col < minX) minX = col;
      if (col > maxX) maxX = col;
      if (row < minY) minY = row;
      if (row > maxY) maxY = row;
    }
  }
  if (maxX < 0) return EMPTY;
  const w = maxX - minX + 1;
  const h = maxY - minY + 1;
  const coverage = new Uint8Array(w * h);
  for (let r = 0; r < h; r++) {
    const from = (minY + r) * width + minX;
    coverage.set(full.subarray(from, from + w), r * w);
  }
  return { left: left + minX, top: top + minY, width: w, height: h, coverage };
}

const faces = new Map<string, GlyphFace>();
let cachedBytes = 0;

/**
 * The masks of one glyph size at one baseline phase: glyphs `pxPerUnit` px per font unit, their
 * baseline `phaseY` / GLYPH_PHASES px below a pixel boundary.
 */
export class GlyphFace {
  private readonly masks = new Map<number, GlyphMask>();
  private bytes = 0;

  constructor(
    readonly key: string,
    readonly pxPerUnit: number,
    readonly phaseY: number,
  ) {}

  /**
   * Returns the mask of `key` (printable-ASCII code × GLYPH_PHASES + phaseX, the glyph origin
   * phaseX / GLYPH_PHASES px right of a pixel boundary), rasterising and caching it on first use.
   * Throws a RangeError for a code the font table lacks.
   */
  get(key: number): GlyphMask {
    let mask = this.masks.get(key);
    if (mask) return mask;
    const code = Math.floor(key / GLYPH_PHASES);
    const phaseX = key - code * GLYPH_PHASES;
    mask = rasteriseGlyph(
      glyphOutline(code),
      this.pxPerUnit,
      phaseX / GLYPH_PHASES,
      this.phaseY / GLYPH_PHASES,
    );
    this.masks.set(key, mask);
    const added = mask.coverage.length + MASK_OVERHEAD_BYTES;
    this.bytes += added;
    if (faces.get(this.key) === this) {
      cachedBytes += added;
      evictBeyondBudget(this);
    }
    return mask;
  }

  /** Returns the bytes this face counts against GLYPH_CACHE_BYTES. */
  size(): number {
    return this.bytes;
  }
}

/**
 * Returns the cached face for (`pxPerUnit`, `phaseY`), creating an empty one, and marks it most
 * recently used.
 */
export function glyphFace(pxPerUnit: number, phaseY: number): GlyphFace {
  const key = `${pxPerUnit}/${phaseY}`;
  let face = faces.get(key);
  if (face) faces.delete(key);
  else face = new GlyphFace(key, pxPerUnit, phaseY);
  faces.set(key, face);
  return face;
}

/** Returns how much the glyph cache holds: faces, and bytes counted against its budget. */
export function glyphCacheUsage(): { faces: number; bytes: number } {
  return { faces: faces.size, bytes: cachedBytes };
}

/** Empties the glyph cache (tests and benchmarks measure cold starts with it). */
export function clearGlyphCache(): void {
  faces.clear();
  cachedBytes = 0;
}

// Drops least recently used faces (Map order) until the cache fits, never `keep`, whose masks
// the caller is using.
function evictBeyondBudget(keep: GlyphFace): void {
  for (const [key, face] of faces) {
    if (cachedBytes <= GLYPH_CACHE_BYTES) return;
    if (face === keep) continue;
    faces.delete(key);
    cachedBytes -= face.size();
  }
}
