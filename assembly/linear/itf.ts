// ITF-14: Interleaved 2 of 5 over the 14 digits of a GTIN (ISO/IEC 16390, GS1 General
// Specifications §5.3): digit pairs, the first digit in the bars and the second in the spaces.
import { LinearStatus } from "../../src/engine/abi";
import { gtinDigit, settleGtin14 } from "./ean-upc";
import { pushElement, pushText } from "./runs";

// The five elements of each digit, 1 = wide (ISO/IEC 16390 Table 1), first element in bit 4.
const WIDE: StaticArray<i32> = [
  0b00110, 0b10001, 0b01001, 0b11000, 0b00101, 0b10100, 0b01100, 0b00011, 0b10010, 0b01010,
];

/**
 * Encodes the `length` input digits (13, or 14 with the check digit) as ITF-14, wide elements
 * `wide` modules (2 or 3; GS1 asks for a ratio of 2.25-3) and narrow ones 1: start 1111, seven
 * pairs, stop (wide)11. Bearer bars are the renderer's. Writes the 14 digits as text. Returns OK,
 * BAD_LENGTH, INVALID_CHARACTER or BAD_CHECK_DIGIT.
 */
export function encodeItf14(length: i32, wide: i32): i32 {
  const status = settleGtin14(length);
  if (status != LinearStatus.OK) return status;
  for (let i = 0; i < 4; i++) pushElement(1, false);
  for (let pair = 0; pair < 14; pair += 2) {
    const bars = WIDE[gtinDigit(pair)];
    const spaces = WIDE[gtinDigit(pair + 1)];
    for (let bit = 4; bit >= 0; bit--) {
      pushElement(((bars >> bit) & 1) != 0 ? wide : 1, false);
      pushElement(((spaces >> bit) & 1) != 0 ? wide : 1, false);
    }
  }
  pushElement(wide, false);
  pushElement(1, false);
  pushElement(1, false);
  for (let i = 0; i < 14; i++) pushText(48 + gtinDigit(i));
  return LinearStatus.OK;
}
