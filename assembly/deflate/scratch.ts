// Fixed memory regions of the deflate core: input, output, the LZ77 symbols between them, and
// the match finder's hash tables. Static (memory.data), so no call allocates.
import { DEFLATE_CAPACITY } from "../../src/deflate/abi";

/** Input bytes written by the host before deflateRaw(); DEFLATE_CAPACITY bytes. */
export const INPUT: usize = memory.data(DEFLATE_CAPACITY + 8);
/** The raw deflate stream of the last call; DEFLATE_CAPACITY bytes (+8 for 8-byte stores). */
export const OUTPUT: usize = memory.data(DEFLATE_CAPACITY + 8);
/** Per LZ77 symbol: a literal byte (0..255) or 256 + a match length (259..514). */
export const SYMBOLS: usize = memory.data(DEFLATE_CAPACITY << 1, 2);
/** Per LZ77 symbol: the match distance (1..32767), 0 for a literal. */
export const DISTANCES: usize = memory.data(DEFLATE_CAPACITY << 1, 2);
/** Frequencies of the literal/length (288) and distance (32) symbols of the last call (u32). */
export const LITERAL_FREQ: usize = memory.data(288 << 2, 4);
export const DISTANCE_FREQ: usize = memory.data(32 << 2, 4);
