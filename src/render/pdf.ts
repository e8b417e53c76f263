// PDF output, hand-built (ISO 32000-1): one page exactly the picture, the dark modules as `re`
// rectangles filled once, optional HRI as text in an embedded Type 3 font whose glyphs are the
// OCR-B outline table's, each glyph used written once (no font named and not embedded: print
// preflight refuses those; every viewer draws these shapes alike, and the text can be selected).
// Uncompressed and without dates or IDs, so equal inputs give equal bytes. Browser-safe.
import { RectPathStyle, writeRectanglePath } from "../engine/rectangles.js";
import { claimResult, commitResult, Scratch } from "../result-bytes.js";
import { BoundedCache } from "./bounded-cache.js";
import { writeAscii, writeUint } from "./byte-writer.js";
import { parseHexColor } from "./color.js";
import { formatDecimal } from "./format-number.js";
import { HRI_ADVANCE } from "./hri-font.generated.js";
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

/**
 * Returns a single-page PDF 1.4 file of `symbol`: the page is the picture (symbol, quiet zone
 * and the `hri` lines, if any) at `options.xdimMm` per module, in points. Dark
 * modules are `re` rectangles from darkRectangles, filled once in `options.darkColor`; the light
 * colour is painted as a page-size rectangle unless it is white (the page's own colour). HRI
 * lines are OCR-B outlines filled in the dark colour, centred under the symbol: shown as text in
 * an embedded Type 3 font (objects 5 on: the font, then a glyph procedure per character used;
 * see hriFontObjects). Deterministic: no dates, no random IDs; the cross-reference offsets are
 * counted from the bytes written. Throws a RangeError for a
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
  const content = writeContent(symbol, layout, page);
  return writeFile(content, page, layout.lines);
}

/**
 * Returns the content stream drawPdf puts on its page for `picture` (a copy the caller owns),
 * and that page's size in points: drawn with the picture's bottom-left corner at the origin, so
 * a caller can place it anywhere on a larger page inside `q 1 0 0 1 x y cm … Q` (the label
 * sheets do). With HRI lines the content shows text in the font resource named
 * HRI_FONT_RESOURCE: the page must define it, with the glyphs markHriCharacters finds in the
 * content (hriFontObjects). Throws as toPdf does.
 */
export function pdfContentOf({ symbol, options, layout }: Picture): {
  content: Uint8Array;
  widthPt: number;
  heightPt: number;
} {
  checkMatrix(symbol);
  const page = pageOf(options, layout);
  const content = writeContent(symbol, layout, page).slice();
  return { content, widthPt: Number(page.width), heightPt: Number(page.height) };
}

// Pages already worked out, by module size, picture size and colours: a label run draws page
// after page of a few sizes, and formatting the numbers and the text around them again was a
// fifth of a PDF's own cost.
const pages = new BoundedCache<Page>(256);

// One rounded scale for the page box and the content, so the two agree to the last digit.
function pageOf(options: RenderOptions, layout: Layout): Page {
  const pt = moduleSizePt(options);
  const { darkColor, lightColor } = options;
  const key = `${pt} ${layout.width} ${layout.height} ${darkColor} ${lightColor}`;
  let page = pages.get(key);
  if (page === undefined) {
    const scale = Number(formatDecimal(pt, 6));
    const width = formatDecimal(layout.width * scale, 4);
    const height = formatDecimal(layout.height * scale, 4);
    const background =
      lightColor === "#ffffff" ? "" : `${fillColor(lightColor)}0 0 ${width} ${height} re f\n`;
    const head = `${background}q ${scale} 0 0 ${-scale} 0 ${height} cm ${fillColor(darkColor)}`;
    page = pages.set(key, { scale, width, height, head: encoder.encode(head), objects: [] });
  }
  return page;
}

interface Page {
  /** Points per module. */
  scale: number;
  /** Page size in points, formatted. */
  width: string;
  height: string;
  /** The content stream's start: background, the module coordinate system, the dark colour. */
  head?: Uint8Array;
  /** The page object (object 3) as written, without and with the HRI font, once made. */
  objects?: (Uint8Array | undefined)[];
}

