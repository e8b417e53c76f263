// Codeword placement (ISO/IEC 18004:2015 7.7.3): two-module-wide columns from the right edge,
// alternately upwards and downwards, skipping the vertical timing column and every function
// module; bits of each codeword most significant first; leftover (remainder) modules stay light.
// The walk depends only on the function map, so its order of modules is kept per size (the
// larger sizes share one slot) and placement is then one store per bit.
import { QR_MAX_MODULES } from "../../src/engine/abi";

// The module indices (u16, row-major) of the walk, and how many: one slot per side up to
// SMALL_SIDE (versions 1 to 10), one shared by the larger sides.
const SMALL_SIDE = 57;
const SMALL_SLOTS = (SMALL_SIDE - 21) / 4 + 1;
const SMALL_ORDERS: usize = memory.data(SMALL_SLOTS * SMALL_SIDE * SMALL_SIDE * 2, 2);
const SMALL_LENGTHS: usize = memory.data(SMALL_SLOTS * 4, 4);
const LARGE_ORDER: usize = memory.data(QR_MAX_MODULES * 2, 2);
let largeSize = 0;
let largeLength = 0;

// Walks the size x size function map `functions` and records the non-function modules in
// placement order at order; returns how many.
function walk(size: i32, functions: usize, order: usize): i32 {
  let n = 0;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right == 6) right = 5;
    const upward = ((right + 1) & 2) == 0;
    for (let vertical = 0; vertical < size; vertical++) {
      const y = upward ? size - 1 - vertical : vertical;
      for (let j = 0; j < 2; j++) {
        const at = y * size + right - j;
        if (load<u8>(functions + <usize>at) != 0) continue;
        store<u16>(order + ((<usize>n) << 1), <u16>at);
        n++;
      }
    }
  }
  return n;
}

/**
 * Writes the `count` codewords at `codewords` into the non-function modules (functions[i] == 0)
 * of the size x size matrix `modules`, row-major, 1 = dark, and clears the modules left over.
 * Returns the bits placed (count·8 when the matrix has room). The walk is kept per size, so
 * `functions` must be the function map of a QR symbol of that size (every map of one size is
 * the same: it depends on the version alone).
 */
export function placeCodewords(
  codewords: usize,
  count: i32,
  size: i32,
  modules: usize,
  functions: usize,
): i32 {
  let order: usize;
  let orderLength: i32;
  if (size <= SMALL_SIDE) {
    const slot = <usize>((size - 21) >> 2);
    order = SMALL_ORDERS + slot * <usize>(SMALL_SIDE * SMALL_SIDE * 2);
    orderLength = load<i32>(SMALL_LENGTHS + (slot << 2));
    if (orderLength == 0) {
      orderLength = walk(size, functions, order);
      store<i32>(SMALL_LENGTHS + (slot << 2), orderLength);
    }
  } else {
    order = LARGE_ORDER;
    if (size != largeSize) {
      largeLength = walk(size, functions, order);
      largeSize = size;
    }
    orderLength = largeLength;
  }
  const whole = min(count, orderLength >> 3);
  let i = 0;
  for (let c = 0; c < whole; c++) {
    const byte = <u32>load<u8>(codewords + <usize>c);
    for (let b = 7; b >= 0; b--) {
      store<u8>(modules + <usize>load<u16>(order + ((<usize>i) << 1)), <u8>((byte >> b) & 1));
      i++;
    }
  }
  // A last codeword that does not fit whole (never for a real version: the capacity is whole
  // codewords and remainder bits), then the remainder bits, light.
  if (whole < count) {
    const byte = <u32>load<u8>(codewords + <usize>whole);
    for (let b = 7; i < orderLength; b--) {
      store<u8>(modules + <usize>load<u16>(order + ((<usize>i) << 1)), <u8>((byte >> b) & 1));
      i++;
    }
    return i;
  }
  const placed = i;
  for (; i < orderLength; i++) store<u8>(modules + <usize>load<u16>(order + ((<usize>i) << 1)), 0);
  return placed;
}
