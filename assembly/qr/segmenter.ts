// Optimal segmentation: the mode of every input character such that the segments' bits (mode
// indicators, character counts and data) are fewest, for one count range (the widths of the
// count fields depend on the version). A shortest path over (character, state), exact in bits:
// a state is the mode plus how many characters of its current group are still open (numeric
// packs 3 digits in 10 bits as 4 + 3 + 3, alphanumeric 2 characters in 11 bits as 6 + 5), so
// each character's cost is known from the state alone and no fractional costs are needed (as
// Nayuki's and zint's 1/6-bit estimates are).
import {
  alphanumericLength,
  countBits,
  INDICATOR_BITS,
  isNumeric,
  MODE_ALPHANUMERIC,
  MODE_BYTE,
  MODE_NUMERIC,
} from "./modes";
import { QR_BACK, QR_MODES, SEGMENT_STATES } from "./regions";

// States: 0..2 numeric with 0..2 digits of the group open, 3..4 alphanumeric with 0..1 open,
// 5 byte. START marks the back pointer of the first character.
const NUMERIC_0 = 0;
const ALPHANUMERIC_0 = 3;
const BYTE_STATE = 5;
const START = 6;
// Below 2^24, so that a cost shifted left by 3 (see lower()) stays a positive i32.
const UNREACHABLE: i32 = 0xffffff;

function stateMode(state: i32): i32 {
  return state < ALPHANUMERIC_0 ? MODE_NUMERIC : state < BYTE_STATE ? MODE_ALPHANUMERIC : MODE_BYTE;
}

// The lower of two offers for one state and where it came from, as cost << 3 | from (states
// are below 8): `a` (from `fromA`) unless `b` is strictly lower, so that of equal offers the
// one made first is kept.
function lower(a: i32, fromA: i32, b: i32, fromB: i32): i32 {
  return select((b << 3) | fromB, (a << 3) | fromA, b < a);
}

/**
 * Finds the fewest bits of segments holding the `length` (1..QR_INPUT_CAPACITY) bytes at
 * `input` with count range `range` (0..2; see versions.ts), GS1 mode meaning GS is FNC1.
 * Writes each character's mode (MODE_*) to QR_MODES and returns the bit count (without the
 * FNC1 indicator or terminator). Ties keep the earlier offer, so equal costs stay stable: per
 * state, continuing its own segment is offered before opening one from another mode.
 */
