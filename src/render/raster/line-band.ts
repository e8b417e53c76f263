// A text line's scanlines for the PNG renderer (Node only), deflated from its glyphs' masks:
// each inked mask row is encoded once as a fragment (./deflate.ts) and rows are written as
// fragments with light runs between; rows where glyphs overlap are summed and written byte by
// byte. Used by ./hri-lines.ts, which places the glyphs and caches what this returns, or has
// a line it will not cache written straight into the PNG's stream (writeBand).

import { encodeFragment, type Fragment, RunDeflater } from "./deflate.js";
import type { GlyphMask } from "./glyph-masks.js";

const FILTER_NONE = 0;
// A row's prefix before any glyph: the filter byte alone.
const FILTER_ONLY = encodeFragment([FILTER_NONE]);

/**
 * A text line's scanlines deflated as one block (see RunDeflater.putBlock): `rows` rows from
 * `top` px below (above, if negative) its baseline's pixel row, spanning its ink and that row.
 */
export interface LineBand {
  top: number;
  rows: number;
  block: Fragment;
}

/** A glyph to draw: its mask and the pixel of the mask's top-left corner. */
export interface Placement {
  mask: GlyphMask;
  left: number;
  top: number;
}

/** A mask's inked rows as fragments for one pixel encoding, and where each starts. */
interface MaskRows {
  /** Offset of each row's first inked pixel from the mask's left edge; -1 for none. */
  starts: Int16Array;
  fragments: (Fragment | null)[];
}

/**
 * A line's rows up to the end of its first glyphs, from `top` px below its baseline's row:
 * each row's filter byte and bytes as a fragment, and where it stops.
 */
export interface LinePrefix {
  top: number;
  rows: Fragment[];
  ends: Int32Array;
}

// Pixel bytes from coverage a: 255 − a for black on white (greyscale), else a itself (an index
// into a palette of blends). Mask rows are encoded once per encoding, and kept as long as the
// glyph cache keeps the mask.
const greyRows = new WeakMap<GlyphMask, MaskRows>();
const indexRows = new WeakMap<GlyphMask, MaskRows>();

const bandWriter = new RunDeflater();
const prefixWriter = new RunDeflater();
let rowCoverage = new Uint8Array(1024);
// Where the prefix stops in each row of the band drawAfterPrefix draws.
let prefixEnds = new Int32Array(64);

/**
 * Returns a line's rows, `width` px wide, deflated as a block: in each row the inked rows of
 * its glyph masks (`placements`, left to right, tops relative to the baseline's row), as their
 * fragments with light runs between (filter None), in the greyscale (255 − coverage) or indexed
 * (coverage) encoding. Where masks overlap in a row their coverage is summed, clamped (cairo
 * fills a line as one path) and written byte by byte. With `prefixGlyphs` > 0, each row's part
 * up to the end of the first `prefixGlyphs` glyphs comes from `prefix` when given, else is
 * encoded apart and returned as a new prefix (unless a row overlaps), so a line that differs
 * from another only after them is drawn from there on. Placements must lie within `width`.
 */
export function drawBand(
  placements: readonly Placement[],
  width: number,
  grey: boolean,
  prefixGlyphs: number,
  prefix: LinePrefix | undefined,
): { band: LineBand; prefix: LinePrefix | null } {
  const { top, rows } = bandExtent(placements);
  const drawn = draw(bandWriter, false, placements, top, rows, width, grey, prefixGlyphs, prefix);
  return { band: { top, rows, block: bandWriter.endFragment() }, prefix: drawn };
}

/**
 * Writes into `stream` the band drawBand returns for these arguments, as stream.putBlock would
 * write its block, with no fragment made (for a line that is not to be cached). Only with a
 * `prefix` to draw from, or `prefixGlyphs` 0: no prefix is built.
 */
export function writeBand(
  stream: RunDeflater,
  placements: readonly Placement[],
  width: number,
  grey: boolean,
  prefixGlyphs: number,
  prefix: LinePrefix | undefined,
): void {
  if (prefixGlyphs > 0 && !prefix) throw new RangeError("writeBand builds no prefix");
  const { top, rows } = bandExtent(placements);
  draw(stream, true, placements, top, rows, width, grey, prefixGlyphs, prefix);
  stream.closeBlock();
}

/** Returns the rows drawBand's band of `placements` spans, from `top` px below the baseline. */
export function bandExtent(placements: readonly Placement[]): { top: number; rows: number } {
  let top = 0;
  let bottom = 0;
  for (const { mask, top: t } of placements) {
    top = Math.min(top, t);
    bottom = Math.max(bottom, t + mask.height);
  }
  return { top, rows: bottom - top };
}

