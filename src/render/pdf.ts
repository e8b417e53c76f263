// PDF output, hand-built (ISO 32000-1): one page exactly the picture, the dark modules as `re`
// rectangles filled once, optional HRI in the base-14 Courier (no font embedded). Uncompressed
// and without dates or IDs, so equal inputs give equal bytes. Browser-safe: no Node imports.
import { HRI_CHAR_EM, layoutPicture } from "./layout.js";
import { formatDecimal, moduleSizePt, parseHexColor, type RenderOptions } from "./options.js";
import { checkMatrix, darkRectangles, type ModuleMatrix } from "./runs.js";

// "x y " and "w h re\n" pieces, cached as in svg.ts: joining two cached strings per rectangle
// is several times cheaper than formatting four numbers.
const CACHE_STRIDE = 256;
const corners: string[] = [];
const sizes: string[] = [];
const encoder = new TextEncoder();

/**
 * Returns a single-page PDF 1.4 file of `symbol`: the page is the picture (symbol, quiet zone
 * and, when `options.hri`, the `hri` lines) at `options.xdimMm` per module, in points. Dark
 * modules are `re` rectangles from darkRectangles, filled once in `options.darkColor`; the light
 * colour is painted as a page-size rectangle unless it is white (the page's own colour). HRI
 * lines use Courier, centred under the symbol. Deterministic: no dates, no random IDs; the
 * cross-reference offsets are counted from the bytes written. Throws a RangeError for a
 * malformed matrix or missing/unprintable HRI lines (see layoutPicture).
 */
export function toPdf(
  symbol: ModuleMatrix,
  options: RenderOptions,
  hri?: readonly string[],
): Uint8Array {
  checkMatrix(symbol);
  const layout = layoutPicture(symbol, options, hri);
  // One rounded scale for the page box and the content, so the two agree to the last digit.
  const scale = Number(formatDecimal(moduleSizePt(options), 6));
  const widthPt = formatDecimal(layout.width * scale, 4);
  const heightPt = formatDecimal(layout.height * scale, 4);
  const dark = fillColor(options.darkColor);

  // 1. Content: background, then the modules in a y-down, module-unit coordinate system, so
  //    every rectangle is written with small integers.
  let content =
    options.lightColor === "#ffffff"
      ? ""
      : `${fillColor(options.lightColor)}0 0 ${widthPt} ${heightPt} re f\n`;
  content += `q ${scale} 0 0 ${-scale} 0 ${heightPt} cm ${dark}`;
  content += rectangles(symbol, layout.symbolX, layout.symbolY);
  content += "f Q\n";
  if (layout.lines.length > 0) {
    const sizePt = layout.fontSize * scale;
    content += `BT /F1 ${formatDecimal(sizePt, 4)} Tf ${dark}`;
    for (let i = 0; i < layout.lines.length; i++) {
      const line = layout.lines[i];
      const x = layout.textCenterX * scale - (line.length * HRI_CHAR_EM * sizePt) / 2;
      const y = (layout.height - layout.baselines[i]) * scale;
      // Tm sets an absolute position per line; Td would accumulate offsets.
      content += `1 0 0 1 ${formatDecimal(x, 4)} ${formatDecimal(y, 4)} Tm (${escapeString(line)}) Tj\n`;
    }
    content += "ET\n";
  }

  // 2. Objects, then the cross-reference table at their counted offsets (ASCII: 1 char = 1 byte).
  const font = layout.lines.length > 0;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${widthPt} ${heightPt}] ` +
      `/Resources << ${font ? "/Font << /F1 5 0 R >> " : ""}>> /Contents 4 0 R >>`,
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
  ];
  if (font)
    objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>");
  let pdf = "%PDF-1.4\n";
  let xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (let i = 0; i < objects.length; i++) {
    xref += `${String(pdf.length).padStart(10, "0")} 00000 n \n`;
    pdf += `${i + 1} 0 obj\n${objects[i]}\nendobj\n`;
  }
  pdf += `${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${pdf.length}\n%%EOF\n`;
  return encoder.encode(pdf);
}

function rectangles(symbol: ModuleMatrix, dx: number, dy: number): string {
  const rects = darkRectangles(symbol);
  let ops = "";
  for (let i = 0; i < rects.length; i += 4) {
    const x = rects[i] + dx;
    const y = rects[i + 1] + dy;
    const w = rects[i + 2];
    const h = rects[i + 3];
    const at = x < CACHE_STRIDE && y < CACHE_STRIDE ? y * CACHE_STRIDE + x : -1;
    let corner = at < 0 ? undefined : corners[at];
    if (corner === undefined) {
      corner = `${x} ${y} `;
      if (at >= 0) corners[at] = corner;
    }
    let size = sizes[h * CACHE_STRIDE + w];
    if (size === undefined) {
      size = `${w} ${h} re\n`;
      sizes[h * CACHE_STRIDE + w] = size;
    }
    ops += corner + size;
  }
  return ops;
}

// A fill-colour operator: `g` for greys (shorter, and exact black stays "0 g"), else `rg`.
function fillColor(color: string): string {
  const [r, g, b] = parseHexColor(color);
  if (r === g && g === b) return `${formatDecimal(r / 255, 4)} g\n`;
  return `${formatDecimal(r / 255, 4)} ${formatDecimal(g / 255, 4)} ${formatDecimal(b / 255, 4)} rg\n`;
}

// Literal strings need only their delimiters and the escape character escaped (ISO 32000-1 7.3.4.2).
function escapeString(text: string): string {
  return text.replace(/[\\()]/g, "\\$&");
}
