// The service's own endpoints: GET /openapi.json (this API's description) and GET /healthz.
import type { Express } from "express";
import { ifNoneMatchHits, strongEtag } from "../middleware/conditional-get.js";
import { methodNotAllowed } from "../middleware/not-found.js";
import { OPENAPI_DOCUMENT } from "../openapi.js";

const OPENAPI_BODY = Buffer.from(JSON.stringify(OPENAPI_DOCUMENT));
const OPENAPI_ETAG = strongEtag(OPENAPI_BODY);
const HEALTHY = Buffer.from('{"status":"ok"}');

/**
 * Adds GET /openapi.json to `app`: the document with an ETag (304 on a match),
 * revalidated on every use (no-cache). Other methods: 405. (Node drops the body of HEAD.)
 */
export function mountOpenapi(app: Express): void {
  app
    .route("/openapi.json")
    .get((req, res) => {
      res.setHeader("ETag", OPENAPI_ETAG);
      res.setHeader("Cache-Control", "no-cache");
      if (ifNoneMatchHits(req.headers["if-none-match"], OPENAPI_ETAG)) {
        res.statusCode = 304;
        res.end();
        return;
      }
      res.setHeader("Content-Type", "application/json");
      res.setHeader("Content-Length", OPENAPI_BODY.length);
      res.end(OPENAPI_BODY);
    })
    .all(methodNotAllowed(["GET", "HEAD"]));
}

/**
 * Adds GET /healthz to `app`: 200 `{"status":"ok"}` while the process serves. Mounted
 * before authentication and rate limiting: a liveness probe must never be throttled.
 */
export function mountHealth(app: Express): void {
  app
    .route("/healthz")
    .get((_req, res) => {
      res.setHeader("Content-Type", "application/json");
      res.setHeader("Cache-Control", "no-store");
      res.setHeader("Content-Length", HEALTHY.length);
      res.end(HEALTHY);
    })
    .all(methodNotAllowed(["GET", "HEAD"]));
}
