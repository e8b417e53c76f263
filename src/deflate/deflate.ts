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

// A stored block holds at most this many bytes (RFC 1951 §3.2.4: LEN is 16 bits).
const STORED_MAX = 65535;

/**
 * Returns `data` as a zlib stream (RFC 1950: a 2-byte header, one final raw deflate block whose
 * only matches are runs of one byte, as zlib's Z_RLE strategy makes them, or stored blocks when
 * that would not be smaller, then the Adler-32): the IDAT of an image whose repeats are runs.
 * The same bytes always give the same stream, on any host. Throws RangeError for more than
 * DEFLATE_CAPACITY bytes, like deflateRaw.
 */
export function zlibOfRuns(data: Uint8Array): Uint8Array {
  if (data.length > DEFLATE_CAPACITY) {
    throw new RangeError(`zlibOfRuns takes at most ${DEFLATE_CAPACITY} bytes, got ${data.length}`);
  }
  const memory = new Uint8Array(wasm.memory.buffer);
  memory.set(data, INPUT);
  const adler = wasm.inputAdler32(data.length);
  const written = wasm.deflateRawRuns(data.length);
  const storedBlocks = Math.max(1, Math.ceil(data.length / STORED_MAX));
  const body = written === NOT_SMALLER ? data.length + 5 * storedBlocks : written;
  const out = new Uint8Array(2 + body + 4);
  out[0] = 0x78; // deflate, 32 KiB window
  out[1] = 0x01; // fastest-level hint; (0x78 << 8 | 0x01) % 31 === 0 as RFC 1950 asks
  let at = 2;
  if (written === NOT_SMALLER) {
    for (let block = 0; block < storedBlocks; block++) {
      const from = block * STORED_MAX;
      const length = Math.min(STORED_MAX, data.length - from);
      out[at] = block === storedBlocks - 1 ? 1 : 0; // BFINAL on the last, BTYPE 00 (stored)
      out[at + 1] = length & 0xff;
      out[at + 2] = length >> 8;
      out[at + 3] = ~length & 0xff;
      out[at + 4] = (~length >> 8) & 0xff;
      out.set(data.subarray(from, from + length), at + 5);
      at += 5 + length;
    }
  } else {
    out.set(memory.subarray(OUTPUT, OUTPUT + written), at);
    at += written;
  }
  out[at] = adler >>> 24;
  out[at + 1] = (adler >>> 16) & 0xff;
  out[at + 2] = (adler >>> 8) & 0xff;
  out[at + 3] = adler & 0xff;
  return out;
}
