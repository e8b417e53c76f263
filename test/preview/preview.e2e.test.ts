// The preview page end to end in headless Debian Chromium: the built bundle served by the real
// app, typed into like a user, its symbol screenshotted and decoded by zxing-wasm, its SVG
// compared with the API's, its validation messages checked verbatim, and its network watched.

import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPreview } from "../../scripts/build-preview.mjs";
import { encode } from "../../src/index.js";
import { launchChromium } from "../helpers/chromium.js";
import { decodeImage } from "../helpers/decode.js";
import { type Harness, startApp } from "../helpers/http.js";

const API = "/products/api/v1/datamatrix/";

// The real app as the HTTP tests run it (test/helpers/http.ts), with limits no test reaches.
let h: Harness;
let origin: string;
let apiKey: string;
let browser: Browser;
let page: Page;
const requests: string[] = [];
// Uncaught exceptions in the page, and console lines (CSP violations are reported there).
const pageErrors: string[] = [];
const consoleLines: string[] = [];

async function startServer(): Promise<void> {
  const tier = { perMinute: 10_000, perDay: 100_000 };
  h = await startApp({ keyDefault: tier, anonymous: tier });
  origin = h.url;
  apiKey = h.key;
}

/** Clears each control and types the value key by key, as a user would (one input event each). */
async function type(fields: Record<string, string>): Promise<void> {
  for (const [id, value] of Object.entries(fields)) {
    const input = page.locator(`#${id}`);
    await input.fill("");
    await input.pressSequentially(value);
  }
}

/** Waits until the page shows `elementString` (GS drawn as <GS>) and its picture has loaded. */
async function waitForSymbol(elementString: string): Promise<void> {
  const visible = elementString.replaceAll("\x1d", "<GS>");
  await page.waitForFunction((text) => {
    const img = document.getElementById("symbol-img") as HTMLImageElement | null;
    return (
      document.getElementById("element-string")?.textContent === text &&
      document.getElementById("result")?.dataset.state === "ok" &&
      img?.complete &&
      img.naturalWidth > 0
    );
  }, visible);
}

/** Returns the exact SVG the page displays, read back from the <img>'s data: URL. */
async function pageSvg(): Promise<string> {
  const src = await page.locator("#symbol-img").getAttribute("src");
  const prefix = "data:image/svg+xml;charset=utf-8,";
  expect(src?.startsWith(prefix)).toBe(true);
  return decodeURIComponent((src ?? "").slice(prefix.length));
}

async function apiSvg(payload: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${origin}${API}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-API-Key": apiKey },
    body: JSON.stringify({ ...payload, format: "svg" }),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
  return res.text();
}

