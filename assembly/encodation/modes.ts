// Codeword and value numbers of ECC 200 encodation (ISO/IEC 16022:2006 5.2, Tables 2 to 6), named
// by meaning, so no other file carries a bare one.

// ASCII codewords (Table 2).

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
/** Return to ASCII from C40, Text or X12 (only at a triplet boundary). */
export const UNLATCH: u8 = 254;

// C40 and Text values (Tables 3 and 4). The three shift values select the set of the next value.

export const SHIFT_1: u8 = 0;
export const SHIFT_2: u8 = 1;
export const SHIFT_3: u8 = 2;
/** Value of the space character in the basic set. */
export const C40_SPACE: u8 = 3;
/** Value of digit 0 in the basic set (digits are 4..13). */
export const C40_DIGIT_BASE: u8 = 4;
/** Value of the first letter of the basic set (A in C40, a in Text; letters are 14..39). */
export const C40_LETTER_BASE: u8 = 14;
/** Shift 2 value 27: FNC1. */
export const C40_FNC1: u8 = 27;
/** Shift 2 value 30: upper shift, the next character stands for its value + 128. */
export const C40_UPPER_SHIFT: u8 = 30;

// X12 values (Table 5): CR, *, >, space, then digits and capital letters as in C40.

export const X12_CR: u8 = 0;
export const X12_STAR: u8 = 1;
export const X12_GREATER: u8 = 2;
export const X12_SPACE: u8 = 3;

// EDIFACT (5.2.8): 6-bit values, the low six bits of ASCII 32..94.

/** Return to ASCII from EDIFACT: the 6-bit value 31 (011111). */
export const EDIFACT_UNLATCH: u8 = 31;

// Base 256 (5.2.9).

/** Longest Base 256 field whose length fits one codeword; longer ones take two (250 + ...). */
export const BASE256_SHORT_MAX = 249;
/** Base of the two-codeword length field: first = length / 250 + 249, second = length % 250. */
export const BASE256_LONG_BASE = 250;
/** Length field value meaning "to the end of the symbol". */
export const BASE256_TO_END: u8 = 0;
