// The ZIP record layouts (PKWARE APPNOTE 6.3.10, sections 4.3 and 4.5) that entries.ts and
// zip-file.ts both write, in one place so the local headers made in worker threads and the
// central records made on the coordinator cannot disagree. Pure functions on Buffers.

/** Signatures, little-endian as they appear in the file. */
export const SIG_LOCAL = 0x04034b50;
export const SIG_CENTRAL = 0x02014b50;
export const SIG_ZIP64_EOCD = 0x06064b50;
export const SIG_ZIP64_LOCATOR = 0x07064b50;
export const SIG_EOCD = 0x06054b50;

export const LOCAL_HEADER_SIZE = 30;
export const CENTRAL_HEADER_SIZE = 46;
const ZIP64_EOCD_SIZE = 56;
const ZIP64_LOCATOR_SIZE = 20;
const EOCD_SIZE = 22;

/** The 32-bit and 16-bit "see the ZIP64 record" sentinels. */
export const MAX32 = 0xffffffff;
export const MAX16 = 0xffff;

/**
 * Every entry's modification time: 1980-01-01 00:00, the DOS epoch (date 0x0021, time 0). A
 * fixed time makes the bytes a function of the input alone (the same request gives the same
 * archive and ETag, a resumed job the same file); the epoch itself is the smallest value the
 * field can hold, so it reads as "no time recorded" rather than as a plausible wrong date, and
 * being a zone-less local time it is the same bytes whatever TZ the service runs in.
 */
export const DOS_DATE = (0 << 9) | (1 << 5) | 1;
export const DOS_TIME = 0;

/** General-purpose flag bit 11: the name is UTF-8 (APPNOTE appendix D). Nothing else is set. */
export const FLAG_UTF8 = 0x0800;

/** "Version needed": 2.0 for deflate and stored entries; 4.5 when a ZIP64 field is present. */
export const VERSION_NEEDED = 20;
export const VERSION_NEEDED_ZIP64 = 45;
/**
 * "Version made by": host 3 (Unix) so the external attributes below are read as a Unix mode by
 * unzip and friends (extracted files get 0644 instead of whatever the host guesses), spec 4.5.
 */
export const VERSION_MADE_BY = (3 << 8) | 45;
/** Regular file, rw-r--r--, in the high 16 bits (the Unix convention for host 3). */
export const EXTERNAL_ATTRIBUTES = (0o100644 << 16) >>> 0;

/** What the central record of one entry needs (entries.ts's EntryMeta has the same fields). */
export interface CentralFields {
  name: string;
  crc32: number;
  compressedSize: number;
  size: number;
  method: 0 | 8;
}

/**
 * Writes a 30-byte local file header for `fields` into `out` at `at` (the name follows, written
 * by the caller). Sizes must be below 4 GiB: local headers never carry ZIP64 fields here.
 */
export function writeLocalHeader(
  out: Buffer,
  at: number,
  fields: Omit<CentralFields, "name">,
  nameLength: number,
): void {
  out.writeUInt32LE(SIG_LOCAL, at);
  out.writeUInt16LE(VERSION_NEEDED, at + 4);
  out.writeUInt16LE(FLAG_UTF8, at + 6);
  out.writeUInt16LE(fields.method, at + 8);
  out.writeUInt16LE(DOS_TIME, at + 10);
  out.writeUInt16LE(DOS_DATE, at + 12);
  out.writeUInt32LE(fields.crc32 >>> 0, at + 14);
  out.writeUInt32LE(fields.compressedSize, at + 18);
  out.writeUInt32LE(fields.size, at + 22);
  out.writeUInt16LE(nameLength, at + 26);
  out.writeUInt16LE(0, at + 28); // no extra field
}

/**
 * The central-directory record of one entry whose local header starts at absolute `offset`.
 * When the offset does not fit 32 bits (≥ 0xFFFFFFFF, the sentinel included), the offset field
 * holds the sentinel and a ZIP64 extended-information extra field (id 0x0001) carries the
 * 64-bit offset alone — APPNOTE 4.5.3: only the fields whose header value is the sentinel
 * appear, so sizes (always < 4 GiB here) stay in the header.
 */
