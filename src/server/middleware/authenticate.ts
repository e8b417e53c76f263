// Who is calling: a chain of credential checks (API key, OAuth bearer token, session cookie) run
// once per request, and the guards that turn "nobody" into a 401 and a token without the needed
// scope into a 403.
import type { NextFunction, Request, Response } from "express";
import { ProblemError } from "../problems.js";

/** How a caller proved who it is. */
export type AuthMethod = "api_key" | "bearer" | "session";

/**
 * An authenticated caller. `subject` is a stable, loggable id (never a secret) that the rate
 * limiter counts against: "key:12", "oauth:<client_id or sub>", "user:3".
 */
export interface Principal {
  readonly subject: string;
  readonly method: AuthMethod;
  /** Per-caller request limits; 0 or undefined in a field means the default tier. */
  readonly limits?: { readonly perMinute: number; readonly perDay: number };
  /**
   * Bearer tokens only: the scopes the token grants (requireScope checks them). API keys and
   * sessions carry every right of their kind and leave this undefined.
   */
  readonly scopes?: ReadonlySet<string>;
  /**
   * The user account the caller acts for: the session's user, the key's owner, or the user
   * whose email a bearer token names. Undefined for operator keys and unknown token subjects.
   */
  readonly userId?: number;
  /** Sessions only: the signed-in user's email. */
  readonly email?: string;
  /** Sessions only: the token unsafe requests must echo in X-CSRF-Token (see requireCsrf). */
  readonly csrfToken?: string;
}

/**
 * A check's verdict: no credential of its kind, a credential it refuses (and why), a caller, or
 * a credential that needs I/O to verify (`verify` settles it). Deferred verification runs only
 * after the rate limiter has charged the client IP, so the per-IP anonymous tier bounds how
 * much I/O unverified credentials can cause.
 */
export type Credential =
  | { readonly outcome: "absent" }
  | {
      readonly outcome: "refused";
      readonly detail: string;
      /** The WWW-Authenticate challenge naming the error, e.g. Bearer error="invalid_token". */
      readonly challenge?: string;
    }
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
  /** The refusing check's WWW-Authenticate challenge, when it has its own. */
  challenge?: string;
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
  else if (credential.outcome === "refused")
    req.auth = { refusal: credential.detail, challenge: credential.challenge };
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

/** The realm every challenge names. */
export const REALM = "closient";

/** The API-key challenge (RFC 9110 requires a WWW-Authenticate on every 401). */
export const API_KEY_CHALLENGE = `APIKey realm="${REALM}", header="X-API-Key"`;

/** The OAuth 2.0 bearer challenge without an error (RFC 6750 §3). */
export const BEARER_CHALLENGE = `Bearer realm="${REALM}"`;

/** What the service accepts besides API keys, for 401 details and challenges. */
export interface AcceptedCredentials {
  /** OAuth 2.0 bearer tokens are configured. */
  readonly bearer?: boolean;
  /** Session cookies are accepted (the dashboard's sign-in). */
  readonly session?: boolean;
}

/**
 * Returns the middleware for routes that need a caller: passes when identify() found one,
 * otherwise fails with 401 unauthorized. The detail says why (missing, malformed, unknown or
 * revoked, expired, invalid token); WWW-Authenticate carries the refusing check's challenge
 * (Bearer error="invalid_token") or, for no credential at all, one challenge per accepted kind.
 */
export function requireCaller(accepted: AcceptedCredentials = {}) {
  const kinds = ["an API key in the X-API-Key header"];
  if (accepted.bearer) kinds.push("an OAuth 2.0 bearer token");
  if (accepted.session) kinds.push("a signed-in session");
  const missing =
    kinds.length === 1
      ? NO_CREDENTIAL
      : `One of ${kinds.slice(0, -1).join(", ")} or ${kinds.at(-1)} is required.`;
  const challenges = accepted.bearer
    ? `${API_KEY_CHALLENGE}, ${BEARER_CHALLENGE}`
    : API_KEY_CHALLENGE;
  return function requireAuth(req: Request, _res: Response, next: NextFunction): void {
    if (req.auth?.principal) {
      next();
      return;
    }
    throw new ProblemError("unauthorized", {
      detail: req.auth?.refusal ?? missing,
      headers: { "WWW-Authenticate": req.auth?.challenge ?? challenges },
    });
  };
}

/** requireCaller() for API keys alone: the service without OAuth or sessions. */
export const requireAuth = requireCaller();

/**
 * Returns middleware that lets a bearer-token caller through only when its token grants
 * `scope`, else 403 forbidden with WWW-Authenticate: Bearer error="insufficient_scope" (RFC
 * 6750 §3.1). API keys and sessions are not scoped and always pass. Use after requireCaller.
 */
export function requireScope(scope: string) {
  const challenge = `${BEARER_CHALLENGE}, error="insufficient_scope", scope="${scope}"`;
  return function checkScope(req: Request, _res: Response, next: NextFunction): void {
    const principal = req.auth?.principal;
    if (principal?.method === "bearer" && !principal.scopes?.has(scope)) {
      throw new ProblemError("forbidden", {
        detail: `The bearer token does not grant the scope "${scope}" this request needs.`,
        headers: { "WWW-Authenticate": challenge },
      });
    }
    next();
  };
}
