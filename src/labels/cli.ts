#!/usr/bin/env node
// `npm run labels -- --csv items.csv --template avery_l7160 -o lot-42.pdf`: bulk label export
// without a server. The request is built from flags into the API's own body, submitted to the
// same LabelService (validation, serial registry) and run by the same runJob (pipeline.ts) on
// the same render threads, so the file written is byte for byte the API's download for the
// same request. The stores are SQLite under the data directory (--data-dir, default
// ~/.gs1-labels): its serial registry is what keeps generated serials unique across runs. No
// queue runs: the one job is started and run in this process (no lease to keep).
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { copyFile, mkdir, readFile, rm, stat } from "node:fs/promises";
import { availableParallelism, homedir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { BARCODE_FIELDS } from "../barcode/fields.js";
import { callerDirectory } from "../config.js";
import { type Issue, ValidationError } from "../issues.js";
import { type FieldSpec, QR_REQUEST_FIELDS, REQUEST_FIELDS } from "../request-schema.js";

// A field of the DataMatrix payload, or of the QR one (size, error_correction: qr_codes jobs).
function requestField(name: string): FieldSpec | undefined {
  return (
    REQUEST_FIELDS.find((f) => f.name === name) ?? QR_REQUEST_FIELDS.find((f) => f.name === name)
  );
}

import { countCsvRecords, formatCount } from "./items/csv.js";
import { openLabelStores } from "./jobs/open.js";
import type { JobQueue } from "./jobs/queue.js";
import { artifactPath, jobPaths, runJob } from "./pipeline.js";
import { createRenderPool } from "./render-pool.js";
import {
  ASSET_CONFIG_FIELDS,
  BARCODE_ASSET_CONFIG_FIELDS,
  COMBINED_ASSET_CONFIG_FIELDS,
  EXPORT_TYPES,
  FILE_FORMATS,
} from "./request.js";
import { inputsDir, LabelService, type Upload } from "./service.js";
import { TEMPLATES } from "./sheets/templates.js";
import type { JobRecord } from "./types.js";

/** Where the registry and work files live unless --data-dir says otherwise. */
export const DEFAULT_DATA_DIR = join(homedir(), ".gs1-labels");

/** The job owner and quota subject of every CLI job. */
const OWNER = "cli:local";

// The asset_config fields the datamatrix request schema does not describe.
const LABEL_FIELD_HELP: Record<string, { type: "string" | "number" | "boolean"; text: string }> = {
  filename_pattern: {
    type: "string",
    text: "Entry names in the ZIP, e.g. {serial|index}.{ext} (see README, Bulk label export).",
  },
  sheet_template: {
    type: "string",
    text: `sheet_pdf: a template name (${TEMPLATES.map((t) => t.name).join(", ")}) or a custom template as JSON.`,
  },
  start_position: {
    type: "number",
    text: "sheet_pdf: labels of the first sheet to skip (a partly used sheet).",
  },
  proof: {
    type: "boolean",
    text: "sheet_pdf: draw the cell outlines (a test print on plain paper).",
  },
  qr_quiet_zone: {
    type: "number",
    text: "codes_combined: the QR's quiet_zone, in modules (the QR endpoint's field; default 4).",
  },
  barcode_quiet_zone: {
    type: "number",
    text: "codes_combined: the 1D barcode's quiet_zone, in mm (the 1D endpoint's field; default 6.5).",
  },
};

// quiet_zone is described by the datamatrix schema (modules); 1D jobs read it in millimetres.
const QUIET_ZONE_MM = BARCODE_FIELDS.find((f) => f.name === "quiet_zone");
const QUIET_ZONE_UNITS = ` barcodes_1d: millimetres (${QUIET_ZONE_MM?.minimum}-${QUIET_ZONE_MM?.maximum}, default ${QUIET_ZONE_MM?.default}). codes_combined: --qr-quiet-zone and --barcode-quiet-zone instead.`;

interface AssetFlag {
  name: string;
  flag: string;
  type: "string" | "number" | "boolean";
  text: string;
}

// One flag per asset_config field of the API (xdim_mm → --xdim-mm), typed and described by the
// request schema; --template is the short name of --sheet-template.
const ASSET_FLAGS: readonly AssetFlag[] = [
  ...ASSET_CONFIG_FIELDS,
  // barcodes_1d's own options (those it shares by name, such as dpi, are listed once).
  ...BARCODE_ASSET_CONFIG_FIELDS.filter(
    (f) => !(ASSET_CONFIG_FIELDS as readonly string[]).includes(f),
  ),
  // codes_combined's own: the two quiet zones (its other fields are the QR's and the 1D's).
  ...COMBINED_ASSET_CONFIG_FIELDS.filter(
    (f) =>
      !(ASSET_CONFIG_FIELDS as readonly string[]).includes(f) &&
      !BARCODE_ASSET_CONFIG_FIELDS.includes(f),
  ),
].map((name) => {
  const spec = requestField(name) ?? BARCODE_FIELDS.find((f) => f.name === name);
  const oneD =
    !(ASSET_CONFIG_FIELDS as readonly string[]).includes(name) &&
    BARCODE_ASSET_CONFIG_FIELDS.includes(name);
  const types = COMBINED_ASSET_CONFIG_FIELDS.includes(name)
    ? "barcodes_1d, codes_combined: "
    : "barcodes_1d: ";
  const own = LABEL_FIELD_HELP[name];
  const type = spec ? (spec.type === "integer" ? "number" : spec.type) : own.type;
  return {
    name,
    flag: name.replaceAll("_", "-"),
    type: type as AssetFlag["type"],
    text: `${oneD ? types : ""}${spec ? spec.description : own.text}${name === "quiet_zone" ? QUIET_ZONE_UNITS : ""}`,
  };
});

const FORMATS = [...new Set(Object.values(FILE_FORMATS).flat())];

const JOB_FLAGS = [
  ["--csv FILE", "The items: a CSV file with a header row (the API's CSV upload)."],
  [
    "--serials SPEC",
    "The items: the serial generator, as key=value pairs (gtin=09506000134352,lot=L1,mode=range,start=1,count=1000,width=6) or the API's serials object as JSON.",
  ],
  ["--items FILE", "The items: a JSON file holding an array of items (the API's items)."],
  [
    "--template NAME|JSON",
    "Same as --sheet-template; implies --export-type sheet_pdf and --format pdf.",
  ],
  [
    `--export-type ${EXPORT_TYPES.join("|")}`,
    "export_type (default datamatrix; sheet_pdf with --template).",
  ],
  [`--format ${FORMATS.join("|")}`, "file_format (default svg; pdf for sheet_pdf)."],
  ["--on-invalid fail|skip", "on_invalid (default fail: nothing is rendered when an item is bad)."],
  ["-o, --output FILE", "Where to write the PDF or ZIP (required)."],
  ["--data-dir DIR", `Serial registry and work files (default ${DEFAULT_DATA_DIR}).`],
  ["--threads N", "Render threads (default: the cores, at most 4)."],
  [
    "--pdf-max-pages N",
    "Pages per PDF before the sheets become a ZIP of parts (default 2000, as the server's LABELS_PDF_MAX_PAGES).",
  ],
  ["--progress auto|always|never", "The progress bar on stderr (auto: when stderr is a terminal)."],
  ["-h, --help", "This text."],
] as const;

function wrapText(text: string, indent: number, width = 100): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join(`\n${" ".repeat(indent)}`);
}

