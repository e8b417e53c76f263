// Cross-site request forgery defence for cookie-authenticated requests. A browser attaches the
// `sessionid` cookie to requests other pages make (SameSite=Lax still sends it from any origin
// of the same site, e.g. another port on the same host), so an unsafe request authenticated by
// the cookie must prove it came from our own page: the session's token in X-CSRF-Token, which
// no other origin can read, and an Origin / Sec-Fetch-Site that says same-origin. API keys and
// bearer tokens are never sent ambiently, so their requests need neither.
import { timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { ProblemError } from "../problems.js";

/** The header carrying the session's CSRF token. */
export const CSRF_HEADER = "X-CSRF-Token";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Returns undefined when `req` may come from our own origin, else why not: Sec-Fetch-Site
 * (sent by every current browser) must be "same-origin" (or "none": typed by the user); without
 * it, an Origin header must equal this server's origin. Requests with neither header are not
 * from a browser's cross-origin fetch, and pass.
 */
export function crossOriginReason(req: Request): string | undefined {
  const site = req.headers["sec-fetch-site"];
  if (typeof site === "string") {
    return site === "same-origin" || site === "none"
      ? undefined
      : `The request came from another site or origin (Sec-Fetch-Site: ${site}).`;
  }
  const origin = req.headers.origin;
  if (origin === undefined) return undefined;
  const own = `${req.protocol}://${req.headers.host ?? ""}`;
  return origin === own ? undefined : "The request came from another origin.";
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Middleware for routes open to sessions: an unsafe request (not GET/HEAD/OPTIONS) whose caller
 * was authenticated by the session cookie passes only with the session's token in X-CSRF-Token
 * (or, for plain HTML forms, a `csrf_token` form field) and a same-origin request; otherwise
 * 403 forbidden naming what is missing. Other callers pass untouched.
 */
export function requireCsrf(req: Request, _res: Response, next: NextFunction): void {
  const principal = req.auth?.principal;
  if (principal?.method !== "session" || SAFE_METHODS.has(req.method)) {
    next();
    return;
  }
  const crossOrigin = crossOriginReason(req);
  if (crossOrigin !== undefined) throw new ProblemError("forbidden", { detail: crossOrigin });
  const header = req.headers["x-csrf-token"];
  const field = (req.body as { csrf_token?: unknown } | undefined)?.csrf_token;
  const given = typeof header === "string" ? header : typeof field === "string" ? field : "";
  if (given === "" || !sameToken(given, principal.csrfToken ?? "")) {
    throw new ProblemError("forbidden", {
      detail:
        given === ""
          ? `A request signed in with the session cookie must send the session's CSRF token in the ${CSRF_HEADER} header (GET /account/api/v1/session).`
          : `The ${CSRF_HEADER} header does not match the session's token.`,
    });
  }
  next();
}
