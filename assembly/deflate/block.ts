// One final deflate block (RFC 1951 §3.2.3) of the LZ77 symbols of the last findMatches call:
// with dynamic Huffman codes (§3.2.7) or the fixed ones (§3.2.6), whichever is smaller, sized
// exactly before a bit is written so a caller can store the input instead when neither helps.
import { buildLengths, canonicalCodes } from "./huffman";
import { DISTANCE_FREQ, DISTANCES, LITERAL_FREQ, OUTPUT, SYMBOLS } from "./scratch";
import {
  CODE_LENGTH_ORDER,
  DISTANCE_BASE,
  DISTANCE_EXTRA,
  distanceCode,
  LENGTH_BASE,
  LENGTH_EXTRA,
  lengthCode,
} from "./tables";

const LITERAL_CODES = 286;
const DISTANCE_CODES = 30;
const CODE_LENGTH_CODES = 19;
const END_OF_BLOCK = 256;

const LITERAL_LENGTHS = memory.data(288);
const DISTANCE_LENGTHS = memory.data(32);
const LITERAL_CODE = memory.data(288 << 1, 2);
const DISTANCE_CODE = memory.data(32 << 1, 2);
const FIXED_LITERAL_LENGTHS = memory.data(288);
const FIXED_DISTANCE_LENGTHS = memory.data(32);
const FIXED_LITERAL_CODE = memory.data(288 << 1, 2);
const FIXED_DISTANCE_CODE = memory.data(32 << 1, 2);
let fixedReady = false;
// The code-length sequence of a dynamic header, run-length coded: symbol 0..18 and its extra.
const RUN_SYMBOL = memory.data(LITERAL_CODES + DISTANCE_CODES);
const RUN_EXTRA = memory.data(LITERAL_CODES + DISTANCE_CODES);
const CODE_LENGTH_FREQ = memory.data(CODE_LENGTH_CODES << 2, 4);
const CODE_LENGTH_LENGTHS = memory.data(CODE_LENGTH_CODES);
const CODE_LENGTH_CODE = memory.data(CODE_LENGTH_CODES << 1, 2);
const SEQUENCE = memory.data(LITERAL_CODES + DISTANCE_CODES);

let out: usize = 0;
let bitBuffer: u64 = 0;
let bitCount: i32 = 0;

function putBits(value: i32, count: i32): void {
  bitBuffer |= (<u64>value) << bitCount;
  bitCount += count;
  if (bitCount >= 32) {
    store<u32>(out, <u32>bitBuffer);
    out += 4;
    bitBuffer >>= 32;
    bitCount -= 32;
  }
}

function fixedCodes(): void {
  for (let s = 0; s < 288; s++) {
    store<u8>(FIXED_LITERAL_LENGTHS + <usize>s, s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8);
  }
  memory.fill(FIXED_DISTANCE_LENGTHS, 5, 32);
  canonicalCodes(FIXED_LITERAL_LENGTHS, 288, FIXED_LITERAL_CODE);
  canonicalCodes(FIXED_DISTANCE_LENGTHS, 32, FIXED_DISTANCE_CODE);
  fixedReady = true;
}

// Table reads in the loops below are unchecked: s, lc and dc come from the fixed tables
// ranges (lengthCode, distanceCode), and the checked reads were calls, not loads (callgrind).

// Bits of the symbols (extra bits included) and end of block under the given code lengths.
function dataBits(literalLengths: usize, distanceLengths: usize): i64 {
  let bits: i64 = 0;
  for (let s = 0; s < LITERAL_CODES; s++) {
    const f = <i64>load<u32>(LITERAL_FREQ + ((<usize>s) << 2));
    if (f == 0) continue;
    let per = <i64>load<u8>(literalLengths + <usize>s);
    if (s > END_OF_BLOCK) per += <i64>unchecked(LENGTH_EXTRA[s - 257]);
    bits += f * per;
  }
  for (let d = 0; d < DISTANCE_CODES; d++) {
    const f = <i64>load<u32>(DISTANCE_FREQ + ((<usize>d) << 2));
    if (f != 0)
      bits += f * (<i64>load<u8>(distanceLengths + <usize>d) + <i64>unchecked(DISTANCE_EXTRA[d]));
  }
  return bits;
}

