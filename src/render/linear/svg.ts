// 1D pictures as SVG: a light background, the bars as one <path> of exact rectangles in mm (bar
// width reduction applied), and the text as OCR-B outlines, one <path> per character (no <text>,
// no font name). Browser-safe.

import { formatDecimal } from "../format-number.js";
import { HRI_FIRST_CODE, HRI_GLYPHS, HRI_UNITS_PER_EM } from "../hri-font.generated.js";
import type { LinearLayout } from "./layout.js";

/** Colours of a 1D picture, normalised "#rrggbb". */
export interface LinearColors {
  darkColor: string;
  lightColor: string;
}

// Millimetres to 4 decimals (0.1 µm) in plain notation: a rounded double prints as its shortest
// decimal, which has at most 4 decimals; ~10x cheaper than formatDecimal, and numbers here stay
// far from the exponent notation String() uses below 1e-6 and above 1e21.
const mm = (v: number) => String(Math.round(v * 1e4) / 1e4);

/**
 * Returns the SVG document of `layout` as a string: `width`/`height` in mm, a viewBox in mm, the
 * bars as rectangles at their exact mm positions (each bar narrowed by layout.bwrMm, half per
 * edge; bearer bars not), the text as filled outlines. Numbers carry at most 4 decimals
 * (0.1 µm). Deterministic.
 */
export function linearSvg(layout: LinearLayout, colors: LinearColors): string {
  const x = layout.moduleMm;
  const width = mm(layout.widthModules * x);
  const height = mm(layout.heightMm);
  let d = "";
  for (const r of layout.rects) {
    const cut = r.reduced ? layout.bwrMm : 0;
    d += `M${mm(r.x * x + cut / 2)} ${mm(r.yMm)}h${mm(r.width * x - cut)}v${mm(r.heightMm)}h-${mm(r.width * x - cut)}z`;
  }
  let text = "";
  const scale = formatDecimal(layout.emMm / HRI_UNITS_PER_EM, 7);
  for (const g of layout.glyphs) {
    const path = HRI_GLYPHS[g.code - HRI_FIRST_CODE];
    if (path === "") continue;
    text += `<path transform="matrix(${scale} 0 0 -${scale} ${mm(g.x * x)} ${mm(g.baselineMm)})" d="${path}"/>`;
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}mm" height="${height}mm" viewBox="0 0 ${width} ${height}">` +
    `<rect width="${width}" height="${height}" fill="${colors.lightColor}"/>` +
    `<path fill="${colors.darkColor}" shape-rendering="crispEdges" d="${d}"/>` +
    (text === "" ? "" : `<g fill="${colors.darkColor}">${text}</g>`) +
    "</svg>"
  );
}
