// Pad codewords after the data (ISO/IEC 16022:2006, the 253-state randomising algorithm, B.1).
import { PAD } from "./encodation/modes";

// The 253-state randomising algorithm: R = PAD + ((149 · P) mod 253) + 1, less 254 when above
// 254, P being the pad's 1-based codeword position. It keeps long runs of pads from printing as
// regular module patterns, which would confuse a reader's locator.
const PAD_MULTIPLIER = 149;
const PAD_STATES = 253;
const CODEWORD_LIMIT = 254;

/**
 * Fills codewords[length..capacity) with pads: the first is PAD (129) as written, each later
 * one randomised by its position. Does nothing when length >= capacity.
 */
export function padCodewords(codewords: usize, length: i32, capacity: i32): void {
  if (length >= capacity) return;
  store<u8>(codewords + <usize>length, PAD);
  for (let i = length + 1; i < capacity; i++) {
    const position = i + 1;
    let r = <i32>PAD + ((PAD_MULTIPLIER * position) % PAD_STATES) + 1;
    if (r > CODEWORD_LIMIT) r -= CODEWORD_LIMIT;
    store<u8>(codewords + <usize>i, <u8>r);
  }
}
