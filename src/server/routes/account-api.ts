// The Account API: the signed-in user's session (for the CSRF token) and their API keys — list
// with the published pagination envelope, create (the key shown once), revoke. Open to a
// session or a bearer token with scope keys:write; never to an API key, so a leaked key cannot
// mint more keys.
import type { Express, NextFunction, Request, Response } from "express";
import { daysInMonth, MONTH_NAMES } from "../../gs1/date.js";
import { describeValue } from "../../issues.js";
import { keyHint, keyLabel } from "../../keys/format.js";
import type { KeyRecord } from "../../keys/store.js";
import { BEARER_CHALLENGE, REALM, requireScope } from "../middleware/authenticate.js";
import { requireCsrf } from "../middleware/csrf.js";
import { jsonBody } from "../middleware/json-body.js";
import { methodNotAllowed } from "../middleware/not-found.js";
import type { Tier } from "../middleware/rate-limit.js";
import { SESSION_COOKIE } from "../middleware/session.js";
import { paginationOf, readPage } from "../pagination.js";
import type { ProblemDetail } from "../problems.js";
import { ProblemError } from "../problems.js";

/** Where the Account API lives. */
export const ACCOUNT_API_PATH = "/account/api/v1";

/** The scope a bearer token needs for the Account API. */
export const KEYS_SCOPE = "keys:write";

const MAX_NAME_LENGTH = 100;

/** What the Account API needs from the key store. */
export interface OwnedKeys {
  listOwned(
    ownerId: number,
    page: { offset: number; limit: number },
  ): Promise<{ keys: KeyRecord[]; total: number }>;
  create(spec: {
    name: string;
    expiresAt?: string | null;
    ownerId?: number | null;
  }): Promise<{ id: number; key: string }>;
  revokeOwned(id: number, ownerId: number): Promise<boolean>;
}

/** Options of mountAccountApi. */
export interface AccountApiOptions {
  keys: OwnedKeys;
  /** The tier a key without its own limits gets, shown as its limits. */
  keyDefault: Tier;
  /** Bearer tokens are accepted (their 401 challenge is then offered). */
  bearer: boolean;
  clock: { now(): number };
}

/** The 401 challenge of a route that takes a session: a cookie scheme has no registered name. */
export const SESSION_CHALLENGE = `Session realm="${REALM}", cookie="${SESSION_COOKIE}"`;

/** One API key as the Account API shows it; never the key or its hash. */
function keyJson(key: KeyRecord, tier: Tier, now: number) {
  const expired = key.expiresAt !== null && Date.parse(key.expiresAt) <= now;
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    // The stored hint (csb_AbC1…9f3e); keys made before hints show their prefix alone.
    hint: keyLabel(key),
    status: !key.active ? "revoked" : expired ? "expired" : "active",
    is_active: key.active,
    created_at: key.createdAt,
    expires_at: key.expiresAt,
    last_used: key.lastUsed,
    rate_limit_per_minute: key.perMinute || tier.perMinute,
    rate_limit_per_day: key.perDay || tier.perDay,
  };
}

/** The user the caller acts for; 401/403 for callers the Account API does not serve. */
function ownerOf(req: Request, bearer: boolean): number {
  const principal = req.auth?.principal;
  if (principal === undefined) {
    throw new ProblemError("unauthorized", {
      detail:
        req.auth?.refusal ??
        `Sign in (the ${SESSION_COOKIE} cookie)${bearer ? " or send an OAuth 2.0 bearer token" : ""} to use the Account API.`,
      headers: {
        "WWW-Authenticate":
          req.auth?.challenge ??
          (bearer ? `${SESSION_CHALLENGE}, ${BEARER_CHALLENGE}` : SESSION_CHALLENGE),
      },
    });
  }
  if (principal.method === "api_key") {
    throw new ProblemError("forbidden", {
      detail:
        "The Account API takes a signed-in session or a bearer token, not an API key: a key cannot manage keys.",
    });
  }
  if (principal.userId === undefined) {
    throw new ProblemError("forbidden", {
      detail: "The bearer token does not name a user of this service (its email claim).",
    });
  }
  return principal.userId;
}

