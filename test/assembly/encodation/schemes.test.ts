// Per-byte facts of the C40/Text sets (assembly/encodation/c40-text.ts, ISO/IEC 16022:2006 Tables
// 3 and 4) and the Base 256 randomiser (base256.ts, Annex B.2), through the test build.
import { describe, expect, it } from "vitest";
import { core } from "../wasm.js";

// Values a byte takes: 1 in the basic set, 2 with a shift, 2 more above 127 (upper shift).
const VALUE_COUNTS: { name: string; byte: number; c40: number; text: number; source: string }[] = [
  { name: "space", byte: 0x20, c40: 1, text: 1, source: "basic set, Tables 3 and 4" },
  { name: "digit 7", byte: 0x37, c40: 1, text: 1, source: "basic set" },
  { name: "capital Q", byte: 0x51, c40: 1, text: 2, source: "C40 basic; Text shift 3" },
  { name: "small q", byte: 0x71, c40: 2, text: 1, source: "C40 shift 3; Text basic" },
  { name: "NUL", byte: 0x00, c40: 2, text: 2, source: "shift 1" },
  {
    name: "GS (FNC1 in GS1 mode)",
    byte: 0x1d,
    c40: 2,
    text: 2,
    source: "shift 1, or shift 2 + 27",
  },
  { name: "full stop", byte: 0x2e, c40: 2, text: 2, source: "shift 2" },
  { name: "underscore", byte: 0x5f, c40: 2, text: 2, source: "shift 2" },
  { name: "grave accent", byte: 0x60, c40: 2, text: 2, source: "shift 3 value 0 in both" },
  { name: "DEL", byte: 0x7f, c40: 2, text: 2, source: "shift 3 value 31 in both" },
  { name: "0x80 + space", byte: 0xa0, c40: 3, text: 3, source: "upper shift + basic" },
  {
    name: "0x80 + A",
    byte: 0xc1,
    c40: 3,
    text: 4,
    source: "upper shift + C40 basic / Text shift 3",
  },
  {
    name: "0x80 + a",
    byte: 0xe1,
    c40: 4,
    text: 3,
    source: "upper shift + C40 shift 3 / Text basic",
  },
  { name: "0xFF", byte: 0xff, c40: 4, text: 4, source: "upper shift + shift 3 (DEL)" },
];

// R = (V + ((149·P) mod 255) + 1) mod 256, each by hand.
const RANDOMISED: { value: number; position: number; codeword: number; source: string }[] = [
  { value: 4, position: 2, codeword: 48, source: "298 mod 255 = 43; 4 + 43 + 1" },
  { value: 128, position: 3, codeword: 65, source: "447 mod 255 = 192; 321 mod 256" },
  { value: 0, position: 1, codeword: 150, source: "149 mod 255 = 149; 0 + 149 + 1" },
  { value: 255, position: 255, codeword: 0, source: "149·255 mod 255 = 0; 256 mod 256" },
  { value: 200, position: 1000, codeword: 25, source: "149000 mod 255 = 80; 281 mod 256" },
];

describe("C40 and Text value counts", () => {
  it.each(VALUE_COUNTS)("$name: C40 $c40, Text $text ($source)", ({ byte, c40, text }) => {
    expect(core.c40ValueCount(byte, false)).toBe(c40);
    expect(core.c40ValueCount(byte, true)).toBe(text);
  });
});

describe("Base 256 255-state randomising", () => {
  it.each(RANDOMISED)(
    "$value at $position → $codeword ($source)",
    ({ value, position, codeword }) => {
      expect(core.randomize255(value, position)).toBe(codeword);
    },
  );
});