// Writes the band of rows top … top + rows − 1 with `out`: into its stream as a block
// (openBlock) when `inline`, else as a fragment begun here for the caller to end. Returns the
// prefix built, if any (see drawBand).
function draw(
  out: RunDeflater,
  inline: boolean,
  placements: readonly Placement[],
  top: number,
  rows: number,
  width: number,
  grey: boolean,
  prefixGlyphs: number,
  prefix: LinePrefix | undefined,
): LinePrefix | null {
  const lightByte = grey ? 255 : 0;
  if (prefix && prefixGlyphs > 0) {
    if (drawAfterPrefix(out, inline, placements, prefixGlyphs, top, rows, width, grey, prefix)) {
      return null;
    }
  }
  const { first, x, fragments, owner } = sortByRow(placements, 0, top, rows, grey);
  let overlaps = false;
  for (let y = 0; y < rows && !overlaps; y++) {
    overlaps = overlapping(x, fragments, first[y], first[y + 1]);
  }
  const split = prefixGlyphs > 0 && !prefix && !overlaps;
  let built: LinePrefix | null = null;
  if (split) {
    built = { top, rows: [], ends: new Int32Array(rows) };
    for (let y = 0; y < rows; y++) {
      const [from, to] = prefixRange(first, owner, y, prefixGlyphs);
      const end = to > from ? x[to - 1] + fragments[to - 1].length : 0;
      prefixWriter.beginFragment(1 + end, false);
      prefixWriter.putSpans(FILTER_NONE, lightByte, 0, -1, x, fragments, from, to);
      built.rows.push(prefixWriter.endFragment());
      built.ends[y] = end;
    }
  }

  begin(out, inline, rows * (width + 1));
  for (let y = 0; y < rows; y++) {
    if (!split && overlapping(x, fragments, first[y], first[y + 1])) {
      out.put(FILTER_NONE);
      putSummedRow(out, placements, top + y, width, grey);
    } else if (built) {
      out.putFragment(built.rows[y]);
      const [, from] = prefixRange(first, owner, y, prefixGlyphs);
      out.putSpans(-1, lightByte, built.ends[y], width, x, fragments, from, first[y + 1]);
    } else {
      out.putScanline(FILTER_NONE, lightByte, width, x, fragments, first[y], first[y + 1]);
    }
  }
  return built;
}

// Starts the band's `total` bytes: a block in `out`'s stream when `inline`, else a fragment.
function begin(out: RunDeflater, inline: boolean, total: number): void {
  if (inline) out.openBlock(total);
  else out.beginFragment(total, true);
}

// Draws the band of rows top … top + rows − 1 from `prefix` and the glyphs after it
// (placements[prefixGlyphs …]), as draw does, and returns true; or returns false, writing nothing, if a glyph after it overlaps the
// one before in some row.
function drawAfterPrefix(
  out: RunDeflater,
  inline: boolean,
  placements: readonly Placement[],
  prefixGlyphs: number,
  top: number,
  rows: number,
  width: number,
  grey: boolean,
  prefix: LinePrefix,
): boolean {
  const lightByte = grey ? 255 : 0;
  const { first, x, fragments } = sortByRow(placements, prefixGlyphs, top, rows, grey);
  if (prefixEnds.length < rows) prefixEnds = new Int32Array(2 * rows);
  const ends = prefixEnds;
  for (let y = 0; y < rows; y++) {
    const r = top + y - prefix.top;
    ends[y] = r >= 0 && r < prefix.rows.length ? prefix.ends[r] : 0;
    if (first[y] < first[y + 1] && x[first[y]] < ends[y]) return false;
    if (overlapping(x, fragments, first[y], first[y + 1])) return false;
  }
  begin(out, inline, rows * (width + 1));
  for (let y = 0; y < rows; y++) {
    const r = top + y - prefix.top;
    out.putFragment(r >= 0 && r < prefix.rows.length ? prefix.rows[r] : FILTER_ONLY);
    out.putSpans(-1, lightByte, ends[y], width, x, fragments, first[y], first[y + 1]);
  }
  return true;
}

// Returns [first of row y, end of its fragments from the first `glyphs` placements).
function prefixRange(
  first: Int32Array,
  owner: Int32Array,
  y: number,
  glyphs: number,
): [number, number] {
  let end = first[y];
  while (end < first[y + 1] && owner[end] < glyphs) end++;
  return [first[y], end];
}

/**
 * Fragments of a band's rows sorted by row, then left to right: row y's are first[y] …
 * first[y + 1] − 1, each from placement owner[k].
 */
