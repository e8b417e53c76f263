// POST /products/api/v1/datamatrix/: payload -> render -> cache headers -> send. Authentication,
// limits and body parsing are middleware, validation is src/index.ts; failures propagate to the
// problem handler (Express 5 forwards a rejected promise), so there is no try/catch here.
import type { Express, Request, RequestHandler, Response } from "express";
import type { Renderer } from "../../index.js";
import { DATAMATRIX_PATH } from "../../types.js";
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

export { DATAMATRIX_PATH };

/** Largest accepted request body: a GS1 payload with every option is well under 1 KB. */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * Adds the endpoint to `app`: POST passes `guards` (a caller: 401; a token's scope: 403; a
 * session's CSRF token: 403), then needs a JSON body (415/413/400) and a valid payload (422);
 * other methods get 405 with `Allow: POST`. Registered as an app route rather than a
 * sub-router: one fewer router traversal per request.
 */
export function mountDatamatrix(
  app: Express,
  render: Renderer,
  guards: readonly RequestHandler[],
): void {
  mountImageEndpoint(app, DATAMATRIX_PATH, render, guards);
}

/**
 * Adds an image endpoint at `path` that works as the datamatrix one does (guards, JSON body,
 * `render` validating and drawing the body, strong ETag, 30-day caching, 304, 405 for other
 * methods); the QR endpoint is the other one.
 */
export function mountImageEndpoint(
  app: Express,
  path: string,
  render: Renderer,
  guards: readonly RequestHandler[],
): void {
  const etags = new EtagMemo();
  async function createImage(req: Request, res: Response): Promise<void> {
    // 1. A revalidation of a body answered before: its ETag is known (deterministic output),
    //    and it was valid then, so a match is a 304 without rendering.
    const text = rawJsonBody(res);
    const condition = req.headers["if-none-match"];
    if (condition !== undefined && text !== undefined) {
      const etag = etags.get(text);
      if (etag !== undefined && ifNoneMatchHits(condition, etag)) {
        sendNotModified(res, etag, IMAGE_CACHE_CONTROL);
        return;
      }
    }
    // 2. Validate and render; ValidationError becomes 422 in the problem handler. Other
    //    conditional requests render too: errors must win over 304.
    const image = await render(req.body);
    // 3. Strong ETag, 30-day caching, and 304 when the client already holds these bytes.
    const rep = representation(image.body, image.contentType);
    if (text !== undefined) etags.set(text, rep.etag);
    sendRepresentation(req, res, rep, IMAGE_CACHE_CONTROL);
  }
  app
    .route(path)
    .post(...guards, jsonBody(MAX_BODY_BYTES), createImage)
    .all(methodNotAllowed(["POST"]));
}
