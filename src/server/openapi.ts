// The OpenAPI 3.1 description of this service: the published DataMatrixPayload and ErrorOut
// schemas (the request and our rendering options from request-schema.ts), the headers and every
// problem response the endpoint can give, plus the Account and Labels paths.

import { payloadJsonSchema, QR_REQUEST_FIELDS } from "../request-schema.js";
import { DATAMATRIX_PATH, DIGITAL_LINK_PARSE_PATH, QR_PATH } from "../types.js";
import { ACCOUNT_PATHS, API_KEY_SCHEMA } from "./openapi-account.js";
import { BARCODE_PAYLOAD_SCHEMA, barcodePath } from "./openapi-barcode.js";
import { type DocumentedLabelLimits, LABEL_EXPORT_REQUEST, labelPaths } from "./openapi-labels.js";
import { PROBLEM_CONTENT, problemResponse } from "./openapi-problem.js";
import { PROBLEMS } from "./problems.js";

const rateLimitHeaders = {
  "RateLimit-Policy": {
    description: "Every active window, e.g. `300;w=60, 10000;w=86400`.",
    schema: { type: "string" },
  },
  "RateLimit-Limit": {
    description: "Quota of the most restrictive window (fewest requests left).",
    schema: { type: "integer" },
  },
  "RateLimit-Remaining": {
    description: "Requests left in that window.",
    schema: { type: "integer" },
  },
  "RateLimit-Reset": {
    description: "Seconds until that window resets (relative).",
    schema: { type: "integer" },
  },
  "X-RateLimit-Limit": {
    description: "Legacy alias of RateLimit-Limit.",
    schema: { type: "integer" },
  },
  "X-RateLimit-Remaining": {
    description: "Legacy alias of RateLimit-Remaining.",
    schema: { type: "integer" },
  },
  "X-RateLimit-Reset": {
    description: "Unix time (seconds) at which that window resets (absolute, legacy shape).",
    schema: { type: "integer" },
  },
};

const cacheHeaders = {
  ETag: { description: "Strong entity tag over the image bytes.", schema: { type: "string" } },
  "Cache-Control": {
    description: "`public, max-age=2592000` (30 days).",
    schema: { type: "string" },
  },
};

// The datamatrix endpoint's problems carry the rate-limit headers like its images.
function problem(code: keyof typeof PROBLEMS, extraHeaders: Record<string, unknown> = {}) {
  return problemResponse(code, undefined, { ...rateLimitHeaders, ...extraHeaders });
}

/** One AI of a parsed Digital Link. */
const DL_AI = {
  type: "object",
  properties: {
    ai: { type: "string" },
    title: { type: "string" },
    value: { type: "string" },
    place: { enum: ["path", "query"] },
  },
};

/** Caching, as the datamatrix and QR endpoints both answer it. */
const CACHING =
  "**Caching**: responses are deterministic given the request body. The endpoint sets " +
  "`Cache-Control: public, max-age=2592000` (30 days) and a strong `ETag` over the " +
  "image bytes. A request whose `If-None-Match` matches the ETag (weak comparison; " +
  "alone, in a list, or `*`) gets `304 Not Modified` with no body. This is a " +
  "deliberate, documented deviation from RFC 9110 §13.1.2, which would answer 412 to " +
  "a POST: this API answers 304 on POST. Errors take precedence: a request that would " +
  "be 401, 422 or 429 gets that status, never 304.";

