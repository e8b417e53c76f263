// The payload shape shared by the library, the CLI, the HTTP API and the preview page.

/** The API endpoint, as published (trailing slash included): served, documented and called. */
export const DATAMATRIX_PATH = "/products/api/v1/datamatrix/";

/** Output image formats. */
export type Format = "svg" | "png" | "pdf";

/**
 * Symbol shapes a caller allows: `square` (default, the GS1 norm), `rectangle` (the 6 ISO
 * rectangles), `dmre` (rectangles including ISO/IEC 21471 DMRE), `auto` (smallest area among
 * squares and ISO rectangles).
 */
export type Shape = "square" | "rectangle" | "dmre" | "auto";

/** The HTTP body / library payload. Only `gtin` is required; see README for defaults. */
export interface DataMatrixPayload {
  gtin: string;
  lot?: string | null;
  serial?: string | null;
  expiry?: string | null;
  format?: Format;
  shape?: Shape;
  /** Module (X-dimension) size in millimetres. */
  xdim_mm?: number;
  /** Quiet zone on each side, in modules. */
  quiet_zone?: number;
  /** PNG resolution in dots per inch, written into the file. */
  dpi?: number;
  /** Colour of dark modules, "#rgb" or "#rrggbb". */
  dark_color?: string;
  /** Colour of light modules and the quiet zone, "#rgb" or "#rrggbb". */
  light_color?: string;
  /** Print the human-readable interpretation under the symbol (SVG, PDF and PNG). */
  hri?: boolean;
  /** Reject expiry day "00" (regulated healthcare has banned it since 2025-01-01). */
  strict_expiry?: boolean;
}
