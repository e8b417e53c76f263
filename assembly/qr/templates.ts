// The picture every symbol of a version starts from: its function patterns and version
// information, format areas light, in QR_MODULES, and its function map in QR_FUNCTION. Both
// depend on the version alone, so they are drawn once and copied after: versions 1 to
// SMALL_VERSIONS (the Digital Links and element strings of most labels; a run alternates
// between neighbouring versions) each keep their own copy, larger ones share one slot.
import { QR_MAX_MODULES } from "../../src/engine/abi";
import { drawVersion } from "./format";
import { drawFunctionPatterns, useSymbol } from "./function-patterns";
import { QR_FUNCTION, QR_MODULES } from "./regions";
import { versionSize } from "./versions";

/** Versions that keep a copy each (their sides are at most 57 modules). */
export const SMALL_VERSIONS = 10;
const SMALL_CELLS = 57 * 57;

const SMALL_PICTURES = memory.data(SMALL_VERSIONS * SMALL_CELLS);
const SMALL_MAPS = memory.data(SMALL_VERSIONS * SMALL_CELLS);
const SMALL_DRAWN = memory.data(SMALL_VERSIONS);
// The shared slot of the larger versions: its version (0: none), picture and map.
let largeVersion = 0;
const LARGE_PICTURE = memory.data(QR_MAX_MODULES);
const LARGE_MAP = memory.data(QR_MAX_MODULES);
// The version whose function map QR_FUNCTION holds now (0: none), so an unchanged one is not
// copied again.
let mapVersion = 0;

/**
 * Starts a symbol of `version` (1..40): its function patterns, version information and light
 * format areas in QR_MODULES (the rest light), its function map in QR_FUNCTION, and both made
 * the current symbol of function-patterns.ts (for format.ts to draw into).
 */
export function startSymbol(version: i32): void {
  const cells = <usize>(versionSize(version) * versionSize(version));
  let picture: usize;
  let map: usize;
  let drawn: bool;
  if (version <= SMALL_VERSIONS) {
    const slot = <usize>(version - 1);
    picture = SMALL_PICTURES + slot * SMALL_CELLS;
    map = SMALL_MAPS + slot * SMALL_CELLS;
    drawn = load<u8>(SMALL_DRAWN + slot) != 0;
    if (!drawn) store<u8>(SMALL_DRAWN + slot, 1);
  } else {
    picture = LARGE_PICTURE;
    map = LARGE_MAP;
    drawn = largeVersion == version;
    largeVersion = version;
  }
  if (!drawn) {
    drawFunctionPatterns(version, QR_MODULES, QR_FUNCTION);
    drawVersion(version);
    memory.copy(picture, QR_MODULES, cells);
    memory.copy(map, QR_FUNCTION, cells);
  } else {
    useSymbol(version, QR_MODULES, QR_FUNCTION);
    memory.copy(QR_MODULES, picture, cells);
    if (mapVersion != version) memory.copy(QR_FUNCTION, map, cells);
  }
  mapVersion = version;
}
