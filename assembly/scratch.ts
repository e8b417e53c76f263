// Fixed memory regions shared by the host and the core: input bytes, codewords, module matrix.
// Static (memory.data), so no call allocates and linear memory never grows (see house style).
import {
  INPUT_CAPACITY,
  LINEAR_ELEMENT_CAPACITY,
  LINEAR_INPUT_CAPACITY,
  MAX_CODEWORDS,
  MAX_MODULES,
} from "../src/engine/abi";

/** Input bytes written by the host before encode(); INPUT_CAPACITY bytes. */
export const INPUT: usize = memory.data(INPUT_CAPACITY);

/** Data codewords followed by error correction codewords of the last symbol; MAX_CODEWORDS bytes. */
export const CODEWORDS: usize = memory.data(MAX_CODEWORDS);

/** The module matrix of the last symbol, row-major, one byte per module, 1 = dark. */
export const MODULES: usize = memory.data(MAX_MODULES);

/** Largest mapping matrix (all data regions, no finder or clock modules): 132x132 of 144x144. */
export const MAPPING_CAPACITY = 17424;

/** The mapping matrix of the last symbol, as placement.ts writes it; MAPPING_CAPACITY bytes. */
export const MAPPING: usize = memory.data(MAPPING_CAPACITY);

/** 1D result: bar/space widths in modules, first a bar; LINEAR_ELEMENT_CAPACITY bytes. */
export const LINEAR_WIDTHS: usize = memory.data(LINEAR_ELEMENT_CAPACITY);

/** 1D result: 1 where the element at the same index is a guard bar drawn extended (EAN/UPC). */
export const LINEAR_GUARDS: usize = memory.data(LINEAR_ELEMENT_CAPACITY);

/** 1D result: the characters encoded, check characters included (for the human-readable text). */
export const LINEAR_TEXT: usize = memory.data(LINEAR_INPUT_CAPACITY + 2);
