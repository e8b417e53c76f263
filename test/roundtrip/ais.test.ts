// Any AI of the GS1 Barcode Syntax Dictionary, through the whole pipeline and back: seeded
// payloads with a GTIN, a lot and random further AIs (values made to each AI's format and
// linters, then judged by the real validator) decode with zxing-wasm to exactly our element
// string with ]d2, and that string splits back — by a reading written here from the GS1 rules,
// not by our builder — into exactly the AIs and values sent. Digital Link symbols decode to
// exactly the URI with ]d1 and parse back to the same AIs. A sample goes through libdmtx's
// dmtxread and zxing-cpp's ZXingReader as PNG files.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parseDigitalLinkUri } from "../../src/gs1/ai/digital-link-parse.js";
import { aiEntry } from "../../src/gs1/ai/lookup.js";
import { AI_TABLE } from "../../src/gs1/ai/table.generated.js";
import type { AiComponent, AiEntry } from "../../src/gs1/ai/types.js";
import { validateElement } from "../../src/gs1/ai/validate.js";
import { encode, render, ValidationError } from "../../src/index.js";
import { CSET82, checkDigit, seededRandom } from "../helpers/corpus.js";
import { decodeMatrix } from "../helpers/decode.js";

const GS = "\x1d";
const run = promisify(execFile);
const DIGITS = "0123456789";
const CSET39 = "#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const CSET64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const CHARSETS = { N: DIGITS, X: CSET82, Y: CSET39, Z: CSET64 } as const;

type Rnd = () => number;

function pick(rnd: Rnd, s: string): string {
  return s[Math.floor(rnd() * s.length)];
}

function digits(rnd: Rnd, n: number): string {
  return Array.from({ length: n }, () => pick(rnd, DIGITS)).join("");
}

/** A value for one component: its charset and a length in range, steered by its linters. */
function componentValue(rnd: Rnd, c: AiComponent): string {
  const length = c.min + Math.floor(rnd() * (c.max - c.min + 1));
  const lint = new Set(c.linters);
  if (lint.has("yymmd0") || lint.has("yymmdd")) {
    return (
      digits(rnd, 2) +
      String(1 + Math.floor(rnd() * 12)).padStart(2, "0") +
      String(1 + Math.floor(rnd() * 28)).padStart(2, "0")
    );
  }
  let value = Array.from({ length }, () => pick(rnd, CHARSETS[c.charset])).join("");
  if (lint.has("csum") && length > 1) {
    value = value.slice(0, -1) + checkDigit(value.slice(0, -1));
  }
  return value;
}

/** A valid value for `entry`, or undefined when 200 tries found none (complex linters). */
function valueFor(rnd: Rnd, entry: AiEntry): string | undefined {
  for (let attempt = 0; attempt < 200; attempt++) {
    const parts: string[] = [];
    for (const c of entry.components) {
      if (c.optional && rnd() < 0.5) break;
      parts.push(componentValue(rnd, c));
    }
    const value = parts.join("");
    if (validateElement(entry.ai, value).length === 0) return value;
  }
  return undefined;
}

/**
 * Splits a decoded GS1 element string into AIs and values by the GS1 rules: the AI is the
 * dictionary entry the text starts with; a predefined-length AI takes its fixed length, any
 * other runs to the next GS or the end.
 */
function splitElementString(text: string): [string, string][] {
  const out: [string, string][] = [];
  let i = 0;
  while (i < text.length) {
    const ai = [2, 3, 4].map((n) => text.slice(i, i + n)).find((a) => aiEntry(a) !== undefined);
    if (ai === undefined) throw new Error(`no AI at ${i} in ${JSON.stringify(text)}`);
    const entry = aiEntry(ai) as AiEntry;
    i += ai.length;
    let end: number;
    if (entry.fixedLength) end = i + entry.components.reduce((n, c) => n + c.max, 0);
    else {
      end = text.indexOf(GS, i);
      if (end < 0) end = text.length;
    }
    out.push([ai, text.slice(i, end)]);
    i = text[end] === GS ? end + 1 : end;
  }
  return out;
}

const sorted = (pairs: [string, string][]) => [...pairs].sort((a, b) => a[0].localeCompare(b[0]));

interface Case {
  payload: Record<string, unknown>;
  pairs: [string, string][];
}

