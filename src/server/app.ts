// The Express application: middleware order, routes, the 404 and the problem handler. Built from
// injected dependencies and never listening itself (server.ts does that), so tests can run it.
import cors from "cors";
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import type { Logger } from "pino";
import { type BarcodeRenderer, renderBarcode } from "../barcode/render.js";
import { type Clock, systemClock } from "../clock.js";
import type { RequestLogging, TrustProxy } from "../config.js";
import { planQrRender, type Renderer } from "../index.js";
import type { KeyLookup } from "../keys/store.js";
import { countRequests, type Metrics, timeRenders } from "./metrics.js";
import { apiKeyCheck } from "./middleware/api-key.js";
import {
  type CredentialCheck,
  identify,
  requireCaller,
  requireScope,
} from "./middleware/authenticate.js";
import { requireCsrf } from "./middleware/csrf.js";
import { notFound } from "./middleware/not-found.js";
import { problemHandler } from "./middleware/problem-handler.js";
import { type RateLimiter, rateLimit, type Tier } from "./middleware/rate-limit.js";
import { type Lifecycle, requestLog } from "./middleware/request-log.js";
import { type SessionLookup, sessionCheck } from "./middleware/session.js";
import { type SignInLimits, signInLimiter } from "./middleware/sign-in-limit.js";
import { ACCOUNT_API_PATH, mountAccountApi, type OwnedKeys } from "./routes/account-api.js";
import { loadDashboard, mountAccountPages, type SignInService } from "./routes/account-pages.js";
import { BARCODE_PATH, MODULE_WIDTH_HEADER, mountBarcode } from "./routes/barcode.js";
import { DATAMATRIX_PATH, mountDatamatrix } from "./routes/datamatrix.js";
import { DIGITAL_LINK_PARSE_PATH, mountDigitalLinkParse } from "./routes/digital-link.js";
import {
  LABELS_PATH,
  type LabelRoutesOptions,
  mountLabelDownloads,
  mountLabels,
} from "./routes/labels.js";
import { META_PATHS, mountHealth, mountOpenapi, mountReady } from "./routes/meta.js";
import { createPreviewRouter } from "./routes/preview.js";
import { mountQr, QR_PATH } from "./routes/qr.js";
import { mountQrBulk } from "./routes/qr-bulk.js";
import type { ReadinessCheck } from "./stores.js";

/** Everything the application needs from outside; tests substitute any of them. */
export interface AppDeps {
  /** Validates and renders a payload (src/index.ts `render`). */
  render: Renderer;
  /** Validates and renders a 1D barcode payload (default: src/barcode/render.ts). */
  renderBarcode?: BarcodeRenderer;
  /** Validates and renders a QR payload (default: src/index.ts `renderQr`, in process). */
  renderQr?: Renderer;
  /** Active API keys by hash (the SQLite KeyStore in production). */
  keys: KeyLookup;
  /** Request counting: memory, the cluster primary or Redis (see limiters.ts). */
  limiter: RateLimiter;
  logger: Logger;
  /**
   * Default tier for keys, the per-IP tier for callers without a valid credential, and the
   * per-IP tier for credentials still to verify (default: ten times the anonymous one).
   */
  limits: { keyDefault: Tier; anonymous: Tier; unverified?: Tier };
  clock?: Clock;
  /** Express "trust proxy" setting, deciding the client IP used for anonymous limits. */
  trustProxy?: TrustProxy;
  /**
   * Credential checks tried in order; default: the X-API-Key check against `keys`, then the
   * bearer check when `oauth` is given, then the session cookie when `accounts` is.
   */
  credentialChecks?: readonly CredentialCheck[];
  /**
   * OAuth 2.0 bearer tokens (middleware/bearer.ts): the credential check and the scope the
   * datamatrix endpoint needs. Absent: bearer tokens are not accepted.
   */
  oauth?: { check: CredentialCheck; scope: string };
  /**
   * User accounts (accounts/accounts.ts): sign-in and sessions, the API-keys dashboard and the
   * Account API over the users' keys. Absent: API keys (and bearer tokens) only.
   */
  accounts?: {
    service: SignInService & SessionLookup;
    keys: OwnedKeys;
    /** The sessions' absolute lifetime, used as the cookie's Max-Age. */
    sessionMaxMs: number;
  };
  /** Windows of the sign-in limits (default: sign-in-limit.ts PER_IP, PER_ACCOUNT, PER_CLIENT). */
  signInLimits?: SignInLimits;
  /** Origins whose browser apps may call the API with a key or token (CORS); default none. */
  corsOrigins?: readonly string[];
  /** The stores /readyz reports on (default: none, always ready). */
  readiness?: readonly ReadinessCheck[];
  /** Where requests, render times and 429s are counted (default: not counted). */
  metrics?: Metrics;
  /** Bulk label export (src/labels/): absent, its routes are not served. */
  labels?: LabelRoutesOptions;
  /** The server's shutdown state, for the request log (default: never cutting). */
  lifecycle?: Lifecycle;
  /** Which requests the request log writes (LOG_REQUESTS; default: every one). */
  logRequests?: RequestLogging;
}

