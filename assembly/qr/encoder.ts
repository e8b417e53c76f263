// The QR high level: input bytes → optimal segments → the smallest version at the level →
// data codewords → check codewords, interleaved → function patterns, placement → the mask of
// lowest penalty with its format (and version) information. Records the last symbol made.
import { Status } from "../../src/engine/abi";
import { writeDataCodewords } from "./bitstream";
import { interleaveWithEcc } from "./codewords";
import { drawFormat } from "./format";
import { applyMask } from "./mask";
import { packFunctions, packModules, scoreMask, writeMaskedNarrow } from "./mask-choice";
import { INDICATOR_BITS } from "./modes";
import { placeCodewords } from "./placement";
import { QR_CODEWORDS, QR_DATA, QR_FUNCTION, QR_MODULES } from "./regions";
import { segment } from "./segmenter";
import { startSymbol } from "./templates";
import {
  dataCodewords,
  rangeFirstVersion,
  rangeLastVersion,
  totalCodewords,
  versionSize,
} from "./versions";

let lastVersion = 0;
let lastMask = -1;
let lastDataLength = 0;

/**
 * Encodes the `length` (>= 1) bytes at `input` at level `level` (0..3, QrEcLevel) into the
 * smallest version that holds them after optimal segmentation, in GS1 mode when `gs1` (FNC1
 * first; each GS is FNC1). `mask` 0..7 forces that mask, anything else (QR_MASK_AUTO) picks the
 * lowest penalty, ties to the lower mask. On OK the matrix is at QR_MODULES (qrSymbolSize()
 * squared), the codewords at QR_CODEWORDS. Returns OK or TOO_LONG (fits no version); the caller
 * validated the arguments.
 */
export function encodeQrSymbol(input: usize, length: i32, level: i32, gs1: bool, mask: i32): i32 {
  clearQrSymbol();
  let version = 0;
  let range = 0;
  for (; range < 3 && version == 0; range++) {
    const bits = segment(input, length, gs1, range) + (gs1 ? INDICATOR_BITS : 0);
    for (let v = rangeFirstVersion(range); v <= rangeLastVersion(range); v++) {
      if (bits <= dataCodewords(v, level) * 8) {
        version = v;
        break;
      }
    }
  }
  if (version == 0) return Status.TOO_LONG;
  // The loop stepped past the range it found the version in; segment() last ran for it.
  range--;
  const capacity = dataCodewords(version, level);
  lastDataLength = writeDataCodewords(input, length, gs1, range, QR_DATA, capacity);
  interleaveWithEcc(QR_DATA, version, level, QR_CODEWORDS);
  const size = versionSize(version);
  startSymbol(version);
  placeCodewords(QR_CODEWORDS, totalCodewords(version), size, QR_MODULES, QR_FUNCTION);
  let chosen = mask;
  if (mask < 0 || mask > 7) {
    // Scored with each candidate's own format information, as the standard scores the symbol;
    // the format areas are still light here, as packModules() wants them.
    packFunctions(QR_FUNCTION, size);
    packModules(QR_MODULES, size);
    let best = 0x7fffffff;
    for (let m = 0; m < 8; m++) {
      // A candidate is dropped once its partial score reaches the best: it cannot win.
      const score = scoreMask(size, level, m, best);
      if (score < best) {
        best = score;
        chosen = m;
      }
    }
  }
  if (chosen != mask && size <= 64) {
    // The winner is already packed a word a row: unpacked, masked and with its format, it is
    // the symbol (a fifth of the bytewise drawFormat() and applyMask() below).
    writeMaskedNarrow(QR_MODULES, size, level, chosen);
  } else {
    drawFormat(version, level, chosen);
    applyMask(QR_MODULES, QR_FUNCTION, size, chosen);
  }
  lastVersion = version;
  lastMask = chosen;
  return Status.OK;
}

/** Forgets the last QR symbol, so the getters report none. */
export function clearQrSymbol(): void {
  lastVersion = 0;
  lastMask = -1;
  lastDataLength = 0;
}

/** Returns the version (1..40) of the last QR symbol, or 0 if the last call failed. */
export function lastQrVersion(): i32 {
  return lastVersion;
}

/** Returns the mask (0..7) of the last QR symbol, or -1 if the last call failed. */
export function lastQrMask(): i32 {
  return lastMask;
}

/** Returns the data codewords of the last QR symbol before pad codewords, or 0. */
export function lastQrDataLength(): i32 {
  return lastDataLength;
}
