// Symbols to render in the render tests: real GS1 DataMatrix matrices from zint 2.11 (an
// independent encoder), each with the element string a decoder must return (GS = "\x1d").
import type { ModuleMatrix } from "../../src/render/runs.js";
import { zintGs1 } from "../helpers/zint.js";

/** A zint symbol with its expected size and decoded text. */
export interface Fixture {
  name: string;
  /** zint bracket syntax and flags (source: zint 2.11 --dump). */
  bracketed: string;
  flags: string[];
  rows: number;
  columns: number;
  /** The element string after FNC1, as zxing reports it (hand-written, not from zint). */
  text: string;
  /** Symbology identifier zxing reports: "]d2" (ECC 200, FNC1 first); zxing-cpp says "]d8" for DMRE. */
  symbologyIdentifier: string;
}

export const FIXTURES: readonly Fixture[] = [
  {
    name: "16x16 square",
    bracketed: "[01]00012345678905[10]A1",
    flags: ["--square"],
    rows: 16,
    columns: 16,
    text: "010001234567890510A1",
    symbologyIdentifier: "]d2",
  },
  {
    name: "22x22 square, all four AIs",
    bracketed: "[01]00012345678905[17]270630[10]LOT-A001[21]SN-0001",
    flags: ["--square"],
    rows: 22,
    columns: 22,
    text: "01000123456789051727063010LOT-A001\x1d21SN-0001",
    symbologyIdentifier: "]d2",
  },
  {
    name: "32x32 square, 20-character lot and serial",
    bracketed: "[01]00012345678905[17]270630[10]ABCDEFGHIJKLMNOPQRST[21]abcdefghijklmnopqrst",
    flags: ["--square"],
    rows: 32,
    columns: 32,
    text: "01000123456789051727063010ABCDEFGHIJKLMNOPQRST\x1d21abcdefghijklmnopqrst",
    symbologyIdentifier: "]d2",
  },
  {
    name: "12x26 rectangle",
    bracketed: "[01]00012345678905[10]A1",
    flags: ["--vers=27"],
    rows: 12,
    columns: 26,
    text: "010001234567890510A1",
    symbologyIdentifier: "]d2",
  },
  {
    name: "16x48 rectangle",
    bracketed: "[01]00012345678905[17]270630[10]LOT-A001[21]SN-0001",
    flags: ["--vers=30"],
    rows: 16,
    columns: 48,
    text: "01000123456789051727063010LOT-A001\x1d21SN-0001",
    symbologyIdentifier: "]d2",
  },
  {
    name: "8x48 DMRE",
    bracketed: "[01]00012345678905[10]A1",
    flags: ["--dmre", "--vers=31"],
    rows: 8,
    columns: 48,
    text: "010001234567890510A1",
    symbologyIdentifier: "]d8",
  },
];

const cache = new Map<string, ModuleMatrix>();

/** Returns the fixture's module matrix from zint (cached per process), checking its size. */
export function symbolOf(fixture: Fixture): ModuleMatrix {
  let symbol = cache.get(fixture.name);
  if (!symbol) {
    symbol = zintGs1(fixture.bracketed, fixture.flags);
    if (symbol.rows !== fixture.rows || symbol.columns !== fixture.columns) {
      throw new Error(`${fixture.name}: zint gave ${symbol.rows}x${symbol.columns}`);
    }
    cache.set(fixture.name, symbol);
  }
  return symbol;
}

/** The 22x22 fixture's HRI in GS1 layout, one element per line. */
export const HRI_22 = ["(01) 00012345678905", "(17) 270630", "(10) LOT-A001", "(21) SN-0001"];

/** Returns the number of dark modules in `symbol`. */
export function darkCount(symbol: ModuleMatrix): number {
  let n = 0;
  for (const m of symbol.modules) if (m !== 0) n++;
  return n;
}
