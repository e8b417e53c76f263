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

/** Inverts the non-function modules of the size x size matrix that `mask` selects (self-inverse). */
export function applyMask(modules: usize, functions: usize, size: i32, mask: i32): void {
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const at = <usize>(y * size + x);
      if (load<u8>(functions + at) == 0 && maskInverts(mask, x, y)) {
        store<u8>(modules + at, load<u8>(modules + at) ^ 1);
      }
    }
  }
}

// Module at (along, across) read along rows (`vertical` false) or columns; outside is light.
function moduleAt(modules: usize, size: i32, along: i32, across: i32, vertical: bool): i32 {
  if (along < 0 || along >= size) return 0;
  const at = vertical ? along * size + across : across * size + along;
  return <i32>load<u8>(modules + <usize>at);
}

// Light modules at along positions [from, from + 4), all of them (outside counts light).
function lightRun(modules: usize, size: i32, from: i32, across: i32, vertical: bool): bool {
  for (let i = from; i < from + 4; i++)
    if (moduleAt(modules, size, i, across, vertical) != 0) return false;
  return true;
}

// Rules 1 and 3 along every row (vertical false) or column (true).
function linePenalty(modules: usize, size: i32, vertical: bool): i32 {
  let penalty = 0;
  for (let across = 0; across < size; across++) {
    let run = 0;
    let colour = -1;
    for (let along = 0; along < size; along++) {
      const here = moduleAt(modules, size, along, across, vertical);
      if (here == colour) {
        run++;
      } else {
        if (run >= 5) penalty += N1 + run - 5;
        colour = here;
        run = 1;
      }
      if (
        along + 6 < size &&
        here == 1 &&
        moduleAt(modules, size, along + 1, across, vertical) == 0 &&
        moduleAt(modules, size, along + 2, across, vertical) == 1 &&
        moduleAt(modules, size, along + 3, across, vertical) == 1 &&
        moduleAt(modules, size, along + 4, across, vertical) == 1 &&
        moduleAt(modules, size, along + 5, across, vertical) == 0 &&
        moduleAt(modules, size, along + 6, across, vertical) == 1 &&
        (lightRun(modules, size, along - 4, across, vertical) ||
          lightRun(modules, size, along + 7, across, vertical))
      ) {
        penalty += N3;
      }
    }
    if (run >= 5) penalty += N1 + run - 5;
  }
  return penalty;
}

/** Returns the penalty score of the size x size matrix `modules` (row-major, 1 = dark). */
export function penaltyScore(modules: usize, size: i32): i32 {
  let penalty = linePenalty(modules, size, false) + linePenalty(modules, size, true);
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
