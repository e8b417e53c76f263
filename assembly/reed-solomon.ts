// Reed-Solomon error correction: generator polynomials and per-block check codewords for both
// codes the core makes, and the block interleaving of ECC 200 (ISO/IEC 16022:2006 5.7 and
// Annex E). The two codes differ only in their field and the first root of the generator:
// ECC 200 uses 0x12D and roots α^1..α^n, QR Code (ISO/IEC 18004:2015 7.5.2) 0x11D and roots
// α^0..α^(n-1); everything else is shared.
// Interleave: data codeword i belongs to block i mod B and check codeword j of block b sits at
// capacity + j*B + b, for every size including 144x144. That is the ISO/IEC 16022 rule, as
// libdmtx (checked against dmtxwrite in the tests) and `zint --dmiso144` write it and
// `dmtxread` reads it. zint's default and BWIPP rotate the 144x144 check codewords instead (a
// "de facto" variant); we do not produce it. Current zxing-cpp reads both.
import { FIELD_DATAMATRIX, FIELD_QR, gfMultiply, gfMultiplyExp } from "./gf256";
import {
  sizeBlockData,
  sizeBlockEcc,
  sizeBlocks,
  sizeDataCapacity,
  sizeShortBlocks,
} from "./symbols";

/** The codes: an index used by the caches below, and the field and first root it implies. */
export const CODE_DATAMATRIX = 0;
export const CODE_QR = 1;
const CODE_COUNT = 2;

/** Most check codewords of one block (48x48, 96x96 and 120x120 use 68; QR at most 30). */
const MAX_BLOCK_ECC = 68;
const ROW = MAX_BLOCK_ECC + 1;
/**
 * Sum of the distinct block ECC lengths of both tables: ECC 200's 25 lengths (5, 7, 10, … 68)
 * sum to 766, QR's 13 (7, 10, 13, 15, 16, 17, 18, 20, 22, … 30) to 266.
 */
const TABLE_ECC_SUM = 766 + 266;
/** Bytes read past a row by the 8-byte steps of the division. */
const OVERREAD = 8;

// Generator of degree n at GENERATORS + n*ROW: n+1 coefficients from x^n (always 1) down to x^0.
const GENERATORS = memory.data(CODE_COUNT * ROW * ROW);
const GENERATOR_READY = memory.data(CODE_COUNT * ROW);
// Product tables, one per block ECC length n of the size table: 32 rows of n bytes, row v
// holding v·g_k (v = 0..15) and row 16 + v holding (16v)·g_k for the n coefficients below x^n.
// A factor f = 16h + l then multiplies as row l xor row 16 + h (multiplication distributes over
// xor), so one division step is an 8-byte-wide shift-and-xor instead of n field
// multiplications, for 32 rows per length rather than 256: 24 KiB for ECC 200's 25 lengths and
// 8 KiB for QR's 13, which
// keeps the static regions within a few pages of linear memory. Built on first use of each length
// and kept; PRODUCT_OFFSET[n] is 1 + the table's offset, 0 until built.
const NIBBLE_ROWS = 32;
const PRODUCTS = memory.data(TABLE_ECC_SUM * NIBBLE_ROWS + OVERREAD);
const PRODUCT_OFFSET = memory.data(CODE_COUNT * (ROW << 2), 4);
let productsUsed: usize = 0;
// Remainder of the block being divided; REMAINDER[0] is the highest-degree term. One byte past
// the last term stays 0 (shifted in), and the 8-byte steps may scribble up to 7 beyond that.
const REMAINDER = memory.data(MAX_BLOCK_ECC + OVERREAD + 1);

/**
 * Returns the address of the generator polynomial of `code` for n = eccLength in 1..68, as n+1
 * bytes from the x^n coefficient (1) down to x^0: g(x) = (x + α)(x + α^2)…(x + α^n) over 0x12D
 * for CODE_DATAMATRIX, (x + α^0)(x + α^1)…(x + α^(n-1)) over 0x11D for CODE_QR. Computes it on
 * first use and reuses it afterwards. Lengths outside 1..68 abort (debug builds assert).
 */
export function generatorPolynomial(eccLength: i32, code: i32 = CODE_DATAMATRIX): usize {
  assert(eccLength >= 1 && eccLength <= MAX_BLOCK_ECC, "ECC length out of range");
  const field = code == CODE_QR ? FIELD_QR : FIELD_DATAMATRIX;
  const firstRoot = code == CODE_QR ? 0 : 1;
  const row = GENERATORS + <usize>((code * ROW + eccLength) * ROW);
  const ready = GENERATOR_READY + <usize>(code * ROW + eccLength);
  if (load<u8>(ready) != 0) return row;
  // Multiply by (x + α^i) in place, one factor at a time; walking from the x^0 end towards
  // x^n keeps each old coefficient readable until the next one up has used it.
  store<u8>(row, 1);
  for (let i = 1; i <= eccLength; i++) {
    const root = i - 1 + firstRoot;
    store<u8>(row + <usize>i, <u8>gfMultiplyExp(load<u8>(row + <usize>(i - 1)), root, field));
    for (let k = i - 1; k >= 1; k--) {
      const shifted = gfMultiplyExp(load<u8>(row + <usize>(k - 1)), root, field);
      store<u8>(row + <usize>k, <u8>(load<u8>(row + <usize>k) ^ shifted));
    }
  }
  store<u8>(ready, 1);
  return row;
}

