// Base 256 encodation (ISO/IEC 16022:2006 5.2.9 and Annex B.2): a latch, a length field of one or
// two codewords (or 0: "to the end of the symbol"), then the bytes; every codeword of the field,
// length included, goes through the 255-state randomising algorithm.
import { BASE256_LONG_BASE, BASE256_SHORT_MAX, BASE256_TO_END } from "./modes";

// Annex B.2: R = (V + ((149 · P) mod 255) + 1) mod 256, P the codeword's 1-based position in the
// data codewords. Randomising keeps long runs of equal bytes from printing as regular patterns.
const RANDOM_MULTIPLIER = 149;
const RANDOM_STATES = 255;

/** Returns codeword value `value` (0..255) randomised for 1-based data position `position`. */
export function randomize255(value: u32, position: i32): u8 {
  return <u8>((value + <u32>((RANDOM_MULTIPLIER * position) % RANDOM_STATES) + 1) & 0xff);
}

/** Returns the codewords of the length field of a `length`-byte field: 1 up to 249, else 2. */
export function base256LengthSize(length: i32): i32 {
  return length <= BASE256_SHORT_MAX ? 1 : 2;
}

/**
 * Completes a Base 256 field whose bytes sit at out[lengthAt + 1 .. end), one codeword having been
 * reserved for the length at out[lengthAt]: writes the length (moving the bytes one place right
 * when it needs two codewords; 0 when `toEnd`, the field then filling the symbol), and
 * randomises the whole field. Returns the next free index.
 */
export function closeBase256Field(out: usize, lengthAt: i32, end: i32, toEnd: bool): i32 {
  const length = end - lengthAt - 1;
  if (toEnd) {
    store<u8>(out + <usize>lengthAt, BASE256_TO_END);
  } else if (base256LengthSize(length) == 1) {
    store<u8>(out + <usize>lengthAt, <u8>length);
  } else {
    memory.copy(out + <usize>lengthAt + 2, out + <usize>lengthAt + 1, <usize>length);
    store<u8>(out + <usize>lengthAt, <u8>(length / BASE256_LONG_BASE + BASE256_SHORT_MAX));
    store<u8>(out + <usize>lengthAt + 1, <u8>(length % BASE256_LONG_BASE));
    end++;
  }
  for (let i = lengthAt; i < end; i++) {
    store<u8>(out + <usize>i, randomize255(<u32>load<u8>(out + <usize>i), i + 1));
  }
  return end;
}
