// Dark modules as rectangles for the vector renderers (SVG, PDF): horizontal runs per row, then
// identical runs in consecutive rows merged into one taller rectangle. The host copies a matrix
// in, the rectangles stay here for path.ts to spell (or for the host to read).
import { RECT_SIDE_MAX } from "../../src/engine/abi";
import { packBytes } from "../bits";

/** The matrix to find rectangles in, row-major, one byte per module, non-zero = dark. */
export const RECT_MODULES: usize = memory.data(RECT_SIDE_MAX * RECT_SIDE_MAX);

/** Most rectangles of any matrix: each is a run of a row, at most ceil(columns / 2) a row. */
export const MAX_RECTS = RECT_SIDE_MAX * ((RECT_SIDE_MAX + 1) / 2);

/** The rectangles found, four u16 each: x, y, width, height (module units, origin top-left). */
export const RECTS: usize = memory.data(MAX_RECTS * 8, 8);

// OPEN[x] = 1 + index of the rectangle whose left edge is at x and that reached the previous
// row; a stale entry is told apart by where that rectangle ends.
const OPEN: usize = memory.data(RECT_SIDE_MAX * 4, 4);
// Colour-change positions of the current row (at most columns + 1).
const EDGES: usize = memory.data((RECT_SIDE_MAX + 2) * 4, 4);

// Words of a packed row: one more than columns / 64, so the bit past the last module (where a
// dark run ending at the edge changes colour) has a word too.
const ROW_WORDS = (RECT_SIDE_MAX >> 6) + 1;
const PACKED: usize = memory.data(ROW_WORDS * 8, 8);

// Packs row `row` (`columns` bytes, non-zero = dark) into PACKED, bit x = module x, the bits
// from `columns` up 0 (reading up to 7 bytes past the row: the core's own regions).
function packRow(row: usize, columns: i32): void {
  for (let w = 0; w < ROW_WORDS; w++) {
    const from = w << 6;
    const bits = from < columns ? packBytes(row + <usize>from, min(64, columns - from)) : 0;
    store<u64>(PACKED + ((<usize>w) << 3), bits);
  }
}

/**
 * Finds the dark rectangles of the `rows` x `columns` matrix at RECT_MODULES (1..RECT_SIDE_MAX
 * each; the host checked) and writes them to RECTS, ordered by top row then left edge: each a
 * maximal horizontal run of dark modules, extended downwards while the next row has a run with
 * the same left edge and width. Returns how many; their areas sum to the dark modules.
 */
export function findDarkRectangles(rows: i32, columns: i32): i32 {
  memory.fill(OPEN, 0, (<usize>columns) << 2);
  let count = 0;
  for (let y = 0; y < rows; y++) {
    // Colour changes from the packed row (module -1 and those past the row count as light):
    // dark run k is [EDGES[2k], EDGES[2k + 1]).
    packRow(RECT_MODULES + <usize>(y * columns), columns);
    let n = 0;
    let carry: u64 = 0;
    const words = (columns >> 6) + 1;
    for (let w = 0; w < words; w++) {
      const bits = load<u64>(PACKED + ((<usize>w) << 3));
      let changes = bits ^ ((bits << 1) | carry);
      carry = bits >> 63;
      while (changes != 0) {
        store<i32>(EDGES + ((<usize>n) << 2), (w << 6) + <i32>ctz(changes));
        n++;
        changes &= changes - 1;
      }
    }
    for (let k = 0; k < n; k += 2) {
      const start = load<i32>(EDGES + ((<usize>k) << 2));
      const width = load<i32>(EDGES + ((<usize>(k + 1)) << 2)) - start;
      const open = OPEN + ((<usize>start) << 2);
      // Merging only exact matches keeps rectangles disjoint without any geometry search. The
      // choice is made by select(), not a branch: whether a run continues the one above is
      // data, and mispredicting it cost more than the rest of the search. With no rectangle
      // open here (p = -1) the loads read the 8 bytes before RECTS, which the choice ignores.
      const p = load<i32>(open) - 1;
      const above = RECTS + ((<usize>p) << 3);
      const top = <i32>load<u16>(above, 2);
      const height = <i32>load<u16>(above, 6);
      const merge =
        (p >= 0 ? 1 : 0) &
        (<i32>load<u16>(above, 4) == width ? 1 : 0) &
        (top + height == y ? 1 : 0);
      const target = select<i32>(p, count, merge != 0);
      const r = RECTS + ((<usize>target) << 3);
      store<u16>(r, <u16>start);
      store<u16>(r, <u16>select<i32>(top, y, merge != 0), 2);
      store<u16>(r, <u16>width, 4);
      store<u16>(r, <u16>select<i32>(height + 1, 1, merge != 0), 6);
      store<i32>(open, target + 1);
      count += 1 - merge;
    }
  }
  return count;
}
