// The host side of the WASM boundary: writes input into the core's fixed regions, calls the
// numbers-only ABI, copies results out. Browser-safe (no Node imports); the glue comes via "#core".
import * as wasm from "#core";
import { resultCopy } from "../result-bytes.js";
import { INPUT_CAPACITY, Status } from "./abi.js";

const INPUT = wasm.inputOffset();
const MODULES = wasm.modulesOffset();

let buffer = wasm.memory.buffer;
let bytes = new Uint8Array(buffer);

// Memory never grows by design (static regions only), but a view made before a growth would be
// detached, so re-derive it whenever the buffer object changed.
function memoryBytes(): Uint8Array {
  if (wasm.memory.buffer !== buffer) {
    buffer = wasm.memory.buffer;
    bytes = new Uint8Array(buffer);
  }
  return bytes;
}

/**
 * Encodes `data` (a string of char codes 0..255, or bytes) into the smallest symbol in `shapes`
 * (ShapeMask bits) with `flags` (EncodeFlag bits). Returns the core's Status, or INVALID_BYTE
 * for a char code above 255. Input longer than INPUT_CAPACITY is not written; the core answers
 * INPUT_TOO_LONG for it. On OK, read the result with the functions below.
 */
export function encodeInput(data: string | Uint8Array, shapes: number, flags: number): Status {
  if (!writeInput(data)) return Status.INVALID_BYTE;
  return wasm.encode(data.length, shapes, flags) as Status;
}

/**
 * Returns rows·columns of the symbol encodeInput would make for the same arguments, without
 * making it (the result functions below keep the last symbol made), or the negated Status when
 * encodeInput would fail.
 */
export function fitInput(data: string | Uint8Array, shapes: number, flags: number): number {
  if (!writeInput(data)) return -Status.INVALID_BYTE;
  return wasm.fitArea(data.length, shapes, flags);
}

/**
 * Returns rows·columns of the smallest symbol in `shapes` that could hold the bytes of the last
 * input written (encodeInput or fitInput, `length` bytes) in any order: no symbol of theirs is
 * smaller. 0 if none could, or for arguments encodeInput would refuse.
 */
export function boundAreaOfInput(length: number, shapes: number, flags: number): number {
  return wasm.boundArea(length, shapes, flags);
}

/** Writes `data` into the input region; false for a char code above 255 (nothing called). */
function writeInput(data: string | Uint8Array): boolean {
  const length = data.length;
  if (length > INPUT_CAPACITY) return true; // the core refuses it by its length alone
  const view = memoryBytes();
  if (typeof data === "string") {
    for (let i = 0; i < length; i++) {
      const code = data.charCodeAt(i);
      if (code > 0xff) return false;
      view[INPUT + i] = code;
    }
  } else {
    view.set(data, INPUT);
  }
  return true;
}

/** Returns the module rows of the last symbol, or 0 if the last call failed. */
export function symbolRows(): number {
  return wasm.symbolRows();
}

/** Returns the module columns of the last symbol, or 0 if the last call failed. */
export function symbolColumns(): number {
  return wasm.symbolColumns();
}

/** Returns the data codewords of the last symbol before padding (0 after a failure). */
export function dataLength(): number {
  return wasm.dataLength();
}

/**
 * Returns a fresh copy of the last symbol's modules: rows·columns bytes, row-major, 1 = dark,
 * that no later call touches (result-bytes.ts resultCopy: possibly a view into a shared
 * pool, whose .buffer must not be transferred).
 */
export function copyModules(): Uint8Array {
  const count = wasm.symbolRows() * wasm.symbolColumns();
  return resultCopy(memoryBytes().subarray(MODULES, MODULES + count));
}

/** Returns the current size of the core's linear memory in bytes (constant by design). */
export function memoryByteLength(): number {
  return wasm.memory.buffer.byteLength;
}
