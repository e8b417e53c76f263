// Reed-Solomon error correction of ECC 200 (ISO/IEC 16022:2006 5.7 and Annex E): generator
// polynomials, per-block check codewords, and block interleaving.
// Interleave: data codeword i belongs to block i mod B and check codeword j of block b sits at
// capacity + j*B + b, for every size including 144x144. That is the ISO/IEC 16022 rule (5.7.2)
// as libdmtx and `zint --dmiso144` write it and `dmtxread` reads it; zint's default and BWIPP
// use a "de facto" 144x144 variant starting at block 9 instead, which we do not produce.
import { gfExp, gfLog, gfMultiplyExp } from "./gf256";
import {
  sizeBlockData,
  sizeBlockEcc,
  sizeBlocks,
  sizeDataCapacity,
  sizeShortBlocks,
} from "./symbols";

/** Most check codewords of one block (48x48, 96x96 and 120x120 use 68). */
const MAX_BLOCK_ECC = 68;
const ROW = MAX_BLOCK_ECC + 1;

// Generator of degree n at GENERATORS + n*ROW, n+1 coefficients from x^n (always 1) down to x^0.
// Filled on first use of each n and kept: a fixed region, so no call allocates.
const GENERATORS = memory.data(ROW * ROW);
const READY = memory.data(ROW);
// Remainder of the block being divided; REMAINDER[0] is the highest-degree term.
const REMAINDER = memory.data(MAX_BLOCK_ECC);

/**
 * Returns the address of the generator polynomial g(x) = (x + α)(x + α^2)…(x + α^n) for
 * n = eccLength in 1..68, as n+1 bytes from the x^n coefficient (1) down to x^0. Computes it on
 * first use and reuses it afterwards. Lengths outside 1..68 abort (debug builds assert).
 */
export function generatorPolynomial(eccLength: i32): usize {
  assert(eccLength >= 1 && eccLength <= MAX_BLOCK_ECC, "ECC length out of range");
  const row = GENERATORS + <usize>(eccLength * ROW);
  if (load<u8>(READY + <usize>eccLength) != 0) return row;
  // Multiply by (x + α^i) in place, one factor at a time; walking from the x^0 end towards
  // x^n keeps each old coefficient readable until the next one up has used it.
  store<u8>(row, 1);
  for (let i = 1; i <= eccLength; i++) {
    store<u8>(row + <usize>i, <u8>gfMultiplyExp(load<u8>(row + <usize>(i - 1)), i));
    for (let k = i - 1; k >= 1; k--) {
      const shifted = gfMultiplyExp(load<u8>(row + <usize>(k - 1)), i);
      store<u8>(row + <usize>k, <u8>(load<u8>(row + <usize>k) ^ shifted));
    }
  }
  store<u8>(READY + <usize>eccLength, 1);
  return row;
}

/**
 * Computes the eccLength (1..68) check codewords of one block: the remainder of
 * D(x)·x^eccLength divided by the generator, where D has the `count` data codewords read from
 * `data` every `dataStride` bytes, first codeword highest. Writes them every `outStride` bytes
 * from `out`, highest-degree first (the order they are transmitted).
 */
export function computeBlockEcc(
  data: usize,
  dataStride: i32,
  count: i32,
  eccLength: i32,
  out: usize,
  outStride: i32,
): void {
  const gen = generatorPolynomial(eccLength);
  const last = eccLength - 1;
  memory.fill(REMAINDER, 0, <usize>eccLength);
  for (let i = 0; i < count; i++) {
    const factor = <i32>load<u8>(data + <usize>(i * dataStride)) ^ <i32>load<u8>(REMAINDER);
    if (factor == 0) {
      memory.copy(REMAINDER, REMAINDER + 1, <usize>last);
      store<u8>(REMAINDER + <usize>last, 0);
      continue;
    }
    // Subtract factor·g(x) (x^n term cancels) while shifting the remainder up one degree.
    const lf = gfLog(factor);
    for (let k = 0; k < last; k++) {
      const term = gfMultiplyExp(load<u8>(gen + <usize>(k + 1)), lf);
      store<u8>(REMAINDER + <usize>k, <u8>(load<u8>(REMAINDER + <usize>(k + 1)) ^ term));
    }
    store<u8>(REMAINDER + <usize>last, <u8>gfMultiplyExp(load<u8>(gen + <usize>eccLength), lf));
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
  const x = gfExp(exponent);
  let value = 0;
  // Horner's rule over data then check codewords.
  for (let i = 0; i < count; i++) {
    value = gfMultiplyExp(value, gfLog(x)) ^ <i32>load<u8>(codewords + <usize>(block + i * blocks));
  }
  for (let j = 0; j < eccLength; j++) {
    const at = capacity + j * blocks + block;
    value = gfMultiplyExp(value, gfLog(x)) ^ <i32>load<u8>(codewords + <usize>at);
  }
  return value;
}
