// The client of one OAuth 2.0 / OpenID issuer: its signing keys (JWKS, RFC 7517) found by OpenID
// Connect Discovery 1.0 §4 unless configured, fetched lazily and cached by jose, and one outage
// state shared by discovery and JWKS so an unreachable issuer costs one request per retry period.
import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from "jose";

/** Where the issuer client reports that the issuer cannot be reached (pino's Logger fits). */
export interface IssuerLogger {
  warn(fields: object, msg: string): void;
}

/** Options of oauthIssuer(). Durations are in milliseconds. */
export interface IssuerOptions {
  /** The issuer identifier; discovery reads `<issuer>/.well-known/openid-configuration`. */
  readonly issuer: string;
  /** The issuer's JWKS URL; null or absent: the `jwks_uri` of its discovery document. */
  readonly jwksUri?: string | null;
  readonly logger?: IssuerLogger;
  /** Longest wait for the discovery document or the JWKS (default 5000). */
  readonly timeoutMs?: number;
  /** After a failed fetch, how long fetches fail at once before the next try (default 5000). */
  readonly retryMs?: number;
  /** Least time between JWKS refetches for a token whose `kid` is unknown (jose's default). */
  readonly cooldownMs?: number;
  /** Longest a fetched JWKS is used before it is fetched again (jose's default). */
  readonly cacheMaxAgeMs?: number;
}

/** The issuer's signing keys, and a way to say that what it published cannot be used. */
export interface OAuthIssuer {
  /**
   * Resolves the key for a token header, as jwtVerify wants. Rejects with
   * IssuerUnavailableError while the issuer cannot be reached or answers unusably, and with
   * jose's JWKS errors for a key it does not publish.
   */
  readonly getKey: JWTVerifyGetKey;
  /** Starts (or prolongs) an outage because the fetched JWKS cannot be used (`reason`). */
  markUnusable(reason: string): void;
}

/** The issuer (discovery or JWKS) could not be reached or answered unusably. */
export class IssuerUnavailableError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`${url}: ${reason}`);
    this.name = "IssuerUnavailableError";
  }
}

/**
 * Returns the client of the issuer `options.issuer`. Nothing is fetched until the first getKey
 * call, so start-up does not need the issuer up. Discovery runs once (concurrent callers share
 * it) and must name the same issuer and an http(s) `jwks_uri`; only a 200 whose body is the
 * expected JSON counts. A failure is logged once per outage, and for `retryMs` after it every
 * fetch fails at once with the same IssuerUnavailableError.
 */
export function oauthIssuer(options: IssuerOptions): OAuthIssuer {
  const { issuer, logger } = options;
  const timeoutMs = options.timeoutMs ?? 5000;
  const retryMs = options.retryMs ?? 5000;

  // While `failure` is set and `retryAt` is ahead, fetches fail at once.
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

  return {
    // Discovery waits for the first token that needs a key, so a token refused on its face
    // (alg none, HS256, malformed) costs no request to the issuer.
    getKey: async (header, token) => {
      if (keys === undefined) {
        discovering ??= discover().finally(() => {
          discovering = undefined;
        });
        keys = await discovering;
      }
      return keys(header, token);
    },
    markUnusable(reason) {
      fail(new IssuerUnavailableError(jwksUrl, reason));
    },
  };
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
