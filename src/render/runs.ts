// Dark modules as rectangles, shared by the vector renderers (SVG, PDF): horizontal runs per
// row, then identical runs in consecutive rows merged into one taller rectangle, found (and
// spelled, see engine/rectangles.ts) in the WASM core. Browser-safe.
import { RECT_SIDE_MAX } from "../engine/abi.js";
import { findDarkRectangles } from "../engine/rectangles.js";

/** A module matrix: `rows × columns` bytes, row-major, non-zero = dark (the engine's output). */
export interface ModuleMatrix {
  rows: number;
  columns: number;
  modules: Uint8Array;
}

/**
 * Largest side of any symbol drawn: QR version 40 (177×177). The largest ECC 200 symbol is
 * 144×144 (DMRE at most 26×64, rectangles 16×48).
 */
export const MAX_SIDE = RECT_SIDE_MAX;

/**
 * Throws a RangeError unless `symbol` is a plausible module matrix: integer sides 1–177 and
 * exactly rows × columns modules. The renderers call it once so a wiring mistake fails loudly.
 */
export function checkMatrix(symbol: ModuleMatrix): void {
  const { rows, columns, modules } = symbol;
  if (
    !Number.isInteger(rows) ||
    !Number.isInteger(columns) ||
    rows < 1 ||
    columns < 1 ||
    rows > MAX_SIDE ||
    columns > MAX_SIDE
  ) {
    throw new RangeError(
      `module matrix sides must be integers 1-${MAX_SIDE}, got ${rows}x${columns}`,
    );
  }
  if (!(modules instanceof Uint8Array) || modules.length !== rows * columns) {
    throw new RangeError(
      `module matrix of ${rows}x${columns} needs ${rows * columns} modules, got ${modules?.length}`,
    );
  }
}

/**
 * Returns the dark modules of `symbol` as non-overlapping rectangles, flattened
 * `[x, y, width, height, …]` in module units (origin top-left), ordered by top row then left
 * edge. Each is a maximal horizontal run of dark modules, extended downwards while the next row
 * has a run with the same left edge and width. The areas sum to the number of dark modules.
 * Does not validate `symbol` (see checkMatrix).
 */
export function darkRectangles(symbol: ModuleMatrix): Uint16Array {
  const { rects, count } = darkRectanglesView(symbol);
  return rects.slice(0, 4 * count);
}

/**
 * darkRectangles without the copy, for the renderers that write them out at once (see
 * writeRectanglePath): the count and a view of the core's memory, valid only until the next call.
 */
export function darkRectanglesView(symbol: ModuleMatrix): { rects: Uint16Array; count: number } {
  return findDarkRectangles(symbol.rows, symbol.columns, symbol.modules);
}
