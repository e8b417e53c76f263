// Data bytes + options → module matrix, through the WASM core; a non-OK status becomes a typed
// EncodeError. Browser-safe: the preview imports this file as it is.
import type { Shape } from "../types.js";
import { EncodeFlag, INPUT_CAPACITY, ShapeMask, Status } from "./abi.js";
import {
  boundAreaOfInput,
  copyModules,
  encodeInput,
  fitInput,
  symbolColumns,
  symbolRows,
} from "./core.js";

/**
 * A symbol's module matrix: rows·columns bytes, row-major, 1 = dark. `modules` is the caller's
 * own copy, possibly a view into a shared pool (mind byteOffset when using `.buffer`).
 */
export interface SymbolMatrix {
  rows: number;
  columns: number;
  modules: Uint8Array;
}

/** What encodeBytes needs besides the data. */
export interface EncodeOptions {
  /** Allowed symbol families, ShapeMask bits (see shapeMask()). */
  shapes: number;
  /** GS1 mode: FNC1 first, and each GS (0x1d) in the data encoded as FNC1. */
  gs1: boolean;
}

const MESSAGES: Record<Status, string> = {
  [Status.OK]: "Encoded.",
  [Status.TOO_LONG]: "The data does not fit in the largest symbol of the allowed shapes.",
  [Status.INVALID_BYTE]:
    "The data holds a character that cannot be encoded: GS1 mode takes codes 0 to 127, " +
    "byte mode 0 to 255.",
  [Status.EMPTY]: "The data is empty.",
  [Status.NO_SHAPE]: "No symbol shape is allowed: the shape mask is empty.",
  [Status.INPUT_TOO_LONG]: `The data is longer than ${INPUT_CAPACITY} bytes, the most the encoder accepts.`,
  [Status.BAD_LEVEL]: "The QR error correction level is not one of L, M, Q, H (0 to 3).",
};

/** A failed encode: `status` (Status from abi.ts) says why; the message is a sentence for people. */
export class EncodeError extends Error {
  readonly status: Status;

  constructor(status: Status) {
    super(MESSAGES[status] ?? `The encoder failed with unknown status ${status}.`);
    this.name = "EncodeError";
    this.status = status;
  }
}

const SHAPE_MASKS: Record<Shape, number> = {
  square: ShapeMask.SQUARE,
  rectangle: ShapeMask.RECTANGLE,
  dmre: ShapeMask.RECTANGLE | ShapeMask.DMRE,
  auto: ShapeMask.SQUARE | ShapeMask.RECTANGLE,
};

/**
 * Returns the ShapeMask bits for a payload `shape`: square → SQUARE, rectangle → RECTANGLE,
 * dmre → RECTANGLE | DMRE, auto → SQUARE | RECTANGLE. Throws TypeError for any other value.
 */
export function shapeMask(shape: Shape): number {
  const mask = Object.hasOwn(SHAPE_MASKS, shape) ? SHAPE_MASKS[shape] : undefined;
  if (mask === undefined) throw new TypeError(`unknown shape ${JSON.stringify(shape)}`);
  return mask;
}

/**
 * Encodes `data` (a string of char codes 0..255, or bytes; in GS1 mode 0..127 with GS between
 * fields) into the smallest symbol allowed by `options.shapes` and returns its matrix, a fresh
 * copy the caller owns. Throws EncodeError (status TOO_LONG, INVALID_BYTE, EMPTY, NO_SHAPE or
 * INPUT_TOO_LONG) when the core refuses, TypeError when `data` is neither string nor bytes.
 */
export function encodeBytes(data: string | Uint8Array, options: EncodeOptions): SymbolMatrix {
  if (typeof data !== "string" && !(data instanceof Uint8Array)) {
    throw new TypeError("data must be a string or a Uint8Array");
  }
  // 1. Input into the core's scratch, 2. encodation, ECC, placement and frame in WASM.
  const flags = options.gs1 ? EncodeFlag.GS1 : 0;
  const status = encodeInput(data, options.shapes, flags);
  if (status !== Status.OK) throw new EncodeError(status);
  // 3. Copy the matrix out before the next call overwrites it.
  return { rows: symbolRows(), columns: symbolColumns(), modules: copyModules() };
}

/** The symbol encodeSmallest chose and which candidate (0-based, in iteration order) it holds. */
export interface SmallestSymbol {
  choice: number;
  matrix: SymbolMatrix;
}

/**
 * Encodes the candidate that gives the smallest symbol (fewest modules; the earliest on a tie)
 * and returns it with its index. The candidates must hold the same bytes in different orders
 * (element strings differing in where a GS falls), because a lower bound on the symbol of the
 * first one is taken for all: once the smallest so far reaches it no further candidate is sized
 * (nor drawn from the iterable, beyond the one that showed there are more). Only the chosen candidate is encoded in full; the others are sized by the planner
 * alone. A candidate that fits no symbol is passed over. Throws like encodeBytes: EncodeError
 * TOO_LONG when no candidate fits, other statuses as the first candidate gets them, RangeError
 * for no candidates.
 */
export function encodeSmallest(
  candidates: Iterable<string | Uint8Array>,
  options: EncodeOptions,
): SmallestSymbol {
  const flags = options.gs1 ? EncodeFlag.GS1 : 0;
  const { shapes } = options;
  const iterator = candidates[Symbol.iterator]();
  const first = iterator.next();
  if (first.done) throw new RangeError("no candidates to encode");
  const data = first.value;
  if (typeof data !== "string" && !(data instanceof Uint8Array)) {
    throw new TypeError("data must be a string or a Uint8Array");
  }
  // 1. The first candidate (the usual order) in full, and the bound for all of them.
  let matrix: SymbolMatrix | undefined;
  let best: { choice: number; data: string | Uint8Array; area: number } | undefined;
  const status = encodeInput(data, shapes, flags);
  if (status === Status.OK) {
    matrix = { rows: symbolRows(), columns: symbolColumns(), modules: copyModules() };
    best = { choice: 0, data, area: matrix.rows * matrix.columns };
  } else if (status !== Status.TOO_LONG) {
    throw new EncodeError(status);
  }
  // 2. The others by size only, until one reaches the bound (0: not even the bound fits),
  //    which is only worked out when there is a second candidate.
  let next = iterator.next();
  const bound = next.done ? 0 : boundAreaOfInput(data.length, shapes, flags);
  for (let choice = 1; !next.done; choice++, next = iterator.next()) {
    if (bound === 0 || (best !== undefined && best.area <= bound)) break;
    const area = fitInput(next.value, shapes, flags);
    if (area > 0 && (best === undefined || area < best.area)) {
      best = { choice, data: next.value, area };
    }
  }
  if (best === undefined) throw new EncodeError(Status.TOO_LONG);
  // 3. A later candidate won: encode it in full (rare; its search is often still cached).
  if (best.choice !== 0 || matrix === undefined) matrix = encodeBytes(best.data, options);
  return { choice: best.choice, matrix };
}
