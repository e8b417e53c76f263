// Choosing the mask (ISO/IEC 18004:2015 7.8.3): the eight candidates scored by the four penalty
// rules on rows and columns packed 64 modules to a word, so each rule costs a few word
// operations per 64 modules instead of several loads per module. Scores are those of
// mask.ts penaltyScore() on the byte matrix (the tests compare the two on every mask).
//
// Per line of n modules, bit i = module i (1 = dark); bits from n up stay 0, which also makes
// modules beyond either end count as light, as rule 3 wants.

import { LOW_BITS, packBytes } from "../bits";
import { FORMAT_MODULES, formatBits, formatPosition } from "./format";
import { maskInverts } from "./mask";

const WORDS = 3; // 177 modules fit in 3 words
// Words the current symbol's lines use (1 up to 64 modules): the rest stay 0 and are skipped.
let words = WORDS;
const MAX_SIZE = 177;
const LINE_BYTES = WORDS * 8;
const LINES = MAX_SIZE * LINE_BYTES;

// Rows (bits over x) and columns (bits over y): the symbol before masking with the format areas
// light (BASE), its function modules (FUNCTION), and the candidate being scored (MASKED).
const BASE_ROWS = memory.data(LINES, 8);
const BASE_COLUMNS = memory.data(LINES, 8);
const FUNCTION_ROWS = memory.data(LINES, 8);
const FUNCTION_COLUMNS = memory.data(LINES, 8);
const MASKED_ROWS = memory.data(LINES, 8);
const MASKED_COLUMNS = memory.data(LINES, 8);
// Per mask and per line index modulo 12 (every mask repeats every 12 modules), the bits the mask
// inverts along that line (rows: over x for y ≡ r; columns: over y for x ≡ r), for 177 modules.
const TILE = 12;
const ROW_PATTERNS = memory.data(8 * TILE * LINE_BYTES, 8);
const COLUMN_PATTERNS = memory.data(8 * TILE * LINE_BYTES, 8);
// Scratch words for the shifted lines of one rule computation.
const T = memory.data(16 * LINE_BYTES, 8);
// Where each format module lies in the symbol packSymbol() packed (formatPosition(), x << 8 | y):
// the same for every mask, so found once per symbol rather than once per candidate.
const FORMAT_AT = memory.data(FORMAT_MODULES * 4, 4);
// Lines of one word (size <= 64, versions 1 to 11: most Digital Links) are scored a row and a
// column at a time, as the two lanes of one v128: row i in the low half, column i in the high.
// PAIR_BASE holds the packed symbol (before masking, format areas light), PAIR_FORMAT the dark
// format modules of the candidate being scored, PAIR_PATTERNS each mask's flips per line index modulo 12, and functionPairs
// points at the function map (a cached slot of NARROW_MAPS, or PAIR_FUNCTION).
const PAIR = 16;
const PAIR_BASE = memory.data(64 * PAIR, 16);
const PAIR_FORMAT = memory.data(64 * PAIR, 16);
const PAIR_FUNCTION = memory.data(64 * PAIR, 16);
const PAIR_PATTERNS = memory.data(8 * TILE * PAIR, 16);
let functionPairs: usize = PAIR_FUNCTION;

for (let m = 0; m < 8; m++) {
  for (let r = 0; r < TILE; r++) {
    const rowAt = ROW_PATTERNS + <usize>((m * TILE + r) * LINE_BYTES);
    const columnAt = COLUMN_PATTERNS + <usize>((m * TILE + r) * LINE_BYTES);
    for (let i = 0; i < MAX_SIZE; i++) {
      if (maskInverts(m, i, r)) setBit(rowAt, i);
      if (maskInverts(m, r, i)) setBit(columnAt, i);
    }
  }
}

for (let k = 0; k < 8 * TILE; k++) {
  const from = <usize>(k * LINE_BYTES);
  const to = PAIR_PATTERNS + <usize>(k * PAIR);
  store<u64>(to, load<u64>(ROW_PATTERNS + from));
  store<u64>(to + 8, load<u64>(COLUMN_PATTERNS + from));
}

