// One structured log line per request (pino): request id, method, path, status, latency and the
// caller's subject; or, as LOG_REQUESTS chooses, only errors, slow requests and a sample. Never
// headers, query strings or bodies, so keys and payloads stay out.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "pino";
import type { RequestLogging } from "../../config.js";

declare module "express-serve-static-core" {
  interface Request {
    /** The request id: the caller's X-Request-Id when well-formed, else a fresh UUID. */
    id: string;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Set by the server when its drain deadline passed and the remaining connections were cut. */
export interface Lifecycle {
  cutAtDeadline: boolean;
}

/** Returns whether a sent response of `status` that took `ms` gets its line under `logging`. */
function chosen(logging: RequestLogging, status: number, ms: number): boolean {
  if (logging.mode === "all" || status >= 400) return true;
  if (logging.mode === "errors") return false;
  if (ms >= logging.slowMs) return true;
  return logging.mode === "sample" && Math.random() < logging.fraction;
}

/**
 * Returns middleware that assigns `req.id`, echoes it as X-Request-Id, and logs one line when the
 * response ends, with fields req_id, method, path, status, ms and, for authenticated calls,
 * subject: at info level when it was sent (every such response, or as `logging` chooses: only
 * status 400 and up, those and the slow, or those, the slow and a sample); always at warn level
 * with status 499 when the client went away first ("request aborted by the client"), or 503 when
 * the server cut it at its shutdown deadline (`lifecycle.cutAtDeadline`).
 */
export function requestLog(
  logger: Logger,
  lifecycle: Lifecycle = { cutAtDeadline: false },
  logging: RequestLogging = { mode: "all" },
) {
  return function logRequest(req: Request, res: Response, next: NextFunction): void {
    const start = performance.now();
    const incoming = req.headers["x-request-id"];
    req.id = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader("X-Request-Id", req.id);
    res.on("close", () => {
      const url = req.originalUrl;
      const q = url.indexOf("?");
      const line = {
        req_id: req.id,
        method: req.method,
        path: q < 0 ? url : url.slice(0, q),
        status: res.statusCode,
        ms: Math.round((performance.now() - start) * 1000) / 1000,
        subject: req.auth?.principal?.subject,
      };
      if (res.writableFinished) {
        if (chosen(logging, line.status, line.ms)) logger.info(line, "request");
      } else if (lifecycle.cutAtDeadline) {
        logger.warn({ ...line, status: 503 }, "request cut at the shutdown deadline");
      } else logger.warn({ ...line, status: 499 }, "request aborted by the client");
    });
    next();
  };
}
