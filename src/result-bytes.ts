// Byte buffers for results: a pool that small results are written into and handed out from as
// views, owned copies for large ones, and scratch buffers reused across calls. Browser-safe; the
// renderers write their files into it and the engine copies its module matrices out with it.

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

/**
 * Returns a copy of `source` as a result (commitResult's terms: a view into the shared pool for
 * small ones, an owned copy for large ones), which no later call writes over. The engine copies
 * each module matrix out of the core this way: an ArrayBuffer per matrix (slice) cost a
 * QR encode 1.3 µs, the pooled copy 0.4.
 */
export function resultCopy(source: Uint8Array): Uint8Array {
  const length = source.length;
  const out = claimResult(length);
  out.set(source);
  return commitResult(out, length);
}
