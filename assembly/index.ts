// The core's ABI: numbers-only exported functions over the fixed regions of scratch.ts.
// encode: input bytes → data codewords → pad → ECC → placement → framed module matrix.
import { EncodeFlag, INPUT_CAPACITY, ShapeMask, Status } from "../src/engine/abi";
import { planEncodation } from "./encodation/planner";
import { clearSymbol, finishSymbol, lastSymbolDataLength, lastSymbolSize } from "./pipeline";
import { CODEWORDS, INPUT, MODULES } from "./scratch";
import {
  lookupSymbol,
  nextSize,
  sizeColumns,
  sizeDataCapacity,
  sizeEccCapacity,
  sizeRows,
} from "./symbols";

const ALL_SHAPES = ShapeMask.SQUARE | ShapeMask.RECTANGLE | ShapeMask.DMRE;
/** Highest byte GS1 mode accepts: the GS1 character sets are 7-bit. */
const MAX_GS1_BYTE = 127;

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

function hasHighByte(length: i32): bool {
  for (let i = 0; i < length; i++) {
    if (<i32>load<u8>(INPUT + <usize>i) > MAX_GS1_BYTE) return true;
  }
  return false;
}

/**
 * Encodes the `length` input bytes at inputOffset() into the smallest symbol (ascending area;
 * ties: square, ISO rectangle, DMRE) whose family is in `shapes` (ShapeMask bits), with `flags`
 * (EncodeFlag bits; GS1: FNC1 first and GS_BYTE as FNC1). On OK the matrix is at
 * modulesOffset() (symbolRows() x symbolColumns()) and the codewords at codewordsOffset().
 * Returns a Status: EMPTY (length <= 0), INPUT_TOO_LONG (above INPUT_CAPACITY), NO_SHAPE (no
 * known shape bit), INVALID_BYTE (GS1 mode and a byte above 127), TOO_LONG (fits no allowed
 * size). After a failure the getters return 0.
 */
export function encode(length: i32, shapes: i32, flags: i32): i32 {
  clearSymbol();
  if (length <= 0) return Status.EMPTY;
  if (length > INPUT_CAPACITY) return Status.INPUT_TOO_LONG;
  const allowed = shapes & ALL_SHAPES;
  if (allowed == 0) return Status.NO_SHAPE;
  const gs1 = (flags & EncodeFlag.GS1) != 0;
  if (gs1 && hasHighByte(length)) return Status.INVALID_BYTE;
  // The encodation depends on the capacity (end-of-data rules), so plan per candidate size,
  // smallest first, and keep the first that fits.
  for (let i = nextSize(0, allowed); i >= 0; i = nextSize(i + 1, allowed)) {
    const capacity = sizeDataCapacity(i);
    const written = planEncodation(INPUT, length, gs1, capacity, CODEWORDS);
    if (written >= 0) {
      assert(written <= capacity, "planner wrote past the capacity");
      finishSymbol(i, written);
      return Status.OK;
    }
  }
  return Status.TOO_LONG;
}

/**
 * Makes a symbol from `count` data codewords the caller already wrote at codewordsOffset(),
 * unchanged (no encodation): the smallest size in `shapes` holding them, padded, with ECC.
 * Returns OK, EMPTY (count <= 0), NO_SHAPE, or TOO_LONG (more than any allowed size holds).
 */
export function encodeCodewords(count: i32, shapes: i32): i32 {
  clearSymbol();
  if (count <= 0) return Status.EMPTY;
  const allowed = shapes & ALL_SHAPES;
  if (allowed == 0) return Status.NO_SHAPE;
  const index = lookupSymbol(count, allowed);
  if (index < 0) return Status.TOO_LONG;
  finishSymbol(index, count);
  return Status.OK;
}

/** Returns the module rows of the last symbol made, or 0 if the last call failed. */
export function symbolRows(): i32 {
  const size = lastSymbolSize();
  return size < 0 ? 0 : sizeRows(size);
}

/** Returns the module columns of the last symbol made, or 0 if the last call failed. */
export function symbolColumns(): i32 {
  const size = lastSymbolSize();
  return size < 0 ? 0 : sizeColumns(size);
}

/** Returns the data capacity (codewords) of the last symbol made, or 0 if the last call failed. */
export function dataCapacity(): i32 {
  const size = lastSymbolSize();
  return size < 0 ? 0 : sizeDataCapacity(size);
}

/** Returns the data codewords of the last symbol before padding, or 0 if the last call failed. */
export function dataLength(): i32 {
  return lastSymbolDataLength();
}

/** Returns the error correction codewords of the last symbol (after its data capacity), or 0. */
export function eccLength(): i32 {
  const size = lastSymbolSize();
  return size < 0 ? 0 : sizeEccCapacity(size);
}
