// Minimal encodation (ISO/IEC 16022:2006 5.2): the fewest data codewords that carry the input in a
// symbol of a given data capacity, over every mix of ASCII, C40, Text, X12, EDIFACT and Base 256.
//
// How: a shortest path over states (input position, scheme, values pending). Latches, unlatches
// and the end of a Base 256 field are moves at one position; a byte is a move to the next one
// (a digit pair in ASCII to the one after). A triplet scheme's state counts the values not yet
// packed (0..2), EDIFACT's the values of the open group (0..3), so a character whose shift and
// value fall into two triplets needs no special case: its values land where they land, and the
// cost grows by 2 each time a triplet completes (3 when an EDIFACT group does). Costs only grow
// along a path, so one forward pass in position order settles every state; at one position the
// returns to ASCII are relaxed before the latches out of it, which is the only order a path uses.
//
// Why per capacity: the cheapest ways to stop a scheme depend on how many symbol characters are
// left (end-of-data.ts), e.g. C40 needs no unlatch when the symbol is full and puts a last single
// character in ASCII when one codeword is left. Reference encoders minimise codewords first and
// fit a size after, so they pay for an unlatch the size would have made unnecessary (see the
// anchors note: a 20x20 that zint makes 22x22). Here the search runs once per input (cached), and
// each candidate capacity only chooses among the endings the search left (chooseEnding), so a
// caller that tries sizes in ascending order pays for one search and a few comparisons.
//
// Exactness: the search keeps only the cheapest cost per state, which is enough because an
// ending that needs an exact amount of room has an equally short alternative when there is more
// (argued in end-of-data.ts). Moves that a decoder would read differently near the end (an
// EDIFACT unlatch with two codewords left) are charged in full here and saved by the writer.
//
// Pruning: Text is dropped when the input has no small letter (C40 then costs no more for any
// byte), C40 when it has small letters but no capital, X12 when it has none of CR * > (C40 or
// Text then packs the same bytes as cheaply and ends at least as cheaply), Base 256 when no byte
// is above 127 (ASCII then costs no more per byte and needs no latch). None of this changes the
// minimum; it halves the work on GS1 data.
import { GS_BYTE, INPUT_CAPACITY } from "../../src/engine/abi";
import { asciiCodewordCount, isDigit, isDigitPair } from "./ascii";
import { c40ValueCount } from "./c40-text";
import { isEdifact } from "./edifact";
import { chooseEnding, edifactUnlatchSize } from "./end-of-data";
import { BASE256_LONG_BASE } from "./modes";
import {
  ASCII,
  BASE256,
  C40,
  clearSlot,
  EDIFACT,
  fieldStartAt,
  INF,
  LINKS,
  STATES,
  STEP_1,
  STEP_2,
  setFieldStart,
  setTailCodewords,
  slot,
  TEXT,
  X12,
} from "./states";
import { writeCodewords } from "./writer";
import { isX12, isX12Separator } from "./x12";

// Per byte value, what the search needs to know (BYTE_FACTS, u16): C40 values (bits 0-2), Text
// values (bits 3-5), in the X12 set (bit 6), in the EDIFACT set (bit 7); and for pruning, of the
// byte's low 7 bits: a capital (bit 8), a small letter (bit 9); an X12 separator (bit 10), above
// 127 (bit 11).
const TEXT_SHIFT = 3;
const COUNT_MASK = 7;
const X12_BIT = 1 << 6;
const EDIFACT_BIT = 1 << 7;
const CAPITAL_BIT = 1 << 8;
const SMALL_BIT = 1 << 9;
const SEPARATOR_BIT = 1 << 10;
const HIGH_BIT = 1 << 11;
const BYTE_FACTS = memory.data(256 * 2);
let factsReady = false;

/** Copy of the input the tables were computed for. */
const SEARCHED = memory.data(INPUT_CAPACITY);
/** Digits of a leading run the search leaves to ASCII pairs: this many before the run's end. */
const PREFIX_MARGIN = 8;
/** Leading bytes the last search left to ASCII pairs (even; the path starts at this position). */
let skipped = 0;
let searchedAt: usize = 0;
let searchedLength = -1;
let searchedGs1: bool = false;
/** The fewest codewords any capacity lets the searched input end with. */
let lowestTotal = 0;