// Writes the content stream into contentScratch and returns a view of it: the page's head (the
// background, then a y-down, module-unit coordinate system, the cm flipping and scaling, and
// the dark colour), so every rectangle is four small integers, one fill for all, then the HRI
// lines in the same system.
function writeContent(symbol: ModuleMatrix, layout: Layout, page: Page): Uint8Array {
  const head = page.head ?? new Uint8Array(0);
  const text = layout.lines.length > 0 ? placeHriLines(layout) : null;
  const { count } = darkRectanglesView(symbol);
  const digits = String(Math.max(layout.width, layout.height)).length;
  const textBytes = text ? hriBytesBound(text) : 0;
  const out = contentScratch.get(head.length + 4 + textBytes + count * (7 + 4 * digits));
  out.set(head, 0);
  let at = writeRectanglePath(
    out,
    head.length,
    RectPathStyle.PDF,
    count,
    layout.symbolX,
    layout.symbolY,
  );
  out[at++] = 0x66; // "f"
  out[at++] = 0x0a;
  if (text) at = writeHriLines(out, at, text);
  out[at++] = 0x51; // "Q"
  out[at++] = 0x0a;
  return out.subarray(0, at);
}

// The resource name of the HRI font in content streams (pdfContentOf's callers define it).
export const HRI_FONT_RESOURCE = "OCRB";
// Bytes of a line's text operators beyond its string: "1 0 0 -1 x y Tm (…) Tj\n".
const LINE_BYTES = 40;
// The text object's start: the font at `size` (modules per em) follows.
const BEGIN_TEXT = `BT /${HRI_FONT_RESOURCE} `;

// Returns the bytes writeHriLines may write for `text` (a string's characters may be escaped).
function hriBytesBound(text: HriPlacement): number {
  let bytes = 32 + text.scale.length;
  for (const line of text.lines) {
    bytes += LINE_BYTES + line.x.length + line.y.length + 2 * line.text.length;
  }
  return bytes;
}

// Writes the lines as one text object in the HRI font (an embedded Type 3 font whose glyphs are
// the outline table's, see hriFontObjects): the font size is the layout's font size in modules
// (the font matrix maps its 1000 units to one), each line placed by a text matrix at its origin
// with y flipped back up, its characters shown as one string (glyphs one advance apart: the
// font's widths). The fill colour is the current one.
function writeHriLines(out: Uint8Array, at: number, text: HriPlacement): number {
  at = writeAscii(out, at, BEGIN_TEXT);
  at = writeAscii(out, at, emSize(text.scale));
  at = writeAscii(out, at, " Tf\n");
  for (const line of text.lines) {
    at = writeAscii(out, at, "1 0 0 -1 ");
    at = writeAscii(out, at, line.x);
    out[at++] = 0x20;
    at = writeAscii(out, at, line.y);
    at = writeAscii(out, at, " Tm (");
    for (let k = 0; k < line.text.length; k++) {
      const code = line.text.charCodeAt(k);
      // ( ) and \ are escaped in a literal string; HRI lines are printable ASCII otherwise.
      if (code === 0x28 || code === 0x29 || code === 0x5c) out[at++] = 0x5c;
      out[at++] = code;
    }
    at = writeAscii(out, at, ") Tj\n");
  }
  return writeAscii(out, at, "ET\n");
}

// The font size for `scale` modules per font unit: scale × 1000, the same decimal digits moved
// three places (scale has at most 7 decimals), so size × 0.001 is exactly the placement's scale.
let lastScale = "";
let lastSize = "";
function emSize(scale: string): string {
  if (scale !== lastScale) {
    lastScale = scale;
    lastSize = formatDecimal(Number(scale) * 1000, 4);
  }
  return lastSize;
}

/**
 * Marks in `used` (indexed by character code) every character the HRI text of `content` shows:
 * the literal strings of content written by pdfContentOf/drawPdf (the only place they put
 * parentheses), escapes undone, and the space when there is any string (so that text of empty
 * lines still has a font). For a caller placing such content on its own pages (the label
 * sheets), which must then define the HRI font with those glyphs (hriFontObjects).
 */
