// X12 encodation (ISO/IEC 16022:2006 5.2.7, Table 5): the ANSI X12 segment terminator CR, the
// separators * and >, space, digits and capitals, packed three to a codeword pair like C40. There is
// no shift set, so nothing else (FNC1 included) can be carried without leaving the scheme.
import { C40_DIGIT_BASE, C40_LETTER_BASE, X12_CR, X12_GREATER, X12_SPACE, X12_STAR } from "./modes";

/** Returns true if byte `b` is in the X12 set: CR, *, >, space, 0..9, A..Z. */
export function isX12(b: u32): bool {
  return b == 13 || b == 42 || b == 62 || b == 32 || b - 48 < 10 || b - 65 < 26;
}

/** Returns true for the X12 bytes C40 can only carry with a shift (CR, *, >). */
export function isX12Separator(b: u32): bool {
  return b == 13 || b == 42 || b == 62;
}

/** Returns the X12 value (0..39) of byte `b`, which must satisfy isX12. */
export function x12Value(b: u32): u32 {
  if (b == 13) return X12_CR;
  if (b == 42) return X12_STAR;
  if (b == 62) return X12_GREATER;
  if (b == 32) return X12_SPACE;
  if (b - 48 < 10) return C40_DIGIT_BASE + b - 48;
  return C40_LETTER_BASE + b - 65;
}
