// The sheet PDF writer against independent checks: qpdf --check (structure, xref, lengths),
// qpdf's own page count and content streams, the cell outlines of a proof sheet against
// glabels' L7160 numbers (stated in points there), and resume from a checkpoint after more was
// written (a crash leaves the files longer than the checkpoint) giving the same bytes as an
// uninterrupted run.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SheetPdfWriter } from "../../../src/labels/sheets/pdf-file.js";
import { renderSheetLabel } from "../../../src/labels/sheets/render-labels.js";
import { TEMPLATES } from "../../../src/labels/sheets/templates.js";
import type { ItemError } from "../../../src/labels/types.js";

const dir = mkdtempSync(join(tmpdir(), "sheet-pdf-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const L7160 = TEMPLATES.find((t) => t.name === "avery_l7160");
if (!L7160) throw new Error("no avery_l7160");
const layout = { sheet: L7160, startPosition: 0, proof: true };

// Batches of rendered labels, as the render threads return them (with HRI and label text unless
// `text` is false).
function batches(
  count: number,
  size: number,
  text = true,
): { block: Uint8Array; sizes: number[] }[] {
  const out: { block: Uint8Array; sizes: number[] }[] = [];
  for (let start = 0; start < count; start += size) {
    const parts: Uint8Array[] = [];
    const sizes: number[] = [];
    for (let i = start; i < Math.min(count, start + size); i++) {
      const errors: ItemError[] = [];
      const label = renderSheetLabel(
        text
          ? { gtin: "09506000134352", serial: `S${i}`, label_text: `Item ${i}` }
          : { gtin: "09506000134352", serial: `S${i}` },
        i + 1,
        { hri: text },
        { template: L7160 as never, startPosition: 0, proof: true },
        errors,
      );
      expect(errors).toEqual([]);
      if (!label) throw new Error("no label");
      parts.push(label.content);
      sizes.push(label.content.length, label.widthPt, label.heightPt);
    }
    out.push({ block: Buffer.concat(parts), sizes });
  }
  return out;
}

function qpdfCheck(path: string): string {
  const r = spawnSync("qpdf", ["--check", path], { encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return r.stdout;
}

describe("SheetPdfWriter", () => {
  const work = batches(50, 7);

  it("writes a PDF qpdf checks clean, one page per 21 labels", async () => {
    const path = join(dir, "a.pdf");
    const w = await SheetPdfWriter.open(path, layout);
    for (const b of work) await w.appendLabels(b.block, b.sizes);
    const { size, pages } = await w.finish();
    expect(pages).toBe(3);
    expect(readFileSync(path).length).toBe(size);
    expect(qpdfCheck(path)).toContain("No syntax or stream encoding errors");
    expect(execFileSync("qpdf", ["--show-npages", path], { encoding: "utf8" }).trim()).toBe("3");
  });

  it("embeds the HRI font once, a Type 3 font of the glyphs the labels show: pdffonts lists only it, and poppler reads every label's text", () => {
    const path = join(dir, "a.pdf");
    const fonts = execFileSync("pdffonts", [path], { encoding: "utf8" }).trim().split("\n");
    expect(fonts).toHaveLength(3);
    expect(fonts[2]).toMatch(/^\[none\]\s+Type 3\s+Custom\s+yes\s/);
    const text = execFileSync("pdftotext", ["-layout", path, "-"], { encoding: "utf8" });
    for (let i = 0; i < 50; i++) {
      expect(text).toMatch(new RegExp(`\\(21\\) S${i}\\b`));
      expect(text).toMatch(new RegExp(`Item ${i}\\b`));
    }
    expect(text.match(/\(01\) 09506000134352/g)).toHaveLength(50);
  });

  it("embeds no font when no label shows text", async () => {
    const path = join(dir, "plain.pdf");
    const w = await SheetPdfWriter.open(path, layout);
    for (const b of batches(30, 7, false)) await w.appendLabels(b.block, b.sizes);
    expect((await w.finish()).pages).toBe(2);
    qpdfCheck(path);
    expect(execFileSync("pdffonts", [path], { encoding: "utf8" }).trim().split("\n")).toHaveLength(
      2,
    );
  });

  it("draws the proof outlines at glabels' L7160 cell corners (points)", () => {
    // avery-iso-templates.xml part="7160": x0=21.2 y0=43.9 dx=187.2 dy=108.0, 181.4 × 108.0 pt.
    const text = execFileSync(
      "qpdf",
      ["--show-object=3", "--filtered-stream-data", join(dir, "a.pdf")],
      {
        encoding: "latin1",
      },
    );
    // The outlines open the page's stream, stroked once; the labels' modules follow.
    const outlines = text.slice(text.indexOf("q 0.5 G 0.25 w\n"), text.indexOf("S Q\n"));
    const rects = [...outlines.matchAll(/^([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re$/gm)].map((m) =>
      m.slice(1, 5).map(Number),
    );
    expect(rects.length).toBe(21);
    const pageHeight = (297 * 72) / 25.4;
    for (let cell = 0; cell < 21; cell++) {
      const [x, y, w, h] = rects[cell];
      const col = cell % 3;
      const row = Math.floor(cell / 3);
      expect(x).toBeCloseTo(21.2 + col * 187.2, 3);
      expect(pageHeight - (y + h)).toBeCloseTo(43.9 + row * 108, 3);
      expect(w).toBeCloseTo(181.4, 3);
      expect(h).toBeCloseTo(108, 3);
    }
  });

  it("resumed from a checkpoint, after a crash wrote past it, gives the same bytes", async () => {
    const path = join(dir, "b.pdf");
    const first = await SheetPdfWriter.open(path, layout);
    for (const b of work.slice(0, 4)) await first.appendLabels(b.block, b.sizes);
    const cp = await first.checkpoint();
    // Written after the checkpoint and lost with the process: redone after the resume.
    for (const b of work.slice(4, 6)) await first.appendLabels(b.block, b.sizes);
    const second = await SheetPdfWriter.open(path, layout, cp);
    for (const b of work.slice(4)) await second.appendLabels(b.block, b.sizes);
    await second.finish();
    expect(readFileSync(path).equals(readFileSync(join(dir, "a.pdf")))).toBe(true);
  });

  it("leaves start_position cells empty on the first sheet only", async () => {
    const path = join(dir, "c.pdf");
    const w = await SheetPdfWriter.open(path, { ...layout, startPosition: 19, proof: false });
    for (const b of work.slice(0, 1)) await w.appendLabels(b.block, b.sizes);
    const { pages } = await w.finish();
    // 7 labels from cell 19: two on page 1, five on page 2.
    expect(pages).toBe(2);
    qpdfCheck(path);
    const page1 = execFileSync("qpdf", ["--show-object=3", "--filtered-stream-data", path], {
      encoding: "latin1",
    });
    const page2 = execFileSync("qpdf", ["--show-object=6", "--filtered-stream-data", path], {
      encoding: "latin1",
    });
    const origins = (s: string) => [...s.matchAll(/^q 1 0 0 1 ([\d.]+) ([\d.]+) cm$/gm)].length;
    expect(origins(page1)).toBe(2);
    expect(origins(page2)).toBe(5);
  });

  it("splits into parts of at most maxPages, each a whole PDF; resume across a part boundary", async () => {
    const parted = { ...layout, maxPages: 2 };
    const path = join(dir, "p.pdf");
    const w = await SheetPdfWriter.open(path, parted);
    for (const b of work) await w.appendLabels(b.block, b.sizes);
    const done = await w.finish();
    // 50 labels, 21 a page: 3 pages, 2 in the first part and 1 in the second.
    expect(done.parts).toEqual([path, `${path}.2`]);
    const pageCounts = done.parts.map((part) => {
      qpdfCheck(part);
      return execFileSync("qpdf", ["--show-npages", part], { encoding: "utf8" }).trim();
    });
    expect(pageCounts).toEqual(["2", "1"]);
    const whole = done.parts.map((part) => readFileSync(part));
    // A checkpoint in part 1's second page; the lost writes went on into part 2.
    const again = join(dir, "q.pdf");
    const first = await SheetPdfWriter.open(again, parted);
    for (const b of work.slice(0, 4)) await first.appendLabels(b.block, b.sizes);
    const cp = await first.checkpoint();
    for (const b of work.slice(4)) await first.appendLabels(b.block, b.sizes);
    expect(cp.part).toBe(0);
    const second = await SheetPdfWriter.open(again, parted, cp);
    for (const b of work.slice(4)) await second.appendLabels(b.block, b.sizes);
    const resumed = await second.finish();
    expect(resumed.parts.map((part) => readFileSync(part))).toEqual(whole);
  });

  it("writes one empty page when no label was placed", async () => {
    const path = join(dir, "d.pdf");
    const w = await SheetPdfWriter.open(path, layout);
    expect((await w.finish()).pages).toBe(1);
    qpdfCheck(path);
  });
});
