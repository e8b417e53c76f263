// The dashboard's Labels section end to end in headless Chromium against the server process as
// `npm start` runs it (SQLite, the embedded queue, render threads): a user made with the users
// CLI signs in, picks Avery L7160 (the drawn sheet has its 3 × 7 cells), uploads a CSV, watches
// the job reach 100 %, and the downloaded PDF's labels — rendered by poppler and cut out at
// their cells, computed from glabels' L7160 numbers — decode with zxing-wasm to the CSV's items;
// a running export is canceled from its row; generated serials decode, and the same range asked
// again shows the API's 422, in the banner and beside the first number; a bad option shows the
// API's 422. The sheet options: a job posted with start_position, proof and a dark colour (the
// sent request part equal to the API request written out here) leaves those cells empty,
// outlines every cell (the PDF's own content, read by qpdf) and prints in that colour (pixels
// rendered by poppler); a custom template is drawn as it is typed, its overlap refused beside the
// pitch with the 422's own words, and once fixed its labels decode at the cells computed here
// from the typed numbers; a bad colour, a start past the sheet and a page too short each show
// beside their own control, and the CSV preview carries a custom template. codes_combined: a CSV
// job posted with the QR's and the 1D's options and the two quiet zones (a bad module width and
// 1D quiet zone first refused beside their controls) gives per item a Digital Link QR and an
// EAN-13, each with the quiet zone asked, read from the pixels; generated serials give a QR and
// a GS1-128 carrying the same serial.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page, Request, Response } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildAccount } from "../../scripts/build-preview.mjs";
import { launchChromium } from "../helpers/chromium.js";
import { decodeImage, decodeLinearImage } from "../helpers/decode.js";
import { type ServerProcess, startServerProcess, usersCli } from "../helpers/processes.js";
import { rasteriseEps, rasterisePdf, rasteriseSvg } from "../helpers/raster.js";

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

const EXPORT_URL = "/products/api/v1/labels/export/";

/**
 * The named part of the multipart/form-data export the page last sent. Chromium leaves a body
 * holding a file out of what it reports for the request, so the page's fetch is wrapped
 * (recordForms) to read each FormData it is given, part by part, just before it goes out.
 */
async function formPart(name: string): Promise<string> {
  const forms = await page.evaluate(() => (window as unknown as Sent).sentForms);
  const part = forms.at(-1)?.[name];
  if (part === undefined) throw new Error(`no part ${name} in ${JSON.stringify(forms.at(-1))}`);
  return part;
}
type Sent = { sentForms: Record<string, string>[] };

async function recordForms(): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as Sent & { fetch: typeof fetch };
    if (w.sentForms) return;
    w.sentForms = [];
    const original = w.fetch;
    w.fetch = async (input, init) => {
      if (init?.body instanceof FormData) {
        const parts: Record<string, string> = {};
        for (const [k, v] of init.body) parts[k] = typeof v === "string" ? v : await v.text();
        w.sentForms.push(parts);
      }
      return original(input, init);
    };
  });
}

/**
 * Chooses a CSV file and waits for its preview to be shown: the preview table moves the Start
 * export button, and a click while it appears can land on the table instead.
 */
async function chooseCsv(name: string, csv: string): Promise<void> {
  const status = page.locator("#csv-preview-status");
  const previewed = page.waitForResponse((r) => r.url().includes("/labels/csv-preview/"));
  await page.getByLabel("CSV file", { exact: true }).setInputFiles({
    name,
    mimeType: "text/csv",
    buffer: Buffer.from(csv),
  });
  await previewed;
  await expect.poll(() => status.textContent()).not.toBe("");
}

/** Opens "More options" unless an earlier step left it open. */
async function openMore(): Promise<void> {
  if ((await page.locator("#labels-more").getAttribute("open")) === null) {
    await page.getByText("More options").click();
  }
}

/** Clicks Start export; resolves to the export request the page sent and the API's answer. */
async function startExport(): Promise<{ request: Request; response: Response }> {
  await recordForms();
  const sent = page.waitForRequest((r) => r.method() === "POST" && r.url().endsWith(EXPORT_URL));
  const answered = page.waitForResponse(
    (r) => r.request().method() === "POST" && r.url().endsWith(EXPORT_URL),
  );
  await page.getByRole("button", { name: "Start export" }).click();
  return { request: await sent, response: await answered };
}

/** The message of the 422 detail whose loc is `loc` (dotted, after "body"). */
async function detailMessage(response: Response, loc: string): Promise<string> {
  const problem = (await response.json()) as { details: { loc: string[]; msg: string }[] };
  const found = problem.details.find((d) => d.loc.join(".") === `body.${loc}`);
  if (!found) throw new Error(`no detail at ${loc}: ${JSON.stringify(problem.details)}`);
  return found.msg;
}

