// The browser preview page (GET / and /preview) and its bundle assets, read from build/preview
// once at start (scripts/build-preview.mjs writes them). Public: mounted before API-key auth.
import { join } from "node:path";
import { Router } from "express";
import { methodNotAllowed } from "../middleware/not-found.js";
import {
  asset,
  builtDir,
  IMMUTABLE,
  readBuilt as read,
  sendAsset as send,
  versionOf,
} from "./static-assets.js";

/** Where the page's assets are served; the version segment changes whenever the bundle does. */
export const PREVIEW_ASSETS_PATH = "/preview/assets";

// The page refers to its script as "./preview.js" so build/preview/ also works from any static
// file server; here the reference is rewritten to a versioned, immutable URL.
const SCRIPT_REF = 'src="./preview.js"';

// The page loads nothing but its own script and WASM and talks only to its own API: the policy
// makes "no external requests" a browser-enforced property. 'wasm-unsafe-eval' is what
// WebAssembly.compileStreaming needs; inline styles come from the page's <style> block.
const CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Options for createPreviewRouter. */
export interface PreviewRouterOptions {
  /** Directory holding index.html, preview.js and release.wasm; default: build/preview. */
  dir?: string;
}

/**
 * Returns a Router serving the preview page at GET / and GET /preview (Cache-Control no-cache,
 * strong ETag, a Content-Security-Policy allowing only same-origin requests) and its assets at
 * `${PREVIEW_ASSETS_PATH}/<version>/preview.js` and `.../release.wasm` (application/wasm,
 * immutable for a year; <version> is a hash of both, so a new build gets new URLs). Reads the
 * three files once, now; throws an Error naming the directory and the build command if one is
 * missing or the page does not reference `./preview.js`. Other methods on these paths fail with
 * 405 (a ProblemError for the app's problem handler). Needs no authentication.
 */
export function createPreviewRouter(options: PreviewRouterOptions = {}): Router {
  const dir = options.dir ?? builtDir("preview");
  const js = read(dir, "preview.js");
  const wasm = read(dir, "release.wasm");
  const version = versionOf(js, wasm);
  const base = `${PREVIEW_ASSETS_PATH}/${version}`;

  const template = read(dir, "index.html").toString("utf8");
  if (template.split(SCRIPT_REF).length !== 2) {
    throw new Error(
      `${join(dir, "index.html")} must reference its script exactly once as ${SCRIPT_REF}`,
    );
  }
  const html = template.replace(SCRIPT_REF, `src="${base}/preview.js"`);

  const page = asset(Buffer.from(html, "utf8"), "text/html; charset=utf-8");
  const script = asset(js, "text/javascript; charset=utf-8");
  const core = asset(wasm, "application/wasm");

  // Other methods get the same 405 (with Allow) as the API's routes, via the problem handler.
  const getOnly = methodNotAllowed(["GET", "HEAD"]);
  const router = Router();
  router
    .route(["/", "/preview"])
    .get((req, res) => {
      res.set("Content-Security-Policy", CSP);
      send(req, res, page, "no-cache");
    })
    .all(getOnly);
  router
    .route(`${base}/preview.js`)
    .get((req, res) => send(req, res, script, IMMUTABLE))
    .all(getOnly);
  router
    .route(`${base}/release.wasm`)
    .get((req, res) => send(req, res, core, IMMUTABLE))
    .all(getOnly);
  return router;
}