/** The image operation of the datamatrix and QR endpoints: the same statuses and headers. */
function imageOperation(
  tags: string[],
  summary: string,
  description: string,
  operationId: string,
  schema: string,
  extraContent: Record<string, unknown> = {},
) {
  return {
    tags,
    summary,
    description: `${description}\n\n${CACHING}`,
    operationId,
    requestBody: {
      required: true,
      content: {
        "application/json": { schema: { $ref: `#/components/schemas/${schema}` } },
      },
    },
    parameters: [
      {
        name: "If-None-Match",
        in: "header",
        required: false,
        description: "ETag(s) the client holds; a match answers 304.",
        schema: { type: "string" },
      },
    ],
    responses: {
      "200": {
        description: "The symbol.",
        headers: {
          ...cacheHeaders,
          "Content-Length": { schema: { type: "integer" } },
          ...rateLimitHeaders,
        },
        content: {
          "image/svg+xml": { schema: { type: "string" } },
          "image/png": { schema: { type: "string", contentMediaType: "image/png" } },
          "application/pdf": {
            schema: { type: "string", contentMediaType: "application/pdf" },
          },
          ...extraContent,
        },
      },
      "304": {
        description:
          "Not Modified: If-None-Match matched the ETag. No body; carries ETag and " +
          "Cache-Control. Answered to POST by design (see the operation description).",
        headers: { ...cacheHeaders, ...rateLimitHeaders },
      },
      "400": problem("bad_request"),
      "401": problem("unauthorized", {
        "WWW-Authenticate": {
          description:
            'One challenge per accepted credential, or the refusing one\'s (`Bearer error="invalid_token"`).',
          schema: { type: "string" },
        },
      }),
      "403": problem("forbidden", {
        "WWW-Authenticate": {
          description: 'For a token without the scope: `Bearer error="insufficient_scope"`.',
          schema: { type: "string" },
        },
      }),
      "405": problem("method_not_allowed", { Allow: { schema: { type: "string" } } }),
      "413": problem("payload_too_large"),
      "415": problem("unsupported_media_type"),
      "417": {
        ...problem("expectation_failed"),
        description:
          "Expectation Failed (`expectation_failed`): an `Expect` header other than " +
          "`100-continue`, which is answered (after the key and quota checks) by " +
          "`100 Continue`.",
      },
      "422": problem("validation_error"),
      "429": problem("rate_limited", {
        "Retry-After": {
          description: "Seconds to wait; equals RateLimit-Reset.",
          schema: { type: "integer" },
        },
      }),
      "500": problem("internal_error"),
      "503": {
        ...problem("service_unavailable", {
          "Retry-After": { description: "Seconds to wait.", schema: { type: "integer" } },
        }),
        description:
          "Service Unavailable (`service_unavailable`), with Retry-After: a key created " +
          "moments ago could not be checked because the key database is unreachable (keys " +
          "already known to the instance keep working meanwhile), or too many heavy renders " +
          "(PNG with HRI or over a megapixel) are waiting; SVG and PDF never wait.",
      },
    },
    security: [{ APIKeyHeaderAuth: [] }, { OAuthTokenAuth: [] }, { SessionAuth: [] }],
  };
}

/** The limits the document states: the key default tier and the per-IP tier. */
export interface DocumentedLimits {
  keyDefault: { perMinute: number; perDay: number };
  anonymous: { perMinute: number; perDay: number };
  /** Per IP, for credentials still to verify (sessions, tokens not yet cached). */
  unverified?: { perMinute: number; perDay: number };
  /** Label export's settings, when this instance serves it. */
  labels?: DocumentedLabelLimits;
}

const count = (n: number) => n.toLocaleString("en-US");

/**
 * Returns the OpenAPI 3.1 document served at GET /openapi.json, stating the limits this
 * instance enforces (not a copy of the defaults). Plain data; serialise once.
 */
