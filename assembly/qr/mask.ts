// Data masking (ISO/IEC 18004:2015 7.8): the eight mask patterns, applied to non-function
// modules only, and the penalty score of the four rules (7.8.3.1) the encoder minimises.
// Rule 3 counts a 1:1:3:1:1 finder-like run with 4 light modules on either side, modules
// outside the symbol counting as light (the quiet zone), once per occurrence, as zxing-cpp and
// ZXing's MaskUtil do; rule 4 scores each full 5 % step away from half dark.

const N1 = 3;
const N2 = 3;
const N3 = 40;
const N4 = 10;

/** Returns true when mask `mask` (0..7) inverts module (x = column, y = row). */
export function maskInverts(mask: i32, x: i32, y: i32): bool {
  switch (mask) {
    case 0:
      return (x + y) % 2 == 0;
    case 1:
      return y % 2 == 0;
    case 2:
      return x % 3 == 0;
    case 3:
      return (x + y) % 3 == 0;
    case 4:
      return (x / 3 + y / 2) % 2 == 0;
    case 5:
      return ((x * y) % 2) + ((x * y) % 3) == 0;
    case 6:
      return (((x * y) % 2) + ((x * y) % 3)) % 2 == 0;
    default:
      return (((x + y) % 2) + ((x * y) % 3)) % 2 == 0;
  }
}

// Every mask repeats every 12 modules both ways (its terms are periodic in 2, 3, 4 or 6), so
// one 12x12 tile per mask, built once, replaces the divisions of maskInverts() per module.
const TILE = 12;
const TILES = memory.data(8 * TILE * TILE);
for (let m = 0; m < 8; m++) {
  for (let y = 0; y < TILE; y++) {
    for (let x = 0; x < TILE; x++) {
      store<u8>(TILES + <usize>((m * TILE + y) * TILE + x), maskInverts(m, x, y) ? 1 : 0);
    }
  }
}

/** Inverts the non-function modules of the size x size matrix that `mask` selects (self-inverse). */
export function applyMask(modules: usize, functions: usize, size: i32, mask: i32): void {
  const tile = TILES + <usize>(mask * TILE * TILE);
  for (let y = 0; y < size; y++) {
    const tileRow = tile + <usize>((y % TILE) * TILE);
    const row = <usize>(y * size);
    let tx = 0;
    for (let x = 0; x < size; x++) {
      const at = row + <usize>x;
      // Function modules are 1 in `functions`: 1 - f keeps them as they are.
      const flip = load<u8>(tileRow + <usize>tx) & (1 - load<u8>(functions + at));
      store<u8>(modules + at, load<u8>(modules + at) ^ flip);
      if (++tx == TILE) tx = 0;
    }
  }
}

// Rules 1 and 3 along one line of `size` modules from `start`, `step` bytes apart (1: a row,
// size: a column). Modules beyond the ends count as light.
function linePenalty(start: usize, step: usize, size: i32): i32 {
  let penalty = 0;
  let colour = <i32>load<u8>(start);
  let run = 1;
  for (let i = 1; i < size; i++) {
    const here = <i32>load<u8>(start + <usize>i * step);
    if (here == colour) {
      run++;
    } else {
      if (run >= 5) penalty += N1 + run - 5;
      colour = here;
      run = 1;
    }
  }
  if (run >= 5) penalty += N1 + run - 5;
  for (let i = 0; i + 6 < size; i++) {
    const p = start + <usize>i * step;
    if (
      load<u8>(p) == 1 &&
      load<u8>(p + step) == 0 &&
      load<u8>(p + 2 * step) == 1 &&
      load<u8>(p + 3 * step) == 1 &&
      load<u8>(p + 4 * step) == 1 &&
      load<u8>(p + 5 * step) == 0 &&
      load<u8>(p + 6 * step) == 1 &&
      (lightRun(start, step, size, i - 4) || lightRun(start, step, size, i + 7))
    ) {
      penalty += N3;
    }
  }
  return penalty;
}

// True when modules [from, from + 4) of the line are all light (outside the symbol counts light).
function lightRun(start: usize, step: usize, size: i32, from: i32): bool {
  for (let i = max(from, 0); i < min(from + 4, size); i++) {
    if (load<u8>(start + <usize>i * step) != 0) return false;
  }
  return true;
}

/**
 * Returns the penalty score of the size x size matrix `modules` (row-major, 1 = dark), module by
 * module: the plain statement of the rules, against which the tests check the packed scorer
 * the encoder uses (mask-choice.ts).
 */
export function penaltyScore(modules: usize, size: i32): i32 {
  let penalty = 0;
  for (let i = 0; i < size; i++) {
    penalty += linePenalty(modules + <usize>(i * size), 1, size);
    penalty += linePenalty(modules + <usize>i, <usize>size, size);
  }
  let dark = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const here = load<u8>(modules + <usize>(y * size + x));
      dark += <i32>here;
      if (
        x + 1 < size &&
        y + 1 < size &&
        here == load<u8>(modules + <usize>(y * size + x + 1)) &&
        here == load<u8>(modules + <usize>((y + 1) * size + x)) &&
        here == load<u8>(modules + <usize>((y + 1) * size + x + 1))
      ) {
        penalty += N2;
      }
    }
  }
  const total = size * size;
  penalty += ((abs(dark * 2 - total) * 10) / total) * N4;
  return penalty;
}
