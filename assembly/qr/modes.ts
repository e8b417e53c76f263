// QR Code data modes (ISO/IEC 18004:2015 7.3 and 7.4): which bytes each mode can hold, their
// mode indicators and character count field widths, and the alphanumeric character values.
// In GS1 mode (FNC1 in first position, 7.4.8.1) the group separator GS stands for FNC1: it is
// written as "%" in alphanumeric mode (and a literal "%" as "%%") and as GS itself in byte mode.
import { GS_BYTE } from "../../src/engine/abi";

/** Mode ids used by the segmenter and the bit stream. */
export const MODE_NUMERIC = 0;
export const MODE_ALPHANUMERIC = 1;
export const MODE_BYTE = 2;

/** The 4-bit mode indicators (Table 2). */
export const INDICATOR_NUMERIC = 0b0001;
export const INDICATOR_ALPHANUMERIC = 0b0010;
export const INDICATOR_BYTE = 0b0100;
export const INDICATOR_FNC1_FIRST = 0b0101;
/** Bits of a mode indicator, and of the terminator (0000) at most. */
export const INDICATOR_BITS = 4;

/** The alphanumeric value of "%", which also stands for FNC1 in GS1 mode. */
export const ALPHANUMERIC_PERCENT = 38;

/**
 * Returns the character count field width of `mode` for count range `range` (0: versions 1–9,
 * 1: 10–26, 2: 27–40), Table 3: numeric 10/12/14, alphanumeric 9/11/13, byte 8/16/16.
 */
export function countBits(mode: i32, range: i32): i32 {
  if (mode == MODE_NUMERIC) return 10 + 2 * range;
  if (mode == MODE_ALPHANUMERIC) return 9 + 2 * range;
  return range == 0 ? 8 : 16;
}

/** Returns the 4-bit indicator of `mode` (MODE_NUMERIC, MODE_ALPHANUMERIC or MODE_BYTE). */
export function modeIndicator(mode: i32): i32 {
  if (mode == MODE_NUMERIC) return INDICATOR_NUMERIC;
  if (mode == MODE_ALPHANUMERIC) return INDICATOR_ALPHANUMERIC;
  return INDICATOR_BYTE;
}

/** Returns true when `byte` is a digit, the only characters numeric mode holds. */
export function isNumeric(byte: i32): bool {
  return byte >= 0x30 && byte <= 0x39;
}

/**
 * Returns the alphanumeric value (0..44, Table 5) of `byte`, or -1 when alphanumeric mode
 * cannot hold it. In GS1 mode GS is FNC1 and answers 38 (written as "%").
 */
export function alphanumericValue(byte: i32, gs1: bool): i32 {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x5a) return byte - 0x41 + 10;
  switch (byte) {
    case 0x20:
      return 36;
    case 0x24:
      return 37;
    case 0x25:
      return ALPHANUMERIC_PERCENT;
    case 0x2a:
      return 39;
    case 0x2b:
      return 40;
    case 0x2d:
      return 41;
    case 0x2e:
      return 42;
    case 0x2f:
      return 43;
    case 0x3a:
      return 44;
  }
  return gs1 && byte == GS_BYTE ? ALPHANUMERIC_PERCENT : -1;
}

/**
 * Returns how many alphanumeric characters `byte` takes: 0 when the mode cannot hold it, 2 for
 * a literal "%" in GS1 mode (escaped as "%%"), else 1.
 */
export function alphanumericLength(byte: i32, gs1: bool): i32 {
  if (alphanumericValue(byte, gs1) < 0) return 0;
  return gs1 && byte == 0x25 ? 2 : 1;
}