// Interleaves the first `size` one-word lines of `rows` and `columns` into pairs at `pairs`.
function pairLines(rows: usize, columns: usize, size: i32, pairs: usize): void {
  for (let i = 0; i < size; i++) {
    const line = <usize>(i * LINE_BYTES);
    const at = pairs + <usize>(i * PAIR);
    store<u64>(at, load<u64>(rows + line));
    store<u64>(at + 8, load<u64>(columns + line));
  }
}

function setBit(line: usize, i: i32): void {
  const at = line + (((i >> 6) as usize) << 3);
  const one: u64 = 1;
  store<u64>(at, load<u64>(at) | (one << ((i & 63) as u64)));
}

function word(line: usize, w: i32): u64 {
  return w < 0 || w >= words ? 0 : load<u64>(line + ((w as usize) << 3));
}

// Word w of the line shifted towards lower indices by k (1..63): bit i of the result is bit
// i + k of the line.
function down(line: usize, w: i32, k: i32): u64 {
  return (word(line, w) >> (k as u64)) | (word(line, w + 1) << ((64 - k) as u64));
}

// Word w of the line shifted towards higher indices by k (1..63): bit i is bit i - k (0 below 0).
function up(line: usize, w: i32, k: i32): u64 {
  return (word(line, w) << (k as u64)) | (word(line, w - 1) >> ((64 - k) as u64));
}

// Word w of the mask of valid positions 0..n-1.
function valid(n: i32, w: i32): u64 {
  const from = w << 6;
  if (n >= from + 64) return <u64>-1;
  if (n <= from) return 0;
  const one: u64 = 1;
  return (one << ((n - from) as u64)) - 1;
}

// Rules 1 and 3 on one line of n modules.
function linePenalty(line: usize, n: i32): i32 {
  // e: bit i when modules i and i + 1 match; a: e at i..i+3, i.e. inside a run of >= 5.
  const e = T;
  for (let w = 0; w < words; w++) {
    store<u64>(e + ((w as usize) << 3), ~(word(line, w) ^ down(line, w, 1)) & valid(n - 1, w));
  }
  const a = T + LINE_BYTES;
  for (let w = 0; w < words; w++) {
    store<u64>(a + ((w as usize) << 3), word(e, w) & down(e, w, 1) & down(e, w, 2) & down(e, w, 3));
  }
  let penalty = 0;
  for (let w = 0; w < words; w++) {
    const aw = word(a, w);
    // A run of L >= 5 leaves L - 4 bits in a and costs 3 + (L - 5) = (L - 4) + 2.
    penalty += <i32>popcnt(aw) + 2 * <i32>popcnt(aw & ~up(a, w, 1));
    // Rule 3: 1011101 from bit i, with light i-4..i-1 or i+7..i+10 (outside is light).
    const r = word(line, w);
    const core =
      r &
      ~down(line, w, 1) &
      down(line, w, 2) &
      down(line, w, 3) &
      down(line, w, 4) &
      ~down(line, w, 5) &
      down(line, w, 6) &
      valid(n - 6, w);
    if (core != 0) {
      const before = ~(up(line, w, 1) | up(line, w, 2) | up(line, w, 3) | up(line, w, 4));
      const after = ~(down(line, w, 7) | down(line, w, 8) | down(line, w, 9) | down(line, w, 10));
      penalty += 40 * <i32>popcnt(core & (before | after));
    }
  }
  return penalty;
}

