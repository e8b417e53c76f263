// Codeword values of ECC 200 encodation (ISO/IEC 16022 5.2, Table 2), named by meaning.

/** Pad codeword; also the unlatch-free end marker in ASCII (5.2.3). */
export const PAD: u8 = 129;
/** ASCII digit pair 00..99 is 130 + value. */
export const DIGIT_PAIR_BASE: u8 = 130;
export const LATCH_C40: u8 = 230;
export const LATCH_BASE256: u8 = 231;
export const FNC1: u8 = 232;
/** Upper shift: the next ASCII codeword stands for byte value + 128. */
export const UPPER_SHIFT: u8 = 235;
export const LATCH_X12: u8 = 238;
export const LATCH_TEXT: u8 = 239;
export const LATCH_EDIFACT: u8 = 240;
/** Return to ASCII from C40, Text or X12. */
export const UNLATCH: u8 = 254;
/** Return to ASCII from EDIFACT: the 6-bit value 31. */
export const EDIFACT_UNLATCH: u8 = 31;
