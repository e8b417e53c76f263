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

/**
 * Returns a whole PNG in one allocation: signature, IHDR (`width` × `height`, `bitDepth`,
 * `colourType`, not interlaced), PLTE when `palette` is given, pHYs for `dpi`, one IDAT of
 * `idat` (a zlib stream) and IEND.
 */
export function assemblePng(
  width: number,
  height: number,
  bitDepth: number,
  colourType: number,
  dpi: number,
  palette: Uint8Array | null,
  idat: Uint8Array,
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
  at = endChunk(out, at + idat.length, idat.length);
  IEND.copy(out, at);
  return out;
}

// Writes a chunk's length and type at `at`; returns where its data goes.
function beginChunk(out: Buffer, at: number, type: string, length: number): number {
  out.writeUInt32BE(length, at);
  for (let i = 0; i < 4; i++) out[at + 4 + i] = type.charCodeAt(i);
  return at + 8;
}

// Writes the CRC of the chunk whose `length` data bytes end at `at`; returns the chunk's end.
function endChunk(out: Buffer, at: number, length: number): number {
  out.writeUInt32BE(crc32(out.subarray(at - length - 4, at)), at);
  return at + 4;
}
