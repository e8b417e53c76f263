// The error catalogue: every error_code this service answers with, and its HTTP status, title,
// RFC 9457 type URI and retryability. Call sites name a code; they never choose a status.

/** One catalogue entry. `type` is the RFC 9457 problem type URI for the code. */
export interface ProblemKind {
  readonly status: number;
  readonly title: string;
  readonly type: string;
  readonly retryable: boolean;
  /** The default human-readable detail when the call site does not give a more specific one. */
  readonly detail: string;
}

const TYPE_BASE = "https://closient.com/docs/errors/";

function kind(code: string, status: number, title: string, retryable: boolean, detail: string) {
  return { status, title, type: TYPE_BASE + code, retryable, detail } as const;
}

/**
 * The catalogue, keyed by the published `error_code` strings. Details for not_found,
 * validation_error and rate_limited are the published documentation's wording.
 */
export const PROBLEMS = {
  bad_request: kind(
    "bad_request",
    400,
    "Bad Request",
    false,
    "The request could not be understood.",
  ),
  unauthorized: kind("unauthorized", 401, "Unauthorized", false, "A valid API key is required."),
  forbidden: kind(
    "forbidden",
    403,
    "Forbidden",
    false,
    "The credentials are valid but do not allow this request.",
  ),
  not_found: kind("not_found", 404, "Not Found", false, "The requested resource was not found."),
  method_not_allowed: kind(
    "method_not_allowed",
    405,
    "Method Not Allowed",
    false,
    "The method is not allowed on this resource.",
  ),
  gone: kind("gone", 410, "Gone", false, "The resource existed but has expired or was deleted."),
  payload_too_large: kind(
    "payload_too_large",
    413,
    "Content Too Large",
    false,
    "The request body is too large.",
  ),
  unsupported_media_type: kind(
    "unsupported_media_type",
    415,
    "Unsupported Media Type",
    false,
    "The request body must be application/json.",
  ),
  expectation_failed: kind(
    "expectation_failed",
    417,
    "Expectation Failed",
    false,
    "The Expect header asks for something this server does not do: it meets only 100-continue.",
  ),
  validation_error: kind("validation_error", 422, "Validation Error", false, "Validation error."),
  rate_limited: kind(
    "rate_limited",
    429,
    "Rate Limited",
    true,
    "Rate limit exceeded. Please try again later.",
  ),
  request_timeout: kind(
    "request_timeout",
    408,
    "Request Timeout",
    true,
    "The request was not received in time.",
  ),
  request_header_fields_too_large: kind(
    "request_header_fields_too_large",
    431,
    "Request Header Fields Too Large",
    false,
    "The request headers are too large.",
  ),
  // A dependency (the key database) cannot answer: always with Retry-After.
  service_unavailable: kind(
    "service_unavailable",
    503,
    "Service Unavailable",
    true,
    "The service is temporarily unavailable. Please retry shortly.",
  ),
  // Retryable: an unexpected failure is not the caller's fault and may not recur.
  internal_error: kind(
    "internal_error",
    500,
    "Internal Server Error",
    true,
    "An unexpected error occurred. It has been logged.",
  ),
} as const satisfies Record<string, ProblemKind>;

/** A published error code. */
export type ErrorCode = keyof typeof PROBLEMS;

/** Optional parts of a problem beyond the catalogue entry. */
export interface ProblemExtras {
  /** Replaces the catalogue's default detail; must never contain internals or secrets. */
  detail?: string;
  /** Validation entries, `{ loc, msg, type }`. */
  details?: readonly ProblemDetail[];
  /**
   * Seconds until a retry can succeed (429, 503): sent as retry_after and retry_after_seconds in
   * the body and as the Retry-After header (the problem handler sets it; call sites do not).
   */
  retryAfter?: number;
  /** Extra response headers (Allow, WWW-Authenticate...); Retry-After comes from retryAfter. */
  headers?: Readonly<Record<string, string>>;
}

/** One validation entry in the published FastAPI-like shape. */
export interface ProblemDetail {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/**
 * The error a middleware or route throws (or passes to next) to answer with a catalogued
 * problem. The problem handler is the only place that turns it into a response.
 */
export class ProblemError extends Error {
  readonly code: ErrorCode;
  readonly extras: ProblemExtras;

  constructor(code: ErrorCode, extras: ProblemExtras = {}) {
    super(extras.detail ?? PROBLEMS[code].detail);
    this.name = "ProblemError";
    this.code = code;
    this.extras = extras;
  }
}

/**
 * Returns the RFC 9457 body, in the published ErrorOut shape, for `code` with `extras`, stamped
 * at `nowMs`: type, title, status, detail, error_code, retryable, timestamp, and details /
 * retry_after / retry_after_seconds when given. The one builder of problem bodies, for the
 * Express handler and for the answers Node's HTTP parser gives itself.
 */
export function problemBody(code: ErrorCode, extras: ProblemExtras, nowMs: number): string {
  const kind = PROBLEMS[code];
  const body: Record<string, unknown> = {
    type: kind.type,
    title: kind.title,
    status: kind.status,
    detail: extras.detail ?? kind.detail,
    error_code: code,
    retryable: kind.retryable,
    timestamp: new Date(nowMs).toISOString(),
  };
  if (extras.details !== undefined) body.details = extras.details;
  if (extras.retryAfter !== undefined) {
    // The schema names retry_after, the prose retry_after_seconds: send both.
    body.retry_after = extras.retryAfter;
    body.retry_after_seconds = extras.retryAfter;
  }
  return JSON.stringify(body);
}
