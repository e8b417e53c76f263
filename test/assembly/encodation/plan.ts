// Shared by the encodation tests: run the planner of the test build on a byte string, make a
// symbol of a chosen size from its codewords, and read symbols back with zxing-wasm as bytes
// (ISO 8859-1, so bytes above 127 come back as themselves).
import { ShapeMask } from "../../../src/engine/abi.js";
import { decodeMatrix } from "../../helpers/decode.js";
import { core, matrixModules, memoryBytes, readCodewords, type Size, sizes } from "../wasm.js";

/** The square sizes in ascending order: what a GS1 symbol is chosen from. */
export const SQUARES: Size[] = sizes()
  .filter((s) => s.family === ShapeMask.SQUARE)
  .sort((a, b) => a.capacity - b.capacity);

/** Returns the square size whose data capacity is `capacity`, or throws. */
export function squareWithCapacity(capacity: number): Size {
  const size = SQUARES.find((s) => s.capacity === capacity);
  if (!size) throw new Error(`no square size holds exactly ${capacity} data codewords`);
  return size;
}

/** Writes `input` (one byte per char code, 0..255) to the core's input region. */
export function writeInput(input: string): void {
  const bytes = Uint8Array.from(input, (c) => c.charCodeAt(0));
  if (bytes.some((b, i) => b !== input.charCodeAt(i))) throw new RangeError("not a byte string");
  memoryBytes().set(bytes, core.inputOffset());
}

/**
 * Plans `input` for `capacity` data codewords with the core's planEncodation; returns the
 * codewords written (into the codeword region), or null if it does not fit.
 */
export function plan(input: string, gs1: boolean, capacity: number): number[] | null {
  writeInput(input);
  const n = core.planEncodation(
    core.inputOffset(),
    input.length,
    gs1,
    capacity,
    core.codewordsOffset(),
  );
  return n < 0 ? null : readCodewords(n);
}

/** Returns the smallest square size `input` fits, with its codewords, planning size by size. */
export function planSmallestSquare(
  input: string,
  gs1: boolean,
): { size: Size; codewords: number[] } {
  for (const size of SQUARES) {
    const codewords = plan(input, gs1, size.capacity);
    if (codewords) return { size, codewords };
  }
  throw new Error(`${JSON.stringify(input)} fits no square size`);
}

/**
 * Makes a whole symbol of `size` (pads, ECC, placement, frame) from the `count` codewords in the
 * codeword region, as the core's pipeline does, and returns its modules (row-major, 1 = dark).
 */
export function symbolFromCodewords(count: number, size: Size): Uint8Array {
  if (core.encodeCodewordsInSize(count, size.index) !== 0) throw new Error("does not fit");
  return matrixModules();
}

/** What zxing-wasm read: the bytes as a Latin-1 string (GS1 separators as \x1d), and ]dN. */
export interface Read {
  text: string;
  symbologyIdentifier: string;
}

/** Decodes a module matrix (1 = dark) drawn at 3 px per module with a 2-module quiet zone. */
export async function readSymbol(
  rows: number,
  columns: number,
  modules: Uint8Array,
): Promise<Read> {
  const { text, symbologyIdentifier } = await decodeMatrix(
    rows,
    columns,
    modules,
    3,
    2,
    "ISO8859_1",
  );
  return { text, symbologyIdentifier };
}

/** Returns codewords as space-separated decimals, the form the vectors are written in. */
export function visualize(codewords: readonly number[]): string {
  return codewords.join(" ");
}
