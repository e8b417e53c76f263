// The core's ABI: numbers-only exported functions over the fixed regions of scratch.ts.
// linearEncode: input bytes → 1D bar/space runs (assembly/linear/).
// encode: input bytes → data codewords → pad → ECC → placement → framed module matrix.
import {
  EncodeFlag,
  INPUT_CAPACITY,
  QR_INPUT_CAPACITY,
  RECT_SIDE_MAX,
  RectPathStyle,
  ShapeMask,
  Status,
} from "../src/engine/abi";
import { fitsEncodation, lowerBoundCodewords, writeFitted } from "./encodation/planner";
import { encodeLinear } from "./linear/encode";
import { elementCount, lastErrorPosition, lastExpectedCheck, textCount } from "./linear/runs";
import { clearSymbol, finishSymbol, lastSymbolDataLength, lastSymbolSize } from "./pipeline";
import {
  clearQrSymbol,
  encodeQrSymbol,
  lastQrDataLength,
  lastQrMask,
  lastQrVersion,
} from "./qr/encoder";
import { QR_CODEWORDS, QR_INPUT, QR_MODULES } from "./qr/regions";
import { versionSize } from "./qr/versions";
import { CODEWORDS, INPUT, LINEAR_GUARDS, LINEAR_TEXT, LINEAR_WIDTHS, MODULES } from "./scratch";
import {
  lookupSymbol,
  nextSize,
  sizeColumns,
  sizeDataCapacity,
  sizeEccCapacity,
  sizeRows,
} from "./symbols";
import { RECT_PATH, rectPathLength, writeRectPath } from "./vector/path";
import { findDarkRectangles, MAX_RECTS, RECT_MODULES, RECTS } from "./vector/rectangles";

const ALL_SHAPES = ShapeMask.SQUARE | ShapeMask.RECTANGLE | ShapeMask.DMRE;
/** Highest byte GS1 mode accepts: the GS1 character sets are 7-bit. */
const MAX_GS1_BYTE = 127;

/** Returns the address of the input region (INPUT_CAPACITY bytes). */
export function inputOffset(): usize {
  return INPUT;
}

/** Returns the address of the codeword region (data then error correction codewords). */
export function codewordsOffset(): usize {
  return CODEWORDS;
}

/** Returns the address of the module matrix region (row-major, one byte per module). */
export function modulesOffset(): usize {
  return MODULES;
}

function hasHighByte(length: i32): bool {
  for (let i = 0; i < length; i++) {
    if (<i32>load<u8>(INPUT + <usize>i) > MAX_GS1_BYTE) return true;
  }
  return false;
}

/**
 * Encodes the `length` input bytes at inputOffset() into the smallest symbol (ascending area;
 * ties: square, ISO rectangle, DMRE) whose family is in `shapes` (ShapeMask bits), with `flags`
 * (EncodeFlag bits; GS1: FNC1 first and GS_BYTE as FNC1). On OK the matrix is at
 * modulesOffset() (symbolRows() x symbolColumns()) and the codewords at codewordsOffset().
 * Returns a Status: EMPTY (length <= 0), INPUT_TOO_LONG (above INPUT_CAPACITY), NO_SHAPE (no
 * known shape bit), INVALID_BYTE (GS1 mode and a byte above 127), TOO_LONG (fits no allowed
 * size). After a failure the getters return 0.
 */
export function encode(length: i32, shapes: i32, flags: i32): i32 {
  clearSymbol();
  const status = checkInput(length, shapes, flags);
  if (status != Status.OK) return status;
  const gs1 = (flags & EncodeFlag.GS1) != 0;
  const index = smallestFit(length, shapes & ALL_SHAPES, gs1);
  if (index < 0) return Status.TOO_LONG;
  // smallestFit's last call was the fit at this size: write what it found.
  const written = writeFitted(INPUT, length, gs1, sizeDataCapacity(index), CODEWORDS);
  assert(written >= 0 && written <= sizeDataCapacity(index), "planner broke its fit");
  finishSymbol(index, written);
  return Status.OK;
}

/**
 * Returns rows·columns of the symbol encode() would make for the same arguments, without making
 * it (no codewords written, no ECC, no matrix; the getters keep the last symbol made), or the
 * negated Status when encode() would fail. For comparing orders of the same data cheaply.
 */
export function fitArea(length: i32, shapes: i32, flags: i32): i32 {
  const status = checkInput(length, shapes, flags);
  if (status != Status.OK) return -status;
  const index = smallestFit(length, shapes & ALL_SHAPES, (flags & EncodeFlag.GS1) != 0);
  return index < 0 ? -Status.TOO_LONG : sizeRows(index) * sizeColumns(index);
}

/**
 * Returns rows·columns of the smallest symbol in `shapes` whose capacity reaches a lower bound
 * on the data codewords of the `length` input bytes in any order (lowerBoundCodewords), or 0 if
 * none does or the arguments are invalid. No encodation can give a smaller symbol, so a caller
 * holding a symbol this small need not try other orders of the same bytes.
 */
