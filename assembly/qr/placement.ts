// Codeword placement (ISO/IEC 18004:2015 7.7.3): two-module-wide columns from the right edge,
// alternately upwards and downwards, skipping the vertical timing column and every function
// module; bits of each codeword most significant first; leftover (remainder) modules stay light.
// The walk depends only on the function map, so its order of modules is kept for the last
// size and placement is then one store per bit.
import { QR_MAX_MODULES } from "../../src/engine/abi";

// The module indices (u16, row-major) of the walk over the last function map, and how many.
const ORDER: usize = memory.data(QR_MAX_MODULES * 2, 2);
let orderSize = 0;
let orderLength = 0;

// Walks the size x size function map `functions` and records the non-function modules in
// placement order; returns how many.
function walk(size: i32, functions: usize): i32 {
  let n = 0;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right == 6) right = 5;
    const upward = ((right + 1) & 2) == 0;
    for (let vertical = 0; vertical < size; vertical++) {
      const y = upward ? size - 1 - vertical : vertical;
      for (let j = 0; j < 2; j++) {
        const at = y * size + right - j;
        if (load<u8>(functions + <usize>at) != 0) continue;
        store<u16>(ORDER + ((<usize>n) << 1), <u16>at);
        n++;
      }
    }
  }
  return n;
}

/**
 * Writes the `count` codewords at `codewords` into the non-function modules (functions[i] == 0)
 * of the size x size matrix `modules`, row-major, 1 = dark, and clears the modules left over.
 * Returns the bits placed (count·8 when the matrix has room). The walk is reused while `size`
 * stays the same, so `functions` must be the function map of a QR symbol of that size (every
 * map of one size is the same: it depends on the version alone).
 */
export function placeCodewords(
  codewords: usize,
  count: i32,
  size: i32,
  modules: usize,
  functions: usize,
): i32 {
  if (size != orderSize) {
    orderLength = walk(size, functions);
    orderSize = size;
  }
  const whole = min(count, orderLength >> 3);
  let i = 0;
  for (let c = 0; c < whole; c++) {
    const byte = <u32>load<u8>(codewords + <usize>c);
    for (let b = 7; b >= 0; b--) {
      store<u8>(modules + <usize>load<u16>(ORDER + ((<usize>i) << 1)), <u8>((byte >> b) & 1));
      i++;
    }
  }
  // A last codeword that does not fit whole (never for a real version: the capacity is whole
  // codewords and remainder bits), then the remainder bits, light.
  if (whole < count) {
    const byte = <u32>load<u8>(codewords + <usize>whole);
    for (let b = 7; i < orderLength; b--) {
      store<u8>(modules + <usize>load<u16>(ORDER + ((<usize>i) << 1)), <u8>((byte >> b) & 1));
      i++;
    }
    return i;
  }
  const placed = i;
  for (; i < orderLength; i++) store<u8>(modules + <usize>load<u16>(ORDER + ((<usize>i) << 1)), 0);
  return placed;
}
