// The offline CLI (npm run labels, src/labels/cli.ts) against the server process as `npm start`
// runs it: for the same items and options the file the CLI writes is byte for byte the API's
// download (a label-sheet PDF on Avery L7160, a ZIP of PNGs, a barcodes_1d ZIP of EPS, a
// codes_combined ZIP from an items file, generated serials); a bad CSV
// exits 2 with the rows the API's failed job lists; serials stay unique across runs through
// the data directory's registry; --help lists every asset_config field of the API.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ASSET_CONFIG_FIELDS,
  BARCODE_ASSET_CONFIG_FIELDS,
  COMBINED_ASSET_CONFIG_FIELDS,
} from "../../src/labels/request.js";
import { call, EXPORT, finished, poll, submit } from "../helpers/labels-api.js";
import {
  createKeyWithCli,
  labelsCli,
  labelsCliFrom,
  type ServerProcess,
  startServerProcess,
} from "../helpers/processes.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), label));
  dirs.push(dir);
  return dir;
}

const GOOD_CSV = [
  "gtin,serial,lot,expiry,label_text",
  ...Array.from(
    { length: 30 },
    (_, k) => `09506000134352,SN${String(k + 1).padStart(4, "0")},L42,270630,Pack ${k + 1}`,
  ),
  "",
].join("\n");

// Rows 2 and 4 are bad (a 5-digit GTIN; a lot with a character outside GS1's set).
const BAD_CSV = [
  "gtin,serial,lot",
  "09506000134352,A1,L1",
  "12345,A2,L1",
  "09506000134352,A3,L1",
  "09506000134352,A4,L~1",
  "",
].join("\n");