// Run-length codes the code lengths of the first `literals` literal/length and `distances`
// distance symbols as one sequence (§3.2.7: repeats may cross from one to the other); returns
// the number of runs and counts their symbols in CODE_LENGTH_FREQ.
function runLengths(literals: i32, distances: i32): i32 {
  const total = literals + distances;
  memory.copy(SEQUENCE, LITERAL_LENGTHS, <usize>literals);
  memory.copy(SEQUENCE + <usize>literals, DISTANCE_LENGTHS, <usize>distances);
  memory.fill(CODE_LENGTH_FREQ, 0, CODE_LENGTH_CODES << 2);
  let runs = 0;
  let i = 0;
  while (i < total) {
    const value = <i32>load<u8>(SEQUENCE + <usize>i);
    let run = 1;
    while (i + run < total && <i32>load<u8>(SEQUENCE + <usize>(i + run)) == value) run++;
    i += run;
    if (value == 0) {
      while (run >= 11) {
        const r = min(run, 138);
        runs = addRun(runs, 18, r - 11);
        run -= r;
      }
      if (run >= 3) {
        runs = addRun(runs, 17, run - 3);
        run = 0;
      }
    } else {
      runs = addRun(runs, value, 0);
      run--;
      while (run >= 3) {
        const r = min(run, 6);
        runs = addRun(runs, 16, r - 3);
        run -= r;
      }
    }
    for (; run > 0; run--) runs = addRun(runs, value, 0);
  }
  return runs;
}

function addRun(runs: i32, symbol: i32, extra: i32): i32 {
  store<u8>(RUN_SYMBOL + <usize>runs, <u8>symbol);
  store<u8>(RUN_EXTRA + <usize>runs, <u8>extra);
  const slot = CODE_LENGTH_FREQ + ((<usize>symbol) << 2);
  store<u32>(slot, load<u32>(slot) + 1);
  return runs + 1;
}

function runExtraBits(symbol: i32): i32 {
  return symbol == 16 ? 2 : symbol == 17 ? 3 : symbol == 18 ? 7 : 0;
}

/**
 * Writes the `symbols` LZ77 symbols of the last findMatches call as one final block at OUTPUT,
 * dynamic or fixed codes, whichever is shorter (ties: fixed), unless that block would take
 * `limit` bytes or more. Returns the bytes written, or -1 when it would not be shorter.
 */