/**
 * Encodes input[0..length) into data codewords at `out` (MAX_CODEWORDS bytes) so that they fit a
 * symbol whose data capacity is exactly `capacity`, applying that capacity's end-of-data rules and
 * writing no pads. In GS1 mode (gs1 = true) the first codeword is FNC1 and every GS_BYTE is FNC1.
 * Returns the number of codewords written (at most capacity), or -1 if the input cannot fit, or
 * if length is negative or above INPUT_CAPACITY. The search is cached per input (address, length,
 * mode and bytes), so calling it for ascending capacities costs one search; a capacity below what
 * the input needs is refused without writing.
 */
export function planEncodation(
  input: usize,
  length: i32,
  gs1: bool,
  capacity: i32,
  out: usize,
): i32 {
  if (!fitsEncodation(input, length, gs1, capacity)) return -1;
  return writeCodewords(input, length, gs1, capacity, skipped, out);
}

/**
 * Writes what planEncodation would, right after fitsEncodation returned true for the same
 * arguments with no planner call in between (its search and chosen ending are reused, not
 * checked again). Returns the number of codewords written.
 */
export function writeFitted(input: usize, length: i32, gs1: bool, capacity: i32, out: usize): i32 {
  return writeCodewords(input, length, gs1, capacity, skipped, out);
}

/**
 * Returns true if input[0..length) fits a symbol of data capacity `capacity` (what
 * planEncodation would write there, without writing it): the cached search and the endings that
 * capacity allows. False for a negative length or one above INPUT_CAPACITY.
 */
export function fitsEncodation(input: usize, length: i32, gs1: bool, capacity: i32): bool {
  if (length < 0 || length > INPUT_CAPACITY) return false;
  // No scheme carries more than two input bytes per codeword (ASCII digit pairs).
  const fewest = (gs1 ? 1 : 0) + ((length + 1) >> 1);
  if (capacity < fewest) return false;
  if (!isSearched(input, length, gs1)) search(input, length, gs1);
  if (capacity < lowestTotal) return false;
  return chooseEnding(length, capacity) >= 0;
}

/**
 * Returns a lower bound on the data codewords of any encodation of input[0..length) — and of
 * any reordering of its bytes, since it sums a cost per byte: the cheapest any scheme can carry
 * that byte for, in twelfths of a codeword (a digit 6, in an ASCII pair; one C40, Text or X12
 * value 8; an EDIFACT value 9; anything else 12, an ASCII, FNC1 or Base 256 codeword), ignoring
 * latches and unlatches, plus the leading FNC1 in GS1 mode. No search: one pass over the bytes.
 */
export function lowerBoundCodewords(input: usize, length: i32, gs1: bool): i32 {
  if (!factsReady) prepareByteFacts();
  let twelfths = 0;
  for (let i = 0; i < length; i++) {
    const b = <u32>load<u8>(input + <usize>i);
    const facts = <i32>load<u16>(BYTE_FACTS + ((<usize>b) << 1));
    let cost = 12;
    if (isDigit(b)) cost = 6;
    else if (
      (facts & COUNT_MASK) == 1 ||
      ((facts >> TEXT_SHIFT) & COUNT_MASK) == 1 ||
      (facts & X12_BIT) != 0
    )
      cost = 8;
    else if ((facts & EDIFACT_BIT) != 0) cost = 9;
    twelfths += cost;
  }
  return (gs1 ? 1 : 0) + (twelfths + 11) / 12;
}

function isSearched(input: usize, length: i32, gs1: bool): bool {
  return (
    input == searchedAt &&
    length == searchedLength &&
    gs1 == searchedGs1 &&
    memory.compare(input, SEARCHED, <usize>length) == 0
  );
}

// Resuming: field orders of one payload (prepare.ts) differ only from some element on, and a
// position right after a GS depends on nothing after it: the GS is no digit, so no digit pair
// reaches past it, and one byte's moves reach only the next position. So the search saves the
// costs at each such position, and a search whose input shares the bytes before one of them
// (and the pruning and the skipped digits, which look at the whole input) starts there, its
// back links before that position still in LINKS.
const MAX_RESUME = 64;
/** Positions (i32) right after a GS where the last search saved its costs, ascending. */
const RESUME_AT = memory.data(MAX_RESUME * 4);
/** The ring slot (STATES i32 costs, 64 bytes) at each of those positions. */
const RESUME_COSTS = memory.data(MAX_RESUME * 64);
let resumeCount = 0;
/** The BYTE_FACTS union of the last search's input (its pruning). */
let searchedSeen = -1;

