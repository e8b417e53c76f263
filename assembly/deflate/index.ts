// The deflate core's ABI (a WASM module of its own, build/wasm/deflate.wasm): raw deflate
// (RFC 1951) of up to DEFLATE_CAPACITY bytes written at inputOffset(), for the ZIP entries of
// a label export, where zlib's per-call set-up costs more than compressing a 2 KiB SVG.
import { DEFLATE_CAPACITY, NOT_SMALLER } from "../../src/deflate/abi";
import { writeBlock } from "./block";
import { findMatches } from "./lz77";
import { adler32, findRuns } from "./runs";
import { INPUT, OUTPUT } from "./scratch";

/** Returns the address of the input region (DEFLATE_CAPACITY bytes). */
export function inputOffset(): usize {
  return INPUT;
}

/** Returns the address where deflateRaw() leaves its output. */
export function outputOffset(): usize {
  return OUTPUT;
}

/**
 * Compresses the `length` bytes at inputOffset() into one final raw deflate block at
 * outputOffset() and returns its byte length, or NOT_SMALLER when the block would not be
 * shorter than the input (and for length 0): the caller stores the bytes then. The same input
 * always gives the same bytes. A length outside 0..DEFLATE_CAPACITY aborts.
 */
export function deflateRaw(length: i32): i32 {
  return compress(length, false);
}

/**
 * deflateRaw() with runs of one byte as the only matches (zlib's Z_RLE strategy): for images,
 * whose repeats are runs, and as small there as zlib's Z_RLE. Same answers as deflateRaw.
 */
export function deflateRawRuns(length: i32): i32 {
  return compress(length, true);
}

function compress(length: i32, runsOnly: bool): i32 {
  assert(length >= 0 && length <= DEFLATE_CAPACITY, "deflate input length out of range");
  if (length == 0) return NOT_SMALLER;
  const symbols = runsOnly ? findRuns(length) : findMatches(length);
  const written = writeBlock(symbols, length);
  return written < 0 ? NOT_SMALLER : written;
}

/** Returns the Adler-32 (RFC 1950) of the `length` bytes at inputOffset(). */
export function inputAdler32(length: i32): u32 {
  assert(length >= 0 && length <= DEFLATE_CAPACITY, "deflate input length out of range");
  return adler32(length);
}
