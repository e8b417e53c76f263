// HRI text lines for the PNG renderer (Node only): where librsvg draws each line, and its
// scanlines deflated from glyph masks (./glyphs.ts, ./line-band.ts). A line's rows
// become one block, cached once the line repeats (GTIN, expiry and lot lines do on a label
// run), so a repeated line costs a copy; and the rows of a line's start are kept once that
// start repeats, so a serial number whose last digits changed is drawn from there on.

import { formatDecimal } from "../format-number.js";
import type { Layout } from "../layout.js";
import {
  baselineStep,
  GLYPH_PHASES,
  type GlyphFace,
  GRID_PER_MODULE,
  glyphFace,
  glyphStep,
  hriFontUnits,
  PANGO_PER_MODULE,
  roundHalfEven,
} from "./glyphs.js";
import { drawBand, type LineBand, type LinePrefix, type Placement } from "./line-band.js";

/**
 * Bytes of deflated lines kept for reuse (least recently used dropped first): a line is ~3 KB
 * at 300 dpi and ~40 KB at 1200 dpi.
 */
export const LINE_CACHE_BYTES = 8 * 1024 * 1024;

// Line keys remembered as seen once, so the second sighting caches the line.
const MAX_SEEN = 1024;
// Characters left out of a line's cached prefix: a label run's serial changes in its last
// digits, so its line is drawn from cached rows but for the last three characters' glyphs.
const PREFIX_SUFFIX = 3;
const MAX_PREFIXES = 64;

/** A line ready to write: its band, and the pixel row of its baseline. */
export interface TextLine {
  y: number;
  band: LineBand;
}

const bands = new Map<string, LineBand>();
let bandBytes = 0;
// Keys of lines drawn once and not cached yet, oldest first.
const seen = new Set<string>();

// Line prefixes by key, least recently used first, and keys seen once.
const prefixes = new Map<string, LinePrefix>();
const seenPrefixes = new Set<string>();

/** A line of text where librsvg draws it: its cache key, and its band when cached. */
export interface LocatedLine {
  text: string;
  /** Its cache key: `geometry` and the text. */
  key: string;
  /** What fixes where its glyphs go and how they are encoded: picture, font, phase, start. */
  geometry: string;
  /** Pixel row of the baseline. */
  y: number;
  /** The face of its glyphs (font size, baseline phase), for lines not cached. */
  face: GlyphFace | null;
  /** Grid step of the line's left end, and the glyph advance in pango units. */
  start: number;
  advance: number;
  band: LineBand | undefined;
}

/**
 * Returns the lines of `layout` where librsvg draws toSvgPixels' text at `ppm` px a module
 * (see GRID_PER_MODULE), with their bands when cached for a picture `width` px wide in the
 * `grey` or indexed encoding. The SVG states font size, centre and baselines rounded to 3
 * decimals (formatDecimal), and text-anchor="middle" starts a line half its advance width left
 * of the centre.
 */
export function locateLines(
  layout: Layout,
  ppm: number,
  width: number,
  grey: boolean,
): LocatedLine[] {
  const fontSize = formatDecimal(layout.fontSize, 3);
  const { advance, ascent } = hriFontUnits(fontSize);
  const centre = Number(formatDecimal(layout.textCenterX, 3));
  const located: LocatedLine[] = [];
  const picture = `${grey ? "g" : "i"} ${width} ${fontSize} ${ppm}`;
  for (let i = 0; i < layout.lines.length; i++) {
    const text = layout.lines[i];
    // The baseline keeps its exact phase, in 1/256 px.
    const baseline = baselineStep(Number(formatDecimal(layout.baselines[i], 3)), ascent) * ppm;
    const y = Math.floor(baseline / GRID_PER_MODULE);
    const phaseY = baseline - y * GRID_PER_MODULE;
    const start = glyphStep(centre - (text.length * advance) / (2 * PANGO_PER_MODULE), 0, 0);
    const geometry = `${picture} ${phaseY} ${start}`;
    const key = `${geometry} ${text}`;
    const band = bands.get(key);
    if (band) {
      bands.delete(key);
      bands.set(key, band);
    }
    const face = band ? null : glyphFace(fontSize, ppm, phaseY);
    located.push({ text, key, geometry, y, face, start, advance, band });
  }
  return located;
}

/** Returns the loads of the glyph masks that uncached `lines` need and the glyph cache lacks. */
export function loadGlyphs(lines: readonly LocatedLine[]): Promise<void>[] {
  const loads: Promise<void>[] = [];
  for (const line of lines) {
    const face = line.face;
    if (line.band || !face) continue;
    const missing: number[] = [];
    forEachGlyph(line, face, (key) => {
      if (!face.has(key)) missing.push(key);
    });
    if (missing.length > 0) loads.push(face.load(missing));
  }
  return loads;
}