// Transposes the 64 words (LINE_BYTES apart) at `lines` in place, read as a 64x64 bit matrix
// (bit i of word k becomes bit k of word i): swaps of ever smaller blocks, as in Warren,
// Hacker's Delight, 7-3.
function transpose64(lines: usize): void {
  let j = 32;
  let m: u64 = 0x00000000ffffffff;
  while (j != 0) {
    for (let k = 0; k < 64; k = ((k | j) + 1) & ~j) {
      const a = lines + <usize>(k * LINE_BYTES);
      const b = lines + <usize>((k | j) * LINE_BYTES);
      const t = ((load<u64>(a) >> (j as u64)) ^ load<u64>(b)) & m;
      store<u64>(a, load<u64>(a) ^ (t << (j as u64)));
      store<u64>(b, load<u64>(b) ^ t);
    }
    j >>= 1;
    m ^= m << (j as u64);
  }
}

// The size whose function map is packed (0: none): in FUNCTION_ROWS and FUNCTION_COLUMNS for
// sides above 64, at functionPairs for the narrow ones, whose maps are each packed once into
// a slot of NARROW_MAPS (pairs, as PAIR_BASE) and used from there after.
let functionSize = 0;
const NARROW_SLOTS = (64 - 21) / 4 + 1;
const NARROW_MAPS = memory.data(NARROW_SLOTS * 64 * PAIR, 16);
const NARROW_PACKED = memory.data(NARROW_SLOTS);

/**
 * Packs the size x size byte matrices `modules` (the symbol before masking, format areas light)
 * and `functions` (1 for function modules) into rows and columns, for scoreMask().
 */
export function packSymbol(modules: usize, functions: usize, size: i32): void {
  packLines(functions, size, FUNCTION_ROWS, FUNCTION_COLUMNS);
  if (words == 1) {
    pairLines(FUNCTION_ROWS, FUNCTION_COLUMNS, size, PAIR_FUNCTION);
    functionPairs = PAIR_FUNCTION;
  }
  functionSize = size;
  packModules(modules, size);
}

/**
 * Packs the size x size function map `functions` (1 for function modules) for scoreMask(),
 * unless it holds this size's already: a map depends on the version alone, so each narrow
 * size's is packed once and used from its slot after.
 */
export function packFunctions(functions: usize, size: i32): void {
  if (size == functionSize) return;
  functionSize = size;
  if (size > 64) {
    packLines(functions, size, FUNCTION_ROWS, FUNCTION_COLUMNS);
    return;
  }
  const slot = <usize>((size - 21) >> 2);
  functionPairs = NARROW_MAPS + slot * (64 * PAIR);
  if (load<u8>(NARROW_PACKED + slot) == 0) {
    packLines(functions, size, FUNCTION_ROWS, FUNCTION_COLUMNS);
    pairLines(FUNCTION_ROWS, FUNCTION_COLUMNS, size, functionPairs);
    store<u8>(NARROW_PACKED + slot, 1);
  }
}

/**
 * Packs the size x size symbol `modules` (before masking, format areas light) for scoreMask(),
 * and records where its format modules lie.
 */
export function packModules(modules: usize, size: i32): void {
  for (let k = 0; k < FORMAT_MODULES; k++) {
    store<i32>(FORMAT_AT + <usize>(k << 2), formatPosition(size, k));
  }
  packLines(modules, size, BASE_ROWS, BASE_COLUMNS);
  if (words == 1) pairLines(BASE_ROWS, BASE_COLUMNS, size, PAIR_BASE);
}

