// The host side of the deflate core (assembly/deflate/): copies bytes in, calls deflateRaw,
// copies the stream out. Browser-safe (no Node imports).
import * as wasm from "#deflate";
import { DEFLATE_CAPACITY, NOT_SMALLER } from "./abi.js";

export { DEFLATE_CAPACITY };

const INPUT = wasm.inputOffset();
const OUTPUT = wasm.outputOffset();

/**
 * Returns `data` as a raw deflate stream (RFC 1951: one final block, dynamic or fixed codes,
 * LZ77 matches found like zlib's level 6), or null when deflate would not make it shorter —
 * store it then. The same bytes always give the same stream, on any host. Throws RangeError for
 * more than DEFLATE_CAPACITY bytes: compress those another way.
 */
export function deflateRaw(data: Uint8Array): Uint8Array | null {
  if (data.length > DEFLATE_CAPACITY) {
    throw new RangeError(`deflateRaw takes at most ${DEFLATE_CAPACITY} bytes, got ${data.length}`);
  }
  const memory = new Uint8Array(wasm.memory.buffer);
  memory.set(data, INPUT);
  const written = wasm.deflateRaw(data.length);
  if (written === NOT_SMALLER) return null;
  return memory.slice(OUTPUT, OUTPUT + written);
}
