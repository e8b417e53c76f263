// Bulk label export of a QR and a 1D barcode per item (export_type "codes_combined") over real
// HTTP against the server process: jobs in SVG, EPS, PNG and PDF whose ZIP passes `unzip -t`,
// with every entry, in archive order, rasterised (rsvg-convert, Ghostscript, pdftoppm) and read
// back by zxing-wasm: the QR to its hand-written GS1 Digital Link URI (]Q1), the 1D barcode to
// the symbology identifier and data a scanner transmits. Options the two endpoints disagree on
// or refuse are 422s naming the field; an item whose data does not fit its 1D type fails the job.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeImage, decodeLinearImage } from "../helpers/decode.js";
import { finished, poll, submit } from "../helpers/labels-api.js";
import { createKeyWithCli, type ServerProcess, startServerProcess } from "../helpers/processes.js";
import { rasteriseEps, rasterisePdf, rasteriseSvg } from "../helpers/raster.js";

const dirs: string[] = [];
let server: ServerProcess;
let key = "";

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "labels-combined-"));
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

// Each item; the URI its QR must carry (written out by hand from GS1 Digital Link 1.4: the GTIN
// as 14 digits, then lot 10 or serial 21 in the path, "/" escaped, other AIs as query); the
// symbology identifier of its 1D barcode (ISO/IEC 15424: ]E0 EAN-13 and UPC-A, ]E4 EAN-8, ]I1
// ITF-14, ]C1 GS1-128) and the data the 1D barcode transmits (zxing HRI text: bracketed AIs);
// and the file name stem the default pattern {index}-{gtin}-{serial|lot} gives.
const ITEMS: [Record<string, unknown>, string, string, string, string][] = [
  [
    { gtin: "5901234123457", lot: "A1" },
    "https://id.gs1.org/01/05901234123457/10/A1",
    "]E0",
    "5901234123457",
    "1-5901234123457-A1",
  ],
  [
    { gtin: "96385074", serial: "S/2", expiry: "271231" },
    "https://id.gs1.org/01/00000096385074/21/S%2F2?17=271231",
    "]E4",
    "96385074",
    "2-96385074-S_2",
  ],
  // UPC-A reads back as the EAN-13 with a leading 0 (the same GTIN-12).
  [
    { gtin: "036000291452", lot: "L3" },
    "https://id.gs1.org/01/00036000291452/10/L3",
    "]E0",
    "0036000291452",
    "3-036000291452-L3",
  ],
  [
    { gtin: "15400141288763", lot: "L4" },
    "https://id.gs1.org/01/15400141288763/10/L4",
    "]I1",
    "15400141288763",
    "4-15400141288763-L4",
  ],
  // gs1_128: the 1D carries every element of the QR, fixed-length AIs first.
  [
    { gtin: "09506000134352", lot: "L5", expiry: "270630", barcode_type: "gs1_128" },
    "https://id.gs1.org/01/09506000134352/10/L5?17=270630",
    "]C1",
    "(01)09506000134352(17)270630(10)L5",
    "5-09506000134352-L5",
  ],
  // An element string's GTIN drawn as EAN-13: the GTIN-14's leading zero is dropped.
  [
    { element_string: "(01)09506000134352(21)SN6", barcode_type: "ean13" },
    "https://id.gs1.org/01/09506000134352/21/SN6",
    "]E0",
    "9506000134352",
    "6-09506000134352-",
  ],
];

function unzip(zip: Buffer): { dir: string; order: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "labels-combined-unzip-"));
  dirs.push(dir);
  writeFileSync(join(dir, "a.zip"), zip);
  execFileSync("unzip", ["-tq", "a.zip"], { cwd: dir });
  execFileSync("unzip", ["-q", "a.zip", "-d", "out"], { cwd: dir });
  // The archive's own order (the central directory), not the directory listing's.
  const order = execFileSync("unzip", ["-Z1", "a.zip"], { cwd: dir, encoding: "utf8" })
    .trim()
    .split("\n");
  return { dir: join(dir, "out"), order };
}

// manifest.csv: no cell of these items holds a comma or a quote.
const rowsOf = (text: string) =>
  text
    .trim()
    .split("\r\n")
    .map((l) => l.split(","));

function toPng(format: string, bytes: Buffer): Uint8Array {
  if (format === "svg") {
    return rasteriseSvg(bytes, ["--dpi-x", "300", "--dpi-y", "300", "--background-color", "white"]);
  }
  if (format === "pdf") return rasterisePdf(bytes, 300);
  return format === "eps" ? rasteriseEps(bytes, 300) : bytes;
}