/** `count` accepted payloads: GTIN, lot, 1 to 4 random further AIs the validator accepts. */
function corpus(count: number, seed: number, extra: Record<string, unknown> = {}): Case[] {
  const rnd = seededRandom(seed);
  const pool = AI_TABLE.filter((e) => !["01", "10"].includes(e.ai));
  const out: Case[] = [];
  while (out.length < count) {
    const body = digits(rnd, 13);
    const gtin = body + checkDigit(body);
    const lot = Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => pick(rnd, CSET82)).join(
      "",
    );
    const ais: Record<string, string> = {};
    const wanted = 1 + Math.floor(rnd() * 4);
    for (let k = 0; k < wanted; k++) {
      const entry = pool[Math.floor(rnd() * pool.length)];
      const value = valueFor(rnd, entry);
      if (value !== undefined) ais[entry.ai] = value;
    }
    const payload = { gtin, lot, ais, ...extra };
    try {
      encode(payload);
    } catch (err) {
      // Associations the random pick broke (req/ex), capacity, or a DL without a place for an
      // AI: try another set. Anything else is a failure of ours.
      if (err instanceof ValidationError) continue;
      throw err;
    }
    out.push({ payload, pairs: [["01", gtin], ["10", lot], ...Object.entries(ais)] });
  }
  return out;
}

const cases = corpus(1000, 20261130);

describe("random AIs of the dictionary, decoded by zxing-wasm", () => {
  it("covers a wide part of the dictionary", () => {
    const used = new Set(cases.flatMap((c) => c.pairs.map(([ai]) => ai)));
    // Printed for the record; the bound keeps the corpus from collapsing onto a few AIs.
    console.log(`${used.size} distinct AIs in ${cases.length} payloads`);
    expect(used.size).toBeGreaterThan(250);
  });

  it("decodes 1000 symbols to exactly the element string, ]d2, splitting back to the AIs sent", async () => {
    for (const c of cases) {
      const symbol = encode(c.payload);
      const decoded = await decodeMatrix(symbol.rows, symbol.columns, symbol.modules, 2, 1);
      expect({ payload: c.payload, text: decoded.text, id: decoded.symbologyIdentifier }).toEqual({
        payload: c.payload,
        text: symbol.elementString,
        id: "]d2",
      });
      expect(sorted(splitElementString(decoded.text))).toEqual(sorted(c.pairs));
    }
  });
});

describe("GS1 Digital Link symbols", () => {
  const links = corpus(200, 7, { data_format: "digital_link" });

  it("decode to exactly the URI with ]d1, which parses back to the AIs sent", async () => {
    for (const c of links) {
      const symbol = encode(c.payload);
      expect(symbol.elementString.startsWith("https://id.gs1.org/01/")).toBe(true);
      const decoded = await decodeMatrix(symbol.rows, symbol.columns, symbol.modules, 2, 1);
      expect({ text: decoded.text, id: decoded.symbologyIdentifier }).toEqual({
        text: symbol.elementString,
        id: "]d1",
      });
      const parsed = parseDigitalLinkUri(decoded.text);
      const pairs = (parsed.elements ?? []).map((e) => [e.ai, e.value] as [string, string]);
      expect(sorted(pairs)).toEqual(sorted(c.pairs));
    }
  });
});

describe("a sample through other decoders", () => {
  const dir = mkdtempSync(join(tmpdir(), "dm-ais-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("dmtxread and ZXingReader read 40 PNGs back to the element string", async () => {
    const sample = cases.filter((_, i) => i % 25 === 0);
    const files: string[] = [];
    for (const [i, c] of sample.entries()) {
      const file = join(dir, `a${i}.png`);
      writeFileSync(file, (await render({ ...c.payload, format: "png" })).body);
      files.push(file);
    }
    const dmtx = await Promise.all(
      files.map((f) => run("dmtxread", ["-G", "29", "-N", "1", f], { encoding: "latin1" })),
    );
    const zx = await run("ZXingReader", ["-1", "-format", "DataMatrix", ...files], {
      maxBuffer: 1 << 24,
    });
    const lines = zx.stdout.trim().split("\n");
    sample.forEach((c, i) => {
      const text = encode(c.payload).elementString;
      // dmtxread in GS1 mode prints every FNC1, the leading one too, as GS.
      expect(Buffer.from(dmtx[i].stdout, "latin1").toString("utf8")).toBe(`${GS}${text}`);
      expect(lines[i]).toBe(`${files[i]} DataMatrix "${text.replaceAll(GS, "<GS>")}"`);
    });
  });
});
