// The host side of the 1D encoders (assembly/linear/): writes the input into the core's input
// region, calls linearEncode and copies the bar/space runs out. Browser-safe (no Node imports).
import * as wasm from "#core";
import { LINEAR_INPUT_CAPACITY, type Linear, LinearStatus } from "./abi.js";

const INPUT = wasm.inputOffset();
const WIDTHS = wasm.linearWidthsOffset();
const GUARDS = wasm.linearGuardsOffset();
const TEXT = wasm.linearTextOffset();

let buffer = wasm.memory.buffer;
let bytes = new Uint8Array(buffer);

// The core's memory never grows, but a view made before a growth would be detached.
function memoryBytes(): Uint8Array {
  if (wasm.memory.buffer !== buffer) {
    buffer = wasm.memory.buffer;
    bytes = new Uint8Array(buffer);
  }
  return bytes;
}

// Runs' widths and guards live in views of a slab shared by many symbols, like Node's Buffer
// pool: each view is a region of its own, never written again once returned, and a slab is
// freed when no runs from it are left (64 KB: a few hundred GS1-128 symbols).
const SLAB_BYTES = 65536;
let slab = new Uint8Array(0);
let slabUsed = 0;
function carve(size: number): Uint8Array {
  if (slabUsed + size > slab.length) {
    slab = new Uint8Array(Math.max(SLAB_BYTES, size));
    slabUsed = 0;
  }
  const view = slab.subarray(slabUsed, slabUsed + size);
  slabUsed += size;
  return view;
}

/** A 1D symbol as the core drew it, in modules; quiet zones, text and sizes are the renderer's. */
export interface LinearRuns {
  symbology: Linear;
  /**
   * Element widths in modules, alternately bar and space, first a bar (and last a bar). Like
   * guards, a view of a buffer shared with other symbols' runs: use the view, not its .buffer.
   */
  widths: Uint8Array;
  /** 1 where the element is a guard bar drawn down into the text band (EAN/UPC), else 0. */
  guards: Uint8Array;
  /** The characters encoded, check characters included (EAN/UPC/ITF digits, Code 39 data). */
  text: string;
  /** Sum of the widths: the symbol's width in modules without quiet zones. */
  modules: number;
}

/** Why the core refused an input, with where and what it expected. */
export interface LinearRefusal {
  status: LinearStatus;
  /** Input index of the offending character, or -1. */
  position: number;
  /** The check digit the data calls for (BAD_CHECK_DIGIT), or -1. */
  expectedCheck: number;
}

/**
 * Encodes `data` (char codes 0-255) as `symbology` with `flags` (LinearFlag bits, the wide
 * ratio in bits 8-15) and returns the runs, or the core's refusal. A char code above 255 is
 * refused as INVALID_CHARACTER at its position without calling the core; data longer than
 * LINEAR_INPUT_CAPACITY as TOO_LONG.
 */
export function encodeLinearRuns(
  symbology: Linear,
  data: string,
  flags: number,
): LinearRuns | LinearRefusal {
  if (data.length > LINEAR_INPUT_CAPACITY) {
    return { status: LinearStatus.TOO_LONG, position: -1, expectedCheck: -1 };
  }
  const view = memoryBytes();
  for (let i = 0; i < data.length; i++) {
    const code = data.charCodeAt(i);
    if (code > 0xff) {
      return { status: LinearStatus.INVALID_CHARACTER, position: i, expectedCheck: -1 };
    }
    view[INPUT + i] = code;
  }
  const status = wasm.linearEncode(symbology, data.length, flags) as LinearStatus;
  if (status !== LinearStatus.OK) {
    return {
      status,
      position: wasm.linearErrorPosition(),
      expectedCheck: wasm.linearExpectedCheck(),
    };
  }
  const count = wasm.linearElements();
  const after = memoryBytes();
  // Widths and guards share one block, filled and summed in one pass: a GS1-128 has 100-300
  // elements, past the size V8 keeps typed arrays on its heap, so each slice() was a separate
  // off-heap allocation (and a fresh Uint8Array per symbol still was, 9 % of encode + layout in
  // the profile): blocks are carved from a shared slab instead. The text by apply: spreading
  // the bytes into fromCharCode iterated them.
  const block = carve(2 * count);
  let modules = 0;
  for (let i = 0; i < count; i++) {
    const w = after[WIDTHS + i];
    block[i] = w;
    block[count + i] = after[GUARDS + i];
    modules += w;
  }
  const widths = block.subarray(0, count);
  const guards = block.subarray(count);
  const textLength = wasm.linearTextLength();
  const text = String.fromCharCode.apply(
    null,
    after.subarray(TEXT, TEXT + textLength) as unknown as number[],
  );
  return { symbology, widths, guards, text, modules };
}

/** Returns true when `outcome` is a refusal rather than runs. */
export function isRefusal(outcome: LinearRuns | LinearRefusal): outcome is LinearRefusal {
  return "status" in outcome;
}
