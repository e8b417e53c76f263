// The QR encoder (assembly/qr/, host src/engine/qr.ts) against independent truth: zxing-wasm
// decodes every symbol of a generated corpus back to exactly its data with the right symbology
// identifier; zint 2.11 (-b 58, its optimised segmentation) never needs a smaller version for
// the same data and level; with the same mask forced, zint draws the same matrix where both
// segment the same way; the standard's worked example gives the codewords.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import bwipjs from "bwip-js";
import { afterAll, describe, expect, it } from "vitest";
import { Status } from "../../src/engine/abi.js";
import type { EncodeError } from "../../src/engine/encode.js";
import { encodeQr, type QrLevel } from "../../src/engine/qr.js";
import { core, memoryBytes } from "../assembly/wasm.js";
import { decodeMatrix } from "../helpers/decode.js";
import { zintQrBatch } from "../helpers/zint.js";
import { readWithZxingReader } from "../helpers/zxing-reader.js";

const LEVELS: readonly QrLevel[] = ["L", "M", "Q", "H"];
const DIGITS = "0123456789";
const ALPHANUMERIC = `${DIGITS}ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:`;
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join("");
const LOT_CHARS = `${DIGITS}ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!%&'()*+,-./:;<=>?_"`;

// Most characters per mode at each level, version 40 (ISO/IEC 18004 Table 7): numeric,
// alphanumeric, byte.
const CAPACITY: Record<QrLevel, [number, number, number]> = {
  L: [7089, 4296, 2953],
  M: [5596, 3391, 2331],
  Q: [3993, 2420, 1663],
  H: [3057, 1852, 1273],
};

// A small seeded generator (mulberry32), so the corpus is the same on every run.
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Case {
  data: string;
  /** zint's input: the data, or for GS1 the bracketed AIs. */
  zint: string;
  level: QrLevel;
  gs1: boolean;
  kind: string;
}

function gtinWithCheck(body: string): string {
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += Number(body[i]) * (i % 2 === 0 ? 3 : 1);
  return body + String((10 - (sum % 10)) % 10);
}

