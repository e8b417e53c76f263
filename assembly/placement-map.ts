// Placement by map: the Annex F sweep (placement.ts) depends on the size alone, so for each size
// it is run once to learn which codeword bit every mapping module holds, and then placing a
// symbol is one load and one store per module instead of the sweep's shape and edge logic.
// The map is read off placement.ts itself (probe codewords whose bits spell each bit's own
// number), so the sweep stays written once.
import { MAX_CODEWORDS } from "../src/engine/abi";
import { placeCodewords } from "./placement";
import { sizeCount, sizeMappingColumns, sizeMappingRows } from "./symbols";

// Bits needed for a bit number (codeword · 8 + position): 2178 codewords · 8 < 2^15.
const ID_BITS = 15;
// Map entries of the lower-right fixed pattern (Annex F.3), above every bit number.
const FIXED_LIGHT: u32 = 0xfffe;
const FIXED_DARK: u32 = 0xffff;

// Mapping modules of all 48 sizes together (checked against the size table below).
const MAP_ENTRIES = 106432;
// The maps of every size, back to back, one u16 per mapping module (213 KB for all).
const MAPS = memory.data(MAP_ENTRIES * 2, 2);
// Per size: the address of its map, and whether it is built yet.
const MAP_AT = memory.data(48 * 4, 4);
const BUILT = memory.data(48);
// Codewords whose bits spell their own numbers, for one pass of build().
const PROBE = memory.data(MAX_CODEWORDS);

{
  let at: usize = MAPS;
  for (let i = 0; i < sizeCount(); i++) {
    store<u32>(MAP_AT + ((<usize>i) << 2), <u32>at);
    at += <usize>(sizeMappingRows(i) * sizeMappingColumns(i) * 2);
  }
  assert(at == MAPS + <usize>(MAP_ENTRIES * 2), "MAP_ENTRIES does not match the size table");
}

function mapOf(index: i32): usize {
  return <usize>load<u32>(MAP_AT + ((<usize>index) << 2));
}

// Builds size `index`'s map in MAPS, using `scratch` (its mapping matrix) for the probe runs.
function build(index: i32, scratch: usize): void {
  const nrow = sizeMappingRows(index);
  const ncol = sizeMappingColumns(index);
  const cells = nrow * ncol;
  const map = mapOf(index);
  memory.fill(map, 0, <usize>(cells * 2));
  const codewords = cells >> 3;
  // Pass k: bit p (mask 0x80 >> p) of codeword c is bit k of its number c · 8 + p.
  for (let k = 0; k < ID_BITS; k++) {
    for (let c = 0; c < codewords; c++) {
      let value = 0;
      for (let p = 0; p < 8; p++) value |= (((c * 8 + p) >> k) & 1) << (7 - p);
      store<u8>(PROBE + <usize>c, <u8>value);
    }
    placeCodewords(PROBE, nrow, ncol, scratch);
    for (let i = 0; i < cells; i++) {
      const entry = map + ((<usize>i) << 1);
      const bit = <u32>(load<u8>(scratch + <usize>i) & 1);
      store<u16>(entry, <u16>(<u32>load<u16>(entry) | (bit << k)));
    }
  }
  // The fixed pattern's modules keep their colour whatever the codewords: all light and all
  // dark codewords find them.
  for (let pass = 0; pass < 2; pass++) {
    memory.fill(PROBE, pass == 0 ? 0 : 0xff, <usize>codewords);
    placeCodewords(PROBE, nrow, ncol, scratch);
    for (let i = 0; i < cells; i++) {
      const bit = load<u8>(scratch + <usize>i) & 1;
      if (pass == 0 && bit == 1) store<u16>(map + ((<usize>i) << 1), <u16>FIXED_DARK);
      if (pass == 1 && bit == 0) store<u16>(map + ((<usize>i) << 1), <u16>FIXED_LIGHT);
    }
  }
  store<u8>(BUILT + <usize>index, 1);
}

/**
 * Places the codewords at `codewords` into the mapping matrix of size `index` (0..47) at `out`
 * as placeCodewords() does, bit 0 of each byte the module, but without the visit counts above
 * it (frame.ts reads bit 0 alone). The first call for a size builds its map with
 * placeCodewords() over `out`.
 */
export function placeByMap(codewords: usize, index: i32, out: usize): void {
  if (load<u8>(BUILT + <usize>index) == 0) build(index, out);
  const cells = sizeMappingRows(index) * sizeMappingColumns(index);
  const map = mapOf(index);
  for (let i = 0; i < cells; i++) {
    const id = <u32>load<u16>(map + ((<usize>i) << 1));
    let bit: u32;
    if (id >= FIXED_LIGHT) bit = id - FIXED_LIGHT;
    else bit = (<u32>load<u8>(codewords + <usize>(id >> 3)) >> (7 - (id & 7))) & 1;
    store<u8>(out + <usize>i, <u8>bit);
  }
}