/** Downloads the file of the job the API answered `response` with, once its row says completed. */
async function downloadJob(response: Response): Promise<Buffer> {
  const { job_id } = (await response.json()) as { job_id: string };
  const row = page.locator(`#jobs-body tr[data-job-id="${job_id}"]`);
  await expect.poll(() => row.getAttribute("data-status"), { timeout: 60_000 }).toBe("completed");
  const href = (await row.getByRole("link", { name: "Download" }).getAttribute("href")) as string;
  const res = await fetch(href);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

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
    await chooseCsv("lot-42.csv", csv);
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
    await chooseCsv("big.csv", ["gtin,serial,lot", ...rows, ""].join("\n"));
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
    // serials.start, the field the refusal names, carries it too (its message made on demand).
    const startInput = page.getByLabel("First number (range)");
    expect(await startInput.getAttribute("aria-invalid")).toBe("true");
    expect(await startInput.getAttribute("aria-describedby")).toBe("labels-serial-start-error");
    expect(await page.locator("#labels-serial-start-error").textContent()).toMatch(
      /^Serials .* overlap serials already issued for GTIN 09506000134352/,
    );
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
    await chooseCsv("one.csv", "gtin,serial\n09506000134352,X1\n");
    await page.getByLabel("Module size (xdim_mm, optional)").fill("9");
    await page.getByRole("button", { name: "Start export" }).click();
    await expect
      .poll(() => page.locator("#labels-error").textContent())
      .toMatch(/^The API answered 422: .*xdim_mm/);
  }, 60_000);

  it("posts start_position, proof and a dark colour; the PDF skips, outlines and colours as asked", async () => {
    await page.getByLabel("Export type").selectOption("sheet_pdf");
    await page.getByLabel("Sheet template").selectOption("avery_l7160");
    await page.getByLabel("Module size (xdim_mm, optional)").fill("");
    await page.getByLabel("Human-readable text (hri)").uncheck();
    await page.getByLabel("First label position (start_position, optional)").fill("2");
    await page.getByLabel("Proof: draw every label's outline (proof)").check();
    await page.getByLabel("Dark colour (dark_color, optional)").fill("#1a237e");
    // The drawing shades the cells start_position leaves empty.
    expect(await page.locator("#labels-sheet rect.cell").count()).toBe(21);
    const skipped = await page
      .locator("#labels-sheet rect.cell.skipped")
      .evaluateAll((rs) =>
        rs.map((r) => [Number(r.getAttribute("x")), Number(r.getAttribute("y"))]),
      );
    expect(skipped).toHaveLength(2);
    for (const [k, [x, y]] of skipped.entries()) {
      expect(x).toBeCloseTo(L7160.x0 + k * L7160.dx, 3);
      expect(y).toBeCloseTo(L7160.y0, 3);
    }
    const serials = ["SP1", "SP2", "SP3", "SP4", "SP5"];
    const csv = ["gtin,serial", ...serials.map((s) => `09506000134352,${s}`), ""].join("\n");
    await chooseCsv("start.csv", csv);
    const { request, response } = await startExport();
    expect(response.status()).toBe(202);
    expect(request.headers()["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(JSON.parse(await formPart("request"))).toEqual({
      export_type: "sheet_pdf",
      file_format: "pdf",
      asset_config: {
        sheet_template: "avery_l7160",
        start_position: 2,
        proof: true,
        dark_color: "#1a237e",
      },
    });
    expect(await formPart("file")).toBe(csv);

    const pdf = await downloadJob(response);
    const dir = mkdtempSync(join(tmpdir(), "labels-page-start-"));
    dirs.push(dir);
    writeFileSync(join(dir, "s.pdf"), pdf);
    // Proof: the page's stream opens with one grey outline per cell, at glabels' L7160 corners.
    const stream = execFileSync("qpdf", ["--show-object=3", "--filtered-stream-data", "s.pdf"], {
      cwd: dir,
      encoding: "latin1",
    });
    const outlines = stream.slice(stream.indexOf("q 0.5 G 0.25 w\n"), stream.indexOf("S Q\n"));
    const rects = [...outlines.matchAll(/^([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re$/gm)];
    expect(rects).toHaveLength(21);
    expect(Number(rects[1][1])).toBeCloseTo(21.2 + 187.2, 3);
    const png = rasterisePdf(pdf, DPI);
    const cellAt = (cell: number, inset = 0) =>
      sharp(png).extract({
        left: px(L7160.x0 + (cell % 3) * L7160.dx) + inset,
        top: px(L7160.y0 + Math.floor(cell / 3) * L7160.dy) + inset,
        width: px(L7160.w) - 2 * inset,
        height: px(L7160.h) - 2 * inset,
      });
    for (const empty of [0, 1]) {
      // stats() reads its input, not the pipeline's output: the cut-out goes through a buffer.
      const { channels } = await sharp(await cellAt(empty, 8).greyscale().png().toBuffer()).stats();
      expect(channels[0].min, `cell ${empty} is empty`).toBeGreaterThan(250);
    }
    for (let k = 0; k < serials.length; k++) {
      const decoded = await decodeImage(
        await cellAt(k + 2)
          .png()
          .toBuffer(),
      );
      expect(decoded.text, `label ${k + 1} at cell ${k + 2}`).toBe(
        `010950600013435221${serials[k]}`,
      );
    }
    // The modules' colour: the commonest dark pixel of a label is #1a237e.
    const { data } = await cellAt(2, 8).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const counts = new Map<string, number>();
    for (let i = 0; i < data.length; i += 3) {
      if (data[i] + data[i + 1] + data[i + 2] > 300) continue;
      const key = `${data[i]},${data[i + 1]},${data[i + 2]}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const commonest = [...counts]
      .sort((a, b) => b[1] - a[1])[0][0]
      .split(",")
      .map(Number);
    const target = [0x1a, 0x23, 0x7e];
    for (let c = 0; c < 3; c++) expect(Math.abs(commonest[c] - target[c])).toBeLessThanOrEqual(2);
    expect(pageErrors).toEqual([]);
  }, 120_000);
  it("draws a custom template as typed, shows its overlap beside the pitch, then prints on it", async () => {
    await page.getByLabel("First label position (start_position, optional)").fill("");
    await page.getByLabel("Proof: draw every label's outline (proof)").uncheck();
    await page.getByLabel("Dark colour (dark_color, optional)").fill("");
    await page.getByLabel("Sheet template").selectOption({ label: "Custom template…" });
    // Our numbers: 2 × 3 labels of 60 × 40 mm from (20, 30) on A4; a 50 mm pitch overlaps.
    const custom = {
      columns: 2,
      rows: 3,
      label_width_mm: 60,
      label_height_mm: 40,
      margin_left_mm: 20,
      margin_top_mm: 30,
      pitch_x_mm: 50,
      pitch_y_mm: 45,
    };
    await page.getByLabel("Page size").selectOption("A4");
    const inputs: Record<keyof typeof custom, string> = {
      columns: "Columns",
      rows: "Rows",
      label_width_mm: "Label width (label_width_mm)",
      label_height_mm: "Label height (label_height_mm)",
      margin_left_mm: "Left margin (margin_left_mm)",
      margin_top_mm: "Top margin (margin_top_mm)",
      pitch_x_mm: "Horizontal pitch (pitch_x_mm)",
      pitch_y_mm: "Vertical pitch (pitch_y_mm)",
    };
    for (const [field, label] of Object.entries(inputs)) {
      await page.getByLabel(label).fill(String(custom[field as keyof typeof custom]));
    }
    const drawn = () =>
      page
        .locator("#labels-sheet rect.cell")
        .evaluateAll((rs) =>
          rs.map((r) => ["x", "y", "width", "height"].map((a) => Number(r.getAttribute(a)))),
        );
    expect(await page.locator("#labels-sheet").getAttribute("viewBox")).toBe("0 0 210 297");
    expect(await drawn()).toEqual([
      [20, 30, 60, 40],
      [70, 30, 60, 40],
      [20, 75, 60, 40],
      [70, 75, 60, 40],
      [20, 120, 60, 40],
      [70, 120, 60, 40],
    ]);

    await page.getByLabel("From the serial generator").check();
    await page.getByLabel("GTIN").fill("09506000134352");
    await page.getByLabel("Lot (optional)").fill("L45");
    await page.getByLabel("How many").fill("4");
    await page.getByLabel("First number (range)").fill("5001");
    await page.getByLabel("Digits, zero-padded (range, optional)").fill("");
    const refused = await startExport();
    expect(refused.response.status()).toBe(422);
    const pitch = page.getByLabel("Horizontal pitch (pitch_x_mm)");
    const said = await detailMessage(refused.response, "asset_config.sheet_template.pitch_x_mm");
    expect(said).toMatch(/overlap/);
    await expect.poll(() => pitch.getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#labels-pitch-x-error").textContent()).toBe(said);
    // Only the control the API named is marked.
    expect(await page.locator("#labels-form [aria-invalid]").count()).toBe(1);
    expect(await page.locator("#labels-error").textContent()).toMatch(/^The API answered 422: /);

    // Typing a new pitch clears the mark and redraws; the fixed template is posted as typed.
    await pitch.fill("65");
    expect(await pitch.getAttribute("aria-invalid")).toBeNull();
    expect(await page.locator("#labels-pitch-x-error").textContent()).toBe("");
    expect((await drawn())[1]).toEqual([85, 30, 60, 40]);
    const { request, response } = await startExport();
    expect(response.status()).toBe(202);
    expect(request.postDataJSON()).toEqual({
      export_type: "sheet_pdf",
      file_format: "pdf",
      asset_config: { sheet_template: { page_size: "A4", ...custom, pitch_x_mm: 65 } },
      serials: { gtin: "09506000134352", mode: "range", lot: "L45", count: 4, start: 5001 },
    });
    expect(await page.locator("#labels-error").textContent()).toBe("");
    const png = rasterisePdf(await downloadJob(response), DPI);
    // pdftoppm rounds the page's 2480.3 px up.
    expect((await sharp(png).metadata()).width).toBe(Math.ceil((210 * DPI) / 25.4));
    for (let k = 0; k < 4; k++) {
      const crop = await sharp(png)
        .extract({
          left: px(20 + (k % 2) * 65),
          top: px(30 + Math.floor(k / 2) * 45),
          width: px(60),
          height: px(40),
        })
        .png()
        .toBuffer();
      expect((await decodeImage(crop)).text, `label ${k + 1}`).toBe(
        `010950600013435210L45\u001d21${5001 + k}`,
      );
    }
    await page.getByLabel("From a CSV file").check();
  }, 120_000);

  it("shows a bad colour, a start past the sheet and a page too short beside their controls", async () => {
    await page.getByLabel("From a CSV file").check();
    await page.getByLabel("Human-readable text (hri)").uncheck();
    await page.getByLabel("Sheet template").selectOption("avery_l7160");
    await page.getByLabel("First label position (start_position, optional)").fill("21");
    await page.getByLabel("Light colour (light_color, optional)").fill("#12345");
    await chooseCsv("bad.csv", "gtin,serial\n09506000134352,B1\n");
    const first = await startExport();
    expect(first.response.status()).toBe(422);
    const light = page.getByLabel("Light colour (light_color, optional)");
    const start = page.getByLabel("First label position (start_position, optional)");
    // The page marks the fields once it has read the answer.
    await expect.poll(() => light.getAttribute("aria-invalid")).toBe("true");
    expect(await start.getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#labels-light-error").textContent()).toBe(
      await detailMessage(first.response, "asset_config.light_color"),
    );
    expect(await page.locator("#labels-light-error").textContent()).toContain("#12345");
    expect(await page.locator("#labels-start-error").textContent()).toBe(
      await detailMessage(first.response, "asset_config.start_position"),
    );
    expect(await page.locator("#labels-form [aria-invalid]").count()).toBe(2);
    // The message element is the control's description, so a screen reader reads it with it.
    expect(await light.getAttribute("aria-describedby")).toContain("labels-light-error");

    // A custom page given in millimetres, too short for its second row: the API names rows.
    await light.fill("");
    await start.fill("");
    await page.getByLabel("Sheet template").selectOption({ label: "Custom template…" });
    await page.getByLabel("Page size").selectOption("mm");
    await page.getByLabel("Page width (mm)").fill("100");
    await page.getByLabel("Page height (mm)").fill("50");
    for (const [label, v] of [
      ["Columns", "1"],
      ["Rows", "2"],
      ["Label width (label_width_mm)", "40"],
      ["Label height (label_height_mm)", "30"],
      ["Left margin (margin_left_mm)", "5"],
      ["Top margin (margin_top_mm)", "5"],
      ["Horizontal pitch (pitch_x_mm)", "40"],
      ["Vertical pitch (pitch_y_mm)", "30"],
    ]) {
      await page.getByLabel(label).fill(v);
    }
    expect(await page.locator("#labels-sheet").getAttribute("viewBox")).toBe("0 0 100 50");
    const second = await startExport();
    expect(second.response.status()).toBe(422);
    expect(JSON.parse(await formPart("request")).asset_config.sheet_template).toEqual({
      page_size: [100, 50],
      columns: 1,
      rows: 2,
      label_width_mm: 40,
      label_height_mm: 30,
      margin_left_mm: 5,
      margin_top_mm: 5,
      pitch_x_mm: 40,
      pitch_y_mm: 30,
    });
    const rows = await detailMessage(second.response, "asset_config.sheet_template.rows");
    expect(rows).toMatch(/bottom edge is at 65 mm/);
    await expect.poll(() => page.locator("#labels-rows-error").textContent()).toBe(rows);
    expect(
      await page.locator("#labels-form [aria-invalid]").evaluateAll((es) => es.map((e) => e.id)),
    ).toEqual(["labels-rows"]);

    // The CSV preview carries the custom template too (asset_config as JSON in its query).
    await page.getByLabel("Rows").fill("1");
    const previewed = page.waitForRequest((r) => r.url().includes("/labels/csv-preview/"));
    await page.getByLabel("CSV file", { exact: true }).setInputFiles({
      name: "good.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("gtin,serial\n09506000134352,G1\n"),
    });
    const query = new URL((await previewed).url()).searchParams;
    expect(JSON.parse(query.get("asset_config") as string).sheet_template).toMatchObject({
      page_size: [100, 50],
      rows: 1,
    });
    await expect
      .poll(() => page.locator("#csv-preview-status").textContent())
      .toBe("First 1 rows: all valid.");
    expect(await page.locator("#labels-form [aria-invalid]").count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it("posts the other rendering options and on_invalid; the ZIP follows each of them", async () => {
    await page.getByLabel("Export type").selectOption("datamatrix");
    await page.getByLabel("File format").selectOption("png");
    await page.getByLabel("From a CSV file").check();
    await page.getByLabel("Human-readable text (hri)").uncheck();
    for (const label of ["Module size", "Dark colour", "Light colour"]) {
      await page.getByLabel(label).fill("");
    }
    await page.getByText("More options").click();
    await page.getByLabel("Shape (shape)").selectOption("rectangle");
    await page.getByLabel("Quiet zone (quiet_zone)").fill("3");
    await page.getByLabel("PNG resolution (dpi)").fill("600");
    await page.getByLabel("Data format (data_format)").selectOption("digital_link");
    await page.getByLabel("Digital Link base URL (dl_base_url)").fill("https://example.com");
    // No index first: the API refuses the pattern, beside its field.
    await page.getByLabel("File names in the ZIP (filename_pattern)").fill("{serial}.{ext}");
    await page.getByLabel("Invalid items (on_invalid)").selectOption("skip");
    // Closed again: the refusal below must open it to show its message.
    await page.getByText("More options").click();
    const csv = "gtin,serial\n09506000134352,R1\n09506000134352,bad~serial\n";
    await chooseCsv("more.csv", csv);
    const refused = await startExport();
    expect(refused.response.status()).toBe(422);
    const pattern = page.getByLabel("File names in the ZIP (filename_pattern)");
    await expect.poll(() => pattern.getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#labels-more").getAttribute("open")).toBe("");
    expect(await page.locator("#labels-filename-error").isVisible()).toBe(true);
    expect(await page.locator("#labels-filename-error").textContent()).toBe(
      await detailMessage(refused.response, "asset_config.filename_pattern"),
    );
    expect(await page.locator("#labels-form [aria-invalid]").count()).toBe(1);

    await pattern.fill("{index}-{serial}.{ext}");
    const { response } = await startExport();
    expect(response.status()).toBe(202);
    expect(JSON.parse(await formPart("request"))).toEqual({
      export_type: "datamatrix",
      file_format: "png",
      on_invalid: "skip",
      asset_config: {
        shape: "rectangle",
        quiet_zone: 3,
        dpi: 600,
        data_format: "digital_link",
        dl_base_url: "https://example.com",
        filename_pattern: "{index}-{serial}.{ext}",
      },
    });
    const dir = mkdtempSync(join(tmpdir(), "labels-page-zip-"));
    dirs.push(dir);
    writeFileSync(join(dir, "a.zip"), await downloadJob(response));
    execFileSync("unzip", ["-tq", "a.zip"], { cwd: dir });
    execFileSync("unzip", ["-q", "a.zip", "-d", "out"], { cwd: dir });
    expect(readdirSync(join(dir, "out")).sort()).toEqual([
      "1-R1.png",
      "errors.csv",
      "manifest.csv",
    ]);
    expect(readFileSync(join(dir, "out", "errors.csv"), "utf8")).toMatch(/\n2,serial,/);
    const png = readFileSync(join(dir, "out", "1-R1.png"));
    const meta = await sharp(png).metadata();
    expect(meta.density).toBe(600);
    // A rectangle with equal margins on all sides is wider than it is tall.
    expect(meta.width).toBeGreaterThan(meta.height as number);
    const decoded = await decodeImage(png);
    expect(decoded.symbologyIdentifier).toBe("]d1");
    expect(decoded.text).toBe("https://example.com/01/09506000134352/21/R1");
    expect(pageErrors).toEqual([]);
  }, 90_000);
  it("posts a qr_codes job with its own options only; the QR codes decode", async () => {
    // Left from the test before: shape (DataMatrix only) stays set but hidden, and is not sent.
    await openMore();
    // "Quiet zone" alone also names codes_combined's QR quiet zone and 1D quiet zone.
    for (const label of [
      "Quiet zone (quiet_zone)",
      "PNG resolution",
      "Digital Link base URL",
      "File names",
    ]) {
      await page.getByLabel(label).fill("");
    }
    await page.getByLabel("Data format (data_format)").selectOption("");
    await page.getByLabel("Invalid items (on_invalid)").selectOption("");
    await page.getByLabel("Export type").selectOption("qr_codes");
    expect(await page.getByLabel("Shape (shape)").inputValue()).toBe("rectangle");
    expect(await page.getByLabel("Shape (shape)").isVisible()).toBe(false);
    expect(await page.getByLabel("Barcode type (barcode_type)").isVisible()).toBe(false);
    expect(await page.locator("#labels-format option:not([disabled])").allTextContents()).toEqual([
      "svg",
      "png",
      "pdf",
    ]);
    await page.getByLabel("File format").selectOption("png");
    await page.getByLabel("QR size (size)").fill("300");
    await page.getByLabel("Error correction (error_correction)").selectOption("H");
    await chooseCsv("qr.csv", "gtin,serial\n09506000134352,Q1\n09506000134352,Q2\n");
    const { response } = await startExport();
    expect(response.status()).toBe(202);
    expect(JSON.parse(await formPart("request"))).toEqual({
      export_type: "qr_codes",
      file_format: "png",
      asset_config: { size: 300, error_correction: "H" },
    });
    const dir = mkdtempSync(join(tmpdir(), "labels-page-qr-"));
    dirs.push(dir);
    writeFileSync(join(dir, "a.zip"), await downloadJob(response));
    execFileSync("unzip", ["-q", "a.zip", "-d", "out"], { cwd: dir });
    const pngs = readdirSync(join(dir, "out"))
      .filter((f) => f.endsWith(".png"))
      .sort();
    expect(pngs).toHaveLength(2);
    for (const [k, name] of pngs.entries()) {
      const png = readFileSync(join(dir, "out", name));
      // size 300 is the most pixels, whole pixels a module: narrower, but by less than half
      // (the default, 400, would come out wider than 300).
      const side = (await sharp(png).metadata()).width as number;
      expect(side).toBeLessThanOrEqual(300);
      expect(side).toBeGreaterThan(150);
      const decoded = await decodeImage(png, "QRCode");
      // A GS1 QR code carries the Digital Link URI, on GS1's resolver unless told otherwise.
      expect(decoded.text).toBe(`https://id.gs1.org/01/09506000134352/21/Q${k + 1}`);
    }
  }, 90_000);

  it("posts a barcodes_1d EPS job; a bar size out of range shows beside it; the ITF-14 decodes", async () => {
    await page.getByLabel("Export type").selectOption("barcodes_1d");
    await openMore();
    // The generator's items are DataMatrix ones, which barcodes_1d refuses.
    expect(await page.getByLabel("From the serial generator").isDisabled()).toBe(true);
    expect(await page.getByLabel("Module size (xdim_mm, optional)").isVisible()).toBe(false);
    await page.getByLabel("File format").selectOption("eps");
    await page.getByLabel("Barcode type (barcode_type)").selectOption("itf14");
    await page.getByLabel("Bar module width, mm (module_width)").fill("5");
    await page.getByLabel("Bar height, mm (module_height)").fill("20");
    await page.getByLabel("Text under the bars (write_text)").selectOption("false");
    await chooseCsv("itf.csv", "gtin\n15400141288763\n");
    const refused = await startExport();
    expect(refused.response.status()).toBe(422);
    const width = page.getByLabel("Bar module width, mm (module_width)");
    await expect.poll(() => width.getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#labels-module-width-error").textContent()).toBe(
      await detailMessage(refused.response, "asset_config.module_width"),
    );

    await width.fill("");
    const { response } = await startExport();
    expect(response.status()).toBe(202);
    expect(JSON.parse(await formPart("request"))).toEqual({
      export_type: "barcodes_1d",
      file_format: "eps",
      asset_config: { barcode_type: "itf14", module_height: 20, write_text: false },
    });
    const dir = mkdtempSync(join(tmpdir(), "labels-page-1d-"));
    dirs.push(dir);
    writeFileSync(join(dir, "a.zip"), await downloadJob(response));
    execFileSync("unzip", ["-q", "a.zip", "-d", "out"], { cwd: dir });
    const eps = readdirSync(join(dir, "out")).filter((f) => f.endsWith(".eps"));
    expect(eps).toHaveLength(1);
    const decoded = await decodeLinearImage(
      rasteriseEps(readFileSync(join(dir, "out", eps[0])), 300),
      "HRI",
    );
    expect(decoded.symbologyIdentifier).toBe("]I1");
    expect(decoded.text).toBe("15400141288763");
    expect(pageErrors).toEqual([]);
  }, 90_000);
  it("posts random serials with expiry, length, alphabet and prefix; the range fields stay out", async () => {
    await page.getByLabel("Export type").selectOption("datamatrix");
    await page.getByLabel("File format").selectOption("png");
    await page.getByLabel("Human-readable text (hri)").uncheck();
    await openMore();
    await page.getByLabel("Shape (shape)").selectOption("");
    await page.getByLabel("From the serial generator").check();
    await page.getByLabel("GTIN").fill("09506000134352");
    await page.getByLabel("Lot (optional)").fill("");
    await page.getByLabel("Expiry, YYMMDD (optional)").fill("271231");
    await page.getByLabel("Serials", { exact: true }).selectOption("random");
    // The range fields keep what an earlier test typed, hidden, and are not sent.
    expect(await page.getByLabel("First number (range)").isVisible()).toBe(false);
    await page.getByLabel("How many").fill("3");
    await page.getByLabel("Characters after the prefix (random, optional)").fill("8");
    await page.getByLabel("Alphabet (random)").selectOption("alphanumeric");
    await page.getByLabel("Prefix (optional)").fill("R");
    const { request, response } = await startExport();
    expect(response.status()).toBe(202);
    expect(request.postDataJSON()).toEqual({
      export_type: "datamatrix",
      file_format: "png",
      serials: {
        gtin: "09506000134352",
        mode: "random",
        expiry: "271231",
        count: 3,
        length: 8,
        alphabet: "alphanumeric",
        prefix: "R",
      },
    });
    const dir = mkdtempSync(join(tmpdir(), "labels-page-random-"));
    dirs.push(dir);
    writeFileSync(join(dir, "a.zip"), await downloadJob(response));
    execFileSync("unzip", ["-q", "a.zip", "-d", "out"], { cwd: dir });
    const pngs = readdirSync(join(dir, "out")).filter((f) => f.endsWith(".png"));
    expect(pngs).toHaveLength(3);
    const texts = new Set<string>();
    for (const name of pngs) {
      const { text } = await decodeImage(readFileSync(join(dir, "out", name)));
      // (01), (17) 271231, then (21): the prefix and 8 of the 32 letters and digits (no I, O).
      expect(text).toMatch(/^01095060001343521727123121R[0-9A-HJ-NP-Z]{8}$/);
      texts.add(text);
    }
    expect(texts.size).toBe(3);
    await page.getByLabel("Serials", { exact: true }).selectOption("range");
    await page.getByLabel("From a CSV file").check();
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it("posts a codes_combined job with both symbols' options and two quiet zones; QR and 1D decode", async () => {
    await page.getByLabel("Export type").selectOption("codes_combined");
    await openMore();
    // The API takes the generator for codes_combined (the serial is in the QR).
    expect(await page.getByLabel("From the serial generator").isDisabled()).toBe(false);
    expect(
      await page
        .locator("#labels-format option:not([disabled])")
        .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)),
    ).toEqual(["svg", "png", "pdf", "eps"]);
    const visible = async (label: string) => page.getByLabel(label, { exact: true }).isVisible();
    for (const label of [
      "QR size (size)",
      "Error correction (error_correction)",
      "Barcode type (barcode_type)",
      "Bar module width, mm (module_width)",
      "QR quiet zone, modules (qr_quiet_zone)",
      "1D quiet zone, mm (barcode_quiet_zone)",
      "PNG resolution (dpi)",
    ]) {
      expect(await visible(label), label).toBe(true);
    }
    // Refused by the API for this type: plain quiet_zone ("ambiguous"), shape, check_character.
    for (const label of ["Quiet zone (quiet_zone)", "Shape (shape)"]) {
      expect(await visible(label), label).toBe(false);
    }
    expect(await page.locator("#labels-check-character").isVisible()).toBe(false);
    expect(
      await page
        .locator("#labels-barcode-type option[disabled]")
        .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)),
    ).toEqual(["code128", "code39"]);

    // Left from the qr_codes and barcodes_1d tests, shown again for this type: set anew.
    await page.getByLabel("QR size (size)").fill("");
    await page.getByLabel("Error correction (error_correction)").selectOption("");
    await page.getByLabel("File format").selectOption("png");
    await page.getByLabel("Barcode type (barcode_type)").selectOption("ean13");
    await page.getByLabel("Bar height, mm (module_height)").fill("15");
    await page.getByLabel("Text under the bars (write_text)").selectOption("false");
    await page.getByLabel("PNG resolution (dpi)").fill("300");
    await page.getByLabel("QR quiet zone, modules (qr_quiet_zone)").fill("2");
    await chooseCsv("both.csv", "gtin,serial,lot\n09506000134352,CS1,L7\n5901234123457,CS2,L7\n");
    // The preview checks the rows with this job's options, so it comes before the bad ones.
    expect(await page.locator("#csv-preview-status").textContent()).toBe(
      "First 2 rows: all valid.",
    );
    // Both out of the 1D endpoint's ranges (module_width 0.1-2 mm, quiet zone 0-20 mm).
    const moduleWidth = page.getByLabel("Bar module width, mm (module_width)");
    const barcodeQuiet = page.getByLabel("1D quiet zone, mm (barcode_quiet_zone)");
    await moduleWidth.fill("5");
    await barcodeQuiet.fill("25");
    const refused = await startExport();
    expect(refused.response.status()).toBe(422);
    await expect.poll(() => moduleWidth.getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#labels-module-width-error").textContent()).toBe(
      await detailMessage(refused.response, "asset_config.module_width"),
    );
    // The 1D endpoint's quiet_zone problem, under the name this type gives it.
    expect(await barcodeQuiet.getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#labels-barcode-quiet-zone-error").textContent()).toBe(
      await detailMessage(refused.response, "asset_config.barcode_quiet_zone"),
    );
    expect(
      await page.locator("#labels-form [aria-invalid]").evaluateAll((es) => es.map((e) => e.id)),
    ).toEqual(["labels-module-width", "labels-barcode-quiet-zone"]);

    // 0.254 mm is 3 dots at 300 dpi: whole dots, so the PNG's bars are as wide as asked.
    await moduleWidth.fill("0.254");
    await barcodeQuiet.fill("8");
    const { response } = await startExport();
    expect(response.status()).toBe(202);
    expect(JSON.parse(await formPart("request"))).toEqual({
      export_type: "codes_combined",
      file_format: "png",
      asset_config: {
        dpi: 300,
        barcode_type: "ean13",
        module_width: 0.254,
        module_height: 15,
        write_text: false,
        qr_quiet_zone: 2,
        barcode_quiet_zone: 8,
      },
    });
    const dir = mkdtempSync(join(tmpdir(), "labels-page-combined-"));
    dirs.push(dir);
    writeFileSync(join(dir, "a.zip"), await downloadJob(response));
    // Item by item, its QR then its 1D barcode, named by the default pattern with -qr and -1d.
    const names = execFileSync("unzip", ["-Z1", "a.zip"], { cwd: dir, encoding: "utf8" });
    expect(names.trim().split("\n")).toEqual([
      "1-09506000134352-CS1-qr.png",
      "1-09506000134352-CS1-1d.png",
      "2-5901234123457-CS2-qr.png",
      "2-5901234123457-CS2-1d.png",
      "manifest.csv",
    ]);
    execFileSync("unzip", ["-q", "a.zip", "-d", "out"], { cwd: dir });
    const entry = (name: string) => readFileSync(join(dir, "out", name));
    // GS1 Digital Link 1.4: the GTIN as 14 digits, then lot (10) before serial (21) in the path.
    // EAN-13 (]E0) of a GTIN-14 drops its leading zero.
    for (const [stem, uri, ean] of [
      [
        "1-09506000134352-CS1",
        "https://id.gs1.org/01/09506000134352/10/L7/21/CS1",
        "9506000134352",
      ],
      ["2-5901234123457-CS2", "https://id.gs1.org/01/05901234123457/10/L7/21/CS2", "5901234123457"],
    ]) {
      const qrPng = entry(`${stem}-qr.png`);
      const qr = await decodeImage(qrPng, "QRCode");
      expect([qr.symbologyIdentifier, qr.text], stem).toEqual(["]Q1", uri]);
      // qr_quiet_zone 2: the top-left finder pattern (7 modules of dark across its top row)
      // begins 2 modules in from the edge.
      const { left, run } = await firstDarkRun(qrPng);
      expect(left / (run / 7), stem).toBe(2);
      const barPng = entry(`${stem}-1d.png`);
      const bar = await decodeLinearImage(barPng);
      expect([bar.symbologyIdentifier, bar.text], stem).toEqual(["]E0", ean]);
      // EAN-13's start guard begins with a one-module bar: 3 dots. Before it, barcode_quiet_zone
      // 8 mm (no text: write_text false), in whole modules: at least 8 mm, less than a module
      // more (EAN-13's own least left quiet zone, 11 modules, is less: 2.8 mm here).
      const bars = await firstDarkRun(barPng);
      expect(bars.run, stem).toBe(3);
      const asked = (8 * 300) / 25.4;
      expect(bars.left, stem).toBeGreaterThanOrEqual(asked);
      expect(bars.left, stem).toBeLessThan(asked + 3);
    }
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it("generates serials for codes_combined; its QR and its GS1-128 carry the same serial", async () => {
    // The options of the test before stay set and are posted again, written out below.
    await page.getByLabel("File format").selectOption("svg");
    await page.getByLabel("Barcode type (barcode_type)").selectOption("gs1_128");
    await page.getByLabel("From the serial generator").check();
    await page.getByLabel("GTIN").fill("09506000134352");
    await page.getByLabel("Lot (optional)").fill("");
    await page.getByLabel("Expiry, YYMMDD (optional)").fill("271231");
    await page.getByLabel("Serials", { exact: true }).selectOption("random");
    await page.getByLabel("How many").fill("2");
    await page.getByLabel("Characters after the prefix (random, optional)").fill("6");
    await page.getByLabel("Alphabet (random)").selectOption("digits");
    await page.getByLabel("Prefix (optional)").fill("CC");
    const { request, response } = await startExport();
    expect(response.status()).toBe(202);
    expect(request.postDataJSON()).toEqual({
      export_type: "codes_combined",
      file_format: "svg",
      asset_config: {
        dpi: 300,
        barcode_type: "gs1_128",
        module_width: 0.254,
        module_height: 15,
        write_text: false,
        qr_quiet_zone: 2,
        barcode_quiet_zone: 8,
      },
      serials: {
        gtin: "09506000134352",
        mode: "random",
        expiry: "271231",
        count: 2,
        length: 6,
        alphabet: "digits",
        prefix: "CC",
      },
    });
    const dir = mkdtempSync(join(tmpdir(), "labels-page-combined-serials-"));
    dirs.push(dir);
    writeFileSync(join(dir, "a.zip"), await downloadJob(response));
    const names = execFileSync("unzip", ["-Z1", "a.zip"], { cwd: dir, encoding: "utf8" })
      .trim()
      .split("\n");
    expect(names).toHaveLength(5);
    execFileSync("unzip", ["-q", "a.zip", "-d", "out"], { cwd: dir });
    const raster = (name: string) =>
      rasteriseSvg(readFileSync(join(dir, "out", name)), [
        "--dpi-x",
        "300",
        "--dpi-y",
        "300",
        "--background-color",
        "white",
      ]);
    const serials = new Set<string>();
    for (const k of [0, 1]) {
      const [qrName, barName] = [names[2 * k], names[2 * k + 1]];
      expect(qrName).toMatch(/-qr\.svg$/);
      expect(barName).toMatch(/-1d\.svg$/);
      const qr = await decodeImage(raster(qrName), "QRCode");
      // Digital Link: the serial in the path, the expiry (17) as a query.
      const uri = /^https:\/\/id\.gs1\.org\/01\/09506000134352\/21\/(CC\d{6})\?17=271231$/.exec(
        qr.text,
      );
      expect(uri, qr.text).not.toBeNull();
      const serial = (uri as RegExpExecArray)[1];
      serials.add(serial);
      const bar = await decodeLinearImage(raster(barName), "HRI");
      expect([bar.symbologyIdentifier, bar.text]).toEqual([
        "]C1",
        `(01)09506000134352(17)271231(21)${serial}`,
      ]);
    }
    expect(serials.size).toBe(2);
    await page.getByLabel("Serials", { exact: true }).selectOption("range");
    await page.getByLabel("From a CSV file").check();
    await page.getByLabel("QR quiet zone, modules (qr_quiet_zone)").fill("");
    await page.getByLabel("1D quiet zone, mm (barcode_quiet_zone)").fill("");
    expect(pageErrors).toEqual([]);
  }, 90_000);
});

/** In the first image row holding a dark pixel: where the first dark run begins, and its length. */
async function firstDarkRun(png: Uint8Array): Promise<{ left: number; run: number }> {
  const { data, info } = await sharp(png)
    .flatten({ background: "#ffffff" })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  for (let y = 0; y < info.height; y++) {
    const row = data.subarray(y * info.width, (y + 1) * info.width);
    const left = row.findIndex((v) => v < 128);
    if (left < 0) continue;
    let end = left;
    while (end < info.width && row[end] < 128) end++;
    return { left, run: end - left };
  }
  throw new Error("no dark pixel");
}
