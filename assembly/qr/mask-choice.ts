// Choosing the mask (ISO/IEC 18004:2015 7.8.3): the eight candidates scored by the four penalty
// rules on rows and columns packed 64 modules to a word, so each rule costs a few word
// operations per 64 modules instead of several loads per module. Scores are those of
// mask.ts penaltyScore() on the byte matrix (the tests compare the two on every mask).
//
// Per line of n modules, bit i = module i (1 = dark); bits from n up stay 0, which also makes
// modules beyond either end count as light, as rule 3 wants.

import { packBytes } from "../bits";
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
// One word per line (size <= 64): the dark format modules of the candidate being scored, per row
// and per column, OR-ed into the masked lines as they are scored.
const FORMAT_ROWS = memory.data(64 * 8, 8);
const FORMAT_COLUMNS = memory.data(64 * 8, 8);

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

// The size whose function map FUNCTION_ROWS and FUNCTION_COLUMNS hold (0: none), and packed
// copies of the maps of sides up to 64 (one word a line: versions 1 to 11), a line of rows and
// a line of columns per u64.
let functionSize = 0;
const NARROW_SLOTS = (64 - 21) / 4 + 1;
const NARROW_MAPS = memory.data(NARROW_SLOTS * 2 * 64 * 8, 8);
const NARROW_PACKED = memory.data(NARROW_SLOTS);

/**
 * Packs the size x size byte matrices `modules` (the symbol before masking, format areas light)
 * and `functions` (1 for function modules) into rows and columns, for scoreMask().
 */
export function packSymbol(modules: usize, functions: usize, size: i32): void {
  packLines(functions, size, FUNCTION_ROWS, FUNCTION_COLUMNS);
  functionSize = size;
  packModules(modules, size);
}

/**
 * Packs the size x size function map `functions` (1 for function modules) for scoreMask(),
 * unless it holds this size's already: a map depends on the version alone, so each narrow
 * size's is packed once and copied after.
 */
export function packFunctions(functions: usize, size: i32): void {
  if (size == functionSize) return;
  functionSize = size;
  if (size > 64) {
    packLines(functions, size, FUNCTION_ROWS, FUNCTION_COLUMNS);
    return;
  }
  const slot = <usize>((size - 21) >> 2);
  const packed = NARROW_MAPS + slot * (2 * 64 * 8);
  if (load<u8>(NARROW_PACKED + slot) == 0) {
    packLines(functions, size, FUNCTION_ROWS, FUNCTION_COLUMNS);
    for (let i = 0; i < size; i++) {
      const line = <usize>(i * LINE_BYTES);
      store<u64>(packed + ((<usize>i) << 3), load<u64>(FUNCTION_ROWS + line));
      store<u64>(packed + ((<usize>(64 + i)) << 3), load<u64>(FUNCTION_COLUMNS + line));
    }
    store<u8>(NARROW_PACKED + slot, 1);
    return;
  }
  words = 1;
  for (let i = 0; i < size; i++) {
    const line = <usize>(i * LINE_BYTES);
    store<u64>(FUNCTION_ROWS + line, load<u64>(packed + ((<usize>i) << 3)));
    store<u64>(FUNCTION_COLUMNS + line, load<u64>(packed + ((<usize>(64 + i)) << 3)));
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

// linePenalty() for a line that fits one word (n <= 64, versions 1 to 11: most Digital Links),
// with the neighbouring words known to be 0, so every shift is a plain one.
function linePenaltyNarrow(r: u64, n: i32): i32 {
  const e = ~(r ^ (r >> 1)) & valid(n - 1, 0);
  const a = e & (e >> 1) & (e >> 2) & (e >> 3);
  let penalty = <i32>popcnt(a) + 2 * <i32>popcnt(a & ~(a << 1));
  const core =
    r & ~(r >> 1) & (r >> 2) & (r >> 3) & (r >> 4) & ~(r >> 5) & (r >> 6) & valid(n - 6, 0);
  if (core != 0) {
    const before = ~((r << 1) | (r << 2) | (r << 3) | (r << 4));
    const after = ~((r >> 7) | (r >> 8) | (r >> 9) | (r >> 10));
    penalty += 40 * <i32>popcnt(core & (before | after));
  }
  return penalty;
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

// scoreMask() for lines of one word (size <= 64, versions 1 to 11: most Digital Links): each
// row and column is masked, given its format modules and scored in registers in one pass, with
// no masked copy stored and read back.
function scoreMaskNarrow(size: i32, level: i32, mask: i32, best: i32): i32 {
  const bits = formatBits(level, mask);
  for (let i = 0; i < size; i++) {
    store<u64>(FORMAT_ROWS + <usize>(i << 3), 0);
    store<u64>(FORMAT_COLUMNS + <usize>(i << 3), 0);
  }
  const one: u64 = 1;
  for (let k = 0; k < FORMAT_MODULES; k++) {
    if (((bits >> (k % 15)) & 1) == 0) continue;
    const at = load<i32>(FORMAT_AT + <usize>(k << 2));
    const x = at >> 8;
    const y = at & 0xff;
    const row = FORMAT_ROWS + <usize>(y << 3);
    store<u64>(row, load<u64>(row) | (one << (x as u64)));
    const column = FORMAT_COLUMNS + <usize>(x << 3);
    store<u64>(column, load<u64>(column) | (one << (y as u64)));
  }
  const all = valid(size, 0);
  const inside = valid(size - 1, 0);
  const patterns = <usize>(mask * TILE * LINE_BYTES);
  let penalty = 0;
  let dark = 0;
  let previous: u64 = 0;
  let tile = 0;
  for (let i = 0; i < size; i++) {
    const line = <usize>(i * LINE_BYTES);
    const pattern = patterns + <usize>(tile * LINE_BYTES);
    const r =
      (load<u64>(BASE_ROWS + line) ^
        (load<u64>(ROW_PATTERNS + pattern) & ~load<u64>(FUNCTION_ROWS + line) & all)) |
      load<u64>(FORMAT_ROWS + <usize>(i << 3));
    const c =
      (load<u64>(BASE_COLUMNS + line) ^
        (load<u64>(COLUMN_PATTERNS + pattern) & ~load<u64>(FUNCTION_COLUMNS + line) & all)) |
      load<u64>(FORMAT_COLUMNS + <usize>(i << 3));
    penalty += linePenaltyNarrow(r, size) + linePenaltyNarrow(c, size);
    dark += <i32>popcnt(r);
    if (i > 0) {
      // Rule 2 on this row and the one above.
      const vertical = ~(previous ^ r);
      penalty += 3 * <i32>popcnt(vertical & (vertical >> 1) & ~(r ^ (r >> 1)) & inside);
    }
    if (penalty >= best) return penalty;
    previous = r;
    if (++tile == TILE) tile = 0;
  }
  const cells = size * size;
  return penalty + ((abs(dark * 2 - cells) * 10) / cells) * 10;
}
