// PDF output, hand-built (ISO 32000-1): one page exactly the picture, the dark modules as `re`
// rectangles filled once, optional HRI in the base-14 Courier (no font embedded). Uncompressed
// and without dates or IDs, so equal inputs give equal bytes. Browser-safe: no Node imports.
import { Scratch, writeAscii, writeUint } from "./byte-writer.js";
import { parseHexColor } from "./color.js";
import { formatDecimal } from "./format-number.js";
import { HRI_CHAR_EM, type Layout, layoutPicture } from "./layout.js";
import type { RenderOptions } from "./options.js";
import { checkMatrix, darkRectanglesView, type ModuleMatrix } from "./runs.js";
import { moduleSizePt } from "./units.js";

// A base-14 font: every PDF reader has its metrics, so nothing is embedded.
const COURIER = "<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>";
const contentScratch = new Scratch();
const fileScratch = new Scratch();

/**
 * Returns a single-page PDF 1.4 file of `symbol`: the page is the picture (symbol, quiet zone
 * and the `hri` lines, if any) at `options.xdimMm` per module, in points. Dark
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
  const page = {
    scale,
    width: formatDecimal(layout.width * scale, 4),
    height: formatDecimal(layout.height * scale, 4),
  };
  const content = writeContent(symbol, options, layout, page);
  return writeFile(content, page, layout.lines.length > 0);
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
// rectangle is four small integers, one fill for all, then the HRI text in page coordinates.
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
  let tail = "f Q\n";
  if (layout.lines.length > 0) {
    const sizePt = layout.fontSize * page.scale;
    tail += `BT /F1 ${formatDecimal(sizePt, 4)} Tf ${dark}`;
    for (let i = 0; i < layout.lines.length; i++) {
      const line = layout.lines[i];
      const x = layout.textCenterX * page.scale - (line.length * HRI_CHAR_EM * sizePt) / 2;
      const y = (layout.height - layout.baselines[i]) * page.scale;
      // Tm sets an absolute position per line; Td would accumulate offsets.
      tail += `1 0 0 1 ${formatDecimal(x, 4)} ${formatDecimal(y, 4)} Tm (${escapeString(line)}) Tj\n`;
    }
    tail += "ET\n";
  }
  const { rects, count } = darkRectanglesView(symbol);
  const digits = String(Math.max(layout.width, layout.height)).length;
  const out = contentScratch.get(head.length + tail.length + count * (7 + 4 * digits));
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
  return out.subarray(0, writeAscii(out, at, tail));
}

// Writes the file around `content`: the objects, each offset recorded as written, then the
// cross-reference table pointing there. Returns a copy the caller owns (the scratch is reused).
function writeFile(content: Uint8Array, page: Page, font: boolean): Uint8Array {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${page.width} ${page.height}] ` +
      `/Resources << ${font ? "/Font << /F1 5 0 R >> " : ""}>> /Contents 4 0 R >>`,
    `<< /Length ${content.length} >>\nstream\n`,
  ];
  // The fixed parts (header, endobj lines, font object, xref, trailer) stay under 1 KiB.
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
  if (font) {
    offsets.push(at);
    at = writeAscii(out, at, `5 0 obj\n${COURIER}\nendobj\n`);
  }
  const xref = at;
  // Entries are exactly 20 bytes: 10-digit offset, generation, type, and a 2-byte end of line.
  let table = `xref\n0 ${offsets.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) table += `${String(offset).padStart(10, "0")} 00000 n \n`;
  table += `trailer\n<< /Size ${offsets.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  at = writeAscii(out, at, table);
  return out.slice(0, at);
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
