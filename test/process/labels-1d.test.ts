// Bulk label export of 1D barcodes (export_type "barcodes_1d") over real HTTP against the server
// process: a small job of every symbology family in SVG, EPS, PNG and PDF, each ZIP checked by
// `unzip -t`, every entry rasterised (rsvg-convert, Ghostscript, pdftoppm) and read back by zxing-wasm to
// the symbology identifier GS1 assigns and to its manifest row's data; bad items fail the job
// naming row and field, and options that are not 1D options are refused at submission.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeLinearImage } from "../helpers/decode.js";
import { type Job, poll, submit } from "../helpers/labels-api.js";
import { createKeyWithCli, type ServerProcess, startServerProcess } from "../helpers/processes.js";
import { rasteriseEps, rasterisePdf, rasteriseSvg } from "../helpers/raster.js";

const dirs: string[] = [];
let server: ServerProcess;
let key = "";

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "labels-1d-"));
  dirs.push(dir);
  const env = { DATA_DIR: dir, WORKERS: "1", LABELS_THREADS: "1" };
  server = await startServerProcess(env);
  ({ key } = await createKeyWithCli(env));
}, 120_000);

afterAll(async () => {
  server?.proc.kill("SIGTERM");
  await server?.exited;
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// Each item, the symbology identifier zxing-cpp must report (ISO/IEC 15424: ]E0 EAN-13 and
// UPC-A, ]E4 EAN-8, ]I1 ITF with its check digit, ]C1 GS1-128, ]C0 Code 128, ]A0 Code 39) and
// the data a scanner transmits, GS1 data bracketed (zxing's HRI text mode).
const ITEMS: [Record<string, unknown>, string, string, string?][] = [
  [{ gtin: "5901234123457" }, "]E0", "5901234123457"],
  [{ gtin: "96385074" }, "]E4", "96385074"],
  // A UPC-A reads back as the EAN-13 with a leading 0 (GS1: the same GTIN-12).
  [{ gtin: "036000291452" }, "]E0", "0036000291452", "036000291452"],
  [{ gtin: "15400141288763" }, "]I1", "15400141288763"],
  [{ element_string: "(01)09506000134352(10)ABC(21)12" }, "]C1", "(01)09506000134352(10)ABC(21)12"],
  // JSON puts "10" before "01": the symbol orders by AI, fixed-length AIs first.
  [
    { ais: { "10": "L1", "01": "09506000134352", "17": "270630" } },
    "]C1",
    "(01)09506000134352(17)270630(10)L1",
  ],
  [{ gtin: "09506000134352", barcode_type: "ean14" }, "]C1", "(01)09506000134352"],
  [{ gtin: "ABC-123/x", barcode_type: "code128" }, "]C0", "ABC-123/x"],
  [{ gtin: "CODE 39", barcode_type: "code39" }, "]A0", "CODE 39"],
];

function unzip(zip: Buffer): { dir: string; names: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "labels-1d-unzip-"));
  dirs.push(dir);
  writeFileSync(join(dir, "a.zip"), zip);
  execFileSync("unzip", ["-tq", "a.zip"], { cwd: dir });
  execFileSync("unzip", ["-q", "a.zip", "-d", "out"], { cwd: dir });
  return { dir: join(dir, "out"), names: readdirSync(join(dir, "out")).sort() };
}

// manifest.csv: no cell of these items holds a comma or a quote.
const rowsOf = (text: string) =>
  text
    .trim()
    .split("\r\n")
    .map((l) => l.split(","));

const finished = (j: Job) => j.status !== "pending" && j.status !== "processing";

function toPng(format: string, bytes: Buffer): Uint8Array {
  if (format === "svg") {
    return rasteriseSvg(bytes, ["--dpi-x", "300", "--dpi-y", "300", "--background-color", "white"]);
  }
  if (format === "pdf") return rasterisePdf(bytes, 300);
  return format === "eps" ? rasteriseEps(bytes, 300) : bytes;
}

describe("label export barcodes_1d", () => {
  it.each(["svg", "eps", "png", "pdf"])(
    "renders a %s ZIP whose every entry decodes to its manifest data",
    async (format) => {
      const { status, body } = await submit(server.url, key, {
        export_type: "barcodes_1d",
        file_format: format,
        asset_config: { module_height: 15, font_size: 8, dpi: 600 },
        items: ITEMS.map(([item]) => item),
      });
      expect(status, JSON.stringify(body)).toBe(202);
      const done = await poll(server.url, key, body.job_id as string, finished);
      expect(done).toMatchObject({ status: "completed", total_items: ITEMS.length, error: null });
      const zip = Buffer.from(await (await fetch(done.download_url as string)).arrayBuffer());
      const { dir, names } = unzip(zip);
      expect(names).toHaveLength(ITEMS.length + 1);
      const manifest = rowsOf(readFileSync(join(dir, "manifest.csv"), "utf8"));
      expect(manifest[0]).toEqual(["index", "file_name", "data", "hri", "symbol_size", "sha256"]);
      expect(manifest).toHaveLength(ITEMS.length + 1);
      for (const [k, row] of manifest.slice(1).entries()) {
        const [, id, transmitted, data = transmitted] = ITEMS[k];
        expect(row[1].endsWith(`.${format}`)).toBe(true);
        const decoded = await decodeLinearImage(
          toPng(format, readFileSync(join(dir, row[1]))),
          "HRI",
        );
        expect(decoded.symbologyIdentifier, row[1]).toBe(id);
        expect(decoded.text, row[1]).toBe(transmitted);
        // The manifest's data is what the symbol carries (UPC-A: its own 12 digits).
        expect(row[2]).toBe(data);
        expect(row[4].split(" ")[0]).toBe(
          ["ean13", "ean8", "upca", "itf14", "gs1_128", "gs1_128", "ean14", "code128", "code39"][k],
        );
      }
    },
    120_000,
  );

  it("fails a job with bad items, naming each row and field, and renders nothing", async () => {
    const { status, body } = await submit(server.url, key, {
      export_type: "barcodes_1d",
      items: [
        { gtin: "5901234123457" },
        { gtin: "5901234123458" },
        { gtin: "09506000134352", lot: "L1" },
        { gtin: "ABC", barcode_type: "ean8" },
      ],
    });
    expect(status).toBe(202);
    const done = await poll(server.url, key, body.job_id as string, finished);
    expect(done.status).toBe("failed");
    const error = done.error as { items: { row: number; field: string; message: string }[] };
    expect(error.items.map((e) => [e.row, e.field])).toEqual([
      [2, "gtin"],
      [3, "lot"],
      [4, "gtin"],
    ]);
    expect(error.items[0].message).toContain("7");
    expect(done.download_url).toBeNull();
  });

  it("refuses options that are not the 1D endpoint's, bad values and serials at submission", async () => {
    const { status, body } = await submit(server.url, key, {
      export_type: "barcodes_1d",
      file_format: "eps",
      asset_config: { xdim_mm: 0.5, module_width: 3, barcode_type: "qr" },
      serials: { gtin: "09506000134352", mode: "range", start: 1, count: 2 },
    });
    expect(status).toBe(422);
    const details = (body.details as { loc: string[]; type: string }[]).map((d) => [
      d.loc.join("."),
      d.type,
    ]);
    expect(details).toEqual(
      expect.arrayContaining([
        ["body.asset_config.xdim_mm", "unknown_field"],
        ["body.asset_config.module_width", "range"],
        ["body.asset_config.barcode_type", "enum"],
        ["body.serials", "export_type"],
      ]),
    );
  });
});