// Date, or date and time with an optional zone (Date.parse alone accepts free-form dates too).
const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Returns why the calendar fields of `text` (already matching ISO_8601) name no real instant,
 * e.g. "February 2027 has 28 days", or undefined when they do. Date.parse would roll
 * 2027-02-30 over to 2027-03-02 instead.
 */
function impossibleDate(text: string): string | undefined {
  const [y, m, d] = text.slice(0, 10).split("-").map(Number);
  if (m < 1 || m > 12) return `there is no month ${m}`;
  const days = daysInMonth(y, m);
  if (d < 1 || d > days) return `${MONTH_NAMES[m - 1]} ${y} has ${days} days`;
  const time = /T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
  if (time !== null) {
    const [hours, minutes, seconds] = [Number(time[1]), Number(time[2]), Number(time[3] ?? 0)];
    if (hours > 23) return `there is no hour ${hours}`;
    if (minutes > 59) return `there is no minute ${minutes}`;
    if (seconds > 59) return `there is no second ${seconds}`;
  }
  const zone = /([+-])(\d{2}):?(\d{2})$/.exec(text.slice(10));
  if (zone !== null && (Number(zone[2]) > 23 || Number(zone[3]) > 59)) {
    return `there is no offset ${zone[0]}`;
  }
  return undefined;
}

/** Validates a create request: `{name, expires_at?}`; 422 listing every problem. */
function newKeySpec(body: unknown, now: number): { name: string; expiresAt: string | null } {
  const issues: ProblemDetail[] = [];
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new ProblemError("validation_error", {
      details: [{ loc: ["body"], msg: "The body must be a JSON object.", type: "object_type" }],
    });
  }
  const { name, expires_at: expiresAt, ...rest } = body as Record<string, unknown>;
  for (const field of Object.keys(rest)) {
    issues.push({
      loc: ["body", field],
      msg: `Unknown field ${JSON.stringify(field)}: a key takes name and expires_at.`,
      type: "extra_forbidden",
    });
  }
  if (typeof name !== "string") {
    issues.push({
      loc: ["body", "name"],
      msg: `name must be a string of 1 to ${MAX_NAME_LENGTH} characters; got ${describeValue(name)}.`,
      type: "string_type",
    });
  } else if (name.trim() === "" || name.trim().length > MAX_NAME_LENGTH) {
    issues.push({
      loc: ["body", "name"],
      msg: `name must be a string of 1 to ${MAX_NAME_LENGTH} characters; got ${JSON.stringify(name)}.`,
      type: "name",
    });
  }
  let expiry: string | null = null;
  if (expiresAt !== undefined && expiresAt !== null) {
    const ms =
      typeof expiresAt === "string" && ISO_8601.test(expiresAt) ? Date.parse(expiresAt) : NaN;
    const impossible =
      typeof expiresAt === "string" && ISO_8601.test(expiresAt)
        ? impossibleDate(expiresAt)
        : undefined;
    if (typeof expiresAt !== "string") {
      issues.push({
        loc: ["body", "expires_at"],
        msg: `expires_at must be an ISO 8601 date or date-time string such as 2027-06-30T00:00:00Z; got ${describeValue(expiresAt)}.`,
        type: "string_type",
      });
    } else if (impossible !== undefined) {
      issues.push({
        loc: ["body", "expires_at"],
        msg: `expires_at ${JSON.stringify(expiresAt)} is not a real date or time: ${impossible}.`,
        type: "datetime",
      });
    } else if (Number.isNaN(ms)) {
      issues.push({
        loc: ["body", "expires_at"],
        msg: `expires_at must be an ISO 8601 date or date-time such as 2027-06-30T00:00:00Z; got ${JSON.stringify(expiresAt)}.`,
        type: "datetime",
      });
    } else if (ms <= now) {
      issues.push({
        loc: ["body", "expires_at"],
        msg: `expires_at ${JSON.stringify(expiresAt)} is not in the future.`,
        type: "future",
      });
    } else expiry = new Date(ms).toISOString();
  }
  if (issues.length > 0) throw new ProblemError("validation_error", { details: issues });
  return { name: (name as string).trim(), expiresAt: expiry };
}

