// The renders compared by determinism.test.ts, shared by the test and its child processes.
import { DEFAULT_RENDER_OPTIONS, type RenderOptions } from "../../src/render/options.js";
import { toPdf } from "../../src/render/pdf.js";
import { toPng } from "../../src/render/png.js";
import { toSvg } from "./svg-text.js";

/** What crosses the process boundary: a matrix as a plain array, and HRI lines. */
export interface RenderInput {
  rows: number;
  columns: number;
  modules: number[];
  hri: string[];
}

/** Renders `input` in every format and option set the test compares, keyed by a name. */
export async function renderAll(input: RenderInput): Promise<Record<string, Uint8Array | string>> {
  const symbol = {
    rows: input.rows,
    columns: input.columns,
    modules: Uint8Array.from(input.modules),
  };
  const plain: RenderOptions = { ...DEFAULT_RENDER_OPTIONS };
  const styled: RenderOptions = {
    ...plain,
    hri: true,
    darkColor: "#002060",
    lightColor: "#ffeecc",
    dpi: 600,
  };
  return {
    svg: toSvg(symbol, plain),
    svgHri: toSvg(symbol, styled, input.hri),
    pdf: toPdf(symbol, plain),
    pdfHri: toPdf(symbol, styled, input.hri),
    png: await toPng(symbol, plain),
    pngPalette: await toPng(symbol, { ...styled, hri: false }),
    pngHri: await toPng(symbol, styled, input.hri),
    // Black on white at the label printers' resolutions (8-bit greyscale).
    pngHri203: await toPng(symbol, { ...plain, hri: true, dpi: 203 }, input.hri),
    pngHri300: await toPng(symbol, { ...plain, hri: true, dpi: 300 }, input.hri),
    pngHri600: await toPng(symbol, { ...plain, hri: true, dpi: 600 }, input.hri),
  };
}
