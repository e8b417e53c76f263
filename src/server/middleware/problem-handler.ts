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
    // Retry-After follows the problem's retryAfter, so call sites state the wait once.
    if (extras.retryAfter !== undefined) res.setHeader("Retry-After", String(extras.retryAfter));
    res.setHeader("Content-Type", "application/problem+json");
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("Content-Length", Buffer.byteLength(json));
    if (!req.complete) lingerOrClose(req, res);
    res.statusCode = PROBLEMS[problem.code].status;
    res.end(json);
  };
}

/** Most of a refused request's remaining body read and discarded before the connection closes. */
export const LINGER_BYTES = 4 * 1024 * 1024;
/** Longest time spent reading a refused request's remaining body. */
export const LINGER_MS = 5_000;

/**
 * Disposes of the unread body of a request answered with a problem. A client that announced it
 * with Expect: 100-continue and was not invited has not sent it: the connection closes with the
 * answer (Connection: close), and the body is never sent. A client already sending gets a
 * lingering close, as nginx does: the rest of the body is read and discarded, up to LINGER_BYTES
 * and LINGER_MS, so the answer is not lost to a reset of the connection while the client still
 * writes (Node's fetch then fails with EPIPE instead of reading the problem); past either bound
 * the connection is cut. A body read to its end leaves the connection open for the next request.
 */
function lingerOrClose(req: Request, res: Response): void {
  const expect = req.headers.expect;
  const invited = res.locals.sentContinue === true;
  if (typeof expect === "string" && expect.toLowerCase() === "100-continue" && !invited) {
    res.setHeader("Connection", "close");
    return;
  }
  const socket = req.socket;
  let read = 0;
  const cut = () => {
    clearTimeout(timer);
    socket.destroy();
  };
  const timer = setTimeout(cut, LINGER_MS);
  timer.unref();
  req.on("data", (chunk: Buffer) => {
    read += chunk.length;
    if (read > LINGER_BYTES) cut();
  });
  req.once("end", () => clearTimeout(timer));
  socket.once("close", () => clearTimeout(timer));
  req.resume();
}
