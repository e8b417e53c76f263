// PDF output, hand-built (ISO 32000-1): one page exactly the picture, the dark modules as `re`
// rectangles filled once, optional HRI as filled OCR-B outlines (no font, embedded or named:
// print preflight refuses non-embedded fonts, and every viewer draws these shapes alike).
// Uncompressed and without dates or IDs, so equal inputs give equal bytes. Browser-safe.
import { Scratch, writeAscii, writeUint } from "./byte-writer.js";
import { parseHexColor } from "./color.js";
import { formatDecimal } from "./format-number.js";
import {
  CLOSE,
  CUBIC,
  glyphOutline,
  type HriPlacement,
  LINE,
  placeHriLines,
} from "./hri-outlines.js";
import { type Layout, type Picture, pictureOf } from "./layout.js";
import type { RenderOptions } from "./options.js";
import { checkMatrix, darkRectanglesView, type ModuleMatrix } from "./runs.js";
import { moduleSizePt } from "./units.js";

const contentScratch = new Scratch();
const fileScratch = new Scratch();

/**
 * Returns a single-page PDF 1.4 file of `symbol`: the page is the picture (symbol, quiet zone
 * and the `hri` lines, if any) at `options.xdimMm` per module, in points. Dark
 * modules are `re` rectangles from darkRectangles, filled once in `options.darkColor`; the light
 * colour is painted as a page-size rectangle unless it is white (the page's own colour). HRI
 * lines are OCR-B outlines filled in the dark colour, centred under the symbol. Deterministic: no dates, no random IDs; the
 * cross-reference offsets are counted from the bytes written. Throws a RangeError for a
 * malformed matrix or missing/unprintable HRI lines (see layoutPicture).
 */
export function toPdf(
  symbol: ModuleMatrix,
  options: RenderOptions,
  hri?: readonly string[],
): Uint8Array {
  checkMatrix(symbol);
  return drawPdf(pictureOf(symbol, options, hri));
}

/** Returns toPdf's file for a picture laid out already (see pictureOf). */
export function drawPdf({ symbol, options, layout }: Picture): Uint8Array {
  checkMatrix(symbol);
  const page = pageOf(options, layout);
  const content = writeContent(symbol, options, layout, page);
  return writeFile(content, page);
}

/**
 * Returns the content stream drawPdf puts on its page for `picture` (a copy the caller owns),
 * and that page's size in points: drawn with the picture's bottom-left corner at the origin, so
 * a caller can place it anywhere on a larger page inside `q 1 0 0 1 x y cm … Q` (the label
 * sheets do). Throws as toPdf does.
 */
export function pdfContentOf({ symbol, options, layout }: Picture): {
  content: Uint8Array;
  widthPt: number;
  heightPt: number;
} {
  checkMatrix(symbol);
  const page = pageOf(options, layout);
  const content = writeContent(symbol, options, layout, page).slice();
  return { content, widthPt: Number(page.width), heightPt: Number(page.height) };
}

// One rounded scale for the page box and the content, so the two agree to the last digit.
function pageOf(options: RenderOptions, layout: Layout): Page {
  const scale = Number(formatDecimal(moduleSizePt(options), 6));
  return {
    scale,
    width: formatDecimal(layout.width * scale, 4),
    height: formatDecimal(layout.height * scale, 4),
  };
}

interface Page {
  /** Points per module. */
  scale: number;
  /** Page size in points, formatted. */
  width: string;
  height: string;
}

// Writes the content stream into contentScratch and returns a view of it: the background, then
// the modules in a y-down, module-unit coordinate system (the cm flips and scales) so every
// rectangle is four small integers, one fill for all, then the HRI lines in the same system.
function writeContent(
  symbol: ModuleMatrix,
  options: RenderOptions,
  layout: Layout,
  page: Page,
): Uint8Array {
  const dark = fillColor(options.darkColor);
  const background =
    options.lightColor === "#ffffff"
      ? ""
      : `${fillColor(options.lightColor)}0 0 ${page.width} ${page.height} re f\n`;
  const head = `${background}q ${page.scale} 0 0 ${-page.scale} 0 ${page.height} cm ${dark}`;
  const text = layout.lines.length > 0 ? placeHriLines(layout) : null;
  const { rects, count } = darkRectanglesView(symbol);
  const digits = String(Math.max(layout.width, layout.height)).length;
  const textBytes = text ? hriBytesBound(text) : 0;
  const out = contentScratch.get(head.length + 4 + textBytes + count * (7 + 4 * digits));
  let at = writeAscii(out, 0, head);
  for (let i = 0; i < count * 4; i += 4) {
    at = writeUint(out, at, rects[i] + layout.symbolX);
    out[at++] = 0x20;
    at = writeUint(out, at, rects[i + 1] + layout.symbolY);
    out[at++] = 0x20;
    at = writeUint(out, at, rects[i + 2]);
    out[at++] = 0x20;
    at = writeUint(out, at, rects[i + 3]);
    at = writeAscii(out, at, " re\n");
  }
  at = writeAscii(out, at, "f\n");
  if (text) at = writeHriLines(out, at, text);
  return out.subarray(0, writeAscii(out, at, "Q\n"));
}

