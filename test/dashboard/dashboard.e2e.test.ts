// Sign-in, the API-keys dashboard and the preview's signed-in downloads, end to end in headless
// Debian Chromium against the real app: a user signs in, creates a key and reads it once, the
// key renders over plain HTTP, revoking it refuses it; the preview downloads with the session
// alone; a page on another loopback origin posting with the user's cookie is refused; signing
// out ends access.

import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildAccount, buildPreview } from "../../scripts/build-preview.mjs";
import { launchChromium } from "../helpers/chromium.js";
import { decodeImage } from "../helpers/decode.js";
import { type AccountHarness, DATAMATRIX, startAccountsApp } from "../helpers/http.js";

const EMAIL = "grace@example.com";
const PASSWORD = "a long and secret passphrase";
const PAYLOAD = { gtin: "09506000134352", lot: "ABC123" };

let h: AccountHarness;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let evil: Server;
let evilOrigin: string;
const pageErrors: string[] = [];

/** POSTs the payload with `key` from Node (a program using the key), returning the status. */
async function renderWithKey(key: string): Promise<number> {
  const res = await fetch(h.url + DATAMATRIX, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": key },
    body: JSON.stringify(PAYLOAD),
  });
  await res.arrayBuffer();
  return res.status;
}

beforeAll(async () => {
  await Promise.all([buildPreview(), buildAccount()]);
  const tier = { perMinute: 10_000, perDay: 100_000 };
  h = await startAccountsApp({
    keyDefault: tier,
    anonymous: tier,
    clock: { now: () => Date.now() },
  });
  await h.accounts.createUser(EMAIL, PASSWORD);

  // Another origin on the same host (same site for SameSite=Lax: the cookie goes along): a
  // page whose form posts a JSON-looking text/plain body to the API, as a CSRF attack would.
  evil = createServer((_req, res) => {
    res.setHeader("content-type", "text/html; charset=utf-8");
    res.end(`<!doctype html><title>evil</title>
<form id="f" method="post" action="${h.url}${DATAMATRIX}" enctype="text/plain">
<input type="hidden" name='{"gtin":"09506000134352","lot":"ABC","x":"' value='"}'>
<button id="go">go</button></form>`);
  });
  await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
  evilOrigin = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;

  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: h.url });
  page = await context.newPage();
  page.on("pageerror", (err) => pageErrors.push(err.message));
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => evil?.close(r));
  await h?.close();
});

describe("the account dashboard in Chromium", () => {
  it("sends a signed-out visitor to the sign-in page, which signs in", async () => {
    await page.goto(`${h.url}/account/`);
    expect(page.url()).toBe(`${h.url}/account/login`);
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect
      .poll(() => page.getByRole("alert").textContent())
      .toBe("The email or password is incorrect.");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${h.url}/account/`);
    await expect.poll(() => page.locator("#who").textContent()).toBe(`Signed in as ${EMAIL}`);
    const cookies = await context.cookies(h.url);
    expect(
      cookies.map(({ name, httpOnly, sameSite, path }) => ({ name, httpOnly, sameSite, path })),
    ).toEqual([{ name: "sessionid", httpOnly: true, sameSite: "Lax", path: "/" }]);
    // HttpOnly: scripts cannot read it.
    expect(await page.evaluate(() => document.cookie)).toBe("");
  });

  it("creates a key shown once with a copy button; the key renders; revoking refuses it", async () => {
    await page.getByLabel("Name", { exact: true }).fill("line 3 printer");
    await page.getByRole("button", { name: "Create key" }).click();
    const keyField = page.getByLabel("Key", { exact: true });
    await expect.poll(() => keyField.inputValue()).toMatch(/^csb_/);
    const key = await keyField.inputValue();
    await page.getByRole("button", { name: "Copy" }).click();
    await expect.poll(() => page.locator("#copy-status").textContent()).toBe("Copied.");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);

    const row = page.locator("#keys-body tr", { hasText: "line 3 printer" });
    await expect.poll(() => row.locator("td").nth(1).textContent()).toBe("active");
    // The Key column tells keys apart by their ends; limits are grouped for people.
    expect(await row.locator("td").nth(0).textContent()).toBe(
      `${key.slice(0, 8)}…${key.slice(-4)}`,
    );
    expect(await row.locator("td").nth(5).textContent()).toBe("10,000/min, 100,000/day");
    expect(await renderWithKey(key)).toBe(200);

    // Shown once: a reload shows the key's row, never the key.
    await page.reload();
    await expect.poll(() => row.count()).toBe(1);
    expect(await page.content()).not.toContain(key);

    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Revoke key line 3 printer" }).click();
    await expect.poll(() => row.locator("td").nth(1).textContent()).toBe("revoked");
    expect(await renderWithKey(key)).toBe(401);
  });

  it("keeps a key when the revoke confirmation is dismissed", async () => {
    await page.getByLabel("Name", { exact: true }).fill("keep me");
    await page.getByRole("button", { name: "Create key" }).click();
    const key = await (async () => {
      const field = page.getByLabel("Key", { exact: true });
      await expect.poll(() => field.inputValue()).not.toBe("");
      return field.inputValue();
    })();
    page.once("dialog", (dialog) => void dialog.dismiss());
    await page.getByRole("button", { name: "Revoke key keep me" }).click();
    expect(await renderWithKey(key)).toBe(200);
  });

  it("lets the preview download a PNG with the session alone", async () => {
    await page.goto(`${h.url}/preview`);
    await page.waitForSelector('#result[data-state="ok"]');
    await expect.poll(() => page.locator("#signed-in").isVisible()).toBe(true);
    expect(await page.locator("#api-key-field").isVisible()).toBe(false);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click('button[data-format="png"]'),
    ]);
    const decoded = await decodeImage(readFileSync(await download.path()));
    expect(decoded.text).toBe("0109506000134352" + "17271231" + "10ABC123");
  });

  it("refuses a page on another origin posting with the user's cookie (403)", async () => {
    const other = await context.newPage();
    await other.goto(evilOrigin);
    await Promise.all([other.waitForNavigation(), other.click("#go")]);
    const problem = JSON.parse((await other.locator("body").textContent()) ?? "{}");
    expect(problem).toMatchObject({ status: 403, error_code: "forbidden" });
    await other.close();
    // The cookie did go along (same site): the server judged a signed-in request and refused it.
    const refused = h.logs.filter((l) => l.status === 403 && String(l.subject).startsWith("user:"));
    expect(refused.length).toBeGreaterThan(0);
  });

  it("signs out: the session ends and the dashboard asks for sign-in again", async () => {
    await page.goto(`${h.url}/account/`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${h.url}/account/login`);
    expect(await context.cookies(h.url)).toEqual([]);
    await page.goto(`${h.url}/account/`);
    expect(page.url()).toBe(`${h.url}/account/login`);
    await page.goto(`${h.url}/preview`);
    await page.waitForSelector('#result[data-state="ok"]');
    expect(await page.locator("#api-key-field").isVisible()).toBe(true);
  });

  it("raised no script errors and logged no secret", () => {
    expect(pageErrors).toEqual([]);
    expect(h.logText()).not.toContain(PASSWORD);
  });
});