export function openapiDocument(limits: DocumentedLimits) {
  const doc = {
    openapi: "3.1.0",
    info: {
      title: "GS1 DataMatrix API",
      version: "1.0.0",
      description:
        "Renders GS1 DataMatrix (ECC 200) symbols as SVG, PNG or vector PDF, compatible with " +
        "the published `POST /products/api/v1/datamatrix/` endpoint. Authenticate with " +
        "`X-API-Key: csb_<body>_<checksum>`, an OAuth 2.0 bearer token (a JWT from the " +
        "configured issuer, scope `codes:write`; `keys:write` for the Account API), or the " +
        "`sessionid` cookie of a signed-in user (unsafe requests then send `X-CSRF-Token`). " +
        "Keys are made in Settings > API Keys (`/account/`) or via the Account API. Default limits: " +
        `${count(limits.keyDefault.perMinute)} requests/minute and ${count(limits.keyDefault.perDay)}/day ` +
        `per key; callers without a valid key are limited per IP (${count(limits.anonymous.perMinute)}/minute, ` +
        `${count(limits.anonymous.perDay)}/day). Requests whose credential needs a lookup ` +
        "(a session cookie, a bearer token not yet seen) are also counted per IP" +
        (limits.unverified
          ? ` (${count(limits.unverified.perMinute)}/minute, ${count(limits.unverified.perDay)}/day)`
          : "") +
        ", before the lookup; a signed-in user is otherwise held to the user's own tier, and a " +
        "credential that proves invalid to the per-IP anonymous one. The rate-limit headers " +
        "describe the limit nearest to refusing the next request and are on " +
        "every response except `/healthz` and `/readyz`. Errors are RFC 9457 " +
        "`application/problem+json`.",
    },
    paths: {
      [DATAMATRIX_PATH]: {
        post: imageOperation(
          ["Codes"],
          "Generate a single GS1 DataMatrix",
          "Render a GS1 DataMatrix (or its GS1 Digital Link URI) for GS1 data: a GTIN with " +
            "lot, serial, expiry and production date, further AIs in `ais`, or the whole data " +
            "as a bracketed `element_string`. Without `element_string`, `gtin` and at least one " +
            "of lot or serial (AI 10 or 21) are required. Returns image bytes (`image/svg+xml`, " +
            "`image/png`, or `application/pdf`). Unknown body fields are ignored; JSON types are " +
            "strict (a number where a string is expected is a 422).",
          "generate_datamatrix",
          "DataMatrixPayload",
        ),
      },
      [QR_PATH]: {
        post: imageOperation(
          ["QR"],
          "Generate a single QR code with a GS1 Digital Link",
          "Render a QR Code of GS1 data: by default its GS1 Digital Link URI as plain data " +
            "(scanners report `]Q1`; phone cameras open it), or with `data_format: " +
            '"element_string"` a GS1 QR Code (FNC1 first, `]Q3`). The fields and their rules are ' +
            "the datamatrix endpoint's (without `shape`), plus `size` (50-2000, default 400: the " +
            "width with the quiet zone, pixels for png, points for svg and pdf; ignored when " +
            "`xdim_mm` is given) and `error_correction` (L, M, Q, H; default M). The smallest " +
            "version (1-40) for the data after optimal numeric/alphanumeric/byte segmentation. " +
            "Single QR generation is synchronous because rendering is fast and cached.",
          "generate_qr",
          "QrPayload",
          {
            "application/postscript": {
              schema: { type: "string", contentMediaType: "application/postscript" },
            },
            "image/tiff": { schema: { type: "string", contentMediaType: "image/tiff" } },
          },
        ),
      },
      [DIGITAL_LINK_PARSE_PATH]: {
        post: {
          tags: ["Digital Link"],
          summary: "Parse a GS1 Digital Link URI",
          description:
            "Reads an uncompressed GS1 Digital Link URI back into GS1 data, path and query " +
            "alike, and judges it by the rules the service generates URIs with: a primary key in " +
            "the path, its qualifiers in an allowed order, data attributes in the query, " +
            "well-formed percent-encoding, every value against the GS1 Barcode Syntax " +
            "Dictionary and its linters. A URL that is not a valid Digital Link is still a 200, " +
            "with `is_valid: false`, the structured fields null, `raw_ais` empty and `errors` " +
            "naming the segment, position and rule (callers triage arbitrary scans).",
          operationId: "parse_digital_link",
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["url"],
                  properties: {
                    url: {
                      type: "string",
                      minLength: 1,
                      maxLength: 4096,
                      examples: ["https://id.gs1.org/01/09506000134352/10/ABC123?17=270630"],
                    },
                  },
                },
              },
            },
          },
          responses: {
            "200": {
              description: "What the URI says, or why it is not a valid GS1 Digital Link.",
              headers: rateLimitHeaders,
              content: {
                "application/json": { schema: { $ref: "#/components/schemas/DigitalLinkParsed" } },
              },
            },
            "400": problem("bad_request"),
            "401": problem("unauthorized"),
            "403": problem("forbidden"),
            "405": problem("method_not_allowed", { Allow: { schema: { type: "string" } } }),
            "413": problem("payload_too_large"),
            "415": problem("unsupported_media_type"),
            "422": problem("validation_error"),
            "429": problem("rate_limited"),
            "500": problem("internal_error"),
          },
          security: [{ APIKeyHeaderAuth: [] }, { OAuthTokenAuth: [] }, { SessionAuth: [] }],
        },
      },
      ...ACCOUNT_PATHS,
      ...(limits.labels ? labelPaths(limits.labels) : {}),
      "/openapi.json": {
        get: {
          summary: "This document",
          operationId: "openapi",
          security: [],
          responses: {
            "200": { description: "OpenAPI 3.1 document.", content: { "application/json": {} } },
          },
        },
      },
      "/healthz": {
        get: {
          summary: "Liveness probe (not authenticated, not rate-limited)",
          operationId: "healthz",
          security: [],
          responses: {
            "200": {
              description: "The service is up.",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    properties: { status: { const: "ok" } },
                    required: ["status"],
                  },
                },
              },
            },
          },
        },
      },
      "/readyz": {
        get: {
          summary: "Readiness probe: the key database and Redis answer (not rate-limited)",
          description:
            "200 while every store this instance uses answered its last call. 503 " +
            "`service_unavailable` names the stores that did not; the service keeps answering " +
            "meanwhile, degraded as documented (keys already loaded keep working; rate limits are " +
            "counted per machine while Redis is away).",
          operationId: "readyz",
          security: [],
          responses: {
            "200": {
              description: "Every store answers.",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    properties: {
                      status: { const: "ok" },
                      checks: {
                        type: "object",
                        additionalProperties: { enum: ["ok", "unavailable"] },
                      },
                    },
                    required: ["status", "checks"],
                  },
                },
              },
            },
            "503": {
              description: "A store is unavailable (`service_unavailable`), with Retry-After.",
              content: PROBLEM_CONTENT,
            },
          },
        },
      },
    },
    components: {
      schemas: {
        DataMatrixPayload: {
          description:
            "Request body for synchronous GS1 DataMatrix generation: the published fields plus " +
            "this service's optional rendering options.",
          examples: [
            {
              expiry: "270630",
              format: "svg",
              gtin: "00012345678905",
              lot: "LOT-A001",
              serial: "SN-0001",
            },
          ],
          // Generated from the one description of the request (src/request-schema.ts), which
          // the validators, the CLI and the preview share.
          ...payloadJsonSchema(),
          title: "DataMatrixPayload",
          type: "object",
        },
        QrPayload: {
          description:
            "Request body for synchronous QR generation: the published fields (gtin, lot, " +
            "serial, expiry, format, size, xdim_mm) plus the options the datamatrix endpoint " +
            "takes and error_correction.",
          examples: [
            { gtin: "0950 6000 1343 52", lot: "LOT-A001", expiry: "270630", format: "svg" },
          ],
          ...payloadJsonSchema(QR_REQUEST_FIELDS),
          title: "QrPayload",
          type: "object",
        },
        DigitalLinkParsed: {
          title: "DigitalLinkParsed",
          type: "object",
          description:
            "The published fields (is_valid, url, gtin, lot, expiry, serial, raw_ais) and this " +
            "service's: primary_key, every AI with its data title, the element string " +
            "(bracketed, and with GS as scanners report it), base_url, the ignored non-GS1 " +
            "query parameters, and errors.",
          properties: {
            is_valid: { type: "boolean" },
            url: { type: "string" },
            gtin: { type: ["string", "null"], description: "AI (01), GTIN-14." },
            lot: { type: ["string", "null"], description: "AI (10)." },
            expiry: { type: ["string", "null"], description: "AI (17), YYMMDD." },
            serial: { type: ["string", "null"], description: "AI (21)." },
            raw_ais: {
              type: "object",
              additionalProperties: { type: "string" },
              description: "Every AI and its value; empty when is_valid is false.",
            },
            primary_key: { anyOf: [DL_AI, { type: "null" }] },
            ais: { type: "array", items: DL_AI },
            element_string: {
              type: "object",
              properties: {
                bracketed: { type: ["string", "null"] },
                gs1: { type: ["string", "null"], description: "GS (0x1D) between fields." },
              },
            },
            base_url: { type: ["string", "null"] },
            ignored_query_params: { type: "array", items: { type: "string" } },
            errors: {
              type: "array",
              items: {
                type: "object",
                properties: {
                  segment: { type: "string" },
                  position: { type: "integer" },
                  rule: { type: "string" },
                  message: { type: "string" },
                },
              },
            },
          },
        },
        ApiKey: API_KEY_SCHEMA,
        LabelExportRequest: LABEL_EXPORT_REQUEST,
        ErrorOut: {
          description:
            "RFC 9457 Problem Details response.\n\nAll API errors are returned in this format " +
            "with Content-Type: application/problem+json.",
          properties: {
            type: {
              description: "URI reference identifying the error type.",
              title: "Type",
              type: "string",
            },
            title: {
              description: "Short human-readable summary of the error.",
              title: "Title",
              type: "string",
            },
            status: { description: "HTTP status code.", title: "Status", type: "integer" },
            detail: {
              description: "Human-readable explanation of this specific occurrence.",
              title: "Detail",
              type: "string",
            },
            error_code: {
              description: "Machine-readable error code (e.g. not_found, unauthorized).",
              title: "Error Code",
              type: "string",
              enum: Object.keys(PROBLEMS),
            },
            retryable: {
              default: false,
              description: "Whether retrying the same request can succeed.",
              title: "Retryable",
              type: "boolean",
            },
            timestamp: {
              description: "ISO 8601 timestamp of when the error occurred.",
              title: "Timestamp",
              type: "string",
            },
            retry_after: {
              anyOf: [{ type: "integer" }, { type: "null" }],
              description: "Seconds to wait before retrying (when applicable).",
              title: "Retry After",
            },
            retry_after_seconds: {
              anyOf: [{ type: "integer" }, { type: "null" }],
              description: "Same value as retry_after (the name used in the published prose).",
              title: "Retry After Seconds",
            },
            owner_action_required: {
              anyOf: [{ type: "boolean" }, { type: "null" }],
              description: "Whether the error requires account owner intervention.",
              title: "Owner Action Required",
            },
            details: {
              description:
                "Additional context: for validation_error, one `{loc, msg, type}` entry per " +
                "problem found, `loc` being `['body', field]` or `['body']`.",
              title: "Details",
            },
          },
          required: ["type", "title", "status", "detail", "error_code", "timestamp"],
          title: "ErrorOut",
          type: "object",
        },
      },
      securitySchemes: {
        APIKeyHeaderAuth: { type: "apiKey", in: "header", name: "X-API-Key" },
        OAuthTokenAuth: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description:
            "A JWT from OAUTH_ISSUER (signature checked against its JWKS; `aud` must contain " +
            "OAUTH_AUDIENCE). Scopes: `codes:write` for the datamatrix endpoint, `keys:write` " +
            "for the Account API. Limits are counted per `client_id` (else `sub`).",
        },
        SessionAuth: {
          type: "apiKey",
          in: "cookie",
          name: "sessionid",
          description:
            "Set by POST /account/login. Unsafe requests must send X-CSRF-Token and come from " +
            "the service's own origin.",
        },
      },
    },
  } as const;
  // The 1D endpoint shares the datamatrix operation's responses (the same middleware answers).
  return {
    ...doc,
    paths: { ...doc.paths, ...barcodePath(doc.paths[DATAMATRIX_PATH].post) },
    components: {
      ...doc.components,
      schemas: { ...doc.components.schemas, BarcodePayload: BARCODE_PAYLOAD_SCHEMA },
    },
  };
}
