// PNG file structure shared by the PNG writers (Node only): signature, IHDR, PLTE, pHYs, IDAT
// and IEND chunks with their CRCs, in one buffer (PNG specification, 3rd edition, §5, §11).

import { crc32 } from "node:zlib";
import { MM_PER_INCH } from "../units.js";

// The 8-byte PNG signature.
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

// CRC-32 (ISO 3309, as PNG requires) is zlib's, the one the API keys' checksum uses too
// (keys/format.ts); Node has it from 20.15, below our floor (package.json engines).

// IEND never changes: its length, type and CRC.
const IEND = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

// CRC-32's reflected polynomial, and x^(2^k) mod it for k = 0 … 31 (zlib's x2n_table).
const POLY = 0xedb88320;
const X2N = new Int32Array(32);
X2N[0] = 1 << 30; // x^1
for (let k = 1; k < 32; k++) X2N[k] = multModP(X2N[k - 1], X2N[k - 1]);
const IDAT_TYPE = crc32(Buffer.from("IDAT", "latin1"));

/** Bytes of an IDAT whose CRC-32 is known: `length` of them from `start`, see crcShift. */
export interface KnownCrc {
  start: number;
  length: number;
  crc: number;
  shift: number;
}

/**
 * Returns the operator that moves a CRC-32 past `length` bytes (x^(8·length) mod the
 * polynomial), for combining with knownCrc: one product per combine, where zlib's
 * crc32_combine derives it each time.
 */
export function crcShift(length: number): number {
  let p = 1 << 31; // x^0
  let k = 3;
  for (let n = length; n > 0; n >>>= 1, k++) if (n & 1) p = multModP(X2N[k & 31], p);
  return p;
}

/**
 * Returns the CRC-32 of the IDAT chunk's type and `idat`, reading only the bytes outside
 * `known` (ascending, not overlapping): a text line cached for a label run is the same bytes
 * in every file, so its CRC is taken once and combined in, instead of read again each time.
 */
export function idatCrc(idat: Uint8Array, known: readonly KnownCrc[]): number {
  let crc = IDAT_TYPE;
  let at = 0;
  for (const { start, length, crc: spanCrc, shift } of known) {
    crc = crc32(idat.subarray(at, start), crc);
    crc = (multModP(shift, crc) ^ spanCrc) >>> 0;
    at = start + length;
  }
  return crc32(idat.subarray(at), crc);
}

// Returns a·b modulo the CRC polynomial, both reflected (zlib's multmodp).
function multModP(a: number, b: number): number {
  let m = 1 << 31;
  let p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return p >>> 0;
}

/**
 * Returns a whole PNG in one allocation: signature, IHDR (`width` × `height`, `bitDepth`,
 * `colourType`, not interlaced), PLTE when `palette` is given, pHYs for `dpi`, one IDAT of
 * `idat` (a zlib stream; its chunk's CRC `crc` when given, see idatCrc) and IEND.
 */
export function assemblePng(
  width: number,
  height: number,
  bitDepth: number,
  colourType: number,
  dpi: number,
  palette: Uint8Array | null,
  idat: Uint8Array,
  crc?: number,
): Buffer {
  const size = SIGNATURE.length + (12 + 13) + (12 + 9) + (12 + idat.length) + IEND.length;
  const out = Buffer.allocUnsafe(size + (palette ? 12 + palette.length : 0));
  let at = SIGNATURE.copy(out, 0);
  at = beginChunk(out, at, "IHDR", 13);
  out.writeUInt32BE(width, at);
  out.writeUInt32BE(height, at + 4);
  out[at + 8] = bitDepth;
  out[at + 9] = colourType;
  out.fill(0, at + 10, at + 13); // compression 0, filter method 0, interlace none
  at = endChunk(out, at + 13, 13);
  if (palette) {
    at = beginChunk(out, at, "PLTE", palette.length);
    out.set(palette, at);
    at = endChunk(out, at + palette.length, palette.length);
  }
  const perMetre = Math.round((dpi * 1000) / MM_PER_INCH);
  at = beginChunk(out, at, "pHYs", 9);
  out.writeUInt32BE(perMetre, at);
  out.writeUInt32BE(perMetre, at + 4);
  out[at + 8] = 1; // unit: metre
  at = endChunk(out, at + 9, 9);
  at = beginChunk(out, at, "IDAT", idat.length);
  out.set(idat, at);
  at = endChunk(out, at + idat.length, idat.length, crc);
  IEND.copy(out, at);
  return out;
}

// Writes a chunk's length and type at `at`; returns where its data goes.
function beginChunk(out: Buffer, at: number, type: string, length: number): number {
  out.writeUInt32BE(length, at);
  for (let i = 0; i < 4; i++) out[at + 4 + i] = type.charCodeAt(i);
  return at + 8;
}

// Writes the CRC (`crc`, else computed) of the chunk whose `length` data bytes end at `at`; returns the chunk's end.
function endChunk(out: Buffer, at: number, length: number, crc?: number): number {
  out.writeUInt32BE(crc ?? crc32(out.subarray(at - length - 4, at)), at);
  return at + 4;
}