describe("label export codes_combined", () => {
  it.each(["svg", "eps", "png", "pdf"])(
    "renders a %s ZIP of a QR then a 1D barcode per item, in item order, each decoding to its data",
    async (format) => {
      const { status, body } = await submit(server.url, key, {
        export_type: "codes_combined",
        file_format: format,
        asset_config: { module_height: 15, font_size: 8, dpi: 600, size: 200 },
        items: ITEMS.map(([item]) => item),
      });
      expect(status, JSON.stringify(body)).toBe(202);
      const done = await poll(server.url, key, body.job_id as string, finished);
      expect(done).toMatchObject({ status: "completed", total_items: ITEMS.length, error: null });
      const zip = Buffer.from(await (await fetch(done.download_url as string)).arrayBuffer());
      const { dir, order } = unzip(zip);
      const expected = ITEMS.flatMap(([, , , , stem]) => [
        `${stem}-qr.${format}`,
        `${stem}-1d.${format}`,
      ]);
      expect(order).toEqual([...expected, "manifest.csv"]);
      const manifest = rowsOf(readFileSync(join(dir, "manifest.csv"), "utf8"));
      expect(manifest[0]).toEqual(["index", "file_name", "data", "hri", "symbol_size", "sha256"]);
      expect(manifest.slice(1).map((r) => [r[0], r[1]])).toEqual(
        expected.map((name, k) => [String(Math.floor(k / 2) + 1), name]),
      );
      for (const [k, [, uri, id, transmitted]] of ITEMS.entries()) {
        const qrName = expected[2 * k];
        const qr = await decodeImage(toPng(format, readFileSync(join(dir, qrName))), "QRCode");
        expect([qr.symbologyIdentifier, qr.text], qrName).toEqual(["]Q1", uri]);
        expect(manifest[1 + 2 * k][2]).toBe(uri);
        const barName = expected[2 * k + 1];
        const bar = await decodeLinearImage(toPng(format, readFileSync(join(dir, barName))), "HRI");
        expect([bar.symbologyIdentifier, bar.text], barName).toEqual([id, transmitted]);
      }
    },
    180_000,
  );

  it("refuses options the two endpoints disagree on or reject, naming field and rule", async () => {
    const { status, body } = await submit(server.url, key, {
      export_type: "codes_combined",
      asset_config: {
        quiet_zone: 4,
        shape: "square",
        check_character: true,
        barcode_type: "code128",
        error_correction: "X",
        module_width: 3,
        barcode_quiet_zone: -1,
        dpi: 10,
      },
      items: [{ gtin: "09506000134352", lot: "A" }],
    });
    expect(status).toBe(422);
    const details = body.details as { loc: string[]; type: string; msg: string }[];
    expect(details.map((d) => [d.loc.join("."), d.type])).toEqual(
      expect.arrayContaining([
        ["body.asset_config.quiet_zone", "ambiguous"],
        ["body.asset_config.shape", "export_type"],
        ["body.asset_config.check_character", "export_type"],
        ["body.asset_config.barcode_type", "export_type"],
        ["body.asset_config.error_correction", "enum"],
        ["body.asset_config.module_width", "range"],
        ["body.asset_config.barcode_quiet_zone", "range"],
        ["body.asset_config.dpi", "range"],
      ]),
    );
    // dpi is judged by both endpoints; it is reported once.
    expect(details.filter((d) => d.loc.join(".") === "body.asset_config.dpi")).toHaveLength(1);
    const msg = (field: string) => details.find((d) => d.loc.at(-1) === field)?.msg ?? "";
    expect(msg("quiet_zone")).toContain("4");
    expect(msg("barcode_type")).toContain("code128");
  });

  it("fails a job whose item's data does not fit its 1D type, naming row and field", async () => {
    const { status, body } = await submit(server.url, key, {
      export_type: "codes_combined",
      items: [
        { gtin: "5901234123457", lot: "A" },
        { gtin: "5901234123457", lot: "B", barcode_type: "ean8" },
        { gtin: "5901234123458", lot: "C" },
      ],
    });
    expect(status).toBe(202);
    const done = await poll(server.url, key, body.job_id as string, finished);
    expect(done.status).toBe("failed");
    const error = done.error as { items: { row: number; field: string; message: string }[] };
    expect(error.items.map((e) => [e.row, e.field])).toEqual([
      [2, "gtin"],
      [3, "gtin"],
    ]);
    expect(error.items[0].message).toContain("ean8");
    expect(done.download_url).toBeNull();
  });
});
