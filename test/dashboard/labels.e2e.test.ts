// The dashboard's Labels section end to end in headless Chromium against the server process as
// `npm start` runs it (SQLite, the embedded queue, render threads): a user made with the users
// CLI signs in, picks Avery L7160 (the drawn sheet has its 3 × 7 cells), uploads a CSV, watches
// the job reach 100 %, and the downloaded PDF's labels — rendered by poppler and cut out at
// their cells, computed from glabels' L7160 numbers — decode with zxing-wasm to the CSV's items;
// a running export is canceled from its row; generated serials decode, and the same range asked
// again shows the API's 422; a bad option shows the API's 422.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildAccount } from "../../scripts/build-preview.mjs";
import { launchChromium } from "../helpers/chromium.js";
import { decodeImage } from "../helpers/decode.js";
import { type ServerProcess, startServerProcess, usersCli } from "../helpers/processes.js";

const EMAIL = "ines@example.com";
const PASSWORD = "a passphrase for the labels page";
// glabels-qt templates/avery-iso-templates.xml, part="7160" (points).
const PT = 25.4 / 72;
const L7160 = {
  w: 181.4 * PT,
  h: 108 * PT,
  x0: 21.2 * PT,
  y0: 43.9 * PT,
  dx: 187.2 * PT,
  dy: 108 * PT,
};
const DPI = 300;
const px = (mm: number) => Math.round((mm * DPI) / 25.4);
const SERIALS = Array.from({ length: 24 }, (_, k) => `LB${String(k + 1).padStart(4, "0")}`);

