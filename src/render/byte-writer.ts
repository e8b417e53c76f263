// ASCII bytes for the vector renderers: numbers and text written straight into reused byte
// buffers. Building a file from ~10^2–10^3 small strings cost more than the rest of rendering
// (string ropes, then flattening and encoding them); direct bytes measured 2–3x faster.
// Browser-safe.

// Decimal digits of 0–999 as [length, d0, d1, d2]: coordinates and sizes are small integers.
const DIGITS = new Uint8Array(4000);
for (let n = 0; n < 1000; n++) {
  const text = String(n);
  DIGITS[n * 4] = text.length;
  for (let k = 0; k < text.length; k++) DIGITS[n * 4 + 1 + k] = text.charCodeAt(k);
}

/**
 * Writes the non-negative integer `n` in decimal at `at` and returns the offset after it.
 * Numbers below 1000 come from a table; larger ones are formatted. No bounds check: the caller
 * sized `buffer` (at most 3 bytes below 1000, 16 for any safe integer).
 */
export function writeUint(buffer: Uint8Array, at: number, n: number): number {
  if (n >= 1000) {
    // Below 10^6 as the table's digits of n / 1000, then three digits: String(n) allocated a
    // string per number, and GS1-128 text offsets (x="723", "1446", ...) are mostly 4-5 digits.
    if (n >= 1e6) return writeAscii(buffer, at, String(n));
    const high = Math.floor(n / 1000);
    const low = n - high * 1000;
    at = writeUint(buffer, at, high);
    const hundreds = (low / 100) | 0;
    const tens = ((low - hundreds * 100) / 10) | 0;
    buffer[at] = 48 + hundreds;
    buffer[at + 1] = 48 + tens;
    buffer[at + 2] = 48 + (low - hundreds * 100 - tens * 10);
    return at + 3;
  }
  const i = n * 4;
  const length = DIGITS[i];
  buffer[at] = DIGITS[i + 1];
  if (length > 1) {
    buffer[at + 1] = DIGITS[i + 2];
    if (length > 2) buffer[at + 2] = DIGITS[i + 3];
  }
  return at + length;
}

const encoder = new TextEncoder();

/**
 * Writes `text` at `at`, one byte per character, and returns the offset after it. `text` must
 * be ASCII (the renderers only write markup, numbers and validated printable-ASCII HRI), so its
 * UTF-8 is itself. No bounds check beyond the buffer's end: the caller sized `buffer`.
 */
export function writeAscii(buffer: Uint8Array, at: number, text: string): number {
  // Short strings byte by byte; longer ones through the native encoder, which copied the
  // few hundred bytes of SVG/PDF markup several times faster than a charCodeAt loop.
  if (text.length < 16) {
    for (let i = 0; i < text.length; i++) buffer[at + i] = text.charCodeAt(i);
    return at + text.length;
  }
  return at + encoder.encodeInto(text, buffer.subarray(at)).written;
}

// Node's Buffer.allocUnsafeSlow when there is one (not in browsers): an ArrayBuffer of its own,
// not zero-filled first. Filling a 10 KB result with zeros only to overwrite it was a tenth of
// an SVG's cost with HRI text (callgrind: memset).
const allocUnfilled: ((size: number) => Uint8Array) | undefined = (
  globalThis as { Buffer?: { allocUnsafeSlow(size: number): Uint8Array } }
).Buffer?.allocUnsafeSlow;

/**
 * Returns a copy of bytes [0, length) of `buffer` in a Uint8Array with an ArrayBuffer of its
 * own, exactly `length` long (as `buffer.slice(0, length)` gives, without zeroing it first).
 */
export function ownedCopy(buffer: Uint8Array, length: number): Uint8Array {
  if (allocUnfilled === undefined) return buffer.slice(0, length);
  const copy = allocUnfilled(length);
  copy.set(buffer.subarray(0, length));
  return new Uint8Array(copy.buffer, copy.byteOffset, length);
}

/**
 * Returns a plain Uint8Array of `size` bytes with an ArrayBuffer of its own, its contents
 * undefined (not zeroed) where Node's Buffer is there: only for buffers whose bytes are all
 * written before they are read. Plain, not a Buffer: a Buffer's subarray is Node's own
 * (slower) and would make every view of it a Buffer.
 */
function unfilledBytes(size: number): Uint8Array {
  if (allocUnfilled === undefined) return new Uint8Array(size);
  const bytes = allocUnfilled(size);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, size);
}

/** A reusable byte buffer that grows to the largest size asked for, never shrinking. */
export class Scratch {
  private buffer = new Uint8Array(8192);

  /**
   * Returns the buffer, grown (contents discarded) to at least `bytes`. Valid until the next
   * call; rendering is synchronous, so one scratch per use site serves every call.
   */
  get(bytes: number): Uint8Array {
    if (this.buffer.length < bytes) {
      let size = this.buffer.length;
      while (size < bytes) size *= 2;
      this.buffer = new Uint8Array(size);
    }
    return this.buffer;
  }
}

// Results are written straight into views of a shared pool, as Node's Buffer pool hands out its
// small buffers (under 4 KB; ours are 2-12 KB): an ArrayBuffer per result, and the copy into
// it from a scratch buffer, were the largest single lines of a 1D SVG and a fifth of a
// DataMatrix SVG with HRI in the profile. A result's region is never written again; only its
// .buffer is shared, and a pool is freed once no result in it is left. Large results are
// written into a scratch buffer and copied out (ownedCopy).
const POOL_BYTES = 256 * 1024;
let pool: Uint8Array = new Uint8Array(0);
let poolUsed = 0;
const large = new Scratch();

/**
 * Returns a buffer to write one result into from index 0, at least `bytes` long (no bounds
 * check: the caller's bound must hold). Synchronous use only: give it to commitResult, with the
 * length written, before the next claimResult.
 */
export function claimResult(bytes: number): Uint8Array {
  if (bytes > POOL_BYTES / 8) return large.get(bytes);
  if (poolUsed + bytes > pool.length) {
    // Unzeroed: only the bytes a result writes are handed out.
    pool = unfilledBytes(POOL_BYTES);
    poolUsed = 0;
  }
  return pool.subarray(poolUsed);
}

/**
 * Returns bytes [0, length) of `out` (claimResult's buffer) as the caller's result, which no
 * later call writes over: a view into the shared pool, or for large results a copy with a
 * buffer of its own. Callers must honour its byteOffset (Buffer.from(v.buffer, v.byteOffset,
 * v.byteLength)) and must not transfer or detach its .buffer, which other results share.
 */
export function commitResult(out: Uint8Array, length: number): Uint8Array {
  if (out.buffer !== pool.buffer) return ownedCopy(out, length);
  poolUsed += length;
  return out.subarray(0, length);
}
