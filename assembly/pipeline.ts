// The stages after encodation, in order, and the record of the last symbol made:
// data codewords → pad (padding.ts) → ECC (reed-solomon.ts) → placement (placement-map.ts, by
// placement.ts) → frame.ts.
import { drawFrame } from "./frame";
import { padCodewords } from "./padding";
import { placeByMap } from "./placement-map";
import { appendEcc } from "./reed-solomon";
import { CODEWORDS, MAPPING, MODULES } from "./scratch";
import { sizeDataCapacity } from "./symbols";

// The last symbol made: its size index (-1 when the last call failed) and its data codewords
// before padding.
let lastSize = -1;
let lastDataLength = 0;

/**
 * Turns the `dataLength` data codewords in CODEWORDS into symbol size `index` (0..47, and
 * dataLength at most its capacity): pads them, appends the interleaved ECC, places all
 * codewords and frames the result into MODULES. Records the symbol for the getters.
 */
export function finishSymbol(index: i32, dataLength: i32): void {
  assert(dataLength <= sizeDataCapacity(index), "more data codewords than the size holds");
  padCodewords(CODEWORDS, dataLength, sizeDataCapacity(index));
  appendEcc(CODEWORDS, index);
  placeByMap(CODEWORDS, index, MAPPING);
  drawFrame(index, MAPPING, MODULES);
  lastSize = index;
  lastDataLength = dataLength;
}

/** Forgets the last symbol, so the getters report none (called first by every ABI entry). */
export function clearSymbol(): void {
  lastSize = -1;
  lastDataLength = 0;
}

/** Returns the size index of the last symbol made, or -1 if there is none. */
export function lastSymbolSize(): i32 {
  return lastSize;
}

/** Returns the data codewords of the last symbol before padding, or 0 if there is none. */
export function lastSymbolDataLength(): i32 {
  return lastDataLength;
}