export function writeBlock(symbols: i32, limit: i32): i32 {
  if (!fixedReady) fixedCodes();
  buildLengths(LITERAL_FREQ, LITERAL_CODES, 15, LITERAL_LENGTHS);
  buildLengths(DISTANCE_FREQ, DISTANCE_CODES, 15, DISTANCE_LENGTHS);
  let literals = LITERAL_CODES;
  while (literals > 257 && load<u8>(LITERAL_LENGTHS + <usize>(literals - 1)) == 0) literals--;
  let distances = DISTANCE_CODES;
  while (distances > 1 && load<u8>(DISTANCE_LENGTHS + <usize>(distances - 1)) == 0) distances--;
  const runs = runLengths(literals, distances);
  buildLengths(CODE_LENGTH_FREQ, CODE_LENGTH_CODES, 7, CODE_LENGTH_LENGTHS);
  let orderCount = CODE_LENGTH_CODES;
  while (
    orderCount > 4 &&
    load<u8>(CODE_LENGTH_LENGTHS + <usize>CODE_LENGTH_ORDER[orderCount - 1]) == 0
  ) {
    orderCount--;
  }
  let headerBits: i64 = 3 + 5 + 5 + 4 + 3 * orderCount;
  for (let r = 0; r < runs; r++) {
    const symbol = <i32>load<u8>(RUN_SYMBOL + <usize>r);
    headerBits += <i64>load<u8>(CODE_LENGTH_LENGTHS + <usize>symbol) + runExtraBits(symbol);
  }
  const dynamicBits = headerBits + dataBits(LITERAL_LENGTHS, DISTANCE_LENGTHS);
  const fixedBits = 3 + dataBits(FIXED_LITERAL_LENGTHS, FIXED_DISTANCE_LENGTHS);
  const fixed = fixedBits <= dynamicBits;
  const bits = fixed ? fixedBits : dynamicBits;
  if ((bits + 7) >> 3 >= <i64>limit) return -1;

  out = OUTPUT;
  bitBuffer = 0;
  bitCount = 0;
  let literalLengths = FIXED_LITERAL_LENGTHS;
  let literalCode = FIXED_LITERAL_CODE;
  let distanceLengths = FIXED_DISTANCE_LENGTHS;
  let distanceCodeTable = FIXED_DISTANCE_CODE;
  if (fixed) {
    putBits(1 | (1 << 1), 3);
  } else {
    canonicalCodes(LITERAL_LENGTHS, LITERAL_CODES, LITERAL_CODE);
    canonicalCodes(DISTANCE_LENGTHS, DISTANCE_CODES, DISTANCE_CODE);
    canonicalCodes(CODE_LENGTH_LENGTHS, CODE_LENGTH_CODES, CODE_LENGTH_CODE);
    putBits(1 | (2 << 1), 3);
    putBits(literals - 257, 5);
    putBits(distances - 1, 5);
    putBits(orderCount - 4, 4);
    for (let i = 0; i < orderCount; i++) {
      putBits(<i32>load<u8>(CODE_LENGTH_LENGTHS + <usize>CODE_LENGTH_ORDER[i]), 3);
    }
    for (let r = 0; r < runs; r++) {
      const symbol = <i32>load<u8>(RUN_SYMBOL + <usize>r);
      putBits(
        <i32>load<u16>(CODE_LENGTH_CODE + ((<usize>symbol) << 1)),
        <i32>load<u8>(CODE_LENGTH_LENGTHS + <usize>symbol),
      );
      const extra = runExtraBits(symbol);
      if (extra > 0) putBits(<i32>load<u8>(RUN_EXTRA + <usize>r), extra);
    }
    literalLengths = LITERAL_LENGTHS;
    literalCode = LITERAL_CODE;
    distanceLengths = DISTANCE_LENGTHS;
    distanceCodeTable = DISTANCE_CODE;
  }
  for (let k = 0; k < symbols; k++) {
    const symbol = <i32>load<u16>(SYMBOLS + ((<usize>k) << 1));
    if (symbol < 256) {
      putBits(
        <i32>load<u16>(literalCode + ((<usize>symbol) << 1)),
        <i32>load<u8>(literalLengths + <usize>symbol),
      );
      continue;
    }
    const length = symbol - 256;
    const lc = lengthCode(length);
    putBits(
      <i32>load<u16>(literalCode + ((<usize>(257 + lc)) << 1)),
      <i32>load<u8>(literalLengths + <usize>(257 + lc)),
    );
    const lengthExtra = <i32>unchecked(LENGTH_EXTRA[lc]);
    if (lengthExtra > 0) putBits(length - <i32>unchecked(LENGTH_BASE[lc]), lengthExtra);
    const distance = <i32>load<u16>(DISTANCES + ((<usize>k) << 1));
    const dc = distanceCode(distance);
    putBits(
      <i32>load<u16>(distanceCodeTable + ((<usize>dc) << 1)),
      <i32>load<u8>(distanceLengths + <usize>dc),
    );
    const distanceExtra = <i32>unchecked(DISTANCE_EXTRA[dc]);
    if (distanceExtra > 0) putBits(distance - <i32>unchecked(DISTANCE_BASE[dc]), distanceExtra);
  }
  putBits(
    <i32>load<u16>(literalCode + (END_OF_BLOCK << 1)),
    <i32>load<u8>(literalLengths + END_OF_BLOCK),
  );
  while (bitCount > 0) {
    store<u8>(out, <u8>bitBuffer);
    out++;
    bitBuffer >>= 8;
    bitCount -= 8;
  }
  const written = <i32>(out - OUTPUT);
  assert(<i64>written == (bits + 7) >> 3, "block size differs from its estimate");
  return written;
}
