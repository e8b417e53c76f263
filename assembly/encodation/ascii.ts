// ASCII encodation (ISO/IEC 16022:2006 5.2.3): one codeword per byte 0..127 (value + 1), one per
// pair of digits (130 + pair), two per byte 128..255 (upper shift, then value - 127); in GS1 mode
// the separator byte is FNC1.
import { GS_BYTE } from "../../src/engine/abi";
import { DIGIT_PAIR_BASE, FNC1, UPPER_SHIFT } from "./modes";

const EXTENDED: u32 = 128;

/** Returns true for the bytes '0'..'9'. */
export function isDigit(b: u32): bool {
  return b - 48 < 10;
}

/** Returns true if input[at] and input[at + 1] exist below `end` and are both digits. */
export function isDigitPair(input: usize, at: i32, end: i32): bool {
  return (
    at + 1 < end &&
    isDigit(<u32>load<u8>(input + <usize>at)) &&
    isDigit(<u32>load<u8>(input + <usize>at + 1))
  );
}

/**
 * Returns the fewest ASCII codewords for input[from..to): digits paired greedily from the left,
 * which is optimal when the whole stretch stays in ASCII. 0 when from >= to.
 */
export function asciiCodewordCount(input: usize, from: i32, to: i32): i32 {
  let count = 0;
  let i = from;
  while (i < to) {
    if (isDigitPair(input, i, to)) {
      i += 2;
    } else {
      if (<u32>load<u8>(input + <usize>i) >= EXTENDED) count++;
      i++;
    }
    count++;
  }
  return count;
}

/**
 * Writes the ASCII codeword(s) of the single byte `b` at out[at..]: FNC1 for GS_BYTE in GS1 mode,
 * upper shift + (b - 127) above 127, else b + 1. Returns the next free index.
 */
export function writeAsciiByte(b: u32, gs1: bool, out: usize, at: i32): i32 {
  if (gs1 && b == GS_BYTE) {
    store<u8>(out + <usize>at, FNC1);
    return at + 1;
  }
  if (b >= EXTENDED) {
    store<u8>(out + <usize>at, UPPER_SHIFT);
    store<u8>(out + <usize>at + 1, <u8>(b - EXTENDED + 1));
    return at + 2;
  }
  store<u8>(out + <usize>at, <u8>(b + 1));
  return at + 1;
}

/** Writes the digit pair input[from], input[from + 1] as one codeword at out[at]; returns at + 1. */
export function writeDigitPair(input: usize, from: i32, out: usize, at: i32): i32 {
  const tens = <u32>load<u8>(input + <usize>from) - 48;
  const ones = <u32>load<u8>(input + <usize>from + 1) - 48;
  store<u8>(out + <usize>at, <u8>(DIGIT_PAIR_BASE + tens * 10 + ones));
  return at + 1;
}

/**
 * Writes input[from..to) in ASCII at out[at..], pairing digits greedily (asciiCodewordCount of
 * them). Returns the next free index.
 */
export function writeAscii(input: usize, from: i32, to: i32, gs1: bool, out: usize, at: i32): i32 {
  let i = from;
  while (i < to) {
    if (isDigitPair(input, i, to)) {
      at = writeDigitPair(input, i, out, at);
      i += 2;
    } else {
      at = writeAsciiByte(<u32>load<u8>(input + <usize>i), gs1, out, at);
      i++;
    }
  }
  return at;
}