export function boundArea(length: i32, shapes: i32, flags: i32): i32 {
  if (checkInput(length, shapes, flags) != Status.OK) return 0;
  const bound = lowerBoundCodewords(INPUT, length, (flags & EncodeFlag.GS1) != 0);
  const index = lookupSymbol(bound, shapes & ALL_SHAPES);
  return index < 0 ? 0 : sizeRows(index) * sizeColumns(index);
}

/** Returns the Status encode() answers before encodation: OK, or why the input is refused. */
function checkInput(length: i32, shapes: i32, flags: i32): i32 {
  if (length <= 0) return Status.EMPTY;
  if (length > INPUT_CAPACITY) return Status.INPUT_TOO_LONG;
  if ((shapes & ALL_SHAPES) == 0) return Status.NO_SHAPE;
  if ((flags & EncodeFlag.GS1) != 0 && hasHighByte(length)) return Status.INVALID_BYTE;
  return Status.OK;
}

/**
 * Returns the first size in `allowed`, smallest first, that the input fits, or -1. The
 * encodation depends on the capacity (end-of-data rules), but the planner searches once per
 * input and each size only chooses among the endings, so this costs one search.
 */
function smallestFit(length: i32, allowed: i32, gs1: bool): i32 {
  for (let i = nextSize(0, allowed); i >= 0; i = nextSize(i + 1, allowed)) {
    if (fitsEncodation(INPUT, length, gs1, sizeDataCapacity(i))) return i;
  }
  return -1;
}

/**
 * Makes a symbol from `count` data codewords the caller already wrote at codewordsOffset(),
 * unchanged (no encodation): the smallest size in `shapes` holding them, padded, with ECC.
 * Returns OK, EMPTY (count <= 0), NO_SHAPE, or TOO_LONG (more than any allowed size holds).
 */
export function encodeCodewords(count: i32, shapes: i32): i32 {
  clearSymbol();
  if (count <= 0) return Status.EMPTY;
  const allowed = shapes & ALL_SHAPES;
  if (allowed == 0) return Status.NO_SHAPE;
  const index = lookupSymbol(count, allowed);
  if (index < 0) return Status.TOO_LONG;
  finishSymbol(index, count);
  return Status.OK;
}

/** Returns the module rows of the last symbol made, or 0 if the last call failed. */
export function symbolRows(): i32 {
  const size = lastSymbolSize();
  return size < 0 ? 0 : sizeRows(size);
}

/** Returns the module columns of the last symbol made, or 0 if the last call failed. */
export function symbolColumns(): i32 {
  const size = lastSymbolSize();
  return size < 0 ? 0 : sizeColumns(size);
}

/** Returns the data capacity (codewords) of the last symbol made, or 0 if the last call failed. */
export function dataCapacity(): i32 {
  const size = lastSymbolSize();
  return size < 0 ? 0 : sizeDataCapacity(size);
}

/** Returns the data codewords of the last symbol before padding, or 0 if the last call failed. */
export function dataLength(): i32 {
  return lastSymbolDataLength();
}

/** Returns the error correction codewords of the last symbol (after its data capacity), or 0. */
export function eccLength(): i32 {
  const size = lastSymbolSize();
  return size < 0 ? 0 : sizeEccCapacity(size);
}

/**
 * Encodes the `length` input bytes at inputOffset() as the 1D `symbology` (a Linear value) with
 * `flags` (LinearFlag bits; wide-to-narrow ratio 2 or 3 in bits 8-15 for ITF-14 and Code 39).
 * Returns a LinearStatus. On OK, linearElements() bar/space widths are at linearWidthsOffset()
 * (first a bar), guard flags at linearGuardsOffset(), and the characters encoded (check
 * characters included) at linearTextOffset(); after a failure linearErrorPosition() and
 * linearExpectedCheck() say where and what, or -1.
 */
export function linearEncode(symbology: i32, length: i32, flags: i32): i32 {
  return encodeLinear(symbology, length, flags);
}

/** Returns the bar/space elements of the last 1D result (0 after a failure). */
export function linearElements(): i32 {
  return elementCount();
}

/** Returns the characters of encoded text of the last 1D result (0 after a failure). */
export function linearTextLength(): i32 {
  return textCount();
}

/** Returns the address of the 1D widths region (one byte per element, in modules). */
export function linearWidthsOffset(): usize {
  return LINEAR_WIDTHS;
}

/** Returns the address of the 1D guard flags (one byte per element, 1 = extended guard bar). */
export function linearGuardsOffset(): usize {
  return LINEAR_GUARDS;
}

/** Returns the address of the 1D encoded text region. */
export function linearTextOffset(): usize {
  return LINEAR_TEXT;
}

/** Returns the input index the last 1D failure points at, or -1. */
export function linearErrorPosition(): i32 {
  return lastErrorPosition();
}

/** Returns the check digit the data calls for after BAD_CHECK_DIGIT, or -1. */
export function linearExpectedCheck(): i32 {
  return lastExpectedCheck();
}

