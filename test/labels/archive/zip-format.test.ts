// Record layouts checked field by field against APPNOTE 6.3.10 (4.3.12 central header, 4.5.3
// ZIP64 extra field, 4.3.14-16 ZIP64 end record, locator, end record) — fast checks of the
// ZIP64 cases a real archive needs 4 GiB for (that one: ZIP_TEST_4GIB=1, see zip.test.ts).
import { describe, expect, it } from "vitest";
import { encodeEntries } from "../../../src/labels/archive/entries.js";
import { centralRecord, endRecords } from "../../../src/labels/archive/zip-format.js";

const fields = {
  name: "a.svg",
  crc32: 0x12345678,
  compressedSize: 10,
  size: 20,
  method: 8 as const,
};

describe("ZIP records", () => {
  it("central record: 32-bit offset below 0xFFFFFFFF, no extra field", () => {
    const r = centralRecord(fields, 0xfffffffe);
    expect(r.readUInt32LE(0)).toBe(0x02014b50);
    expect(r.readUInt16LE(6)).toBe(20);
    expect(r.readUInt16LE(8)).toBe(0x0800);
    expect(r.readUInt16LE(30)).toBe(0);
    expect(r.readUInt32LE(42)).toBe(0xfffffffe);
    expect(r.length).toBe(46 + 5);
  });

  it("central record: offset at or past 0xFFFFFFFF goes to a ZIP64 extra field alone", () => {
    for (const offset of [0xffffffff, 2 ** 32 + 3, 2 ** 40]) {
      const r = centralRecord(fields, offset);
      expect(r.readUInt16LE(6)).toBe(45);
      expect(r.readUInt32LE(20)).toBe(10); // sizes stay in the header
      expect(r.readUInt32LE(24)).toBe(20);
      expect(r.readUInt32LE(42)).toBe(0xffffffff);
      expect(r.readUInt16LE(30)).toBe(12);
      expect(r.subarray(46, 51).toString()).toBe("a.svg");
      expect(r.readUInt16LE(51)).toBe(0x0001);
      expect(r.readUInt16LE(53)).toBe(8);
      expect(Number(r.readBigUInt64LE(55))).toBe(offset);
    }
  });

  it("end records: classic only up to 65,534 entries and 32-bit offsets", () => {
    const e = endRecords(65_534, 1000, 200);
    expect(e.length).toBe(22);
    expect(e.readUInt32LE(0)).toBe(0x06054b50);
    expect(e.readUInt16LE(8)).toBe(65_534);
    expect(e.readUInt32LE(12)).toBe(200);
    expect(e.readUInt32LE(16)).toBe(1000);
  });

  it("end records: ZIP64 record and locator, sentinels where the classic fields overflow", () => {
    const cdOffset = 2 ** 32 + 7;
    const e = endRecords(10, cdOffset, 500);
    expect(e.length).toBe(56 + 20 + 22);
    expect(e.readUInt32LE(0)).toBe(0x06064b50);
    expect(Number(e.readBigUInt64LE(4))).toBe(44);
    expect(Number(e.readBigUInt64LE(24))).toBe(10);
    expect(Number(e.readBigUInt64LE(40))).toBe(500);
    expect(Number(e.readBigUInt64LE(48))).toBe(cdOffset);
    expect(e.readUInt32LE(56)).toBe(0x07064b50);
    expect(Number(e.readBigUInt64LE(64))).toBe(cdOffset + 500);
    expect(e.readUInt32LE(72)).toBe(1);
    expect(e.readUInt16LE(76 + 8)).toBe(10); // the count fits, so it is not a sentinel
    expect(e.readUInt32LE(76 + 12)).toBe(500);
    expect(e.readUInt32LE(76 + 16)).toBe(0xffffffff);
    expect(endRecords(65_535, 0, 0).readUInt16LE(76 + 8)).toBe(0xffff);
  });

  it("local headers: UTF-8 flag, 1980-01-01 00:00, version 2.0, no extra field", () => {
    const { block, entries } = encodeEntries([
      { name: "é.svg", data: Buffer.from("<svg/>".repeat(50)), compress: true },
      { name: "b.png", data: Buffer.from([1, 2, 3]), compress: false },
    ]);
    for (const entry of entries) {
      const at = entry.offset;
      expect(block.readUInt32LE(at)).toBe(0x04034b50);
      expect(block.readUInt16LE(at + 4)).toBe(20);
      expect(block.readUInt16LE(at + 6)).toBe(0x0800);
      expect(block.readUInt16LE(at + 8)).toBe(entry.method);
      expect(block.readUInt16LE(at + 10)).toBe(0);
      expect(block.readUInt16LE(at + 12)).toBe(0x21);
      expect(block.readUInt32LE(at + 18)).toBe(entry.compressedSize);
      expect(block.readUInt16LE(at + 28)).toBe(0);
    }
    expect(entries.map((e) => e.method)).toEqual([8, 0]);
    expect(entries[1].offset).toBe(30 + Buffer.byteLength("é.svg") + entries[0].compressedSize);
  });
});
