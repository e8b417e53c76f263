// One entry for every 1D symbology: clears the result, checks the common arguments and hands
// the input to the symbology's encoder.
import { LINEAR_INPUT_CAPACITY, Linear, LinearFlag, LinearStatus } from "../../src/engine/abi";
import { encodeCode39 } from "./code39";
import { encodeCode128 } from "./code128";
import { encodeEan8, encodeEan13, encodeUpce } from "./ean-upc";
import { encodeItf14 } from "./itf";
import { clearRuns, dropRuns } from "./runs";

/**
 * Encodes the `length` input bytes as `symbology` (a Linear value) with `flags` (LinearFlag bits
 * in the low byte, the wide-to-narrow ratio 2 or 3 in bits 8-15 for ITF-14 and Code 39). Returns
 * a LinearStatus; on OK the runs, guards and text are in the regions of runs.ts, and after a
 * failure they are empty.
 */
export function encodeLinear(symbology: i32, length: i32, flags: i32): i32 {
  clearRuns();
  if (length <= 0) return LinearStatus.EMPTY;
  if (length > LINEAR_INPUT_CAPACITY) return LinearStatus.TOO_LONG;
  const wide = (flags >> 8) & 0xff;
  let status: i32;
  if (symbology == Linear.EAN13) status = encodeEan13(length, false);
  else if (symbology == Linear.UPCA) status = encodeEan13(length, true);
  else if (symbology == Linear.EAN8) status = encodeEan8(length);
  else if (symbology == Linear.UPCE) status = encodeUpce(length);
  else if (symbology == Linear.CODE128)
    status = encodeCode128(length, (flags & LinearFlag.GS1) != 0);
  else if (symbology == Linear.ITF14 || symbology == Linear.CODE39) {
    if (wide != 2 && wide != 3) return LinearStatus.BAD_RATIO;
    status =
      symbology == Linear.ITF14
        ? encodeItf14(length, wide)
        : encodeCode39(length, wide, (flags & LinearFlag.CHECK) != 0);
  } else return LinearStatus.UNKNOWN_SYMBOLOGY;
  if (status != LinearStatus.OK) dropRuns();
  return status;
}