function saveResumePoint(position: i32, costs: usize): void {
  if (resumeCount == MAX_RESUME) return;
  store<i32>(RESUME_AT + ((<usize>resumeCount) << 2), position);
  memory.copy(RESUME_COSTS + ((<usize>resumeCount) << 6), costs, 64);
  resumeCount++;
}

/**
 * Returns the last saved position of the previous search that input[0..n) can start from (at
 * least five before its end), 0 if none (and forgets the saved positions), keeping only the
 * saved positions up to it.
 */
function resumePoint(input: usize, n: i32, gs1: bool, seen: i32, first: i32): i32 {
  let k = 0;
  if (gs1 && searchedGs1 && searchedLength >= 0 && input == searchedAt && seen == searchedSeen) {
    if (first == skipped) {
      // The bytes both inputs share from the start.
      const shared = min(n, searchedLength);
      let same = 0;
      while (same < shared && load<u8>(input + <usize>same) == load<u8>(SEARCHED + <usize>same))
        same++;
      // Not within the last five positions: the loop records their costs for chooseEnding.
      const limit = min(same, n - 5);
      while (k < resumeCount && load<i32>(RESUME_AT + ((<usize>k) << 2)) <= limit) k++;
    }
  }
  resumeCount = k;
  return k == 0 ? 0 : load<i32>(RESUME_AT + ((<usize>(k - 1)) << 2));
}

/** Lowers state `state` of ring slot `costs` to `cost` if that is cheaper, linking it to `link`. */
function relax(costs: usize, links: usize, state: i32, cost: i32, link: i32): void {
  const at = costs + ((<usize>state) << 2);
  if (cost < load<i32>(at)) {
    store<i32>(at, cost);
    store<u8>(links + <usize>state, <u8>link);
  }
}

/**
 * Moves one byte of `values` values (1..4) through the triplet scheme whose states start at
 * `base`, from its state with `k` values pending at `cost`: each completed triplet costs 2.
 * (Subtracting instead of % 3 and / 3: this runs several times per byte.)
 */
function stepTriplet(next: usize, links: usize, base: i32, k: i32, values: i32, cost: i32): void {
  let t = k + values;
  let add = 0;
  if (t >= 3) {
    t -= 3;
    add = 2;
    if (t >= 3) {
      t -= 3;
      add = 4;
    }
  }
  relax(next, links, base + t, cost + add, (base + k) | STEP_1);
}

/** stepTriplet from each of the three states of the scheme at `base`, costs c0..c2. */
function stepTriplets(
  next: usize,
  links: usize,
  base: i32,
  values: i32,
  c0: i32,
  c1: i32,
  c2: i32,
): void {
  stepTriplet(next, links, base, 0, values, c0);
  stepTriplet(next, links, base, 1, values, c1);
  stepTriplet(next, links, base, 2, values, c2);
}

/** Moves one byte through EDIFACT: the fourth value of a group completes its three codewords. */
function stepEdifact(next: usize, links: usize, e0: i32, e1: i32, e2: i32, e3: i32): void {
  relax(next, links, EDIFACT + 1, e0, EDIFACT | STEP_1);
  relax(next, links, EDIFACT + 2, e1, (EDIFACT + 1) | STEP_1);
  relax(next, links, EDIFACT + 3, e2, (EDIFACT + 2) | STEP_1);
  relax(next, links, EDIFACT, e3 + 3, (EDIFACT + 3) | STEP_1);
}

/** Fills BYTE_FACTS once per instance (a table in code would be 256 opaque numbers). */
function prepareByteFacts(): void {
  for (let b: u32 = 0; b < 256; b++) {
    let facts = c40ValueCount(b, false) | (c40ValueCount(b, true) << TEXT_SHIFT);
    if (isX12(b)) facts |= X12_BIT;
    if (isEdifact(b)) facts |= EDIFACT_BIT;
    if ((b & 127) - 65 < 26) facts |= CAPITAL_BIT;
    if ((b & 127) - 97 < 26) facts |= SMALL_BIT;
    if (isX12Separator(b)) facts |= SEPARATOR_BIT;
    if (b > 127) facts |= HIGH_BIT;
    store<u16>(BYTE_FACTS + ((<usize>b) << 1), <u16>facts);
  }
  factsReady = true;
}

