// src/barcode/payload.ts: GS1-128 data is judged by the same dictionary and linters as the
// DataMatrix payload (same rule, message and position, only the field differs), and zint 2.11
// encoding GS1-128 (-b 16) finds a fault in the same data at the same value position.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parseBarcodePayload } from "../../src/barcode/payload.js";
import { parseGs1Payload } from "../../src/gs1/payload.js";

const GTIN = "09506000134352";

// zint's GS1-128 verdict on bracketed data: its first warning or error line, or null.
function zint128(bracketed: string): string | null {
  const run = spawnSync("zint", ["-b", "16", "--gs1", "--gs1parens", "--dump", "-d", bracketed], {
    encoding: "utf8",
  });
  return run.stderr.split("\n").find((l) => /^(Warning|Error)/.test(l)) ?? null;
}

describe("GS1-128 data", () => {
  it.each([
    ["01", "09506000134353"],
    ["7003", "2713301200"],
    ["10", "LOT A"],
    ["17", "270632"],
    ["8008", "271230121"],
    ["421", "12A"],
  ])("(%s) %s is refused as DataMatrix refuses it, where zint faults it", (ai, value) => {
    const text = ai === "01" ? `(01)${value}` : `(01)${GTIN}(${ai})${value}`;
    const ours = parseBarcodePayload({ gtin: text });
    const datamatrix = parseGs1Payload({ element_string: text });
    expect(ours.request).toBeNull();
    expect(ours.issues.length).toBeGreaterThan(0);
    const strip = ({ field: _f, ...rest }: { field: string | null }) => rest;
    expect(ours.issues.map(strip)).toEqual(datamatrix.issues.map(strip));
    expect(ours.issues.every((i) => i.field === "gtin")).toBe(true);
    const verdict = zint128(text);
    expect(verdict, text).not.toBeNull();
    const position = /position (\d+)/.exec(verdict ?? "")?.[1];
    if (position) {
      // zint counts in the value; ours in the whole text: the value starts after "(ai)".
      const valueStart = text.lastIndexOf(`(${ai})`) + ai.length + 2;
      expect(ours.issues[0].position).toBe(valueStart + Number(position));
    }
  });

  it.each([
    `(01)${GTIN}(17)270630(10)ABC123`,
    "(00)106141412345678908",
    `(01)${GTIN}(3103)001250(21)X-1`,
  ])("%s is accepted by both and by zint", (text) => {
    expect(parseBarcodePayload({ gtin: text }).issues).toEqual([]);
    expect(parseGs1Payload({ element_string: text }).issues).toEqual([]);
    expect(zint128(text)).toBeNull();
  });
});