export function markHriCharacters(content: Uint8Array, used: Uint8Array): void {
  let inString = false;
  for (let i = 0; i < content.length; i++) {
    const c = content[i];
    if (!inString) {
      if (c === 0x28) {
        inString = true;
        // Any string needs the font, so it has the space even when every string is empty.
        used[0x20] = 1;
      }
      continue;
    }
    if (c === 0x5c) {
      used[content[++i]] = 1;
    } else if (c === 0x29) {
      inString = false;
    } else {
      used[c] = 1;
    }
  }
}

// AGL glyph names of printable ASCII, 0x20 to 0x7e: the Type 3 font's encoding names them so
// that text extraction (and copy and paste) gives the characters back.
const GLYPH_NAMES = [
  "space",
  "exclam",
  "quotedbl",
  "numbersign",
  "dollar",
  "percent",
  "ampersand",
  "quotesingle",
  "parenleft",
  "parenright",
  "asterisk",
  "plus",
  "comma",
  "hyphen",
  "period",
  "slash",
  "zero",
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "colon",
  "semicolon",
  "less",
  "equal",
  "greater",
  "question",
  "at",
  ..."ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  "bracketleft",
  "backslash",
  "bracketright",
  "asciicircum",
  "underscore",
  "grave",
  ..."abcdefghijklmnopqrstuvwxyz",
  "braceleft",
  "bar",
  "braceright",
  "asciitilde",
];

/**
 * Returns the objects of the HRI font with the glyphs of the characters marked in `used`
 * (indexed by code; printable ASCII): first the Type 3 font dictionary, to be object `firstId`,
 * then one glyph procedure stream per character, objects firstId + 1, … in code order. Each
 * object is its text between "N 0 obj\n" and "\nendobj\n". Glyph procedures are the outline
 * table's paths in font units (1000 an em), filled nonzero in the current colour (they set
 * none); the font matrix scales them by 1/1000; every width is the font's advance. Throws a
 * RangeError when no character is marked.
 */
export function hriFontObjects(used: Uint8Array, firstId: number): string[] {
  const procs: string[] = [];
  let names = "";
  let differences = "";
  let first = -1;
  let last = -1;
  let id = firstId + 1;
  for (let code = 0x20; code < 0x7f; code++) {
    if (used[code] !== 1) continue;
    const name = GLYPH_NAMES[code - 0x20];
    names += `/${name} ${id++} 0 R `;
    differences += `${code === last + 1 ? "" : `${code} `}/${name} `;
    if (first < 0) first = code;
    last = code;
    procs.push(glyphProcedure(code));
  }
  if (first < 0) throw new RangeError("the HRI font needs at least one glyph");
  const widths = `${HRI_ADVANCE} `.repeat(last - first + 1).trimEnd();
  const font =
    `<< /Type /Font /Subtype /Type3 /FontBBox [${hriFontBox().join(" ")}] ` +
    `/FontMatrix [0.001 0 0 0.001 0 0] /CharProcs << ${names}>> ` +
    `/Encoding << /Type /Encoding /Differences [${differences.trimEnd()}] >> ` +
    `/FirstChar ${first} /LastChar ${last} /Widths [${widths}] /Resources << >> >>`;
  return [font, ...procs];
}

// Glyph procedures by character code, made on first use.
const procedures: string[] = [];

// Returns character `code`'s glyph procedure as a stream object's text: its width (d0), then its
// outline as path operators in font units, filled. d0, not d1 (width and box, "uncoloured"):
// with d1 viewers may cache each glyph as a bitmap and place it on whole pixels. poppler does:
// rasterised at 8 px a module, 4,140 pixels then differed from the SVG's raster by more than
// half, against 4 with d0.
function glyphProcedure(code: number): string {
  let procedure = procedures[code];
  if (procedure === undefined) {
    const { ops, coords } = glyphOutline(code);
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
    const data = `${HRI_ADVANCE} 0 d0\n${path === "" ? "" : `${path}f\n`}`;
    procedure = `<< /Length ${data.length} >>\nstream\n${data}\nendstream`;
    procedures[code] = procedure;
  }
  return procedure;
}

