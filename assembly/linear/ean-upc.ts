// EAN-13, EAN-8, UPC-A and UPC-E: symbol characters, parity patterns and guards (ISO/IEC 15420,
// GS1 General Specifications §5.2.2), the GS1 mod-10 check digit (§7.9.1) and UPC-E's
// zero-suppression (ISO/IEC 15420 Annex; GS1 GS §5.2.2.4.2).
import { LinearStatus } from "../../src/engine/abi";
import { digitAt, pushPattern, pushText, setErrorPosition, setExpectedCheck } from "./runs";

// Number set A (odd parity) widths space-bar-space-bar, digits 0-9 (ISO/IEC 15420 Table 1). Set C
// has the same widths starting with a bar; set B is set A's widths reversed.
const SET_A: StaticArray<i32> = [3211, 2221, 2122, 1411, 1132, 1231, 1114, 1312, 1213, 3112];
const SET_B: StaticArray<i32> = [1123, 1222, 2212, 1141, 2311, 1321, 4111, 2131, 3121, 2113];

// EAN-13: the leading digit, implied by the sets of the six left characters; bit 5 is the first
// character, 1 = set B (ISO/IEC 15420 Table 3).
const EAN13_PARITY: StaticArray<i32> = [0, 11, 13, 14, 19, 25, 28, 21, 22, 26];

// UPC-E with number system 0: the check digit, implied by the sets of the six characters; bit 5
// is the first, 1 = set B ("even"). Number system 1 uses the complement (ISO/IEC 15420 Table 5).
const UPCE_PARITY: StaticArray<i32> = [56, 52, 50, 49, 44, 38, 35, 42, 41, 37];

/** The digits being encoded, check digit last (13 for EAN-13 and UPC-A, 8, 14), and UPC-E work. */
const DIGITS = memory.data(32);

function digit(i: i32): i32 {
  return <i32>load<u8>(DIGITS + <usize>i);
}

function setDigit(i: i32, value: i32): void {
  store<u8>(DIGITS + <usize>i, <u8>value);
}

/**
 * Copies the `count` input digits from `from` into DIGITS at `to`. Returns OK, or
 * INVALID_CHARACTER with the input position recorded.
 */
function copyDigits(from: i32, count: i32, to: i32): i32 {
  for (let i = 0; i < count; i++) {
    const d = digitAt(from + i);
    if (d < 0) {
      setErrorPosition(from + i);
      return LinearStatus.INVALID_CHARACTER;
    }
    setDigit(to + i, d);
  }
  return LinearStatus.OK;
}

