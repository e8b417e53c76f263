// Run-length matching, zlib's Z_RLE strategy: only matches at distance 1, i.e. runs of one
// byte. For PNG scanlines (filter Up repeats are all zeros, module rows long runs of 0x00 and
// 0xff) it finds what the hash chains of lz77.ts would, without hashing every position; the
// dynamic codes of block.ts then spend a bit or two on the common bytes.
import { commonLength, emitLiteral, emitMatch, MAX_MATCH, MIN_MATCH } from "./lz77";
import { DISTANCE_FREQ, INPUT, LITERAL_FREQ } from "./scratch";

/**
 * Turns the `length` bytes at INPUT into literals and distance-1 matches (SYMBOLS/DISTANCES),
 * greedily, and counts their deflate codes in LITERAL_FREQ/DISTANCE_FREQ (end-of-block
 * included). Returns the number of symbols.
 */
export function findRuns(length: i32): i32 {
  memory.fill(LITERAL_FREQ, 0, 288 << 2);
  memory.fill(DISTANCE_FREQ, 0, 32 << 2);
  let symbols = 0;
  let pos = 0;
  while (pos < length) {
    if (pos > 0) {
      // Comparing each byte with the one before it measures the run of the byte at pos - 1.
      const here = INPUT + <usize>pos;
      const run = commonLength(here - 1, here, min(MAX_MATCH, length - pos));
      if (run >= MIN_MATCH) {
        emitMatch(symbols++, run, 1);
        pos += run;
        continue;
      }
    }
    emitLiteral(symbols++, <i32>load<u8>(INPUT + <usize>pos));
    pos++;
  }
  store<u32>(LITERAL_FREQ + (256 << 2), 1);
  return symbols;
}

// Adler-32's modulus, and the most bytes summed before b could pass 2^32 (zlib's NMAX).
const ADLER_MOD: u32 = 65521;
const ADLER_SPAN = 5552;

/** Returns the Adler-32 (RFC 1950) of the `length` bytes at INPUT, the zlib stream's trailer. */
export function adler32(length: i32): u32 {
  let a: u32 = 1;
  let b: u32 = 0;
  for (let from = 0; from < length; from += ADLER_SPAN) {
    const end = min(length, from + ADLER_SPAN);
    for (let i = from; i < end; i++) {
      a += <u32>load<u8>(INPUT + <usize>i);
      b += a;
    }
    a %= ADLER_MOD;
    b %= ADLER_MOD;
  }
  return (b << 16) | a;
}
