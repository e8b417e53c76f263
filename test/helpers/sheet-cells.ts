// The Avery L7160 grid as glabels-qt states it (templates/avery-iso-templates.xml, part="7160",
// in points: label 181.4 × 108.0, nx=3 ny=7, x0=21.2 y0=43.9, dx=187.2 dy=108.0), for the sheet
// tests and the bench to find each label at. Copied from the source, not imported from
// src/labels/sheets/templates.ts: a wrong number there must show as a label that is not where
// the printed sheet has it.
import sharp from "sharp";

export const L7160_PT = { w: 181.4, h: 108, x0: 21.2, y0: 43.9, dx: 187.2, dy: 108, nx: 3, ny: 7 };
export const L7160_PER_SHEET = L7160_PT.nx * L7160_PT.ny;

/** A rectangle in points from the page's top-left corner (pdftotext -bbox's frame). */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The cell `cell` (0 to 20, row by row from the top left) of an L7160 sheet. */
export function l7160Cell(cell: number): Box {
  return {
    x: L7160_PT.x0 + (cell % L7160_PT.nx) * L7160_PT.dx,
    y: L7160_PT.y0 + Math.floor(cell / L7160_PT.nx) * L7160_PT.dy,
    w: L7160_PT.w,
    h: L7160_PT.h,
  };
}

/** Cuts cell `cell` out of `page`, a page raster (PNG) made at `dpi`; returns a PNG. */
export function cropL7160Cell(page: Buffer | string, cell: number, dpi: number): Promise<Buffer> {
  const px = (pt: number) => Math.round((pt * dpi) / 72);
  const box = l7160Cell(cell);
  return sharp(page)
    .extract({ left: px(box.x), top: px(box.y), width: px(box.w), height: px(box.h) })
    .png()
    .toBuffer();
}
