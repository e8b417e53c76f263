// The fixed tables of RFC 1951 §3.2.5: match lengths 3..258 as codes 257..285 and distances
// 1..32768 as codes 0..29, each with a base and a count of extra bits; and the order in which
// a dynamic block sends its code-length code lengths (§3.2.7).

/** Extra bits of length codes 257..285 (index code − 257). */
export const LENGTH_EXTRA: StaticArray<u8> = [
  0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
/** Smallest length of length codes 257..285. */
export const LENGTH_BASE: StaticArray<u16> = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
  163, 195, 227, 258,
];
/** Extra bits of distance codes 0..29. */
export const DISTANCE_EXTRA: StaticArray<u8> = [
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];
/** Smallest distance of distance codes 0..29. */
export const DISTANCE_BASE: StaticArray<u16> = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049,
  3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
/** The order of the code-length code lengths in a dynamic block header. */
export const CODE_LENGTH_ORDER: StaticArray<u8> = [
  16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

// Length code (minus 257) of each length 3..258, and distance code of each distance: directly
// for 1..256, by (distance − 1) >> 7 above. Filled when the module starts.
const LENGTH_CODE = memory.data(256);
const DISTANCE_CODE_LOW = memory.data(256);
const DISTANCE_CODE_HIGH = memory.data(256);

function fill(): void {
  for (let code = 0; code < 29; code++) {
    const base = <i32>LENGTH_BASE[code];
    const span = code == 28 ? 1 : 1 << LENGTH_EXTRA[code];
    for (let k = 0; k < span && base + k <= 258; k++) {
      store<u8>(LENGTH_CODE + <usize>(base + k - 3), <u8>code);
    }
  }
  for (let code = 0; code < 30; code++) {
    const base = <i32>DISTANCE_BASE[code];
    const span = 1 << DISTANCE_EXTRA[code];
    for (let d = base; d < base + span; d++) {
      if (d <= 256) store<u8>(DISTANCE_CODE_LOW + <usize>(d - 1), <u8>code);
      else store<u8>(DISTANCE_CODE_HIGH + <usize>((d - 1) >> 7), <u8>code);
    }
  }
}
fill();

/** Length code minus 257 (0..28) of a match length 3..258. */
export function lengthCode(length: i32): i32 {
  return <i32>load<u8>(LENGTH_CODE + <usize>(length - 3));
}

/** Distance code (0..29) of a distance 1..32768. */
export function distanceCode(distance: i32): i32 {
  return distance <= 256
    ? <i32>load<u8>(DISTANCE_CODE_LOW + <usize>(distance - 1))
    : <i32>load<u8>(DISTANCE_CODE_HIGH + <usize>((distance - 1) >> 7));
}
