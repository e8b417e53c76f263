// The 1D result being written: bar/space widths (first a bar), guard flags, and the encoded
// characters, in the fixed regions of scratch.ts. Every encoder in this folder writes through here.
import { LINEAR_ELEMENT_CAPACITY } from "../../src/engine/abi";
import { INPUT, LINEAR_GUARDS, LINEAR_TEXT, LINEAR_WIDTHS } from "../scratch";

let elements = 0;
let textLength = 0;
let errorPosition = -1;
let expectedCheck = -1;

/** Forgets the last result: no elements, no text, no error position or expected check. */
export function clearRuns(): void {
  elements = 0;
  textLength = 0;
  errorPosition = -1;
  expectedCheck = -1;
}

/** Drops the elements and text written, keeping the error position and expected check. */
export function dropRuns(): void {
  elements = 0;
  textLength = 0;
}

/**
 * Appends one element `width` modules wide (1-4 in every symbology here; bars at even indexes,
 * spaces at odd ones), `guard` marking a bar drawn down into the text band.
 */
export function pushElement(width: i32, guard: bool): void {
  assert(elements < LINEAR_ELEMENT_CAPACITY, "1D element capacity");
  store<u8>(LINEAR_WIDTHS + <usize>elements, <u8>width);
  store<u8>(LINEAR_GUARDS + <usize>elements, guard ? 1 : 0);
  elements++;
}

/**
 * Appends the elements of `pattern`, a number whose decimal digits are widths, most significant
 * first (the tables are written that way, as the standards print them).
 */
export function pushPattern(pattern: i32, digits: i32, guard: bool): void {
  let divisor = 1;
  for (let i = 1; i < digits; i++) divisor *= 10;
  for (; divisor > 0; divisor /= 10) pushElement((pattern / divisor) % 10, guard);
}

/** Appends `code` to the encoded text. */
export function pushText(code: i32): void {
  store<u8>(LINEAR_TEXT + <usize>textLength, <u8>code);
  textLength++;
}

/** Returns the elements written since clearRuns(). */
export function elementCount(): i32 {
  return elements;
}

/** Returns the characters of encoded text written since clearRuns(). */
export function textCount(): i32 {
  return textLength;
}

/** Records where the input went wrong (index into the input) for linearErrorPosition(). */
export function setErrorPosition(position: i32): void {
  errorPosition = position;
}

/** Returns the input index recorded by setErrorPosition(), or -1. */
export function lastErrorPosition(): i32 {
  return errorPosition;
}

/** Records the check digit the data calls for, for linearExpectedCheck(). */
export function setExpectedCheck(check: i32): void {
  expectedCheck = check;
}

/** Returns the check character value recorded by setExpectedCheck(), or -1. */
export function lastExpectedCheck(): i32 {
  return expectedCheck;
}

/** Returns the input byte at `index` (the host wrote it at INPUT). */
export function inputAt(index: i32): i32 {
  return <i32>load<u8>(INPUT + <usize>index);
}

/** Returns the digit value of the input byte at `index`, or -1 when it is not '0'-'9'. */
export function digitAt(index: i32): i32 {
  const code = inputAt(index) - 48;
  return code >= 0 && code <= 9 ? code : -1;
}
