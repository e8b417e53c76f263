// POST /products/api/v1/barcode/: payload -> 1D image -> cache headers -> send, exactly as the
// datamatrix route does (authentication, limits and body parsing are middleware; validation is
// src/barcode/; failures propagate to the problem handler).
import type { Express, Request, RequestHandler, Response } from "express";
import { BARCODE_PATH } from "../../barcode/fields.js";
import type { BarcodeRenderer } from "../../barcode/render.js";
import { EtagMemo } from "../etag-memo.js";
import { jsonBody, rawJsonBody } from "../middleware/json-body.js";
import { methodNotAllowed } from "../middleware/not-found.js";
import {
  IMAGE_CACHE_CONTROL,
  ifNoneMatchHits,
  representation,
  sendNotModified,
  sendRepresentation,
} from "../representation.js";
import { MAX_BODY_BYTES } from "./datamatrix.js";

export { BARCODE_PATH };

/** Response header stating the module width drawn, mm (PNG: whole dots at dpi). */
export const MODULE_WIDTH_HEADER = "X-Module-Width-Mm";

/**
 * Adds the 1D endpoint to `app`: POST passes `guards` (401/403), then needs a JSON body
 * (415/413/400) and a valid payload (422); other methods get 405 with `Allow: POST`. Answers a
 * known body's matching If-None-Match with 304 without rendering, like the datamatrix route.
 */
export function mountBarcode(
  app: Express,
  render: BarcodeRenderer,
  guards: readonly RequestHandler[],
): void {
  const etags = new EtagMemo();
  async function createBarcode(req: Request, res: Response): Promise<void> {
    // 1. A revalidation of a body answered before (deterministic output): 304 at once.
    const text = rawJsonBody(res);
    const condition = req.headers["if-none-match"];
    if (condition !== undefined && text !== undefined) {
      const etag = etags.get(text);
      if (etag !== undefined && ifNoneMatchHits(condition, etag)) {
        sendNotModified(res, etag, IMAGE_CACHE_CONTROL);
        return;
      }
    }
    // 2. Validate and render; ValidationError becomes 422 in the problem handler.
    const image = await render(req.body);
    // 3. Strong ETag, 30-day caching, and 304 when the client already holds these bytes.
    const rep = representation(image.body, image.contentType);
    if (text !== undefined) etags.set(text, rep.etag);
    // PNG rounds X to whole dots: say what was drawn (4 decimals, like the vector files).
    res.setHeader(MODULE_WIDTH_HEADER, String(Math.round(image.moduleWidthMm * 1e4) / 1e4));
    sendRepresentation(req, res, rep, IMAGE_CACHE_CONTROL);
  }
  app
    .route(BARCODE_PATH)
    .post(...guards, jsonBody(MAX_BODY_BYTES), createBarcode)
    .all(methodNotAllowed(["POST"]));
}
