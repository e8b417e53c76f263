// ASCII bytes for the vector renderers: numbers and text written straight into reused byte
// buffers (the result pool they are handed out from is ../result-bytes.ts). Building a file from ~10^2–10^3 small strings cost more than the rest of rendering
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
