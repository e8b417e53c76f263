// Error correction and interleaving (ISO/IEC 18004:2015 7.5 and 7.6): the data codewords are
// split into blocks (the short blocks first, one data codeword fewer than the long ones), each
// block gets its check codewords, and the final sequence takes the data codewords column by
// column across the blocks, then the check codewords likewise.
import { CODE_QR, computeBlockEcc } from "../reed-solomon";
import { blockCount, dataCodewords, eccPerBlock, totalCodewords } from "./versions";

/**
 * Writes the final codeword sequence of `version` (1..40) at level `level` (0..3) to `out`
 * (totalCodewords(version) bytes), from its dataCodewords(version, level) data codewords at
 * `data` in block order.
 */
export function interleaveWithEcc(data: usize, version: i32, level: i32, out: usize): void {
  const blocks = blockCount(version, level);
  const ecc = eccPerBlock(version, level);
  const total = totalCodewords(version);
  const dataTotal = dataCodewords(version, level);
  const shortBlocks = blocks - (total % blocks);
  const shortData = total / blocks - ecc;
  let start = 0;
  for (let b = 0; b < blocks; b++) {
    const count = shortData + (b < shortBlocks ? 0 : 1);
    // Data codeword i of block b goes to column i; the short blocks have no last column.
    for (let i = 0; i < count; i++) {
      const at = i < shortData ? i * blocks + b : shortData * blocks + (b - shortBlocks);
      store<u8>(out + <usize>at, load<u8>(data + <usize>(start + i)));
    }
    // Check codeword j of block b goes to dataTotal + j·blocks + b.
    computeBlockEcc(
      data + <usize>start,
      1,
      count,
      ecc,
      out + <usize>(dataTotal + b),
      blocks,
      CODE_QR,
    );
    start += count;
  }
}