function noStore(_req: Request, res: Response, next: NextFunction): void {
  // Keys and CSRF tokens must not sit in a shared or browser cache.
  res.setHeader("Cache-Control", "no-store");
  next();
}

/**
 * Adds the Account API to `app` (after identify and the rate limiter):
 * - GET `/account/api/v1/session` → `{email, csrf_token}` for a signed-in session, else 401;
 * - GET `/account/api/v1/api-keys/?page=&page_size=` → `{data, pagination}` of the caller's keys,
 *   newest first (422 for a page size over 100 or a page below 1);
 * - POST `/account/api/v1/api-keys/` `{name, expires_at?}` → 201 with the key, shown only here;
 * - DELETE `/account/api/v1/api-keys/{id}/` → 204, or 404 when it is not the caller's active key.
 * Bearer tokens need scope keys:write (403 insufficient_scope); API keys get 403; unsafe
 * requests with the session cookie need the CSRF token (403). Responses are never cached.
 */
export function mountAccountApi(app: Express, options: AccountApiOptions): void {
  const { keys, keyDefault, bearer, clock } = options;
  const guard = [noStore, requireScope(KEYS_SCOPE), requireCsrf];

  app
    .route(`${ACCOUNT_API_PATH}/session`)
    .get(noStore, (req, res) => {
      const principal = req.auth?.principal;
      if (principal?.method !== "session") {
        throw new ProblemError("unauthorized", {
          detail: req.auth?.refusal ?? "Not signed in.",
          headers: { "WWW-Authenticate": SESSION_CHALLENGE },
        });
      }
      res.json({ email: principal.email, csrf_token: principal.csrfToken });
    })
    .all(methodNotAllowed(["GET", "HEAD"]));

  app
    .route(`${ACCOUNT_API_PATH}/api-keys/`)
    .get(...guard, async (req, res) => {
      const owner = ownerOf(req, bearer);
      const { page, size } = readPage(req.query);
      const { keys: rows, total } = await keys.listOwned(owner, {
        offset: (page - 1) * size,
        limit: size,
      });
      const now = clock.now();
      res.json({
        data: rows.map((k) => keyJson(k, keyDefault, now)),
        pagination: paginationOf(page, size, total),
      });
    })
    .post(...guard, jsonBody(4096), async (req, res) => {
      const owner = ownerOf(req, bearer);
      const spec = newKeySpec(req.body, clock.now());
      const { id, key } = await keys.create({ ...spec, ownerId: owner });
      const now = clock.now();
      const record: KeyRecord = {
        id,
        prefix: key.slice(0, 3),
        name: spec.name,
        active: true,
        createdAt: new Date(now).toISOString(),
        expiresAt: spec.expiresAt,
        lastUsed: null,
        perMinute: 0,
        perDay: 0,
        ownerId: owner,
        hint: keyHint(key),
      };
      res
        .status(201)
        .location(`${ACCOUNT_API_PATH}/api-keys/${id}/`)
        .json({ ...keyJson(record, keyDefault, now), key });
    })
    .all(methodNotAllowed(["GET", "HEAD", "POST"]));

  app
    .route(`${ACCOUNT_API_PATH}/api-keys/:id/`)
    .delete(...guard, async (req, res) => {
      const owner = ownerOf(req, bearer);
      const raw = req.params.id;
      const id = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
      // Another user's key reads exactly like a key that does not exist.
      if (Number.isNaN(id) || !(await keys.revokeOwned(id, owner))) {
        throw new ProblemError("not_found", {
          detail: `You have no active API key with id ${raw}.`,
        });
      }
      res.status(204).end();
    })
    .all(methodNotAllowed(["DELETE"]));
}
