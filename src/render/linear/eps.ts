// 1D pictures as EPS (EPSF 3.0, for label-printer drivers that still want PostScript): the
// bars as `rectfill`s and the text as filled OCR-B outlines, in a y-down mm coordinate system
// like the PDF's. No fonts, no dates: equal inputs give equal bytes. Browser-safe.

import { parseHexColor } from "../color.js";
import { formatDecimal } from "../format-number.js";
import { CLOSE, CUBIC, glyphOutline, LINE } from "../hri-outlines.js";
import { MM_PER_INCH, PT_PER_INCH } from "../units.js";
import type { LinearLayout } from "./layout.js";
import type { LinearColors } from "./svg.js";

const PT_PER_MM = PT_PER_INCH / MM_PER_INCH;
// Millimetres to 4 decimals, as in svg.ts and pdf.ts.
const mm = (v: number) => String(Math.round(v * 1e4) / 1e4);

function setColor(color: string): string {
  const [r, g, b] = parseHexColor(color).map((c) => formatDecimal(c / 255, 4));
  return `${r} ${g} ${b} setrgbcolor\n`;
}

/**
 * Returns an EPSF-3.0 document of `layout` as a string: the bounding box is the picture in
 * points (%%BoundingBox rounded up to whole points, %%HiResBoundingBox exact to 4 decimals),
 * the light colour painted under everything, the bars at their mm positions narrowed by
 * layout.bwrMm (half per edge; bearer bars not), the text as filled outlines. Deterministic.
 */
export function linearEps(layout: LinearLayout, colors: LinearColors): string {
  const x = layout.moduleMm;
  const widthMm = layout.widthModules * x;
  const w = widthMm * PT_PER_MM;
  const h = layout.heightMm * PT_PER_MM;
  const wPt = formatDecimal(w, 4);
  const hPt = formatDecimal(h, 4);
  let out =
    "%!PS-Adobe-3.0 EPSF-3.0\n" +
    `%%BoundingBox: 0 0 ${Math.ceil(w)} ${Math.ceil(h)}\n` +
    `%%HiResBoundingBox: 0 0 ${wPt} ${hPt}\n` +
    "%%Creator: gs1-datamatrix-service\n" +
    "%%LanguageLevel: 2\n" +
    "%%Pages: 1\n" +
    "%%EndComments\n" +
    "%%Page: 1 1\n" +
    "gsave\n" +
    setColor(colors.lightColor) +
    `0 0 ${wPt} ${hPt} rectfill\n` +
    // y-down millimetres from the top-left corner, as the layout states them.
    `0 ${hPt} translate ${formatDecimal(PT_PER_MM, 7)} dup neg scale\n` +
    setColor(colors.darkColor);
  for (const r of layout.rects) {
    const cut = r.reduced ? layout.bwrMm : 0;
    out += `${mm(r.x * x + cut / 2)} ${mm(r.yMm)} ${mm(r.width * x - cut)} ${mm(r.heightMm)} rectfill\n`;
  }
  const scale = formatDecimal(layout.emMm / 1000, 7);
  for (const g of layout.glyphs) {
    const path = glyphPath(g.code);
    if (path === "") continue;
    out += `gsave ${mm(g.x * x)} ${mm(g.baselineMm)} translate ${scale} dup neg scale newpath\n${path}fill grestore\n`;
  }
  return `${out}grestore\nshowpage\n%%EOF\n`;
}

const paths = new Map<number, string>();

// Character `code`'s outline as PostScript path operators in font units ("" for a space).
function glyphPath(code: number): string {
  let path = paths.get(code);
  if (path !== undefined) return path;
  const { ops, coords } = glyphOutline(code);
  path = "";
  let c = 0;
  for (const op of ops) {
    if (op === CLOSE) {
      path += "closepath ";
      continue;
    }
    const n = op === CUBIC ? 6 : 2;
    for (let j = 0; j < n; j++) path += `${coords[c + j]} `;
    path += op === CUBIC ? "curveto " : op === LINE ? "lineto " : "moveto ";
    c += n;
  }
  paths.set(code, path);
  return path;
}
