// The core's ABI: numbers-only exported functions over the fixed regions of scratch.ts.
import { INPUT, CODEWORDS, MODULES } from "./scratch";

/** Returns the address of the input region (INPUT_CAPACITY bytes). */
export function inputOffset(): usize {
  return INPUT;
}

/** Returns the address of the codeword region (data then error correction codewords). */
export function codewordsOffset(): usize {
  return CODEWORDS;
}

/** Returns the address of the module matrix region (row-major, one byte per module). */
export function modulesOffset(): usize {
  return MODULES;
}
