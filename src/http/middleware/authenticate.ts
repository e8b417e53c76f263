// Who is calling: a chain of credential checks (API key today; OAuth bearer tokens and session
// cookies later) run once per request, and the guard that turns "nobody" into a 401.
import type { NextFunction, Request, Response } from "express";
import { ProblemError } from "../problems.js";

/** An authenticated caller. `subject` is a stable, loggable id (never a secret), e.g. "key:12". */
export interface Principal {
  readonly subject: string;
  /** Per-caller request limits; 0 or undefined in a field means the default tier. */
  readonly limits?: { readonly perMinute: number; readonly perDay: number };
}

/**
 * A check's verdict: no credential of its kind, a credential it refuses (and why), a caller, or
 * a credential that needs I/O to verify (`verify` settles it). Deferred verification runs only
 * after the rate limiter has charged the client IP, so the per-IP anonymous tier bounds how
 * much I/O unverified credentials can cause.
 */
export type Credential =
  | { readonly outcome: "absent" }
  | { readonly outcome: "refused"; readonly detail: string }
  | { readonly outcome: "accepted"; readonly principal: Principal }
  | { readonly outcome: "deferred"; readonly verify: () => Promise<Credential> };

/**
 * One way of authenticating. Returns synchronously when it can (API keys: an in-memory lookup);
 * may return a promise for checks that need I/O (token introspection). Must not throw for bad
 * credentials — refuse them instead.
 */
export type CredentialCheck = (req: Request) => Credential | Promise<Credential>;

/**
 * What identify() records on the request: the caller, why the credential was refused, or the
 * verification still to run (see settleDeferred).
 */
export interface AuthState {
  principal?: Principal;
  refusal?: string;
  deferred?: () => Promise<Credential>;
}

declare module "express-serve-static-core" {
  interface Request {
    /** Set by identify(); read by the rate limiter, requireAuth and the request log. */
    auth?: AuthState;
  }
}

/** The credential check verdict for requests that carry no credential at all. */
export const ABSENT: Credential = Object.freeze({ outcome: "absent" });

const NO_CREDENTIAL = "A valid API key is required in the X-API-Key header.";
const NOBODY: AuthState = Object.freeze({});

/**
 * Returns middleware that runs `checks` in order and records the first verdict that is not
 * "absent" as `req.auth`. It never rejects: whether a caller is required is the route's choice
 * (requireAuth), and unauthenticated traffic still gets counted per IP by the rate limiter.
 * Synchronous checks cost no promise; the first asynchronous one switches to awaiting.
 */
export function identify(checks: readonly CredentialCheck[]) {
  return function identifyCaller(req: Request, _res: Response, next: NextFunction) {
    req.auth = NOBODY;
    for (let i = 0; i < checks.length; i++) {
      const verdict = checks[i](req);
      if (verdict instanceof Promise)
        return finishAsync(req, checks, i, verdict).then(() => next());
      if (record(req, verdict)) break;
    }
    next();
  };
}

/** Stores a decisive verdict on the request; returns false for "absent" (try the next check). */
function record(req: Request, credential: Credential): boolean {
  if (credential.outcome === "accepted") req.auth = { principal: credential.principal };
  else if (credential.outcome === "refused") req.auth = { refusal: credential.detail };
  else if (credential.outcome === "deferred") req.auth = { deferred: credential.verify };
  return credential.outcome !== "absent";
}

/**
 * Runs the deferred verification identify() recorded, if any, and records its verdict (a
 * caller or a refusal). Rejects as the verification does (e.g. 503 when the key database is
 * unreachable). Called by the rate limiter once the client IP has been charged.
 */
export async function settleDeferred(req: Request): Promise<void> {
  const verify = req.auth?.deferred;
  if (verify === undefined) return;
  const verdict = await verify();
  if (!record(req, verdict) || verdict.outcome === "deferred") req.auth = NOBODY;
}

async function finishAsync(
  req: Request,
  checks: readonly CredentialCheck[],
  from: number,
  pending: Promise<Credential>,
): Promise<void> {
  if (record(req, await pending)) return;
  for (let i = from + 1; i < checks.length; i++) {
    if (record(req, await checks[i](req))) return;
  }
}

/** Header telling a client how to authenticate (RFC 9110 requires one on every 401). */
export const WWW_AUTHENTICATE = 'APIKey realm="closient", header="X-API-Key"';

/**
 * Middleware for routes that need a caller: passes when identify() found one, otherwise fails
 * with 401 unauthorized, detail saying why (missing, malformed, unknown or revoked, expired).
 */
export function requireAuth(req: Request, _res: Response, next: NextFunction): void {
  if (req.auth?.principal) {
    next();
    return;
  }
  throw new ProblemError("unauthorized", {
    detail: req.auth?.refusal ?? NO_CREDENTIAL,
    headers: { "WWW-Authenticate": WWW_AUTHENTICATE },
  });
}
