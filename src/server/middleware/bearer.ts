// OAuth 2.0 bearer tokens as a credential check (RFC 6750): JWTs signed by one issuer with an
// asymmetric key, verified against the keys accounts/oauth-issuer.ts fetches, refused with a
// Bearer challenge naming invalid_token.
import type { Request } from "express";
import { errors, type JWTPayload, jwtVerify } from "jose";
import {
  type IssuerLogger,
  type IssuerOptions,
  IssuerUnavailableError,
  oauthIssuer,
} from "../../accounts/oauth-issuer.js";
import { ProblemError } from "../problems.js";
import {
  ABSENT,
  BEARER_CHALLENGE,
  type Credential,
  type CredentialCheck,
  type Principal,
} from "./authenticate.js";

/** Where bearerCheck reports that the issuer cannot be reached (pino's Logger fits). */
export type BearerLogger = IssuerLogger;

/** Options of bearerCheck(): the issuer client's (durations in milliseconds) plus the token's. */
export interface BearerOptions extends IssuerOptions {
  /** The `aud` every token must name (this service's identifier at the issuer). */
  readonly audience: string;
  /** Maps a token's `email` claim to a user account; absent: no bearer caller has a userId. */
  readonly userIdByEmail?: (email: string) => Promise<number | undefined>;
}

/**
 * The signature algorithms accepted. Asymmetric only: with HS* a token "signed" with the
 * issuer's public key would verify, and "none" is no signature at all.
 */
export const ACCEPTED_ALGORITHMS: readonly string[] = Object.freeze([
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
]);

/** Seconds of clock difference with the issuer tolerated on exp and nbf. */
export const CLOCK_TOLERANCE_SECONDS = 60;

/** Seconds a client is asked to wait when the issuer cannot be reached (Retry-After). */
export const ISSUER_RETRY_SECONDS = 5;

// RFC 6750 §2.1: "Bearer" 1*SP b64token. One space only: anything else is refused rather than
// guessed at. The token itself must then look like a compact JWS (three base64url parts).
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

// The description goes inside a quoted-string: keep it free of quotes and backslashes.
function refusal(detail: string, description: string): Credential {
  return Object.freeze({
    outcome: "refused",
    detail,
    challenge: `${BEARER_CHALLENGE}, error="invalid_token", error_description="${description}"`,
  });
}

const MALFORMED_HEADER = refusal(
  "The Authorization header must be Bearer, one space and the token.",
  "The Authorization header is malformed",
);
const MALFORMED_TOKEN = refusal(
  "The bearer token is not a well-formed signed JWT.",
  "The token is malformed",
);
const EXPIRED = refusal("The bearer token has expired.", "The token has expired");
const NOT_YET_VALID = refusal(
  "The bearer token is not valid yet (its nbf is in the future).",
  "The token is not yet valid",
);
const NO_EXPIRY = refusal("The bearer token has no expiry (exp claim).", "The token has no exp");
const WRONG_AUDIENCE = refusal(
  "The bearer token is not meant for this service (aud claim).",
  "The token audience is not accepted",
);
const WRONG_ISSUER = refusal(
  "The bearer token is not from the trusted issuer (iss claim).",
  "The token issuer is not trusted",
);
const INVALID_CLAIMS = refusal(
  "The bearer token's claims are invalid.",
  "The token claims are invalid",
);
const ALGORITHM = refusal(
  "The bearer token's signing algorithm is not accepted (RS, PS, ES or EdDSA only).",
  "The token algorithm is not accepted",
);
const BAD_SIGNATURE = refusal(
  "The bearer token's signature does not verify.",
  "The token signature is invalid",
);
const UNKNOWN_KEY = refusal(
  "The bearer token is signed with a key the issuer does not publish.",
  "The token signing key is unknown",
);
const AMBIGUOUS_KEY = refusal(
  "The bearer token names no key id (kid) and the issuer publishes several keys.",
  "The token names no key id",
);
const NO_SUBJECT = refusal(
  "The bearer token names no client (client_id or sub claim).",
  "The token names no client",
);

const UNAVAILABLE = () =>
  new ProblemError("service_unavailable", {
    detail: "Bearer tokens cannot be checked right now: the token issuer is unreachable.",
    retryAfter: ISSUER_RETRY_SECONDS,
  });

