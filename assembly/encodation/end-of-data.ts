// End-of-data rules (ISO/IEC 16022:2006 5.2.5.2, 5.2.7.2, 5.2.8.2, 5.2.9) and the choice of how
// the planner's path ends for a given capacity. Stopping a scheme costs what the chosen size
// leaves room for, because a decoder goes back to ASCII by itself near the end of the data:
// - C40, Text and X12 are read a codeword pair at a time while at least two codewords remain;
//   a single last codeword is read as ASCII ("implied unlatch").
// - EDIFACT is read a group at a time only while at least three codewords remain; with one or
//   two left the rest is ASCII.
// zxing-cpp (DMDecoder.cpp) and libdmtx (dmtxdecodescheme.c) both decode exactly so. Padding
// after the data (the 253-state pads) is ../padding.ts.
//
// Why the search's cheapest cost per state is enough: every ending below either gets no worse
// with more room, or, where it does (implied unlatch needs exactly one codeword left; EDIFACT's
// implicit return at most two), the cheaper path can take the plain unlatch ending within the
// same capacity. The one exception is C40/Text with two values pending, padded with Shift 1
// only when two or three symbol characters are left: a cheaper path to that state leaving more
// has no such ending. It has another as short, though: putting the run's first values in ASCII
// realigns its triplets (two basic-set characters cost 2, one shifted character 1), and that
// ends with a plain unlatch. Only a run starting with bytes dear in ASCII could escape this: a
// search that also padded with more room left (TEC-IT's way; not kept) found the same fits for
// 1.2 million random (input, capacity) pairs.

import { BASE256_LONG_BASE } from "./modes";
import {
  ASCII,
  BASE256,
  C40,
  costAt,
  EDIFACT,
  fieldStartAt,
  INF,
  TEXT,
  tailCodewords,
  X12,
} from "./states";

/**
 * Returns the codewords that close C40, Text or X12 after a complete triplet with nothing
 * pending, `remaining` (>= 0) symbol characters being free after it: 0 when the symbol is full
 * or has one character left (read as ASCII, so a pad does), else 1 for the unlatch.
 */
export function tripletEndCost(remaining: i32): i32 {
  return remaining >= 2 ? 1 : 0;
}

/**
 * Returns the codewords that finish C40 or Text with two values pending, completed by a Shift 1
 * pad value (5.2.5.2 b), `remaining` symbol characters being free before that last pair: 2 when
 * two are free, or three (the third is then read as ASCII: a pad does, 5.2.5.2 d); otherwise -1.
 * With more left ISO has the encoder unlatch after the last complete triplet instead.
 */
export function shiftPadEndCost(remaining: i32): i32 {
  return remaining == 2 || remaining == 3 ? 2 : -1;
}

/**
 * Returns true if, `remaining` symbol characters being free after a C40, Text or X12 triplet,
 * the last data may go in one ASCII codeword with no unlatch (5.2.5.2 d, 5.2.7.2): exactly one.
 */
export function impliesUnlatch(remaining: i32): bool {
  return remaining == 1;
}

/**
 * Returns true if EDIFACT ends without its unlatch value when `remaining` symbol characters are
 * free at the start of a group (5.2.8.2): at most two, and the data left goes in ASCII.
 */
export function endsEdifactImplicitly(remaining: i32): bool {
  return remaining <= 2;
}

/**
 * Returns the codewords of an EDIFACT group cut short by the unlatch value after `pending`
 * (0..3) data values: 1, 2, 3, 3 (6, 12, 18, 24 bits rounded up to codewords). Valid only when
 * endsEdifactImplicitly is false for the characters free at the group's start.
 */
export function edifactUnlatchSize(pending: i32): i32 {
  return pending == 0 ? 1 : pending == 1 ? 2 : 3;
}

// Endings: how the last state of the path is closed.
/** The path's last state is at the end of the input; its scheme's own rule closes it. */
export const END_STATE = 0;
/** C40/Text/X12 after a triplet with one codeword left: the rest is that codeword in ASCII. */
export const END_IMPLIED = 1;
/** EDIFACT with at most two codewords left: the open group's bytes and the rest go in ASCII. */
export const END_EDIFACT_ASCII = 2;
/** A Base 256 field that fills the symbol: length field 0. */
export const END_TO_END = 3;

