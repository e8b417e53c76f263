// src/render/raster/line-band.ts: bands drawn from made-up glyph masks are inflated by zlib and
// compared with the rows composed here naively (coverage summed and clamped per pixel).
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { RunDeflater } from "../../../src/render/raster/deflate.js";
import type { GlyphMask } from "../../../src/render/raster/glyph-masks.js";
import {
  drawBand,
  type LineBand,
  type Placement,
  writeBand,
} from "../../../src/render/raster/line-band.js";

const WIDTH = 120;

/** Seeded generator (LCG, glibc constants): failures replay. */
function rng(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.floor((state / 2147483648) * n);
  };
}

/** A mask of random coverage with blank margins, like a glyph's. */
function mask(next: (n: number) => number, width: number, height: number): GlyphMask {
  const coverage = new Uint8Array(width * height);
  for (let r = 1; r < height - 1; r++) {
    for (let c = 1; c < width - 1; c++) {
      coverage[r * width + c] = next(3) === 0 ? 0 : next(2) === 0 ? 255 : next(256);
    }
  }
  return { left: 0, top: -height + 2, width, height, coverage };
}

/** The band's rows as the PNG decoder sees them: inflated from a stream holding only it. */
function inflateBand(band: LineBand): Buffer {
  const writer = new RunDeflater();
  writer.begin(band.rows * (WIDTH + 1));
  writer.putBlock(band.block);
  return inflateSync(writer.end());
}

/** The same rows composed naively: filter byte 0, then summed, clamped coverage as bytes. */
function compose(placements: Placement[], top: number, rows: number, grey: boolean): Buffer {
  const out = Buffer.alloc(rows * (WIDTH + 1));
  for (let y = 0; y < rows; y++) {
    const coverage = new Array<number>(WIDTH).fill(0);
    for (const { mask: m, left, top: t } of placements) {
      const r = top + y - t;
      if (r < 0 || r >= m.height) continue;
      for (let c = 0; c < m.width; c++) {
        coverage[left + c] = Math.min(255, coverage[left + c] + m.coverage[r * m.width + c]);
      }
    }
    coverage.forEach((a, x) => {
      out[y * (WIDTH + 1) + 1 + x] = grey ? 255 - a : a;
    });
  }
  return out;
}

/** A line of `count` masks `pitch` px apart (overlapping when pitch < mask width). */
function line(masks: GlyphMask[], pitch: number): Placement[] {
  return masks.map((m, i) => ({ mask: m, left: 2 + i * pitch, top: m.top }));
}

describe("drawBand", () => {
  it.each([
    [true, 14],
    [false, 14],
    [true, 9], // masks 12 px wide, 9 apart: rows are summed
  ])("draws a line's rows (greyscale %s, glyphs %s px apart)", (grey, pitch) => {
    const next = rng(pitch);
    const placements = line(
      Array.from({ length: 8 }, () => mask(next, 12, 10 + next(6))),
      pitch,
    );
    const { band, prefix } = drawBand(placements, WIDTH, grey, 0, undefined);
    expect(prefix).toBeNull();
    expect(inflateBand(band).equals(compose(placements, band.top, band.rows, grey))).toBe(true);
  });

  it("draws a second line from the first one's prefix, with the right rows", () => {
    const next = rng(3);
    const glyphs = Array.from({ length: 10 }, () => mask(next, 12, 12));
    const first = line(glyphs.slice(0, 8), 13);
    // Same first six glyphs; the last two differ, one of them taller.
    const second = line([...glyphs.slice(0, 6), glyphs[8], mask(next, 12, 18)], 13);
    const drawn = drawBand(first, WIDTH, true, 6, undefined);
    expect(drawn.prefix).not.toBeNull();
    const reused = drawBand(second, WIDTH, true, 6, drawn.prefix ?? undefined);
    expect(reused.prefix).toBeNull();
    for (const [placements, band] of [
      [first, drawn.band],
      [second, reused.band],
    ] as const) {
      expect(inflateBand(band).equals(compose(placements, band.top, band.rows, true))).toBe(true);
    }
    const whole = drawBand(second, WIDTH, true, 0, undefined).band;
    expect([whole.top, whole.rows]).toEqual([reused.band.top, reused.band.rows]);
  });

  it("writes into a stream the bytes putBlock writes of drawBand's block", () => {
    const next = rng(5);
    const glyphs = Array.from({ length: 10 }, () => mask(next, 12, 12));
    const first = line(glyphs.slice(0, 8), 13);
    const second = line([...glyphs.slice(0, 6), glyphs[8], mask(next, 12, 18)], 13);
    const overlapping = line(glyphs.slice(0, 8), 9);
    const { prefix } = drawBand(first, WIDTH, false, 6, undefined);
    const cases = [
      [second, true, 6, prefix ?? undefined],
      [second, false, 0, undefined],
      [overlapping, true, 0, undefined],
    ] as const;
    for (const [placements, grey, glyphCount, from] of cases) {
      const { band } = drawBand(placements, WIDTH, grey, glyphCount, from);
      // A byte either side: the block starts and ends mid-byte in the stream.
      const total = 2 + band.rows * (WIDTH + 1);
      const copied = new RunDeflater();
      copied.begin(total);
      copied.put(7);
      copied.putBlock(band.block);
      copied.put(7);
      const expected = Buffer.from(copied.end());
      const written = new RunDeflater();
      written.begin(total);
      written.put(7);
      writeBand(written, placements, WIDTH, grey, glyphCount, from);
      written.put(7);
      expect(Buffer.from(written.end()).equals(expected)).toBe(true);
    }
    expect(() => writeBand(new RunDeflater(), first, WIDTH, true, 6, undefined)).toThrow(
      RangeError,
    );
  });

  it("draws an empty line as no rows", () => {
    const { band } = drawBand([], WIDTH, true, 0, undefined);
    expect([band.top, band.rows, band.block.length]).toEqual([0, 0, 0]);
  });
});
