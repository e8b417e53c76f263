// The OpenAPI description of the account side: the Account API (session and API keys), the
// sign-in and sign-out forms and the dashboard page. Merged into the served document by openapi.ts.
import { problemResponse } from "./openapi-problem.js";
import type { PROBLEMS } from "./problems.js";

const problem = (code: keyof typeof PROBLEMS, description?: string) =>
  problemResponse(code, description);

const accountSecurity = [{ SessionAuth: [] }, { OAuthTokenAuth: [] }];

const csrfHeader = {
  name: "X-CSRF-Token",
  in: "header",
  required: false,
  description:
    "Required when authenticated by the `sessionid` cookie: the `csrf_token` of GET " +
    "/account/api/v1/session. Not used with bearer tokens.",
  schema: { type: "string" },
};

const unsafeErrors = {
  "401": problem("unauthorized", "No valid session or bearer token (`unauthorized`)."),
  "403": problem(
    "forbidden",
    "`forbidden`: an API key (keys cannot manage keys), a bearer token without scope " +
      '`keys:write` (with `WWW-Authenticate: Bearer error="insufficient_scope"`) or naming no ' +
      "user, or a session request without the CSRF token or from another origin.",
  ),
  "429": problem("rate_limited"),
};

/** The Account API's key object: never the key itself, except once in the create response. */
export const API_KEY_SCHEMA = {
  type: "object",
  properties: {
    id: { type: "integer" },
    name: { type: "string" },
    prefix: { enum: ["csb", "csu", "cpk"] },
    hint: {
      type: "string",
      description:
        "What to show for the key: its prefix, the first 4 characters of its body and its last 4 (csb_AbC1…9f3e), stored at creation; keys created before hints were stored show their prefix alone.",
    },
    status: { enum: ["active", "revoked", "expired"] },
    is_active: { type: "boolean", description: "False once revoked." },
    created_at: { type: "string", format: "date-time" },
    expires_at: { anyOf: [{ type: "string", format: "date-time" }, { type: "null" }] },
    last_used: {
      anyOf: [{ type: "string", format: "date-time" }, { type: "null" }],
      description: "Recorded in batches: up to a few seconds behind.",
    },
    rate_limit_per_minute: { type: "integer" },
    rate_limit_per_day: { type: "integer" },
  },
  required: ["id", "name", "prefix", "hint", "status", "is_active", "created_at", "expires_at"],
};

