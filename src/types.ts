// Names shared by the library, the CLI, the HTTP API and the preview page: the endpoint, the
// output formats and the symbol shapes. The payload type is derived from the request
// description: DataMatrixPayload in src/request-schema.ts.

/** The API endpoint, as published (trailing slash included): served, documented and called. */
export const DATAMATRIX_PATH = "/products/api/v1/datamatrix/";

/** The QR endpoint (issue 19), as published (trailing slash included). */
export const QR_PATH = "/products/api/v1/qr/";

/** The Digital Link parse endpoint, as published (no trailing slash). */
export const DIGITAL_LINK_PARSE_PATH = "/products/api/v1/digital-link/parse";

/** Output image formats; eps and tif are QR only (issue 19). */
export type Format = "svg" | "png" | "pdf" | "eps" | "tif";

/** The formats the DataMatrix endpoint (and so DataMatrixPayload) takes. */
export type DataMatrixFormat = Exclude<Format, "eps" | "tif">;

/**
 * Symbol shapes a caller allows: `square` (default, the GS1 norm), `rectangle` (the 6 ISO
 * rectangles), `dmre` (rectangles including ISO/IEC 21471 DMRE), `auto` (smallest area among
 * squares and ISO rectangles).
 */
export type Shape = "square" | "rectangle" | "dmre" | "auto";