beforeAll(async () => {
  await buildPreview();
  await startServer();
  browser = await launchChromium();
  const context = await browser.newContext({
    viewport: { width: 1100, height: 900 },
    deviceScaleFactor: 1,
  });
  page = await context.newPage();
  page.on("request", (req) => requests.push(req.url()));
  page.on("pageerror", (err) => pageErrors.push(err.message));
  page.on("console", (msg) => consoleLines.push(`${msg.type()}: ${msg.text()}`));
  await page.goto(`${origin}/preview`);
  // The first render (the page's example values) means the bundle and the WASM have loaded.
  await page.waitForSelector('#result[data-state="ok"]');
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

describe("the preview page", () => {
  // GTIN-14 with a valid check digit (GS1's example 0950600013435 → 2), expiry 31 Dec 2027,
  // a lot and a serial, written out by hand: AIs 01 and 17 have predefined lengths and come
  // first; 10 and 21 are variable, so one GS between them and none at the end.
  const payload = { gtin: "09506000134352", lot: "ABC123", serial: "SN-0042", expiry: "271231" };
  const elementString = "01095060001343521727123110ABC123\x1d21SN-0042";

  it("renders what is typed, and the screenshot decodes to the element string with ]d2", async () => {
    await type(payload);
    await waitForSymbol(elementString);
    const png = await page.locator("#symbol-img").screenshot();
    const decoded = await decodeImage(png);
    expect(decoded.text).toBe(elementString);
    expect(decoded.symbologyIdentifier).toBe("]d2");
  });

  it("shows the element string, HRI, symbol size and physical size", async () => {
    const text = async (id: string) => page.locator(`#${id}`).textContent();
    expect(await text("element-string")).toBe("01095060001343521727123110ABC123<GS>21SN-0042");
    expect(await text("hri-text")).toBe("(01) 09506000134352 (17) 271231 (10) ABC123 (21) SN-0042");
    // The size is the encoder's choice (its minimality is tested elsewhere): the server's.
    const { rows, columns } = encode(payload);
    expect(await text("symbol-size")).toBe(`${rows} × ${columns} modules (rows × columns)`);
    const mm = (n: number) => (n * 0.38).toFixed(2).replace(/\.?0+$/, "");
    expect(await text("physical-size")).toBe(
      `${mm(columns)} × ${mm(rows)} mm (width × height) at X = 0.38 mm; ` +
        `${mm(columns + 4)} × ${mm(rows + 4)} mm with the quiet zone`,
    );
  });

  it("shows the exact validation message next to the lot field, announced", async () => {
    await type({ lot: "AB 12" });
    const message = page.locator("#lot-error");
    await expect.poll(() => message.textContent()).toBe(LOT_SPACE_MESSAGE);
    expect(await page.locator("#lot").getAttribute("aria-invalid")).toBe("true");
    expect(await message.getAttribute("aria-live")).toBe("polite");
    expect(await page.locator("#lot").getAttribute("aria-describedby")).toContain("lot-error");
    // Nothing else is flagged, and the server says the same words for the same payload.
    expect(await page.locator("#gtin-error").textContent()).toBe("");
    expect(await page.locator("#form-error").textContent()).toBe("");
    expect(await page.locator("#result").getAttribute("data-state")).toBe("invalid");
    const res = await fetch(`${origin}${API}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-API-Key": apiKey },
      body: JSON.stringify({ ...payload, lot: "AB 12" }),
    });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { details: { loc: string[]; msg: string }[] };
    expect(problem.details).toEqual([
      expect.objectContaining({ loc: ["body", "lot"], msg: LOT_SPACE_MESSAGE }),
    ]);

    await type({ lot: payload.lot });
    await waitForSymbol(elementString);
    expect(await message.textContent()).toBe("");
    expect(await page.locator("#lot").getAttribute("aria-invalid")).toBe("false");
  });

  it("puts a lot-or-serial problem (field null) in the form-level message", async () => {
    await type({ lot: "", serial: "" });
    await expect.poll(() => page.locator("#form-error").textContent()).not.toBe("");
    await type(payload);
    await waitForSymbol(elementString);
    expect(await page.locator("#form-error").textContent()).toBe("");
  });

  it.each([
    ["the defaults", {}],
    [
      "HRI, rectangle, X 0.5 mm, quiet zone 4",
      { hri: true, shape: "rectangle", xdim_mm: "0.5", quiet_zone: "4" },
    ],
    ["HRI, DMRE, X 0.254 mm", { hri: true, shape: "dmre", xdim_mm: "0.254", quiet_zone: "1" }],
  ] as const)("draws byte for byte the SVG the API sends (%s)", async (_name, options) => {
    await type(payload);
    await page.locator("#shape").selectOption("shape" in options ? options.shape : "square");
    await page.locator("#hri").setChecked("hri" in options);
    await type({
      xdim_mm: "xdim_mm" in options ? options.xdim_mm : "",
      quiet_zone: "quiet_zone" in options ? options.quiet_zone : "",
    });
    await waitForSymbol(elementString);
    const body: Record<string, unknown> = {
      ...payload,
      hri: "hri" in options,
      strict_expiry: false,
    };
    if ("shape" in options) body.shape = options.shape;
    if ("xdim_mm" in options) body.xdim_mm = Number(options.xdim_mm);
    if ("quiet_zone" in options) body.quiet_zone = Number(options.quiet_zone);
    expect(await pageSvg()).toBe(await apiSvg(body));
  });

  it("downloads SVG and PNG through the API with the pasted key, kept out of the URL", async () => {
    await page.locator("#shape").selectOption("square");
    await page.locator("#hri").setChecked(false);
    await type({ ...payload, xdim_mm: "", quiet_zone: "" });
    await waitForSymbol(elementString);
    await type({ "api-key": apiKey });

    const [svgDownload] = await Promise.all([
      page.waitForEvent("download"),
      page.click('button[data-format="svg"]'),
    ]);
    expect(svgDownload.suggestedFilename()).toBe("gs1-datamatrix-09506000134352.svg");
    expect(readFileSync(await svgDownload.path(), "utf8")).toBe(await pageSvg());

    const [pngDownload] = await Promise.all([
      page.waitForEvent("download"),
      page.click('button[data-format="png"]'),
    ]);
    const decoded = await decodeImage(readFileSync(await pngDownload.path()));
    expect(decoded.text).toBe(elementString);

    expect(page.url()).toBe(`${origin}/preview`);
    expect(requests.filter((url) => url.includes(apiKey))).toEqual([]);
    expect(await page.evaluate(() => Object.values(sessionStorage))).toEqual([apiKey]);
  });

  it("reports a refused key in the status line", async () => {
    await type({ "api-key": "csb_not_a_real_key" });
    await page.click('button[data-format="pdf"]');
    await expect
      .poll(() => page.locator("#download-status").textContent())
      .toMatch(/^The API answered 401: /);
  });

  it("adds and removes AI rows, showing the API's own message in the row", async () => {
    await type({ gtin: "09506000134352", lot: "ABC123", serial: "", expiry: "" });
    await page.click("#add-ai");
    const ai = page.getByLabel("AI", { exact: true });
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id))
      .toBe(await ai.getAttribute("id"));
    await ai.pressSequentially("7003");
    const value = page.getByLabel("Value", { exact: true });
    await value.pressSequentially("2713301200");
    const body = { gtin: "09506000134352", lot: "ABC123", ais: { "7003": "2713301200" } };
    const res = await fetch(`${origin}${API}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-API-Key": apiKey },
      body: JSON.stringify(body),
    });
    const problem = (await res.json()) as { details: { loc: string[]; msg: string }[] };
    const rowError = page.locator(".ai-row .error");
    await expect.poll(() => rowError.textContent()).toBe(problem.details[0].msg);
    expect(problem.details[0].loc).toEqual(["body", "ais", "7003"]);
    expect(await value.getAttribute("aria-invalid")).toBe("true");
    await value.fill("2712301200");
    await waitForSymbol("0109506000134352" + "10ABC123\x1d" + "70032712301200");
    const picture = await page.locator("#symbol-img").screenshot();
    expect((await decodeImage(picture)).text).toBe(
      "0109506000134352" + "10ABC123\x1d" + "70032712301200",
    );
    await page.getByRole("button", { name: /^Remove AI row/ }).click();
    await waitForSymbol("0109506000134352" + "10ABC123");
    expect(await page.locator(".ai-row").count()).toBe(0);
    await type({ expiry: "271231" });
  });

  it("labels every control and works from the keyboard alone", async () => {
    const labels = {
      gtin: "GTIN (AI 01)",
      lot: "Lot / batch (AI 10)",
      serial: "Serial number (AI 21)",
      expiry: "Expiry date (AI 17)",
      strict_expiry: "Reject expiry day 00",
      production_date: "Production date (AI 11)",
      data_format: "Data in the symbol",
      shape: "Shape",
      xdim_mm: "Module size (mm)",
      quiet_zone: "Quiet zone (modules)",
      hri: "Print the human-readable text (HRI)",
      hri_titles: "Start HRI lines with the data title",
      "api-key": "API key",
    };
    for (const [id, label] of Object.entries(labels)) {
      expect(await page.getByLabel(label, { exact: true }).getAttribute("id")).toBe(id);
    }
    // Tab order follows the page: from the GTIN through every control to the buttons; the
    // "Add an AI" button sits where further AI rows appear, the sign-in link before the key.
    const expected = [
      "gtin",
      "lot",
      "serial",
      "expiry",
      "strict_expiry",
      "production_date",
      "add-ai",
      "data_format",
      "shape",
      "xdim_mm",
      "quiet_zone",
      "hri",
      "hri_titles",
      "sign-in-link",
      "api-key",
      "svg",
    ];
    await page.locator("#gtin").focus();
    const order: string[] = [];
    for (let i = 0; i < expected.length; i++) {
      order.push(
        await page.evaluate(() => {
          const el = document.activeElement as HTMLElement;
          return el.id || (el.dataset.format ?? el.tagName);
        }),
      );
      await page.keyboard.press("Tab");
    }
    expect(order).toEqual(expected);
    // Space toggles the HRI checkbox, and the symbol re-renders with the text (outline paths) under it.
    await page.locator("#hri").focus();
    await page.keyboard.press("Space");
    await expect.poll(async () => (await pageSvg()).includes("geometricPrecision")).toBe(true);
    await page.keyboard.press("Space");
    await expect.poll(async () => (await pageSvg()).includes("geometricPrecision")).toBe(false);
  });

  it("draws a QR Code of the Digital Link in the QR mode, the screenshot decoding to it with ]Q1", async () => {
    await type(payload);
    await waitForSymbol(elementString);
    await page.locator("#symbology").selectOption("qr");
    expect(await page.locator("#shape").isVisible()).toBe(false);
    expect(await page.locator("#error_correction").isVisible()).toBe(true);
    expect(await page.locator("#data_format").inputValue()).toBe("digital_link");
    await page.locator("#error_correction").selectOption("H");
    // The URI, written out by hand: key and qualifiers in the path, the expiry in the query.
    const uri = "https://id.gs1.org/01/09506000134352/10/ABC123/21/SN-0042?17=271231";
    await waitForSymbol(uri);
    expect(await page.locator("#symbol-size").textContent()).toMatch(/^version \d+-H, /);
    const png = await page.locator("#symbol-img").screenshot();
    const decoded = await decodeImage(png, "QRCode");
    expect([decoded.text, decoded.symbologyIdentifier]).toEqual([uri, "]Q1"]);
    // The API's QR endpoint draws the same SVG for the same payload.
    const res = await fetch(`${origin}/products/api/v1/qr/`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-API-Key": apiKey },
      body: JSON.stringify({ ...payload, error_correction: "H", format: "svg" }),
    });
    expect(await res.text()).toBe(await pageSvg());
    await page.locator("#symbology").selectOption("datamatrix");
    await page.locator("#data_format").selectOption("element_string");
    await waitForSymbol(elementString);
    expect(await page.locator("#shape").isVisible()).toBe(true);
  });

  it("reads a pasted Digital Link into the fields, or names the segment and rule it breaks", async () => {
    const paste = page.locator("#dl-paste");
    await paste.fill(
      "https://example.com/01/09506000134352/10/PASTED/21/S%2F9?17=281231&7003=2812311200",
    );
    await waitForSymbol(
      "0109506000134352" + "17281231" + "10PASTED\x1d" + "21S/9\x1d" + "70032812311200",
    );
    expect(await page.locator("#lot").inputValue()).toBe("PASTED");
    expect(await page.locator("#serial").inputValue()).toBe("S/9");
    expect(await page.locator("#dl-paste-status").textContent()).toBe(
      "Read 5 AIs (resolver https://example.com).",
    );
    await paste.fill("https://example.com/01/09506000134353/10/X");
    await expect
      .poll(() => page.locator("#dl-paste-status").textContent())
      .toMatch(/^01\/09506000134353: .*rule csum/);
    await paste.fill("");
    await page.locator(".ai-row button").click();
    await type(payload);
    await waitForSymbol(elementString);
  });

  it("keeps rendering offline once loaded", async () => {
    await page.context().setOffline(true);
    try {
      await type({ serial: "OFFLINE-1" });
      await waitForSymbol("01095060001343521727123110ABC123\x1d21OFFLINE-1");
    } finally {
      await page.context().setOffline(false);
    }
  });

  it("made no request outside its own origin, tried none, and threw nothing", () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(
      requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith("data:")),
    ).toEqual([]);
    // A request the Content-Security-Policy blocked never reaches the listener above, but
    // Chromium reports the attempt on the console.
    expect(consoleLines.filter((line) => line.includes("Content Security Policy"))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

describe("the preview routes", () => {
  it("serve the page uncached-but-validated and the assets immutable with the right types", async () => {
    const html = await fetch(`${origin}/`);
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(html.headers.get("cache-control")).toBe("no-cache");
    expect(html.headers.get("content-security-policy")).toContain("default-src 'none'");
    const etag = html.headers.get("etag") ?? "";
    // As a browser revalidates; fetch would add "Cache-Control: no-cache" (a forced reload).
    const again = await fetch(`${origin}/`, {
      headers: { "If-None-Match": etag, "Cache-Control": "max-age=0" },
    });
    expect(again.status).toBe(304);

    const script = /src="(\/preview\/assets\/[0-9a-f]{16}\/preview\.js)"/.exec(
      await html.text(),
    )?.[1];
    expect(script).toBeDefined();
    const js = await fetch(`${origin}${script}`);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(js.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const wasm = await fetch(`${origin}${script?.replace("preview.js", "release.wasm")}`);
    expect(wasm.headers.get("content-type")).toBe("application/wasm");
    expect(Buffer.from(await wasm.arrayBuffer())).toEqual(
      readFileSync(new URL("../../build/wasm/release.wasm", import.meta.url)),
    );

    const head = await fetch(`${origin}/preview`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const post = await fetch(`${origin}/preview`, { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });
});

// The message the GS1 layer gives for a space at position 3 of a lot (the dictionary's cset82,
// src/gs1/ai/validate.ts), quoted verbatim: the page must show the server's words, not its own.
const LOT_SPACE_MESSAGE =
  'AI (10) BATCH/LOT: value "AB 12" at position 3: " " is not in set 82 (rule cset82).';