// The bounding box [xMin yMin xMax yMax] of outline coordinates (control points included: a
// box that holds the curves).
function boxOf(coords: Int16Array): number[] {
  const box = [coords[0], coords[1], coords[0], coords[1]];
  for (let i = 0; i < coords.length; i += 2) {
    box[0] = Math.min(box[0], coords[i]);
    box[1] = Math.min(box[1], coords[i + 1]);
    box[2] = Math.max(box[2], coords[i]);
    box[3] = Math.max(box[3], coords[i + 1]);
  }
  return box;
}

// The box holding every glyph of the table, computed once.
let allGlyphsBox: number[] | null = null;
/** Returns the box [xMin yMin xMax yMax] holding every glyph of the HRI font, in font units. */
export function hriFontBox(): number[] {
  if (allGlyphsBox === null) {
    const box = [0, 0, 0, 0];
    for (let code = 0x21; code < 0x7f; code++) {
      const { coords } = glyphOutline(code);
      if (coords.length === 0) continue;
      const glyph = boxOf(coords);
      box[0] = Math.min(box[0], glyph[0]);
      box[1] = Math.min(box[1], glyph[1]);
      box[2] = Math.max(box[2], glyph[2]);
      box[3] = Math.max(box[3], glyph[3]);
    }
    allGlyphsBox = box;
  }
  return allGlyphsBox;
}

// Which characters a document shows (by code), reset on every call.
const used = new Uint8Array(128);

/** HRI font objects written out: their bytes and where each object starts in them. */
interface FontBlock {
  bytes: Uint8Array;
  starts: number[];
}

// The HRI font objects (from object 5) of the last glyph set, and that set: a label run shows
// the same characters in document after document, so they are copied in one piece.
const lastUsed = new Uint8Array(128);
let lastFont: FontBlock = { bytes: new Uint8Array(0), starts: [] };

// Returns the HRI font objects, from object 5, for the characters of `lines`.
function fontFor(lines: readonly string[]): FontBlock {
  used.fill(0);
  // The space always: the font then has a glyph even when every line is empty.
  used[0x20] = 1;
  for (const line of lines) for (let k = 0; k < line.length; k++) used[line.charCodeAt(k)] = 1;
  let same = lastFont.starts.length > 0;
  for (let code = 0x20; same && code < 0x7f; code++) same = used[code] === lastUsed[code];
  if (!same) {
    let text = "";
    const starts: number[] = [];
    for (const [i, object] of hriFontObjects(used, 5).entries()) {
      starts.push(text.length);
      text += `${i + 5} 0 obj\n${object}\nendobj\n`;
    }
    lastFont = { bytes: encoder.encode(text), starts };
    lastUsed.set(used);
  }
  return lastFont;
}

const encoder = new TextEncoder();
const NO_FONT: FontBlock = { bytes: new Uint8Array(0), starts: [] };
// The free entry that begins every cross-reference table, and the end of every other entry.
const FREE_ENTRY = "0000000000 65535 f \n";
// The start of every file: the header, the catalog (object 1) and the page tree (object 2).
const HEADER = "%PDF-1.4\n";
const CATALOG = "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n";
const PAGES = "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n";
const FILE_START = encoder.encode(HEADER + CATALOG + PAGES);
const CATALOG_AT = HEADER.length;
const PAGES_AT = HEADER.length + CATALOG.length;
const ENTRY_END = encoder.encode(" 00000 n \n");
// The fixed text around the numbers of object 4, the cross-reference table and the trailer.
const STREAM_START = encoder.encode("4 0 obj\n<< /Length ");
const STREAM_LENGTH_END = encoder.encode(" >>\nstream\n");
const STREAM_END = encoder.encode("\nendstream\nendobj\n");
const XREF_START = encoder.encode("xref\n0 ");
const XREF_FREE = encoder.encode(`\n${FREE_ENTRY}`);
const TRAILER_START = encoder.encode("trailer\n<< /Size ");
const TRAILER_ROOT = encoder.encode(" /Root 1 0 R >>\nstartxref\n");
const FILE_END = encoder.encode("\n%%EOF\n");

