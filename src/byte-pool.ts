// Small byte copies carved from shared slabs, as Node's Buffer.allocUnsafe does: a fresh
// ArrayBuffer per result cost about 1-2 µs here, more than encoding a symbol. Browser-safe.

const SLAB_SIZE = 64 * 1024;
let slab = new Uint8Array(SLAB_SIZE);
let used = 0;

/**
 * Returns a zero-length-or-more Uint8Array of `size` bytes that no later call will touch, with
 * unspecified contents. Small sizes share a slab, so the result may be a view at a non-zero
 * byteOffset of a larger buffer: go through byteOffset/byteLength if you use `.buffer`.
 */
export function allocBytes(size: number): Uint8Array {
  if (size > SLAB_SIZE >>> 2) return new Uint8Array(size);
  if (used + size > SLAB_SIZE) {
    slab = new Uint8Array(SLAB_SIZE);
    used = 0;
  }
  const out = slab.subarray(used, used + size);
  // Keep each carve 8-byte aligned so a reader may view it as wider words.
  used += (size + 7) & ~7;
  return out;
}

/** Returns a copy of `bytes` from allocBytes. */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  const out = allocBytes(bytes.length);
  out.set(bytes);
  return out;
}
