// Symbol size against the encoders a user would pick instead (../shared/reference/anchors.md):
// over a seeded corpus of realistic GS1 payloads, our square symbol is never larger than the
// smallest of zint 2.11 (default minimal encodation and --fast), libdmtx's optimising mode
// (dmtxwrite -e b) and bwip-js; the test prints how often it is strictly smaller.

import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import bwipjs from "bwip-js";
import { afterAll, describe, expect, it } from "vitest";
import { EncodeFlag, ShapeMask, Status } from "../../src/engine/abi.js";
import { core, memoryBytes, sizes } from "../assembly/wasm.js";
import { CSET82, checkDigit, seededRandom } from "../helpers/corpus.js";
import { zintBatchSides } from "../helpers/zint.js";

const SEED = 1126;
const COUNT = 1000;
const run = promisify(execFile);

type Field = [ai: string, value: string];

const DIGITS = "0123456789";
const CAPITALS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const SMALLS = "abcdefghijklmnopqrstuvwxyz";
// Lot and serial alphabets as labels carry them: digit-heavy, capitals and digits, with dashes
// and slashes, small letters, all of CSET 82.
const ALPHABETS = [
  DIGITS,
  `${DIGITS}${DIGITS}${DIGITS}A`,
  CAPITALS + DIGITS,
  `${CAPITALS}${DIGITS}-/.`,
  SMALLS + DIGITS,
  CSET82,
];

/** Returns `count` payloads: GTIN-14 (valid check digit), optional expiry, lot and/or serial. */
function payloads(count: number, seed: number): Field[][] {
  const rnd = seededRandom(seed);
  const pick = (s: string) => s[Math.floor(rnd() * s.length)];
  const text = () => {
    const alphabet = ALPHABETS[Math.floor(rnd() * ALPHABETS.length)];
    const length = rnd() < 0.15 ? 20 : 1 + Math.floor(rnd() * 20);
    return Array.from({ length }, () => pick(alphabet)).join("");
  };
  const out: Field[][] = [];
  for (let n = 0; n < count; n++) {
    const body = Array.from({ length: 13 }, () => pick(DIGITS)).join("");
    const fields: Field[] = [["01", body + checkDigit(body)]];
    if (rnd() < 0.7) {
      const yy = String(Math.floor(rnd() * 100)).padStart(2, "0");
      const mm = String(1 + Math.floor(rnd() * 12)).padStart(2, "0");
      const dd = String(Math.floor(rnd() * 29)).padStart(2, "0");
      fields.push(["17", yy + mm + dd]);
    }
    const which = rnd();
    if (which < 0.75) fields.push(["10", text()]);
    if (which >= 0.45) fields.push(["21", text()]);
    out.push(fields);
  }
  return out;
}

/** The element string: fixed-length fields first, GS only between variable-length fields. */
function elementString(fields: Field[]): string {
  let s = "";
  let afterVariable = false;
  for (const [ai, value] of fields) {
    s += (afterVariable ? "\x1d" : "") + ai + value;
    afterVariable = ai === "10" || ai === "21";
  }
  return s;
}

const CORPUS = payloads(COUNT, SEED);
const dir = mkdtempSync(join(tmpdir(), "dm-minimality-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Our square symbol's side for each payload, from the core's encode(). */
function ours(): number[] {
  return CORPUS.map((fields) => {
    const input = elementString(fields);
    memoryBytes().set(
      Uint8Array.from(input, (c) => c.charCodeAt(0)),
      core.inputOffset(),
    );
    expect(core.encode(input.length, ShapeMask.SQUARE, EncodeFlag.GS1)).toBe(Status.OK);
    return core.symbolRows();
  });
}

/** zint over the whole corpus in one process; returns each symbol's side. */
function zint(extra: string[]): number[] {
  const lines = CORPUS.map((f) => f.map(([ai, value]) => `[${ai}]${value}`).join(""));
  return zintBatchSides(lines, extra, dir);
}

/** libdmtx's optimising encodation (-e b), FNC1 as a leading or separating GS (-G 29). */
async function dmtxwrite(): Promise<number[]> {
  const sideOf = new Map(
    sizes()
      .filter((s) => s.family === ShapeMask.SQUARE)
      .map((s) => [s.capacity, s.rows]),
  );
  const sides: number[] = new Array(CORPUS.length);
  let next = 0;
  const lane = async () => {
    while (next < CORPUS.length) {
      const i = next++;
      const child = run("dmtxwrite", ["-G", "29", "-e", "b", "-s", "s", "-c", "-o", "/dev/null"], {
        encoding: "latin1",
      });
      child.child.stdin?.end(`\x1d${elementString(CORPUS[i])}`, "latin1");
      const { stdout } = await child;
      // -c lists data codewords (pads included) as "d:NNN": their number is the capacity.
      const capacity = stdout.split("\n").filter((line) => line.startsWith("d:")).length;
      sides[i] = sideOf.get(capacity) ?? Number.NaN;
    }
  };
  await Promise.all(Array.from({ length: 6 }, lane));
  return sides;
}

/** bwip-js (BWIPP) Data Matrix with FNC1 written as ^FNC1 (what gs1datamatrix builds). */
function bwip(): number[] {
  return CORPUS.map((fields) => {
    const text = `^FNC1${elementString(fields).replaceAll("\x1d", "^FNC1")}`;
    const [symbol] = bwipjs.raw("datamatrix", text, { parsefnc: true }) as { pixy: number }[];
    return symbol.pixy;
  });
}

describe(`symbol size over ${COUNT} GS1 payloads (seed ${SEED})`, () => {
  it("is never larger than the smallest of zint, zint --fast, libdmtx -e b and bwip-js", async () => {
    const mine = ours();
    const others = {
      "zint 2.11": zint([]),
      "zint 2.11 --fast": zint(["--fast"]),
      "libdmtx -e b": await dmtxwrite(),
      "bwip-js": bwip(),
    };
    const names = Object.keys(others) as (keyof typeof others)[];
    for (const name of names) expect(others[name]).toHaveLength(COUNT);

    const larger: string[] = [];
    let smallerThanBest = 0;
    for (let i = 0; i < COUNT; i++) {
      const best = Math.min(...names.map((name) => others[name][i]));
      if (mine[i] > best)
        larger.push(`${JSON.stringify(elementString(CORPUS[i]))}: ${mine[i]} > ${best}`);
      if (mine[i] < best) smallerThanBest++;
    }
    const report = names.map((name) => {
      const smaller = mine.filter((side, i) => side < others[name][i]).length;
      return `smaller than ${name}: ${smaller}`;
    });
    console.log(
      `minimality over ${COUNT} payloads: ${report.join(", ")}; smaller than the best of all four: ${smallerThanBest}`,
    );
    expect(larger).toEqual([]);
  }, 240_000);
});
