// POST /products/api/v1/datamatrix/: payload -> render -> cache headers -> send. Authentication,
// limits and body parsing are middleware, validation is src/index.ts; failures propagate to the
// problem handler (Express 5 forwards a rejected promise), so there is no try/catch here.
import type { Express, Request, RequestHandler, Response } from "express";
import type { Renderer } from "../../index.js";
import { DATAMATRIX_PATH } from "../../types.js";
import { jsonBody } from "../middleware/json-body.js";
import { methodNotAllowed } from "../middleware/not-found.js";
import { sendCacheable } from "../representation.js";

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
  async function createDatamatrix(req: Request, res: Response): Promise<void> {
    // 1. Validate and render; ValidationError becomes 422 in the problem handler. A conditional
    //    request renders too: the ETag is a hash of the bytes, and errors must win over 304.
    const image = await render(req.body);
    // 2. Strong ETag, 30-day caching, and 304 when the client already holds these bytes.
    sendCacheable(req, res, image.body, image.contentType);
  }
  app
    .route(DATAMATRIX_PATH)
    .post(...guards, jsonBody(MAX_BODY_BYTES), createDatamatrix)
    .all(methodNotAllowed(["POST"]));
}
