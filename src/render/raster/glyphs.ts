// HRI glyph coverage masks (Node only): rasterised by sharp (librsvg, the renderer and font the
// SVG-through-sharp PNG used) a few at a time, cached per font size and sub-pixel position, so a
// PNG with HRI is composed from masks instead of rasterising text per request (~100 µs a glyph).

import sharp from "sharp";

/**
 * The font-family toSvgBytes writes (src/render/svg.ts; a test keeps the two equal). librsvg resolves
 * it through fontconfig; with fonts-dejavu-core that is DejaVu Sans Mono for all three names.
 */
export const HRI_FONT_FAMILY = "Courier, 'Courier New', monospace";

/**
 * Where librsvg 2.63 (pango 1.58, cairo 1.18) puts text, measured on its output (see
 * test/render/glyphs.test.ts): positions are rounded to 1/256 of a user unit (a module here),
 * half to even, cairo's 24.8 fixed point. A line's origin (left end, top of its line box) is
 * rounded, then each glyph origin at its pango offset (in 1/1024 module) is rounded again;
 * glyph outlines are rounded on the same grid, so masks rasterised at another origin on it
 * have exactly the request's shape and differ only by whole pixels and the sub-pixel phase.
 */
export const GRID_PER_MODULE = 256;

/**
 * Horizontal phases kept per pixel. cairo's coverage is continuous across a pixel, so a glyph
 * drawn at most 1/64 px from where librsvg puts it (exactly there when ppm is a multiple of 8)
 * changes a pixel by at most 4/255, for 32 rather than up to 256 masks per character.
 * Vertical phases are kept exact: cairo samples 15 sub-rows per pixel, so a horizontal edge
 * moved by 1/64 px can change a pixel by 17/255.
 */
export const GLYPH_PHASES = 32;

/** DejaVu Sans Mono's metrics in font units (its head, hmtx and hhea tables). */
const UNITS_PER_EM = 2048;
const ADVANCE_UNITS = 1233;
const ASCENDER_UNITS = 1901;
/** Pango units per module: pango sizes fonts and places glyphs in 1/1024 of a user unit. */
export const PANGO_PER_MODULE = 1024;

/**
 * Returns the advance of every glyph and the ascent of the HRI font at font-size `fontSize`
 * (the SVG attribute, in modules), in pango units (1/1024 module), as pango computes them:
 * the size rounded to pango units, then each metric scaled and rounded.
 */
export function hriFontUnits(fontSize: string): { advance: number; ascent: number } {
  const size = Math.round(Number(fontSize) * PANGO_PER_MODULE);
  return {
    advance: Math.round((ADVANCE_UNITS * size) / UNITS_PER_EM),
    ascent: Math.round((ASCENDER_UNITS * size) / UNITS_PER_EM),
  };
}

/**
 * Returns the grid step (1/256 module) of glyph `index` of a line whose left end is at
 * `start` modules, glyphs `advance` pango units apart.
 */
export function glyphStep(start: number, index: number, advance: number): number {
  const unitsPerStep = PANGO_PER_MODULE / GRID_PER_MODULE;
  return roundHalfEven(roundHalfEven(start * GRID_PER_MODULE) + (index * advance) / unitsPerStep);
}

/** Returns the grid step of a line's baseline given at `y` modules, for a font of `ascent`. */
export function baselineStep(y: number, ascent: number): number {
  const ascentSteps = ascent / (PANGO_PER_MODULE / GRID_PER_MODULE);
  return roundHalfEven(roundHalfEven(y * GRID_PER_MODULE - ascentSteps) + ascentSteps);
}