// Packs the size x size byte matrix at `matrix` into `rows` (bits over x) and `columns` (bits
// over y), every word the scorer reads written, so nothing needs clearing first.
function packLines(matrix: usize, size: i32, rows: usize, columns: usize): void {
  words = (size + 63) >> 6;
  for (let y = 0; y < size; y++) {
    const from = matrix + <usize>(y * size);
    const at = rows + <usize>(y * LINE_BYTES);
    for (let w = 0; w < words; w++) {
      const start = w << 6;
      store<u64>(at + ((w as usize) << 3), packBytes(from + <usize>start, min(64, size - start)));
    }
  }
  if (words == 1) {
    // One word per line: the columns are the rows' 64x64 bit-matrix transpose, far fewer
    // operations than gathering each column module by module.
    for (let y = 0; y < 64; y++) {
      const at = <usize>(y * LINE_BYTES);
      store<u64>(columns + at, y < size ? load<u64>(rows + at) : 0);
    }
    transpose64(columns);
    return;
  }
  for (let x = 0; x < size; x++) {
    const at = columns + <usize>(x * LINE_BYTES);
    for (let w = 0; w < words; w++) {
      let bits: u64 = 0;
      const end = min(size, (w + 1) << 6);
      for (let y = w << 6; y < end; y++) {
        const dark = load<u8>(matrix + <usize>(y * size + x)) != 0 ? 1 : 0;
        bits |= (<u64>dark) << ((y & 63) as u64);
      }
      store<u64>(at + ((w as usize) << 3), bits);
    }
  }
}

/**
 * Returns the penalty score of the symbol packSymbol() (or packFunctions() and packModules())
 * packed, masked with `mask` (0..7) and with the format information of `level` (0..3) and that
 * mask drawn: rules 1 to 4 as mask.ts penaltyScore() scores the byte matrix. When the score
 * reaches `best` it may stop early and return a partial score, itself at least `best` (the
 * rules only add): a candidate that cannot win is not scored to the end.
 */
export function scoreMask(size: i32, level: i32, mask: i32, best: i32 = i32.MAX_VALUE): i32 {
  if (words == 1) return scoreMaskNarrow(size, level, mask, best);
  for (let i = 0; i < size; i++) {
    const line = <usize>(i * LINE_BYTES);
    const rowPattern = ROW_PATTERNS + <usize>((mask * TILE + (i % TILE)) * LINE_BYTES);
    const columnPattern = COLUMN_PATTERNS + <usize>((mask * TILE + (i % TILE)) * LINE_BYTES);
    for (let w = 0; w < words; w++) {
      const o = line + ((w as usize) << 3);
      const p = (w as usize) << 3;
      const flipRow = load<u64>(rowPattern + p) & ~load<u64>(FUNCTION_ROWS + o) & valid(size, w);
      store<u64>(MASKED_ROWS + o, load<u64>(BASE_ROWS + o) ^ flipRow);
      const flipColumn =
        load<u64>(columnPattern + p) & ~load<u64>(FUNCTION_COLUMNS + o) & valid(size, w);
      store<u64>(MASKED_COLUMNS + o, load<u64>(BASE_COLUMNS + o) ^ flipColumn);
    }
  }
  // The format modules are light in the packed symbol: set the dark ones of this mask.
  const bits = formatBits(level, mask);
  for (let k = 0; k < FORMAT_MODULES; k++) {
    if (((bits >> (k % 15)) & 1) == 0) continue;
    const at = load<i32>(FORMAT_AT + <usize>(k << 2));
    const x = at >> 8;
    const y = at & 0xff;
    setBit(MASKED_ROWS + <usize>(y * LINE_BYTES), x);
    setBit(MASKED_COLUMNS + <usize>(x * LINE_BYTES), y);
  }
  let penalty = 0;
  let dark = 0;
  for (let i = 0; i < size; i++) {
    const row = MASKED_ROWS + <usize>(i * LINE_BYTES);
    penalty += linePenalty(row, size);
    penalty += linePenalty(MASKED_COLUMNS + <usize>(i * LINE_BYTES), size);
    if (penalty >= best) return penalty;
    for (let w = 0; w < words; w++) {
      const r = word(row, w);
      dark += <i32>popcnt(r);
      if (i + 1 < size) {
        // Rule 2: modules x, x+1 of this row and the next all alike.
        const next = row + LINE_BYTES;
        const vertical = ~(r ^ word(next, w));
        const verticalNext = ~(down(row, w, 1) ^ down(next, w, 1));
        const horizontal = ~(r ^ down(row, w, 1));
        penalty += 3 * <i32>popcnt(vertical & verticalNext & horizontal & valid(size - 1, w));
      }
    }
  }
  const total = size * size;
  penalty += ((abs(dark * 2 - total) * 10) / total) * 10;
  return penalty;
}

