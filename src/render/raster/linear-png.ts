// 1D pictures as PNG (Node only): every bar a whole number of dots at the requested dpi, the
// text rasterised from the same OCR-B outlines as SVG and PDF (glyph-masks.ts), 8-bit greyscale
// for black on white, else 8-bit indexed with the 256 blends of dark over light.
import { constants, deflateSync } from "node:zlib";
import { parseHexColor } from "../color.js";
import { HRI_UNITS_PER_EM } from "../hri-font.generated.js";
import type { LinearLayout } from "../linear/layout.js";
import type { LinearColors } from "../linear/svg.js";
import { MM_PER_INCH } from "../units.js";
import { GLYPH_PHASES, glyphFace } from "./glyph-masks.js";
import { assemblePng } from "./png-chunks.js";

/** Dots of a 1D PNG: per module, taken off each bar, and the picture's size. */
export interface LinearDots {
  /** Dots per module: the nearest whole number to X at the dpi, at least 1. */
  module: number;
  /** Dots each bar loses to bar width reduction (the nearest whole number, below `module`). */
  reduction: number;
  width: number;
  height: number;
  /** The module width realised, mm: module × 25.4 / dpi. */
  moduleMm: number;
}

const dotsOf = (mm: number, dpi: number) => Math.round((mm * dpi) / MM_PER_INCH);

/**
 * Returns the dot geometry linearPng uses for `layout` at `dpi`: whole dots per module (the
 * realised module width is reported), the bar width reduction in whole dots (capped one dot
 * below a module), and the image size (the height rounded up to hold the text's ink).
 */
export function linearDots(layout: LinearLayout, dpi: number): LinearDots {
  const module = Math.max(1, dotsOf(layout.moduleMm, dpi));
  const reduction = Math.min(module - 1, dotsOf(layout.bwrMm, dpi));
  return {
    module,
    reduction,
    width: layout.widthModules * module,
    height: Math.ceil((layout.heightMm * dpi) / MM_PER_INCH - 1e-9),
    moduleMm: (module * MM_PER_INCH) / dpi,
  };
}

/**
 * Returns the PNG of `layout` at `dpi` (written in pHYs): bars from linearDots' whole-dot grid,
 * each narrowed by its reduction (the left edge moves by half of it, rounded down), bar tops and
 * bottoms at the nearest dot row to their mm; the text's glyphs at their mm size, placed on the
 * dot grid of the modules, anti-aliased.
 */
export function linearPng(layout: LinearLayout, colors: LinearColors, dpi: number): Buffer {
  const dots = linearDots(layout, dpi);
  const { width, height } = dots;
  // Pixels as they go into the file: grey levels for black on white (255 = light), else
  // palette indexes (0 = light, 255 = dark, the blends between).
  const grey = colors.darkColor === "#000000" && colors.lightColor === "#ffffff";
  const light = grey ? 255 : 0;
  const dark = grey ? 0 : 255;
  const image = new Uint8Array(width * height).fill(light);
  for (const r of layout.rects) {
    const cut = r.reduced ? dots.reduction : 0;
    const x0 = r.x * dots.module + (cut >> 1);
    const x1 = x0 + r.width * dots.module - cut;
    const y0 = dotsOf(r.yMm, dpi);
    const y1 = Math.min(height, dotsOf(r.yMm + r.heightMm, dpi));
    for (let y = y0; y < y1; y++) image.fill(dark, y * width + x0, y * width + x1);
  }
  const pxPerUnit = (layout.emMm * dpi) / MM_PER_INCH / HRI_UNITS_PER_EM;
  for (const g of layout.glyphs) {
    const ox = g.x * dots.module;
    const oy = (g.baselineMm * dpi) / MM_PER_INCH;
    let px = Math.floor(ox);
    let py = Math.floor(oy);
    let phaseX = Math.round((ox - px) * GLYPH_PHASES);
    let phaseY = Math.round((oy - py) * GLYPH_PHASES);
    if (phaseX === GLYPH_PHASES) {
      px++;
      phaseX = 0;
    }
    if (phaseY === GLYPH_PHASES) {
      py++;
      phaseY = 0;
    }
    const mask = glyphFace(pxPerUnit, phaseY).get(g.code * GLYPH_PHASES + phaseX);
    for (let my = 0; my < mask.height; my++) {
      const y = py + mask.top + my;
      if (y < 0 || y >= height) continue;
      for (let mx = 0; mx < mask.width; mx++) {
        const x = px + mask.left + mx;
        if (x < 0 || x >= width) continue;
        const c = mask.coverage[my * mask.width + mx];
        const at = y * width + x;
        // Where glyphs overlap (they do not in OCR-B) the darker wins.
        if (grey) image[at] = Math.min(image[at], 255 - c);
        else image[at] = Math.max(image[at], c);
      }
    }
  }
  // Scanlines: a row equal to the one above is filter Up (all zeros, as allocated), which is
  // most rows of a barcode; the others are stored as they are (filter None).
  const stride = width + 1;
  const raw = Buffer.alloc(stride * height);
  const rows = Buffer.from(image.buffer, image.byteOffset, image.byteLength);
  for (let y = 0; y < height; y++) {
    const start = y * width;
    const same = y > 0 && rows.compare(rows, start - width, start, start, start + width) === 0;
    if (same) raw[y * stride] = FILTER_UP;
    else raw.set(image.subarray(start, start + width), y * stride + 1);
  }
  const idat = deflateSync(raw, { level: 6, strategy: constants.Z_RLE });
  if (grey) return assemblePng(width, height, 8, 0, dpi, null, idat);
  const darkRgb = parseHexColor(colors.darkColor);
  const lightRgb = parseHexColor(colors.lightColor);
  const palette = new Uint8Array(3 * 256);
  for (let a = 0; a < 256; a++) {
    for (let k = 0; k < 3; k++) {
      palette[3 * a + k] = Math.round((darkRgb[k] * a + lightRgb[k] * (255 - a)) / 255);
    }
  }
  return assemblePng(width, height, 8, 3, dpi, palette, idat);
}

const FILTER_UP = 2;
