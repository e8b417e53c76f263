// Units, written once, for every renderer. Browser-safe.
// - X (the module size, `xdim_mm`) is in millimetres; 1 in = 25.4 mm = 72 pt.
// - SVG works in module units (the viewBox) and states its physical size in mm.
// - PDF works in points; the page is (modules × X) pt, X in pt = xdim_mm × 72 / 25.4.
// - PNG works in whole pixels per module at `dpi`, so a printer at that resolution lays down
//   a whole number of dots per module (fractional dots smear module edges); the realised X
//   is then pixelsPerModule × 25.4 / dpi mm, the nearest to xdim_mm within the GS1 range.
import { type RenderOptions, XDIM_MM_MAX, XDIM_MM_MIN } from "./options.js";

/** Millimetres per inch. */
export const MM_PER_INCH = 25.4;
/** PDF points per inch. */
export const PT_PER_INCH = 72;

/** Returns the module size X in PDF points (1/72 in) for `options.xdimMm`. */
export function moduleSizePt(options: Pick<RenderOptions, "xdimMm">): number {
  return (options.xdimMm * PT_PER_INCH) / MM_PER_INCH;
}

/**
 * Returns the whole number of pixels (printer dots) per module at `options.dpi`: the nearest to
 * `xdimMm`, moved by one if rounding left the GS1 range [XDIM_MM_MIN, XDIM_MM_MAX]; at least 1.
 * At 300 dpi: 0.254 mm → 3, 0.38 mm → 4, 0.99 mm → 12.
 */
export function pixelsPerModule(options: Pick<RenderOptions, "xdimMm" | "dpi">): number {
  const dotsPerMm = options.dpi / MM_PER_INCH;
  // The epsilon keeps exact boundaries (0.254 mm at 100 dpi = 1 dot) from tipping over.
  const lo = Math.max(1, Math.ceil(XDIM_MM_MIN * dotsPerMm - 1e-9));
  const hi = Math.max(lo, Math.floor(XDIM_MM_MAX * dotsPerMm + 1e-9));
  return Math.min(hi, Math.max(lo, Math.round(options.xdimMm * dotsPerMm)));
}
