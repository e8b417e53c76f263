// The planner's search states and the tables the search fills (planner.ts), chooses an ending
// from (end-of-data.ts) and replays (writer.ts). Static regions: no call allocates.
import { INPUT_CAPACITY } from "../../src/engine/abi";

// States, one block per scheme; the offset within a block is the number of values pending
// (C40, Text, X12: values not yet packed into a triplet; EDIFACT: values of the open group).
export const ASCII = 0;
export const C40 = 1; // 1..3
export const TEXT = 4; // 4..6
export const X12 = 7; // 7..9
export const EDIFACT = 10; // 10..13
export const BASE256 = 14;
/** Stride of the per-position tables (15 states used). */
export const STATES = 16;

/** "Unreachable": 0x3f3f3f3f, the same byte four times (clearSlot); sums stay far from overflow. */
export const INF = 0x3f3f3f3f;

// A back link packs the previous state (bits 0-3) with how many input bytes the move took
// (bits 4-5: 0 for a change of scheme, 1 for a byte, 2 for an ASCII digit pair).
export const STEP_1 = 1 << 4;
export const STEP_2 = 2 << 4;
export const STATE_MASK = 15;
export const STEP_SHIFT = 4;

// Costs live in a ring of 8 positions: a move reaches at most 2 positions ahead and the endings
// look at most 4 back from the end, so 8 hold everything the search and the endings need.
const RING_MASK = 7;
const COSTS = memory.data(8 * STATES * 4);
/** Input position where the Base 256 field of a ring slot's BASE256 state starts. */
const FIELD_STARTS = memory.data(8 * 4);
/** Back links, STATES bytes per input position 0..INPUT_CAPACITY. */
export const LINKS = memory.data((INPUT_CAPACITY + 1) * STATES);
/** ASCII codewords of the searched input's last j bytes, j = 0..7 (the endings' tails). */
const TAILS = memory.data(8 * 4);

/** Returns the address of the ring slot (STATES i32 costs) of input position `position`. */
export function slot(position: i32): usize {
  return COSTS + ((<usize>(position & RING_MASK)) << 6);
}

/** Returns the cheapest cost of `state` at `position` (one of the last 8 searched), or INF. */
export function costAt(position: i32, state: i32): i32 {
  return load<i32>(slot(position) + ((<usize>state) << 2));
}

/** Returns where the Base 256 field of the BASE256 state at `position` starts. */
export function fieldStartAt(position: i32): i32 {
  return load<i32>(FIELD_STARTS + ((<usize>(position & RING_MASK)) << 2));
}

/** Records that the Base 256 field of the BASE256 state at `position` starts at `start`. */
export function setFieldStart(position: i32, start: i32): void {
  store<i32>(FIELD_STARTS + ((<usize>(position & RING_MASK)) << 2), start);
}

/** Marks every state of ring slot `costs` unreachable (plain stores: cheaper than memory.fill). */
export function clearSlot(costs: usize): void {
  const inf64: u64 = ((<u64>INF) << 32) | <u64>INF;
  store<u64>(costs, inf64, 0);
  store<u64>(costs, inf64, 8);
  store<u64>(costs, inf64, 16);
  store<u64>(costs, inf64, 24);
  store<u64>(costs, inf64, 32);
  store<u64>(costs, inf64, 40);
  store<u64>(costs, inf64, 48);
  store<u64>(costs, inf64, 56);
}

/** Returns the back link of `state` at `position`: previous state | bytes taken << STEP_SHIFT. */
export function linkAt(position: i32, state: i32): i32 {
  return <i32>load<u8>(LINKS + ((<usize>position) << 4) + <usize>state);
}

/** Returns the ASCII codewords of the searched input's last `count` (0..7) bytes; INF past n. */
export function tailCodewords(count: i32): i32 {
  return load<i32>(TAILS + ((<usize>count) << 2));
}

/** Records tailCodewords(count) = `codewords`. */
export function setTailCodewords(count: i32, codewords: i32): void {
  store<i32>(TAILS + ((<usize>count) << 2), codewords);
}
