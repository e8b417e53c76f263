// Library entry: encode() and render() over the payload shape of the HTTP API.
// payload -> symbol.ts (validation, element string, WASM encode) -> render/{svg,png,pdf}.

import { toPdf } from "./render/pdf.js";
import { toPng } from "./render/png.js";
import { prepare, renderSvg } from "./symbol.js";
import type { DataMatrixPayload, Format } from "./types.js";

export { type Issue, ValidationError } from "./gs1/issues.js";
export type { RenderOptions } from "./render/options.js";
export { type EncodeResult, encode } from "./symbol.js";
export type { DataMatrixPayload, Format, Shape } from "./types.js";

const CONTENT_TYPES: Record<Format, string> = {
  svg: "image/svg+xml",
  png: "image/png",
  pdf: "application/pdf",
};

/**
 * Renders `payload` in its `format` (default svg) and returns the image bytes and their MIME
 * type. Deterministic: the same payload always gives the same bytes. Throws ValidationError
 * listing every problem with the payload.
 */
export async function render(
  payload: DataMatrixPayload | unknown,
): Promise<{ body: Buffer; contentType: string }> {
  const prepared = prepare(payload);
  const { symbol, options } = prepared;
  const hri = options.hri ? symbol.hriLines : undefined;
  let body: Buffer;
  switch (options.format) {
    case "png":
      body = await toPng(symbol, options, hri);
      break;
    case "pdf": {
      const pdf = toPdf(symbol, options, hri);
      body = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
      break;
    }
    default: {
      const svg = renderSvg(prepared);
      body = Buffer.from(svg.buffer, svg.byteOffset, svg.byteLength);
    }
  }
  return { body, contentType: CONTENT_TYPES[options.format] };
}
