// The browser side of accounts: the sign-in page and form, sign-out, and the API-keys dashboard
// ("Settings > API Keys", a bundle built from src/dashboard/). The pages need no JavaScript to sign
// in or out; the dashboard's key management talks to the Account API (account-api.ts).
import express, {
  type Express,
  type NextFunction,
  type Request,
  type Response,
  Router,
} from "express";
import { REALM } from "../middleware/authenticate.js";
import { crossOriginReason, requireCsrf } from "../middleware/csrf.js";
import { isJsonContentType, jsonBody } from "../middleware/json-body.js";
import { methodNotAllowed } from "../middleware/not-found.js";
import { SESSION_COOKIE, sessionIdOf } from "../middleware/session.js";
import { ProblemError } from "../problems.js";
import { asset, builtDir, IMMUTABLE, readBuilt, sendAsset, versionOf } from "./static-assets.js";

/** The dashboard, the sign-in page and the sign-out action. */
export const ACCOUNT_PATH = "/account/";
export const LOGIN_PATH = "/account/login";
export const LOGOUT_PATH = "/account/logout";
const ASSETS_PATH = "/account/assets";

/** What the pages need from the account store (accounts/accounts.ts). */
export interface SignInService {
  signIn(
    email: string,
    password: string,
    previousSessionId?: string,
  ): Promise<{ sessionId: string } | null>;
  signOut(sessionId: string): Promise<void>;
}

/** Options of mountAccountPages. */
export interface AccountPagesOptions {
  accounts: SignInService;
  /**
   * Admits a sign-in attempt or rejects with 429 past the limits (sign-in-limit.ts); resolves
   * to the function told whether the password was right.
   */
  countAttempt: (ip: string, email: string) => Promise<(ok: boolean) => Promise<void>>;
  /** How long the cookie lives in the browser: the session's absolute lifetime, in ms. */
  sessionMaxMs: number;
}

// Same policy as the preview: nothing but our own script, styles inline, forms post only to us.
const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

// The one message for a wrong password, an unknown email and a disabled account: the answer
// must not tell which accounts exist.
const WRONG_CREDENTIALS = "The email or password is incorrect.";

const MAX_FORM_BYTES = 4096;

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );
}

/** The sign-in page, with `error` shown in an alert region and `email` kept in its field. */
export function loginPage(error = "", email = ""): string {
  const alert = error === "" ? "" : `<p class="error" role="alert">${escapeHtml(error)}</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in — GS1 DataMatrix</title>
<link rel="icon" href="data:,">
<style>
  :root { font: 16px/1.4 system-ui, sans-serif; color: #1a1a1a; background: #fafafa; }
  main { max-width: 24rem; margin: 3rem auto; padding: 0 1.5rem; }
  h1 { font-size: 1.5rem; }
  label { display: block; font-weight: 500; margin-top: 0.75rem; }
  input { width: 100%; box-sizing: border-box; font: inherit; padding: 0.35rem 0.45rem;
    border: 1px solid #888; border-radius: 3px; }
  button { font: inherit; margin-top: 1rem; padding: 0.4rem 1rem; cursor: pointer; }
  :focus-visible { outline: 3px solid #1565c0; outline-offset: 1px; }
  .error { color: #b00020; }
</style>
</head>
<body>
<main>
<h1>Sign in</h1>
<p>Sign in to manage your API keys and to download symbols from the <a href="/">preview</a>.</p>
${alert}
<form method="post" action="${LOGIN_PATH}">
  <label for="email">Email</label>
  <input type="email" id="email" name="email" autocomplete="username" required
    value="${escapeHtml(email)}"${error === "" ? " autofocus" : ""}>
  <label for="password">Password</label>
  <input type="password" id="password" name="password" autocomplete="current-password" required>
  <button type="submit">Sign in</button>
</form>
</main>
</body>
</html>
`;
}

function sendPage(res: Response, status: number, html: string): void {
  res
    .status(status)
    .set({
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Content-Security-Policy": PAGE_CSP,
    })
    .send(html);
}

/** Parses a form (application/x-www-form-urlencoded) or JSON body, at most 4 KB. */
function formOrJson(req: Request, res: Response, next: NextFunction): void {
  if (isJsonContentType(req.headers["content-type"])) {
    jsonBody(MAX_FORM_BYTES)(req, res, next);
    return;
  }
  urlencoded(req, res, next);
}
const urlencoded = express.urlencoded({ extended: false, limit: MAX_FORM_BYTES });

function wantsJson(req: Request): boolean {
  return isJsonContentType(req.headers["content-type"]);
}

/**
 * Returns the public router for the dashboard's script (before authentication, like the
 * preview's assets) and the dashboard page itself, which mountAccountPages serves to signed-in
 * users. Reads build/account once; throws naming a missing file.
 */