/** Returns `value` rounded to the nearest integer, ties to even. */
export function roundHalfEven(value: number): number {
  const r = Math.round(value);
  return r - value === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Coverage bytes the cache keeps before dropping the least recently used faces. A face (one font
 * size and baseline phase) with all 94 printable characters at all 32 phases took 1.0 MB at
 * 300 dpi and ~16 MB at 1200 dpi, 1.5 mm (and ~1 s of sharp to rasterise); HRI uses digits, a
 * few letters and punctuation of it, and a picture one face per line.
 */
export const GLYPH_CACHE_BYTES = 32 * 1024 * 1024;

// Grid steps per horizontal phase.
const PHASE_STEP = GRID_PER_MODULE / GLYPH_PHASES;
// Per-mask bookkeeping counted against the budget besides its coverage bytes.
const MASK_OVERHEAD_BYTES = 64;
// Glyphs per row of a rasterised sheet.
const SHEET_COLUMNS = 16;

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

const faces = new Map<string, GlyphFace>();
let cachedBytes = 0;

/**
 * The masks of one font size at one vertical phase: what toSvgPixels draws with font-size
 * `fontSize` (the SVG attribute, in modules) at `pixelsPerModule`, on a baseline `phaseY` /
 * GRID_PER_MODULE px below a pixel boundary (phaseY a multiple of gcd(ppm, 256), as every
 * grid position's phase is).
 */
export class GlyphFace {
  private readonly masks = new Map<number, GlyphMask>();
  private readonly ascent: number;
  private bytes = 0;

  constructor(
    readonly key: string,
    readonly fontSize: string,
    readonly pixelsPerModule: number,
    readonly phaseY: number,
  ) {
    this.ascent = hriFontUnits(fontSize).ascent;
  }

  /** Returns whether the mask of `key` (code × GLYPH_PHASES + phaseX) is cached. */
  has(key: number): boolean {
    return this.masks.has(key);
  }

  /**
   * Returns the mask of `key`: printable-ASCII code × GLYPH_PHASES + phaseX, the glyph origin
   * phaseX / GLYPH_PHASES px right of a pixel boundary. Throws a RangeError until load has
   * rasterised it.
   */
  get(key: number): GlyphMask {
    const mask = this.masks.get(key);
    if (!mask) throw new RangeError(`glyph ${key} is not loaded`);
    return mask;
  }

  /**
   * Rasterises the glyphs of `keys` (code × GLYPH_PHASES + phaseX, codes 0x21–0x7e) that are not
   * cached yet, in one sharp call, and caches them. Rejects if sharp fails or a glyph reaches the
   * edge of its cell (a font far larger than DejaVu Sans Mono's ASCII).
   */
  async load(keys: Iterable<number>): Promise<void> {
    const missing = [...new Set(keys)].filter((key) => !this.masks.has(key));
    if (missing.length === 0) return;
    const ppm = this.pixelsPerModule;
    const em = Number(this.fontSize) * ppm;
    // Cells and origins are whole modules, so the sheet's viewBox scale is exactly ppm, as in
    // toSvgPixels, and an origin plus k/256 module sits on the request's rounding grid. The
    // origin leaves 0.4 em left and 1.2 em above, where ASCII ink stays within 0.1 em left,
    // 0.7 em right, 0.8 em up and 0.3 em down (DejaVu Sans Mono), plus modules for phases.
    const originX = Math.ceil((0.4 * em + 2) / ppm);
    const originY = Math.ceil((1.2 * em + 2) / ppm);
    const cellWidth = originX + Math.ceil((1.1 * em + 2) / ppm) + 1;
    const cellHeight = originY + Math.ceil((0.6 * em + 2) / ppm) + 3;
    const columns = Math.min(SHEET_COLUMNS, missing.length);
    const rows = Math.ceil(missing.length / columns);
    // Baselines: per row, the first y at or below the row's origin whose baseline falls at
    // phaseY (a line's top is rounded before its baseline, so the baseline may move a step).
    const baselines = new Int32Array(rows);
    const ys = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      const top = (r * cellHeight + originY) * GRID_PER_MODULE;
      for (let k = 0; ; k++) {
        if (k > 2 * GRID_PER_MODULE)
          throw new RangeError(`no baseline has phase ${this.phaseY}/256 px`);
        const step = baselineStep((top + k) / GRID_PER_MODULE, this.ascent);
        if ((step * ppm) % GRID_PER_MODULE === this.phaseY) {
          baselines[r] = step;
          ys[r] = (top + k) / GRID_PER_MODULE;
          break;
        }
      }
    }
    let texts = "";
    const origins = new Int32Array(2 * missing.length);
    for (let i = 0; i < missing.length; i++) {
      const row = Math.floor(i / columns);
      // x on the grid, so the glyph origin is x itself (text-anchor start).
      const x =
        ((i % columns) * cellWidth + originX) * GRID_PER_MODULE +
        gridStepForPhase(ppm, (missing[i] % GLYPH_PHASES) * PHASE_STEP);
      origins[2 * i] = Math.floor((x * ppm) / GRID_PER_MODULE);
      origins[2 * i + 1] = Math.floor((baselines[row] * ppm) / GRID_PER_MODULE);
      const code = Math.floor(missing[i] / GLYPH_PHASES);
      texts += `<text x="${x / GRID_PER_MODULE}" y="${ys[row]}">${escapeChar(code)}</text>`;
    }
    const width = columns * cellWidth * ppm;
    const height = rows * cellHeight * ppm;
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
      `viewBox="0 0 ${columns * cellWidth} ${rows * cellHeight}" shape-rendering="crispEdges">` +
      `<g font-family="${HRI_FONT_FAMILY}" font-size="${this.fontSize}" fill="#000000">${texts}</g></svg>`;
    // Black on nothing: the alpha channel is the coverage, as librsvg computed it.
    const { data, info } = await sharp(Buffer.from(svg))
      .extractChannel(3)
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.width !== width || info.height !== height || info.channels !== 1) {
      throw new Error(`glyph sheet is ${info.width}x${info.height}, expected ${width}x${height}`);
    }
    let added = 0;
    for (let i = 0; i < missing.length; i++) {
      const cellX = (i % columns) * cellWidth * ppm;
      const cellY = Math.floor(i / columns) * cellHeight * ppm;
      const mask = cropCell(data, width, cellX, cellY, cellWidth * ppm, cellHeight * ppm);
      mask.left += cellX - origins[2 * i];
      mask.top += cellY - origins[2 * i + 1];
      // A concurrent load may have cached it meanwhile; count it once.
      if (this.masks.has(missing[i])) continue;
      this.masks.set(missing[i], mask);
      added += mask.coverage.length + MASK_OVERHEAD_BYTES;
    }
    this.bytes += added;
    // A face evicted while its sheet was rasterised serves the requests holding it, then goes.
    if (faces.get(this.key) === this) {
      cachedBytes += added;
      evictBeyondBudget(this);
    }
  }

  /** Returns the bytes this face counts against GLYPH_CACHE_BYTES. */
  size(): number {
    return this.bytes;
  }
}

