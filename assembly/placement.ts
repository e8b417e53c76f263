// Symbol character placement into the mapping matrix (ISO/IEC 16022:2006 Annex F): the diagonal
// sweep of "utah"-shaped characters, the four corner cases, and the fixed pattern in the
// lower-right corner when 4 modules are left over.
//
// Output, one byte per mapping module, row-major: bit 0 is the module (1 = dark) and the bits
// above count how often the traversal wrote it (value >> 1). A correct traversal writes every
// module exactly once, so the count doubles as the "visited" mark and lets tests prove it.

let mapping: usize = 0;
let rows = 0;
let cols = 0;
let source: usize = 0;

function visited(row: i32, col: i32): bool {
  return load<u8>(mapping + <usize>(row * cols + col)) != 0;
}

// Writes one module: bit `mask` of codeword `chr` at (row, col), wrapping negative coordinates
// to the opposite edge with the shift Annex F prescribes (a utah cut by the top or left edge
// continues at the bottom or right). The left-edge shift can push the row past the bottom in
// the DMRE sizes 26x40 and 26x48 (24 mapping rows, columns 4 modulo 8), which ISO/IEC 16022's
// own sizes never meet; ISO/IEC 21471 readers (zxing-cpp) and writers (zint) wrap it to the top.
function placeBit(row: i32, col: i32, chr: i32, mask: i32): void {
  if (row < 0) {
    row += rows;
    col += 4 - ((rows + 4) & 7);
  }
  if (col < 0) {
    col += cols;
    row += 4 - ((cols + 4) & 7);
  }
  if (row >= rows) row -= rows;
  mark(
    mapping + <usize>(row * cols + col),
    (<i32>load<u8>(source + <usize>chr) & mask) != 0 ? 1 : 0,
  );
}

// Counts one more write of the module at `at` and sets it to `bit`.
function mark(at: usize, bit: i32): void {
  store<u8>(at, <u8>(((<i32>load<u8>(at) | 1) + 1) | bit));
}

// The standard utah shape: eight modules ending at (row, col), most significant bit first.
function utah(row: i32, col: i32, chr: i32): void {
  if (row >= 2 && col >= 2) {
    // Inside the matrix (the common case): no wrapping, fixed offsets from one address.
    const value = <i32>load<u8>(source + <usize>chr);
    const at = mapping + <usize>(row * cols + col);
    const above = at - <usize>cols;
    const twoAbove = above - <usize>cols;
    mark(twoAbove - 2, value >> 7);
    mark(twoAbove - 1, (value >> 6) & 1);
    mark(above - 2, (value >> 5) & 1);
    mark(above - 1, (value >> 4) & 1);
    mark(above, (value >> 3) & 1);
    mark(at - 2, (value >> 2) & 1);
    mark(at - 1, (value >> 1) & 1);
    mark(at, value & 1);
    return;
  }
  placeBit(row - 2, col - 2, chr, 0x80);
  placeBit(row - 2, col - 1, chr, 0x40);
  placeBit(row - 1, col - 2, chr, 0x20);
  placeBit(row - 1, col - 1, chr, 0x10);
  placeBit(row - 1, col, chr, 0x08);
  placeBit(row, col - 2, chr, 0x04);
  placeBit(row, col - 1, chr, 0x02);
  placeBit(row, col, chr, 0x01);
}

// Corner case 1 (Figure F.3), met when the sweep reaches (nrow, 0).
function corner1(chr: i32): void {
  placeBit(rows - 1, 0, chr, 0x80);
  placeBit(rows - 1, 1, chr, 0x40);
  placeBit(rows - 1, 2, chr, 0x20);
  placeBit(0, cols - 2, chr, 0x10);
  placeBit(0, cols - 1, chr, 0x08);
  placeBit(1, cols - 1, chr, 0x04);
  placeBit(2, cols - 1, chr, 0x02);
  placeBit(3, cols - 1, chr, 0x01);
}

