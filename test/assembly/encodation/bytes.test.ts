// Round trip of plain (non-GS1) byte strings: what GS1 data never has but the planner must still
// get right, i.e. bytes above 127 (upper shift, Base 256 with one- and two-codeword lengths and
// the "to the end" length 0), control characters, CR for X12. Read back by zxing-wasm as bytes.
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../helpers/corpus.js";
import { plan, planSmallestSquare, readSymbol, SQUARES, symbolFromCodewords } from "./plan.js";

const SEED = 7;
const COUNT = 300;

const PIECES = [
  "0123456789",
  "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  "abcdefghijklmnopqrstuvwxyz",
  "\r*> ",
  "!\"#$%&'()*+,-./:;<=>?@[\\]^_",
  "\x00\x01\x1d\x1e\x7f",
  String.fromCharCode(...Array.from({ length: 128 }, (_, i) => 128 + i)),
];

/** Returns `count` byte strings of 1..60 bytes (1 in 10 of 250..320 high bytes) from `seed`. */
function byteStrings(count: number, seed: number): string[] {
  const rnd = seededRandom(seed);
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    const long = rnd() < 0.1;
    const length = long ? 250 + Math.floor(rnd() * 70) : 1 + Math.floor(rnd() * 60);
    const weights = PIECES.map((_, i) => (long && i === PIECES.length - 1 ? 20 : rnd()));
    const total = weights.reduce((a, b) => a + b, 0);
    let s = "";
    for (let i = 0; i < length; i++) {
      let r = rnd() * total;
      let k = 0;
      while (r > weights[k]) r -= weights[k++];
      const piece = PIECES[k];
      s += piece[Math.floor(rnd() * piece.length)];
    }
    out.push(s);
  }
  return out;
}

describe(`round trip of ${COUNT} plain byte strings (seed ${SEED})`, () => {
  it("reads back exactly the bytes with ]d1, at the smallest square size and the next one", async () => {
    for (const input of byteStrings(COUNT, SEED)) {
      const { size } = planSmallestSquare(input, false);
      const next = SQUARES[SQUARES.findIndex((s) => s.index === size.index) + 1];
      for (const s of [size, next]) {
        const written = plan(input, false, s.capacity);
        const read = await readSymbol(
          s.rows,
          s.columns,
          symbolFromCodewords(written?.length ?? -1, s),
        );
        expect({ size: s.rows, text: read.text, id: read.symbologyIdentifier }).toEqual({
          size: s.rows,
          text: input,
          id: "]d1",
        });
      }
    }
  });
});