// Glyph outlines as content-stream bytes, "x y m … c … h f" in font units; null for a space.
const pdfGlyphs: (Uint8Array | null | undefined)[] = [];
const encoder = new TextEncoder();
// The most a translation between two glyphs ("1 0 0 1 123456 0 cm\n") takes.
const MOVE_BYTES = 24;

// Returns the bytes writeHriLines may write for `text`.
function hriBytesBound(text: HriPlacement): number {
  let bytes = 0;
  for (const line of text.lines) {
    bytes += 40 + 2 * text.scale.length + line.x.length + line.y.length;
    for (let k = 0; k < line.text.length; k++) {
      bytes += MOVE_BYTES + (pdfGlyph(line.text.charCodeAt(k))?.length ?? 0);
    }
  }
  return bytes;
}

// Writes each line as its own graphics state: a cm from font units (y up) to the module system,
// then per glyph a translation by the advance and its outline, filled (nonzero, as the font's
// outlines are drawn). cm may not occur inside a path, so each glyph is filled alone; OCR-B's
// glyphs stay inside their advance, so no two touch and no seam can show.
function writeHriLines(out: Uint8Array, at: number, text: HriPlacement): number {
  for (const line of text.lines) {
    at = writeAscii(out, at, `q ${text.scale} 0 0 -${text.scale} ${line.x} ${line.y} cm\n`);
    let origin = 0;
    for (let k = 0; k < line.text.length; k++) {
      const glyph = pdfGlyph(line.text.charCodeAt(k));
      if (!glyph) continue;
      if (k > origin) {
        at = writeAscii(out, at, "1 0 0 1 ");
        at = writeUint(out, at, (k - origin) * text.advance);
        at = writeAscii(out, at, " 0 cm\n");
        origin = k;
      }
      out.set(glyph, at);
      at += glyph.length;
    }
    at = writeAscii(out, at, "Q\n");
  }
  return at;
}

// Returns character `code`'s outline as path construction and fill operators, encoded on first
// use (null for a space).
function pdfGlyph(code: number): Uint8Array | null {
  let glyph = pdfGlyphs[code];
  if (glyph !== undefined) return glyph;
  const { ops, coords } = glyphOutline(code);
  glyph = null;
  if (ops.length > 0) {
    let path = "";
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
    glyph = encoder.encode(`${path}f\n`);
  }
  pdfGlyphs[code] = glyph;
  return glyph;
}

/**
 * Returns a single-page PDF 1.4 file (a copy the caller owns) whose page is `widthPt` x
 * `heightPt` points (numbers as they go into the MediaBox) and whose content stream is `content`:
 * the file drawPdf writes, for other pictures (the 1D barcodes).
 */
export function pdfFileOf(content: Uint8Array, widthPt: string, heightPt: string): Uint8Array {
  return writeFile(content, { scale: 1, width: widthPt, height: heightPt });
}

// Writes the file around `content`: the objects, each offset recorded as written, then the
// cross-reference table pointing there. Returns a copy the caller owns (the scratch is reused).
function writeFile(content: Uint8Array, page: Page): Uint8Array {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${page.width} ${page.height}] ` +
      "/Resources << >> /Contents 4 0 R >>",
    `<< /Length ${content.length} >>\nstream\n`,
  ];
  // The fixed parts (header, endobj lines, xref, trailer) stay under 1 KiB.
  const out = fileScratch.get(1024 + content.length + objects[2].length);
  const offsets: number[] = [];
  let at = writeAscii(out, 0, "%PDF-1.4\n");
  for (let i = 0; i < objects.length; i++) {
    offsets.push(at);
    at = writeAscii(out, at, `${i + 1} 0 obj\n${objects[i]}`);
    if (i < 3) at = writeAscii(out, at, "\nendobj\n");
  }
  out.set(content, at);
  at = writeAscii(out, at + content.length, "\nendstream\nendobj\n");
  const xref = at;
  // Entries are exactly 20 bytes: 10-digit offset, generation, type, and a 2-byte end of line.
  let table = `xref\n0 ${offsets.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) table += `${String(offset).padStart(10, "0")} 00000 n \n`;
  table += `trailer\n<< /Size ${offsets.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  at = writeAscii(out, at, table);
  return out.slice(0, at);
}

/** Returns a fill-colour operator line: `g` for greys (shorter; black stays "0 g"), else `rg`. */
export function fillColor(color: string): string {
  const [r, g, b] = parseHexColor(color);
  if (r === g && g === b) return `${formatDecimal(r / 255, 4)} g\n`;
  return `${formatDecimal(r / 255, 4)} ${formatDecimal(g / 255, 4)} ${formatDecimal(b / 255, 4)} rg\n`;
}