interface RowSegments {
  first: Int32Array;
  x: Int32Array;
  fragments: Fragment[];
  owner: Int32Array;
}

// sortByRow's arrays, grown as needed and reused by every call (a band is drawn and written
// before the next is sorted): a label run sorts its serial line's last glyphs on every call,
// and fresh arrays for a few dozen fragments cost more than sorting them.
const segments: RowSegments = {
  first: new Int32Array(64),
  x: new Int32Array(256),
  fragments: [],
  owner: new Int32Array(256),
};
let nextOfRow = new Int32Array(64);
const encodedRows: MaskRows[] = [];

// Returns the inked mask rows of each band row from placements[from …]: a counting sort of
// (glyph, mask row) by band row. Placements are left to right, so each row's fragments are
// too. The arrays are sortByRow's own (valid until its next call) and may run past the end.
function sortByRow(
  placements: readonly Placement[],
  from: number,
  top: number,
  rows: number,
  grey: boolean,
): RowSegments {
  if (segments.first.length < rows + 1) segments.first = new Int32Array(2 * (rows + 1));
  if (nextOfRow.length < rows) nextOfRow = new Int32Array(2 * rows);
  const first = segments.first;
  first.fill(0, 0, rows + 1);
  for (let i = from; i < placements.length; i++) {
    const encoded = rowsOf(placements[i].mask, grey);
    encodedRows[i - from] = encoded;
    const { starts } = encoded;
    const offset = placements[i].top - top;
    for (let r = 0; r < starts.length; r++) if (starts[r] >= 0) first[offset + r + 1]++;
  }
  for (let y = 0; y < rows; y++) first[y + 1] += first[y];
  const total = first[rows];
  if (segments.x.length < total) {
    segments.x = new Int32Array(2 * total);
    segments.owner = new Int32Array(2 * total);
  }
  const next = nextOfRow;
  next.set(first.subarray(0, rows));
  const { x, owner, fragments } = segments;
  for (let i = from; i < placements.length; i++) {
    const { starts, fragments: list } = encodedRows[i - from];
    const offset = placements[i].top - top;
    for (let r = 0; r < starts.length; r++) {
      if (starts[r] < 0) continue;
      const at = next[offset + r]++;
      x[at] = placements[i].left + starts[r];
      owner[at] = i;
      fragments[at] = list[r] as Fragment;
    }
  }
  encodedRows.length = 0;
  return segments;
}

// Returns whether two of the fragments from…to − 1 overlap.
function overlapping(x: Int32Array, fragments: Fragment[], from: number, to: number): boolean {
  for (let k = from + 1; k < to; k++) {
    if (x[k] < x[k - 1] + fragments[k - 1].length) return true;
  }
  return false;
}

// Writes row y's pixels from the summed coverage of every mask crossing it, clamped at full.
function putSummedRow(
  out: RunDeflater,
  placements: readonly Placement[],
  y: number,
  width: number,
  grey: boolean,
): void {
  if (rowCoverage.length < width) rowCoverage = new Uint8Array(width);
  const row = rowCoverage;
  row.fill(0, 0, width);
  for (const { mask, left, top } of placements) {
    const r = y - top;
    if (r < 0 || r >= mask.height) continue;
    for (let c = 0; c < mask.width; c++) {
      row[left + c] = Math.min(255, row[left + c] + mask.coverage[r * mask.width + c]);
    }
  }
  for (let x = 0; x < width; x++) out.put(grey ? 255 - row[x] : row[x]);
}

// Returns `mask`'s inked rows as fragments (of 255 − coverage for greyscale), from the cache.
function rowsOf(mask: GlyphMask, grey: boolean): MaskRows {
  const cache = grey ? greyRows : indexRows;
  let rows = cache.get(mask);
  if (rows) return rows;
  const { width, height, coverage } = mask;
  const starts = new Int16Array(height).fill(-1);
  const fragments: (Fragment | null)[] = [];
  const line = new Uint8Array(width);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const a = coverage[r * width + c];
      line[c] = grey ? 255 - a : a;
    }
    const [first, last] = trim(line, grey ? 255 : 0);
    if (first < last) starts[r] = first;
    fragments.push(first < last ? encodeFragment(line.subarray(first, last)) : null);
  }
  rows = { starts, fragments };
  cache.set(mask, rows);
  return rows;
}

// Returns [first, last) of `line` without its leading and trailing `blank` bytes.
function trim(line: Uint8Array, blank: number): [number, number] {
  let first = 0;
  while (first < line.length && line[first] === blank) first++;
  let last = line.length;
  while (last > first && line[last - 1] === blank) last--;
  return [first, last];
}