/** The paths of the account side. */
export const ACCOUNT_PATHS = {
  "/account/api/v1/session": {
    get: {
      tags: ["Account"],
      summary: "The signed-in user and the session's CSRF token",
      operationId: "get_session",
      security: [{ SessionAuth: [] }],
      responses: {
        "200": {
          description: "Signed in.",
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: { email: { type: "string" }, csrf_token: { type: "string" } },
                required: ["email", "csrf_token"],
              },
            },
          },
        },
        "401": problem("unauthorized", "Not signed in (`unauthorized`)."),
      },
    },
  },
  "/account/api/v1/api-keys/": {
    get: {
      tags: ["Account"],
      summary: "List your API keys (newest first), paginated",
      operationId: "list_api_keys",
      security: accountSecurity,
      parameters: [
        { name: "page", in: "query", schema: { type: "integer", minimum: 1, default: 1 } },
        {
          name: "page_size",
          in: "query",
          schema: { type: "integer", minimum: 1, maximum: 100, default: 25 },
        },
      ],
      responses: {
        "200": {
          description: "One page of keys in the published pagination envelope.",
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: {
                  data: { type: "array", items: { $ref: "#/components/schemas/ApiKey" } },
                  pagination: {
                    type: "object",
                    properties: {
                      page: { type: "integer" },
                      page_size: { type: "integer" },
                      total_count: { type: "integer" },
                      total_pages: { type: "integer" },
                      has_next: { type: "boolean" },
                      has_previous: { type: "boolean" },
                    },
                    required: [
                      "page",
                      "page_size",
                      "total_count",
                      "total_pages",
                      "has_next",
                      "has_previous",
                    ],
                  },
                },
                required: ["data", "pagination"],
              },
            },
          },
        },
        ...unsafeErrors,
        "422": problem("validation_error", "page below 1 or page_size outside 1–100."),
      },
    },
    post: {
      tags: ["Account"],
      summary: "Create an API key; the key is in this response only",
      operationId: "create_api_key",
      security: accountSecurity,
      parameters: [csrfHeader],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "object",
              properties: {
                name: { type: "string", minLength: 1, maxLength: 100 },
                expires_at: {
                  anyOf: [{ type: "string", format: "date-time" }, { type: "null" }],
                  description: "ISO 8601 date or date-time in the future; absent: never.",
                },
              },
              required: ["name"],
              additionalProperties: false,
            },
          },
        },
      },
      responses: {
        "201": {
          description: "Created. `key` is shown only now; store it.",
          headers: { Location: { schema: { type: "string" } } },
          content: {
            "application/json": {
              schema: {
                allOf: [
                  { $ref: "#/components/schemas/ApiKey" },
                  {
                    type: "object",
                    properties: { key: { type: "string" } },
                    required: ["key"],
                  },
                ],
              },
            },
          },
        },
        ...unsafeErrors,
        "422": problem("validation_error"),
      },
    },
  },
  "/account/api/v1/api-keys/{id}/": {
    delete: {
      tags: ["Account"],
      summary: "Revoke one of your API keys (effective at once)",
      operationId: "revoke_api_key",
      security: accountSecurity,
      parameters: [
        { name: "id", in: "path", required: true, schema: { type: "integer" } },
        csrfHeader,
      ],
      responses: {
        "204": { description: "Revoked." },
        ...unsafeErrors,
        "404": problem("not_found", "No active key of yours has this id (`not_found`)."),
      },
    },
  },
  "/account/login": {
    get: {
      tags: ["Account"],
      summary: "The sign-in page (HTML)",
      operationId: "login_page",
      security: [],
      responses: { "200": { description: "HTML form.", content: { "text/html": {} } } },
    },
    post: {
      tags: ["Account"],
      summary: "Sign in: sets the sessionid cookie",
      description:
        "Form (`application/x-www-form-urlencoded`) or JSON `{email, password}`, from the " +
        "service's own origin only. Success: 303 to `/account/` with `Set-Cookie: sessionid=…; " +
        "HttpOnly; SameSite=Lax; Path=/` (`Secure` over HTTPS), replacing any previous " +
        "session. Sessions end after 12 hours idle or 7 days. Failures are throttled per " +
        "account and client address with growing waits (5 a minute, 10 per 15 minutes, 20 an " +
        "hour, 50 a day), attempts per address (20 a minute, 200 a day), and each account has a " +
        "ceiling of 100 failures per 15 minutes from all addresses, past which only addresses " +
        "that have failed on it are refused (429 with Retry-After): the right password from " +
        "any other address always signs in.",
      operationId: "login",
      security: [],
      responses: {
        "303": { description: "Signed in; see Set-Cookie." },
        "401": {
          description:
            "Wrong email or password (the same answer for both): the form again, or a problem " +
            "for JSON.",
        },
        "403": problem("forbidden", "The form was posted from another origin (`forbidden`)."),
        "429": problem("rate_limited", "Too many attempts (`rate_limited`), with Retry-After."),
      },
    },
  },
  "/account/logout": {
    post: {
      tags: ["Account"],
      summary: "Sign out: ends the session, clears the cookie, 303 to the sign-in page",
      operationId: "logout",
      security: [{ SessionAuth: [] }],
      parameters: [csrfHeader],
      responses: {
        "303": { description: "Signed out." },
        "403": problem("forbidden", "Missing CSRF token (header or `csrf_token` form field)."),
      },
    },
  },
  "/account/": {
    get: {
      tags: ["Account"],
      summary: "Settings › API Keys: the dashboard (HTML; 303 to sign-in when signed out)",
      operationId: "dashboard",
      security: [{ SessionAuth: [] }],
      responses: {
        "200": { description: "HTML page.", content: { "text/html": {} } },
        "303": { description: "Not signed in: to /account/login." },
      },
    },
  },
} as const;
