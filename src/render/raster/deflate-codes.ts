// The fixed Huffman codes of deflate (RFC 1951 §3.2.5–3.2.6) as bit patterns ready to append
// to an LSB-first stream: literals and end-of-block, and whole distance-1 matches (length
// code, extra bits, distance code) by length. Browser-safe.

/** Longest and shortest match deflate allows. */
export const MAX_MATCH = 258;
export const MIN_MATCH = 3;
/** The end-of-block symbol. */
export const END_OF_BLOCK = 256;

// Fixed literal/length code (RFC 1951 §3.2.6): symbol → code bits, stored bit-reversed because
// deflate packs Huffman codes from their most significant bit into an LSB-first stream.
//   symbols   bits  codes
//   0–143     8     00110000 – 10111111
//   144–255   9     110010000 – 111111111
//   256–279   7     0000000 – 0010111
//   280–287   8     11000000 – 11000111
/** Bits (bit-reversed code) and bit count of each literal/length symbol 0–287. */
export const SYMBOL_BITS = new Int32Array(288);
export const SYMBOL_LENGTH = new Uint8Array(288);
for (let s = 0; s < 288; s++) {
  const [code, length] =
    s < 144
      ? [0x30 + s, 8]
      : s < 256
        ? [0x190 + s - 144, 9]
        : s < 280
          ? [s - 256, 7]
          : [0xc0 + s - 280, 8];
  let reversed = 0;
  for (let k = 0; k < length; k++) reversed |= ((code >> k) & 1) << (length - 1 - k);
  SYMBOL_BITS[s] = reversed;
  SYMBOL_LENGTH[s] = length;
}

// Match lengths 3–258 (RFC 1951 §3.2.5): length symbol 257 + i covers lengths from BASE[i] with
// EXTRA[i] extra bits. Each match below is written whole: length code, extra bits, and the
// 5-bit fixed distance code 0 (distance 1), at most 8 + 5 + 5 = 18 bits.
//                        257 258 …                                                            285
const LENGTH_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
  163, 195, 227, 258,
];
const LENGTH_EXTRA = [
  0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
/** Bits and bit count of a whole distance-1 match of each length 3–258 (0–2 unused). */
export const MATCH_BITS = new Int32Array(MAX_MATCH + 1);
export const MATCH_LENGTH = new Uint8Array(MAX_MATCH + 1);
for (let i = 0; i < LENGTH_BASE.length; i++) {
  const next = i + 1 < LENGTH_BASE.length ? LENGTH_BASE[i + 1] : MAX_MATCH + 1;
  for (let length = LENGTH_BASE[i]; length < next; length++) {
    const symbol = 257 + i;
    const codeLength = SYMBOL_LENGTH[symbol];
    MATCH_BITS[length] = SYMBOL_BITS[symbol] | ((length - LENGTH_BASE[i]) << codeLength);
    MATCH_LENGTH[length] = codeLength + LENGTH_EXTRA[i] + 5;
  }
}
