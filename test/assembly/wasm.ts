// The test build of the core (build/wasm/test.wasm: the ABI plus internals) and small readers
// over its fixed regions, shared by the stage tests in this folder.
import * as core from "../../build/wasm/test.js";

export { core };

/** Returns a view of the core's memory made now (never kept across calls that may grow it). */
export function memoryBytes(): Uint8Array {
  return new Uint8Array(core.memory.buffer);
}

/** Writes `codewords` at the start of the codeword region. */
export function writeCodewords(codewords: ArrayLike<number>): void {
  memoryBytes().set(Array.from(codewords), core.codewordsOffset());
}

/** Returns `count` bytes of the codeword region from `from`. */
export function readCodewords(count: number, from = 0): number[] {
  const at = core.codewordsOffset() + from;
  return Array.from(memoryBytes().subarray(at, at + count));
}

/** Returns the module matrix of the last symbol as "0"/"1" row strings (1 = dark). */
export function matrixRows(): string[] {
  const rows = core.symbolRows();
  const columns = core.symbolColumns();
  const at = core.modulesOffset();
  const bytes = memoryBytes();
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    out.push(Array.from(bytes.subarray(at + r * columns, at + (r + 1) * columns)).join(""));
  }
  return out;
}

/** Returns a copy of the last symbol's modules (row-major, 1 = dark). */
export function matrixModules(): Uint8Array {
  const at = core.modulesOffset();
  return memoryBytes().slice(at, at + core.symbolRows() * core.symbolColumns());
}

/** One row of the core's size table, read through the test build. */
export interface Size {
  index: number;
  name: string;
  rows: number;
  columns: number;
  regionRows: number;
  regionColumns: number;
  regionsVertical: number;
  regionsHorizontal: number;
  mappingRows: number;
  mappingColumns: number;
  capacity: number;
  blocks: number;
  blockData: number;
  blockEcc: number;
  shortBlocks: number;
  ecc: number;
  family: number;
}

/** Returns the core's size table in its lookup order. */
export function sizes(): Size[] {
  const out: Size[] = [];
  for (let i = 0; i < core.sizeCount(); i++) {
    out.push({
      index: i,
      name: `${core.sizeRows(i)}x${core.sizeColumns(i)}`,
      rows: core.sizeRows(i),
      columns: core.sizeColumns(i),
      regionRows: core.sizeRegionRows(i),
      regionColumns: core.sizeRegionColumns(i),
      regionsVertical: core.sizeRegionsVertical(i),
      regionsHorizontal: core.sizeRegionsHorizontal(i),
      mappingRows: core.sizeMappingRows(i),
      mappingColumns: core.sizeMappingColumns(i),
      capacity: core.sizeDataCapacity(i),
      blocks: core.sizeBlocks(i),
      blockData: core.sizeBlockData(i),
      blockEcc: core.sizeBlockEcc(i),
      shortBlocks: core.sizeShortBlocks(i),
      ecc: core.sizeEccCapacity(i),
      family: core.sizeFamily(i),
    });
  }
  return out;
}

/** Returns the size called `name` ("RxC"), or throws. */
export function sizeNamed(name: string): Size {
  const size = sizes().find((s) => s.name === name);
  if (!size) throw new Error(`no size ${name}`);
  return size;
}

/** Returns the ASCII digit-pair codewords (130 + pair value) of an even-length digit string. */
export function digitPairCodewords(digits: string): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < digits.length; i += 2) out.push(130 + Number(digits.slice(i, i + 2)));
  return out;
}

/** Returns a deterministic digit string of length 2·pairs. */
export function digitString(pairs: number, seed = 7): string {
  let s = "";
  for (let k = 0; k < pairs; k++) s += String((k * 37 + seed) % 100).padStart(2, "0");
  return s;
}
