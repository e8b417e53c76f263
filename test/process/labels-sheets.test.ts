// Label sheets over real HTTP against the server process as `npm start` runs it (SQLite, the
// embedded queue, two render threads): a 2-page Avery L7160 job whose PDF qpdf checks clean and
// whose every label, rendered by poppler (pdftoppm -r 300) and cut out at its cell — the cell
// computed from glabels' L7160 numbers, not from our template table — decodes with zxing-wasm to
// its item, in item order; the refusals of a symbol too large for its cells and of a bad custom
// template; the template listing; and a job killed (SIGKILL) past a checkpoint resuming to the
// same PDF bytes as an uninterrupted run.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeImage } from "../helpers/decode.js";
import { call, finished, poll, range, submit } from "../helpers/labels-api.js";
import { createKeyWithCli, type ServerProcess, startServerProcess } from "../helpers/processes.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// glabels-qt templates/avery-iso-templates.xml, part="7160" (points): label 181.4 × 108.0,
// nx=3 ny=7, x0=21.2 y0=43.9, dx=187.2 dy=108.0.
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

describe("label sheets (sheet_pdf)", () => {
  let server: ServerProcess;
  let key = "";
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "labels-sheets-"));
    dirs.push(dir);
    const env = { DATA_DIR: dir, WORKERS: "1", LABELS_THREADS: "2" };
    server = await startServerProcess(env);
    ({ key } = await createKeyWithCli(env));
  }, 120_000);
  afterAll(async () => {
    server.proc.kill("SIGTERM");
    await server.exited;
  });

  it("prints a 2-page L7160 job whose every label decodes at its cell, in item order", async () => {
    const start = 2;
    const items = Array.from({ length: 40 }, (_, k) => ({
      gtin: "09506000134352",
      serial: `SN${String(k + 1).padStart(4, "0")}`,
      ...(k % 3 === 0 ? { label_text: ["Paracetamol 500 mg", `Pack ${k + 1}`] } : {}),
    }));
    const { status, body } = await submit(server.url, key, {
      export_type: "sheet_pdf",
      file_format: "pdf",
      asset_config: {
        sheet_template: "avery_l7160",
        start_position: start,
        proof: true,
        hri: true,
        xdim_mm: 0.5,
      },
      items,
    });
    expect(status, JSON.stringify(body)).toBe(202);
    const done = await poll(server.url, key, body.job_id as string, finished);
    expect(done.status, JSON.stringify(done.error)).toBe("completed");
    expect(done.output_filename).toBe(`sheet_pdf-${body.job_id}.pdf`);

    const res = await fetch(done.download_url as string);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    // RFC 6266: the name is a token, so Express sends it unquoted.
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename=sheet_pdf-${body.job_id}.pdf`,
    );
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.length).toBe(done.file_size_bytes);
    const dir = mkdtempSync(join(tmpdir(), "labels-sheets-pdf-"));
    dirs.push(dir);
    writeFileSync(join(dir, "sheet.pdf"), pdf);
    expect(
      execFileSync("qpdf", ["--check", "sheet.pdf"], { cwd: dir, encoding: "utf8" }),
    ).toContain("No syntax or stream encoding errors");
    execFileSync("pdftoppm", ["-r", String(DPI), "-png", "sheet.pdf", "page"], { cwd: dir });
    const pages = readdirSync(dir)
      .filter((f) => f.startsWith("page"))
      .sort();
    expect(pages).toHaveLength(2);

    for (let k = 0; k < items.length; k++) {
      const cell = k + start;
      const page = Math.floor(cell / 21);
      const col = (cell % 21) % 3;
      const row = Math.floor((cell % 21) / 3);
      const px = (mm: number) => Math.round((mm * DPI) / 25.4);
      const left = px(L7160.x0 + col * L7160.dx);
      const top = px(L7160.y0 + row * L7160.dy);
      const crop = await sharp(join(dir, pages[page]))
        .extract({ left, top, width: px(L7160.w), height: px(L7160.h) })
        .png()
        .toBuffer();
      const decoded = await decodeImage(crop);
      expect(decoded.symbologyIdentifier).toBe("]d2");
      expect(decoded.text, `item ${k + 1} at page ${page + 1} cell ${cell % 21}`).toBe(
        `010950600013435221${items[k].serial}`,
      );
    }
    // The cells skipped by start_position hold no symbol.
    const blank = await sharp(join(dir, pages[0]))
      .extract({
        left: Math.round((L7160.x0 * DPI) / 25.4),
        top: Math.round((L7160.y0 * DPI) / 25.4),
        width: Math.round((L7160.w * DPI) / 25.4),
        height: Math.round((L7160.h * DPI) / 25.4),
      })
      .png()
      .toBuffer();
    await expect(decodeImage(blank)).rejects.toThrow();
    // Deleting the finished job deletes its PDF: the link answers 410.
    const del = await call(server.url, key, `/products/api/v1/labels/export/${body.job_id}/`, {
      method: "DELETE",
    });
    expect(del.status).toBe(204);
    expect((await fetch(done.download_url as string)).status).toBe(410);
  }, 120_000);

  it("refuses a symbol larger than the template's cells, naming template, size and cell", async () => {
    // L8658 cells are 25.4 × 10 mm; the smallest symbol (10 × 10 modules and 2 quiet-zone
    // modules a side) at 0.99 mm is 13.86 mm square.
    const { status, body } = await submit(server.url, key, {
      export_type: "sheet_pdf",
      asset_config: { sheet_template: "avery_l8658", xdim_mm: 0.99 },
      items: [{ gtin: "09506000134352", serial: "A1" }],
    });
    expect(status).toBe(422);
    const text = JSON.stringify(body);
    expect(text).toContain("xdim_mm");
    expect(text).toContain("avery_l8658");
    expect(text).toContain("13.86 × 13.86 mm");
    expect(text).toContain("25.4 × 10 mm cell");
  });

  it("fails an item whose symbol outgrows the cell, naming its row", async () => {
    // L8658 cells are 25.4 × 10 mm: the smallest symbol at 0.5 mm (14 × 14 modules = 7 mm) fits,
    // a long serial's larger symbol does not.
    const { status, body } = await submit(server.url, key, {
      export_type: "sheet_pdf",
      asset_config: { sheet_template: "avery_l8658", xdim_mm: 0.5 },
      items: [
        { gtin: "09506000134352", serial: "1" },
        { gtin: "09506000134352", serial: "ABCDEFGHIJKLMNOPQRST", lot: "LOT-0123456789" },
      ],
    });
    expect(status).toBe(202);
    const done = await poll(server.url, key, body.job_id as string, finished);
    expect(done.status).toBe("failed");
    const error = done.error as { items: { row: number; field: string; message: string }[] };
    expect(error.items).toHaveLength(1);
    expect(error.items[0]).toMatchObject({ row: 2, field: "asset_config.xdim_mm" });
    expect(error.items[0].message).toContain("avery_l8658");
  }, 60_000);

  it("refuses a custom template whose labels overlap or leave the page, field by field", async () => {
    const { status, body } = await submit(server.url, key, {
      export_type: "sheet_pdf",
      asset_config: {
        sheet_template: {
          page_size: "Letter",
          columns: 4,
          rows: 10,
          label_width_mm: 50,
          label_height_mm: 25,
          margin_left_mm: 10,
          margin_top_mm: 10,
          pitch_x_mm: 48,
          pitch_y_mm: 27,
        },
      },
      items: [{ gtin: "09506000134352", serial: "A1" }],
    });
    expect(status).toBe(422);
    const text = JSON.stringify(body);
    expect(text).toContain("pitch_x_mm");
    expect(text).toContain("overlap");
    // 10 + 9 × 27 + 25 = 278 mm fits Letter's 279.4; 4 columns: 10 + 3 × 48 + 50 = 204 fits too.
    expect(text).not.toContain("inside_page");
  });

  it("lists the templates in the pagination envelope", async () => {
    const res = await call(server.url, key, "/products/api/v1/labels/templates/");
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      data: Record<string, unknown>[];
      pagination: { total_count: number };
    };
    expect(body.pagination.total_count).toBe(7);
    const l7160 = body.data.find((t) => t.name === "avery_l7160");
    expect(l7160).toMatchObject({ columns: 3, rows: 7, page_width_mm: 210, page_height_mm: 297 });
    expect(l7160?.label_width_mm).toBeCloseTo(L7160.w, 3);
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(doc.paths).toHaveProperty(["/products/api/v1/labels/templates/", "get"]);
  });
});

describe("label sheets: resume and parts", () => {
  const running: ServerProcess[] = [];
  afterAll(async () => {
    for (const s of running) {
      s.proc.kill("SIGKILL");
      await s.exited;
    }
  });
  async function start(extra: Record<string, string> = {}) {
    const dir = mkdtempSync(join(tmpdir(), "labels-sheets-kill-"));
    dirs.push(dir);
    const env = {
      DATA_DIR: dir,
      WORKERS: "1",
      LABELS_THREADS: "1",
      LABELS_LEASE_MS: "2000",
      ...extra,
    };
    const server = await startServerProcess(env);
    running.push(server);
    const { key } = await createKeyWithCli(env, "--per-minute", "100000", "--per-day", "1000000");
    return { server, key, env };
  }
  async function stop(server: ServerProcess, signal: NodeJS.Signals) {
    server.proc.kill(signal);
    await server.exited;
  }

  it("resumes a sheet job after SIGKILL past a checkpoint to the same PDF bytes", async () => {
    const body = {
      ...range(1, 40_000),
      export_type: "sheet_pdf",
      asset_config: { sheet_template: "avery_l7651", start_position: 7 },
    };
    const a = await start();
    const ja = await submit(a.server.url, a.key, body);
    const doneA = await poll(a.server.url, a.key, ja.body.job_id as string, finished);
    expect(doneA.status, JSON.stringify(doneA.error)).toBe("completed");
    const pdfA = Buffer.from(await (await fetch(doneA.download_url as string)).arrayBuffer());
    await stop(a.server, "SIGTERM");

    const b = await start();
    const jb = await submit(b.server.url, b.key, body);
    const id = jb.body.job_id as string;
    const mid = await poll(b.server.url, b.key, id, (j) => (j.processed_items as number) >= 5_000);
    expect(mid.status, "killed while still running").toBe("processing");
    await stop(b.server, "SIGKILL");
    const again = await startServerProcess(b.env);
    running.push(again);
    const doneB = await poll(again.url, b.key, id, finished);
    expect(doneB.status).toBe("completed");
    expect(again.logs().some((l) => l.msg === "label job started" && l.resumed === true)).toBe(
      true,
    );
    const pdfB = Buffer.from(await (await fetch(doneB.download_url as string)).arrayBuffer());
    expect(pdfB.equals(pdfA)).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), "labels-sheets-kill-pdf-"));
    dirs.push(dir);
    writeFileSync(join(dir, "b.pdf"), pdfB);
    execFileSync("qpdf", ["--check", "b.pdf"], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
    // 7 + 40,000 cells at 65 a sheet.
    expect(
      execFileSync("qpdf", ["--show-npages", "b.pdf"], { cwd: dir, encoding: "utf8" }).trim(),
    ).toBe(String(Math.ceil(40_007 / 65)));
  }, 300_000);

  it("delivers a job longer than LABELS_PDF_MAX_PAGES as a ZIP of whole PDF parts", async () => {
    const a = await start({ LABELS_PDF_MAX_PAGES: "2" });
    // 100 labels on L7160 (21 a sheet): 5 pages, parts of 2, 2 and 1.
    const { body } = await submit(a.server.url, a.key, {
      ...range(1, 100),
      export_type: "sheet_pdf",
      asset_config: { sheet_template: "avery_l7160" },
    });
    const done = await poll(a.server.url, a.key, body.job_id as string, finished);
    expect(done.status, JSON.stringify(done.error)).toBe("completed");
    expect(done.output_filename).toBe(`sheet_pdf-${body.job_id}.zip`);
    const res = await fetch(done.download_url as string);
    expect(res.headers.get("content-type")).toBe("application/zip");
    const dir = mkdtempSync(join(tmpdir(), "labels-sheets-parts-"));
    dirs.push(dir);
    writeFileSync(join(dir, "parts.zip"), Buffer.from(await res.arrayBuffer()));
    execFileSync("unzip", ["-tq", "parts.zip"], { cwd: dir });
    execFileSync("unzip", ["-q", "parts.zip", "-d", "out"], { cwd: dir });
    const parts = readdirSync(join(dir, "out")).sort();
    expect(parts).toEqual(["part-001.pdf", "part-002.pdf", "part-003.pdf"]);
    const pages = parts.map((part) => {
      execFileSync("qpdf", ["--check", join(dir, "out", part)]);
      return execFileSync("qpdf", ["--show-npages", join(dir, "out", part)], {
        encoding: "utf8",
      }).trim();
    });
    expect(pages).toEqual(["2", "2", "1"]);
    await stop(a.server, "SIGTERM");
  }, 120_000);
});
