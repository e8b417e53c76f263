// Numbers shared by the AssemblyScript core (assembly/) and the TypeScript host (src/):
// status codes, shape masks, flags, capacities. Imported by both, so each is written once.
// Plain numeric enums and constants only: this file is compiled by asc as well as tsc.

/** Result of a core call. Non-zero values are turned into typed errors by src/engine/encode.ts. */
export enum Status {
  OK = 0,
  /** The data does not fit the largest symbol of any allowed shape. */
  TOO_LONG = 1,
  /** An input byte cannot be encoded (in GS1 mode: above 127). */
  INVALID_BYTE = 2,
  /** No input bytes were given. */
  EMPTY = 3,
  /** The shape mask allows no symbol at all. */
  NO_SHAPE = 4,
  /** More input bytes than INPUT_CAPACITY (QR: QR_INPUT_CAPACITY). */
  INPUT_TOO_LONG = 5,
  /** A QR option out of range: the level is not 0..3 (QrEcLevel). */
  BAD_LEVEL = 6,
}

/** Bit mask of symbol families a caller allows; the core picks the smallest symbol among them. */
export enum ShapeMask {
  /** The 24 square ECC 200 sizes, 10x10 to 144x144 (ISO/IEC 16022 Table 7). */
  SQUARE = 1,
  /** The 6 rectangular ECC 200 sizes, 8x18 to 16x48 (ISO/IEC 16022 Table 7). */
  RECTANGLE = 2,
  /** The DMRE rectangular sizes of ISO/IEC 21471. */
  DMRE = 4,
}

/** Flags for encode(). */
export enum EncodeFlag {
  /** GS1 mode: FNC1 as the first codeword, and every GS_BYTE in the input is encoded as FNC1. */
  GS1 = 1,
}

/** The byte that stands for FNC1 (the GS1 group separator) in GS1-mode input: ASCII GS. */
export const GS_BYTE = 0x1d;

/** Most input bytes one call accepts: two digits per codeword fill the largest symbol (1558). */
export const INPUT_CAPACITY = 3116;

/** Most codewords (data + error correction) of any symbol: 144x144 holds 1558 + 620. */
export const MAX_CODEWORDS = 2178;

/** Most modules of any symbol, 144x144; the output matrix region is this many bytes. */
export const MAX_MODULES = 20736;

/** 1D symbologies the core draws as bar/space runs (assembly/linear/). */
export enum Linear {
  /** EAN-13 (also UPC-A with a leading 0, and JAN): 12 digits, or 13 with the check digit. */
  EAN13 = 1,
  /** EAN-8: 7 digits, or 8 with the check digit. */
  EAN8 = 2,
  /** UPC-A: 11 digits, or 12 with the check digit; drawn as EAN-13 with a leading 0. */
  UPCA = 3,
  /** UPC-E: 6 (number system 0), 7 or 8 digits, or an 11/12-digit UPC-A that zero-suppresses. */
  UPCE = 4,
  /** ITF-14: 13 digits, or 14 with the check digit. */
  ITF14 = 5,
  /** Code 128 with minimal code-set switching; with LinearFlag.GS1 it is GS1-128. */
  CODE128 = 6,
  /** Code 39 (the 43-character set), start/stop added by the core. */
  CODE39 = 7,
}

/** Flags for linearEncode(), low byte; the wide-to-narrow ratio (2 or 3) goes in bits 8-15. */
export enum LinearFlag {
  /** Code 128 as GS1-128: FNC1 after the start character, every GS_BYTE encoded as FNC1. */
  GS1 = 1,
  /** Code 39: append the mod-43 check character. */
  CHECK = 2,
}

/** Result of linearEncode(); OK and the shared meanings of Status, plus the 1D refusals. */
export enum LinearStatus {
  OK = 0,
  /** More characters than the symbology (or LINEAR_INPUT_CAPACITY) allows. */
  TOO_LONG = 1,
  /** A character the symbology cannot encode; linearErrorPosition() says where. */
  INVALID_CHARACTER = 2,
  EMPTY = 3,
  /** A digit count the symbology does not take. */
  BAD_LENGTH = 6,
  /** The given check digit is wrong; linearExpectedCheck() holds the right one. */
  BAD_CHECK_DIGIT = 7,
  /** UPC-E: the number system digit is not 0 or 1. */
  BAD_NUMBER_SYSTEM = 8,
  /** UPC-E from a UPC-A: the UPC-A has no zero-suppressed form. */
  NOT_COMPRESSIBLE = 9,
  /** Not a Linear value. */
  UNKNOWN_SYMBOLOGY = 10,
  /** The wide-to-narrow ratio is not 2 or 3. */
  BAD_RATIO = 11,
  /**
   * UPC-E digits no UPC-A suppresses to: with a last digit of 3 the third must be 3-9, with 4
   * the fourth must not be 0, with 5-9 the fifth must not be 0 (linearErrorPosition() says which).
   */
  NOT_SUPPRESSED = 12,
}

/** Most input characters one linearEncode() call accepts. */
export const LINEAR_INPUT_CAPACITY = 256;

/**
 * Most bar/space elements of any 1D result, with room to spare: Code 128 at worst spends two
 * codewords (shift + character) per input character, 6 elements each: (2·256 + 4)·6 + 7 = 3103.
 */
export const LINEAR_ELEMENT_CAPACITY = 4096;

/** QR Code error correction levels (ISO/IEC 18004:2015 Table 13), as the host passes them. */
export enum QrEcLevel {
  L = 0,
  M = 1,
  Q = 2,
  H = 3,
}

/** The host's "choose the mask" value for qrEncode's mask argument (0..7 forces one). */
export const QR_MASK_AUTO = -1;

/** Most input bytes one QR call accepts: numeric digits filling version 40-L (7089). */
export const QR_INPUT_CAPACITY = 7089;

/** Most modules of any QR symbol, version 40 (177x177); the QR matrix region is this many bytes. */
export const QR_MAX_MODULES = 31329;

/** Largest side of a matrix the vector renderers draw as rectangles: QR version 40 (177). */
export const RECT_SIDE_MAX = 177;

/** Bytes of the rectangle path region one writeRectPath() call fills at most. */
export const RECT_PATH_CAPACITY = 16384;

/** How writeRectPath() spells a rectangle. */
export enum RectPathStyle {
  /** SVG path data: `M x y h w v h h -w z` (a closed subpath per rectangle, no spaces). */
  SVG = 0,
  /** PDF content stream: `x y w h re` and a newline per rectangle. */
  PDF = 1,
}
