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
