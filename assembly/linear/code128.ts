// Code 128 and GS1-128 (ISO/IEC 15417, GS1 General Specifications §5.4): the fewest symbol
// characters for the data by a shortest path over (position, code set), start/latch/shift
// characters where the path changes set, FNC1, the mod-103 check character and the stop.
import { GS_BYTE, LINEAR_INPUT_CAPACITY, LinearStatus } from "../../src/engine/abi";
import { inputAt, pushPattern, pushText, setErrorPosition } from "./runs";

// Bar/space widths of symbol character values 0-105, bar first (ISO/IEC 15417 Table 1).
const PATTERNS: StaticArray<i32> = [
  212222,
  222122,
  222221,
  121223,
  121322,
  131222,
  122213,
  122312,
  132212,
  221213, // 0-9
  221312,
  231212,
  112232,
  122132,
  122231,
  113222,
  123122,
  123221,
  223211,
  221132, // 10-19
  221231,
  213212,
  223112,
  312131,
  311222,
  321122,
  321221,
  312212,
  322112,
  322211, // 20-29
  212123,
  212321,
  232121,
  111323,
  131123,
  131321,
  112313,
  132113,
  132311,
  211313, // 30-39
  231113,
  231311,
  112133,
  112331,
  132131,
  113123,
  113321,
  133121,
  313121,
  211331, // 40-49
  231131,
  213113,
  213311,
  213131,
  311123,
  311321,
  331121,
  312113,
  312311,
  332111, // 50-59
  314111,
  221411,
  431111,
  111224,
  111422,
  121124,
  121421,
  141122,
  141221,
  112214, // 60-69
  112412,
  122114,
  122411,
  142112,
  142211,
  241211,
  221114,
  413111,
  241112,
  134111, // 70-79
  111242,
  121142,
  121241,
  114212,
  124112,
  124211,
  411212,
  421112,
  421211,
  212141, // 80-89
  214121,
  412121,
  111143,
  111341,
  131141,
  114113,
  114311,
  411113,
  411311,
  113141, // 90-99
  114131,
  311141,
  411131,
  211412,
  211214,
  211232, // 100-105
];
const STOP = 2331112;

const SET_A = 0;
const SET_B = 1;
const SET_C = 2;
// Values of the special characters (ISO/IEC 15417 Table 1).
const SHIFT = 98;
const FNC1 = 102;
const START_A = 103;
// Latch values by target set: to A (in B and C: 101), to B (in A and C: 100), to C (99).
const LATCH_TO: StaticArray<i32> = [101, 100, 99];

// Path costs: symbol characters × COST_UNIT plus tie-break penalties (far below COST_UNIT, so
// no penalty ever buys a longer symbol). Among equally short encodings they pick what zint 2.11
// picks, so the bars match where they can: fewer set changes (a latch beats a shift), set B over
// set A, FNC1 in set C, digits in set C; an odd digit left over from set C goes last in a run
// that starts the data and first in any other run.
const COST_UNIT: i64 = 1 << 40;
const UNIT: i64 = 1 << 10;
const LATCH_PENALTY: i64 = 64 * UNIT;
const SHIFT_PENALTY: i64 = 80 * UNIT;
const SET_A_PENALTY: i64 = 16 * UNIT;
const DIGIT_AB_PENALTY: i64 = 48 * UNIT;
const FNC1_AB_PENALTY: i64 = 8 * UNIT;
const INFINITY: i64 = i64.MAX_VALUE;

// How a state was reached: the set before (bits 0-1) and the step (bits 2-3).
const STEP_ONE = 0; // one token in the state's set (FNC1 or a character)
const STEP_PAIR = 1; // two digits in set C
const STEP_SHIFT = 2; // shift + one character of the other of sets A/B

const TOKENS = LINEAR_INPUT_CAPACITY + 1;
const COSTS = memory.data((TOKENS + 1) * 3 * 8);
const BACK = memory.data((TOKENS + 1) * 3);
// The symbol characters chosen, in order, before the check character.
const VALUES = memory.data((2 * TOKENS + 4) * 2);

// The token sequence: in GS1 mode an FNC1 first and every GS_BYTE as FNC1 (-1), otherwise the
// input bytes as they are.
let gs1Mode: bool = false;

function token(i: i32): i32 {
  if (gs1Mode) {
    if (i == 0) return -1;
    const code = inputAt(i - 1);
    return code == GS_BYTE ? -1 : code;
  }
  return inputAt(i);
}

function isDigit(t: i32): bool {
  return t >= 48 && t <= 57;
}

// Returns the value of token `t` in set A or B, or -1 when that set lacks it.
function valueIn(set: i32, t: i32): i32 {
  if (t < 0) return FNC1;
  if (set == SET_A) return t < 32 ? t + 64 : t < 96 ? t - 32 : -1;
  return t >= 32 && t < 128 ? t - 32 : -1;
}

function cost(i: i32, set: i32): i64 {
  return load<i64>(COSTS + <usize>((i * 3 + set) * 8));
}

function relax(i: i32, set: i32, value: i64, from: i32, step: i32): void {
  if (value >= cost(i, set)) return;
  store<i64>(COSTS + <usize>((i * 3 + set) * 8), value);
  store<u8>(BACK + <usize>(i * 3 + set), <u8>(from | (step << 2)));
}

// The tie-break penalty of token `t` (at `i` of `n`; the data's leading digits and FNC1s end
// before `lead`) taken in set A or B.
function penaltyAB(set: i32, t: i32, i: i32, n: i32, lead: i32): i64 {
  const inA: i64 = set == SET_A ? SET_A_PENALTY : 0;
  if (t < 0) return inA + FNC1_AB_PENALTY;
  if (isDigit(t)) return inA + DIGIT_AB_PENALTY + <i64>(i < lead ? n - i : i);
  return inA;
}

