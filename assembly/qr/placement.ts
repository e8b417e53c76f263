// Codeword placement (ISO/IEC 18004:2015 7.7.3): two-module-wide columns from the right edge,
// alternately upwards and downwards, skipping the vertical timing column and every function
// module; bits of each codeword most significant first; leftover (remainder) modules stay light.

/**
 * Writes the `count` codewords at `codewords` into the non-function modules (functions[i] == 0)
 * of the size x size matrix `modules`, row-major, 1 = dark. Returns the bits placed
 * (count·8 when the matrix has room).
 */
export function placeCodewords(
  codewords: usize,
  count: i32,
  size: i32,
  modules: usize,
  functions: usize,
): i32 {
  const bits = count * 8;
  let i = 0;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right == 6) right = 5;
    const upward = ((right + 1) & 2) == 0;
    for (let vertical = 0; vertical < size; vertical++) {
      const y = upward ? size - 1 - vertical : vertical;
      for (let j = 0; j < 2; j++) {
        const at = <usize>(y * size + right - j);
        if (load<u8>(functions + at) != 0) continue;
        if (i < bits) {
          const byte = <i32>load<u8>(codewords + <usize>(i >> 3));
          store<u8>(modules + at, <u8>((byte >> (7 - (i & 7))) & 1));
          i++;
        } else {
          store<u8>(modules + at, 0);
        }
      }
    }
  }
  return i;
}
