// The data bit stream (ISO/IEC 18004:2015 7.4): the FNC1 indicator in GS1 mode, one segment per
// run of characters the segmenter put in the same mode, the terminator, the bit padding to a
// codeword boundary and the pad codewords 11101100 / 00010001 up to the data capacity.
import {
  alphanumericValue,
  countBits,
  INDICATOR_BITS,
  INDICATOR_FNC1_FIRST,
  MODE_ALPHANUMERIC,
  MODE_NUMERIC,
  modeIndicator,
} from "./modes";
import { QR_MODES } from "./regions";

let out: usize = 0;
let bitLength = 0;

// Appends the low `count` (0..16) bits of `value` (below 2^count), most significant first: one
// big-endian 32-bit OR at the byte holding the next bit (a bit at a time, branching on data
// bits, was mispredicted on every other one). The three bytes after the stream's end may be
// read and written back unchanged (ORed with zeros).
function writeBits(value: i32, count: i32): void {
  const at = out + <usize>(bitLength >> 3);
  const shift = 32 - (bitLength & 7) - count;
  const bits = (value as u32) << (shift as u32);
  store<u32>(at, bswap<u32>(bswap<u32>(load<u32>(at)) | bits));
  bitLength += count;
}

// Returns how many characters of its mode the run input[from..to) holds (a GS1 "%" counts 2).
function runCharacters(input: usize, from: i32, to: i32, mode: i32, gs1: bool): i32 {
  if (mode != MODE_ALPHANUMERIC || !gs1) return to - from;
  let count = 0;
  for (let i = from; i < to; i++) count += load<u8>(input + <usize>i) == 0x25 ? 2 : 1;
  return count;
}

function writeNumeric(input: usize, from: i32, to: i32): void {
  let i = from;
  for (; i + 3 <= to; i += 3) {
    const group =
      (<i32>load<u8>(input + <usize>i) - 0x30) * 100 +
      (<i32>load<u8>(input + <usize>(i + 1)) - 0x30) * 10 +
      (<i32>load<u8>(input + <usize>(i + 2)) - 0x30);
    writeBits(group, 10);
  }
  if (to - i == 2) {
    const pair =
      (<i32>load<u8>(input + <usize>i) - 0x30) * 10 +
      (<i32>load<u8>(input + <usize>(i + 1)) - 0x30);
    writeBits(pair, 7);
  } else if (to - i == 1) {
    writeBits(<i32>load<u8>(input + <usize>i) - 0x30, 4);
  }
}

function writeAlphanumeric(input: usize, from: i32, to: i32, gs1: bool): void {
  let pending = -1;
  for (let i = from; i < to; i++) {
    const byte = <i32>load<u8>(input + <usize>i);
    const value = alphanumericValue(byte, gs1);
    // A literal "%" in GS1 mode is the pair "%%"; a lone "%" there is FNC1 (from GS).
    const repeat = gs1 && byte == 0x25 ? 2 : 1;
    for (let r = 0; r < repeat; r++) {
      if (pending < 0) {
        pending = value;
      } else {
        writeBits(pending * 45 + value, 11);
        pending = -1;
      }
    }
  }
  if (pending >= 0) writeBits(pending, 6);
}

/**
 * Writes the data codewords of the `length` bytes at `input`, with each byte's mode from
 * QR_MODES (as segment() left them for count range `range`), to `target`: the FNC1 indicator
 * first when `gs1`, the segments, the terminator (up to 4 zero bits, fewer when capacity ends),
 * zero bits to a byte boundary, then pad codewords up to `capacity` codewords. The caller checked
 * that the bits fit in capacity·8. Returns the codewords before padding.
 */
export function writeDataCodewords(
  input: usize,
  length: i32,
  gs1: bool,
  range: i32,
  target: usize,
  capacity: i32,
): i32 {
  memory.fill(target, 0, <usize>capacity);
  out = target;
  bitLength = 0;
  if (gs1) writeBits(INDICATOR_FNC1_FIRST, INDICATOR_BITS);
  let from = 0;
  while (from < length) {
    const mode = <i32>load<u8>(QR_MODES + <usize>from);
    let to = from + 1;
    while (to < length && <i32>load<u8>(QR_MODES + <usize>to) == mode) to++;
    writeBits(modeIndicator(mode), INDICATOR_BITS);
    writeBits(runCharacters(input, from, to, mode, gs1), countBits(mode, range));
    if (mode == MODE_NUMERIC) writeNumeric(input, from, to);
    else if (mode == MODE_ALPHANUMERIC) writeAlphanumeric(input, from, to, gs1);
    else for (let i = from; i < to; i++) writeBits(<i32>load<u8>(input + <usize>i), 8);
    from = to;
  }
  assert(bitLength <= capacity * 8, "segments overflow the capacity");
  writeBits(0, min(INDICATOR_BITS, capacity * 8 - bitLength));
  const used = (bitLength + 7) >> 3;
  for (let i = used; i < capacity; i++) {
    store<u8>(target + <usize>i, <u8>((i - used) % 2 == 0 ? 0xec : 0x11));
  }
  return used;
}