/**
 * Returns the credential check for `Authorization: Bearer <JWT>`. No Authorization header or
 * another scheme: "absent". A malformed header or a token that is not a compact JWS: refused
 * at once. Otherwise deferred (verified after the client IP is charged): the signature against
 * the issuer's JWKS (fetched on first use, cached, refetched for an unknown kid at most every
 * `cooldownMs`), then iss, aud, exp (required) and nbf with 60 s tolerance. Refusals carry a
 * Bearer invalid_token challenge and never echo the token. An accepted token's principal is
 * `oauth:<client_id or sub>` with the scopes of `scope` (space-separated) or `scp`, and the
 * userId `userIdByEmail` gives its `email` (none when `email_verified` is false). Verification
 * fails with 503 service_unavailable (Retry-After 5) while the issuer cannot be reached, logged
 * once per outage; it rejects as userIdByEmail does.
 */
export function bearerCheck(options: BearerOptions): CredentialCheck {
  const { issuer, audience, userIdByEmail } = options;
  const { getKey, markUnusable } = oauthIssuer({
    ...options,
    retryMs: options.retryMs ?? ISSUER_RETRY_SECONDS * 1000,
  });

  const verify = async (token: string): Promise<Credential> => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, getKey, {
        issuer,
        audience,
        algorithms: [...ACCEPTED_ALGORITHMS],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ["exp"],
      }));
    } catch (err) {
      const refused = refusalFor(err);
      if (refused !== undefined) return refused;
      if (err instanceof IssuerUnavailableError) throw UNAVAILABLE();
      // The JWKS parsed but jose cannot use it (a private or broken key in it): the issuer's fault.
      if (err instanceof errors.JWKSInvalid || err instanceof errors.JWKInvalid) {
        markUnusable(err.message);
        throw UNAVAILABLE();
      }
      throw err;
    }
    const client = nonEmptyString(payload.client_id) ?? nonEmptyString(payload.sub);
    if (client === undefined) return NO_SUBJECT;
    const email = payload.email;
    const userId =
      userIdByEmail !== undefined && typeof email === "string" && payload.email_verified !== false
        ? await userIdByEmail(email)
        : undefined;
    const principal: Principal = {
      subject: `oauth:${client}`,
      method: "bearer",
      scopes: scopesOf(payload),
      userId,
    };
    return { outcome: "accepted", principal };
  };

  return function checkBearer(req: Request): Credential {
    const raw = req.headers.authorization;
    if (raw === undefined) return ABSENT;
    const space = raw.indexOf(" ");
    const scheme = space === -1 ? raw : raw.slice(0, space);
    // Auth schemes are case-insensitive (RFC 9110 §11.1); other schemes belong to other checks.
    if (scheme.toLowerCase() !== "bearer") return ABSENT;
    const token = space === -1 ? "" : raw.slice(space + 1);
    if (!B64TOKEN.test(token)) return MALFORMED_HEADER;
    if (!COMPACT_JWS.test(token)) return MALFORMED_TOKEN;
    return { outcome: "deferred", verify: () => verify(token) };
  };
}

// jose's verdicts on the token itself; undefined for anything else (issuer trouble, bugs).
function refusalFor(err: unknown): Credential | undefined {
  if (err instanceof errors.JWTExpired) return EXPIRED;
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === "aud") return WRONG_AUDIENCE;
    if (err.claim === "iss") return WRONG_ISSUER;
    if (err.claim === "exp" && err.reason === "missing") return NO_EXPIRY;
    if (err.claim === "nbf" && err.reason === "check_failed") return NOT_YET_VALID;
    return INVALID_CLAIMS;
  }
  if (err instanceof errors.JOSEAlgNotAllowed) return ALGORITHM;
  if (err instanceof errors.JWSSignatureVerificationFailed) return BAD_SIGNATURE;
  if (err instanceof errors.JWKSNoMatchingKey) return UNKNOWN_KEY;
  if (err instanceof errors.JWKSMultipleMatchingKeys) return AMBIGUOUS_KEY;
  if (
    err instanceof errors.JWSInvalid ||
    err instanceof errors.JWTInvalid ||
    err instanceof errors.JOSENotSupported
  ) {
    return MALFORMED_TOKEN;
  }
  return undefined;
}

// RFC 6749 §3.3 `scope` is one space-separated string; Okta and Azure AD send `scp`, as an array
// or as such a string.
function scopesOf(payload: JWTPayload): ReadonlySet<string> {
  const raw = typeof payload.scope === "string" ? payload.scope : payload.scp;
  if (typeof raw === "string") return new Set(raw.split(" ").filter((s) => s !== ""));
  if (Array.isArray(raw)) return new Set(raw.filter((s): s is string => typeof s === "string"));
  return new Set();
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
