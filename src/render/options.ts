// Render options: their type, bounds and defaults. Validation is parse-options.ts, unit
// conversion units.ts, colours color.ts, number formatting format-number.ts. Browser-safe.

import type { DataMatrixFormat, Format, Shape } from "../types.js";

/** Validated rendering options; every field has a default (see DEFAULT_RENDER_OPTIONS). */
export interface RenderOptions {
  /** Output format. */
  format: Format;
  /** Symbol shapes the encoder may pick from (used by the encoder, carried here). */
  shape: Shape;
  /** Module size X in millimetres (vector output exact; PNG rounded to whole pixels). */
  xdimMm: number;
  /** Light margin on each side, in modules. */
  quietZoneModules: number;
  /** PNG resolution in dots per inch, written into the file. */
  dpi: number;
  /** Dark-module colour, normalised to lowercase "#rrggbb". */
  darkColor: string;
  /** Light-module, quiet-zone and background colour, normalised to lowercase "#rrggbb". */
  lightColor: string;
  /** Whether the human-readable interpretation is printed under the symbol. */
  hri: boolean;
  /** Whether each HRI line starts with the AI's GS1 data title ("GTIN (01) ..."). */
  hriTitles: boolean;
}

/**
 * The largest PNG this service draws, in pixels (e.g. 2000 x 2000). A PNG is for screens and
 * label printers, whose symbols are a few hundred to ~1,500 dots wide; past this a request costs
 * tens of milliseconds and tens of megabytes (a fault campaign's 1200 dpi, 1.5 mm, 10-module
 * quiet zone, HRI PNG was 18 megapixels, 120-160 ms). Larger prints take SVG or PDF, which scale.
 */
export const MAX_PNG_PIXELS = 4_000_000;

/**
 * GS1 X-dimension bounds in mm: the smallest minimum and the largest maximum of the GS1 ranges
 * for GS1 DataMatrix (healthcare 0.254 min; general distribution 1.5 max). Narrower per-sector
 * ranges (healthcare primary packaging 0.254–0.990) are the label designer's call.
 */
export const XDIM_MM_MIN = 0.254;
export const XDIM_MM_MAX = 1.5;
/** Quiet zone bounds in modules: GS1 requires at least 1X; beyond 10 it only wastes label. */
export const QUIET_ZONE_MIN = 1;
export const QUIET_ZONE_MAX = 10;
/**
 * PNG resolution bounds: 72 dpi is the screen floor; 1200 dpi covers label and office printers
 * while keeping the largest image (1.5 mm modules, 71 px each) a few thousand pixels wide.
 */
export const DPI_MIN = 72;
export const DPI_MAX = 1200;
/**
 * Least relative-luminance difference between light and dark colours: 40 %, the symbol-contrast
 * floor of ISO/IEC 15415 grade C (GS1 healthcare asks for 1.5 = C/B). A screen approximation of
 * print reflectance, so necessary rather than sufficient (red on white passes here but vanishes
 * under a 660 nm scanner light).
 */
export const MIN_CONTRAST = 0.4;

/**
 * The defaults, chosen for GS1 healthcare labels: X = 0.380 mm is the GS1 target for healthcare
 * primary packaging (range 0.254–0.990); a 2-module quiet zone is twice the 1X minimum so a
 * crop or registration error of one module still leaves a legal margin; 300 dpi is the common
 * label-printer resolution (4 dots per module, realised X 0.339 mm, inside the healthcare range).
 */
export const DEFAULT_RENDER_OPTIONS: Readonly<RenderOptions> = Object.freeze({
  format: "svg",
  shape: "square",
  xdimMm: 0.38,
  quietZoneModules: 2,
  dpi: 300,
  darkColor: "#000000",
  lightColor: "#ffffff",
  hri: false,
  hriTitles: false,
});

/** The output formats, in the order documentation lists them. */
export const FORMATS: readonly DataMatrixFormat[] = ["svg", "png", "pdf"];
/** The QR endpoint's formats: the others, EPS (render/eps.ts) and TIFF (render/tif.ts). */
export const QR_FORMATS: readonly Format[] = [...FORMATS, "eps", "tif"];
/** The shapes a caller may allow. */
export const SHAPES: readonly Shape[] = ["square", "rectangle", "dmre", "auto"];