// Writes the dark format modules of `level` and `mask` into PAIR_FORMAT, rows and columns.
function fillFormatPairs(size: i32, level: i32, mask: i32): void {
  const bits = formatBits(level, mask);
  memory.fill(PAIR_FORMAT, 0, <usize>(size * PAIR));
  const one: u64 = 1;
  for (let k = 0; k < FORMAT_MODULES; k++) {
    if (((bits >> (k % 15)) & 1) == 0) continue;
    const at = load<i32>(FORMAT_AT + <usize>(k << 2));
    const x = at >> 8;
    const y = at & 0xff;
    const row = PAIR_FORMAT + <usize>(y * PAIR);
    store<u64>(row, load<u64>(row) | (one << (x as u64)));
    const column = PAIR_FORMAT + <usize>(x * PAIR) + 8;
    store<u64>(column, load<u64>(column) | (one << (y as u64)));
  }
}

// Spreads bits 0..7 of a byte into bytes 0..7 (bit i to bit 0 of byte i): the byte copied into
// every byte, each keeping its own bit, then any non-zero byte turned into 1.
const BIT_PER_BYTE: u64 = ((<u64>0x80402010) << 32) | 0x08040201;
const SEVEN_BITS: u64 = ((<u64>0x7f7f7f7f) << 32) | 0x7f7f7f7f;

/**
 * Writes the final symbol into the size x size byte matrix `modules` (row-major, 1 = dark) from
 * the packed one (packFunctions() and packModules(); size <= 64): the symbol masked with `mask`
 * and the format information of `level` and that mask drawn, as drawFormat() and applyMask()
 * would make it from the unmasked bytes. Writes up to 7 bytes past the matrix's end.
 */
export function writeMaskedNarrow(modules: usize, size: i32, level: i32, mask: i32): void {
  fillFormatPairs(size, level, mask);
  const all = valid(size, 0);
  const patterns = PAIR_PATTERNS + <usize>(mask * TILE * PAIR);
  let tile = 0;
  for (let y = 0; y < size; y++) {
    const at = <usize>(y * PAIR);
    const flips = load<u64>(patterns + <usize>(tile * PAIR)) & ~load<u64>(functionPairs + at) & all;
    const row = (load<u64>(PAIR_BASE + at) ^ flips) | load<u64>(PAIR_FORMAT + at);
    const out = modules + <usize>(y * size);
    for (let x = 0; x < size; x += 8) {
      const spread = (((row >> (x as u64)) & 0xff) * LOW_BITS) & BIT_PER_BYTE;
      store<u64>(out + <usize>x, ((spread + SEVEN_BITS) >> 7) & LOW_BITS);
    }
    if (++tile == TILE) tile = 0;
  }
}

// The sum of the eight u16 lanes of `v`.
function sumU16(v: v128): i32 {
  const w = i32x4.extadd_pairwise_i16x8_u(v);
  return (
    i32x4.extract_lane(w, 0) +
    i32x4.extract_lane(w, 1) +
    i32x4.extract_lane(w, 2) +
    i32x4.extract_lane(w, 3)
  );
}