export function centralRecord(fields: CentralFields, offset: number): Buffer {
  const name = Buffer.from(fields.name, "utf8");
  const zip64 = offset >= MAX32;
  const extraLength = zip64 ? 12 : 0;
  const out = Buffer.allocUnsafe(CENTRAL_HEADER_SIZE + name.length + extraLength);
  out.writeUInt32LE(SIG_CENTRAL, 0);
  out.writeUInt16LE(VERSION_MADE_BY, 4);
  out.writeUInt16LE(zip64 ? VERSION_NEEDED_ZIP64 : VERSION_NEEDED, 6);
  out.writeUInt16LE(FLAG_UTF8, 8);
  out.writeUInt16LE(fields.method, 10);
  out.writeUInt16LE(DOS_TIME, 12);
  out.writeUInt16LE(DOS_DATE, 14);
  out.writeUInt32LE(fields.crc32 >>> 0, 16);
  out.writeUInt32LE(fields.compressedSize, 20);
  out.writeUInt32LE(fields.size, 24);
  out.writeUInt16LE(name.length, 28);
  out.writeUInt16LE(extraLength, 30);
  out.writeUInt16LE(0, 32); // comment length
  out.writeUInt16LE(0, 34); // disk number start
  out.writeUInt16LE(0, 36); // internal attributes
  out.writeUInt32LE(EXTERNAL_ATTRIBUTES, 38);
  out.writeUInt32LE(zip64 ? MAX32 : offset, 42);
  name.copy(out, CENTRAL_HEADER_SIZE);
  if (zip64) {
    const at = CENTRAL_HEADER_SIZE + name.length;
    out.writeUInt16LE(0x0001, at);
    out.writeUInt16LE(8, at + 2);
    out.writeBigUInt64LE(BigInt(offset), at + 4);
  }
  return out;
}

/**
 * The records after the central directory: a ZIP64 end-of-central-directory record and its
 * locator when the entry count does not fit 16 bits (> 65,534; 0xFFFF is the sentinel) or the
 * directory's offset or size does not fit 32 bits, then the classic end record, holding the
 * sentinel in each field that overflowed. `cdOffset` is where the directory starts, `cdSize`
 * its length; the ZIP64 record (when written) starts at cdOffset + cdSize.
 */
export function endRecords(entries: number, cdOffset: number, cdSize: number): Buffer {
  const manyEntries = entries >= MAX16;
  const bigOffset = cdOffset >= MAX32;
  const bigSize = cdSize >= MAX32;
  const zip64 = manyEntries || bigOffset || bigSize;
  const out = Buffer.alloc((zip64 ? ZIP64_EOCD_SIZE + ZIP64_LOCATOR_SIZE : 0) + EOCD_SIZE);
  let at = 0;
  if (zip64) {
    const zip64Offset = cdOffset + cdSize;
    out.writeUInt32LE(SIG_ZIP64_EOCD, at);
    out.writeBigUInt64LE(BigInt(ZIP64_EOCD_SIZE - 12), at + 4); // size of the rest of it
    out.writeUInt16LE(VERSION_MADE_BY, at + 12);
    out.writeUInt16LE(VERSION_NEEDED_ZIP64, at + 14);
    out.writeUInt32LE(0, at + 16); // this disk
    out.writeUInt32LE(0, at + 20); // disk where the directory starts
    out.writeBigUInt64LE(BigInt(entries), at + 24);
    out.writeBigUInt64LE(BigInt(entries), at + 32);
    out.writeBigUInt64LE(BigInt(cdSize), at + 40);
    out.writeBigUInt64LE(BigInt(cdOffset), at + 48);
    at += ZIP64_EOCD_SIZE;
    out.writeUInt32LE(SIG_ZIP64_LOCATOR, at);
    out.writeUInt32LE(0, at + 4); // disk holding the ZIP64 record
    out.writeBigUInt64LE(BigInt(zip64Offset), at + 8);
    out.writeUInt32LE(1, at + 16); // total disks
    at += ZIP64_LOCATOR_SIZE;
  }
  out.writeUInt32LE(SIG_EOCD, at);
  out.writeUInt16LE(0, at + 4);
  out.writeUInt16LE(0, at + 6);
  out.writeUInt16LE(manyEntries ? MAX16 : entries, at + 8);
  out.writeUInt16LE(manyEntries ? MAX16 : entries, at + 10);
  out.writeUInt32LE(bigSize ? MAX32 : cdSize, at + 12);
  out.writeUInt32LE(bigOffset ? MAX32 : cdOffset, at + 16);
  out.writeUInt16LE(0, at + 20); // comment length
  return out;
}
