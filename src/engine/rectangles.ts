// The host side of the core's rectangle finder and path writer (assembly/vector/): copies a
// module matrix in, leaves the rectangles in the core, copies their spelling out. Browser-safe,
// like core.ts; the vector renderers (render/svg.ts, render/pdf.ts) are its callers.
import * as wasm from "#core";
import { RECT_SIDE_MAX, RectPathStyle } from "./abi.js";

export { RectPathStyle };

const MODULES = wasm.rectModulesOffset();
const RECTS = wasm.rectsOffset();
const PATH = wasm.rectPathOffset();
// Most rectangles of any matrix: at most ceil(columns / 2) runs a row.
const MAX_RECTS = RECT_SIDE_MAX * Math.ceil(RECT_SIDE_MAX / 2);

let buffer = wasm.memory.buffer;
let bytes = new Uint8Array(buffer);
let rects = new Uint16Array(buffer, RECTS, 4 * MAX_RECTS);

// Memory never grows by design, but views made before a growth would be detached.
function refresh(): void {
  if (wasm.memory.buffer !== buffer) {
    buffer = wasm.memory.buffer;
    bytes = new Uint8Array(buffer);
    rects = new Uint16Array(buffer, RECTS, 4 * MAX_RECTS);
  }
}

/**
 * Finds the dark rectangles of the `rows` x `columns` matrix `modules` (row-major, non-zero =
 * dark; sides 1..RECT_SIDE_MAX, `modules` at least rows·columns long): maximal horizontal runs
 * of dark modules, each extended down while the next row has a run with the same left edge and
 * width, ordered by top row then left edge. Returns their count and a view of the core's
 * memory holding them as `[x, y, width, height, …]` (module units, origin top-left): valid
 * until the next call here, and past `4·count` stale. Throws a RangeError for a side out of range.
 */
export function findDarkRectangles(
  rows: number,
  columns: number,
  modules: Uint8Array,
): { rects: Uint16Array; count: number } {
  refresh();
  const cells = rows * columns;
  bytes.set(cells === modules.length ? modules : modules.subarray(0, cells), MODULES);
  const count = wasm.darkRectangles(rows, columns);
  if (count < 0) {
    throw new RangeError(`matrix sides must be 1-${RECT_SIDE_MAX}, got ${rows}x${columns}`);
  }
  return { rects, count };
}

/**
 * Writes the first `count` rectangles of the last findDarkRectangles() call into `out` at `at`,
 * each shifted by (`dx`, `dy`) (non-negative integers), spelled in `style`: SVG path data
 * `Mx yhwvhh-wz` or PDF `x y w h re\n`. Returns the offset after them. No bounds check on
 * `out`: the caller sized it (SVG: 7 bytes and 5 numbers a rectangle; PDF: 7 bytes and 4).
 */
export function writeRectanglePath(
  out: Uint8Array,
  at: number,
  style: RectPathStyle,
  count: number,
  dx: number,
  dy: number,
): number {
  if (!Number.isInteger(dx) || !Number.isInteger(dy)) {
    throw new RangeError(`rectangle shift must be integers, got (${dx}, ${dy})`);
  }
  // The core writes as many as fit its region per call; a large symbol takes a few.
  for (let from = 0; from < count; ) {
    const next = wasm.writeRectangles(style, from, count, dx, dy);
    if (next <= from) {
      throw new RangeError(`cannot write rectangles ${from}-${count} shifted by (${dx}, ${dy})`);
    }
    refresh();
    const length = wasm.rectPathBytes();
    out.set(bytes.subarray(PATH, PATH + length), at);
    at += length;
    from = next;
  }
  return at;
}
