// Fixed memory regions of the QR encoder, apart from the ECC 200 ones (a QR symbol is larger:
// 177x177 modules, 3706 codewords, 7089 input digits). Static, so no call allocates.
import { QR_INPUT_CAPACITY, QR_MAX_MODULES } from "../../src/engine/abi";

/** Most codewords of any version: 40 holds 3706. */
export const QR_MAX_CODEWORDS = 3706;

/** Input bytes written by the host before qrEncode(); QR_INPUT_CAPACITY bytes. */
export const QR_INPUT: usize = memory.data(QR_INPUT_CAPACITY);

/** The data codewords, block after block (before interleaving); QR_MAX_CODEWORDS bytes. */
export const QR_DATA: usize = memory.data(QR_MAX_CODEWORDS);

/** The final codeword sequence, interleaved data then interleaved check codewords. */
export const QR_CODEWORDS: usize = memory.data(QR_MAX_CODEWORDS);

/** The module matrix of the last symbol, row-major, one byte per module, 1 = dark. */
export const QR_MODULES: usize = memory.data(QR_MAX_MODULES);

/** 1 where the last symbol has a function module (finder, timing, alignment, format, version). */
export const QR_FUNCTION: usize = memory.data(QR_MAX_MODULES);

/** States the segmenter tracks per input character (see segmenter.ts). */
export const SEGMENT_STATES = 6;

/** The segmenter's back pointers: SEGMENT_STATES bytes per input character. */
export const QR_BACK: usize = memory.data(QR_INPUT_CAPACITY * SEGMENT_STATES);

/** The mode chosen for each input character by the last segmentation; one byte per character. */
export const QR_MODES: usize = memory.data(QR_INPUT_CAPACITY);