export function segment(input: usize, length: i32, gs1: bool, range: i32): i32 {
  const openNumeric = INDICATOR_BITS + countBits(MODE_NUMERIC, range);
  const openAlphanumeric = INDICATOR_BITS + countBits(MODE_ALPHANUMERIC, range);
  const openByte = INDICATOR_BITS + countBits(MODE_BYTE, range);
  // The cost of each state after the characters so far, in locals, and every choice made by
  // select() rather than a branch: which offer wins depends on the data, and mispredicted
  // branches were most of this loop's time.
  let n0 = UNREACHABLE;
  let n1 = UNREACHABLE;
  let n2 = UNREACHABLE;
  let a0 = UNREACHABLE;
  let a1 = UNREACHABLE;
  let b = UNREACHABLE;
  for (let i = 0; i < length; i++) {
    const byte = <i32>load<u8>(input + <usize>i);
    // The cheapest state of each mode so far (the first character opens from nothing).
    const first = i == 0;
    let bestNumeric = n0;
    let fromNumeric = NUMERIC_0;
    fromNumeric = select(NUMERIC_0 + 1, fromNumeric, n1 < bestNumeric);
    bestNumeric = min(bestNumeric, n1);
    fromNumeric = select(NUMERIC_0 + 2, fromNumeric, n2 < bestNumeric);
    bestNumeric = min(bestNumeric, n2);
    let bestAlphanumeric = a0;
    let fromAlphanumeric = select(ALPHANUMERIC_0 + 1, ALPHANUMERIC_0, a1 < a0);
    bestAlphanumeric = min(a0, a1);
    let bestByte = b;
    let fromByte = BYTE_STATE;
    if (first) {
      bestNumeric = 0;
      bestAlphanumeric = 0;
      bestByte = 0;
      fromNumeric = START;
      fromAlphanumeric = START;
      fromByte = START;
    }
    // Numeric: a group of 3 digits is 4 + 3 + 3 bits.
    const otherForNumeric = min(bestAlphanumeric, bestByte);
    const fromForNumeric = select(fromAlphanumeric, fromByte, bestAlphanumeric <= bestByte);
    const numeric = isNumeric(byte);
    const next1 = lower(n0 + 4, NUMERIC_0, otherForNumeric + openNumeric + 4, fromForNumeric);
    const next2 = ((n1 + 3) << 3) | (NUMERIC_0 + 1);
    const next0 = ((n2 + 3) << 3) | (NUMERIC_0 + 2);
    // Alphanumeric: a pair is 6 + 5 bits; GS1's FNC1 (and a literal %) takes two characters.
    const chars = alphanumericLength(byte, gs1);
    const otherForAlphanumeric = min(bestNumeric, bestByte);
    const fromForAlphanumeric = select(fromNumeric, fromByte, bestNumeric <= bestByte);
    const opened = otherForAlphanumeric + openAlphanumeric;
    // One character: 0 open -> 1 open (+6), 1 open -> 0 open (+5). Two: 0 -> 0 and 1 -> 1 (+11).
    const one = chars == 1;
    const toOpen1 = select(
      lower(a0 + 6, ALPHANUMERIC_0, opened + 6, fromForAlphanumeric),
      ((a1 + 11) << 3) | (ALPHANUMERIC_0 + 1),
      one,
    );
    const toOpen0 = select(
      ((a1 + 5) << 3) | (ALPHANUMERIC_0 + 1),
      lower(a0 + 11, ALPHANUMERIC_0, opened + 11, fromForAlphanumeric),
      one,
    );
    // Byte mode holds every byte.
    const otherForByte = min(bestNumeric, bestAlphanumeric);
    const fromForByte = select(fromNumeric, fromAlphanumeric, bestNumeric <= bestAlphanumeric);
    const nextByte = lower(b + 8, BYTE_STATE, otherForByte + openByte + 8, fromForByte);
    // Costs at or above UNREACHABLE stay UNREACHABLE, as if never offered.
    const never = UNREACHABLE << 3;
    const s0 = select(next0, never, numeric);
    const s1 = select(next1, never, numeric);
    const s2 = select(next2, never, numeric);
    const s3 = select(toOpen0, never, chars > 0);
    const s4 = select(toOpen1, never, chars > 0);
    n0 = min(s0 >> 3, UNREACHABLE);
    n1 = min(s1 >> 3, UNREACHABLE);
    n2 = min(s2 >> 3, UNREACHABLE);
    a0 = min(s3 >> 3, UNREACHABLE);
    a1 = min(s4 >> 3, UNREACHABLE);
    b = min(nextByte >> 3, UNREACHABLE);
    const back = QR_BACK + <usize>(i * SEGMENT_STATES);
    store<u8>(back, <u8>(s0 & 7));
    store<u8>(back + 1, <u8>(s1 & 7));
    store<u8>(back + 2, <u8>(s2 & 7));
    store<u8>(back + 3, <u8>(s3 & 7));
    store<u8>(back + 4, <u8>(s4 & 7));
    store<u8>(back + 5, <u8>(nextByte & 7));
  }
  let best = 0;
  let bits = n0;
  best = select(1, best, n1 < bits);
  bits = min(bits, n1);
  best = select(2, best, n2 < bits);
  bits = min(bits, n2);
  best = select(3, best, a0 < bits);
  bits = min(bits, a0);
  best = select(4, best, a1 < bits);
  bits = min(bits, a1);
  best = select(5, best, b < bits);
  bits = min(bits, b);
  // Walk the back pointers from the cheapest final state to the first character.
  let state = best;
  for (let i = length - 1; i >= 0; i--) {
    store<u8>(QR_MODES + <usize>i, <u8>stateMode(state));
    state = <i32>load<u8>(QR_BACK + <usize>(i * SEGMENT_STATES + state));
  }
  return bits;
}
