// Label sheets (issue 21, proofs) over real HTTP against the server process: label_text from a
// CSV column printed on its own item's label, and a 500-page L7160 job whose sampled pages decode
// label by label in item order. The truth is outside our code: the cells are glabels' L7160
// numbers (helpers/sheet-cells.ts), the text is what poppler's pdftotext extracts with its
// bounding boxes, the symbols are what zxing-wasm decodes from poppler's rasters, and the file
// is what qpdf accepts.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeImage } from "../helpers/decode.js";
import { call, EXPORT, finished, poll, range, submit } from "../helpers/labels-api.js";
import { createKeyWithCli, type ServerProcess, startServerProcess } from "../helpers/processes.js";
import { cropL7160Cell, L7160_PER_SHEET, l7160Cell } from "../helpers/sheet-cells.js";

const GTIN = "09506000134352";
const DPI = 300;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** Page `page` (from 1) of the PDF at `path` as a PNG at DPI, by poppler. */
function rasterise(path: string, page: number): Buffer {
  return execFileSync(
    "pdftoppm",
    ["-png", "-r", String(DPI), "-f", String(page), "-l", String(page), "-singlefile", path],
    { maxBuffer: 1 << 28 },
  );
}

interface Word {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Each page's words with their boxes (points, top-left origin), as `pdftotext -bbox` finds them. */
function wordsByPage(path: string): Word[][] {
  const html = execFileSync("pdftotext", ["-bbox", path, "-"], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  return html
    .split("<page ")
    .slice(1)
    .map((page) =>
      [
        ...page.matchAll(
          /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
        ),
      ].map((m) => ({
        xMin: Number(m[1]),
        yMin: Number(m[2]),
        xMax: Number(m[3]),
        yMax: Number(m[4]),
        text: m[5].replaceAll("&amp;", "&").replaceAll("&lt;", "<").replaceAll("&gt;", ">"),
      })),
    );
}

/** The L7160 cell (0 to 20) wholly holding `w`, or -1. */
function cellOf(w: Word): number {
  for (let cell = 0; cell < L7160_PER_SHEET; cell++) {
    const b = l7160Cell(cell);
    if (w.xMin >= b.x && w.xMax <= b.x + b.w && w.yMin >= b.y && w.yMax <= b.y + b.h) return cell;
  }
  return -1;
}

describe("label sheets: proofs (issue 21)", () => {
  let server: ServerProcess;
  let key = "";
  beforeAll(async () => {
    const dir = tempDir("labels-sheets-proof-");
    const env = { DATA_DIR: dir, WORKERS: "1", LABELS_THREADS: "2" };
    server = await startServerProcess(env);
    ({ key } = await createKeyWithCli(env, "--per-minute", "100000", "--per-day", "1000000"));
  }, 120_000);
  afterAll(async () => {
    server.proc.kill("SIGTERM");
    await server.exited;
  });

  async function downloadPdf(job: Record<string, unknown>, dir: string): Promise<string> {
    expect(job.status, JSON.stringify(job.error)).toBe("completed");
    const res = await fetch(job.download_url as string);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const path = join(dir, "sheet.pdf");
    writeFileSync(path, Buffer.from(await res.arrayBuffer()));
    // qpdf exits non-zero on errors and on warnings alike.
    expect(execFileSync("qpdf", ["--check", path], { encoding: "utf8" })).toContain(
      "No syntax or stream encoding errors",
    );
    return path;
  }

  it("prints a CSV's label_text column on its own item's label, line under line", async () => {
    // 30 rows on L7160 (21 a sheet): two pages. Every third row has no label_text; the others
    // have two lines (a quoted cell with a line break) of words found nowhere else.
    const rows = Array.from({ length: 30 }, (_, i) => {
      const n = i + 1;
      const serial = `CSV${String(n).padStart(3, "0")}`;
      const lines = n % 3 === 0 ? [] : [`Pack-${n}-of-30 Paracetamol`, `Batch-QX${n}`];
      return { serial, lines };
    });
    const csv =
      "gtin,serial,label_text\r\n" +
      rows.map((r) => `${GTIN},${r.serial},"${r.lines.join("\n")}"`).join("\r\n") +
      "\r\n";
    const res = await call(
      server.url,
      key,
      `${EXPORT}?export_type=sheet_pdf&file_format=pdf&sheet_template=avery_l7160`,
      { method: "POST", body: csv, headers: { "Content-Type": "text/csv" } },
    );
    const body = (await res.json()) as Record<string, unknown>;
    expect(res.status, JSON.stringify(body)).toBe(202);
    const done = await poll(server.url, key, body.job_id as string, finished);
    const dir = tempDir("labels-sheets-proof-csv-");
    const path = await downloadPdf(done, dir);

    const pages = wordsByPage(path);
    expect(pages).toHaveLength(2);
    for (let p = 0; p < pages.length; p++) {
      // Every word on the page lies wholly inside one cell, and that cell's item wrote it.
      for (const w of pages[p]) {
        const cell = cellOf(w);
        expect(cell, `word ${JSON.stringify(w.text)} on page ${p + 1} is in no cell`).not.toBe(-1);
        const item = rows[p * L7160_PER_SHEET + cell];
        expect(item, `word ${JSON.stringify(w.text)} in an empty cell`).toBeDefined();
        expect(item.lines.join(" ").split(" "), `page ${p + 1} cell ${cell}`).toContain(w.text);
      }
    }
    for (let i = 0; i < rows.length; i++) {
      const page = Math.floor(i / L7160_PER_SHEET);
      const cell = i % L7160_PER_SHEET;
      const here = pages[page].filter((w) => cellOf(w) === cell);
      // Words of one line share a baseline: sorted by their top, then left to right.
      here.sort((a, b) => a.yMin - b.yMin || a.xMin - b.xMin);
      expect(
        here.map((w) => w.text),
        `row ${i + 1}`,
      ).toEqual(rows[i].lines.join(" ").split(" ").filter(Boolean));
      if (rows[i].lines.length > 0) {
        // pdftotext's boxes are the font's bounding box, taller than a line, so they overlap
        // between lines; their tops are a line apart. Lines of the 8 pt text closer than 8 pt
        // would overprint each other.
        const second = here.find((w) => w.text === rows[i].lines[1]) as Word;
        expect(second.yMin - here[0].yMin, `row ${i + 1}: line 2 under line 1`).toBeGreaterThan(8);
      }
    }
    // The symbol in the same cell is that row's: text and symbol belong to one label.
    for (const page of [1, 2]) {
      const png = rasterise(path, page);
      const first = (page - 1) * L7160_PER_SHEET;
      for (let cell = 0; cell < Math.min(L7160_PER_SHEET, rows.length - first); cell++) {
        const decoded = await decodeImage(await cropL7160Cell(png, cell, DPI));
        expect(decoded.text, `page ${page} cell ${cell}`).toBe(
          `01${GTIN}21${rows[first + cell].serial}`,
        );
      }
    }
  }, 120_000);

  it("prints 10,500 labels on 500 L7160 pages; sampled pages decode at their cells in item order", async () => {
    const items = 500 * L7160_PER_SHEET;
    const t0 = performance.now();
    const { status, body } = await submit(server.url, key, {
      ...range(1, items),
      export_type: "sheet_pdf",
      file_format: "pdf",
      asset_config: { sheet_template: "avery_l7160" },
    });
    expect(status, JSON.stringify(body)).toBe(202);
    const done = await poll(server.url, key, body.job_id as string, finished);
    const dir = tempDir("labels-sheets-proof-500-");
    const path = await downloadPdf(done, dir);
    const rendered = performance.now() - t0;
    expect(execFileSync("qpdf", ["--show-npages", path], { encoding: "utf8" }).trim()).toBe("500");
    // First, second (the first page break), middle, next to last and last.
    for (const page of [1, 2, 250, 499, 500]) {
      const png = rasterise(path, page);
      for (let cell = 0; cell < L7160_PER_SHEET; cell++) {
        const n = (page - 1) * L7160_PER_SHEET + cell + 1;
        const decoded = await decodeImage(await cropL7160Cell(png, cell, DPI));
        // range(): lot L7 (variable length, so GS follows it), serial SN + 6 digits.
        expect(decoded.text, `page ${page} cell ${cell}`).toBe(
          `01${GTIN}10L7\x1d21SN${String(n).padStart(6, "0")}`,
        );
      }
    }
    console.log(
      `500-page job: rendered and downloaded in ${(rendered / 1000).toFixed(1)} s, ` +
        `checked in ${((performance.now() - t0 - rendered) / 1000).toFixed(1)} s`,
    );
  }, 120_000);
});
