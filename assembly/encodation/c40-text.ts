// C40 and Text encodation (ISO/IEC 16022:2006 5.2.5 and 5.2.6, Tables 3 and 4): values 0..39,
// a basic set plus three shift sets, packed three to a codeword pair. The two schemes differ only
// in which letters are basic: C40 has the capitals, Text the small letters, each shifting the
// other case into shift set 3.
import { GS_BYTE } from "../../src/engine/abi";
import {
  C40_DIGIT_BASE,
  C40_FNC1,
  C40_LETTER_BASE,
  C40_SPACE,
  C40_UPPER_SHIFT,
  SHIFT_1,
  SHIFT_2,
  SHIFT_3,
} from "./modes";

const EXTENDED: u32 = 128;

function isBasic(b: u32, text: bool): bool {
  if (b == 32 || b - 48 < 10) return true;
  return text ? b - 97 < 26 : b - 65 < 26;
}

/**
 * Returns how many values byte `b` takes in Text (text = true) or C40: 1 in the basic set, 2 with
 * a shift (FNC1 for the GS1 separator is shift 2 + 27, two values as well), and 2 more above 127
 * for the upper shift (shift 2 + 30). So 1 to 4.
 */
export function c40ValueCount(b: u32, text: bool): i32 {
  let count = 0;
  if (b >= EXTENDED) {
    count = 2;
    b -= EXTENDED;
  }
  return count + (isBasic(b, text) ? 1 : 2);
}

function pushValue(values: usize, count: i32, value: u32): i32 {
  store<u8>(values + <usize>count, <u8>value);
  return count + 1;
}

/** Returns the shift 3 value of b in 96..127 (C40) or in 65..90, 96, 123..127 (Text). */
function shift3Value(b: u32, text: bool): u32 {
  if (text && b - 65 < 26) return b - 64; // A..Z → 1..26
  return b - 96; // ` → 0; C40: a..z { | } ~ DEL → 1..31; Text: { | } ~ DEL → 27..31
}

/**
 * Appends the c40ValueCount(b, text) values of byte `b` to values[count..] and returns the new
 * count. In GS1 mode GS_BYTE becomes FNC1 (shift 2, 27).
 */
export function appendC40Values(b: u32, text: bool, gs1: bool, values: usize, count: i32): i32 {
  if (gs1 && b == GS_BYTE) {
    count = pushValue(values, count, SHIFT_2);
    return pushValue(values, count, C40_FNC1);
  }
  if (b >= EXTENDED) {
    count = pushValue(values, count, SHIFT_2);
    count = pushValue(values, count, C40_UPPER_SHIFT);
    b -= EXTENDED;
  }
  if (isBasic(b, text)) {
    if (b == 32) return pushValue(values, count, C40_SPACE);
    if (b - 48 < 10) return pushValue(values, count, C40_DIGIT_BASE + b - 48);
    return pushValue(values, count, C40_LETTER_BASE + b - (text ? 97 : 65));
  }
  // Shift 1: the control characters 0..31 by their own value.
  if (b < 32) {
    count = pushValue(values, count, SHIFT_1);
    return pushValue(values, count, b);
  }
  // Shift 2: the punctuation between the basic ranges, numbered 0..26 in code order.
  if (b < 48) {
    count = pushValue(values, count, SHIFT_2);
    return pushValue(values, count, b - 33); // ! .. /  → 0..14
  }
  if (b < 65) {
    count = pushValue(values, count, SHIFT_2);
    return pushValue(values, count, b - 43); // : .. @  → 15..21
  }
  if (b >= 91 && b < 96) {
    count = pushValue(values, count, SHIFT_2);
    return pushValue(values, count, b - 69); // [ .. _  → 22..26
  }
  count = pushValue(values, count, SHIFT_3);
  return pushValue(values, count, shift3Value(b, text));
}

/**
 * Writes the three values v1, v2, v3 (0..39) as the codeword pair of 1600·v1 + 40·v2 + v3 + 1
 * (5.2.5.1) at out[at], out[at + 1]; returns at + 2.
 */
export function packTriplet(v1: u32, v2: u32, v3: u32, out: usize, at: i32): i32 {
  const packed = 1600 * v1 + 40 * v2 + v3 + 1;
  store<u8>(out + <usize>at, <u8>(packed >> 8));
  store<u8>(out + <usize>at + 1, <u8>(packed & 0xff));
  return at + 2;
}
