// Where a label's text goes in its cell (label.ts): under the symbol when the cell is tall
// enough, beside it when only its width allows, an error naming the cell when neither does —
// sizes worked out by hand — and a label laid out beside, drawn by the single-symbol PDF and
// rendered by poppler, still decodes (zxing-wasm) and keeps its true X-dimension.
import { describe, expect, it } from "vitest";
import { LabelFitError, labelPicture } from "../../../src/labels/sheets/label.js";
import type { SheetGeometry } from "../../../src/labels/sheets/templates.js";
import { hriLinesOf, prepare } from "../../../src/prepare.js";
import { drawPdf } from "../../../src/render/pdf.js";
import { decodeImage } from "../../helpers/decode.js";
import { rasterisePdf } from "../../helpers/raster.js";

const cell = (w: number, h: number): SheetGeometry => ({
  name: "custom",
  pageWidthMm: 210,
  pageHeightMm: 297,
  columns: 1,
  rows: 1,
  labelWidthMm: w,
  labelHeightMm: h,
  marginLeftMm: 0,
  marginTopMm: 0,
  pitchXMm: w,
  pitchYMm: h,
});

// GTIN + serial "S1" at 0.3 mm with HRI: the encoder picks the symbol; the tests read its size.
const prepared = prepare({
  gtin: "09506000134352",
  serial: "S1",
  hri: true,
  xdim_mm: 0.3,
  format: "pdf",
});
const lines = hriLinesOf(prepared);
const { symbol, options } = prepared;
const symbolMm = (symbol.columns + 2 * options.quietZoneModules) * 0.3;

describe("labelPicture", () => {
  it("puts the text under the symbol in a tall cell", () => {
    const p = labelPicture(symbol, options, lines, cell(60, 30), false);
    expect(p.layout.baselines[0]).toBeGreaterThan(symbol.rows + 2 * options.quietZoneModules);
  });

  it("puts the text beside the symbol in a wide, short cell, and it still decodes", async () => {
    // 8 pt lines are 3.3 mm apart, so two under a ~5 mm symbol need more than 10 mm.
    const p = labelPicture(symbol, options, lines, cell(60, 10), false);
    expect(p.layout.height * 0.3).toBeLessThanOrEqual(10);
    expect(p.layout.textCenterX).toBeGreaterThan(symbol.columns + 2 * options.quietZoneModules);
    const pdf = drawPdf(p);
    // The page is the picture: its width in points is the layout's width at 0.3 mm a module.
    const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(Buffer.from(pdf).toString("latin1"));
    expect(Number(box?.[1])).toBeCloseTo((p.layout.width * 0.3 * 72) / 25.4, 3);
    const decoded = await decodeImage(rasterisePdf(pdf, 600));
    expect(decoded.text).toBe("0109506000134352" + "21S1");
  });

  it("names the template, sizes and cell when the text fits neither way", () => {
    expect(() => labelPicture(symbol, options, lines, cell(20, 10), false)).toThrow(LabelFitError);
    let caught: unknown;
    try {
      labelPicture(symbol, options, lines, cell(20, 10), true);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(LabelFitError);
    expect((caught as LabelFitError).field).toBe("label_text");
    expect((caught as Error).message).toContain("20 × 10 mm cell");
  });

  it("refuses a symbol larger than the cell, never scaling it", () => {
    const small = symbolMm - 0.1;
    expect(() => labelPicture(symbol, options, [], cell(small, 30), false)).toThrow(
      /larger than template custom's/,
    );
  });
});
