// 1D pictures as SVG: a light background, the bars as one <path> of exact rectangles in mm (bar
// width reduction applied), and the text as OCR-B outlines, one <path> per character (no <text>,
// no font name). Written straight into a reused byte buffer like ../svg.ts: building the
// document from strings cost more than everything else (the string, then its copy to bytes).
// Browser-safe.

import { Scratch, writeAscii, writeUint } from "../byte-writer.js";
import { formatDecimal } from "../format-number.js";
import { HRI_FIRST_CODE, HRI_GLYPHS, HRI_UNITS_PER_EM } from "../hri-font.generated.js";
import type { LinearLayout } from "./layout.js";

/** Colours of a 1D picture, normalised "#rrggbb". */
export interface LinearColors {
  darkColor: string;
  lightColor: string;
}

const scratch = new Scratch();
const encoder = new TextEncoder();

/**
 * Writes `mm` rounded to 4 decimals (0.1 µm) in plain notation without trailing zeros, as
 * formatDecimal(mm, 4) does, at `at`; returns the offset after it.
 */
export function writeMm(out: Uint8Array, at: number, mm: number): number {
  let n = Math.round(mm * 1e4);
  if (n < 0) {
    out[at++] = 0x2d;
    n = -n;
  }
  const whole = Math.floor(n / 1e4);
  let fraction = n - whole * 1e4;
  at = writeUint(out, at, whole);
  if (fraction === 0) return at;
  // The four decimals by integer steps, trailing zeros dropped: a loop dividing a float unit
  // made this the largest cost of a 1D SVG (~300 numbers each) in the profile.
  const d0 = (fraction / 1000) | 0;
  fraction -= d0 * 1000;
  const d1 = (fraction / 100) | 0;
  fraction -= d1 * 100;
  const d2 = (fraction / 10) | 0;
  const d3 = fraction - d2 * 10;
  out[at++] = 0x2e;
  out[at++] = 48 + d0;
  if (d1 + d2 + d3 === 0) return at;
  out[at++] = 48 + d1;
  if (d2 + d3 === 0) return at;
  out[at++] = 48 + d2;
  if (d3 !== 0) out[at++] = 48 + d3;
  return at;
}

// Each glyph's outline as the tail of its <path>, after the transform's numbers: `)" d="…"/>`,
// encoded once.
const glyphTails: (Uint8Array | null | undefined)[] = [];
function glyphTail(code: number): Uint8Array | null {
  let tail = glyphTails[code];
  if (tail === undefined) {
    const path = HRI_GLYPHS[code - HRI_FIRST_CODE];
    tail = path === "" ? null : encoder.encode(`)" d="${path}"/>`);
    glyphTails[code] = tail;
  }
  return tail;
}

// The most bytes a number written by writeMm takes: sign, 9 digits, point, 4 decimals.
const MM_BYTES = 15;

/**
 * Returns the SVG document of `layout` as bytes (ASCII; a copy the caller owns): `width`/`height`
 * in mm, a viewBox in mm, the bars as rectangles at their exact mm positions (each bar narrowed by
 * layout.bwrMm, half per edge; bearer bars not), the text as filled outlines, or with
 * `embedFont` false as live text (see liveText). Numbers carry at most 4 decimals (0.1 µm).
 * Deterministic.
 */