// Corner case 2 (Figure F.4), met at (nrow - 2, 0) when ncol is not a multiple of 4.
function corner2(chr: i32): void {
  placeBit(rows - 3, 0, chr, 0x80);
  placeBit(rows - 2, 0, chr, 0x40);
  placeBit(rows - 1, 0, chr, 0x20);
  placeBit(0, cols - 4, chr, 0x10);
  placeBit(0, cols - 3, chr, 0x08);
  placeBit(0, cols - 2, chr, 0x04);
  placeBit(0, cols - 1, chr, 0x02);
  placeBit(1, cols - 1, chr, 0x01);
}

// Corner case 3 (Figure F.5), met at (nrow - 2, 0) when ncol is 4 modulo 8.
function corner3(chr: i32): void {
  placeBit(rows - 3, 0, chr, 0x80);
  placeBit(rows - 2, 0, chr, 0x40);
  placeBit(rows - 1, 0, chr, 0x20);
  placeBit(0, cols - 2, chr, 0x10);
  placeBit(0, cols - 1, chr, 0x08);
  placeBit(1, cols - 1, chr, 0x04);
  placeBit(2, cols - 1, chr, 0x02);
  placeBit(3, cols - 1, chr, 0x01);
}

// Corner case 4 (Figure F.6), met at (nrow + 4, 2) when ncol is a multiple of 8.
function corner4(chr: i32): void {
  placeBit(rows - 1, 0, chr, 0x80);
  placeBit(rows - 1, cols - 1, chr, 0x40);
  placeBit(0, cols - 3, chr, 0x20);
  placeBit(0, cols - 2, chr, 0x10);
  placeBit(0, cols - 1, chr, 0x08);
  placeBit(1, cols - 3, chr, 0x04);
  placeBit(1, cols - 2, chr, 0x02);
  placeBit(1, cols - 1, chr, 0x01);
}

/**
 * Places codewords (read from `codewords`, as many as the matrix holds: floor(nrow·ncol / 8))
 * into the nrow x ncol mapping matrix at `out` (nrow·ncol bytes; see the file header for the
 * byte format), then fills the 2x2 lower-right fixed pattern if those modules were left over.
 * nrow and ncol are the data-region totals of a size (6..132, even). Returns the number of
 * codewords placed.
 */
export function placeCodewords(codewords: usize, nrow: i32, ncol: i32, out: usize): i32 {
  mapping = out;
  rows = nrow;
  cols = ncol;
  source = codewords;
  memory.fill(out, 0, <usize>(nrow * ncol));

  let chr = 0;
  let row = 4;
  let col = 0;
  do {
    // Each corner case is met once, at this point of the sweep, and only for matrix shapes
    // whose column count satisfies its condition.
    if (row == nrow && col == 0) corner1(chr++);
    if (row == nrow - 2 && col == 0 && (ncol & 3) != 0) corner2(chr++);
    if (row == nrow - 2 && col == 0 && (ncol & 7) == 4) corner3(chr++);
    if (row == nrow + 4 && col == 2 && (ncol & 7) == 0) corner4(chr++);
    // Sweep up and to the right.
    do {
      if (row < nrow && col >= 0 && !visited(row, col)) utah(row, col, chr++);
      row -= 2;
      col += 2;
    } while (row >= 0 && col < ncol);
    row += 1;
    col += 3;
    // Sweep down and to the left.
    do {
      if (row >= 0 && col < ncol && !visited(row, col)) utah(row, col, chr++);
      row += 2;
      col -= 2;
    } while (row < nrow && col >= 0);
    row += 3;
    col += 1;
  } while (row < nrow || col < ncol);

  // Four modules left over (nrow·ncol ≡ 4 mod 8): the fixed checkerboard, dark on the diagonal,
  // each module marked as written once (3 = once + dark, 2 = once + light).
  if (!visited(nrow - 1, ncol - 1)) {
    const last = out + <usize>(nrow * ncol - 1);
    store<u8>(last, 3);
    store<u8>(last - 1, 2);
    store<u8>(last - <usize>ncol, 2);
    store<u8>(last - <usize>ncol - 1, 3);
  }
  return chr;
}