const dirs: string[] = [];
let server: ServerProcess;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  await buildAccount();
  const dir = mkdtempSync(join(tmpdir(), "labels-page-"));
  dirs.push(dir);
  const env = { DATA_DIR: dir, WORKERS: "1", LABELS_THREADS: "2" };
  server = await startServerProcess(env);
  const made = await usersCli(env, ["create", "--email", EMAIL, "--password-stdin"], PASSWORD);
  if (made.code !== 0) throw new Error(made.stderr);
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
  page.on("pageerror", (err) => pageErrors.push(err.message));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.proc.kill("SIGTERM");
  await server?.exited;
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("the dashboard's Labels section in Chromium", () => {
  it("exports a CSV onto L7160 sheets, shows progress to 100 % and downloads labels that decode", async () => {
    await page.goto(`${server.url}/account/login`);
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${server.url}/account/`);
    await page.getByRole("link", { name: "Labels" }).click();

    await page.getByLabel("Export type").selectOption("sheet_pdf");
    const template = page.getByLabel("Sheet template");
    await expect.poll(() => template.locator("option").count()).toBeGreaterThan(5);
    await template.selectOption("avery_l7160");
    expect(await page.locator("#labels-sheet rect.cell").count()).toBe(21);
    expect(await page.getByLabel("File format").inputValue()).toBe("pdf");
    await page.getByLabel("Human-readable text (hri)").check();
    const csv = ["gtin,serial,lot", ...SERIALS.map((s) => `09506000134352,${s},L42`), ""].join(
      "\n",
    );
    await page.getByLabel("CSV file", { exact: true }).setInputFiles({
      name: "lot-42.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(csv),
    });
    await page.getByRole("button", { name: "Start export" }).click();

    const row = page.locator("#jobs-body tr").first();
    await expect.poll(() => row.getAttribute("data-status"), { timeout: 60_000 }).toBe("completed");
    expect(await row.locator("td").nth(3).textContent()).toContain("100 %");
    expect(await row.locator("progress").evaluate((p) => (p as HTMLProgressElement).value)).toBe(
      100,
    );
    expect(await row.locator("td").nth(2).textContent()).toBe("24");
    expect(await page.locator("#labels-error").textContent()).toBe("");

    const href = (await row.getByRole("link", { name: "Download" }).getAttribute("href")) as string;
    const res = await fetch(href);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const dir = mkdtempSync(join(tmpdir(), "labels-page-pdf-"));
    dirs.push(dir);
    writeFileSync(join(dir, "sheet.pdf"), Buffer.from(await res.arrayBuffer()));
    execFileSync("pdftoppm", ["-r", String(DPI), "-png", "sheet.pdf", "page"], { cwd: dir });
    const pages = readdirSync(dir)
      .filter((f) => f.startsWith("page"))
      .sort();
    expect(pages).toHaveLength(2);
    for (let k = 0; k < SERIALS.length; k++) {
      const cell = k % 21;
      const crop = await sharp(join(dir, pages[Math.floor(k / 21)]))
        .extract({
          left: px(L7160.x0 + (cell % 3) * L7160.dx),
          top: px(L7160.y0 + Math.floor(cell / 3) * L7160.dy),
          width: px(L7160.w),
          height: px(L7160.h),
        })
        .png()
        .toBuffer();
      const decoded = await decodeImage(crop);
      expect(decoded.text, `label ${k + 1}`).toBe(`010950600013435210L42\u001d21${SERIALS[k]}`);
    }
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it("cancels a running export from its row", async () => {
    await page.getByLabel("Export type").selectOption("datamatrix");
    await page.getByLabel("File format").selectOption("png");
    const rows = Array.from({ length: 40_000 }, (_, k) => `09506000134352,C${k + 1},L43`);
    await page.getByLabel("CSV file", { exact: true }).setInputFiles({
      name: "big.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(["gtin,serial,lot", ...rows, ""].join("\n")),
    });
    await page.getByRole("button", { name: "Start export" }).click();
    const row = page.locator("#jobs-body tr").first();
    await expect.poll(() => row.locator("td").nth(2).textContent()).toBe("40,000");
    await row.getByRole("button", { name: /^Cancel job / }).click();
    await expect.poll(() => row.getAttribute("data-status"), { timeout: 30_000 }).toBe("canceled");
    expect(await row.getByRole("link", { name: "Download" }).count()).toBe(0);
  }, 90_000);

  it("generates serials, and shows the API's refusal of a range already issued", async () => {
    await page.getByLabel("Export type").selectOption("sheet_pdf");
    await page.getByLabel("Sheet template").selectOption("avery_l7160");
    await page.getByLabel("From the serial generator").check();
    await page.getByLabel("GTIN").fill("09506000134352");
    await page.getByLabel("Lot (optional)").fill("L44");
    await page.getByLabel("How many").fill("30");
    await page.getByLabel("First number (range)").fill("1");
    await page.getByLabel("Digits, zero-padded (range, optional)").fill("6");
    await page.getByRole("button", { name: "Start export" }).click();
    const row = page.locator("#jobs-body tr").first();
    await expect.poll(() => row.locator("td").nth(2).textContent()).toBe("30");
    await expect.poll(() => row.getAttribute("data-status"), { timeout: 60_000 }).toBe("completed");
    const href = (await row.getByRole("link", { name: "Download" }).getAttribute("href")) as string;
    const dir = mkdtempSync(join(tmpdir(), "labels-page-serials-"));
    dirs.push(dir);
    writeFileSync(join(dir, "s.pdf"), Buffer.from(await (await fetch(href)).arrayBuffer()));
    execFileSync("pdftoppm", ["-r", String(DPI), "-png", "-f", "1", "-l", "1", "s.pdf", "p"], {
      cwd: dir,
    });
    const first = readdirSync(dir).find((f) => f.startsWith("p")) as string;
    const crop = await sharp(join(dir, first))
      .extract({ left: px(L7160.x0), top: px(L7160.y0), width: px(L7160.w), height: px(L7160.h) })
      .png()
      .toBuffer();
    expect((await decodeImage(crop)).text).toBe("010950600013435210L44\u001d21000001");

    // The same range again: the API refuses it (serials are unique per GTIN), and the page says so.
    await page.getByRole("button", { name: "Start export" }).click();
    await expect
      .poll(() => page.locator("#labels-error").textContent())
      .toMatch(/^The API answered 422: .*overlap/);
    await page.getByLabel("From a CSV file").check();
  }, 90_000);

  it("previews a CSV's first rows with the problems the export would report, making no job", async () => {
    const jobsBefore = await page.locator("#jobs-body tr").count();
    await page.getByLabel("Export type").selectOption("datamatrix");
    await page.getByLabel("File format").selectOption("svg");
    const csv = [
      "gtin,serial,lot",
      "09506000134352,P1,L1",
      "12345,P2,L1",
      "09506000134352,P3,L~1",
      "09506000134352,P4,L1",
      "09506000134352,P5,L1",
      "09506000134352,P6,L1",
      "",
    ].join("\n");
    await page.getByLabel("CSV file", { exact: true }).setInputFiles({
      name: "check.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(csv),
    });
    const status = page.locator("#csv-preview-status");
    await expect.poll(() => status.textContent()).toBe("First 5 rows: 2 with problems.");
    const rows = page.locator("#csv-preview-body tr");
    expect(await rows.count()).toBe(5);
    expect(
      await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.valid)),
    ).toEqual(["true", "false", "false", "true", "true"]);
    // The same words as the job's report for those rows (the CLI test compares that report).
    expect(await rows.nth(1).locator("td").last().textContent()).toMatch(/^gtin: .*12345/);
    expect(await rows.nth(2).locator("td").last().textContent()).toMatch(/^lot: /);
    expect(await page.locator("#csv-preview thead th").allTextContents()).toEqual([
      "Row",
      "gtin",
      "serial",
      "lot",
      "Check",
    ]);
    expect(await page.locator("#jobs-body tr").count()).toBe(jobsBefore);
    // A header the export refuses is refused here too, naming the column.
    await page.getByLabel("CSV file", { exact: true }).setInputFiles({
      name: "typo.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("gtin,expriy\n09506000134352,270630\n"),
    });
    await expect.poll(() => status.textContent()).toMatch(/^The API answered 422: .*expriy/);
  }, 60_000);

  it("shows the API's refusal of a bad request in the page", async () => {
    await page.getByLabel("Export type").selectOption("datamatrix");
    await page.getByLabel("CSV file", { exact: true }).setInputFiles({
      name: "one.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("gtin,serial\n09506000134352,X1\n"),
    });
    await page.getByLabel("Module size (xdim_mm, optional)").fill("9");
    await page.getByRole("button", { name: "Start export" }).click();
    await expect
      .poll(() => page.locator("#labels-error").textContent())
      .toMatch(/^The API answered 422: .*xdim_mm/);
  }, 60_000);
});