// QR Code (ISO/IEC 18004:2015 Model 2): its own input and matrix regions (a version 40 symbol
// is larger than any ECC 200 one), the same Reed-Solomon code and GS1 flag.

/** Returns the address of the QR input region (QR_INPUT_CAPACITY bytes). */
export function qrInputOffset(): usize {
  return QR_INPUT;
}

/** Returns the address of the QR module matrix region (row-major, one byte per module). */
export function qrModulesOffset(): usize {
  return QR_MODULES;
}

/** Returns the address of the QR codeword sequence (interleaved data then check codewords). */
export function qrCodewordsOffset(): usize {
  return QR_CODEWORDS;
}

/**
 * Encodes the `length` input bytes at qrInputOffset() into the smallest QR version (1..40) at
 * error correction `level` (QrEcLevel 0..3) after optimal numeric/alphanumeric/byte
 * segmentation, with `flags` (EncodeFlag.GS1: FNC1 in first position, each GS_BYTE as FNC1).
 * `mask` 0..7 forces that mask; QR_MASK_AUTO (any other value) chooses by the penalty rules.
 * On OK the matrix is at qrModulesOffset() (qrSize() squared). Returns a Status: EMPTY,
 * INPUT_TOO_LONG (above QR_INPUT_CAPACITY), BAD_LEVEL, INVALID_BYTE (GS1 mode and a byte above
 * 127), TOO_LONG (fits no version). After a failure the getters return 0 (qrMask(): -1).
 */
export function qrEncode(length: i32, level: i32, flags: i32, mask: i32): i32 {
  if (length <= 0) return failQr(Status.EMPTY);
  if (length > QR_INPUT_CAPACITY) return failQr(Status.INPUT_TOO_LONG);
  if (level < 0 || level > 3) return failQr(Status.BAD_LEVEL);
  const gs1 = (flags & EncodeFlag.GS1) != 0;
  if (gs1) {
    for (let i = 0; i < length; i++) {
      if (<i32>load<u8>(QR_INPUT + <usize>i) > MAX_GS1_BYTE) return failQr(Status.INVALID_BYTE);
    }
  }
  return encodeQrSymbol(QR_INPUT, length, level, gs1, mask);
}

function failQr(status: i32): i32 {
  clearQrSymbol();
  return status;
}

/** Returns the version (1..40) of the last QR symbol, or 0 if the last call failed. */
export function qrVersion(): i32 {
  return lastQrVersion();
}

/** Returns the modules per side of the last QR symbol (21..177), or 0 if the last call failed. */
export function qrSize(): i32 {
  const version = lastQrVersion();
  return version == 0 ? 0 : versionSize(version);
}

/** Returns the mask (0..7) of the last QR symbol, or -1 if the last call failed. */
export function qrMask(): i32 {
  return lastQrMask();
}

/** Returns the data codewords of the last QR symbol before its pad codewords, or 0. */
export function qrDataLength(): i32 {
  return lastQrDataLength();
}

// The vector renderers' rectangles (assembly/vector/): a module matrix in, its dark rectangles
// found and spelled as SVG path data or PDF operators, the bytes out.

/** Returns the address of the matrix region rectangles are found in (RECT_SIDE_MAX² bytes). */
export function rectModulesOffset(): usize {
  return RECT_MODULES;
}

/** Returns the address of the rectangles found (four u16 each: x, y, width, height). */
export function rectsOffset(): usize {
  return RECTS;
}

/** Returns the address of the path bytes writeRectangles() wrote (RECT_PATH_CAPACITY bytes). */
export function rectPathOffset(): usize {
  return RECT_PATH;
}

/**
 * Finds the dark rectangles of the `rows` x `columns` matrix at rectModulesOffset() (row-major,
 * non-zero = dark) and returns how many are at rectsOffset(), ordered by top row then left edge:
 * maximal horizontal runs, each extended down while the next row repeats it exactly. Returns -1
 * for a side outside 1..RECT_SIDE_MAX.
 */
export function darkRectangles(rows: i32, columns: i32): i32 {
  if (rows < 1 || columns < 1 || rows > RECT_SIDE_MAX || columns > RECT_SIDE_MAX) return -1;
  return findDarkRectangles(rows, columns);
}

/**
 * Spells rectangles `from` up to `count` of the last darkRectangles() call, shifted by (`dx`,
 * `dy`), in `style` (RectPathStyle) at rectPathOffset(), as many as fit; returns the index of
 * the first one not written, the byte count in rectPathBytes(). Returns -1 for arguments out of
 * range (from > count, a negative shift, or an unknown style).
 */
export function writeRectangles(style: i32, from: i32, count: i32, dx: i32, dy: i32): i32 {
  if (from < 0 || from > count || count > MAX_RECTS || dx < 0 || dy < 0) return -1;
  if (style != RectPathStyle.SVG && style != RectPathStyle.PDF) return -1;
  return writeRectPath(style, from, count, dx, dy);
}

/** Returns the bytes the last writeRectangles() call wrote at rectPathOffset(). */
export function rectPathBytes(): i32 {
  return rectPathLength();
}
