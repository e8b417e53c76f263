// EDIFACT encodation (ISO/IEC 16022:2006 5.2.8): ASCII 32..94 as 6-bit values, four to three
// codewords. A group cut short by the unlatch value is filled to a whole codeword with zero bits.
import { EDIFACT_UNLATCH } from "./modes";

/** Returns true if byte `b` is in the EDIFACT set, ASCII 32..94. */
export function isEdifact(b: u32): bool {
  return b - 32 < 63;
}

/** Returns the 6-bit EDIFACT value of byte `b` (32..94): its low six bits. */
export function edifactValue(b: u32): u32 {
  return b & 0x3f;
}

/**
 * Packs `count` (0..4) 6-bit values from values[0..count), then the unlatch value when `unlatch`
 * (count at most 3 then), most significant bit first, into whole codewords at out[at..]; the last
 * codeword is completed with zero bits. Four values make 3 codewords; with the unlatch, 0..3
 * values make 1, 2, 3, 3. Returns the next free index.
 */
export function packEdifact(values: usize, count: i32, unlatch: bool, out: usize, at: i32): i32 {
  let bits: u32 = 0;
  let width = 0;
  for (let i = 0; i < count; i++) {
    bits = (bits << 6) | <u32>load<u8>(values + <usize>i);
    width += 6;
  }
  if (unlatch) {
    bits = (bits << 6) | EDIFACT_UNLATCH;
    width += 6;
  }
  const fill = (8 - (width & 7)) & 7;
  bits <<= <u32>fill;
  width += fill;
  while (width > 0) {
    width -= 8;
    store<u8>(out + <usize>at, <u8>(bits >> <u32>width));
    at++;
  }
  return at;
}
