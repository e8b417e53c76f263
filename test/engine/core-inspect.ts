// Test-only readers and the low-level codeword entry of the release core, over the same `#core`
// glue src/engine/core.ts uses: the service never needs them, so they live with the tests.
import * as wasm from "#core";
import { MAX_CODEWORDS, Status } from "../../src/engine/abi.js";

/**
 * Makes a symbol from data codewords given as-is (no encodation): the smallest size in `shapes`
 * holding them, padded and with ECC. Returns the core's Status (TOO_LONG beyond the largest).
 */
export function encodeCodewordList(codewords: ArrayLike<number>, shapes: number): Status {
  const count = codewords.length;
  if (count > MAX_CODEWORDS) return Status.TOO_LONG;
  const view = new Uint8Array(wasm.memory.buffer);
  const at = wasm.codewordsOffset();
  for (let i = 0; i < count; i++) view[at + i] = codewords[i];
  return wasm.encodeCodewords(count, shapes) as Status;
}

/** Returns the data capacity of the last symbol (0 after a failure). */
export function dataCapacity(): number {
  return wasm.dataCapacity();
}

/** Returns the error correction codewords of the last symbol (0 after a failure). */
export function eccLength(): number {
  return wasm.eccLength();
}

/** Returns a copy of the last symbol's codewords: data capacity, then ECC. */
export function copyCodewords(): Uint8Array {
  const at = wasm.codewordsOffset();
  return new Uint8Array(wasm.memory.buffer).slice(at, at + wasm.dataCapacity() + wasm.eccLength());
}