/**
 * Returns the cached face for (`fontSize`, `pixelsPerModule`, `phaseY`), creating an empty one,
 * and marks it most recently used. `fontSize` is the SVG attribute string (e.g. "8.421").
 */
export function glyphFace(fontSize: string, pixelsPerModule: number, phaseY: number): GlyphFace {
  const key = `${fontSize}/${pixelsPerModule}/${phaseY}`;
  let face = faces.get(key);
  if (face) faces.delete(key);
  else face = new GlyphFace(key, fontSize, pixelsPerModule, phaseY);
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

// Returns the least grid step k (0–255) whose origin, k·ppm/256 px, lies `phase` / 256 px past
// a pixel boundary. Throws a RangeError if none does (phase not a multiple of gcd(ppm, 256)).
function gridStepForPhase(ppm: number, phase: number): number {
  for (let k = 0; k < GRID_PER_MODULE; k++) {
    if ((k * ppm) % GRID_PER_MODULE === phase) return k;
  }
  throw new RangeError(`no origin of ${ppm} px modules lies ${phase}/256 px past a pixel`);
}

// Drops least recently used faces (Map order) until the cache fits, never `keep`, whose masks
// the caller is about to use.
function evictBeyondBudget(keep: GlyphFace): void {
  for (const [key, face] of faces) {
    if (cachedBytes <= GLYPH_CACHE_BYTES) return;
    if (face === keep) continue;
    faces.delete(key);
    cachedBytes -= face.size();
  }
}

// Returns the ink bounding box of one cell as a mask positioned in sheet pixels; throws if ink
// touches the cell's edge (it might be clipped, or belong to a neighbour).
function cropCell(
  sheet: Buffer,
  sheetWidth: number,
  x0: number,
  y0: number,
  cellWidth: number,
  cellHeight: number,
): GlyphMask {
  let left = cellWidth;
  let right = -1;
  let top = cellHeight;
  let bottom = -1;
  for (let y = 0; y < cellHeight; y++) {
    const row = (y0 + y) * sheetWidth + x0;
    for (let x = 0; x < cellWidth; x++) {
      if (sheet[row + x] === 0) continue;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
    }
  }
  if (right < 0) return { left: 0, top: 0, width: 0, height: 0, coverage: new Uint8Array(0) };
  if (left === 0 || top === 0 || right === cellWidth - 1 || bottom === cellHeight - 1) {
    throw new Error("a glyph reached the edge of its cell in the glyph sheet");
  }
  const width = right - left + 1;
  const height = bottom - top + 1;
  const coverage = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const from = (y0 + top + y) * sheetWidth + x0 + left;
    coverage.set(sheet.subarray(from, from + width), y * width);
  }
  return { left, top, width, height, coverage };
}

function escapeChar(code: number): string {
  return code === 0x26
    ? "&amp;"
    : code === 0x3c
      ? "&lt;"
      : code === 0x3e
        ? "&gt;"
        : String.fromCharCode(code);
}