export function loadDashboard(dir = builtDir("account")) {
  const js = readBuilt(dir, "dashboard.js");
  const base = `${ASSETS_PATH}/${versionOf(js)}`;
  const template = readBuilt(dir, "index.html").toString("utf8");
  const ref = 'src="./dashboard.js"';
  if (template.split(ref).length !== 2) {
    throw new Error(`${dir}index.html must reference its script exactly once as ${ref}`);
  }
  const page = asset(
    Buffer.from(template.replace(ref, `src="${base}/dashboard.js"`), "utf8"),
    "text/html; charset=utf-8",
  );
  const script = asset(js, "text/javascript; charset=utf-8");
  const assets = Router();
  assets
    .route(`${base}/dashboard.js`)
    .get((req, res) => sendAsset(req, res, script, IMMUTABLE))
    .all(methodNotAllowed(["GET", "HEAD"]));
  return { assets, page };
}

/**
 * Adds the account pages to `app` (after identify and the rate limiter, so a session cookie is
 * already judged):
 * - GET /account/login: the sign-in form (303 to /account/ when already signed in);
 * - POST /account/login, form or JSON `{email, password}`: same-origin only (403), throttled
 *   per IP, per (account, client) and by the account's failure ceiling (429, sign-in-limit.ts;
 *   the outcome is reported back so only failures count), then 303 to /account/ with a new `sessionid` cookie (HttpOnly,
 *   SameSite=Lax, Path=/, Secure over HTTPS) replacing any previous session; a wrong password,
 *   unknown email or disabled account answer alike: 401, the form again (or a problem for JSON);
 * - POST /account/logout: ends the session (CSRF token as for any session request), clears the
 *   cookie, 303 to the sign-in page;
 * - GET /account/: the dashboard for a signed-in user, else 303 to the sign-in page.
 */
export function mountAccountPages(
  app: Express,
  dashboard: ReturnType<typeof loadDashboard>["page"],
  options: AccountPagesOptions,
): void {
  const { accounts, countAttempt, sessionMaxMs } = options;
  const signedIn = (req: Request) => req.auth?.principal?.method === "session";

  app
    .route(LOGIN_PATH)
    .get((req, res) => {
      if (signedIn(req)) res.redirect(303, ACCOUNT_PATH);
      else sendPage(res, 200, loginPage());
    })
    .post(
      (req, _res, next) => {
        const crossOrigin = crossOriginReason(req);
        if (crossOrigin !== undefined) throw new ProblemError("forbidden", { detail: crossOrigin });
        next();
      },
      formOrJson,
      async (req, res) => {
        const body = (req.body ?? {}) as Record<string, unknown>;
        const { email, password } = body;
        const json = wantsJson(req);
        if (
          typeof email !== "string" ||
          typeof password !== "string" ||
          email === "" ||
          password === ""
        ) {
          if (!json)
            return sendPage(
              res,
              422,
              loginPage("Enter your email and password.", String(email ?? "")),
            );
          throw new ProblemError("validation_error", {
            details: ["email", "password"]
              .filter((f) => typeof body[f] !== "string" || body[f] === "")
              .map((f) => ({
                loc: ["body", f],
                msg: `${f} is required (a non-empty string).`,
                type: "missing",
              })),
          });
        }
        const outcome = await countAttempt(req.ip ?? "", email);
        const result = await accounts.signIn(email, password, sessionIdOf(req));
        await outcome(result !== null);
        if (result === null) {
          res.setHeader("WWW-Authenticate", `Session realm="${REALM}", cookie="${SESSION_COOKIE}"`);
          if (!json) return sendPage(res, 401, loginPage(WRONG_CREDENTIALS, email));
          throw new ProblemError("unauthorized", { detail: WRONG_CREDENTIALS });
        }
        res.cookie(SESSION_COOKIE, result.sessionId, {
          httpOnly: true,
          sameSite: "lax",
          path: "/",
          secure: req.secure,
          maxAge: sessionMaxMs,
        });
        res.setHeader("Cache-Control", "no-store");
        res.redirect(303, ACCOUNT_PATH);
      },
    )
    .all(methodNotAllowed(["GET", "HEAD", "POST"]));

  app
    .route(LOGOUT_PATH)
    .post(formOrJson, requireCsrf, async (req, res) => {
      const id = sessionIdOf(req);
      if (id !== undefined && signedIn(req)) await accounts.signOut(id);
      res.clearCookie(SESSION_COOKIE, {
        httpOnly: true,
        sameSite: "lax",
        path: "/",
        secure: req.secure,
      });
      res.setHeader("Cache-Control", "no-store");
      res.redirect(303, LOGIN_PATH);
    })
    .all(methodNotAllowed(["POST"]));

  app
    .route(ACCOUNT_PATH)
    .get((req, res) => {
      if (!signedIn(req)) return res.redirect(303, LOGIN_PATH);
      res.set("Content-Security-Policy", PAGE_CSP);
      sendAsset(req, res, dashboard, "no-store");
    })
    .all(methodNotAllowed(["GET", "HEAD"]));
}
