// Test-only build (build/wasm/test.wasm): the ABI plus internals, for stage-level vectors.
// Stage wrappers work on the fixed regions, so tests pass numbers only, like the host does.

import { QR_MAX_MODULES } from "../src/engine/abi";
import {
  FIELD_DATAMATRIX,
  FIELD_QR,
  gfExp as fieldExp,
  gfLog as fieldLog,
  gfMultiply as fieldMultiply,
} from "./gf256";
import { padCodewords } from "./padding";
import { finishSymbol } from "./pipeline";
import { placeCodewords } from "./placement";
import { placeByMap } from "./placement-map";
import { lastQrMask, lastQrVersion } from "./qr/encoder";
import { drawFormat, FORMAT_MODULES, formatPosition } from "./qr/format";
import { drawFunctionPatterns } from "./qr/function-patterns";
import { applyMask, penaltyScore } from "./qr/mask";
import { packSymbol, scoreMask } from "./qr/mask-choice";
import { QR_FUNCTION, QR_INPUT, QR_MODES, QR_MODULES } from "./qr/regions";
import { segment } from "./qr/segmenter";
import { versionSize } from "./qr/versions";
import { computeBlockEcc, evaluateBlock, generatorPolynomial } from "./reed-solomon";
import { CODEWORDS, MAPPING } from "./scratch";
import { sizeDataCapacity } from "./symbols";

export { planEncodation } from "./encodation/planner";
export * from "./index";
export {
  lookupSymbol,
  nextSize,
  sizeBlockData,
  sizeBlockEcc,
  sizeBlocks,
  sizeColumns,
  sizeCount,
  sizeDataCapacity,
  sizeEccCapacity,
  sizeFamily,
  sizeMappingColumns,
  sizeMappingRows,
  sizeRegionColumns,
  sizeRegionRows,
  sizeRegionsHorizontal,
  sizeRegionsVertical,
  sizeRows,
  sizeShortBlocks,
} from "./symbols";

/**
 * Returns the fewest segment bits (indicators, counts, data; no FNC1 indicator or terminator)
 * the QR segmenter finds for the `length` bytes at qrInputOffset() in count range `range`
 * (0..2), GS1 mode when `gs1` is non-zero; qrSegmentMode(i) then gives character i's mode.
 */
export function qrSegmentBits(length: i32, gs1: i32, range: i32): i32 {
  return segment(QR_INPUT, length, gs1 != 0, range);
}

/** Returns the mode (0 numeric, 1 alphanumeric, 2 byte) of character `index` after qrSegmentBits. */
export function qrSegmentMode(index: i32): i32 {
  return <i32>load<u8>(QR_MODES + <usize>index);
}

/**
 * Undoes the mask and clears the format information of the last QR symbol (qrEncode, `level`
 * and mask as it answered), leaving it as the encoder scores candidates, and packs it for
 * qrScorePacked().
 */
export function qrPrepareScoring(level: i32): void {
  const size = versionSize(lastQrVersion());
  applyMask(QR_MODULES, QR_FUNCTION, size, lastQrMask());
  for (let k = 0; k < FORMAT_MODULES; k++) {
    const at = formatPosition(size, k);
    store<u8>(QR_MODULES + <usize>((at & 0xff) * size + (at >> 8)), 0);
  }
  packSymbol(QR_MODULES, QR_FUNCTION, size);
  preparedLevel = level;
}
let preparedLevel = 0;
// A second QR matrix for qrScoreBytes, so the prepared symbol stays as it is.
const QR_SCRATCH_MODULES = memory.data(QR_MAX_MODULES);
const QR_SCRATCH_FUNCTION = memory.data(QR_MAX_MODULES);

/** Returns mask-choice.ts scoreMask() for `mask` on the symbol qrPrepareScoring() packed. */
export function qrScorePacked(mask: i32): i32 {
  return scoreMask(versionSize(lastQrVersion()), preparedLevel, mask);
}