let bestTotal = 0;
let bestPosition = 0;
let bestState = 0;
let bestKind = 0;

/** Returns the input position of the last state of the ending chooseEnding chose. */
export function endingPosition(): i32 {
  return bestPosition;
}

/** Returns the state (states.ts) the chosen ending closes. */
export function endingState(): i32 {
  return bestState;
}

/** Returns the kind (END_*) of the chosen ending. */
export function endingKind(): i32 {
  return bestKind;
}

function consider(total: i32, position: i32, state: i32, kind: i32): void {
  if (total < bestTotal) {
    bestTotal = total;
    bestPosition = position;
    bestState = state;
    bestKind = kind;
  }
}

/**
 * Chooses how the searched path over n input bytes ends in `capacity` data codewords: returns
 * the codewords that ending makes (at most capacity; the getters above say which), or -1 if no
 * ending fits. With capacity -1 it returns instead the fewest codewords any capacity could end
 * with, every rule at its most favourable: a lower bound for refusing sizes at once.
 */
export function chooseEnding(n: i32, capacity: i32): i32 {
  const any = capacity < 0;
  bestTotal = INF;

  // Equally short endings are taken in this order (consider keeps the first): the ones whose
  // rule the size makes possible come before the plain unlatch, so the rules get used.
  // 1. ASCII at the end: nothing to close.
  const ascii = costAt(n, ASCII);
  if (any || ascii <= capacity) consider(ascii, n, ASCII, END_STATE);

  // 2. C40 or Text with two values pending: a Shift 1 value completes the triplet.
  for (let s = C40 + 2; s <= TEXT + 2; s += 3) {
    const cost = costAt(n, s);
    if (cost >= INF) continue;
    if (any) {
      consider(cost + 2, n, s, END_STATE);
      continue;
    }
    const end = shiftPadEndCost(capacity - cost);
    if (end >= 0) consider(cost + end, n, s, END_STATE);
  }

  // 3. Implied unlatch: one codeword left after a triplet, and the rest of the input is one
  // ASCII codeword (a byte below 128, FNC1, or a digit pair: one or two bytes).
  for (let from = n - 2; from < n; from++) {
    if (from < 0 || tailCodewords(n - from) != 1) continue;
    for (let s = C40; s <= X12; s += 3) {
      const cost = costAt(from, s);
      if (cost < INF && (any || impliesUnlatch(capacity - cost))) {
        consider(cost + 1, from, s, END_IMPLIED);
      }
    }
  }

  // 4. EDIFACT with at most two characters left at the start of its open group: no unlatch,
  // the group's bytes and the rest of the input in ASCII (at most four bytes: two digit pairs).
  for (let position = n - 4; position <= n; position++) {
    for (let k = 0; k < 4; k++) {
      const from = position - k;
      if (from < 0) continue;
      const cost = costAt(position, EDIFACT + k);
      if (cost >= INF) continue;
      const tail = tailCodewords(n - from);
      if (tail > 2) continue;
      if (any || (endsEdifactImplicitly(capacity - cost) && cost + tail <= capacity)) {
        consider(cost + tail, position, EDIFACT + k, END_EDIFACT_ASCII);
      }
    }
  }

  // 5. C40, Text, X12 at a triplet boundary: an unlatch only if two or more characters are left.
  for (let s = C40; s <= X12; s += 3) {
    const cost = costAt(n, s);
    if (cost >= INF) continue;
    if (any) consider(cost, n, s, END_STATE);
    else if (cost <= capacity) consider(cost + tripletEndCost(capacity - cost), n, s, END_STATE);
  }

  // 6. Base 256 at the end: explicit length, or 0 ("to the end") when that saves the second
  // length codeword of a field longer than 249 bytes and the field then fills the symbol.
  const field = costAt(n, BASE256);
  if (field < INF) {
    const paid = n - fieldStartAt(n) >= BASE256_LONG_BASE;
    if (any) consider(paid ? field - 1 : field, n, BASE256, paid ? END_TO_END : END_STATE);
    else if (field <= capacity) consider(field, n, BASE256, END_STATE);
    else if (paid && field - 1 == capacity) consider(capacity, n, BASE256, END_TO_END);
  }

  return bestTotal >= INF ? -1 : bestTotal;
}
