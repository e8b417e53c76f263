// The function patterns of a QR symbol (ISO/IEC 18004:2015 6.3): finder patterns with their
// separators, timing patterns, alignment patterns, the dark module, and the reserved format and
// version information areas. Each drawn module is marked in the function map, which placement
// skips and masking leaves alone.
import { alignmentCount, alignmentPosition, versionSize } from "./versions";

let modules: usize = 0;
let functions: usize = 0;
let size = 0;

/** Sets module (x = column, y = row) of the current symbol to `dark` and marks it a function. */
export function setFunctionModule(x: i32, y: i32, dark: bool): void {
  const at = <usize>(y * size + x);
  store<u8>(modules + at, dark ? 1 : 0);
  store<u8>(functions + at, 1);
}

// A finder pattern centred at (cx, cy) with its light separator ring, clipped to the symbol.
function drawFinder(cx: i32, cy: i32): void {
  for (let dy = -4; dy <= 4; dy++) {
    for (let dx = -4; dx <= 4; dx++) {
      const x = cx + dx;
      const y = cy + dy;
      if (x < 0 || x >= size || y < 0 || y >= size) continue;
      const ring = max(abs(dx), abs(dy));
      setFunctionModule(x, y, ring != 2 && ring != 4);
    }
  }
}

function drawAlignment(cx: i32, cy: i32): void {
  for (let dy = -2; dy <= 2; dy++) {
    for (let dx = -2; dx <= 2; dx++)
      setFunctionModule(cx + dx, cy + dy, max(abs(dx), abs(dy)) != 1);
  }
}

/**
 * Makes the `modules` and `functions` matrices of a `version` (1..40) symbol the current symbol,
 * the one setFunctionModule() (and format.ts) draw into, without drawing anything.
 */
export function useSymbol(version: i32, modulesAt: usize, functionsAt: usize): void {
  modules = modulesAt;
  functions = functionsAt;
  size = versionSize(version);
}

/**
 * Clears the `modules` and `functions` matrices of `version` (1..40, size x size bytes each,
 * row-major) and draws every function pattern: finders and separators, timing, alignment, the
 * dark module; the format areas (and version areas from 7) are reserved light, to be written by
 * format.ts. Later calls of setFunctionModule() draw into the same symbol.
 */
export function drawFunctionPatterns(version: i32, modulesAt: usize, functionsAt: usize): void {
  useSymbol(version, modulesAt, functionsAt);
  memory.fill(modules, 0, <usize>(size * size));
  memory.fill(functions, 0, <usize>(size * size));
  for (let i = 0; i < size; i++) {
    setFunctionModule(6, i, i % 2 == 0);
    setFunctionModule(i, 6, i % 2 == 0);
  }
  drawFinder(3, 3);
  drawFinder(size - 4, 3);
  drawFinder(3, size - 4);
  const count = alignmentCount(version);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < count; j++) {
      // The three corners that hold finder patterns get no alignment pattern.
      if ((i == 0 && j == 0) || (i == 0 && j == count - 1) || (i == count - 1 && j == 0)) continue;
      drawAlignment(alignmentPosition(version, i), alignmentPosition(version, j));
    }
  }
  // Format information around the finders (bits written later) and the dark module.
  for (let i = 0; i < 9; i++) {
    if (i != 6) {
      setFunctionModule(8, i, false);
      setFunctionModule(i, 8, false);
    }
  }
  for (let i = 0; i < 8; i++) {
    setFunctionModule(size - 1 - i, 8, false);
    setFunctionModule(8, size - 1 - i, false);
  }
  setFunctionModule(8, size - 8, true);
  if (version >= 7) {
    for (let i = 0; i < 18; i++) {
      setFunctionModule(size - 11 + (i % 3), i / 3, false);
      setFunctionModule(i / 3, size - 11 + (i % 3), false);
    }
  }
}