/**
 * Returns mask.ts penaltyScore() of the byte matrix qrPrepareScoring() left, with `mask` and
 * its format information drawn (both undone afterwards).
 */
export function qrScoreBytes(mask: i32): i32 {
  const version = lastQrVersion();
  const size = versionSize(version);
  drawFunctionPatterns(version, QR_SCRATCH_MODULES, QR_SCRATCH_FUNCTION);
  memory.copy(QR_SCRATCH_MODULES, QR_MODULES, <usize>(size * size));
  drawFormat(version, preparedLevel, mask);
  applyMask(QR_SCRATCH_MODULES, QR_FUNCTION, size, mask);
  return penaltyScore(QR_SCRATCH_MODULES, size);
}

/** Returns α^exponent in the ECC 200 field (0x12D). */
export function gfExp(exponent: i32): i32 {
  return fieldExp(exponent, FIELD_DATAMATRIX);
}

/** Returns log_α(value) in the ECC 200 field (0x12D); 0 for 0. */
export function gfLog(value: i32): i32 {
  return fieldLog(value, FIELD_DATAMATRIX);
}

/** Returns a·b in the ECC 200 field (0x12D). */
export function gfMultiply(a: i32, b: i32): i32 {
  return fieldMultiply(a, b, FIELD_DATAMATRIX);
}

/** Returns α^exponent in the QR field (0x11D). */
export function qrGfExp(exponent: i32): i32 {
  return fieldExp(exponent, FIELD_QR);
}

/** Returns a·b in the QR field (0x11D). */
export function qrGfMultiply(a: i32, b: i32): i32 {
  return fieldMultiply(a, b, FIELD_QR);
}

/** Returns the address of the mapping matrix region that placeCodewordList() fills. */
export function mappingOffset(): usize {
  return MAPPING;
}

/** Returns the coefficient of x^power (0..eccLength) in the generator of degree eccLength. */
export function generatorCoefficient(eccLength: i32, power: i32): i32 {
  return <i32>load<u8>(generatorPolynomial(eccLength) + <usize>(eccLength - power));
}

/** Writes the eccLength check codewords of codewords[0..count) to codewords[count..). */
export function blockEcc(count: i32, eccLength: i32): void {
  computeBlockEcc(CODEWORDS, 1, count, eccLength, CODEWORDS + <usize>count, 1);
}

/** Returns C(α^exponent) of block `block` of size `sizeIndex` as interleaved in the codewords. */
export function blockSyndrome(sizeIndex: i32, block: i32, exponent: i32): i32 {
  return evaluateBlock(CODEWORDS, sizeIndex, block, exponent);
}

/** Pads codewords[length..capacity) in the codeword region. */
export function padCodewordList(length: i32, capacity: i32): void {
  padCodewords(CODEWORDS, length, capacity);
}

/** Places the codewords region into size `sizeIndex`'s mapping matrix by placement-map.ts. */
export function placeCodewordListByMap(sizeIndex: i32): void {
  placeByMap(CODEWORDS, sizeIndex, MAPPING);
}

/** Places the codewords region into an nrow x ncol mapping matrix; returns codewords placed. */
export function placeCodewordList(nrow: i32, ncol: i32): i32 {
  return placeCodewords(CODEWORDS, nrow, ncol, MAPPING);
}

/**
 * Makes symbol size `sizeIndex` (0..47) from the `count` data codewords in the codeword region,
 * whatever the area order would pick: the only way to reach DMRE sizes that a smaller-area size
 * of equal or larger capacity shadows. Returns 0, or -1 if count does not fit that size.
 */
export function encodeCodewordsInSize(count: i32, sizeIndex: i32): i32 {
  if (count < 0 || count > sizeDataCapacity(sizeIndex)) return -1;
  finishSymbol(sizeIndex, count);
  return 0;
}
export { randomize255 } from "./encodation/base256";
export { c40ValueCount } from "./encodation/c40-text";
