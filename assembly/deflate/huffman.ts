// Huffman code lengths limited to a maximum length, and the canonical codes they define
// (RFC 1951 §3.2.2). Lengths come from a two-queue Huffman construction over the symbols
// sorted by frequency; codes longer than the limit are then shortened by moving leaves, which
// keeps the code complete (Kraft sum exactly 1) at a small cost in size.

/** Most symbols of any deflate alphabet (literal/length: 286, plus two unused). */
export const MAX_SYMBOLS = 288;

const SORTED = memory.data(MAX_SYMBOLS << 2, 4);
const SORT_KEYS = memory.data(MAX_SYMBOLS << 3, 8);
// Node frequencies and parents: leaves 0..m-1 in sorted order, internal nodes m..2m-2.
const NODE_FREQ = memory.data(MAX_SYMBOLS << 3, 4);
const PARENT = memory.data(MAX_SYMBOLS << 3, 4);
const DEPTH = memory.data(MAX_SYMBOLS << 3, 4);
const LENGTH_COUNT = memory.data(64, 4);
const NEXT_CODE = memory.data(64, 4);

function i32At(base: usize, index: i32): i32 {
  return load<i32>(base + ((<usize>index) << 2));
}

function setI32(base: usize, index: i32, value: i32): void {
  store<i32>(base + ((<usize>index) << 2), value);
}

/**
 * Writes to `lengths` (one byte per symbol) code lengths of at most `maxBits` for the `count`
 * symbols whose u32 frequencies are at `freq`; unused symbols get 0. Fewer than two used
 * symbols still give a complete two-code set (deflate decoders expect at least one bit per
 * code), so symbols 0 and 1 stand in for the missing ones. Deterministic: ties are broken by
 * symbol number.
 */
export function buildLengths(freq: usize, count: i32, maxBits: i32, lengths: usize): void {
  memory.fill(lengths, 0, <usize>count);
  // Sort keys: frequency above the symbol number, so one integer compare orders by (frequency,
  // symbol). Binary insertion, the tail moved by one memory.copy: alphabets are small and
  // sparse here, and element-wise shifting was a quarter of a label SVG's deflate (callgrind).
  let m = 0;
  for (let s = 0; s < count; s++) {
    const f = <u64>load<u32>(freq + ((<usize>s) << 2));
    if (f == 0) continue;
    const key = (f << 9) | <u64>s;
    let lo = 0;
    let hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (load<u64>(SORT_KEYS + ((<usize>mid) << 3)) > key) hi = mid;
      else lo = mid + 1;
    }
    const at = SORT_KEYS + ((<usize>lo) << 3);
    if (lo < m) memory.copy(at + 8, at, (<usize>(m - lo)) << 3);
    store<u64>(at, key);
    m++;
  }
  for (let i = 0; i < m; i++)
    setI32(SORTED, i, <i32>(load<u64>(SORT_KEYS + ((<usize>i) << 3)) & 511));
  if (m < 2) {
    const used = m == 1 ? i32At(SORTED, 0) : 0;
    store<u8>(lengths + <usize>used, 1);
    store<u8>(lengths + <usize>(used == 0 ? 1 : 0), 1);
    return;
  }
  for (let i = 0; i < m; i++) {
    setI32(NODE_FREQ, i, <i32>load<u32>(freq + ((<usize>i32At(SORTED, i)) << 2)));
  }
  // Two queues, both ascending: the sorted leaves and the internal nodes as they are made.
  let leaf = 0;
  let node = m;
  for (let k = m; k < 2 * m - 1; k++) {
    let sum = 0;
    for (let pick = 0; pick < 2; pick++) {
      let chosen: i32;
      if (leaf < m && (node >= k || i32At(NODE_FREQ, leaf) <= i32At(NODE_FREQ, node))) {
        chosen = leaf++;
      } else {
        chosen = node++;
      }
      sum += i32At(NODE_FREQ, chosen);
      setI32(PARENT, chosen, k);
    }
    setI32(NODE_FREQ, k, sum);
  }
  const root = 2 * m - 2;
  setI32(DEPTH, root, 0);
  for (let k = root - 1; k >= 0; k--) setI32(DEPTH, k, i32At(DEPTH, i32At(PARENT, k)) + 1);
  // Count leaves per length, the overlong ones at maxBits, then restore Kraft's equality: drop
  // one code at maxBits and split a shorter leaf into two one level deeper, until it holds.
  memory.fill(LENGTH_COUNT, 0, 64);
  for (let i = 0; i < m; i++) {
    const d = min(i32At(DEPTH, i), maxBits);
    setI32(LENGTH_COUNT, d, i32At(LENGTH_COUNT, d) + 1);
  }
  let kraft: i64 = 0;
  for (let len = 1; len <= maxBits; len++) {
    kraft += (<i64>i32At(LENGTH_COUNT, len)) << (maxBits - len);
  }
  const full = (<i64>1) << maxBits;
  while (kraft > full) {
    setI32(LENGTH_COUNT, maxBits, i32At(LENGTH_COUNT, maxBits) - 1);
    for (let len = maxBits - 1; len > 0; len--) {
      const c = i32At(LENGTH_COUNT, len);
      if (c > 0) {
        setI32(LENGTH_COUNT, len, c - 1);
        setI32(LENGTH_COUNT, len + 1, i32At(LENGTH_COUNT, len + 1) + 2);
        break;
      }
    }
    kraft--;
  }
  // The least frequent symbols take the longest codes.
  let i = 0;
  for (let len = maxBits; len > 0; len--) {
    for (let c = i32At(LENGTH_COUNT, len); c > 0; c--) {
      store<u8>(lengths + <usize>i32At(SORTED, i++), <u8>len);
    }
  }
}

/**
 * Writes to `codes` (u16 per symbol) the canonical Huffman code of each of the `count` symbols
 * with a non-zero length in `lengths`, bit-reversed so it can be sent least significant bit
 * first as deflate sends codes.
 */
export function canonicalCodes(lengths: usize, count: i32, codes: usize): void {
  memory.fill(LENGTH_COUNT, 0, 64);
  for (let s = 0; s < count; s++) {
    const len = <i32>load<u8>(lengths + <usize>s);
    setI32(LENGTH_COUNT, len, i32At(LENGTH_COUNT, len) + 1);
  }
  setI32(LENGTH_COUNT, 0, 0);
  let code = 0;
  for (let bits = 1; bits < 16; bits++) {
    code = (code + i32At(LENGTH_COUNT, bits - 1)) << 1;
    setI32(NEXT_CODE, bits, code);
  }
  for (let s = 0; s < count; s++) {
    const len = <i32>load<u8>(lengths + <usize>s);
    if (len == 0) continue;
    const c = i32At(NEXT_CODE, len);
    setI32(NEXT_CODE, len, c + 1);
    store<u16>(codes + ((<usize>s) << 1), <u16>(reverse16(c) >> (16 - len)));
  }
}

// The 16 low bits of v in reverse order.
function reverse16(v: i32): i32 {
  v = ((v >> 1) & 0x5555) | ((v & 0x5555) << 1);
  v = ((v >> 2) & 0x3333) | ((v & 0x3333) << 2);
  v = ((v >> 4) & 0x0f0f) | ((v & 0x0f0f) << 4);
  return ((v >> 8) & 0x00ff) | ((v & 0x00ff) << 8);
}
