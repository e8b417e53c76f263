// EPS output, hand-built (PostScript Language Document Structuring Conventions 3.0, EPSF 3.0):
// the picture as the PDF renderer's content stream (pdfContentOf), whose operators a small
// prolog defines in PostScript (re, f, m, l, c, h, q, Q, cm, g, rg, k), so the two formats
// draw the same rectangles and outlines. No dates or IDs: equal inputs give equal bytes.
// With `cmyk` every colour is written as setcmykcolor (a naive RGB → CMYK: K = 1 - max, the rest
// under it), for print workflows that refuse RGB. Browser-safe.

import { formatDecimal } from "./format-number.js";
import { HRI_ADVANCE } from "./hri-font.generated.js";
import { CLOSE, CUBIC, glyphOutline, LINE } from "./hri-outlines.js";
import type { Picture } from "./layout.js";
import { HRI_FONT_RESOURCE, hriFontBox, pdfContentOf } from "./pdf.js";

/** What drawEps takes besides the picture. */
export interface EpsOptions {
  /** Write colours as CMYK (setcmykcolor) instead of RGB/grey. */
  cmyk: boolean;
}

// The PostScript name of the HRI font an EPS defines (pdf.ts names it OCRB in its resources).
const HRI_FONT_NAME = `GS1-${HRI_FONT_RESOURCE}-HRI`;

// PDF's path, state and text operators as PostScript procedures, in a dictionary of their own
// so the including document's names stay untouched. The text operators show the content's HRI
// strings (BT, Tf, Tm, Tj, ET: see pdf.ts writeHriLines) in the OCR-B font hriFont defines.
const PROLOG = [
  "/gs1epsdict 24 dict def",
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
  "/BT { } def",
  "/ET { } def",
  "/Tf { /hriSize exch def pop } bind def",
  "/Tm { 6 array astore /hriMatrix exch def } bind def",
  `/Tj { gsave hriMatrix concat /${HRI_FONT_NAME} findfont hriSize scalefont setfont 0 0 moveto show grestore } bind def`,
  "end",
].join("\n");

// Returns the prolog lines defining the HRI font as a Type 3 font with the glyphs of `lines`
// (the outline table's, in font units, 1000 to the em, filled with the current colour, as the
// PDF's Type 3 font draws them), or "" without lines.
function hriFont(lines: readonly string[]): string {
  if (lines.length === 0) return "";
  const used = new Set<number>();
  for (const line of lines) for (let k = 0; k < line.length; k++) used.add(line.charCodeAt(k));
  let procs = "";
  for (const code of [...used].sort((a, b) => a - b)) {
    const { ops, coords } = glyphOutline(code);
    if (ops.length === 0) continue;
    let path = "";
    let c = 0;
    for (const op of ops) {
      if (op === CLOSE) {
        path += " closepath";
        continue;
      }
      const n = op === CUBIC ? 6 : 2;
      path += ` ${Array.from(coords.subarray(c, c + n)).join(" ")}`;
      path += op === CUBIC ? " curveto" : op === LINE ? " lineto" : " moveto";
      c += n;
    }
    procs += `Procs ${code} {${path} } put\n`;
  }
  return (
    `/${HRI_FONT_NAME} 8 dict dup begin\n` +
    "/FontType 3 def\n" +
    "/FontMatrix [0.001 0 0 0.001 0 0] def\n" +
    `/FontBBox [${hriFontBox().join(" ")}] def\n` +
    "/Encoding 256 array def 0 1 255 { Encoding exch /.notdef put } for\n" +
    "/Procs 128 array def\n" +
    procs +
    `/BuildChar { exch begin ${HRI_ADVANCE} 0 setcharwidth Procs exch get dup null eq { pop } { exec fill } ifelse end } bind def\n` +
    "end definefont pop\n"
  );
}

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
    `%%BeginProlog\n${PROLOG}\n${hriFont(picture.layout.lines)}%%EndProlog\n` +
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
