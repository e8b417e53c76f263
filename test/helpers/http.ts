import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { expect } from "vitest";
import { Accounts, SESSION_MAX_MS } from "../../src/accounts/accounts.js";
import type { Clock } from "../../src/clock.js";
import type { Renderer } from "../../src/index.js";
import { render } from "../../src/index.js";
import { openKeyStore } from "../../src/keys/open.js";
import type { KeyStore, NewKey } from "../../src/keys/store.js";
import { MemoryRateLimiter } from "../../src/limits/limiters.js";
import { type AppDeps, createApp } from "../../src/server/app.js";
import type { Tier } from "../../src/server/middleware/rate-limit.js";
import { type DecodeFormat, decodeImage } from "./decode.js";
import { rasterisePdf, rasteriseSvg } from "./raster.js";

/** The endpoint under test. */
export const DATAMATRIX = "/products/api/v1/datamatrix/";
/** The QR endpoint (issue 19). */
export const QR = "/products/api/v1/qr/";

/** The instant the test clock is frozen at (the published examples' timestamp). */
export const NOW = Date.parse("2026-03-31T12:00:00.000Z");

/** The published default tier and the per-IP tier used in tests. */
export const DEFAULT_TIER: Tier = { perMinute: 300, perDay: 10_000 };
export const ANON_TIER: Tier = { perMinute: 60, perDay: 1_000 };

/** A running app: its base URL, key store, a valid key, the log lines written so far. */
export interface Harness {
  url: string;
  keys: KeyStore;
  key: string;
  dataDir: string;
  /** The user accounts, when opened (startAccountsApp). */
  accounts?: Accounts;
  logs: Record<string, unknown>[];
  /** The raw log output, for "never contains" assertions. */
  logText(): string;
  close(): Promise<void>;
}

/** Options for startApp; anything not given takes the production default. */
export interface HarnessOptions {
  render?: Renderer;
  keyDefault?: Tier;
  anonymous?: Tier;
  /** Limits of the key the harness creates. */
  key?: Partial<NewKey>;
  clock?: Clock;
  refreshMs?: number;
  /** Use this state directory (kept on close) instead of a fresh temporary one. */
  dataDir?: string;
  /** Keep the keys in this PostgreSQL database instead of SQLite under the state directory. */
  databaseUrl?: string;
  /** Open the user accounts (sign-in, sessions, the Account API) on the same database. */
  accounts?: boolean;
  extra?: Partial<AppDeps>;
}

/** A running app with user accounts. */
export interface AccountHarness extends Harness {
  accounts: Accounts;
}

/** startApp() with user accounts: sign-in, sessions, the dashboard and the Account API. */
export async function startAccountsApp(options: HarnessOptions = {}): Promise<AccountHarness> {
  return (await startApp({ ...options, accounts: true })) as AccountHarness;
}

