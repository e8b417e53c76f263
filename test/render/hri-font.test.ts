// src/render/hri-font.generated.ts: regenerated from reference/fonts/OCRB.otf by
// scripts/build-hri-font.mjs, and what the layout relies on in it.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  HRI_ADVANCE,
  HRI_ASCENDER,
  HRI_DESCENDER,
  HRI_GLYPHS,
  HRI_LINE_GAP,
} from "../../src/render/hri-font.generated.js";

describe("scripts/build-hri-font.mjs", () => {
  it("regenerates exactly the committed table (--check)", () => {
    const run = spawnSync(process.execPath, ["scripts/build-hri-font.mjs", "--check"], {
      encoding: "utf8",
    });
    expect([run.status, run.stderr]).toEqual([0, ""]);
  });

  it("reads the font file reference/README.md names (its SHA-256)", () => {
    const bytes = readFileSync(new URL("../../reference/fonts/OCRB.otf", import.meta.url));
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(
      "84558d47dbc19bb5887cc7b72ed62c64534fd00f0b569d28e6dc63b71fe27707",
    );
  });
});

describe("the HRI font table", () => {
  it("keeps every glyph's ink inside its advance and its line box (layout.ts relies on it)", () => {
    expect(HRI_GLYPHS).toHaveLength(0x7e - 0x20 + 1);
    for (const [i, d] of HRI_GLYPHS.entries()) {
      const numbers = (d.match(/-?\d+/g) ?? []).map(Number);
      const xs = numbers.filter((_, j) => j % 2 === 0);
      const ys = numbers.filter((_, j) => j % 2 === 1);
      const c = String.fromCharCode(0x20 + i);
      // Control points bound the outline, so bounding them bounds the ink.
      expect([c, xs.every((x) => x > 0 && x < HRI_ADVANCE)]).toEqual([c, true]);
      const top = HRI_ASCENDER + HRI_LINE_GAP / 2;
      const bottom = HRI_DESCENDER - HRI_LINE_GAP / 2;
      expect([c, ys.every((y) => y < top && y > bottom)]).toEqual([c, true]);
    }
  });
});
