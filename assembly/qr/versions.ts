// The QR Code version table (ISO/IEC 18004:2015 Tables 1, 7, 9 and Annex E): symbol size,
// codeword capacity, error correction blocks per level, alignment pattern centres, and the
// character count field widths. Levels are indexed as QrEcLevel: L = 0, M = 1, Q = 2, H = 3.

// Check codewords per block, 40 versions per level (Table 9).
// biome-ignore format: one level per row
const ECC_PER_BLOCK = memory.data<u8>([
  7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
  10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
  13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
  17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
]);

// Error correction blocks, 40 versions per level (Table 9).
// biome-ignore format: one level per row
const BLOCKS = memory.data<u8>([
  1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25,
  1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
  1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68,
  1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81,
]);

/** Returns the modules per side of `version` (1..40): 21, 25, … 177. */
export function versionSize(version: i32): i32 {
  return version * 4 + 17;
}

/** Returns how many alignment patterns lie along one side's axis: 0 for version 1, else v/7 + 2. */
export function alignmentCount(version: i32): i32 {
  return version == 1 ? 0 : version / 7 + 2;
}

/**
 * Returns the `index`-th (0-based, ascending) alignment pattern centre coordinate of `version`
 * (2..40), index < alignmentCount(version). The first is always 6 and the last size - 7; the
 * others are evenly spaced down from the last by an even step (Annex E: version 32's step is
 * 26, which this step rule gives as well).
 */
export function alignmentPosition(version: i32, index: i32): i32 {
  if (index == 0) return 6;
  const count = alignmentCount(version);
  const step = ((version * 8 + count * 3 + 5) / (count * 4 - 4)) * 2;
  return versionSize(version) - 7 - (count - 1 - index) * step;
}

/**
 * Returns the modules of `version` (1..40) left for codewords and remainder bits once the
 * function patterns, format and version information are drawn.
 */
export function rawDataModules(version: i32): i32 {
  let result = (16 * version + 128) * version + 64;
  if (version >= 2) {
    const count = alignmentCount(version);
    result -= (25 * count - 10) * count - 55;
    if (version >= 7) result -= 36;
  }
  return result;
}

/** Returns all codewords (data and check) of `version` (1..40): 26 … 3706. */
export function totalCodewords(version: i32): i32 {
  return rawDataModules(version) >> 3;
}

/** Returns the check codewords per block of `version` (1..40) at level `level` (0..3). */
export function eccPerBlock(version: i32, level: i32): i32 {
  return <i32>load<u8>(ECC_PER_BLOCK + <usize>(level * 40 + version - 1));
}

/** Returns the error correction blocks of `version` (1..40) at level `level` (0..3). */
export function blockCount(version: i32, level: i32): i32 {
  return <i32>load<u8>(BLOCKS + <usize>(level * 40 + version - 1));
}

/** Returns the data codewords `version` (1..40) holds at level `level` (0..3). */
export function dataCodewords(version: i32, level: i32): i32 {
  return totalCodewords(version) - eccPerBlock(version, level) * blockCount(version, level);
}

/** Returns the first version of count range `range` (0..2). */
export function rangeFirstVersion(range: i32): i32 {
  return range == 0 ? 1 : range == 1 ? 10 : 27;
}

/** Returns the last version of count range `range` (0..2). */
export function rangeLastVersion(range: i32): i32 {
  return range == 0 ? 9 : range == 1 ? 26 : 40;
}
