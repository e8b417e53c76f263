// The final symbol (ISO/IEC 16022:2006 5.3 and 5.5.1; ISO/IEC 21471:2020 for DMRE): data
// regions from the mapping matrix, each surrounded by its finder pattern (solid left column and
// bottom row) and clock track (alternating top row and right column).
import {
  sizeColumns,
  sizeMappingColumns,
  sizeRegionColumns,
  sizeRegionRows,
  sizeRows,
} from "./symbols";

/**
 * Draws size `sizeIndex` into `out` (rows·columns bytes, row-major, 1 = dark) from the mapping
 * matrix at `mapping` as placeCodewords left it (bit 0 of each byte is the module). Every byte
 * of the symbol is written, so `out` needs no clearing.
 */
export function drawFrame(sizeIndex: i32, mapping: usize, out: usize): void {
  const rows = sizeRows(sizeIndex);
  const cols = sizeColumns(sizeIndex);
  const regionRows = sizeRegionRows(sizeIndex);
  const regionCols = sizeRegionColumns(sizeIndex);
  const mapCols = sizeMappingColumns(sizeIndex);
  // A region with its patterns spans region + 2 modules each way; track the offset inside it
  // incrementally instead of dividing per module.
  const periodRows = regionRows + 2;
  const periodCols = regionCols + 2;
  let inRow = 0;
  let mapRow: usize = mapping;
  let at = out;
  for (let y = 0; y < rows; y++) {
    if (inRow == periodRows - 1) {
      // Bottom row of a region band: the solid edge of the finder L.
      memory.fill(at, 1, <usize>cols);
      at += <usize>cols;
    } else if (inRow == 0) {
      // Top row: clock track, dark on even offsets within each region (region widths are
      // even, so the offset's parity is the column's).
      for (let x = 0; x < cols; x++) {
        store<u8>(at + <usize>x, <u8>((x & 1) ^ 1));
      }
      at += <usize>cols;
    } else {
      // A data row: per region, the finder's dark left module, the data, and the right clock
      // module (dark on odd rows of the band).
      const clock = <u8>(inRow & 1);
      let m = mapRow;
      for (let x = 0; x < cols; x += periodCols) {
        store<u8>(at, 1);
        at++;
        for (let k = 0; k < regionCols; k++) {
          store<u8>(at + <usize>k, load<u8>(m + <usize>k) & 1);
        }
        at += <usize>regionCols;
        m += <usize>regionCols;
        store<u8>(at, clock);
        at++;
      }
      mapRow += <usize>mapCols;
    }
    inRow++;
    if (inRow == periodRows) inRow = 0;
  }
}