/** Returns the GS1 mod-10 check digit of DIGITS[0, count): weights 3, 1, 3... from the right. */
function mod10(count: i32): i32 {
  let sum = 0;
  let weight = 3;
  for (let i = count - 1; i >= 0; i--) {
    sum += digit(i) * weight;
    weight = 4 - weight;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * Completes DIGITS[0, total) with its check digit: computed when the caller left it out
 * (`given` false), else compared with DIGITS[total - 1]. Returns OK or BAD_CHECK_DIGIT (the
 * right digit recorded, the position `checkPosition` of the input).
 */
function settleCheck(total: i32, given: bool, checkPosition: i32): i32 {
  const expected = mod10(total - 1);
  if (!given) {
    setDigit(total - 1, expected);
    return LinearStatus.OK;
  }
  if (digit(total - 1) == expected) return LinearStatus.OK;
  setExpectedCheck(expected);
  setErrorPosition(checkPosition);
  return LinearStatus.BAD_CHECK_DIGIT;
}

function pushGuard(pattern: i32, digits: i32): void {
  pushPattern(pattern, digits, true);
}

// Draws DIGITS[first, first + count) as left-half characters (sets A/B by `parity`, bit
// count-1 first) or, when `parity` < 0, as right-half characters (set C). `guardEnds` extends the
// first and last character's bars (UPC-A's outer digits).
function pushHalf(first: i32, count: i32, parity: i32, guardEnds: bool): void {
  for (let i = 0; i < count; i++) {
    const d = digit(first + i);
    const extended = guardEnds && (i == 0 ? parity >= 0 : i == count - 1 && parity < 0);
    const setB = parity >= 0 && ((parity >> (count - 1 - i)) & 1) != 0;
    pushPattern(setB ? SET_B[d] : SET_A[d], 4, extended);
  }
}

function pushTextDigits(first: i32, count: i32): void {
  for (let i = first; i < first + count; i++) pushText(48 + digit(i));
}

/**
 * Encodes the `length` input digits as EAN-13 (12, or 13 with the check digit) or, with `upca`,
 * as UPC-A (11, or 12 with the check digit; drawn as EAN-13 with a leading 0, its outer digits'
 * bars extended). Writes 95 modules and the digits with their check digit. Returns OK,
 * BAD_LENGTH, INVALID_CHARACTER or BAD_CHECK_DIGIT.
 */
export function encodeEan13(length: i32, upca: bool): i32 {
  const skip = upca ? 1 : 0;
  if (length != 12 - skip && length != 13 - skip) return LinearStatus.BAD_LENGTH;
  setDigit(0, 0);
  let status = copyDigits(0, length, skip);
  if (status != LinearStatus.OK) return status;
  status = settleCheck(13, length == 13 - skip, length - 1);
  if (status != LinearStatus.OK) return status;
  pushGuard(111, 3);
  pushHalf(1, 6, EAN13_PARITY[digit(0)], upca);
  pushGuard(11111, 5);
  pushHalf(7, 6, -1, upca);
  pushGuard(111, 3);
  pushTextDigits(skip, 13 - skip);
  return LinearStatus.OK;
}

/**
 * Encodes the `length` input digits as EAN-8 (7, or 8 with the check digit): 67 modules, the
 * 8 digits as text. Returns OK, BAD_LENGTH, INVALID_CHARACTER or BAD_CHECK_DIGIT.
 */
export function encodeEan8(length: i32): i32 {
  if (length != 7 && length != 8) return LinearStatus.BAD_LENGTH;
  let status = copyDigits(0, length, 0);
  if (status != LinearStatus.OK) return status;
  status = settleCheck(8, length == 8, 7);
  if (status != LinearStatus.OK) return status;
  pushGuard(111, 3);
  pushHalf(0, 4, 0, false);
  pushGuard(11111, 5);
  pushHalf(4, 4, -1, false);
  pushGuard(111, 3);
  pushTextDigits(0, 8);
  return LinearStatus.OK;
}

// The UPC-E digits: number system, six characters, check digit (DIGITS[0..7]); the UPC-A they
// stand for is written at DIGITS[8..19] by expandUpce (number system and ten digits, no check).
const UPCA_AT = 8;
// A UPC-A given for UPC-E is copied to DIGITS[SOURCE_AT..] (number system, 10 digits, check).
const SOURCE_AT = 20;

// Writes the zero-suppressed UPC-E characters DIGITS[1..6] out in full as the UPC-A number
// system + manufacturer + product at DIGITS[UPCA_AT..], by the last character's rule.
function expandUpce(): void {
  const x6 = digit(6);
  setDigit(UPCA_AT, digit(0));
  for (let i = 1; i <= 10; i++) setDigit(UPCA_AT + i, 0);
  setDigit(UPCA_AT + 1, digit(1));
  setDigit(UPCA_AT + 2, digit(2));
  if (x6 <= 2) {
    setDigit(UPCA_AT + 3, x6);
    setDigit(UPCA_AT + 8, digit(3));
    setDigit(UPCA_AT + 9, digit(4));
    setDigit(UPCA_AT + 10, digit(5));
  } else if (x6 == 3) {
    setDigit(UPCA_AT + 3, digit(3));
    setDigit(UPCA_AT + 9, digit(4));
    setDigit(UPCA_AT + 10, digit(5));
  } else if (x6 == 4) {
    setDigit(UPCA_AT + 3, digit(3));
    setDigit(UPCA_AT + 4, digit(4));
    setDigit(UPCA_AT + 10, digit(5));
  } else {
    setDigit(UPCA_AT + 3, digit(3));
    setDigit(UPCA_AT + 4, digit(4));
    setDigit(UPCA_AT + 5, digit(5));
    setDigit(UPCA_AT + 10, x6);
  }
}

// Source positions in the UPC-A (1-based after the number system: m1-m5 = 1-5, p1-p5 = 6-10) of
// the six UPC-E characters, one row per suppression rule; -1 = the rule's own last character.
// Rows: m3 of 0-2 with m4 m5 = 00 and product 00p3p4p5; x6 = 3, m4 m5 = 00, product 000p4p5;
// x6 = 4, m5 = 0, product 0000p5; x6 = p5 of 5-9, product 0000p5.
const SUPPRESS: StaticArray<i32> = [
  1, 2, 8, 9, 10, 3, 1, 2, 3, 9, 10, -1, 1, 2, 3, 4, 10, -1, 1, 2, 3, 4, 5, 10,
];

// Finds the UPC-E characters for the UPC-A at DIGITS[SOURCE_AT..] (number system + 10 digits): tries
// each suppression rule in order and keeps the first whose expansion gives the UPC-A back.
function suppressUpca(): bool {
  for (let rule = 0; rule < 4; rule++) {
    for (let i = 0; i < 6; i++) {
      const from = SUPPRESS[rule * 6 + i];
      setDigit(1 + i, from < 0 ? rule + 2 : digit(SOURCE_AT + from));
    }
    expandUpce();
    let same = true;
    for (let i = 0; i <= 10; i++) same = same && digit(UPCA_AT + i) == digit(SOURCE_AT + i);
    if (same && canonicalPosition() < 0) return true;
  }
  return false;
}

// Returns the position (1-6) of the UPC-E character DIGITS[1..6] that makes them a form no UPC-A
// suppresses to (each UPC-A has one form: the rule of the last character asks for a digit that
// the rule before it could not take), or -1 when they are that form.
function canonicalPosition(): i32 {
  const x6 = digit(6);
  if (x6 == 3 && digit(3) <= 2) return 3;
  if (x6 == 4 && digit(4) == 0) return 4;
  if (x6 >= 5 && digit(5) == 0) return 5;
  return -1;
}

/**
 * Encodes UPC-E from the `length` input digits: 6 (number system 0 implied), 7 (number system
 * first) or 8 (and the check digit last) UPC-E digits, or an 11/12-digit UPC-A (check digit
 * optional) that has a zero-suppressed form. The check digit is the UPC-A's. Writes 51 modules
 * and the 8 digits as text. Returns OK, BAD_LENGTH, INVALID_CHARACTER, BAD_NUMBER_SYSTEM (not
 * 0 or 1), NOT_SUPPRESSED (UPC-E digits no UPC-A suppresses to), NOT_COMPRESSIBLE (a UPC-A
 * without a UPC-E form) or BAD_CHECK_DIGIT.
 */
export function encodeUpce(length: i32): i32 {
  if (length < 6 || (length > 8 && length < 11) || length > 12) return LinearStatus.BAD_LENGTH;
  const fromUpca = length >= 11;
  let status: i32;
  if (fromUpca) {
    status = copyDigits(0, length, SOURCE_AT);
  } else {
    setDigit(0, 0);
    status = copyDigits(0, length, length == 6 ? 1 : 0);
  }
  if (status != LinearStatus.OK) return status;
  const ns = digit(fromUpca ? SOURCE_AT : 0);
  if (ns > 1) {
    setErrorPosition(0);
    return LinearStatus.BAD_NUMBER_SYSTEM;
  }
  if (fromUpca) {
    setDigit(0, ns);
    if (!suppressUpca()) return LinearStatus.NOT_COMPRESSIBLE;
  } else {
    const wrong = canonicalPosition();
    if (wrong >= 0) {
      setErrorPosition(length == 6 ? wrong - 1 : wrong);
      return LinearStatus.NOT_SUPPRESSED;
    }
    expandUpce();
  }
  // The check digit is the UPC-A's: complete the 12 digits at UPCA_AT and compare.
  const given = length == 8 || length == 12;
  if (given) setDigit(UPCA_AT + 11, digit(fromUpca ? SOURCE_AT + 11 : 7));
  status = settleCheck12(given, length - 1);
  if (status != LinearStatus.OK) return status;
  const check = digit(UPCA_AT + 11);
  setDigit(7, check);
  const parity = ns == 0 ? UPCE_PARITY[check] : 63 - UPCE_PARITY[check];
  pushGuard(111, 3);
  pushHalf(1, 6, parity, false);
  pushGuard(111111, 6);
  pushTextDigits(0, 8);
  return LinearStatus.OK;
}

// settleCheck on the 12-digit UPC-A at UPCA_AT (weights counted from its own right end).
function settleCheck12(given: bool, checkPosition: i32): i32 {
  let sum = 0;
  let weight = 3;
  for (let i = 10; i >= 0; i--) {
    sum += digit(UPCA_AT + i) * weight;
    weight = 4 - weight;
  }
  const expected = (10 - (sum % 10)) % 10;
  if (!given) {
    setDigit(UPCA_AT + 11, expected);
    return LinearStatus.OK;
  }
  if (digit(UPCA_AT + 11) == expected) return LinearStatus.OK;
  setExpectedCheck(expected);
  setErrorPosition(checkPosition);
  return LinearStatus.BAD_CHECK_DIGIT;
}

/**
 * Copies the `length` input digits (13, or 14 with the check digit) into DIGITS and completes
 * them. Returns OK, BAD_LENGTH, INVALID_CHARACTER or BAD_CHECK_DIGIT; the digits are then read
 * with gtinDigit().
 */
export function settleGtin14(length: i32): i32 {
  if (length != 13 && length != 14) return LinearStatus.BAD_LENGTH;
  const status = copyDigits(0, length, 0);
  if (status != LinearStatus.OK) return status;
  return settleCheck(14, length == 14, 13);
}

/** Returns digit `i` of the digits settleGtin14() completed. */
export function gtinDigit(i: i32): i32 {
  return digit(i);
}