// The QR renderer when the caller gives none: in process, like render without the render gate.
async function renderQrPayload(payload: unknown): Promise<{ body: Buffer; contentType: string }> {
  const plan = planQrRender(payload);
  return { body: await plan.draw(), contentType: plan.contentType };
}

// Every response, error and image alike: browsers must take the Content-Type as sent.
function noSniff(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader("X-Content-Type-Options", "nosniff");
  next();
}

/**
 * Returns the configured Express app. Order: metrics, nosniff, request log and id; /healthz
 * and /readyz (open, unthrottled); caller identification; rate limiting (so every later
 * response, errors included, carries the RateLimit headers); the routes; 404; the problem
 * handler, which answers every failure.
 */
export function createApp(deps: AppDeps): Express {
  const clock = deps.clock ?? systemClock;
  const app = express();
  app.disable("x-powered-by");
  // Our ETags are strong and computed by the route; Express's would be weak and redundant.
  app.set("etag", false);
  app.set("trust proxy", deps.trustProxy ?? false);

  const { metrics } = deps;
  if (metrics)
    app.use(countRequests(metrics, [DATAMATRIX_PATH, BARCODE_PATH, QR_PATH, ...META_PATHS]));
  app.use(noSniff);
  app.use(requestLog(deps.logger, deps.lifecycle, deps.logRequests));
  mountHealth(app);
  mountReady(app, deps.readiness ?? []);
  // The preview page and its assets are public, like /healthz: before auth and rate limits.
  app.use(createPreviewRouter());
  const { accounts } = deps;
  const dashboard = accounts && loadDashboard();
  if (dashboard) app.use(dashboard.assets);
  // A signed download link is its own credential (a print shop fetches it without a key).
  if (deps.labels) mountLabelDownloads(app, deps.labels);
  // Preflights are answered here, before authentication and limits (they carry no credential).
  // Credentials stay off: a cookie never rides a cross-origin call, keys and tokens must be sent.
  if (deps.corsOrigins && deps.corsOrigins.length > 0) {
    app.use(
      [
        DATAMATRIX_PATH,
        BARCODE_PATH,
        QR_PATH,
        DIGITAL_LINK_PARSE_PATH,
        `${ACCOUNT_API_PATH}/api-keys`,
        LABELS_PATH,
      ],
      cors({
        origin: [...deps.corsOrigins],
        credentials: false,
        methods: ["GET", "HEAD", "POST", "DELETE"],
        allowedHeaders: [
          "Content-Type",
          "X-API-Key",
          "Authorization",
          "If-None-Match",
          "Idempotency-Key",
        ],
        exposedHeaders: [
          "ETag",
          "Retry-After",
          "Location",
          "RateLimit-Policy",
          "RateLimit-Limit",
          "RateLimit-Remaining",
          "RateLimit-Reset",
          MODULE_WIDTH_HEADER,
        ],
        maxAge: 600,
      }),
    );
  }
  const checks = deps.credentialChecks ?? [
    apiKeyCheck(deps.keys, clock),
    ...(deps.oauth ? [deps.oauth.check] : []),
    ...(accounts ? [sessionCheck(accounts.service)] : []),
  ];
  app.use(identify(checks));
  app.use(
    rateLimit({
      limiter: deps.limiter,
      keyDefault: deps.limits.keyDefault,
      anonymous: deps.limits.anonymous,
      unverified: deps.limits.unverified,
      clock,
      onLimited: metrics && ((tier) => metrics.rateLimited.inc({ tier })),
    }),
  );
  const guards = [
    requireCaller({ bearer: deps.oauth !== undefined, session: accounts !== undefined }),
  ];
  if (deps.oauth) guards.push(requireScope(deps.oauth.scope));
  if (accounts) guards.push(requireCsrf);
  mountDatamatrix(app, metrics ? timeRenders(deps.render, metrics) : deps.render, guards);
  const barcode = deps.renderBarcode ?? renderBarcode;
  mountBarcode(app, metrics ? timeRenders(barcode, metrics) : barcode, guards);
  const qr = deps.renderQr ?? renderQrPayload;
  mountQr(app, metrics ? timeRenders(qr, metrics) : qr, guards);
  mountDigitalLinkParse(app, guards, () => new Date(clock.now()));
  if (deps.labels) mountLabels(app, deps.labels, guards);
  if (deps.labels) mountQrBulk(app, deps.labels, guards);
  if (accounts && dashboard) {
    mountAccountApi(app, {
      keys: accounts.keys,
      keyDefault: deps.limits.keyDefault,
      bearer: deps.oauth !== undefined,
      clock,
    });
    mountAccountPages(app, dashboard.page, {
      accounts: accounts.service,
      countAttempt: signInLimiter(
        deps.limiter,
        deps.limits.anonymous.maxSubjects,
        deps.signInLimits,
        () => clock.now(),
      ),
      sessionMaxMs: accounts.sessionMaxMs,
    });
  }
  mountOpenapi(app, { ...deps.limits, labels: deps.labels?.documented });
  app.use(notFound);
  app.use(problemHandler({ logger: deps.logger, clock }));
  return app;
}
