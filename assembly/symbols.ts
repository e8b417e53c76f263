// ECC 200 symbol sizes as data (ISO/IEC 16022:2006 Table 7; DMRE: ISO/IEC 21471:2020 Table 7)
// and the smallest-fit lookup. Rows are kept in lookup order: ascending area, ties broken by
// square, then ISO rectangle, then DMRE, then smaller capacity, so a scan stops at the first fit.
import { ShapeMask } from "../src/engine/abi";

/** Number of u16 fields per row of SIZES. */
const FIELDS = 12;
/** Number of rows of SIZES: 24 square + 6 rectangular + 18 DMRE. */
const SIZE_COUNT = 48;

const SQ: u16 = <u16>ShapeMask.SQUARE;
const RE: u16 = <u16>ShapeMask.RECTANGLE;
const DM: u16 = <u16>ShapeMask.DMRE;

// Per size: symbol rows and columns; one data region's rows and columns (without its finder and
// clock modules); data regions vertically and horizontally; data capacity (codewords); number of
// interleaved Reed-Solomon blocks; data and ECC codewords of the largest block; how many blocks
// (the last ones) hold one data codeword fewer; family. Cross-checked against zxing-cpp
// DMVersion.cpp (which cites both tables) and zint dmatrix.h. The only irregular split is
// 144x144: 8 blocks of 156 and 2 of 155 data codewords (Table 7, note to the 144x144 row).
// biome-ignore format: the columns stay aligned with the header row
const SIZES = memory.data<u16>([
  // rows cols rRows rCols vReg hReg  cap blocks bData bEcc short family
    10,  10,   8,   8,  1,  1,    3,  1,    3,    5,  0, SQ,
    12,  12,  10,  10,  1,  1,    5,  1,    5,    7,  0, SQ,
     8,  18,   6,  16,  1,  1,    5,  1,    5,    7,  0, RE,
    14,  14,  12,  12,  1,  1,    8,  1,    8,   10,  0, SQ,
    16,  16,  14,  14,  1,  1,   12,  1,   12,   12,  0, SQ,
     8,  32,   6,  14,  1,  2,   10,  1,   10,   11,  0, RE,
    12,  26,  10,  24,  1,  1,   16,  1,   16,   14,  0, RE,
    18,  18,  16,  16,  1,  1,   18,  1,   18,   14,  0, SQ,
     8,  48,   6,  22,  1,  2,   18,  1,   18,   15,  0, DM,
    20,  20,  18,  18,  1,  1,   22,  1,   22,   18,  0, SQ,
    12,  36,  10,  16,  1,  2,   22,  1,   22,   18,  0, RE,
    22,  22,  20,  20,  1,  1,   30,  1,   30,   20,  0, SQ,
     8,  64,   6,  14,  1,  4,   24,  1,   24,   18,  0, DM,
    24,  24,  22,  22,  1,  1,   36,  1,   36,   24,  0, SQ,
    16,  36,  14,  16,  1,  2,   32,  1,   32,   24,  0, RE,
     8,  80,   6,  18,  1,  4,   32,  1,   32,   22,  0, DM,
    26,  26,  24,  24,  1,  1,   44,  1,   44,   28,  0, SQ,
    20,  36,  18,  16,  1,  2,   44,  1,   44,   28,  0, DM,
    16,  48,  14,  22,  1,  2,   49,  1,   49,   28,  0, RE,
     8,  96,   6,  22,  1,  4,   38,  1,   38,   28,  0, DM,
    12,  64,  10,  14,  1,  4,   43,  1,   43,   27,  0, DM,
    20,  44,  18,  20,  1,  2,   56,  1,   56,   34,  0, DM,
     8, 120,   6,  18,  1,  6,   49,  1,   49,   32,  0, DM,
    32,  32,  14,  14,  2,  2,   62,  1,   62,   36,  0, SQ,
    16,  64,  14,  14,  1,  4,   62,  1,   62,   36,  0, DM,
    26,  40,  24,  18,  1,  2,   70,  1,   70,   38,  0, DM,
    12,  88,  10,  20,  1,  4,   64,  1,   64,   36,  0, DM,
    22,  48,  20,  22,  1,  2,   72,  1,   72,   38,  0, DM,
     8, 144,   6,  22,  1,  6,   63,  1,   63,   36,  0, DM,
    24,  48,  22,  22,  1,  2,   80,  1,   80,   41,  0, DM,
    26,  48,  24,  22,  1,  2,   90,  1,   90,   42,  0, DM,
    20,  64,  18,  14,  1,  4,   84,  1,   84,   42,  0, DM,
    36,  36,  16,  16,  2,  2,   86,  1,   86,   42,  0, SQ,
    24,  64,  22,  14,  1,  4,  108,  1,  108,   46,  0, DM,
    40,  40,  18,  18,  2,  2,  114,  1,  114,   48,  0, SQ,
    26,  64,  24,  14,  1,  4,  118,  1,  118,   50,  0, DM,
    44,  44,  20,  20,  2,  2,  144,  1,  144,   56,  0, SQ,
    48,  48,  22,  22,  2,  2,  174,  1,  174,   68,  0, SQ,
    52,  52,  24,  24,  2,  2,  204,  2,  102,   42,  0, SQ,
    64,  64,  14,  14,  4,  4,  280,  2,  140,   56,  0, SQ,
    72,  72,  16,  16,  4,  4,  368,  4,   92,   36,  0, SQ,
    80,  80,  18,  18,  4,  4,  456,  4,  114,   48,  0, SQ,
    88,  88,  20,  20,  4,  4,  576,  4,  144,   56,  0, SQ,
    96,  96,  22,  22,  4,  4,  696,  4,  174,   68,  0, SQ,
   104, 104,  24,  24,  4,  4,  816,  6,  136,   56,  0, SQ,
   120, 120,  18,  18,  6,  6, 1050,  6,  175,   68,  0, SQ,
   132, 132,  20,  20,  6,  6, 1304,  8,  163,   62,  0, SQ,
   144, 144,  22,  22,  6,  6, 1558, 10,  156,   62,  2, SQ,
]);