// Returns the product table of `code` for block ECC length n, building it on first use. Only the
// lengths of the two size tables fit the region (asserted).
function productTable(eccLength: i32, code: i32): usize {
  const field = code == CODE_QR ? FIELD_QR : FIELD_DATAMATRIX;
  const slot = PRODUCT_OFFSET + ((<usize>(code * ROW + eccLength)) << 2);
  const known = load<u32>(slot);
  if (known != 0) return PRODUCTS + <usize>(known - 1);
  const size = <usize>(eccLength * NIBBLE_ROWS);
  assert(
    productsUsed + size <= <usize>(TABLE_ECC_SUM * NIBBLE_ROWS),
    "ECC length not in the table",
  );
  const table = PRODUCTS + productsUsed;
  const gen = generatorPolynomial(eccLength, code);
  for (let v = 0; v < 16; v++) {
    const low = table + <usize>(v * eccLength);
    const high = table + <usize>((16 + v) * eccLength);
    for (let k = 0; k < eccLength; k++) {
      const g = <i32>load<u8>(gen + <usize>(k + 1));
      store<u8>(low + <usize>k, <u8>gfMultiply(v, g, field));
      store<u8>(high + <usize>k, <u8>gfMultiply(v << 4, g, field));
    }
  }
  store<u32>(slot, <u32>productsUsed + 1);
  productsUsed += size;
  return table;
}

/**
 * Computes the eccLength check codewords of one block of `code` (eccLength one of that code's
 * block ECC lengths: 5..68 for ECC 200, 7..30 for QR): the remainder of D(x)·x^eccLength divided
 * by the code's generator, where D has the `count` data codewords read from `data` every
 * `dataStride` bytes, first codeword highest. Writes them every `outStride` bytes from `out`,
 * highest-degree first (transmission order).
 */
export function computeBlockEcc(
  data: usize,
  dataStride: i32,
  count: i32,
  eccLength: i32,
  out: usize,
  outStride: i32,
  code: i32 = CODE_DATAMATRIX,
): void {
  const table = productTable(eccLength, code);
  const n = <usize>eccLength;
  memory.fill(REMAINDER, 0, n + 1);
  for (let i = 0; i < count; i++) {
    const factor = <u32>load<u8>(data + <usize>(i * dataStride)) ^ <u32>load<u8>(REMAINDER);
    // remainder = (remainder shifted up one term) - factor·g, 8 terms per step; rows 0 and 16
    // of the table are all zeros, so a zero factor needs no branch.
    const low = table + <usize>(factor & 15) * n;
    const high = table + <usize>(16 + (factor >> 4)) * n;
    for (let k: usize = 0; k < n; k += 8) {
      const products = load<u64>(low + k) ^ load<u64>(high + k);
      store<u64>(REMAINDER + k, load<u64>(REMAINDER + k + 1) ^ products);
    }
    store<u8>(REMAINDER + n, 0);
  }
  for (let j = 0; j < eccLength; j++) {
    store<u8>(out + <usize>(j * outStride), load<u8>(REMAINDER + <usize>j));
  }
}

/**
 * Appends the interleaved check codewords of size `sizeIndex` after its full data capacity in
 * `codewords` (which must already hold capacity data codewords, padding included). Block b
 * takes data codewords b, b+B, b+2B, … (B blocks); the table says how many (the last
 * sizeShortBlocks blocks hold one fewer), and its check codewords go to capacity + j*B + b.
 */
export function appendEcc(codewords: usize, sizeIndex: i32): void {
  const blocks = sizeBlocks(sizeIndex);
  const capacity = sizeDataCapacity(sizeIndex);
  const eccLength = sizeBlockEcc(sizeIndex);
  const firstShort = blocks - sizeShortBlocks(sizeIndex);
  for (let b = 0; b < blocks; b++) {
    const count = sizeBlockData(sizeIndex) - (b >= firstShort ? 1 : 0);
    computeBlockEcc(
      codewords + <usize>b,
      blocks,
      count,
      eccLength,
      codewords + <usize>(capacity + b),
      blocks,
    );
  }
}

/**
 * Returns C(α^exponent) for block `block` of size `sizeIndex` as interleaved in `codewords`
 * (data then check codewords, first highest). Zero for exponents 1..blockEcc when the block is
 * a valid code word: the syndrome check a decoder makes.
 */
export function evaluateBlock(codewords: usize, sizeIndex: i32, block: i32, exponent: i32): i32 {
  const blocks = sizeBlocks(sizeIndex);
  const capacity = sizeDataCapacity(sizeIndex);
  const eccLength = sizeBlockEcc(sizeIndex);
  const count = sizeBlockData(sizeIndex) - (block >= blocks - sizeShortBlocks(sizeIndex) ? 1 : 0);
  const logX = exponent % 255;
  let value = 0;
  // Horner's rule over data then check codewords: value = value·x + next codeword.
  for (let i = 0; i < count; i++) {
    value =
      gfMultiplyExp(value, logX, FIELD_DATAMATRIX) ^
      <i32>load<u8>(codewords + <usize>(block + i * blocks));
  }
  for (let j = 0; j < eccLength; j++) {
    const at = capacity + j * blocks + block;
    value = gfMultiplyExp(value, logX, FIELD_DATAMATRIX) ^ <i32>load<u8>(codewords + <usize>at);
  }
  return value;
}