describe("npm run labels (offline CLI)", () => {
  let server: ServerProcess;
  let key = "";
  let work = "";
  beforeAll(async () => {
    const dir = tempDir("labels-cli-server-");
    const env = { DATA_DIR: dir, WORKERS: "1", LABELS_THREADS: "2" };
    server = await startServerProcess(env);
    ({ key } = await createKeyWithCli(env));
    work = tempDir("labels-cli-work-");
    writeFileSync(join(work, "items.csv"), GOOD_CSV);
    writeFileSync(join(work, "bad.csv"), BAD_CSV);
  }, 120_000);
  afterAll(async () => {
    server.proc.kill("SIGTERM");
    await server.exited;
  });

  // Uploads `csv` as text/csv with the job's fields in the query, as the README shows.
  async function apiCsvJob(csv: string, query: string) {
    const res = await call(server.url, key, `${EXPORT}?${query}`, {
      method: "POST",
      body: csv,
      headers: { "Content-Type": "text/csv" },
    });
    const body = (await res.json()) as Record<string, unknown>;
    expect(res.status, JSON.stringify(body)).toBe(202);
    return poll(server.url, key, body.job_id as string, finished);
  }

  async function download(job: Record<string, unknown>): Promise<Buffer> {
    expect(job.status, JSON.stringify(job.error)).toBe("completed");
    const res = await fetch(job.download_url as string);
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  }

  it("writes the API's exact bytes for a CSV on Avery L7160, with a progress bar", async () => {
    const api = await download(
      await apiCsvJob(
        GOOD_CSV,
        "export_type=sheet_pdf&file_format=pdf&sheet_template=avery_l7160&hri=true&xdim_mm=0.4",
      ),
    );
    const cli = await labelsCli(
      "--csv",
      join(work, "items.csv"),
      "--template",
      "avery_l7160",
      "--hri",
      "--xdim-mm",
      "0.4",
      "-o",
      join(work, "lot-42.pdf"),
      "--data-dir",
      join(work, "data"),
      "--progress",
      "always",
    );
    expect(cli.code, cli.stderr).toBe(0);
    const out = readFileSync(join(work, "lot-42.pdf"));
    expect(out.subarray(0, 5).toString()).toBe("%PDF-");
    expect(out.equals(api)).toBe(true);
    // The bar: labels done of the total, the rate and the time left.
    expect(cli.stderr).toMatch(/30\/30 labels\s+[\d,]+ items\/s\s+ETA \d+s/);
    // The user's CSV is left where it was.
    expect(readFileSync(join(work, "items.csv"), "utf8")).toBe(GOOD_CSV);
  }, 120_000);

  it("writes the API's exact bytes for a ZIP of PNGs", async () => {
    const api = await download(await apiCsvJob(GOOD_CSV, "file_format=png&dpi=300"));
    const cli = await labelsCli(
      "--csv",
      join(work, "items.csv"),
      "--format",
      "png",
      "--dpi",
      "300",
      "-o",
      join(work, "lot-42.zip"),
      "--data-dir",
      join(work, "data"),
    );
    expect(cli.code, cli.stderr).toBe(0);
    const out = readFileSync(join(work, "lot-42.zip"));
    expect(out.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    expect(out.equals(api)).toBe(true);
  }, 120_000);

  it("writes the API's exact bytes for a barcodes_1d ZIP of EPS from a CSV of GTINs", async () => {
    writeFileSync(join(work, "gtins.csv"), "gtin\n5901234123457\n4006381333931\n15400141288763\n");
    const api = await download(
      await apiCsvJob(
        readFileSync(join(work, "gtins.csv"), "utf8"),
        "export_type=barcodes_1d&file_format=eps&module_height=15&font_size=6",
      ),
    );
    const cli = await labelsCli(
      "--csv",
      join(work, "gtins.csv"),
      "--export-type",
      "barcodes_1d",
      "--format",
      "eps",
      "--module-height",
      "15",
      "--font-size",
      "6",
      "-o",
      join(work, "gtins.zip"),
      "--data-dir",
      join(work, "data"),
    );
    expect(cli.code, cli.stderr).toBe(0);
    expect(readFileSync(join(work, "gtins.zip")).equals(api)).toBe(true);
  }, 120_000);

  it("writes the API's exact bytes for a codes_combined ZIP from an items file, with its own flags", async () => {
    const items = [
      { gtin: "5901234123457", lot: "A1" },
      { gtin: "09506000134352", serial: "S/2", expiry: "271231", barcode_type: "gs1_128" },
      { gtin: "15400141288763", lot: "L3" },
    ];
    writeFileSync(join(work, "combined.json"), JSON.stringify(items));
    const { status, body } = await submit(server.url, key, {
      export_type: "codes_combined",
      file_format: "png",
      asset_config: {
        size: 240,
        error_correction: "Q",
        module_height: 15,
        qr_quiet_zone: 6,
        barcode_quiet_zone: 3,
        dpi: 400,
      },
      items,
    });
    expect(status, JSON.stringify(body)).toBe(202);
    const api = await download(await poll(server.url, key, body.job_id as string, finished));
    const cli = await labelsCli(
      "--items",
      join(work, "combined.json"),
      "--export-type",
      "codes_combined",
      "--format",
      "png",
      "--size",
      "240",
      "--error-correction",
      "Q",
      "--module-height",
      "15",
      "--qr-quiet-zone",
      "6",
      "--barcode-quiet-zone",
      "3",
      "--dpi",
      "400",
      "-o",
      join(work, "combined.zip"),
      "--data-dir",
      join(work, "data"),
      "--progress",
      "always",
    );
    expect(cli.code, cli.stderr).toBe(0);
    expect(readFileSync(join(work, "combined.zip")).equals(api)).toBe(true);
    // Two labels (ZIP entries) an item.
    expect(cli.stderr).toMatch(/ 6\/6 labels/);
  }, 120_000);

  it("generates serials as the API does, and refuses them again from the same data directory", async () => {
    const serials = {
      gtin: "09506000134352",
      lot: "L1",
      mode: "range",
      start: 1,
      count: 600,
      width: 6,
    };
    const { status, body } = await submit(server.url, key, {
      export_type: "sheet_pdf",
      asset_config: { sheet_template: "avery_l7651" },
      serials,
    });
    expect(status, JSON.stringify(body)).toBe(202);
    const api = await download(await poll(server.url, key, body.job_id as string, finished));
    const data = join(work, "serial-data");
    const flag = "gtin=09506000134352,lot=L1,mode=range,start=1,count=600,width=6";
    const args = ["--serials", flag, "--template", "avery_l7651", "--data-dir", data];
    const first = await labelsCli(...args, "-o", join(work, "serials.pdf"));
    expect(first.code, first.stderr).toBe(0);
    expect(readFileSync(join(work, "serials.pdf")).equals(api)).toBe(true);
    // The same range again, as JSON this time: the registry in the data directory has it.
    const again = await labelsCli(
      "--serials",
      JSON.stringify({ ...serials, start: 600, count: 5 }),
      "--template",
      "avery_l7651",
      "--data-dir",
      data,
      "-o",
      join(work, "again.pdf"),
    );
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("serials.start (value 600) [overlap]");
    expect(again.stderr).toContain("000001 to 000600");
  }, 120_000);

  it("resolves relative paths against the directory npm run was called from (INIT_CWD)", async () => {
    const cli = await labelsCliFrom(
      work,
      "--csv",
      "items.csv",
      "--template",
      "avery_l7160",
      "--hri",
      "--xdim-mm",
      "0.4",
      "-o",
      "relative.pdf",
      "--data-dir",
      "data",
    );
    expect(cli.code, cli.stderr).toBe(0);
    // The same request as the first test's, written where the caller is.
    expect(
      readFileSync(join(work, "relative.pdf")).equals(readFileSync(join(work, "lot-42.pdf"))),
    ).toBe(true);
  }, 60_000);

  it("exits 2 on a bad CSV with the rows, fields and messages the API's job lists", async () => {
    const job = await apiCsvJob(BAD_CSV, "file_format=svg");
    expect(job.status).toBe("failed");
    const items = (job.error as { items: { row: number; field: string; message: string }[] }).items;
    expect(items.map((i) => i.row)).toEqual([2, 4]);
    const cli = await labelsCli(
      "--csv",
      join(work, "bad.csv"),
      "-o",
      join(work, "bad.zip"),
      "--data-dir",
      join(work, "data"),
    );
    expect(cli.code).toBe(2);
    const lines = cli.stderr.trim().split(/\r?\n/);
    expect(lines[0]).toContain("2 of 4 items are invalid");
    expect(lines[1]).toBe("row,field,message");
    const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
    expect(lines.slice(2)).toEqual(
      items.map((i) => [String(i.row), csvCell(i.field), csvCell(i.message)].join(",")),
    );
    expect(() => readFileSync(join(work, "bad.zip"))).toThrow();
  }, 120_000);

  it("exits 2 naming the field, value and rule of a bad option, and on a CSV without a header it knows", async () => {
    const cli = await labelsCli(
      "--csv",
      join(work, "items.csv"),
      "--xdim-mm",
      "7",
      "-o",
      join(work, "x.zip"),
      "--data-dir",
      join(work, "data"),
    );
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain("asset_config.xdim_mm (value 7)");
    // The refused request leaves no copy of the CSV in the data directory.
    expect(readdirSync(join(work, "data", "work", "inputs"))).toEqual([]);
    writeFileSync(join(work, "nohead.csv"), "colour,size\nred,1\n");
    const bad = await labelsCli(
      "--csv",
      join(work, "nohead.csv"),
      "-o",
      join(work, "x.zip"),
      "--data-dir",
      join(work, "data"),
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      `invalid: file (value ${JSON.stringify(join(work, "nohead.csv"))}) [csv]: `,
    );
  }, 60_000);

  it("--help lists every asset_config field of the API and the job flags", async () => {
    const help = await labelsCli("--help");
    expect(help.code).toBe(0);
    for (const field of [
      ...ASSET_CONFIG_FIELDS,
      ...BARCODE_ASSET_CONFIG_FIELDS,
      ...COMBINED_ASSET_CONFIG_FIELDS,
    ]) {
      expect(help.stdout).toContain(`--${field.replaceAll("_", "-")}`);
    }
    for (const flag of [
      "--csv",
      "--serials",
      "--items",
      "--template",
      "--format",
      "--data-dir",
      "-o",
    ]) {
      expect(help.stdout).toContain(flag);
    }
    expect(help.stdout).toContain("avery_l7160");
    // One flag, two units: the 1D endpoint reads quiet_zone in millimetres (0-20, default 6.5).
    const quietZone = help.stdout.slice(help.stdout.indexOf("  --quiet-zone N"));
    expect(quietZone.slice(0, 300).replace(/\s+/g, " ")).toContain(
      "barcodes_1d: millimetres (0-20, default 6.5)",
    );
  }, 60_000);
});