/** Starts createApp() with the real renderer on 127.0.0.1:0 and returns the harness. */
export async function startApp(options: HarnessOptions = {}): Promise<Harness> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "dm-http-"));
  const clock = options.clock ?? { now: () => NOW };
  const keys = await openKeyStore(
    { dataDir, databaseUrl: options.databaseUrl ?? null },
    { refreshMs: options.refreshMs ?? 0, flushMs: 0, clock },
  );
  const { key } = await keys.create({ name: "test", ...options.key });
  const accounts = options.accounts
    ? await Accounts.open({ dataDir, databaseUrl: options.databaseUrl ?? null }, { clock })
    : undefined;
  let raw = "";
  const sink = new Writable({
    write(chunk, _enc, done) {
      raw += chunk.toString();
      done();
    },
  });
  const logger = pino({ level: "info" }, sink);
  const app = createApp({
    render: options.render ?? render,
    keys,
    // The windows follow the test clock, so a slow machine cannot move RateLimit-Reset.
    limiter: new MemoryRateLimiter(() => clock.now()),
    logger,
    limits: {
      keyDefault: options.keyDefault ?? DEFAULT_TIER,
      anonymous: options.anonymous ?? ANON_TIER,
    },
    clock,
    accounts: accounts && { service: accounts, keys, sessionMaxMs: SESSION_MAX_MS },
    ...options.extra,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    keys,
    key,
    dataDir,
    accounts,
    get logs() {
      return raw
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    logText: () => raw,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await keys.close();
      await accounts?.close();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** POSTs `body` (JSON-encoded unless a string) to the endpoint with `key` (if any). */
export function post(
  h: Harness,
  body: unknown,
  headers: Record<string, string> = {},
  key: string | null = h.key,
): Promise<Response> {
  return postTo(h, DATAMATRIX, body, headers, key);
}

/** POSTs `body` (JSON-encoded unless a string) to `path` with `key` (if any). */
export function postTo(
  h: Harness,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
  key: string | null = h.key,
): Promise<Response> {
  return fetch(h.url + path, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(key === null ? {} : { "x-api-key": key }),
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/**
 * Asserts `res` is an RFC 9457 problem with exactly these members (plus timestamp, which must
 * be the test clock's instant), the problem content type and no caching; returns the body.
 */
export async function expectProblem(
  res: Response,
  status: number,
  code: string,
  title: string,
  detail: string,
  extra: Record<string, unknown> = {},
  retryable = false,
): Promise<Record<string, unknown>> {
  const body = (await res.json()) as Record<string, unknown>;
  expect({ status: res.status, body }).toEqual({
    status,
    body: {
      type: `https://closient.com/docs/errors/${code}`,
      title,
      status,
      detail,
      error_code: code,
      retryable,
      timestamp: "2026-03-31T12:00:00.000Z",
      ...extra,
    },
  });
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(res.headers.get("cache-control")).toBe("no-store");
  expect(res.headers.get("etag")).toBeNull();
  return body;
}

/**
 * Asserts the draft-06 and legacy rate-limit headers: `policy`, and limit and remaining of the
 * reported window exactly; its reset (relative seconds) within the two seconds before
 * `windowSeconds` (the window started during the test), and X-RateLimit-Reset as the test
 * clock's Unix time plus that reset.
 */
export function expectRateHeaders(
  res: Response,
  policy: string,
  limit: number,
  remaining: number,
  windowSeconds: number,
): void {
  const h = res.headers;
  const reset = Number(h.get("ratelimit-reset"));
  expect(reset).toBeGreaterThanOrEqual(windowSeconds - 2);
  expect(reset).toBeLessThanOrEqual(windowSeconds);
  expect({
    policy: h.get("ratelimit-policy"),
    limit: h.get("ratelimit-limit"),
    remaining: h.get("ratelimit-remaining"),
    xLimit: h.get("x-ratelimit-limit"),
    xRemaining: h.get("x-ratelimit-remaining"),
    xReset: h.get("x-ratelimit-reset"),
  }).toEqual({
    policy,
    limit: String(limit),
    remaining: String(remaining),
    xLimit: String(limit),
    xRemaining: String(remaining),
    xReset: String(NOW / 1000 + reset),
  });
}

/** The default-tier RateLimit-Policy value. */
export const DEFAULT_POLICY = "300;w=60, 10000;w=86400";
/** The per-IP RateLimit-Policy value of the test tier. */
export const ANON_POLICY = "60;w=60, 1000;w=86400";

/**
 * Returns the GS1 element string a decoder reports for a payload, written out from the GS1
 * rules (not from the code under test): 01 + GTIN-14, 17 + expiry, 10 + lot, then GS (0x1D)
 * before 21 + serial when a lot precedes it.
 */
export function expectedElementString(p: {
  gtin: string;
  lot?: string | null;
  serial?: string | null;
  expiry?: string | null;
}): string {
  let s = `01${p.gtin.padStart(14, "0")}`;
  if (p.expiry) s += `17${p.expiry}`;
  if (p.lot) s += `10${p.lot}`;
  if (p.lot && p.serial) s += "\x1d";
  if (p.serial) s += `21${p.serial}`;
  return s;
}

/**
 * Decodes an image body of `contentType` with zxing-wasm: PNG directly, SVG rasterised by
 * rsvg-convert, PDF by pdftoppm. Returns the decoded text and symbology identifier.
 */
export async function decodeBody(
  body: Uint8Array,
  contentType: string,
  format: DecodeFormat = "DataMatrix",
) {
  let png: Uint8Array;
  if (contentType === "image/png") png = body;
  else if (contentType === "image/svg+xml") {
    png = rasteriseSvg(body, ["--width", "600", "--background-color", "white"]);
  } else if (contentType === "application/pdf") {
    png = rasterisePdf(body);
  } else throw new Error(`not an image type: ${contentType}`);
  return decodeImage(png, format);
}

/** Asserts a 200 image response decodes back to `payload` (element string and ]d2). */
export async function expectDecodesTo(
  res: Response,
  payload: Parameters<typeof expectedElementString>[0],
) {
  const body = new Uint8Array(await res.arrayBuffer());
  const decoded = await decodeBody(body, res.headers.get("content-type") ?? "");
  expect({ text: decoded.text, symbology: decoded.symbologyIdentifier }).toEqual({
    text: expectedElementString(payload),
    symbology: "]d2",
  });
  return body;
}
