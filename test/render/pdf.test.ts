import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { HRI_ADVANCE, HRI_GLYPHS } from "../../src/render/hri-font.generated.js";
import { layoutPicture, pictureOf } from "../../src/render/layout.js";
import { DEFAULT_RENDER_OPTIONS, type RenderOptions } from "../../src/render/options.js";
import { markHriCharacters, pdfContentOf, toPdf } from "../../src/render/pdf.js";
import { toSvgBytes } from "../../src/render/svg.js";
import { decodeImage } from "../helpers/decode.js";
import { rasterisePdf, rasteriseSvg } from "../helpers/raster.js";
import { FIXTURES, HRI_22, symbolOf } from "./fixtures.js";

const OPTIONS: RenderOptions = { ...DEFAULT_RENDER_OPTIONS };
const dir = mkdtempSync(join(tmpdir(), "render-pdf-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function save(pdf: Uint8Array): string {
  const file = join(dir, `${files++}.pdf`);
  writeFileSync(file, pdf);
  return file;
}

/** Runs `qpdf --check`; throws (non-zero exit) on any structural error. */
function qpdfCheck(file: string): string {
  return execFileSync("qpdf", ["--check", file], { encoding: "utf8" });
}

/** Rasterises page 1 of the PDF file with poppler's pdftoppm at `dpi`, returning PNG bytes. */
function pdftoppm(file: string, dpi: number): Buffer {
  return rasterisePdf(readFileSync(file), dpi);
}

const latin1 = (pdf: Uint8Array): string => Buffer.from(pdf).toString("latin1");

describe("toPdf", () => {
  it.each(FIXTURES.map((f) => [f.name, f] as const))(
    "renders the zint %s symbol as a PDF that qpdf accepts and that reads back via pdftoppm",
    async (_name, fixture) => {
      const file = save(toPdf(symbolOf(fixture), OPTIONS));
      expect(qpdfCheck(file)).toContain("No syntax or stream encoding errors found");
      const decoded = await decodeImage(pdftoppm(file, 300));
      expect(decoded.symbologyIdentifier).toBe(fixture.symbologyIdentifier);
      expect(decoded.text).toBe(fixture.text);
    },
  );

  it("points every cross-reference entry at its 'N 0 obj' and startxref at the table", () => {
    for (const pdf of [
      toPdf(symbolOf(FIXTURES[1]), OPTIONS),
      toPdf(symbolOf(FIXTURES[1]), { ...OPTIONS, hri: true, lightColor: "#ffeecc" }, HRI_22),
    ]) {
      const text = latin1(pdf);
      const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)?.[1]);
      expect(text.startsWith("xref\n", startxref)).toBe(true);
      const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(text.slice(startxref)) ?? [];
      expect(Number(first)).toBe(0);
      const table = text
        .slice(startxref)
        .split("\n")
        .slice(2, 2 + Number(count));
      expect(table[0]).toBe("0000000000 65535 f ");
      for (let n = 1; n < Number(count); n++) {
        // Each entry is exactly 20 bytes with its two-character end of line.
        expect(table[n]).toMatch(/^\d{10} 00000 n $/);
        const offset = Number(table[n].slice(0, 10));
        expect(text.startsWith(`${n} 0 obj\n`, offset), `object ${n} at ${offset}`).toBe(true);
      }
      expect(text).toContain(`trailer\n<< /Size ${count} /Root 1 0 R >>`);
    }
  });

  it("declares each content stream's exact length", () => {
    const text = latin1(toPdf(symbolOf(FIXTURES[2]), { ...OPTIONS, hri: true }, ["(21) X"]));
    const match = /<< \/Length (\d+) >>\nstream\n/.exec(text);
    if (!match) throw new Error("no content stream");
    const start = match.index + match[0].length;
    expect(text.slice(start + Number(match[1]))).toMatch(/^\nendstream\n/);
  });

  it("makes the page exactly the symbol plus quiet zone at the module size in points", () => {
    // 22 + 2 × 2 = 26 modules × 0.38 mm = 9.88 mm = 28.0063 pt; 16x48 + 2 × 3 at 0.5 mm:
    // 54 × 1.417323 = 76.5354 pt by 22 × 1.417323 = 31.1811 pt.
    expect(latin1(toPdf(symbolOf(FIXTURES[1]), OPTIONS))).toContain(
      "/MediaBox [0 0 28.0063 28.0063]",
    );
    const wide = latin1(
      toPdf(symbolOf(FIXTURES[4]), { ...OPTIONS, xdimMm: 0.5, quietZoneModules: 3 }),
    );
    expect(wide).toContain("/MediaBox [0 0 76.5354 31.1811]");
    expect(wide).toContain("q 1.417323 0 0 -1.417323 0 31.1811 cm");
  });

  it("rasterises to the page size: 26 modules at 0.38 mm are 117 px at 300 dpi", async () => {
    const png = pdftoppm(save(toPdf(symbolOf(FIXTURES[1]), OPTIONS)), 300);
    const { width, height } = await sharp(png).metadata();
    expect([width, height]).toEqual([117, 117]);
  });

  it("paints no background on white, a page-size rectangle otherwise, and honours both colours", async () => {
    const fixture = FIXTURES[1];
    const plain = latin1(toPdf(symbolOf(fixture), OPTIONS));
    expect(plain).toMatch(/stream\nq [^\n]* cm 0 g\n/);
    const coloured = toPdf(symbolOf(fixture), {
      ...OPTIONS,
      darkColor: "#002060",
      lightColor: "#ffeecc",
    });
    expect(latin1(coloured)).toContain("stream\n1 0.9333 0.8 rg\n0 0 28.0063 28.0063 re f\nq ");
    expect(latin1(coloured)).toContain(" cm 0 0.1255 0.3765 rg\n");
    // 8 px per module at 0.38 mm: 8 / 0.38 × 25.4 = 534.7 dpi.
    const png = pdftoppm(save(coloured), (8 / 0.38) * 25.4);
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    const rgb = (x: number, y: number): number[] => {
      const at = (y * info.width + x) * info.channels;
      return [data[at], data[at + 1], data[at + 2]];
    };
    const near = (actual: number[], expected: number[]): void => {
      for (let k = 0; k < 3; k++) expect(Math.abs(actual[k] - expected[k])).toBeLessThanOrEqual(1);
    };
    near(rgb(4, 4), [0xff, 0xee, 0xcc]); // quiet zone
    near(rgb(2 * 8 + 4, (2 + 21) * 8 + 4), [0x00, 0x20, 0x60]); // finder corner module (21, 0)
    expect((await decodeImage(png)).text).toBe(fixture.text);
  });

  it("draws HRI lines in one embedded Type 3 font: pdffonts lists only it, embedded; qpdf-clean; pdftotext reads the lines; ink under the symbol", async () => {
    const fixture = FIXTURES[1];
    const lines = [...HRI_22, "(99) a\\b(c)"];
    const options = { ...OPTIONS, hri: true };
    const pdf = toPdf(symbolOf(fixture), options, lines);
    const text = latin1(pdf);
    for (const key of ["Courier", "/BaseFont", "/FontFile"]) expect(text).not.toContain(key);
    const file = save(pdf);
    expect(qpdfCheck(file)).toContain("No syntax or stream encoding errors found");
    // pdffonts: its two header lines and one font, Type 3, embedded.
    const fonts = execFileSync("pdffonts", [file], { encoding: "utf8" }).trim().split("\n");
    expect(fonts).toHaveLength(3);
    expect(fonts[2]).toMatch(/^\[none\]\s+Type 3\s+Custom\s+yes\s/);
    // poppler reads the text back, line by line (glyph names of the encoding give the characters).
    const extracted = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    expect(
      extracted
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l !== ""),
    ).toEqual(lines);
    const png = pdftoppm(file, 600);
    expect((await decodeImage(png)).text).toBe(fixture.text);
    // poppler's raster has ink in every line's box and none between the symbol and the text.
    const layout = layoutPicture(symbolOf(fixture), options, lines);
    const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
    const pxPerModule = info.height / layout.height;
    const inkInRows = (from: number, to: number): number => {
      let ink = 0;
      for (let y = Math.round(from * pxPerModule); y < Math.round(to * pxPerModule); y++) {
        for (let x = 0; x < info.width; x++) if (data[y * info.width + x] < 128) ink++;
      }
      return ink;
    };
    const em = layout.fontSize;
    expect(inkInRows(fixture.rows + 2, layout.baselines[0] - 0.8 * em)).toBe(0);
    for (const baseline of layout.baselines) {
      expect(inkInRows(baseline - 0.7 * em, baseline)).toBeGreaterThan(0);
    }
  });

  it("defines each character's glyph as the font table's outline, one advance wide, and shows each line as a string at its place", () => {
    const lines = ["(10) LOT-A001", "A A"];
    const options = { ...OPTIONS, hri: true };
    const file = save(toPdf(symbolOf(FIXTURES[0]), options, lines));
    // The file's objects as qpdf parses them (not this renderer's writer).
    const json = JSON.parse(
      execFileSync("qpdf", ["--json=2", "--json-key=qpdf", "--json-stream-data=inline", file], {
        encoding: "utf8",
      }),
    );
    const objects: Record<string, { value?: Record<string, unknown>; stream?: { data: string } }> =
      json.qpdf[1];
    const object = (ref: string) => objects[`obj:${ref}`];
    const streamText = (ref: string) =>
      Buffer.from(object(ref).stream?.data ?? "", "base64").toString("latin1");
    const page = Object.values(objects).find((o) => o.value?.["/Type"] === "/Page")?.value;
    if (!page) throw new Error("no page object");
    const fontRef = (page["/Resources"] as { "/Font": Record<string, string> })["/Font"]["/OCRB"];
    const font = object(fontRef).value as Record<string, unknown>;
    expect(font["/Subtype"]).toBe("/Type3");
    expect(font["/FontMatrix"]).toEqual([0.001, 0, 0, 0.001, 0, 0]);
    const first = font["/FirstChar"] as number;
    for (const w of font["/Widths"] as number[]) expect(w).toBe(HRI_ADVANCE);
    // Code → glyph name, from the Differences array.
    const names = new Map<number, string>();
    let code = 0;
    for (const item of (font["/Encoding"] as { "/Differences": (number | string)[] })[
      "/Differences"
    ]) {
      if (typeof item === "number") code = item;
      else names.set(code++, item);
    }
    const procs = font["/CharProcs"] as Record<string, string>;
    const distinct = new Set(lines.join(""));
    expect(Object.keys(procs)).toHaveLength(distinct.size);
    for (const ch of distinct) {
      const c = ch.charCodeAt(0);
      expect(c).toBeGreaterThanOrEqual(first);
      const proc = streamText(procs[names.get(c) ?? ""]);
      // The table's path data as PDF operators: M x y -> x y m, C … -> … c, Z -> h.
      const operators = [...HRI_GLYPHS[c - 32].matchAll(/([MLCZ])([^MLCZ]*)/g)]
        .map(([, op, args]) =>
          op === "Z" ? "h" : `${args} ${op === "M" ? "m" : op.toLowerCase()}`,
        )
        .join(" ");
      // Its width, then the outline filled (a space: nothing).
      expect(proc, `glyph of ${ch}`).toBe(
        `${HRI_ADVANCE} 0 d0\n${operators === "" ? "" : `${operators} f\n`}`,
      );
    }
    // The content: the font at the layout's size (1000 units an em), each line's string at its
    // origin, y flipped back up (the modules are drawn y down).
    const layout = layoutPicture(symbolOf(FIXTURES[0]), options, lines);
    const content = streamText(page["/Contents"] as string);
    const size = Number(/\/OCRB ([\d.]+) Tf/.exec(content)?.[1]);
    expect(size / 1000).toBeCloseTo(layout.fontSize / 1000, 8);
    const shown = [...content.matchAll(/1 0 0 -1 ([\d.]+) ([\d.]+) Tm \((.*)\) Tj/g)];
    expect(shown.map((m) => m[3].replace(/\\(.)/g, "$1"))).toEqual(lines);
    for (const [i, [, x, y]] of shown.entries()) {
      expect(Number(x) + (lines[i].length * HRI_ADVANCE * size) / 2000).toBeCloseTo(
        layout.textCenterX,
        2,
      );
      expect(Number(y)).toBeCloseTo(layout.baselines[i], 3);
    }
  });

  it("draws the HRI as the SVG does: pdftoppm's raster of the PDF and rsvg-convert's of the SVG agree", async () => {
    const fixture = FIXTURES[1];
    const options = { ...OPTIONS, hri: true };
    const lines = [...HRI_22, "(99) a\\b(c)"];
    const layout = layoutPicture(symbolOf(fixture), options, lines);
    // Both rasterised to 8 px per module exactly.
    const [width, height] = [layout.width * 8, layout.height * 8];
    const pdf = toPdf(symbolOf(fixture), options, lines);
    const size = ["-scale-to-x", String(width), "-scale-to-y", String(height)];
    const pdfPng = execFileSync("pdftoppm", ["-png", ...size, "-singlefile", save(pdf)]);
    const fromPdf = await sharp(pdfPng).greyscale().raw().toBuffer({ resolveWithObject: true });
    expect([fromPdf.info.width, fromPdf.info.height]).toEqual([width, height]);
    const svg = toSvgBytes(symbolOf(fixture), options, lines);
    const fromSvg = await sharp(rasteriseSvg(svg, ["-w", String(width), "-h", String(height)]))
      .flatten({ background: "#ffffff" })
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([fromSvg.info.width, fromSvg.info.height]).toEqual([width, height]);
    // Anti-aliasing differs between cairo and poppler's rasterisers: edges may differ, shapes not.
    let far = 0;
    let ink = 0;
    for (let i = 0; i < fromPdf.data.length; i++) {
      if (fromPdf.data[i] < 128) ink++;
      if (Math.abs(fromPdf.data[i] - fromSvg.data[i]) > 128) far++;
    }
    expect(ink).toBeGreaterThan(1000);
    expect(far / ink).toBeLessThan(0.01);
  });

  it("finds the characters a content stream shows (markHriCharacters), escapes undone, for pages that carry it", () => {
    const lines = ["(99) a\\b(c)", "Z~"];
    const { content } = pdfContentOf(
      pictureOf(symbolOf(FIXTURES[0]), { ...OPTIONS, hri: true }, lines),
    );
    const used = new Uint8Array(128);
    markHriCharacters(content, used);
    const shown = [...used.keys()].filter((code) => used[code] === 1);
    expect(String.fromCharCode(...shown)).toBe([...new Set(`${lines.join("")} `)].sort().join(""));
    // Empty lines show no character, but the font must exist: it has the space.
    const empty = new Uint8Array(128);
    const blank = pictureOf(symbolOf(FIXTURES[0]), { ...OPTIONS, hri: true }, ["", ""]);
    markHriCharacters(pdfContentOf(blank).content, empty);
    expect([...empty.keys()].filter((code) => empty[code] === 1)).toEqual([0x20]);
    const file = save(toPdf(symbolOf(FIXTURES[0]), { ...OPTIONS, hri: true }, ["", ""]));
    expect(qpdfCheck(file)).toContain("No syntax or stream encoding errors found");
    const none = new Uint8Array(128);
    markHriCharacters(pdfContentOf(pictureOf(symbolOf(FIXTURES[0]), OPTIONS)).content, none);
    expect(none.every((mark) => mark === 0)).toBe(true);
  });

  it("embeds no fonts, dates or IDs without HRI", () => {
    const text = latin1(toPdf(symbolOf(FIXTURES[0]), OPTIONS));
    for (const key of ["/Font", "/CreationDate", "/ModDate", "/ID", "/Info"])
      expect(text).not.toContain(key);
    expect(text.startsWith("%PDF-1.4\n")).toBe(true);
  });

  it("rejects a malformed matrix", () => {
    expect(() => toPdf({ rows: 1, columns: 0, modules: new Uint8Array(0) }, OPTIONS)).toThrow(
      RangeError,
    );
  });
});