// ≥ 1,000 payloads: per level, numeric, alphanumeric, printable bytes, mixed runs, Digital Link
// URIs and GS1 element strings, lengths log-uniform up to the level's version 40 capacity.
function corpus(): Case[] {
  const next = random(19);
  const pick = (chars: string, n: number) =>
    Array.from({ length: n }, () => chars[Math.floor(next() * chars.length)]).join("");
  const logLength = (max: number) => Math.max(1, Math.floor(Math.exp(next() * Math.log(max))));
  const cases: Case[] = [];
  for (const level of LEVELS) {
    const [numeric, alphanumeric, bytes] = CAPACITY[level];
    for (let i = 0; i < 45; i++) {
      const n = pick(DIGITS, logLength(numeric));
      cases.push({ data: n, zint: n, level, gs1: false, kind: "numeric" });
      const a = pick(ALPHANUMERIC, logLength(alphanumeric));
      cases.push({ data: a, zint: a, level, gs1: false, kind: "alphanumeric" });
      const b = pick(PRINTABLE, logLength(bytes));
      cases.push({ data: b, zint: b, level, gs1: false, kind: "byte" });
      // Runs of one class each, so mode switches pay off or not depending on their lengths.
      let mixed = "";
      const target = logLength(bytes);
      while (mixed.length < target) {
        const chars = [DIGITS, ALPHANUMERIC, PRINTABLE][Math.floor(next() * 3)];
        mixed += pick(chars, 1 + Math.floor(next() * 30));
      }
      mixed = mixed.slice(0, target);
      cases.push({ data: mixed, zint: mixed, level, gs1: false, kind: "mixed" });
      const gtin = gtinWithCheck(pick(DIGITS, 13));
      const lot = pick(LOT_CHARS.replace(/[%&'"()*+,/:;<=>?]/g, ""), 1 + Math.floor(next() * 20));
      const serial = pick(`${DIGITS}ABCDEFGHIJKLMNOPQRSTUVWXYZ`, 1 + Math.floor(next() * 20));
      const host = ["https://id.gs1.org", "https://EXAMPLE.COM", "https://brand.example/dl"][i % 3];
      const uri = `${host}/01/${gtin}/10/${lot}/21/${serial}?17=2${i % 10}1231`;
      cases.push({ data: uri, zint: uri, level, gs1: false, kind: "digital-link" });
      const gsLot = pick(LOT_CHARS, 1 + Math.floor(next() * 20));
      const count = pick(DIGITS, 1 + Math.floor(next() * 8));
      const elements = `01${gtin}17${"2"}${i % 10}1231` + `10${gsLot}\x1d30${count}\x1d21${serial}`;
      const bracketed = `[01]${gtin}[17]2${i % 10}1231[10]${gsLot}[30]${count}[21]${serial}`;
      cases.push({ data: elements, zint: bracketed, level, gs1: true, kind: "gs1" });
    }
  }
  return cases;
}

const CASES = corpus();
const dir = mkdtempSync(join(tmpdir(), "qr-zint-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sideOfVersion(version: number): number {
  return version * 4 + 17;
}

describe("QR encoder", () => {
  it("decodes (zxing-wasm) to exactly the data, ]Q1 plain and ]Q3 GS1, over the corpus", async () => {
    expect(CASES.length).toBeGreaterThanOrEqual(1000);
    const versions = new Set<number>();
    for (const c of CASES) {
      const symbol = encodeQr(c.data, { level: c.level, gs1: c.gs1 });
      versions.add(symbol.version);
      expect(symbol.rows).toBe(sideOfVersion(symbol.version));
      const read = await decodeMatrix(
        symbol.rows,
        symbol.columns,
        symbol.modules,
        2,
        4,
        undefined,
        "QRCode",
      );
      expect(read.text, `${c.kind} ${c.level} ${JSON.stringify(c.data.slice(0, 40))}`).toBe(c.data);
      expect(read.symbologyIdentifier).toBe(c.gs1 ? "]Q3" : "]Q1");
    }
    // The corpus reaches small and large versions alike.
    expect(versions.has(1)).toBe(true);
    expect(versions.has(40)).toBe(true);
    expect(versions.size).toBeGreaterThanOrEqual(35);
  }, 240_000);

  it("never needs a larger version than zint for the same data and level", () => {
    let smaller = 0;
    for (const level of LEVELS) {
      for (const gs1 of [false, true]) {
        const cases = CASES.filter((c) => c.level === level && c.gs1 === gs1);
        const theirs = zintQrBatch(
          cases.map((c) => c.zint),
          { level, gs1 },
          dir,
        );
        expect(theirs).toHaveLength(cases.length);
        cases.forEach((c, i) => {
          const ours = encodeQr(c.data, { level, gs1 }).rows;
          expect(
            ours,
            `${c.kind} ${level} ${JSON.stringify(c.data.slice(0, 40))}`,
          ).toBeLessThanOrEqual(theirs[i].length);
          if (ours < theirs[i].length) smaller++;
        });
      }
    }
    console.log(`QR versions: smaller than zint's for ${smaller} of ${CASES.length} payloads`);
  }, 120_000);

  it("reads back with ZXingReader (zxing-cpp CLI): exact bytes, identifier and EC level (every 4th payload)", async () => {
    const sample = CASES.filter((_, i) => i % 4 === 0);
    const symbols = sample.map((c) => encodeQr(c.data, { level: c.level, gs1: c.gs1 }));
    const read = await readWithZxingReader(symbols, dir);
    sample.forEach((c, i) => {
      const what = `${c.kind} ${c.level} ${JSON.stringify(c.data.slice(0, 40))}`;
      expect(Buffer.from(read[i].bytes ?? []).toString("latin1"), what).toBe(c.data);
      expect(read[i].identifier, what).toBe(c.gs1 ? "]Q3" : "]Q1");
      expect(read[i].ecLevel, what).toBe(c.level);
    });
  }, 120_000);

  it("never needs a larger version than bwip-js (BWIPP qrcode / gs1qrcode) for the same data and level", () => {
    // Every 6th payload: BWIPP in JavaScript takes milliseconds a symbol. gs1qrcode reads the
    // bracketed form, which cannot carry a literal parenthesis in a value.
    const sample = CASES.filter((c, i) => i % 6 === 0 && !(c.gs1 && /[()]/.test(c.zint)));
    let smaller = 0;
    for (const c of sample) {
      const ours = encodeQr(c.data, { level: c.level, gs1: c.gs1 }).rows;
      const [theirs] = c.gs1
        ? bwipjs.raw("gs1qrcode", c.zint.replace(/\[/g, "(").replace(/\]/g, ")"), {
            eclevel: c.level,
          })
        : bwipjs.raw("qrcode", c.data, { eclevel: c.level });
      expect(
        ours,
        `${c.kind} ${c.level} ${JSON.stringify(c.data.slice(0, 40))}`,
      ).toBeLessThanOrEqual(theirs.pixx);
      if (ours < theirs.pixx) smaller++;
    }
    console.log(`QR versions: smaller than bwip-js's for ${smaller} of ${sample.length} payloads`);
  }, 240_000);

  it("draws zint's matrix when both use the same mask and segmentation (numeric, alphanumeric, byte)", () => {
    // Single-class data leaves one optimal segmentation in practice, so any difference would
    // be in codewords, placement, masking or format/version information.
    const sample = CASES.filter(
      (c, i) => !c.gs1 && ["numeric", "alphanumeric", "byte"].includes(c.kind) && i % 7 === 0,
    );
    let compared = 0;
    for (const mask of [0, 1, 2, 3, 4, 5, 6, 7]) {
      for (const level of LEVELS) {
        const cases = sample.filter((c) => c.level === level).slice(mask, mask + 3);
        if (cases.length === 0) continue;
        const theirs = zintQrBatch(
          cases.map((c) => c.zint),
          { level, mask },
          dir,
        );
        cases.forEach((c, i) => {
          const symbol = encodeQr(c.data, { level, mask });
          const rows: string[] = [];
          for (let r = 0; r < symbol.rows; r++) {
            rows.push(
              Array.from(symbol.modules.subarray(r * symbol.rows, (r + 1) * symbol.rows)).join(""),
            );
          }
          expect(rows, `${c.kind} ${level} mask ${mask} v${symbol.version}`).toEqual(theirs[i]);
          compared++;
        });
      }
    }
    expect(compared).toBeGreaterThanOrEqual(40);
  }, 60_000);

  it("makes the codewords of the standard's worked example (ISO/IEC 18004 Annex I: 01234567, 1-M)", () => {
    const input = core.qrInputOffset();
    memoryBytes().set(Buffer.from("01234567", "latin1"), input);
    expect(core.qrEncode(8, 1, 0, -1)).toBe(Status.OK);
    expect(core.qrVersion()).toBe(1);
    const at = core.qrCodewordsOffset();
    const codewords = Array.from(memoryBytes().subarray(at, at + 26));
    // Data: 0001 0000001000 0000001100 0101011001 1000011 0000, padded with 236/17.
    expect(codewords.slice(0, 16)).toEqual([
      0x10, 0x20, 0x0c, 0x56, 0x61, 0x80, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec,
      0x11,
    ]);
    expect(codewords.slice(16)).toEqual([165, 36, 212, 193, 237, 54, 199, 135, 44, 85]);
  });

  it("uses GF(256) over 0x11D for QR and 0x12D for ECC 200 from one implementation", () => {
    // α^8 reduces by the polynomial's low bits: 0x11D → 0x1D, 0x12D → 0x2D.
    expect(core.qrGfExp(8)).toBe(0x1d);
    expect(core.gfExp(8)).toBe(0x2d);
    expect(core.qrGfMultiply(0x80, 2)).toBe(0x1d);
    const seen = new Set<number>();
    for (let i = 0; i < 255; i++) seen.add(core.qrGfExp(i));
    expect(seen.size).toBe(255);
  });

  it("refuses what it cannot encode with a status naming why", () => {
    const fail = (data: string, options: Parameters<typeof encodeQr>[1]) => {
      try {
        encodeQr(data, options);
      } catch (error) {
        return (error as EncodeError).status;
      }
      return Status.OK;
    };
    expect(fail("", {})).toBe(Status.EMPTY);
    expect(fail("1".repeat(7090), { level: "L" })).toBe(Status.INPUT_TOO_LONG);
    expect(fail("1".repeat(7089), { level: "L" })).toBe(Status.OK);
    expect(fail("1".repeat(3058), { level: "H" })).toBe(Status.TOO_LONG);
    expect(fail("x".repeat(2954), { level: "L" })).toBe(Status.TOO_LONG);
    expect(fail("x".repeat(2953), { level: "L" })).toBe(Status.OK);
    expect(fail("01\xe9", { gs1: true })).toBe(Status.INVALID_BYTE);
    expect(fail("1", { level: "X" as QrLevel })).toBe(Status.BAD_LEVEL);
    expect(() => encodeQr("1", { mask: 8 })).toThrow(RangeError);
  });
});
