// 1D pictures as PDF: one page exactly the picture, the bars as `re` rectangles in mm under a
// points-per-mm matrix (bar width reduction applied), the text as filled OCR-B outlines.
// Browser-safe.

import { formatDecimal } from "../format-number.js";
import { CLOSE, CUBIC, glyphOutline, LINE } from "../hri-outlines.js";
import { fillColor, pdfFileOf } from "../pdf.js";
import { MM_PER_INCH, PT_PER_INCH } from "../units.js";
import type { LinearLayout } from "./layout.js";
import type { LinearColors } from "./svg.js";

// Millimetres to 4 decimals (0.1 µm) in plain notation: a rounded double prints as its shortest
// decimal, which has at most 4 decimals; ~10x cheaper than formatDecimal, and numbers here stay
// far from the exponent notation String() uses below 1e-6 and above 1e21.
const mm = (v: number) => String(Math.round(v * 1e4) / 1e4);
const PT_PER_MM = PT_PER_INCH / MM_PER_INCH;

/**
 * Returns a single-page PDF of `layout`: the page is the picture in points (mm × 72 / 25.4),
 * the content drawn in a y-down mm system so every rectangle states its mm position to 4
 * decimals; bars narrowed by layout.bwrMm (half per edge), bearer bars not; the light colour
 * painted under everything unless white. Deterministic.
 */
export function linearPdf(layout: LinearLayout, colors: LinearColors): Uint8Array {
  const x = layout.moduleMm;
  const widthMm = layout.widthModules * x;
  const widthPt = formatDecimal(widthMm * PT_PER_MM, 4);
  const heightPt = formatDecimal(layout.heightMm * PT_PER_MM, 4);
  const k = formatDecimal(PT_PER_MM, 7);
  let content =
    colors.lightColor === "#ffffff"
      ? ""
      : `${fillColor(colors.lightColor)}0 0 ${widthPt} ${heightPt} re f\n`;
  content += `q ${k} 0 0 -${k} 0 ${heightPt} cm ${fillColor(colors.darkColor)}`;
  for (const r of layout.rects) {
    const cut = r.reduced ? layout.bwrMm : 0;
    content += `${mm(r.x * x + cut / 2)} ${mm(r.yMm)} ${mm(r.width * x - cut)} ${mm(r.heightMm)} re\n`;
  }
  content += "f\n";
  const scale = formatDecimal(layout.emMm / 1000, 7);
  for (const g of layout.glyphs) {
    const path = glyphPath(g.code);
    if (path === "") continue;
    content += `q ${scale} 0 0 -${scale} ${mm(g.x * x)} ${mm(g.baselineMm)} cm\n${path}f\nQ\n`;
  }
  content += "Q\n";
  return pdfFileOf(new TextEncoder().encode(content), widthPt, heightPt);
}

const paths = new Map<number, string>();

// Character `code`'s outline as path construction operators in font units ("" for a space).
function glyphPath(code: number): string {
  let path = paths.get(code);
  if (path !== undefined) return path;
  const { ops, coords } = glyphOutline(code);
  path = "";
  let c = 0;
  for (const op of ops) {
    if (op === CLOSE) {
      path += "h ";
      continue;
    }
    const n = op === CUBIC ? 6 : 2;
    for (let j = 0; j < n; j++) path += `${coords[c + j]} `;
    path += op === CUBIC ? "c " : op === LINE ? "l " : "m ";
    c += n;
  }
  paths.set(code, path);
  return path;
}
