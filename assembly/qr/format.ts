// Format and version information (ISO/IEC 18004:2015 7.9 and 7.10): the level and mask as a
// (15,5) BCH code masked with 101010000010010, both copies; from version 7 the version number as
// an (18,6) Golay code, both copies.
import { setFunctionModule } from "./function-patterns";
import { versionSize } from "./versions";

// The 2-bit level indicator of QrEcLevel L, M, Q, H (Table 12: 01, 00, 11, 10).
const LEVEL_BITS = memory.data<u8>([1, 0, 3, 2]);

/** Returns the 15 format bits of level `level` (0..3) and mask `mask` (0..7), masked. */
export function formatBits(level: i32, mask: i32): i32 {
  const data = ((<i32>load<u8>(LEVEL_BITS + <usize>level)) << 3) | mask;
  let remainder = data;
  for (let i = 0; i < 10; i++) remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537);
  return ((data << 10) | remainder) ^ 0x5412;
}

/** Returns the 18 version bits of `version` (7..40): the version then its 12 check bits. */
export function versionBits(version: i32): i32 {
  let remainder = version;
  for (let i = 0; i < 12; i++) remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1f25);
  return (version << 12) | remainder;
}

function bit(value: i32, index: i32): bool {
  return ((value >> index) & 1) != 0;
}

/** Modules of format information in a symbol: two copies of 15 bits. */
export const FORMAT_MODULES = 30;

/**
 * Returns where format module `index` (0..29: copy index / 15, bit index % 15, bit 0 the least
 * significant) of a size x size symbol lies, as x << 8 | y (x = column, y = row).
 */
export function formatPosition(size: i32, index: i32): i32 {
  const i = index % 15;
  let x = 8;
  let y = 0;
  if (index < 15) {
    // Around the top-left finder: down column 8 (skipping the timing row), then left along row 8.
    if (i <= 5) y = i;
    else if (i <= 7) y = i + 1;
    else {
      y = 8;
      x = i == 8 ? 7 : 14 - i;
    }
  } else if (i < 8) {
    // Split between the other two finders: row 8 from the right, then column 8 at the bottom.
    x = size - 1 - i;
    y = 8;
  } else {
    y = size - 15 + i;
  }
  return (x << 8) | y;
}

/**
 * Draws both copies of the format information of `level` and `mask` into the current symbol of
 * `version` (function-patterns.ts), and the dark module beside the lower copy.
 */
export function drawFormat(version: i32, level: i32, mask: i32): void {
  const bits = formatBits(level, mask);
  const size = versionSize(version);
  for (let k = 0; k < FORMAT_MODULES; k++) {
    const at = formatPosition(size, k);
    setFunctionModule(at >> 8, at & 0xff, bit(bits, k % 15));
  }
  setFunctionModule(8, size - 8, true);
}

/** Draws both copies of the version information of `version` (nothing below version 7). */
export function drawVersion(version: i32): void {
  if (version < 7) return;
  const bits = versionBits(version);
  const size = versionSize(version);
  for (let i = 0; i < 18; i++) {
    const a = size - 11 + (i % 3);
    const b = i / 3;
    setFunctionModule(a, b, bit(bits, i));
    setFunctionModule(b, a, bit(bits, i));
  }
}
