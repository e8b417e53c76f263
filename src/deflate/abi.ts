// Numbers shared by the deflate core (assembly/deflate/) and its host (src/deflate/deflate.ts).
// Plain constants only: this file is compiled by asc as well as tsc.

/**
 * Most input bytes one deflateRaw call takes (and the size of its output region). A label's SVG
 * is 1–100 KiB; a larger input is the host's to compress another way.
 */
export const DEFLATE_CAPACITY = 262144;

/** deflateRaw's answer when raw deflate would not be smaller than the input: store it instead. */
export const NOT_SMALLER = -1;
