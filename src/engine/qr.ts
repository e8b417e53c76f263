// The host side of the QR encoder in the core: writes the input into the QR region, calls the
// numbers-only ABI, copies the matrix out. Browser-safe (no Node imports), like core.ts.
import * as wasm from "#core";
import { resultCopy } from "../result-bytes.js";
import { EncodeFlag, QR_INPUT_CAPACITY, QR_MASK_AUTO, QrEcLevel, Status } from "./abi.js";
import { EncodeError, type SymbolMatrix } from "./encode.js";

const INPUT = wasm.qrInputOffset();
const MODULES = wasm.qrModulesOffset();

/** The error correction levels by letter (ISO/IEC 18004 Table 13; M is the default). */
export type QrLevel = "L" | "M" | "Q" | "H";

const LEVELS: Record<QrLevel, QrEcLevel> = {
  L: QrEcLevel.L,
  M: QrEcLevel.M,
  Q: QrEcLevel.Q,
  H: QrEcLevel.H,
};

/** What encodeQr needs besides the data. */
export interface QrOptions {
  /** Error correction level; default "M". */
  level?: QrLevel;
  /** GS1 mode ("GS1 QR Code", ]Q3): FNC1 first, and each GS (0x1d) in the data as FNC1. */
  gs1?: boolean;
  /** Force mask 0..7 instead of choosing the lowest penalty (for comparing with other encoders). */
  mask?: number;
}

/** A QR symbol: its square module matrix (rows = columns) and what the encoder chose. */
export interface QrSymbol extends SymbolMatrix {
  version: number;
  mask: number;
}

/**
 * Encodes `data` (a string of char codes 0..255, or bytes; in GS1 mode 0..127 with GS between
 * fields) into the smallest QR version at `options.level` (default M) and returns the matrix, a
 * fresh copy the caller owns (possibly a view into a shared pool, as copyModules in core.ts),
 * with version and mask. Throws EncodeError (EMPTY, INPUT_TOO_LONG
 * above QR_INPUT_CAPACITY bytes, INVALID_BYTE, TOO_LONG, BAD_LEVEL) when the core refuses,
 * TypeError for data that is neither string nor bytes, RangeError for a mask outside 0..7.
 */
export function encodeQr(data: string | Uint8Array, options: QrOptions = {}): QrSymbol {
  if (typeof data !== "string" && !(data instanceof Uint8Array)) {
    throw new TypeError("data must be a string or a Uint8Array");
  }
  const level = LEVELS[options.level ?? "M"];
  if (level === undefined) throw new EncodeError(Status.BAD_LEVEL);
  const mask = options.mask ?? QR_MASK_AUTO;
  if (mask !== QR_MASK_AUTO && !(Number.isInteger(mask) && mask >= 0 && mask <= 7)) {
    throw new RangeError(`mask ${mask} is not an integer from 0 to 7`);
  }
  if (!writeInput(data)) throw new EncodeError(Status.INVALID_BYTE);
  const flags = options.gs1 ? EncodeFlag.GS1 : 0;
  const status = wasm.qrEncode(data.length, level, flags, mask) as Status;
  if (status !== Status.OK) throw new EncodeError(status);
  const size = wasm.qrSize();
  const modules = resultCopy(new Uint8Array(wasm.memory.buffer, MODULES, size * size));
  return { rows: size, columns: size, modules, version: wasm.qrVersion(), mask: wasm.qrMask() };
}

// Writes `data` into the QR input region; false for a char code above 255.
function writeInput(data: string | Uint8Array): boolean {
  const length = data.length;
  if (length > QR_INPUT_CAPACITY) return true; // the core refuses it by its length alone
  const view = new Uint8Array(wasm.memory.buffer);
  if (typeof data === "string") {
    for (let i = 0; i < length; i++) {
      const code = data.charCodeAt(i);
      if (code > 0xff) return false;
      view[INPUT + i] = code;
    }
  } else {
    view.set(data, INPUT);
  }
  return true;
}
