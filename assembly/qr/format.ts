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

/**
 * Draws both copies of the format information of `level` and `mask` into the current symbol of
 * `version` (function-patterns.ts), bit 0 (least significant) first along each copy.
 */
export function drawFormat(version: i32, level: i32, mask: i32): void {
  const bits = formatBits(level, mask);
  const size = versionSize(version);
  // Around the top-left finder: down column 8 (skipping the timing row), then left along row 8.
  for (let i = 0; i <= 5; i++) setFunctionModule(8, i, bit(bits, i));
  setFunctionModule(8, 7, bit(bits, 6));
  setFunctionModule(8, 8, bit(bits, 7));
  setFunctionModule(7, 8, bit(bits, 8));
  for (let i = 9; i < 15; i++) setFunctionModule(14 - i, 8, bit(bits, i));
  // Split between the other two finders: row 8 from the right, then column 8 at the bottom.
  for (let i = 0; i < 8; i++) setFunctionModule(size - 1 - i, 8, bit(bits, i));
  for (let i = 8; i < 15; i++) setFunctionModule(8, size - 15 + i, bit(bits, i));
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