// scoreMask() for lines of one word (size <= 64, versions 1 to 11: most Digital Links): row i
// and column i are masked, given their format modules and scored together as the two lanes of
// a v128, in one pass, with no masked copy stored. Per-byte bit counts are summed in u16 lanes
// and added up only where the partial score is compared with `best` (every fourth line). Rule 2
// looks at rows only (the column lane would count the same 2x2 blocks); rule 4's dark count is
// taken over both lanes, twice the symbol's.
function scoreMaskNarrow(size: i32, level: i32, mask: i32, best: i32): i32 {
  fillFormatPairs(size, level, mask);
  const all = i64x2.splat(valid(size, 0));
  const inside = i64x2.splat(valid(size - 1, 0));
  const finderFits = i64x2.splat(valid(size - 6, 0));
  const forty = i16x8.splat(40);
  const rowLane = i64x2(-1, 0);
  const patterns = PAIR_PATTERNS + <usize>(mask * TILE * PAIR);
  const functions = functionPairs;
  let penalties = i16x8.splat(0);
  let darks = i16x8.splat(0);
  let previous = i64x2.splat(0);
  // Rule 2 pairs a row with the one above: none for the first.
  let blockLane = i64x2.splat(0);
  let tile = 0;
  for (let i = 0; i < size; i++) {
    const at = <usize>(i * PAIR);
    const flips = v128.andnot(
      v128.and(v128.load(patterns + <usize>(tile * PAIR)), all),
      v128.load(functions + at),
    );
    const v = v128.or(v128.xor(v128.load(PAIR_BASE + at), flips), v128.load(PAIR_FORMAT + at));
    // Rule 1. e: bit i when modules i and i + 1 match; a: e at i..i+3, inside a run of >= 5. A
    // run of L >= 5 leaves L - 4 bits in a and costs 3 + (L - 5) = (L - 4) + 2.
    const e = v128.andnot(inside, v128.xor(v, i64x2.shr_u(v, 1)));
    const e2 = v128.and(e, i64x2.shr_u(e, 1));
    const a = v128.and(e2, i64x2.shr_u(e2, 2));
    const runs = i8x16.popcnt(v128.andnot(a, i64x2.shl(a, 1)));
    // Rule 2 (rows only): modules x, x+1 of this row and the one above all alike.
    const vertical = v128.not(v128.xor(previous, v));
    const blocks = v128.and(v128.and(vertical, i64x2.shr_u(vertical, 1)), v128.and(e, blockLane));
    const block = i8x16.popcnt(blocks);
    const counts = i8x16.add(
      i8x16.add(i8x16.popcnt(a), i8x16.add(runs, runs)),
      i8x16.add(block, i8x16.add(block, block)),
    );
    // Rule 3: 1011101 from bit i, with light i-4..i-1 or i+7..i+10 (outside is light). Pairs
    // of neighbours (v2: i and i+1 both dark; up, down: i and i-1, i and i+1, either dark)
    // halve the shifts.
    const v2 = v128.and(v, i64x2.shr_u(v, 1));
    const core = v128.and(
      v128.andnot(v128.and(v, i64x2.shr_u(v2, 2)), v128.or(i64x2.shr_u(v, 1), i64x2.shr_u(v, 5))),
      v128.and(i64x2.shr_u(v, 4), v128.and(i64x2.shr_u(v, 6), finderFits)),
    );
    // Dark somewhere in i-4..i-1 (before) and in i+7..i+10 (after): no light side.
    const up = v128.or(v, i64x2.shl(v, 1));
    const down = v128.or(v, i64x2.shr_u(v, 1));
    const before = v128.or(i64x2.shl(up, 1), i64x2.shl(up, 3));
    const after = v128.or(i64x2.shr_u(down, 7), i64x2.shr_u(down, 9));
    const finders = v128.andnot(core, v128.and(before, after));
    penalties = i16x8.add(
      penalties,
      i16x8.add(
        i16x8.extadd_pairwise_i8x16_u(counts),
        i16x8.mul(i16x8.extadd_pairwise_i8x16_u(i8x16.popcnt(finders)), forty),
      ),
    );
    darks = i16x8.add(darks, i16x8.extadd_pairwise_i8x16_u(i8x16.popcnt(v)));
    if ((i & 3) == 3) {
      const partial = sumU16(penalties);
      if (partial >= best) return partial;
    }
    previous = v;
    blockLane = rowLane;
    if (++tile == TILE) tile = 0;
  }
  const cells = size * size;
  return sumU16(penalties) + ((abs(sumU16(darks) - cells) * 10) / cells) * 10;
}
