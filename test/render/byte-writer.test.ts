import { describe, expect, it } from "vitest";
import { writeAscii, writeUint } from "../../src/render/byte-writer.js";

const text = (bytes: Uint8Array, end: number): string =>
  Buffer.from(bytes.subarray(0, end)).toString("latin1");

describe("writeUint", () => {
  it.each([
    0, 7, 10, 99, 100, 509, 999, 1000, 1001, 1010, 10_000, 65535, 100_100, 999_999, 1e6, 123456789,
  ])("writes %i in decimal", (n) => {
    const buffer = new Uint8Array(16).fill(0x3f);
    const end = writeUint(buffer, 2, n);
    expect(end).toBe(2 + String(n).length);
    expect(text(buffer, end)).toBe(`??${n}`);
    expect(buffer[end]).toBe(0x3f); // nothing written past the end
  });
});

describe("writeAscii", () => {
  it("writes short strings byte by byte and long ones through the encoder, identically", () => {
    const buffer = new Uint8Array(128);
    let at = writeAscii(buffer, 0, "M2 3h1v1h-1z");
    at = writeAscii(buffer, at, ' fill="#002060" d="abcdefghijklmnopqrstuvwxyz"');
    expect(text(buffer, at)).toBe('M2 3h1v1h-1z fill="#002060" d="abcdefghijklmnopqrstuvwxyz"');
  });
});
