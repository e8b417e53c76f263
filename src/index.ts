// Library entry: encode() and render() over the payload shape of the HTTP API.
// payload -> prepare.ts (validation, element string, WASM encode) -> render/{svg,png,pdf}.

import { type Issue, ValidationError } from "./issues.js";
import { type EncodeResult, type Prepared, pictureOfPrepared, prepare } from "./prepare.js";
import { prepareQr } from "./prepare-qr.js";
import { drawEps } from "./render/eps.js";
import { MAX_PNG_PIXELS, type RenderOptions } from "./render/options.js";
import { drawPdf } from "./render/pdf.js";
import { drawPng, pngSize } from "./render/png.js";
import { drawSvg } from "./render/svg.js";
import { pngToTiff } from "./render/tif.js";
import type { DataMatrixPayload, QrPayload } from "./request-schema.js";
import type { Format } from "./types.js";

export { type Issue, ValidationError } from "./issues.js";
export { type EncodeResult, encode } from "./prepare.js";
export { type PreparedQr, prepareQr, type QrEncodeResult } from "./prepare-qr.js";
export { MAX_PNG_PIXELS, type RenderOptions } from "./render/options.js";
export type { DataMatrixPayload, QrPayload } from "./request-schema.js";
export type { Format, Shape } from "./types.js";

const CONTENT_TYPES: Record<Format, string> = {
  svg: "image/svg+xml",
  png: "image/png",
  pdf: "application/pdf",
  eps: "application/postscript",
  tif: "image/tiff",
};

/**
 * A PNG this large, or any PNG with HRI (whose first request at a new size rasterises every
 * glyph mask, milliseconds of CPU), is "heavy", where the rest costs tens of microseconds. The HTTP server bounds how many heavy renders run at once.
 */
export const HEAVY_PNG_PIXELS = 1_000_000;

/** A validated, encoded request, ready to draw; see planRender. */
export interface RenderPlan {
  readonly contentType: string;
  /** The picture's size in pixels for PNG; 0 for the vector formats. */
  readonly pixels: number;
  /** True when drawing costs milliseconds and megabytes (see HEAVY_PNG_PIXELS). */
  readonly heavy: boolean;
  /** The encoded symbol: what the image will show (element string, HRI, size). */
  readonly symbol: EncodeResult;
  /** Draws the image; deterministic bytes. */
  draw(): Promise<Buffer>;
}

/**
 * What a server renders with (`render`, or planRender behind the HTTP server's render gate):
 * validates `payload` and resolves to the image bytes and MIME type, identical bytes for
 * identical payloads; rejects with ValidationError listing every problem.
 */
export type Renderer = (payload: unknown) => Promise<{ body: Buffer; contentType: string }>;

/**
 * Validates and encodes `payload` and returns what drawing it will take, without drawing it, so
 * a server can queue the costly ones. Takes any value, unchecked by the compiler: the entry for
 * input that is only judged at run time (HTTP bodies, CLI flags); typed callers use render.
 * Throws ValidationError listing every problem, including a PNG larger than MAX_PNG_PIXELS
 * (reported on `dpi`, naming the size and the limit).
 */
export function planRender(payload: unknown): RenderPlan {
  return planPrepared(prepare(payload));
}

/**
 * Validates and encodes a QR `payload` (POST /products/api/v1/qr/: QrPayload) and returns what
 * drawing it will take, as planRender does for DataMatrix; `symbol` also says the version,
 * level and mask. Throws ValidationError listing every problem.
 */
export function planQrRender(payload: unknown): RenderPlan {
  const prepared = prepareQr(payload);
  if (prepared.options.format !== "eps") return planPrepared(prepared);
  const picture = pictureOfPrepared(prepared);
  const options = { cmyk: prepared.cmyk };
  return vectorPlan(CONTENT_TYPES.eps, prepared.symbol, () => drawEps(picture, options));
}

/**
 * Renders a QR `payload` in its `format` (default svg) and returns the image bytes and their
 * MIME type, deterministic like render. Throws ValidationError listing every problem.
 */
export async function renderQr(payload: QrPayload): Promise<{ body: Buffer; contentType: string }> {
  const plan = planQrRender(payload);
  return { body: await plan.draw(), contentType: plan.contentType };
}

// The picture is laid out once, here; the size check and the drawing both use it.
function planPrepared(prepared: Prepared): RenderPlan {
  const picture = pictureOfPrepared(prepared);
  const { options, layout } = picture;
  const { symbol } = prepared;
  const contentType = CONTENT_TYPES[options.format];
  switch (options.format) {
    case "png":
    case "tif": {
      const { width, height } = pngSize(picture);
      const pixels = width * height;
      if (pixels > MAX_PNG_PIXELS) throw new ValidationError([pixelIssue(options, width, height)]);
      // A TIFF is the PNG's pixels re-encoded by sharp (about a millisecond): heavy as well.
      const tif = options.format === "tif";
      const heavy = tif || layout.lines.length > 0 || pixels > HEAVY_PNG_PIXELS;
      const draw = tif
        ? async () => pngToTiff(await drawPng(picture), options.dpi)
        : () => drawPng(picture);
      return { contentType, pixels, heavy, symbol, draw };
    }
    case "pdf":
      return vectorPlan(contentType, symbol, () => drawPdf(picture));
    default:
      return vectorPlan(contentType, symbol, () => drawSvg(picture));
  }
}

// SVG and PDF: never heavy and no pixel count; the drawn bytes become a Buffer without a copy.
function vectorPlan(
  contentType: string,
  symbol: RenderPlan["symbol"],
  draw: () => Uint8Array,
): RenderPlan {
  return {
    contentType,
    pixels: 0,
    heavy: false,
    symbol,
    draw: async () => {
      const bytes = draw();
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
  };
}

function pixelIssue(options: RenderOptions, width: number, height: number): Issue {
  return {
    field: "dpi",
    value: options.dpi,
    rule: "max_pixels",
    message:
      `The PNG would be ${width}x${height} pixels (${width * height}), over the limit of ` +
      `${MAX_PNG_PIXELS}; lower dpi, xdim_mm or quiet_zone, or ask for svg or pdf, which scale.`,
  };
}

/**
 * Renders `payload` in its `format` (default svg) and returns the image bytes and their MIME
 * type. Deterministic: the same payload always gives the same bytes. Throws ValidationError
 * listing every problem with the payload.
 */
export async function render(
  payload: DataMatrixPayload,
): Promise<{ body: Buffer; contentType: string }> {
  const plan = planRender(payload);
  return { body: await plan.draw(), contentType: plan.contentType };
}