/** The --help text, from the request's own description (request-schema.ts, request.ts). */
export function usage(): string {
  const col = 30;
  const row = (left: string, text: string) =>
    `  ${left.padEnd(col - 2)}${left.length > col - 3 ? `\n${" ".repeat(col)}` : ""}${wrapText(text, col)}`;
  const metavarOf = (f: AssetFlag) => {
    const spec = requestField(f.name);
    if (f.type === "boolean") return "";
    if (spec?.enum) return ` ${spec.enum.join("|")}`;
    return f.type === "number" ? " N" : " VALUE";
  };
  return `Usage: npm run labels -- (--csv FILE | --serials SPEC | --items FILE) -o OUTPUT [options]

Renders a bulk label export in this process, exactly as the API's POST
/products/api/v1/labels/export/ would: the same request fields, the same validation, the same
output bytes (a ZIP of one symbol per item, a QR and a 1D barcode per item for codes_combined,
or a label-sheet PDF).

Job:
${JOB_FLAGS.map(([l, t]) => row(l, t)).join("\n")}

Rendering (asset_config; the API's fields, flag = field name with hyphens):
${ASSET_FLAGS.map((f) => row(`--${f.flag}${metavarOf(f)}`, f.text)).join("\n")}

Examples:
  npm run labels -- --csv items.csv --template avery_l7160 -o lot-42.pdf
  npm run labels -- --csv items.csv --format png -o lot-42.zip
  npm run labels -- --serials gtin=09506000134352,lot=L1,mode=range,start=1,count=1000,width=6 \\
                    --template avery_l7160 -o serials.pdf
  npm run labels -- --items items.json --export-type codes_combined --format eps \\
                    --barcode-type ean13 --barcode-quiet-zone 3 -o pack.zip

Exit status: 0 written; 2 invalid input (every problem listed on stderr: the request's fields,
or one line per bad item: row, field, message); 1 any other failure.`;
}