/**
 * Returns each line's band with its baseline's pixel row, drawing (and caching) those not
 * cached, `width` px wide, for greyscale (255 − coverage) when `grey` else indexed (coverage);
 * or null if a glyph would stick out of the picture's sides (librsvg would clip it). Throws a
 * RangeError if a glyph is not loaded (see loadGlyphs).
 */
export function deflateLines(
  lines: readonly LocatedLine[],
  width: number,
  grey: boolean,
): TextLine[] | null {
  const drawn: TextLine[] = [];
  for (const line of lines) {
    let band = line.band;
    const face = line.face;
    if (!band && face) {
      // The glyphs of all but the last PREFIX_SUFFIX characters form the line's prefix.
      const prefixLength = line.text.length - PREFIX_SUFFIX;
      const placements: Placement[] = [];
      let prefixGlyphs = 0;
      let inside = true;
      forEachGlyph(line, face, (key, x, index) => {
        const mask = face.get(key);
        if (mask.width === 0) return;
        const left = x + mask.left;
        if (left < 0 || left + mask.width > width) inside = false;
        placements.push({ mask, left, top: mask.top });
        if (index < prefixLength) prefixGlyphs++;
      });
      if (!inside) return null;
      const prefixKey = `${line.geometry} ${line.text.length} ${line.text.slice(0, prefixLength)}`;
      const cached = prefixLength > 0 ? recall(prefixKey) : undefined;
      // A prefix is encoded apart only once it has been seen before (see remember).
      const wanted = prefixLength > 0 && (cached !== undefined || seenPrefixes.has(prefixKey));
      const drawn = drawBand(placements, width, grey, wanted ? prefixGlyphs : 0, cached);
      if (prefixLength > 0 && !cached) keepPrefix(prefixKey, drawn.prefix);
      band = drawn.band;
      remember(line.key, band);
    }
    if (!band) throw new RangeError(`line ${JSON.stringify(line.text)} has neither band nor face`);
    drawn.push({ y: line.y, band });
  }
  return drawn;
}

// Calls `visit` with the mask key in `face` and the origin pixel column of each glyph of
// `line` but spaces, left to right; the origin's phase is rounded to 1/GLYPH_PHASES px.
function forEachGlyph(
  line: LocatedLine,
  face: GlyphFace,
  visit: (key: number, x: number, index: number) => void,
): void {
  const ppm = face.pixelsPerModule;
  const stepsPerUnit = GRID_PER_MODULE / PANGO_PER_MODULE;
  for (let k = 0; k < line.text.length; k++) {
    const code = line.text.charCodeAt(k);
    if (code === 0x20) continue;
    const step = roundHalfEven(line.start + k * line.advance * stepsPerUnit);
    const phases = Math.round((step * ppm * GLYPH_PHASES) / GRID_PER_MODULE);
    const x = Math.floor(phases / GLYPH_PHASES);
    visit(code * GLYPH_PHASES + phases - x * GLYPH_PHASES, x, k);
  }
}

// Caches a line's band once its key has been seen before (a serial number's line never
// repeats, and caching it would only churn the heap), dropping the least recently used bands
// beyond LINE_CACHE_BYTES.
function remember(key: string, band: LineBand): void {
  if (!seen.delete(key)) {
    seen.add(key);
    for (const old of seen) {
      if (seen.size <= MAX_SEEN) break;
      seen.delete(old);
    }
    return;
  }
  bands.set(key, band);
  bandBytes += band.block.bits.length;
  for (const [oldKey, old] of bands) {
    if (bandBytes <= LINE_CACHE_BYTES) break;
    bands.delete(oldKey);
    bandBytes -= old.block.bits.length;
  }
}

// Returns the cached prefix of `key`, marking it most recently used.
function recall(key: string): LinePrefix | undefined {
  const prefix = prefixes.get(key);
  if (prefix) {
    prefixes.delete(key);
    prefixes.set(key, prefix);
  }
  return prefix;
}

// Notes `key` as seen, and caches `prefix` when it was seen before (then it was not encoded
// apart, as a line drawn once is likely a one-off); keeps MAX_PREFIXES, dropping the oldest.
function keepPrefix(key: string, prefix: LinePrefix | null): void {
  if (!prefix) {
    seenPrefixes.add(key);
    for (const old of seenPrefixes) {
      if (seenPrefixes.size <= MAX_SEEN) break;
      seenPrefixes.delete(old);
    }
    return;
  }
  seenPrefixes.delete(key);
  prefixes.set(key, prefix);
  for (const old of prefixes.keys()) {
    if (prefixes.size <= MAX_PREFIXES) break;
    prefixes.delete(old);
  }
}

/** Empties the cache of deflated lines (benchmarks time uncached lines with it). */
export function clearLineCache(): void {
  bands.clear();
  seen.clear();
  prefixes.clear();
  seenPrefixes.clear();
  bandBytes = 0;
}