// Fills COSTS/BACK for `n` tokens: state (i, set) = tokens [0, i) encoded, `set` current.
function searchPaths(n: i32): void {
  for (let i = 0; i <= n; i++) {
    for (let s = 0; s < 3; s++) store<i64>(COSTS + <usize>((i * 3 + s) * 8), INFINITY);
  }
  let lead = 0;
  while (lead < n && (token(lead) < 0 || isDigit(token(lead)))) lead++;
  // The start character selects the first set at the cost of one character, like a latch.
  for (let s = 0; s < 3; s++) relax(0, s, COST_UNIT, s, STEP_ONE);
  for (let i = 0; i < n; i++) {
    const t = token(i);
    const pair = t >= 0 && i + 1 < n && isDigit(t) && isDigit(token(i + 1));
    for (let from = 0; from < 3; from++) {
      const base = cost(i, from);
      if (base == INFINITY) continue;
      for (let to = 0; to < 3; to++) {
        const latch: i64 = from == to ? 0 : COST_UNIT + LATCH_PENALTY;
        if (to == SET_C) {
          if (t < 0) relax(i + 1, to, base + latch + COST_UNIT, from, STEP_ONE);
          else if (pair) relax(i + 2, to, base + latch + COST_UNIT, from, STEP_PAIR);
        } else if (valueIn(to, t) >= 0) {
          const penalty = penaltyAB(to, t, i, n, lead);
          relax(i + 1, to, base + latch + COST_UNIT + penalty, from, STEP_ONE);
        }
      }
      // A shift takes one character from the other of sets A/B and stays in this one.
      if (from != SET_C && t >= 0 && valueIn(1 - from, t) >= 0) {
        const penalty = SHIFT_PENALTY + penaltyAB(1 - from, t, i, n, lead);
        relax(i + 1, from, base + 2 * COST_UNIT + penalty, from, STEP_SHIFT);
      }
    }
  }
}

// Walks BACK from the cheapest end state and writes the symbol characters to VALUES in order;
// returns how many.
function writeValues(n: i32): i32 {
  let set = 0;
  for (let s = 1; s < 3; s++) if (cost(n, s) < cost(n, set)) set = s;
  // The path is only known backwards: one walk counts its characters, the second fills VALUES
  // from the far end.
  let steps = 0;
  for (let i = n, s = set; i > 0; ) {
    const back = <i32>load<u8>(BACK + <usize>(i * 3 + s));
    const step = back >> 2;
    const from = back & 3;
    steps += (from != s ? 1 : 0) + (step == STEP_SHIFT ? 2 : 1);
    i -= step == STEP_PAIR ? 2 : 1;
    s = from;
  }
  let at = steps + 1; // values[0] is the start character
  for (let i = n, s = set; i > 0; ) {
    const back = <i32>load<u8>(BACK + <usize>(i * 3 + s));
    const step = back >> 2;
    const from = back & 3;
    const before = i - (step == STEP_PAIR ? 2 : 1);
    const t = token(before);
    if (step == STEP_PAIR) {
      setValue(--at, (t - 48) * 10 + token(before + 1) - 48);
    } else if (step == STEP_SHIFT) {
      setValue(--at, valueIn(1 - s, t));
      setValue(--at, SHIFT);
    } else {
      setValue(--at, t < 0 ? FNC1 : valueIn(s, t));
    }
    if (from != s) setValue(--at, LATCH_TO[s]);
    i = before;
    s = from;
    if (i == 0) setValue(0, START_A + s);
  }
  assert(at == 1, "code 128 path walk");
  return steps + 1;
}

function setValue(at: i32, value: i32): void {
  store<u16>(VALUES + <usize>(at * 2), <u16>value);
}

function valueAt(at: i32): i32 {
  return <i32>load<u16>(VALUES + <usize>(at * 2));
}

/**
 * Encodes the `length` input bytes (ASCII 0-127) as Code 128 with the fewest symbol characters,
 * or with `gs1` as GS1-128: FNC1 after the start and each GS_BYTE as FNC1. Writes start, data,
 * check and stop characters (11 modules each, stop 13) and the input bytes as text. Returns OK,
 * EMPTY, TOO_LONG (above LINEAR_INPUT_CAPACITY) or INVALID_CHARACTER (a byte above 127; in GS1
 * mode a GS_BYTE first or last is refused too, as GS1 places FNC1 only between fields).
 */
export function encodeCode128(length: i32, gs1: bool): i32 {
  if (length <= 0) return LinearStatus.EMPTY;
  if (length > LINEAR_INPUT_CAPACITY) return LinearStatus.TOO_LONG;
  for (let i = 0; i < length; i++) {
    const code = inputAt(i);
    const misplacedGs = gs1 && code == GS_BYTE && (i == 0 || i == length - 1);
    if (code > 127 || misplacedGs) {
      setErrorPosition(i);
      return LinearStatus.INVALID_CHARACTER;
    }
  }
  gs1Mode = gs1;
  const n = gs1 ? length + 1 : length;
  searchPaths(n);
  const count = writeValues(n);
  let sum = valueAt(0);
  for (let i = 0; i < count; i++) {
    const value = valueAt(i);
    if (i > 0) sum += value * i;
    pushPattern(PATTERNS[value], 6, false);
  }
  pushPattern(PATTERNS[sum % 103], 6, false);
  pushPattern(STOP, 7, false);
  for (let i = 0; i < length; i++) pushText(inputAt(i));
  return LinearStatus.OK;
}
