// The rectangles rectangles.ts found, spelled as SVG path data or PDF `re` operators: the
// vector renderers' longest output, a few numbers per rectangle, written here byte by byte
// where the host's per-byte stores cost several times more.
import { RECT_PATH_CAPACITY, RectPathStyle } from "../../src/engine/abi";
import { RECTS } from "./rectangles";

/** The path bytes of the last writeRectPath() call; rectPathLength() of them are valid. */
export const RECT_PATH: usize = memory.data(RECT_PATH_CAPACITY);

// The most one rectangle takes: four numbers of up to 10 digits and at most 8 other bytes.
const RECT_BYTES_MAX = 48;

let pathLength = 0;

// 0..999 as u32: the digits in bytes 0-2, their count in byte 3. One unconditional 4-byte store
// writes a number (the spare byte is overwritten by what follows), where branching on the
// count is mispredicted on every other coordinate.
const DIGITS: usize = memory.data(1000 * 4, 4);
for (let n: u32 = 0; n < 1000; n++) {
  const hundreds = n / 100;
  const tens = (n / 10) % 10;
  const ones = n % 10;
  let entry: u32;
  if (n < 10) entry = (0x30 + ones) | (1 << 24);
  else if (n < 100) entry = (0x30 + tens) | ((0x30 + ones) << 8) | (2 << 24);
  else entry = (0x30 + hundreds) | ((0x30 + tens) << 8) | ((0x30 + ones) << 16) | (3 << 24);
  store<u32>(DIGITS + ((<usize>n) << 2), entry);
}

/**
 * Writes rectangles `from` up to `count` of RECTS, shifted by (`dx`, `dy`) (non-negative), at
 * RECT_PATH in `style` (RectPathStyle), as many as fit; returns the index of the first one not
 * written (`count` when all were), the byte count in rectPathLength().
 */
export function writeRectPath(style: i32, from: i32, count: i32, dx: i32, dy: i32): i32 {
  let at = RECT_PATH;
  const last = RECT_PATH + <usize>(RECT_PATH_CAPACITY - RECT_BYTES_MAX);
  let i = from;
  for (; i < count && at <= last; i++) {
    const r = RECTS + ((<usize>i) << 3);
    const x = <u32>(<i32>load<u16>(r) + dx);
    const y = <u32>(<i32>load<u16>(r, 2) + dy);
    const width = <u32>load<u16>(r, 4);
    const height = <u32>load<u16>(r, 6);
    if (style == RectPathStyle.SVG) {
      store<u8>(at++, 0x4d); // M
      at = writeUint(at, x);
      store<u8>(at++, 0x20);
      at = writeUint(at, y);
      store<u8>(at++, 0x68); // h
      at = writeUint(at, width);
      store<u8>(at++, 0x76); // v
      at = writeUint(at, height);
      store<u16>(at, 0x2d68); // "h-"
      at = writeUint(at + 2, width);
      store<u8>(at++, 0x7a); // z
    } else {
      at = writeUint(at, x);
      store<u8>(at++, 0x20);
      at = writeUint(at, y);
      store<u8>(at++, 0x20);
      at = writeUint(at, width);
      store<u8>(at++, 0x20);
      at = writeUint(at, height);
      store<u32>(at, 0x0a657220); // " re\n"
      at += 4;
    }
  }
  pathLength = <i32>(at - RECT_PATH);
  return i;
}

/** Returns the bytes the last writeRectPath() call wrote at RECT_PATH. */
export function rectPathLength(): i32 {
  return pathLength;
}

// Writes `n` in decimal at `at` (and may overwrite the byte after it), returns the address
// after it.
function writeUint(at: usize, n: u32): usize {
  if (n < 1000) {
    const entry = load<u32>(DIGITS + ((<usize>n) << 2));
    store<u32>(at, entry);
    return at + <usize>(entry >> 24);
  }
  return writeLongUint(at, n);
}

function writeLongUint(at: usize, n: u32): usize {
  let digits = 4;
  for (let m = n / 10000; m != 0; m /= 10) digits++;
  const end = at + <usize>digits;
  for (let p = end; p > at; ) {
    const q = n / 10;
    store<u8>(--p, 0x30 + n - q * 10);
    n = q;
  }
  return end;
}