export function linearSvg(
  layout: LinearLayout,
  colors: LinearColors,
  embedFont = true,
): Uint8Array {
  const x = layout.moduleMm;
  const scale = formatDecimal(layout.emMm / HRI_UNITS_PER_EM, 7);
  let bound = 400 + layout.rects.length * (6 + 4 * MM_BYTES);
  for (const g of layout.glyphs) bound += 60 + scale.length * 2 + (glyphTail(g.code)?.length ?? 0);
  const out = scratch.get(bound);
  const width = layout.widthModules * x;
  let at = writeAscii(out, 0, '<svg xmlns="http://www.w3.org/2000/svg" width="');
  at = writeMm(out, at, width);
  at = writeAscii(out, at, 'mm" height="');
  at = writeMm(out, at, layout.heightMm);
  at = writeAscii(out, at, 'mm" viewBox="0 0 ');
  at = writeMm(out, at, width);
  out[at++] = 0x20;
  at = writeMm(out, at, layout.heightMm);
  at = writeAscii(out, at, '"><rect width="');
  at = writeMm(out, at, width);
  at = writeAscii(out, at, '" height="');
  at = writeMm(out, at, layout.heightMm);
  at = writeAscii(
    out,
    at,
    `" fill="${colors.lightColor}"/><path fill="${colors.darkColor}" shape-rendering="crispEdges" d="`,
  );
  for (const r of layout.rects) {
    const cut = r.reduced ? layout.bwrMm : 0;
    const barWidth = r.width * x - cut;
    out[at++] = 0x4d; // M
    at = writeMm(out, at, r.x * x + cut / 2);
    out[at++] = 0x20;
    at = writeMm(out, at, r.yMm);
    out[at++] = 0x68; // h
    at = writeMm(out, at, barWidth);
    out[at++] = 0x76; // v
    at = writeMm(out, at, r.heightMm);
    out[at++] = 0x68; // h-
    out[at++] = 0x2d;
    at = writeMm(out, at, barWidth);
    out[at++] = 0x7a; // z
  }
  at = writeAscii(out, at, '"/>');
  if (!embedFont && layout.glyphs.length > 0) {
    const text = liveText(layout, colors.darkColor);
    // A <text> may hold more bytes than the outlines' bound: make room, keeping what is written.
    const grown = scratch.get(at + text.length + 8);
    if (grown !== out) grown.set(out.subarray(0, at));
    at = writeAscii(grown, at, text);
    at = writeAscii(grown, at, "</svg>");
    return grown.slice(0, at);
  }
  if (layout.glyphs.length > 0) {
    at = writeAscii(out, at, `<g fill="${colors.darkColor}">`);
    // Every glyph's <path> starts alike: encoded once per picture and copied, not re-encoded
    // (a string and a subarray per glyph were a third of the SVG's cost in the profile).
    const head = encoder.encode(`<path transform="matrix(${scale} 0 0 -${scale} `);
    for (const g of layout.glyphs) {
      const tail = glyphTail(g.code);
      if (tail === null) continue;
      out.set(head, at);
      at += head.length;
      at = writeMm(out, at, g.x * x);
      out[at++] = 0x20;
      at = writeMm(out, at, g.baselineMm);
      out.set(tail, at);
      at += tail.length;
    }
    at = writeAscii(out, at, "</g>");
  }
  at = writeAscii(out, at, "</svg>");
  return out.slice(0, at);
}

const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/**
 * The text of `layout` as live SVG text (embed_font false): one <text> per baseline, in
 * font-family OCR-B (then "OCR B", then monospace) at the layout's em, each character placed by
 * its own x at the outline's origin, so an editor shows the same positions as the outlines when
 * OCR-B is installed. Spaces are kept (xml:space="preserve") so every x stays on its character.
 */
function liveText(layout: LinearLayout, fill: string): string {
  const x = layout.moduleMm;
  const size = formatDecimal(layout.emMm, 4);
  let out = "";
  let i = 0;
  while (i < layout.glyphs.length) {
    const baseline = layout.glyphs[i].baselineMm;
    let xs = "";
    let chars = "";
    for (; i < layout.glyphs.length && layout.glyphs[i].baselineMm === baseline; i++) {
      const g = layout.glyphs[i];
      const c = String.fromCharCode(g.code);
      xs += `${xs === "" ? "" : " "}${formatDecimal(g.x * x, 4)}`;
      chars += XML_ESCAPES[c] ?? c;
    }
    out +=
      `<text xml:space="preserve" x="${xs}" y="${formatDecimal(baseline, 4)}" ` +
      `font-family="OCR-B, 'OCR B', monospace" font-size="${size}" fill="${fill}">${chars}</text>`;
  }
  return out;
}
