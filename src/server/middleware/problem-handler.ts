// The one place an error becomes a response: RFC 9457 problem+json in the published ErrorOut
// shape, status/title/type/retryable taken from the catalogue, internals never echoed.
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "pino";
import type { Clock } from "../../clock.js";
import { ValidationError } from "../../issues.js";
import {
  type ErrorCode,
  PROBLEMS,
  ProblemError,
  type ProblemExtras,
  problemBody,
} from "../problems.js";

/** Dependencies of the problem handler. */
export interface ProblemHandlerDeps {
  logger: Logger;
  clock: Clock;
}

// Client errors raised by Express or its helpers (http-errors style `status`), mapped by status
// onto our codes; their messages are not used, only the catalogue's wording.
const FOREIGN_CLIENT_ERRORS: Readonly<Record<number, ErrorCode>> = {
  400: "bad_request",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

interface Classified {
  code: ErrorCode;
  extras: ProblemExtras;
}

function classify(err: unknown): Classified | undefined {
  if (err instanceof ProblemError) return { code: err.code, extras: err.extras };
  if (err instanceof ValidationError) {
    return {
      code: "validation_error",
      extras: {
        details: err.issues.map((issue) => ({
          // "ais.7003" → ["body", "ais", "7003"]: issue fields are dotted paths into the body.
          loc: issue.field === null ? ["body"] : ["body", ...issue.field.split(".")],
          msg: issue.message,
          type: issue.rule,
        })),
      },
    };
  }
  const status = (err as { status?: unknown } | null)?.status;
  if (typeof status === "number" && status in FOREIGN_CLIENT_ERRORS) {
    return { code: FOREIGN_CLIENT_ERRORS[status], extras: {} };
  }
  return undefined;
}

/**
 * Returns the Express error handler. Known failures (ProblemError, ValidationError, Express
 * client errors) become their catalogued problem; anything else is logged with its stack and
 * answered 500 internal_error with the generic detail. Bodies carry type, title, status,
 * detail, error_code, retryable, timestamp, and details / retry_after / retry_after_seconds
 * when present, with a Retry-After header whenever retryAfter is given; Content-Type
 * application/problem+json, Cache-Control no-store. Headers already set by earlier middleware
 * (rate limits, request id) are kept; caching headers are dropped.
 */
export function problemHandler({ logger, clock }: ProblemHandlerDeps) {
  return function handleProblem(err: unknown, req: Request, res: Response, _next: NextFunction) {
    if (res.headersSent) {
      // Too late for a problem body: cut the connection so the client sees a failure.
      logger.error({ req_id: req.id, err }, "error after the response started");
      res.destroy();
      return;
    }
    let problem = classify(err);
    if (problem === undefined) {
      logger.error({ req_id: req.id, err }, "unhandled error");
      problem = { code: "internal_error", extras: {} };
    }
    const { extras } = problem;
    const json = problemBody(problem.code, extras, clock.now());
    res.removeHeader("ETag");
    res.removeHeader("Content-Encoding");
    if (extras.headers !== undefined) {
      for (const [name, value] of Object.entries(extras.headers)) res.setHeader(name, value);
    }
    if (extras.retryAfter !== undefined) res.setHeader("Retry-After", String(extras.retryAfter));
    res.setHeader("Content-Type", "application/problem+json");
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("Content-Length", Buffer.byteLength(json));
    // A body left unread (a 401 before a large upload, say) is not read now: the connection
    // closes with the response instead.
    if (!req.complete) res.setHeader("Connection", "close");
    res.statusCode = PROBLEMS[problem.code].status;
    res.end(json);
  };
}
