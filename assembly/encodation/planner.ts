// Encodation of input bytes into ECC 200 data codewords (ISO/IEC 16022 5.2).
// Baseline: ASCII only (digit pairs, upper shift, FNC1). The minimal multi-mode planner replaces it.
import { GS_BYTE } from "../../src/engine/abi";
import { DIGIT_PAIR_BASE, FNC1, UPPER_SHIFT } from "./modes";

function isDigit(b: u32): bool {
  return b - 48 < 10;
}

/**
 * Encodes input[0..length) into data codewords at `out`, using at most `capacity` codewords,
 * without padding. In GS1 mode (gs1 = true) the first codeword is FNC1 and every GS_BYTE is FNC1.
 * Returns the number of codewords written, or -1 if they do not fit in `capacity`.
 */
export function planEncodation(input: usize, length: i32, gs1: bool, capacity: i32, out: usize): i32 {
  let n = 0;
  if (gs1) {
    if (n >= capacity) return -1;
    store<u8>(out + n++, FNC1);
  }
  let i = 0;
  while (i < length) {
    const b = <u32>load<u8>(input + i);
    if (n >= capacity) return -1;
    if (i + 1 < length && isDigit(b) && isDigit(load<u8>(input + i + 1))) {
      store<u8>(out + n++, <u8>(DIGIT_PAIR_BASE + (b - 48) * 10 + (load<u8>(input + i + 1) - 48)));
      i += 2;
      continue;
    }
    if (gs1 && b == GS_BYTE) {
      store<u8>(out + n++, FNC1);
    } else if (b >= 128) {
      if (n + 2 > capacity) return -1;
      store<u8>(out + n++, UPPER_SHIFT);
      store<u8>(out + n++, <u8>(b - 127));
    } else {
      store<u8>(out + n++, <u8>(b + 1));
    }
    i++;
  }
  return n;
}
