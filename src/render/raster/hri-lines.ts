// HRI text lines for the PNG renderer: where each line's glyphs fall in pixels, and its
// scanlines deflated from glyph masks (./glyph-masks.ts, ./line-band.ts). A line's rows
// become one block, cached once the line repeats (GTIN, expiry and lot lines do on a label
// run), so a repeated line costs a copy; and the rows of a line's start are kept once that
// start repeats, so a serial number whose last digits changed is drawn from there on.

import type { HriPlacement } from "../hri-outlines.js";
import type { Fragment, RunDeflater } from "./deflate.js";
import { GLYPH_PHASES, type GlyphFace, glyphFace } from "./glyph-masks.js";
import {
  bandExtent,
  drawBand,
  type LineBand,
  type LinePrefix,
  type Placement,
  writeBand,
} from "./line-band.js";

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

/**
 * A line ready to write: the pixel row of its baseline and its band's rows (`rows` from `top`
 * px below that row), and the band's block; or, when `block` is null, what writeLine draws the
 * band from straight into the stream (a line seen the first time, which is not cached).
 */
export interface TextLine {
  y: number;
  top: number;
  rows: number;
  block: Fragment | null;
  /** Whether `block` came from the cache (then it is likely to come again). */
  cached: boolean;
  placements: readonly Placement[];
  prefixGlyphs: number;
  prefix: LinePrefix | undefined;
}

const NO_PLACEMENTS: readonly Placement[] = [];

const bands = new Map<string, LineBand>();
let bandBytes = 0;
// Keys of lines drawn once and not cached yet, oldest first.
const seen = new Set<string>();

// Line prefixes by key, least recently used first, and keys seen once.
const prefixes = new Map<string, LinePrefix>();
const seenPrefixes = new Set<string>();

/** A line of text placed in pixels: its cache key, and its band when cached. */
export interface LocatedLine {
  text: string;
  /** Its cache key: `geometry` and the text. */
  key: string;
  /** What fixes where its glyphs go and how they are encoded: picture, size, phase, start. */
  geometry: string;
  /** Pixel row of the baseline. */
  y: number;
  /** The face of its glyphs (size, baseline phase). */
  face: GlyphFace;
  /** The line's left end and the glyph advance, in 1/GLYPH_PHASES px. */
  start: number;
  advance: number;
  band: LineBand | undefined;
}

/**
 * Returns the lines of `text` (placeHriLines of the picture's layout) in pixels at `ppm` px a
 * module, with their bands when cached for a picture `width` px wide in the `grey` or indexed
 * encoding. Baselines and glyph origins are rounded to 1/GLYPH_PHASES px.
 */
export function locateLines(
  text: HriPlacement,
  ppm: number,
  width: number,
  grey: boolean,
): LocatedLine[] {
  const pxPerUnit = Number(text.scale) * ppm;
  const advance = text.advance * pxPerUnit * GLYPH_PHASES;
  const located: LocatedLine[] = [];
  const picture = `${grey ? "g" : "i"} ${width} ${text.scale} ${ppm}`;
  for (const line of text.lines) {
    const baseline = Math.round(Number(line.y) * ppm * GLYPH_PHASES);
    const y = Math.floor(baseline / GLYPH_PHASES);
    const phaseY = baseline - y * GLYPH_PHASES;
    const start = Number(line.x) * ppm * GLYPH_PHASES;
    const known = knownGeometry(picture, phaseY, start);
    const geometry = known.geometry;
    const key = known.keys.get(line.text) ?? `${geometry} ${line.text}`;
    const band = bands.get(key);
    if (band) {
      bands.delete(key);
      bands.set(key, band);
      if (known.keys.size >= MAX_KEYS) known.keys.clear();
      known.keys.set(line.text, key);
    }
    const face = glyphFace(pxPerUnit, phaseY);
    located.push({ text: line.text, key, geometry, y, face, start, advance, band });
  }
  return located;
}

// A line geometry's key, and the keys of its lines found in the cache by text. Building a key
// (the start's digits included) and hashing it anew for every line of every call was most of
// locating the lines; a repeated line's key is then an old string, its hash kept. By
// picture, then start and baseline phase; a few pictures kept, keys of cached lines only.
interface KnownGeometry {
  start: number;
  phaseY: number;
  geometry: string;
  keys: Map<string, string>;
}
const geometries = new Map<string, Map<number, KnownGeometry>>();
const MAX_PICTURES = 16;
const MAX_KEYS = 64;

// Returns the geometry of lines starting at `start` with baseline phase `phaseY` in `picture`.
function knownGeometry(picture: string, phaseY: number, start: number): KnownGeometry {
  let starts = geometries.get(picture);
  if (!starts) {
    if (geometries.size >= MAX_PICTURES) geometries.clear();
    starts = new Map();
    geometries.set(picture, starts);
  }
  // Start and phase as one number, mostly unique; an entry is used only if both match.
  const at = start * GLYPH_PHASES + phaseY;
  let known = starts.get(at);
  if (!known || known.start !== start || known.phaseY !== phaseY) {
    if (starts.size >= MAX_KEYS) starts.clear();
    known = { start, phaseY, geometry: `${picture} ${phaseY} ${start}`, keys: new Map() };
    starts.set(at, known);
  }
  return known;
}

