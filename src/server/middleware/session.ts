// The `sessionid` cookie credential check: the dashboard's sign-in, usable on the API too. The
// cookie holds a random 256-bit id; the server keeps only its hash (accounts/), so a session is
// looked up on every request — after the client IP has been charged, like an unknown API key.
import { parse as parseCookies } from "cookie";
import type { Request } from "express";
import type { SessionInfo } from "../../accounts/accounts.js";
import { ProblemError } from "../problems.js";
import { ABSENT, type Credential, type CredentialCheck } from "./authenticate.js";

/** The session cookie's name, as published (SessionAuth: apiKey in cookie `sessionid`). */
export const SESSION_COOKIE = "sessionid";

/** What the check needs from the account store. */
export interface SessionLookup {
  /** Resolves to the live session's user and CSRF token, or undefined (unknown, expired). */
  session(sessionId: string): Promise<SessionInfo | undefined>;
}

const ENDED: Credential = Object.freeze({
  outcome: "refused",
  detail: "The session has expired or was ended. Please sign in again.",
});

/** Returns the value of the `sessionid` cookie of `req`, or undefined. */
export function sessionIdOf(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined || !header.includes(SESSION_COOKIE)) return undefined;
  const value = parseCookies(header)[SESSION_COOKIE];
  return value === undefined || value === "" ? undefined : value;
}

/** Seconds a client is asked to wait when the account database cannot check a session. */
const SESSION_CHECK_RETRY_SECONDS = 5;

/**
 * Returns the credential check for the `sessionid` cookie: no cookie → "absent"; a cookie →
 * deferred to one lookup in `accounts`, accepted as `user:<id>` (method "session", with the
 * session's CSRF token for requireCsrf) or refused as ended. When the database cannot answer,
 * 503 service_unavailable with Retry-After: the session cannot be judged either way.
 */
export function sessionCheck(accounts: SessionLookup): CredentialCheck {
  return function checkSession(req: Request): Credential {
    const id = sessionIdOf(req);
    if (id === undefined) return ABSENT;
    return {
      outcome: "deferred",
      verify: async () => {
        let info: SessionInfo | undefined;
        try {
          info = await accounts.session(id);
        } catch {
          // The key store, on the same database, logs the outage once.
          throw new ProblemError("service_unavailable", {
            detail: "The session cannot be checked right now. Please retry shortly.",
            retryAfter: SESSION_CHECK_RETRY_SECONDS,
          });
        }
        if (info === undefined) return ENDED;
        return {
          outcome: "accepted",
          principal: {
            subject: `user:${info.userId}`,
            method: "session",
            userId: info.userId,
            email: info.email,
            csrfToken: info.csrfToken,
          },
        };
      },
    };
  };
}
