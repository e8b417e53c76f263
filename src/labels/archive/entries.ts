// Turns a chunk of rendered files into the bytes of their ZIP entries — local headers and data,
// concatenated — plus what the coordinator needs to write their central records. Runs inside
// the render worker threads, so the deflate and CRC work of a million entries is spread over the
// cores and the coordinator only appends blocks (see zip-file.ts). Deflates with our own WASM
// core (src/deflate/): zlib's per-call set-up (10–15 µs) cost more than compressing a 1.5 KiB
// label SVG, and the core's bytes do not depend on the Node version's zlib.
import { crc32, deflateRawSync } from "node:zlib";
import { DEFLATE_CAPACITY, deflateRaw } from "../../deflate/deflate.js";
import { LOCAL_HEADER_SIZE, MAX16, MAX32, writeLocalHeader } from "./zip-format.js";

/** One entry of a block, as appendBlock() turns it into a central-directory record. */
export interface EntryMeta {
  name: string;
  crc32: number;
  compressedSize: number;
  size: number;
  method: 0 | 8;
  /** Where its local header starts, relative to the start of the block. */
  offset: number;
}

/** One file to put in the archive; `compress` asks for deflate (SVG), else stored (PNG, PDF). */
export interface EntryInput {
  name: string;
  data: Uint8Array;
  compress: boolean;
}

/**
 * Encodes `files`, in order, as consecutive ZIP entries: for each a local file header (UTF-8
 * name flag, fixed 1980-01-01 00:00 time, version 2.0, no extra field, no data descriptor: the
 * CRC and sizes are known before the header is written) followed by its data — raw deflate when
 * `compress` is set and deflate makes it smaller, stored otherwise (so `method` is a function of
 * the bytes, and the output stays deterministic). Files up to DEFLATE_CAPACITY (256 KiB) are
 * deflated by src/deflate, larger ones by zlib at level 6. Returns the block and one EntryMeta
 * per file, offsets relative to the block. The same input always gives the same bytes (for
 * files over 256 KiB, with the same zlib).
 * Throws RangeError for an empty name, a name over 65,535 UTF-8 bytes, or data of 4 GiB or more
 * (local headers here never need ZIP64).
 */
export function encodeEntries(files: readonly EntryInput[]): {
  block: Buffer;
  entries: EntryMeta[];
} {
  const parts: Uint8Array[] = [];
  const entries: EntryMeta[] = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.name, "utf8");
    if (name.length === 0 || name.length > MAX16) {
      throw new RangeError(`entry name must be 1 to 65,535 UTF-8 bytes, got ${name.length}`);
    }
    if (file.data.length >= MAX32) {
      throw new RangeError(`entry ${JSON.stringify(file.name)} is 4 GiB or more`);
    }
    const crc = crc32(file.data);
    let data: Uint8Array = file.data;
    let method: 0 | 8 = 0;
    if (file.compress) {
      const deflated =
        file.data.length <= DEFLATE_CAPACITY ? deflateRaw(file.data) : deflateRawSync(file.data);
      if (deflated !== null && deflated.length < file.data.length) {
        data = deflated;
        method = 8;
      }
    }
    const header = Buffer.allocUnsafe(LOCAL_HEADER_SIZE + name.length);
    const meta: EntryMeta = {
      name: file.name,
      crc32: crc,
      compressedSize: data.length,
      size: file.data.length,
      method,
      offset,
    };
    writeLocalHeader(header, 0, meta, name.length);
    name.copy(header, LOCAL_HEADER_SIZE);
    parts.push(header, data);
    entries.push(meta);
    offset += header.length + data.length;
  }
  return { block: Buffer.concat(parts, offset), entries };
}