/**
 * Returns the glyphs of `line` as placements: masks (rasterised on first use) with their
 * top-left pixel, tops relative to the baseline's row. Throws a RangeError if one would stick
 * out of a picture `width` px wide (layoutPicture's margins keep OCR-B inside).
 */
export function placeGlyphs(line: LocatedLine, width: number): Placement[] {
  const placements: Placement[] = [];
  forEachGlyph(line, (key, x) => {
    const mask = line.face.get(key);
    if (mask.width === 0) return;
    const left = x + mask.left;
    if (left < 0 || left + mask.width > width) {
      throw new RangeError(`HRI line ${JSON.stringify(line.text)} leaves the picture`);
    }
    placements.push({ mask, left, top: mask.top });
  });
  return placements;
}

/**
 * Returns each line's band with its baseline's pixel row, drawing (and caching) those not
 * cached, `width` px wide, for greyscale (255 − coverage) when `grey` else indexed (coverage).
 * Throws like placeGlyphs.
 */
export function deflateLines(
  lines: readonly LocatedLine[],
  width: number,
  grey: boolean,
): TextLine[] {
  const drawn: TextLine[] = [];
  for (const line of lines) {
    const cachedBand = line.band;
    if (cachedBand) {
      drawn.push(textLine(line.y, cachedBand, true));
      continue;
    }
    // The glyphs of all but the last PREFIX_SUFFIX characters form the line's prefix.
    const prefixLength = line.text.length - PREFIX_SUFFIX;
    const placements = placeGlyphs(line, width);
    let prefixGlyphs = 0;
    forEachGlyph(line, (key, _x, index) => {
      if (index < prefixLength && line.face.get(key).width > 0) prefixGlyphs++;
    });
    const prefixKey = `${line.geometry} ${line.text.length} ${line.text.slice(0, prefixLength)}`;
    const cached = prefixLength > 0 ? recall(prefixKey) : undefined;
    // A prefix is encoded apart only once it has been seen before (see remember).
    const wanted = prefixLength > 0 && (cached !== undefined || seenPrefixes.has(prefixKey));
    const glyphs = wanted ? prefixGlyphs : 0;
    const builds = glyphs > 0 && !cached;
    // A line seen the first time is not cached, so unless it builds a prefix its band need not
    // be a fragment: writeLine draws it into the stream, saving the fragment's two copies and
    // its allocation (a label run's serial line, new on every call).
    if (!builds && firstSighting(line.key)) {
      if (prefixLength > 0 && !cached) keepPrefix(prefixKey, null);
      const { top, rows } = bandExtent(placements);
      drawn.push({
        y: line.y,
        top,
        rows,
        block: null,
        cached: false,
        placements,
        prefixGlyphs: glyphs,
        prefix: cached,
      });
      continue;
    }
    const result = drawBand(placements, width, grey, glyphs, cached);
    if (prefixLength > 0 && !cached) keepPrefix(prefixKey, result.prefix);
    if (builds) remember(line.key, result.band);
    else cacheBand(line.key, result.band);
    drawn.push(textLine(line.y, result.band, false));
  }
  return drawn;
}

/** Returns a line to write from its band's block, `cached` if it came from the cache. */
export function textLine(y: number, band: LineBand, cached: boolean): TextLine {
  const { top, rows, block } = band;
  return {
    y,
    top,
    rows,
    block,
    cached,
    placements: NO_PLACEMENTS,
    prefixGlyphs: 0,
    prefix: undefined,
  };
}

/**
 * Writes `line` into `stream` as putBlock would write its band: the block, or when it has none
 * the band drawn from its glyphs, `width` px wide in the `grey` or indexed encoding.
 */
export function writeLine(stream: RunDeflater, line: TextLine, width: number, grey: boolean): void {
  if (line.block) stream.putBlock(line.block);
  else writeBand(stream, line.placements, width, grey, line.prefixGlyphs, line.prefix);
}

// Calls `visit` with the mask key and the origin pixel column of each glyph of `line` but
// spaces, left to right, and the character's index.
function forEachGlyph(
  line: LocatedLine,
  visit: (key: number, x: number, index: number) => void,
): void {
  for (let k = 0; k < line.text.length; k++) {
    const code = line.text.charCodeAt(k);
    if (code === 0x20) continue;
    const phases = Math.round(line.start + k * line.advance);
    const x = Math.floor(phases / GLYPH_PHASES);
    visit(code * GLYPH_PHASES + phases - x * GLYPH_PHASES, x, k);
  }
}

// Caches a line's band once its key has been seen before (a serial number's line never
// repeats, and caching it would only churn the heap).
function remember(key: string, band: LineBand): void {
  if (!firstSighting(key)) cacheBand(key, band);
}

// Returns whether `key` is seen the first time, noting it as seen (forgetting the oldest beyond
// MAX_SEEN); else forgets it, as the line is cached from now on.
function firstSighting(key: string): boolean {
  if (seen.delete(key)) return false;
  seen.add(key);
  for (const old of seen) {
    if (seen.size <= MAX_SEEN) break;
    seen.delete(old);
  }
  return true;
}

// Caches a line's band, dropping the least recently used bands beyond LINE_CACHE_BYTES.
function cacheBand(key: string, band: LineBand): void {
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
  geometries.clear();
  seen.clear();
  prefixes.clear();
  seenPrefixes.clear();
  bandBytes = 0;
}
