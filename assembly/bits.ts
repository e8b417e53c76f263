// Bytes to bits: the module matrices are one byte per module, the scorers and the rectangle
// finder work on 64 modules to a word.

// Gathers bit 0 of each of the 8 bytes of a word into bits 0..7 (byte i to bit i): every
// product term lands on its own bit, so there are no carries. Built from halves: as one literal
// the linter, reading it as a JavaScript number, loses bits.
const GATHER: u64 = ((<u64>0x01020408) << 32) | 0x10204080;
/** Bit 0 of every byte of a word. */
export const LOW_BITS: u64 = ((<u64>0x01010101) << 32) | 0x01010101;

/**
 * Returns the 8 bytes at `at` as 8 bits, bit i set when byte i is non-zero. Reads all 8 bytes:
 * a caller packing fewer masks the rest off.
 */
export function packEightBytes(at: usize): u64 {
  let v = load<u64>(at);
  v |= v >> 4;
  v |= v >> 2;
  v |= v >> 1;
  return ((v & LOW_BITS) * GATHER) >> 56;
}

/**
 * Returns bytes [at, at + count) (count 1..64) as bits, bit i set when byte i is non-zero, the
 * bits from `count` up 0. Reads up to 7 bytes past the end (ignored): the caller's memory must
 * extend that far, as the core's static regions do.
 */
export function packBytes(at: usize, count: i32): u64 {
  let word: u64 = 0;
  for (let i = 0; i < count; i += 8) word |= packEightBytes(at + <usize>i) << (i as u64);
  return count == 64 ? word : word & (((<u64>1) << (count as u64)) - 1);
}
