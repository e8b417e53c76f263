// LZ77 matching for deflate (RFC 1951 §4): hash chains, greedy (the longest match at each
// position is taken), 16 links per search. Measured on label SVGs against zlib's level 6 (lazy
// matching, 128 links): output 6–8 % larger, 1.6x less CPU without HRI text and the same with
// it; lazy matching here cost 15–40 % more time for 2–4 % less output. Hash heads hold
// positions offset by a per-call base, so a new call ignores the last call's entries without
// clearing 128 KiB.

import { DISTANCE_FREQ, DISTANCES, INPUT, LITERAL_FREQ, SYMBOLS } from "./scratch";
import { distanceCode, lengthCode } from "./tables";

/** Shortest and longest deflate match. */
export const MIN_MATCH = 3;
export const MAX_MATCH = 258;
/** Farthest back a match may start: one less than deflate's 32 KiB window (see prev's reuse). */
const MAX_DISTANCE = 32767;
const WINDOW_MASK = 32767;
const HASH_BITS = 15;
const HASH_MASK = (1 << HASH_BITS) - 1;
/** Chain links followed per search. */
const MAX_CHAIN = 16;
/** A match this long ends the search. */
const NICE_LENGTH = 128;
/** A 3-byte match farther than this costs more bits than three literals. */
const TOO_FAR = 4096;

const HEAD = memory.data(4 << HASH_BITS, 4);
const PREV = memory.data(4 << 15, 4);
/** Added to positions in HEAD/PREV; entries below it belong to earlier calls. */
let base: i32 = 1;

let matchLength: i32 = 0;
let matchDistance: i32 = 0;

function hashAt(at: usize): i32 {
  // Multiplicative (Fibonacci) hashing of the 3 bytes: SVG text uses few byte values, which
  // the shift-and-xor hash of zlib spreads poorly. Reads a 4th byte (INPUT is padded) and drops it.
  return <i32>(((load<u32>(at) & 0xffffff) * 0x9e3779b1) >>> (32 - HASH_BITS));
}

// Enters position `pos` in its hash chain and returns the chain's previous head (raw).
function insert(pos: i32): i32 {
  const slot = HEAD + ((<usize>hashAt(INPUT + <usize>pos)) << 2);
  const head = load<i32>(slot);
  store<i32>(PREV + ((<usize>(pos & WINDOW_MASK)) << 2), head);
  store<i32>(slot, base + pos);
  return head;
}

/** Returns how many bytes are equal at `a` and `b`, up to `limit`, eight at a time. */
export function commonLength(a: usize, b: usize, limit: i32): i32 {
  let n = 0;
  while (n + 8 <= limit) {
    const x = load<u64>(a + <usize>n) ^ load<u64>(b + <usize>n);
    if (x != 0) return n + (<i32>ctz(x) >> 3);
    n += 8;
  }
  while (n < limit && load<u8>(a + <usize>n) == load<u8>(b + <usize>n)) n++;
  return n;
}

// The longest match for position `pos` better than `floor`, following the chain from `head`;
// sets matchLength (0 when none) and matchDistance.
function longestMatch(pos: i32, head: i32, floor: i32, end: i32): void {
  matchLength = 0;
  const limit = min(MAX_MATCH, end - pos);
  if (floor >= limit) return;
  let best = floor;
  let chain = MAX_CHAIN;
  const nice = min(NICE_LENGTH, limit);
  const here = INPUT + <usize>pos;
  let raw = head;
  while (raw >= base && chain-- > 0) {
    const candidate = raw - base;
    const distance = pos - candidate;
    if (distance > MAX_DISTANCE) break;
    const there = INPUT + <usize>candidate;
    if (
      load<u8>(there + <usize>best) == load<u8>(here + <usize>best) &&
      load<u16>(there) == load<u16>(here)
    ) {
      const length = commonLength(there, here, limit);
      if (length > best) {
        best = length;
        matchLength = length;
        matchDistance = distance;
        if (length >= nice) break;
      }
    }
    raw = load<i32>(PREV + ((<usize>(candidate & WINDOW_MASK)) << 2));
    if (raw - base >= candidate) break;
  }
  if (matchLength == MIN_MATCH && matchDistance > TOO_FAR) matchLength = 0;
}

/** Records symbol `symbols` as the literal `byte` and counts its code. */
export function emitLiteral(symbols: i32, byte: i32): void {
  store<u16>(SYMBOLS + ((<usize>symbols) << 1), <u16>byte);
  store<u16>(DISTANCES + ((<usize>symbols) << 1), 0);
  const slot = LITERAL_FREQ + ((<usize>byte) << 2);
  store<u32>(slot, load<u32>(slot) + 1);
}

/** Records symbol `symbols` as a match of `length` (3..258) at `distance`, counting its codes. */
export function emitMatch(symbols: i32, length: i32, distance: i32): void {
  store<u16>(SYMBOLS + ((<usize>symbols) << 1), <u16>(256 + length));
  store<u16>(DISTANCES + ((<usize>symbols) << 1), <u16>distance);
  const lengthSlot = LITERAL_FREQ + ((<usize>(257 + lengthCode(length))) << 2);
  store<u32>(lengthSlot, load<u32>(lengthSlot) + 1);
  const distanceSlot = DISTANCE_FREQ + ((<usize>distanceCode(distance)) << 2);
  store<u32>(distanceSlot, load<u32>(distanceSlot) + 1);
}

/**
 * Turns the `length` bytes at INPUT into LZ77 symbols (SYMBOLS/DISTANCES) and counts their
 * deflate codes in LITERAL_FREQ/DISTANCE_FREQ (end-of-block included). Returns the number of
 * symbols.
 */
export function findMatches(length: i32): i32 {
  if (base > 0x3fffffff - length) {
    memory.fill(HEAD, 0, 4 << HASH_BITS);
    base = 1;
  }
  memory.fill(LITERAL_FREQ, 0, 288 << 2);
  memory.fill(DISTANCE_FREQ, 0, 32 << 2);
  let symbols = 0;
  let pos = 0;
  while (pos < length) {
    if (pos + MIN_MATCH <= length) {
      const head = insert(pos);
      longestMatch(pos, head, MIN_MATCH - 1, length);
      if (matchLength >= MIN_MATCH) {
        emitMatch(symbols++, matchLength, matchDistance);
        const next = pos + matchLength;
        for (let p = pos + 1; p < next; p++) if (p + MIN_MATCH <= length) insert(p);
        pos = next;
        continue;
      }
    }
    emitLiteral(symbols++, <i32>load<u8>(INPUT + <usize>pos));
    pos++;
  }
  store<u32>(LITERAL_FREQ + (256 << 2), 1);
  base += length + 1;
  return symbols;
}
