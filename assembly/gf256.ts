// Arithmetic in the two GF(256) fields the symbologies use, one implementation over the prime
// polynomial: ECC 200 (ISO/IEC 16022:2006 5.7, x^8 + x^5 + x^3 + x^2 + 1 = 0x12D) and QR Code
// (ISO/IEC 18004:2015 7.5.2, x^8 + x^4 + x^3 + x^2 + 1 = 0x11D). α = 2 generates both.

/** The fields, as indexes into the tables below. */
export const FIELD_DATAMATRIX = 0;
export const FIELD_QR = 1;
const FIELD_COUNT = 2;

// Antilog tables, 256 bytes per field: ANTILOG[f*256 + i] = α^i for i = 0..254. Log tables
// likewise: LOG[f*256 + α^i] = i, LOG[f*256] unused (0 has no logarithm) and 0. Built once at
// start by repeated doubling modulo each polynomial, so both fields come from the same code (the
// ECC 200 table equals libdmtx antilog301, checked in the tests).
const ANTILOG = memory.data(FIELD_COUNT * 256);
const LOG = memory.data(FIELD_COUNT * 256);

function buildField(field: i32, polynomial: i32): void {
  const base = <usize>(field << 8);
  let value = 1;
  for (let i = 0; i < 255; i++) {
    store<u8>(ANTILOG + base + <usize>i, <u8>value);
    store<u8>(LOG + base + <usize>value, <u8>i);
    value <<= 1;
    if (value >= 256) value ^= polynomial;
  }
}

buildField(FIELD_DATAMATRIX, 0x12d);
buildField(FIELD_QR, 0x11d);

/** Returns α^exponent (α = 2) in `field` for any exponent >= 0, reduced modulo 255. */
export function gfExp(exponent: i32, field: i32): i32 {
  return <i32>load<u8>(ANTILOG + <usize>((field << 8) + (exponent % 255)));
}

/** Returns log_α(value) in `field` for value 1..255; value 0 has no logarithm and returns 0. */
export function gfLog(value: i32, field: i32): i32 {
  return <i32>load<u8>(LOG + <usize>((field << 8) + (value & 0xff)));
}

/** Returns the product of two elements a, b in 0..255 of `field` (either 0 gives 0). */
export function gfMultiply(a: i32, b: i32, field: i32): i32 {
  if (a == 0 || b == 0) return 0;
  const base = <usize>(field << 8);
  let e = <i32>load<u8>(LOG + base + <usize>a) + <i32>load<u8>(LOG + base + <usize>b);
  if (e >= 255) e -= 255;
  return <i32>load<u8>(ANTILOG + base + <usize>e);
}

/** Returns a · α^exponent in `field` for a in 0..255 and exponent in 0..254 (a = 0 gives 0). */
export function gfMultiplyExp(a: i32, exponent: i32, field: i32): i32 {
  if (a == 0) return 0;
  const base = <usize>(field << 8);
  let e = <i32>load<u8>(LOG + base + <usize>a) + exponent;
  if (e >= 255) e -= 255;
  return <i32>load<u8>(ANTILOG + base + <usize>e);
}
