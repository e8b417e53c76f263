// One structured log line per request (pino): request id, method, path, status, latency and the
// caller's subject. Never headers, query strings or bodies, so keys and payloads stay out.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "pino";

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

/**
 * Returns middleware that assigns `req.id`, echoes it as X-Request-Id, and logs one line when the
 * response ends, with fields req_id, method, path, status, ms and, for authenticated calls,
 * subject: at info level when it was sent; at warn level with status 499 when the client went
 * away first ("request aborted by the client"), or 503 when the server cut it at its shutdown
 * deadline (`lifecycle.cutAtDeadline`).
 */
export function requestLog(logger: Logger, lifecycle: Lifecycle = { cutAtDeadline: false }) {
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
      if (res.writableFinished) logger.info(line, "request");
      else if (lifecycle.cutAtDeadline) {
        logger.warn({ ...line, status: 503 }, "request cut at the shutdown deadline");
      } else logger.warn({ ...line, status: 499 }, "request aborted by the client");
    });
    next();
  };
}
