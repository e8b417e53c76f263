// EPS output, hand-built (PostScript Language Document Structuring Conventions 3.0, EPSF 3.0):
// the picture as the PDF renderer's content stream (pdfContentOf), whose operators a small
// prolog defines in PostScript (re, f, m, l, c, h, q, Q, cm, g, rg, k), so the two formats
// draw the same rectangles and outlines. No dates or IDs: equal inputs give equal bytes.
// With `cmyk` every colour is written as setcmykcolor (a naive RGB → CMYK: K = 1 - max, the rest
// under it), for print workflows that refuse RGB. Browser-safe.
import { formatDecimal } from "./format-number.js";
import type { Picture } from "./layout.js";
import { pdfContentOf } from "./pdf.js";

/** What drawEps takes besides the picture. */
export interface EpsOptions {
  /** Write colours as CMYK (setcmykcolor) instead of RGB/grey. */
  cmyk: boolean;
}

// PDF's path and state operators as PostScript procedures, in a dictionary of their own so the
// including document's names stay untouched.
const PROLOG = [
  "/gs1epsdict 16 dict def",
  "gs1epsdict begin",
  "/q { gsave } bind def",
  "/Q { grestore } bind def",
  "/cm { 6 array astore concat } bind def",
  "/re { 4 2 roll moveto 1 index 0 rlineto 0 exch rlineto neg 0 rlineto closepath } bind def",
  "/f { fill } bind def",
  "/m { moveto } bind def",
  "/l { lineto } bind def",
  "/c { curveto } bind def",
  "/h { closepath } bind def",
  "/g { setgray } bind def",
  "/rg { setrgbcolor } bind def",
  "/k { setcmykcolor } bind def",
  "end",
].join("\n");

/**
 * Returns an EPSF 3.0 file of `picture` (symbol, quiet zone, HRI lines) at its module size in
 * points: %%BoundingBox 0 0 ⌈width⌉ ⌈height⌉ and %%HiResBoundingBox the exact size, the
 * origin at the bottom-left corner. Deterministic. Throws as the PDF renderer does for a
 * malformed matrix or unprintable HRI lines.
 */
export function drawEps(picture: Picture, options: EpsOptions): Uint8Array {
  const { content, widthPt, heightPt } = pdfContentOf(picture);
  let body = "";
  for (let i = 0; i < content.length; i += 8192) {
    body += String.fromCharCode(...content.subarray(i, i + 8192));
  }
  if (options.cmyk) body = toCmyk(body);
  const width = formatDecimal(widthPt, 4);
  const height = formatDecimal(heightPt, 4);
  const text =
    "%!PS-Adobe-3.0 EPSF-3.0\n" +
    `%%BoundingBox: 0 0 ${Math.ceil(widthPt - 1e-9)} ${Math.ceil(heightPt - 1e-9)}\n` +
    `%%HiResBoundingBox: 0 0 ${width} ${height}\n` +
    "%%Creator: gs1-datamatrix-service\n" +
    "%%LanguageLevel: 2\n" +
    "%%Pages: 1\n" +
    "%%EndComments\n" +
    `%%BeginProlog\n${PROLOG}\n%%EndProlog\n` +
    "%%Page: 1 1\n" +
    `gs1epsdict begin\n${body}end\n` +
    "%%Trailer\n%%EOF\n";
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

// Rewrites "v g" and "r g b rg" colour operators as "c m y k k".
function toCmyk(body: string): string {
  // The content stream writes a colour as the last operator of its line.
  return body
    .replace(
      /(^|\s)([0-9.]+) ([0-9.]+) ([0-9.]+) rg\n/g,
      (_, lead: string, r: string, g: string, b: string) => `${lead}${cmyk(+r, +g, +b)}\n`,
    )
    .replace(
      /(^|\s)([0-9.]+) g\n/g,
      (_, lead: string, v: string) => `${lead}${cmyk(+v, +v, +v)}\n`,
    );
}

function cmyk(r: number, g: number, b: number): string {
  const k = 1 - Math.max(r, g, b);
  const under = (v: number) => (k >= 1 ? 0 : (1 - v - k) / (1 - k));
  const values = [under(r), under(g), under(b), k].map((v) => formatDecimal(v, 4));
  return `${values.join(" ")} k`;
}
