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
const UNREACHABLE: i32 = 0x3fffffff;

// The costs per state after the characters so far (COST) and after the next one (NEXT): two
// tables whose roles swap per character (a memory.copy per character cost more than the rest
// of the step).
let COST = memory.data(SEGMENT_STATES * 4);
let NEXT = memory.data(SEGMENT_STATES * 4);

function stateMode(state: i32): i32 {
  return state < ALPHANUMERIC_0 ? MODE_NUMERIC : state < BYTE_STATE ? MODE_ALPHANUMERIC : MODE_BYTE;
}

function cost(table: usize, state: i32): i32 {
  return load<i32>(table + ((<usize>state) << 2));
}

function setCost(table: usize, state: i32, value: i32): void {
  store<i32>(table + ((<usize>state) << 2), value);
}

// Offers `value` for state `to` of character `at`, reached from state `from`; keeps the lower.
function offer(at: i32, to: i32, value: i32, from: i32): void {
  if (value < cost(NEXT, to)) {
    setCost(NEXT, to, value);
    store<u8>(QR_BACK + <usize>(at * SEGMENT_STATES + to), <u8>from);
  }
}

// Bits to add `chars` alphanumeric characters to a group with `open` characters open, and the
// open count after (in bit 16).
function alphanumericStep(open: i32, chars: i32): i32 {
  let bits = 0;
  let k = open;
  for (let i = 0; i < chars; i++) {
    bits += k == 0 ? 6 : 5;
    k ^= 1;
  }
  return bits | (k << 16);
}

/**
 * Finds the fewest bits of segments holding the `length` (1..QR_INPUT_CAPACITY) bytes at
 * `input` with count range `range` (0..2; see versions.ts), GS1 mode meaning GS is FNC1.
 * Writes each character's mode (MODE_*) to QR_MODES and returns the bit count (without the
 * FNC1 indicator or terminator). Ties keep the earlier state, so equal costs stay stable.
 */
export function segment(input: usize, length: i32, gs1: bool, range: i32): i32 {
  for (let s = 0; s < SEGMENT_STATES; s++) setCost(COST, s, UNREACHABLE);
  const openNumeric = INDICATOR_BITS + countBits(MODE_NUMERIC, range);
  const openAlphanumeric = INDICATOR_BITS + countBits(MODE_ALPHANUMERIC, range);
  const openByte = INDICATOR_BITS + countBits(MODE_BYTE, range);
  for (let i = 0; i < length; i++) {
    const byte = <i32>load<u8>(input + <usize>i);
    for (let s = 0; s < SEGMENT_STATES; s++) setCost(NEXT, s, UNREACHABLE);
    // The cheapest state of each mode so far (the first character opens from nothing).
    let bestNumeric = UNREACHABLE;
    let fromNumeric = START;
    let bestAlphanumeric = UNREACHABLE;
    let fromAlphanumeric = START;
    const bestByte = i == 0 ? 0 : cost(COST, BYTE_STATE);
    const fromByte = i == 0 ? START : BYTE_STATE;
    for (let s = NUMERIC_0; s < ALPHANUMERIC_0; s++) {
      if (cost(COST, s) < bestNumeric) {
        bestNumeric = cost(COST, s);
        fromNumeric = s;
      }
    }
    for (let s = ALPHANUMERIC_0; s < BYTE_STATE; s++) {
      if (cost(COST, s) < bestAlphanumeric) {
        bestAlphanumeric = cost(COST, s);
        fromAlphanumeric = s;
      }
    }
    if (i == 0) {
      bestNumeric = 0;
      bestAlphanumeric = 0;
    }
    if (!gs1 || byte != 0x1d) {
      if (isNumeric(byte)) {
        // Continuing a numeric segment first, so a tie never opens a needless one.
        for (let k = 0; k < 3; k++) {
          const here = cost(COST, NUMERIC_0 + k);
          if (here < UNREACHABLE) offer(i, NUMERIC_0 + ((k + 1) % 3), here + (k == 0 ? 4 : 3), k);
        }
        const other = min(bestAlphanumeric, bestByte);
        const from = bestAlphanumeric <= bestByte ? fromAlphanumeric : fromByte;
        if (other < UNREACHABLE) offer(i, NUMERIC_0 + 1, other + openNumeric + 4, from);
      }
    }
    const chars = alphanumericLength(byte, gs1);
    if (chars > 0) {
      for (let k = 0; k < 2; k++) {
        const here = cost(COST, ALPHANUMERIC_0 + k);
        if (here >= UNREACHABLE) continue;
        const step = alphanumericStep(k, chars);
        offer(i, ALPHANUMERIC_0 + (step >> 16), here + (step & 0xffff), ALPHANUMERIC_0 + k);
      }
      const other = min(bestNumeric, bestByte);
      const from = bestNumeric <= bestByte ? fromNumeric : fromByte;
      if (other < UNREACHABLE) {
        const step = alphanumericStep(0, chars);
        offer(i, ALPHANUMERIC_0 + (step >> 16), other + openAlphanumeric + (step & 0xffff), from);
      }
    }
    if (i > 0 && cost(COST, BYTE_STATE) < UNREACHABLE) {
      offer(i, BYTE_STATE, cost(COST, BYTE_STATE) + 8, BYTE_STATE);
    }
    const other = min(bestNumeric, bestAlphanumeric);
    const from = bestNumeric <= bestAlphanumeric ? fromNumeric : fromAlphanumeric;
    if (other < UNREACHABLE) offer(i, BYTE_STATE, other + openByte + 8, from);
    const done = COST;
    COST = NEXT;
    NEXT = done;
  }
  let best = 0;
  for (let s = 1; s < SEGMENT_STATES; s++) if (cost(COST, s) < cost(COST, best)) best = s;
  const bits = cost(COST, best);
  // Walk the back pointers from the cheapest final state to the first character.
  let state = best;
  for (let i = length - 1; i >= 0; i--) {
    store<u8>(QR_MODES + <usize>i, <u8>stateMode(state));
    state = <i32>load<u8>(QR_BACK + <usize>(i * SEGMENT_STATES + state));
  }
  return bits;
}
