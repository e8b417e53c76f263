// OAuth 2.0 bearer tokens as a credential check (RFC 6750): JWTs signed by one issuer with an
// asymmetric key, verified against the issuer's JWKS (found by OpenID Connect Discovery 1.0 §4
// unless configured), refused with a Bearer challenge naming invalid_token.
import type { Request } from "express";
import {
  createRemoteJWKSet,
  customFetch,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from "jose";
import { ProblemError } from "../problems.js";
import {
  ABSENT,
  BEARER_CHALLENGE,
  type Credential,
  type CredentialCheck,
  type Principal,
} from "./authenticate.js";

/** Where bearerCheck reports that the issuer cannot be reached (pino's Logger fits). */
export interface BearerLogger {
  warn(fields: object, msg: string): void;
}

/** Options of bearerCheck(). Durations are in milliseconds. */
export interface BearerOptions {
  /** The `iss` every token must carry, and where discovery looks. */
  readonly issuer: string;
  /** The `aud` every token must name (this service's identifier at the issuer). */
  readonly audience: string;
  /** The issuer's JWKS URL; null or absent: the `jwks_uri` of its discovery document. */
  readonly jwksUri?: string | null;
  /** Maps a token's `email` claim to a user account; absent: no bearer caller has a userId. */
  readonly userIdByEmail?: (email: string) => Promise<number | undefined>;
  readonly logger?: BearerLogger;
  /** Longest wait for the discovery document or the JWKS (default 5000). */
  readonly timeoutMs?: number;
  /** After a failed fetch, how long requests get 503 at once before the next try (default 5000). */
  readonly retryMs?: number;
  /** Least time between JWKS refetches for a token whose `kid` is unknown (default 30000). */
  readonly cooldownMs?: number;
  /** Longest a fetched JWKS is used before it is fetched again (default 600000). */
  readonly cacheMaxAgeMs?: number;
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

/** The issuer (discovery or JWKS) could not be reached or answered unusably. */
class IssuerUnavailableError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`${url}: ${reason}`);
    this.name = "IssuerUnavailableError";
  }
}

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
  const { issuer, audience, userIdByEmail, logger } = options;
  const timeoutMs = options.timeoutMs ?? 5000;
  const retryMs = options.retryMs ?? ISSUER_RETRY_SECONDS * 1000;

  // One outage state for discovery and JWKS alike: they are the same issuer. While `failure` is
  // set and `retryAt` is ahead, fetches fail at once, so an outage costs one request per retryMs.
  let failure: IssuerUnavailableError | undefined;
  let retryAt = 0;
  const fail = (err: IssuerUnavailableError): IssuerUnavailableError => {
    if (failure === undefined) {
      logger?.warn(
        { url: err.url, reason: err.reason },
        "OAuth issuer unavailable: bearer tokens cannot be verified",
      );
    }
    failure = err;
    retryAt = Date.now() + retryMs;
    return err;
  };

  // Fetches a JSON document from the issuer; only a 200 whose body passes `problem` counts as
  // success (and ends an outage).
  const fetchJson = async (
    url: string,
    init: { headers?: Headers; signal?: AbortSignal },
    problem: (json: unknown) => string | undefined,
  ): Promise<Record<string, unknown>> => {
    if (failure !== undefined && Date.now() < retryAt) throw failure;
    let json: unknown;
    try {
      const res = await fetch(url, {
        headers: init.headers ?? { accept: "application/json" },
        redirect: "manual",
        signal: init.signal ?? AbortSignal.timeout(timeoutMs),
      });
      if (res.status !== 200) {
        await res.body?.cancel();
        throw fail(new IssuerUnavailableError(url, `HTTP ${res.status}`));
      }
      json = JSON.parse(await res.text());
    } catch (err) {
      if (err instanceof IssuerUnavailableError) throw err;
      throw fail(new IssuerUnavailableError(url, describeFetchError(err, timeoutMs)));
    }
    const reason = problem(json);
    if (reason !== undefined) throw fail(new IssuerUnavailableError(url, reason));
    failure = undefined;
    return json as Record<string, unknown>;
  };

  let jwksUrl = "";
  const remoteKeys = (url: string): JWTVerifyGetKey => {
    jwksUrl = url;
    return createRemoteJWKSet(new URL(url), {
      timeoutDuration: timeoutMs,
      cooldownDuration: options.cooldownMs,
      cacheMaxAge: options.cacheMaxAgeMs,
      [customFetch]: async (href, init) =>
        Response.json(
          await fetchJson(href, init, (json) =>
            isObject(json) && Array.isArray(json.keys) && json.keys.every(isObject)
              ? undefined
              : "not a JWK Set",
          ),
        ),
    });
  };

  let keys: JWTVerifyGetKey | undefined = options.jwksUri ? remoteKeys(options.jwksUri) : undefined;
  let discovering: Promise<JWTVerifyGetKey> | undefined;
  const discover = async (): Promise<JWTVerifyGetKey> => {
    const url = `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
    const doc = await fetchJson(url, {}, (json) => {
      if (!isObject(json)) return "not a JSON object";
      // OpenID Discovery §4.3: a document naming another issuer must not be used.
      if (json.issuer !== issuer) return "its issuer differs from the configured one";
      if (!isHttpUrl(json.jwks_uri)) return "no http(s) jwks_uri";
      return undefined;
    });
    return remoteKeys(doc.jwks_uri as string);
  };
  // Discovery waits for the first token that needs a key, so a token refused on its face (alg
  // none, HS256, malformed) costs no request to the issuer, and start-up does not need it up.
  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (keys === undefined) {
      discovering ??= discover().finally(() => {
        discovering = undefined;
      });
      keys = await discovering;
    }
    return keys(header, token);
  };

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
        fail(new IssuerUnavailableError(jwksUrl, err.message));
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

// For the log: the error's code (ECONNREFUSED...) rather than undici's bare "fetch failed".
function describeFetchError(err: unknown, timeoutMs: number): string {
  if (!(err instanceof Error)) return String(err);
  if (err.name === "TimeoutError" || err.name === "AbortError")
    return `no answer in ${timeoutMs} ms`;
  if (err instanceof SyntaxError) return "the body is not JSON";
  const cause = (err as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === "string" ? cause.code : err.message;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== "string") return false;
  try {
    const { protocol } = new URL(value);
    return protocol === "https:" || protocol === "http:";
  } catch {
    return false;
  }
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
