// Round trip through the whole core: seeded random GS1-like element strings → encode() (the
// planner picks the smallest size) → module matrix → zxing-wasm (test/helpers/decode.ts) must
// give back exactly the element string with ]d2. The same inputs are also planned for the next
// two sizes up, so each end-of-data rule meets varied room; a sample also goes through dmtxread.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { EncodeFlag, ShapeMask, Status } from "../../../src/engine/abi.js";
import { CSET82, seededRandom } from "../../helpers/corpus.js";
import { decodeMatrix } from "../../helpers/decode.js";
import { withTempDir, writePng } from "../reference.js";
import { core, matrixModules, readCodewords, type Size, sizes } from "../wasm.js";
import { plan, symbolFromCodewords, writeInput } from "./plan.js";

const SEED = 20261127;
const COUNT = 1200;

const DIGITS = "0123456789";
const CAPITALS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const SMALLS = "abcdefghijklmnopqrstuvwxyz";
// Alphabets that pull the planner into each scheme: digits (ASCII pairs), capitals and digits
// (C40), small letters (Text), capitals with * and > (X12), punctuation (EDIFACT), all of CSET 82.
const ALPHABETS = [
  DIGITS,
  CAPITALS + DIGITS,
  SMALLS + DIGITS,
  `${CAPITALS}*>`,
  `${CAPITALS}!"%&'()*+,-./:;<=>?`,
  CSET82,
  CAPITALS + SMALLS,
];

/**
 * Returns `count` element strings (GS = \x1d between variable-length fields) drawn with `seed`:
 * mostly GTIN + optional date + lot and/or serial, sometimes a variable field first (so FNC1
 * lands inside other schemes), values of 1..20 characters from one or two of ALPHABETS.
 */
function elementStrings(count: number, seed: number): string[] {
  const rnd = seededRandom(seed);
  const pick = (s: string) => s[Math.floor(rnd() * s.length)];
  const value = () => {
    const a = ALPHABETS[Math.floor(rnd() * ALPHABETS.length)];
    const b = rnd() < 0.3 ? ALPHABETS[Math.floor(rnd() * ALPHABETS.length)] : a;
    const length = rnd() < 0.15 ? 20 : 1 + Math.floor(rnd() * 20);
    let s = "";
    for (let i = 0; i < length; i++) s += pick(i < length / 2 ? a : b);
    return s;
  };
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    const fixed: string[] = [];
    if (rnd() < 0.9) fixed.push(`01${Array.from({ length: 14 }, () => pick(DIGITS)).join("")}`);
    if (rnd() < 0.6) fixed.push(`17${Array.from({ length: 6 }, () => pick(DIGITS)).join("")}`);
    const variable: string[] = [];
    if (rnd() < 0.7) variable.push(`10${value()}`);
    if (rnd() < 0.6 || variable.length === 0) variable.push(`21${value()}`);
    if (rnd() < 0.1) variable.reverse();
    // Sometimes a variable field comes first: its separator then falls mid-stream.
    const parts = rnd() < 0.15 ? [...variable, ...fixed] : [...fixed, ...variable];
    let s = "";
    for (let i = 0; i < parts.length; i++) {
      const previous = parts[i - 1];
      const previousVariable = previous?.startsWith("10") || previous?.startsWith("21");
      s += (previousVariable ? "\x1d" : "") + parts[i];
    }
    out.push(s);
  }
  return out;
}

const INPUTS = elementStrings(COUNT, SEED);
const ALL = ShapeMask.SQUARE | ShapeMask.RECTANGLE | ShapeMask.DMRE;
const bySize = new Map(sizes().map((s) => [`${s.rows}x${s.columns}`, s]));

/** Encodes `input` in GS1 mode with the core's encode(); returns the size it chose. */
function encodeGs1(input: string, shapes: number): Size {
  writeInput(input);
  expect(core.encode(input.length, shapes, EncodeFlag.GS1)).toBe(Status.OK);
  const size = bySize.get(`${core.symbolRows()}x${core.symbolColumns()}`);
  if (!size) throw new Error("encode made a size the table does not have");
  return size;
}

describe(`round trip of ${COUNT} GS1 element strings (seed ${SEED})`, () => {
  it("reads back exactly the element string with ]d2 at the smallest square size", async () => {
    const firstLatches = new Map<number, number>();
    for (const input of INPUTS) {
      const size = encodeGs1(input, ShapeMask.SQUARE);
      // The first latch out of ASCII (ASCII codewords below 230 but FNC1 232 and upper shift
      // 235 do not latch), to show the corpus takes the planner into every scheme GS1 can use.
      const latch = readCodewords(core.dataLength()).find(
        (c) => c >= 230 && c !== 232 && c !== 235,
      );
      if (latch !== undefined) firstLatches.set(latch, (firstLatches.get(latch) ?? 0) + 1);
      const read = await decodeMatrix(size.rows, size.columns, matrixModules());
      expect({ input, text: read.text, id: read.symbologyIdentifier }).toEqual({
        input,
        text: input,
        id: "]d2",
      });
    }
    for (const latch of [230, 238, 239, 240]) expect(firstLatches.get(latch)).toBeGreaterThan(20);
  });

  it("reads back at the smallest of all shapes (rectangles and DMRE: other capacities)", async () => {
    for (const input of INPUTS.slice(0, 400)) {
      const size = encodeGs1(input, ALL);
      const read = await decodeMatrix(size.rows, size.columns, matrixModules());
      expect({ size: `${size.rows}x${size.columns}`, text: read.text }).toEqual({
        size: `${size.rows}x${size.columns}`,
        text: input,
      });
    }
  });

  it("reads back when planned for the next two square sizes up (more room at the end)", async () => {
    const squares = sizes()
      .filter((s) => s.family === ShapeMask.SQUARE)
      .sort((a, b) => a.capacity - b.capacity);
    for (const input of INPUTS) {
      const chosen = encodeGs1(input, ShapeMask.SQUARE).index;
      const first = squares.findIndex((s) => s.index === chosen);
      for (const size of squares.slice(first + 1, first + 3)) {
        const written = plan(input, true, size.capacity);
        expect(written, `${input} fits ${size.rows}x${size.rows}`).not.toBeNull();
        const modules = symbolFromCodewords(written?.length ?? -1, size);
        const read = await decodeMatrix(size.rows, size.columns, modules);
        expect({ size: size.rows, text: read.text }).toEqual({ size: size.rows, text: input });
      }
    }
  });

  it("fits every larger square size once it fits one (so an ascending search may stop)", () => {
    const squares = sizes().filter((s) => s.family === ShapeMask.SQUARE && s.capacity <= 204);
    for (const input of INPUTS) {
      const fits = squares.map((s) => plan(input, true, s.capacity) !== null);
      expect(fits.slice(fits.indexOf(true)).every(Boolean), input).toBe(true);
    }
  });

  it("libdmtx (dmtxread -G 29) reads a sample of 40 symbols back", async () => {
    await withTempDir(async (dir) => {
      for (const [i, input] of INPUTS.slice(0, 40).entries()) {
        const size = encodeGs1(input, ShapeMask.SQUARE);
        const file = `${dir}/${i}.png`;
        await writePng(file, size.rows, size.columns, matrixModules());
        // dmtxread prints FNC1 as the -G byte, the leading one included.
        const text = execFileSync("dmtxread", ["-G", "29", "-N1", file], { encoding: "latin1" });
        expect(text).toBe(`\x1d${input}`);
      }
    });
  });
});