/**
 * Returns a single-page PDF 1.4 file (a copy the caller owns) whose page is `widthPt` x
 * `heightPt` points (numbers as they go into the MediaBox) and whose content stream is `content`:
 * the file drawPdf writes, for other pictures (the 1D barcodes).
 */
export function pdfFileOf(content: Uint8Array, widthPt: string, heightPt: string): Uint8Array {
  return writeFile(content, { scale: 1, width: widthPt, height: heightPt }, []);
}

// Writes the file around `content`: the objects, each offset recorded as written, then the
// cross-reference table pointing there. With HRI `lines`, the page's resources name the HRI
// font, objects 5 on. Returns a copy the caller owns (the scratch is reused).
function writeFile(content: Uint8Array, page: Page, lines: readonly string[]): Uint8Array {
  const withFont = lines.length > 0;
  const font = withFont ? fontFor(lines) : NO_FONT;
  // The header and objects 1 and 2 are the same in every file: copied from FILE_START.
  const pageObject = pageObjectOf(page, withFont);
  const count = 4 + font.starts.length;
  // The fixed parts (header, endobj lines, trailer) stay under 1 KiB; 20 bytes an xref entry.
  const size = 1024 + content.length + pageObject.length + font.bytes.length + 20 * count;
  const out = claimResult(size);
  out.set(FILE_START, 0);
  const offsets: number[] = [CATALOG_AT, PAGES_AT, FILE_START.length];
  out.set(pageObject, FILE_START.length);
  let at = FILE_START.length + pageObject.length;
  offsets.push(at);
  out.set(STREAM_START, at);
  at = writeUint(out, at + STREAM_START.length, content.length);
  out.set(STREAM_LENGTH_END, at);
  at += STREAM_LENGTH_END.length;
  out.set(content, at);
  at += content.length;
  out.set(STREAM_END, at);
  at += STREAM_END.length;
  for (const start of font.starts) offsets.push(at + start);
  out.set(font.bytes, at);
  at += font.bytes.length;
  const xref = at;
  // Entries are exactly 20 bytes: 10-digit offset, generation, type, and a 2-byte end of line.
  out.set(XREF_START, at);
  at = writeUint(out, at + XREF_START.length, count + 1);
  out.set(XREF_FREE, at);
  at += XREF_FREE.length;
  for (const offset of offsets) {
    // Digits from the right, then zeros; the entry's end byte by byte (a set() costs more).
    let n = offset;
    let d = 9;
    for (; n > 0; d--) {
      const q = (n / 10) | 0;
      out[at + d] = 0x30 + n - 10 * q;
      n = q;
    }
    for (; d >= 0; d--) out[at + d] = 0x30;
    for (let i = 0; i < 10; i++) out[at + 10 + i] = ENTRY_END[i];
    at += 20;
  }
  out.set(TRAILER_START, at);
  at = writeUint(out, at + TRAILER_START.length, count + 1);
  out.set(TRAILER_ROOT, at);
  at = writeUint(out, at + TRAILER_ROOT.length, xref);
  out.set(FILE_END, at);
  return commitResult(out, at + FILE_END.length);
}

// Object 3 of `page`, its resources naming the HRI font or none; kept on pages from pageOf.
function pageObjectOf(page: Page, withFont: boolean): Uint8Array {
  const kept = page.objects?.[withFont ? 1 : 0];
  if (kept !== undefined) return kept;
  const resources = withFont ? `<< /Font << /${HRI_FONT_RESOURCE} 5 0 R >> >>` : "<< >>";
  const object = encoder.encode(
    `3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${page.width} ${page.height}] ` +
      `/Resources ${resources} /Contents 4 0 R >>\nendobj\n`,
  );
  if (page.objects) page.objects[withFont ? 1 : 0] = object;
  return object;
}

/** Returns a fill-colour operator line: `g` for greys (shorter; black stays "0 g"), else `rg`. */
export function fillColor(color: string): string {
  const [r, g, b] = parseHexColor(color);
  if (r === g && g === b) return `${formatDecimal(r / 255, 4)} g\n`;
  return `${formatDecimal(r / 255, 4)} ${formatDecimal(g / 255, 4)} ${formatDecimal(b / 255, 4)} rg\n`;
}
