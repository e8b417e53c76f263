// Code 39 (ISO/IEC 16388): the 43 data characters, '*' start/stop, a narrow space between
// characters, and the optional mod-43 check character (Annex A).
import { LinearStatus } from "../../src/engine/abi";
import { inputAt, pushElement, pushText, setErrorPosition } from "./runs";

// The characters in value order (0-42): the value is also the mod-43 check weight.
const CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%";

// The nine elements (bar, space, ... bar) of each value, 1 = wide, first element in bit 8
// (ISO/IEC 16388 Table 1); the last entry is '*', the start/stop character.
const WIDE: StaticArray<i32> = [
  0b000110100, 0b100100001, 0b001100001, 0b101100000, 0b000110001, 0b100110000, 0b001110000,
  0b000100101, 0b100100100, 0b001100100, 0b100001001, 0b001001001, 0b101001000, 0b000011001,
  0b100011000, 0b001011000, 0b000001101, 0b100001100, 0b001001100, 0b000011100, 0b100000011,
  0b001000011, 0b101000010, 0b000010011, 0b100010010, 0b001010010, 0b000000111, 0b100000110,
  0b001000110, 0b000010110, 0b110000001, 0b011000001, 0b111000000, 0b010010001, 0b110010000,
  0b011010000, 0b010000101, 0b110000100, 0b011000100, 0b010101000, 0b010100010, 0b010001010,
  0b000101010, 0b010010100,
];
const START_STOP = 43;

// Returns the value (0-42) of the character `code`, or -1 outside the Code 39 set.
function code39Value(code: i32): i32 {
  for (let v = 0; v < 43; v++) if (CHARSET.charCodeAt(v) == code) return v;
  return -1;
}

// Appends one character and, unless it is the stop, the narrow intercharacter gap.
function pushCharacter(value: i32, wide: i32, gap: bool): void {
  const pattern = WIDE[value];
  for (let bit = 8; bit >= 0; bit--) pushElement(((pattern >> bit) & 1) != 0 ? wide : 1, false);
  if (gap) pushElement(1, false);
}

/**
 * Encodes the `length` input characters (digits, capitals, - . space $ / + %) as Code 39 with
 * wide elements `wide` modules (2 or 3), '*' added at both ends and, with `check`, the mod-43
 * check character before the stop. Writes the data (and check character) as text, without the
 * asterisks. Returns OK, EMPTY, or INVALID_CHARACTER (position recorded; '*' is refused too).
 */
export function encodeCode39(length: i32, wide: i32, check: bool): i32 {
  if (length <= 0) return LinearStatus.EMPTY;
  for (let i = 0; i < length; i++) {
    if (code39Value(inputAt(i)) < 0) {
      setErrorPosition(i);
      return LinearStatus.INVALID_CHARACTER;
    }
  }
  pushCharacter(START_STOP, wide, true);
  let sum = 0;
  for (let i = 0; i < length; i++) {
    const value = code39Value(inputAt(i));
    sum += value;
    pushCharacter(value, wide, true);
    pushText(inputAt(i));
  }
  if (check) {
    pushCharacter(sum % 43, wide, true);
    pushText(CHARSET.charCodeAt(sum % 43));
  }
  pushCharacter(START_STOP, wide, false);
  return LinearStatus.OK;
}