function field(index: i32, column: i32): i32 {
  return <i32>load<u16>(SIZES + ((<usize>(index * FIELDS + column)) << 1));
}

/** Returns the number of symbol sizes in the table (48); valid indexes are 0 to that minus 1. */
export function sizeCount(): i32 {
  return SIZE_COUNT;
}

/** Returns the module rows of size `index` (finder and clock included). */
export function sizeRows(index: i32): i32 {
  return field(index, 0);
}

/** Returns the module columns of size `index` (finder and clock included). */
export function sizeColumns(index: i32): i32 {
  return field(index, 1);
}

/** Returns the rows of one data region of size `index`, without its finder and clock modules. */
export function sizeRegionRows(index: i32): i32 {
  return field(index, 2);
}

/** Returns the columns of one data region of size `index`, without its finder and clock modules. */
export function sizeRegionColumns(index: i32): i32 {
  return field(index, 3);
}

/** Returns how many data regions size `index` stacks vertically (1, 2, 4 or 6). */
export function sizeRegionsVertical(index: i32): i32 {
  return field(index, 4);
}

/** Returns how many data regions size `index` places side by side (1, 2, 4 or 6). */
export function sizeRegionsHorizontal(index: i32): i32 {
  return field(index, 5);
}

/** Returns the rows of the mapping matrix of size `index`: all its data regions' rows. */
export function sizeMappingRows(index: i32): i32 {
  return field(index, 2) * field(index, 4);
}

/** Returns the columns of the mapping matrix of size `index`: all its data regions' columns. */
export function sizeMappingColumns(index: i32): i32 {
  return field(index, 3) * field(index, 5);
}

/** Returns the data codewords size `index` holds (3 to 1558). */
export function sizeDataCapacity(index: i32): i32 {
  return field(index, 6);
}

/** Returns the number of interleaved Reed-Solomon blocks of size `index` (1 to 10). */
export function sizeBlocks(index: i32): i32 {
  return field(index, 7);
}

/** Returns the data codewords of the largest block of size `index`. */
export function sizeBlockData(index: i32): i32 {
  return field(index, 8);
}

/** Returns the error correction codewords of each block of size `index` (5 to 68). */
export function sizeBlockEcc(index: i32): i32 {
  return field(index, 9);
}

/** Returns how many of the last blocks of size `index` hold one data codeword fewer (0 or 2). */
export function sizeShortBlocks(index: i32): i32 {
  return field(index, 10);
}

/** Returns the error correction codewords of size `index` in all: blocks times block ECC. */
export function sizeEccCapacity(index: i32): i32 {
  return field(index, 7) * field(index, 9);
}

/** Returns the family of size `index` as one ShapeMask bit: SQUARE, RECTANGLE or DMRE. */
export function sizeFamily(index: i32): i32 {
  return field(index, 11);
}

/**
 * Returns the index of the first size at or after `from` whose family is in `shapes` (a
 * ShapeMask combination), or -1 if there is none. Sizes come in lookup order (ascending area).
 */
export function nextSize(from: i32, shapes: i32): i32 {
  for (let i = max(from, 0); i < SIZE_COUNT; i++) {
    if ((field(i, 11) & shapes) != 0) return i;
  }
  return -1;
}

/**
 * Returns the index of the smallest-area size whose family is in `shapes` and whose data
 * capacity is at least `dataCodewords`, or -1 if none is (more than 1558 codewords with squares,
 * 49 with ISO rectangles only, 118 with DMRE only, or an empty mask).
 */
export function lookupSymbol(dataCodewords: i32, shapes: i32): i32 {
  for (let i = nextSize(0, shapes); i >= 0; i = nextSize(i + 1, shapes)) {
    if (field(i, 6) >= dataCodewords) return i;
  }
  return -1;
}
