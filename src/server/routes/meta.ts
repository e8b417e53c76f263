// The service's own endpoints: GET /openapi.json (this API's description), GET /healthz
// (liveness) and GET /readyz (readiness: the stores answer).
import type { Express } from "express";
import { methodNotAllowed } from "../middleware/not-found.js";
import { type DocumentedLimits, openapiDocument } from "../openapi.js";
import { ProblemError } from "../problems.js";
import { representation, sendRepresentation } from "../representation.js";
import type { ReadinessCheck } from "../stores.js";

/** The paths this file serves. */
export const META_PATHS = ["/openapi.json", "/healthz", "/readyz"] as const;

const HEALTHY = Buffer.from('{"status":"ok"}');

/**
 * Adds GET /openapi.json to `app`: the document (stating `limits`) with an ETag (304 on a
 * match), revalidated on every use (no-cache). Other methods: 405. (Node drops the body of HEAD.)
 */
export function mountOpenapi(app: Express, limits: DocumentedLimits): void {
  const document = representation(
    Buffer.from(JSON.stringify(openapiDocument(limits))),
    "application/json",
  );
  app
    .route("/openapi.json")
    .get((req, res) => sendRepresentation(req, res, document, "no-cache"))
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

/** Seconds a load balancer or deploy script is asked to wait before asking /readyz again. */
const READY_RETRY_SECONDS = 5;

/**
 * Adds GET /readyz to `app`: 200 `{"status":"ok","checks":{"database":"ok",...}}` when every
 * check's store answered its last call, otherwise 503 service_unavailable naming the stores
 * that did not (details stay in the log: this endpoint is public). The service keeps serving
 * meanwhile, degraded as documented; /healthz stays 200. Reads each store's own health, so a
 * probe costs no I/O. Before authentication and rate limiting, like /healthz.
 */
export function mountReady(app: Express, checks: readonly ReadinessCheck[]): void {
  app
    .route("/readyz")
    .get((_req, res) => {
      const results: Record<string, string> = {};
      const down: string[] = [];
      for (const check of checks) {
        const ok = check.health().ok;
        results[check.name] = ok ? "ok" : "unavailable";
        if (!ok) down.push(check.name);
      }
      if (down.length > 0) {
        throw new ProblemError("service_unavailable", {
          detail: `Not ready: ${down.join(" and ")} unavailable; serving degraded.`,
          retryAfter: READY_RETRY_SECONDS,
        });
      }
      const body = Buffer.from(JSON.stringify({ status: "ok", checks: results }));
      res.setHeader("Content-Type", "application/json");
      res.setHeader("Cache-Control", "no-store");
      res.setHeader("Content-Length", body.length);
      res.end(body);
    })
    .all(methodNotAllowed(["GET", "HEAD"]));
}