/**
 * A path given on the command line, resolved against the directory the user ran the command
 * from (npm runs scripts in the package's directory and names the caller's in INIT_CWD).
 */
function fromCaller(path: string): string {
  return resolve(callerDirectory(), path);
}

/** A mistake in the flags themselves: exit 2 with the message and a pointer to --help. */
class UsageError extends Error {}

function parseFlags(argv: string[]) {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {
    csv: { type: "string" },
    serials: { type: "string" },
    items: { type: "string" },
    template: { type: "string" },
    "export-type": { type: "string" },
    format: { type: "string" },
    "on-invalid": { type: "string" },
    output: { type: "string", short: "o" },
    "data-dir": { type: "string" },
    threads: { type: "string" },
    "pdf-max-pages": { type: "string" },
    progress: { type: "string" },
    help: { type: "boolean", short: "h" },
  };
  for (const f of ASSET_FLAGS)
    options[f.flag] = { type: f.type === "boolean" ? "boolean" : "string" };
  try {
    return parseArgs({ args: argv, options, allowPositionals: false, strict: true })
      .values as Record<string, string | boolean | undefined>;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** A JSON value when `raw` reads as one (numbers, objects), else the text itself. */
function jsonOr(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

// Serial fields that are numbers in the API's serials object; every other value stays text (a
// GTIN's leading zero, a lot "007").
const SERIAL_NUMBERS = new Set(["start", "count", "width", "length"]);

/** --serials: the API's serials object as JSON, or key=value pairs separated by commas. */
export function parseSerialsFlag(raw: string): unknown {
  if (raw.trim().startsWith("{")) {
    try {
      return JSON.parse(raw);
    } catch (err) {
      throw new UsageError(`--serials is not valid JSON: ${(err as Error).message}`);
    }
  }
  const spec: Record<string, unknown> = {};
  for (const pair of raw.split(",")) {
    const at = pair.indexOf("=");
    if (at <= 0) {
      throw new UsageError(
        `--serials takes key=value pairs separated by commas (or JSON); "${pair}" has no key=value.`,
      );
    }
    const key = pair.slice(0, at).trim();
    const value = pair.slice(at + 1).trim();
    spec[key] = SERIAL_NUMBERS.has(key) && /^-?\d+$/.test(value) ? Number(value) : value;
  }
  return spec;
}

/** The API request body the flags describe (only the fields given, so defaults are the API's). */
export function requestBody(
  flags: Record<string, string | boolean | undefined>,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const config: Record<string, unknown> = {};
  for (const f of ASSET_FLAGS) {
    const raw = flags[f.flag];
    if (raw === undefined) continue;
    if (f.type === "boolean") config[f.name] = raw;
    else if (f.name === "sheet_template") config[f.name] = jsonOr(raw as string);
    else if (f.type === "number") {
      const n = Number(raw);
      config[f.name] = (raw as string).trim() !== "" && Number.isFinite(n) ? n : raw;
    } else config[f.name] = raw;
  }
  if (typeof flags.template === "string") {
    if (config.sheet_template !== undefined) {
      throw new UsageError("--template and --sheet-template name the same field; give one.");
    }
    config.sheet_template = jsonOr(flags.template);
  }
  const sheet = config.sheet_template !== undefined;
  const exportType = flags["export-type"] ?? (sheet ? "sheet_pdf" : undefined);
  if (exportType !== undefined) body.export_type = exportType;
  const format = flags.format ?? (exportType === "sheet_pdf" ? "pdf" : undefined);
  if (format !== undefined) body.file_format = format;
  if (flags["on-invalid"] !== undefined) body.on_invalid = flags["on-invalid"];
  if (Object.keys(config).length > 0) body.asset_config = config;
  return body;
}

function wholeNumber(raw: string | boolean | undefined, flag: string, fallback: number): number {
  if (raw === undefined) return fallback;
  if (typeof raw !== "string" || !/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new UsageError(`${flag} must be a whole number of at least 1, got "${raw}".`);
  }
  return Number(raw);
}

/** One line per problem of the request: field, value, rule and message (the API's 422 details). */
export function formatIssues(issues: readonly Issue[]): string {
  return issues
    .map((i) => {
      const where = i.field === null ? "request" : i.field;
      const value = i.value === undefined ? "" : ` (value ${JSON.stringify(i.value)})`;
      return `invalid: ${where}${value} [${i.rule}]: ${i.message}`;
    })
    .join("\n");
}

// A progress bar on stderr: labels done of the total, labels/s and the time left.
function progressBar(total: number, mode: string) {
  const on = mode === "always" || (mode === "auto" && process.stderr.isTTY === true);
  const started = Date.now();
  let done = 0;
  let shown = 0;
  const draw = (final: boolean) => {
    const now = Date.now();
    if (!final && now - shown < 200) return;
    shown = now;
    const seconds = Math.max((now - started) / 1000, 0.001);
    const rate = done / seconds;
    const eta = rate > 0 ? Math.ceil((total - done) / rate) : 0;
    const width = 30;
    const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : width;
    const line = `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${formatCount(done)}/${formatCount(total)} labels  ${formatCount(Math.round(rate))} items/s  ETA ${eta}s`;
    process.stderr.write(process.stderr.isTTY ? `\r${line}` : `${line}\n`);
    if (final && process.stderr.isTTY) process.stderr.write("\n");
  };
  return {
    add(n: number) {
      done += n;
      if (on) draw(false);
    },
    end() {
      if (on) draw(true);
    },
  };
}

// Copies the CSV into the inputs directory (the job deletes its input when it ends; the user's
// file must stay) and counts it as the API's upload does; a CSV the count refuses is a 422 on
// field "file" there, so it is the same here.
async function takeCsv(given: string, dir: string, maxItems: number): Promise<Upload> {
  const path = fromCaller(given);
  if (!existsSync(path)) {
    throw new ValidationError([
      { field: "file", value: given, rule: "exists", message: `--csv ${path}: no such file.` },
    ]);
  }
  await mkdir(inputsDir(dir), { recursive: true });
  const copy = join(inputsDir(dir), `cli-${process.pid}-${Date.now()}.csv`);
  await copyFile(path, copy);
  try {
    const hash = createHash("sha256")
      .update(await readFile(copy))
      .digest("hex");
    const { count } = await countCsvRecords(createReadStream(copy), { maxItems });
    return { path: copy, count, sha256: hash };
  } catch (err) {
    await rm(copy, { force: true });
    throw new ValidationError([
      {
        field: "file",
        value: given,
        rule: (err as Error).name === "CsvLimitError" ? "max_items" : "csv",
        message: (err as Error).message,
      },
    ]);
  }
}

/** Runs the CLI with `argv` (no node/script), writing to stdout/stderr; returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  let flags: Record<string, string | boolean | undefined>;
  try {
    flags = parseFlags(argv);
    if (flags.help) {
      process.stdout.write(`${usage()}\n`);
      return 0;
    }
    const sources = ["csv", "serials", "items"].filter((s) => flags[s] !== undefined);
    if (sources.length !== 1) {
      throw new UsageError(
        sources.length === 0
          ? "Give the items: --csv FILE, --serials SPEC or --items FILE."
          : `--${sources[0]} and --${sources[1]} both give the items; give one.`,
      );
    }
    if (typeof flags.output !== "string") throw new UsageError("-o OUTPUT is required.");
    if (
      flags.progress !== undefined &&
      !["auto", "always", "never"].includes(flags.progress as string)
    ) {
      throw new UsageError(`--progress must be auto, always or never, got "${flags.progress}".`);
    }
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message}\nSee npm run labels -- --help.\n`);
    return 2;
  }
  const body = requestBody(flags);
  if (typeof flags.serials === "string") {
    try {
      body.serials = parseSerialsFlag(flags.serials);
    } catch (err) {
      process.stderr.write(`${(err as Error).message}\n`);
      return 2;
    }
  }
  let threads: number;
  let pdfMaxPages: number;
  try {
    threads = wholeNumber(flags.threads, "--threads", Math.min(4, availableParallelism()));
    pdfMaxPages = wholeNumber(flags["pdf-max-pages"], "--pdf-max-pages", 2_000);
    if (typeof flags.items === "string") {
      try {
        body.items = JSON.parse(await readFile(fromCaller(flags.items as string), "utf8"));
      } catch (err) {
        throw new UsageError(`--items ${flags.items}: ${(err as Error).message}`);
      }
    }
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const output = fromCaller(flags.output as string);
  const dataDir = fromCaller((flags["data-dir"] as string | undefined) ?? DEFAULT_DATA_DIR);
  const dir = join(dataDir, "work");
  await mkdir(dir, { recursive: true });
  const stores = await openLabelStores({ databaseUrl: null, dataDir });
  const pool = createRenderPool(threads);
  // Submitting puts the job on this "queue"; it is run right below instead.
  const queue: JobQueue = { enqueue: async () => {}, start: () => {}, stop: async () => {} };
  const maxItems = 100_000_000;
  const service = new LabelService({
    jobs: stores.jobs,
    usage: stores.usage,
    serials: stores.serials,
    queue,
    dir,
    limits: {
      maxItems,
      pdfMaxPages,
      perDay: Number.MAX_SAFE_INTEGER,
      maxActive: Number.MAX_SAFE_INTEGER,
    },
    now: () => Date.now(),
  });
  const logger = pino({ level: "error" }, pino.destination(2));
  const controller = new AbortController();
  let jobId: string | null = null;
  const interrupt = () => {
    // Ctrl-C: cancel the job (its work files are deleted at the next batch) and stop.
    if (jobId !== null) void stores.jobs.cancel(OWNER, jobId).catch(() => {});
    controller.abort(new Error("interrupted"));
  };
  process.once("SIGINT", interrupt);
  try {
    const upload =
      typeof flags.csv === "string" ? await takeCsv(flags.csv as string, dir, maxItems) : null;
    let job: JobRecord;
    try {
      ({ job } = await service.submit({ owner: OWNER, quotaSubject: OWNER }, body, upload, null));
    } catch (err) {
      // A refused request leaves its copy of the CSV behind (the routes delete theirs too).
      if (upload) await rm(upload.path, { force: true });
      throw err;
    }
    jobId = job.id;
    const started = await stores.jobs.start(job.id);
    if (started === null) throw new Error(`label job ${job.id} could not be started`);
    const items =
      job.spec.source.kind === "serials" ? job.spec.source.spec.count : job.spec.source.count;
    // The bar counts labels (ZIP entries) as they are appended: codes_combined makes two an item.
    const total = job.spec.exportType === "codes_combined" ? 2 * items : items;
    const bar = progressBar(total, (flags.progress as string | undefined) ?? "auto");
    await runJob(
      started,
      {
        jobs: stores.jobs,
        serials: stores.serials,
        pool,
        dir,
        ttlMs: 3_600_000,
        now: () => Date.now(),
        logger,
        onLabels: (n) => bar.add(n),
      },
      controller.signal,
      async () => {},
    );
    bar.end();
    const end = await stores.jobs.getById(job.id);
    if (controller.signal.aborted || end === null || end.status === "canceled") {
      process.stderr.write("Interrupted: nothing was written.\n");
      return 130;
    }
    if (end.status === "completed") {
      const artifact = artifactPath(dir, end);
      await copyFile(artifact, output);
      await rm(artifact, { force: true });
      const { size } = await stat(output);
      process.stderr.write(
        `Wrote ${output} (${formatCount(size)} bytes, ${formatCount(end.totalItems)} items${end.outputFilename?.endsWith(".zip") && job.spec.exportType === "sheet_pdf" ? ", a ZIP of PDF parts" : ""}).\n`,
      );
      return 0;
    }
    // Failed: every bad item (errors.csv, the API's error report), else the job's reason.
    const report = jobPaths(dir, job.id).errorReport;
    if (existsSync(report)) {
      process.stderr.write(`${end.error?.message ?? "The job failed."}\n`);
      process.stderr.write(await readFile(report, "utf8"));
      await rm(report, { force: true });
      return 2;
    }
    const message = end.error?.message ?? "the job failed";
    process.stderr.write(`${message}\n`);
    return /ENOSPC|internal error/.test(message) ? 1 : 2;
  } catch (err) {
    if (err instanceof ValidationError) {
      process.stderr.write(`${formatIssues(err.issues)}\n`);
      return 2;
    }
    throw err;
  } finally {
    process.off("SIGINT", interrupt);
    await pool.close();
    await stores.close();
  }
}

// Run as a program (not when a test imports main).
if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`labels: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