/** Fills the cost tables and back links for input[0..n): the capacity-independent search. */
function search(input: usize, n: i32, gs1: bool): void {
  // 1. Decide which schemes can matter (see Pruning above), and where the search may start: a
  // leading run of digits is ASCII pairs up to 8 bytes before its end in some cheapest path to
  // every state past it (every other scheme costs more per digit, and moving its latch 6 digits
  // later (C40, Text, X12), 4 (EDIFACT) or 2 (Base 256) saves a codeword). GS1 data starts with
  // 16 to 24 digits (AI 01, GTIN, AI 17, date), so this skips a good part of the work.
  if (!factsReady) prepareByteFacts();
  let seen = 0;
  for (let i = 0; i < n; i++)
    seen |= <i32>load<u16>(BYTE_FACTS + ((<usize>load<u8>(input + <usize>i)) << 1));
  const useText = (seen & SMALL_BIT) != 0;
  const useC40 = (seen & CAPITAL_BIT) != 0 || !useText;
  const useX12 = (seen & SEPARATOR_BIT) != 0;
  const useBase256 = (seen & HIGH_BIT) != 0;
  let digits = 0;
  while (digits < n && isDigit(<u32>load<u8>(input + <usize>digits))) digits++;
  const first = digits >= PREFIX_MARGIN ? (digits - PREFIX_MARGIN) & ~1 : 0;
  const resumeAt = resumePoint(input, n, gs1, seen, first);
  skipped = first;
  searchedSeen = seen;

  // 2. Forward pass. Slot i+2 is cleared when position i starts, before anything reaches it.
  // The costs of position i are held in locals while its moves are made (a/c/t/x/e/b for
  // ASCII, C40, Text, X12, EDIFACT, Base 256; the digit is the values pending).
  for (let k = 0; k < 8; k++) clearSlot(slot(k));
  let start = first;
  if (resumeAt > 0) {
    // The costs at resumeAt as the last search left them (see resumePoint).
    start = resumeAt;
    memory.copy(slot(start), RESUME_COSTS + ((<usize>(resumeCount - 1)) << 6), 64);
  } else {
    // (first, ASCII): after the leading FNC1 in GS1 mode and first / 2 digit pairs.
    store<i32>(slot(first), (gs1 ? 1 : 0) + (first >> 1));
  }
  for (let i = start; i <= n; i++) {
    const costs = slot(i);
    if (gs1 && i > start && load<u8>(input + <usize>(i - 1)) == GS_BYTE) saveResumePoint(i, costs);
    const next = slot(i + 1);
    const links = LINKS + ((<usize>i) << 4);
    clearSlot(slot(i + 2));
    let a = load<i32>(costs, ASCII << 2);
    let c0 = load<i32>(costs, C40 << 2);
    const c1 = load<i32>(costs, (C40 + 1) << 2);
    const c2 = load<i32>(costs, (C40 + 2) << 2);
    let t0 = load<i32>(costs, TEXT << 2);
    const t1 = load<i32>(costs, (TEXT + 1) << 2);
    const t2 = load<i32>(costs, (TEXT + 2) << 2);
    let x0 = load<i32>(costs, X12 << 2);
    const x1 = load<i32>(costs, (X12 + 1) << 2);
    const x2 = load<i32>(costs, (X12 + 2) << 2);
    let e0 = load<i32>(costs, EDIFACT << 2);
    const e1 = load<i32>(costs, (EDIFACT + 1) << 2);
    const e2 = load<i32>(costs, (EDIFACT + 2) << 2);
    const e3 = load<i32>(costs, (EDIFACT + 3) << 2);
    let b256 = load<i32>(costs, BASE256 << 2);

    // 2a. Returns to ASCII at position i: unlatch from a triplet boundary (254), EDIFACT's
    // unlatch value closing its open group, the end of a Base 256 field (free).
    let from = -1;
    if (c0 + 1 < a) {
      a = c0 + 1;
      from = C40;
    }
    if (t0 + 1 < a) {
      a = t0 + 1;
      from = TEXT;
    }
    if (x0 + 1 < a) {
      a = x0 + 1;
      from = X12;
    }
    if (e0 + edifactUnlatchSize(0) < a) {
      a = e0 + edifactUnlatchSize(0);
      from = EDIFACT;
    }
    if (e1 + edifactUnlatchSize(1) < a) {
      a = e1 + edifactUnlatchSize(1);
      from = EDIFACT + 1;
    }
    if (e2 + edifactUnlatchSize(2) < a) {
      a = e2 + edifactUnlatchSize(2);
      from = EDIFACT + 2;
    }
    if (e3 + edifactUnlatchSize(3) < a) {
      a = e3 + edifactUnlatchSize(3);
      from = EDIFACT + 3;
    }
    if (b256 < a) {
      a = b256;
      from = BASE256;
    }
    if (from >= 0) store<u8>(links, <u8>from, ASCII);

    // 2b. Latches out of ASCII at position i (none at the end: nothing would follow them).
    if (i < n && a < INF) {
      if (useC40 && a + 1 < c0) {
        c0 = a + 1;
        store<u8>(links, ASCII, C40);
      }
      if (useText && a + 1 < t0) {
        t0 = a + 1;
        store<u8>(links, ASCII, TEXT);
      }
      if (useX12 && a + 1 < x0) {
        x0 = a + 1;
        store<u8>(links, ASCII, X12);
      }
      if (a + 1 < e0) {
        e0 = a + 1;
        store<u8>(links, ASCII, EDIFACT);
      }
      if (useBase256) {
        // Latch + one length codeword. On a tie keep a field already past 249 bytes: it has
        // paid for its second length codeword, a new one may still have to.
        const paid = i - fieldStartAt(i) >= BASE256_LONG_BASE;
        if (a + 2 < b256 || (a + 2 == b256 && !paid)) {
          b256 = a + 2;
          store<u8>(links, ASCII, BASE256);
          setFieldStart(i, i);
        }
      }
    }
    if (i + 5 > n) {
      // chooseEnding reads the last five positions' settled costs from the ring.
      store<i32>(costs, a, ASCII << 2);
      store<i32>(costs, c0, C40 << 2);
      store<i32>(costs, t0, TEXT << 2);
      store<i32>(costs, x0, X12 << 2);
      store<i32>(costs, e0, EDIFACT << 2);
      store<i32>(costs, b256, BASE256 << 2);
    }
    if (i == n) break;

    // 2c. Byte i in each scheme.
    const b = <u32>load<u8>(input + <usize>i);
    const facts = <i32>load<u16>(BYTE_FACTS + ((<usize>b) << 1));
    const nextLinks = links + STATES;
    // "<=": on a tie the single byte comes after the pairs, as a greedy ASCII encoder has it.
    const single = a + (b > 127 ? 2 : 1);
    if (single <= load<i32>(next)) {
      store<i32>(next, single);
      store<u8>(nextLinks, <u8>(ASCII | STEP_1));
    }
    if (isDigitPair(input, i, n))
      relax(slot(i + 2), nextLinks + STATES, ASCII, a + 1, ASCII | STEP_2);
    const c40Values = facts & COUNT_MASK;
    if (useC40) stepTriplets(next, nextLinks, C40, c40Values, c0, c1, c2);
    if (useText)
      stepTriplets(next, nextLinks, TEXT, (facts >> TEXT_SHIFT) & COUNT_MASK, t0, t1, t2);
    if (useX12 && (facts & X12_BIT) != 0) stepTriplets(next, nextLinks, X12, 1, x0, x1, x2);
    if ((facts & EDIFACT_BIT) != 0) stepEdifact(next, nextLinks, e0, e1, e2, e3);
    if (useBase256 && b256 < INF && !(gs1 && b == GS_BYTE)) {
      // In GS1 mode the separator must be FNC1, which Base 256 cannot carry.
      const start = fieldStartAt(i);
      const grown = i + 1 - start == BASE256_LONG_BASE ? 2 : 1; // 250th byte: 2-codeword length
      store<i32>(next, b256 + grown, BASE256 << 2);
      store<u8>(nextLinks, <u8>(BASE256 | STEP_1), BASE256);
      setFieldStart(i + 1, start);
    }
  }

  for (let j = 0; j < 8; j++)
    setTailCodewords(j, j <= n ? asciiCodewordCount(input, n - j, n) : INF);
  memory.copy(SEARCHED, input, <usize>n);
  searchedAt = input;
  searchedLength = n;
  searchedGs1 = gs1;
  lowestTotal = chooseEnding(n, -1);
}
