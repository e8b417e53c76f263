// Writes the planner's chosen path as codewords: replays the search's back links from the ending
// chooseEnding picked, scheme by scheme. Where the capacity lets a scheme stop more cheaply than
// the search charged (no unlatch after a triplet with at most one codeword left; EDIFACT's
// implicit return with at most two), it does, so it never writes more than the ending promised.

import { INPUT_CAPACITY } from "../../src/engine/abi";
import { writeAscii, writeAsciiByte, writeDigitPair } from "./ascii";
import { closeBase256Field } from "./base256";
import { appendC40Values, packTriplet } from "./c40-text";
import { edifactValue, packEdifact } from "./edifact";
import {
  END_EDIFACT_ASCII,
  END_IMPLIED,
  END_TO_END,
  endingKind,
  endingPosition,
  endingState,
  endsEdifactImplicitly,
  tripletEndCost,
} from "./end-of-data";
import {
  FNC1,
  LATCH_BASE256,
  LATCH_C40,
  LATCH_EDIFACT,
  LATCH_TEXT,
  LATCH_X12,
  SHIFT_1,
  UNLATCH,
} from "./modes";
import { ASCII, BASE256, C40, EDIFACT, linkAt, STATE_MASK, STEP_SHIFT, TEXT, X12 } from "./states";
import { x12Value } from "./x12";

/** The chosen path, (position << 4 | state) as u16, end first; at most 3 steps per position. */
const PATH = memory.data((3 * INPUT_CAPACITY + 4) * 2);
/** Values waiting to be packed: at most 2 pending + 4 of one byte (C40), or 4 (EDIFACT). */
const VALUES = memory.data(8);

/** Stores `value` at base[at]; returns at + 1. */
function put(base: usize, at: i32, value: u8): i32 {
  store<u8>(base + <usize>at, value);
  return at + 1;
}

function writeLatch(state: i32, out: usize, at: i32): i32 {
  let latch = LATCH_EDIFACT;
  if (state == C40) latch = LATCH_C40;
  else if (state == TEXT) latch = LATCH_TEXT;
  else if (state == X12) latch = LATCH_X12;
  else if (state == BASE256) latch = LATCH_BASE256;
  store<u8>(out + <usize>at, latch);
  return at + 1;
}

/** Packs the complete triplets among `pending` VALUES; keeps the rest first. Returns next index. */
function flushTriplets(pending: i32, out: usize, at: i32): i32 {
  let k = 0;
  while (pending - k >= 3) {
    const v = VALUES + <usize>k;
    at = packTriplet(load<u8>(v), load<u8>(v + 1), load<u8>(v + 2), out, at);
    k += 3;
  }
  for (let j = k; j < pending; j++) store<u8>(VALUES + <usize>(j - k), load<u8>(VALUES + <usize>j));
  return at;
}

/**
 * Writes the path the last search found over input[0..n), closed by the ending chooseEnding
 * last chose for `capacity`, as data codewords at out[0..] (FNC1 first in GS1 mode, then
 * `skipped` leading digits as pairs, where the search started). Returns how many: at most what
 * chooseEnding returned.
 */
export function writeCodewords(
  input: usize,
  n: i32,
  gs1: bool,
  capacity: i32,
  skipped: i32,
  out: usize,
): i32 {
  const endPos = endingPosition();
  const endState = endingState();
  const endKind = endingKind();
  // 1. Follow the back links from the ending to (skipped, ASCII); PATH holds the states end first.
  let steps = 0;
  let pos = endPos;
  let state = endState;
  while (true) {
    store<u16>(PATH + ((<usize>steps) << 1), <u16>((pos << STEP_SHIFT) | state));
    steps++;
    if (pos == skipped && state == ASCII) break;
    const link = linkAt(pos, state);
    pos -= link >> STEP_SHIFT;
    state = link & STATE_MASK;
  }

  // 2. Replay it forwards.
  let at = 0;
  if (gs1) {
    store<u8>(out, FNC1);
    at = 1;
  }
  for (let p = 0; p < skipped; p += 2) at = writeDigitPair(input, p, out, at);
  let pending = 0; // values in VALUES
  let groupStart = 0; // input position of the open EDIFACT group's first byte
  let fieldAt = 0; // index of the open Base 256 field's length codeword
  for (let j = steps - 1; j > 0; j--) {
    const from = <i32>load<u16>(PATH + ((<usize>j) << 1));
    const to = <i32>load<u16>(PATH + ((<usize>(j - 1)) << 1));
    const p = from >> STEP_SHIFT;
    const s = from & STATE_MASK;
    if (p == to >> STEP_SHIFT) {
      // A change of scheme at one position: a latch out of ASCII, or a return to it.
      if (s == ASCII) {
        const target = to & STATE_MASK;
        at = writeLatch(target, out, at);
        pending = 0;
        groupStart = p;
        if (target == BASE256) {
          fieldAt = at; // the length codeword, written when the field closes
          at++;
        }
      } else if (s >= EDIFACT && s < BASE256) {
        if (endsEdifactImplicitly(capacity - at)) {
          return finish(writeAscii(input, groupStart, n, gs1, out, at), capacity);
        }
        at = packEdifact(VALUES, pending, true, out, at);
        pending = 0;
      } else if (s == BASE256) {
        at = closeBase256Field(out, fieldAt, at, false);
      } else if (tripletEndCost(capacity - at) > 0) {
        at = put(out, at, UNLATCH);
      }
      continue;
    }
    // Byte p (and p + 1 for a digit pair) in the scheme of state s.
    const b = <u32>load<u8>(input + <usize>p);
    if (s == ASCII) {
      at =
        (to >> STEP_SHIFT) - p == 2
          ? writeDigitPair(input, p, out, at)
          : writeAsciiByte(b, gs1, out, at);
    } else if (s < X12) {
      pending = appendC40Values(b, s >= TEXT, gs1, VALUES, pending);
      at = flushTriplets(pending, out, at);
      pending %= 3;
    } else if (s < EDIFACT) {
      pending = put(VALUES, pending, <u8>x12Value(b));
      at = flushTriplets(pending, out, at);
      pending %= 3;
    } else if (s < BASE256) {
      pending = put(VALUES, pending, <u8>edifactValue(b));
      if (pending == 4) {
        at = packEdifact(VALUES, 4, false, out, at);
        pending = 0;
        groupStart = p + 1;
      }
    } else {
      at = put(out, at, <u8>b);
    }
  }

  // 3. Close the last state as chooseEnding decided.
  if (endKind == END_IMPLIED) {
    at = writeAscii(input, endPos, n, gs1, out, at);
  } else if (endKind == END_EDIFACT_ASCII) {
    at = writeAscii(input, groupStart, n, gs1, out, at);
  } else if (endKind == END_TO_END) {
    at = closeBase256Field(out, fieldAt, at, true);
  } else if (endState == BASE256) {
    at = closeBase256Field(out, fieldAt, at, false);
  } else if (endState != ASCII) {
    if (pending == 2) {
      // Two values pending (C40/Text): a Shift 1 value completes the last triplet.
      store<u8>(VALUES + 2, SHIFT_1);
      at = flushTriplets(3, out, at);
    }
    if (tripletEndCost(capacity - at) > 0) at = put(out, at, UNLATCH);
  }
  return finish(at, capacity);
}

function finish(written: i32, capacity: i32): i32 {
  assert(written <= capacity, "planner wrote past the capacity");
  return written;
}
