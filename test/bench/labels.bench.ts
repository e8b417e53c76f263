// `npm run bench:labels` (issue 18, "Benchmark"): bulk label export end to end against the real
// server process, started exactly as `npm start` starts it (`MALLOC_ARENA_MAX=2
// MALLOC_TRIM_THRESHOLD_=131072 node build/js/server/server.js`, WORKERS at its default `auto`, a
// fresh DATA_DIR per server so generated serials never collide, LABELS_PER_DAY / LABELS_MAX_ITEMS
// raised, a key with limits no run reaches), against what a user would do instead, all in the
// same run so the ratios share the machine's mood:
//   1. ours: POST /products/api/v1/labels/export/ with the serial generator
//      {"gtin": "09506000134352", "lot": "L1", "expiry": "270630", "mode": "range", "start": 1,
//       "count": N, "width": 6}, polled every POLL_MS, the ZIP downloaded to a file (curl): submit →
//      completed → downloaded, as a ZIP of SVG and as a ZIP of PNG at 300 dpi. Also the server's
//      CPU (every process and thread of its tree, /proc) per label, and its peak RSS (VmHWM).
//      Each ZIP is checked afterwards (untimed): `zipinfo -1` counts N + 1 entries (manifest.csv)
//      and `unzip -tq` passes.
//   2a. "what a user would write": a loop of bwip-js (toSVG / toBuffer, bcid gs1datamatrix, the
//      same element strings, PNG at 4 px per module and 2 modules of quiet zone like ours at
//      300 dpi) appending each symbol to archiver (ZipArchive, its default deflate) piped to a
//      file, in this process (one thread, as such a loop runs). BENCH_BWIP_ITEMS (10,000) of the
//      N items are run and the rate extrapolated to N (said so in the output).
//   2b. zint --batch (one process: `zint -b 71 --gs1 --square --quietzones --batch
//      --filetype=svg|png [--scale=2] -i items.txt -o DIR/~~~~~~.ext`), writing one file per
//      symbol into a directory, then `zip -q -r` of that directory; both rates are printed and the
//      ratio uses zint + zip (the same deliverable: one ZIP).
//   3. p99 of single POST /products/api/v1/datamatrix/ requests (autocannon in this process,
//      BENCH_LATENCY_CONNECTIONS=10 connections held to BENCH_LATENCY_RATE=200 requests/s, distinct
//      payloads, BENCH_LATENCY_SECONDS=10 s) on an idle server, then on the same server while an
//      SVG job of BENCH_LATENCY_JOB_ITEMS (300,000) items renders (measured once it has rendered
//      its first labels; the job is canceled afterwards), then idle again. Target: p99 within
//      1.5× of idle, judged against the lower idle p99; inconclusive when the two idle runs
//      differ by more than that factor themselves.
//   4. BENCH_LABELS_MILLION=1 (or --million): a 1,000,000-label SVG job that must complete, with
//      the p99 of part 3 measured during it; time, labels/s, peak RSS of every server process
//      (VmHWM, target < 400 MB), and `zipinfo` / `unzip -tq` on the downloaded ZIP.
//   5. label sheets (issue 21): ours, a sheet_pdf job of BENCH_SHEET_ITEMS (= BENCH_ITEMS) labels
//      on avery_l7160 from the same serial generator, timed submit → completed → downloaded (curl)
//      like part 1, its server started with LABELS_PDF_MAX_PAGES raised so the deliverable is one
//      PDF, as the loop below writes; against the loop a user would write instead: bwip-js toSVG
//      of each item, the path `d` attributes of its SVG parsed out and drawn by pdfkit
//      (`doc.path(d).fill()`, pdfkit's defaults, compression on) at our default X-dimension
//      (0.38 mm) into the same A4 grid, 21 a page, piped to a file, in this process.
//      BENCH_SHEET_BASELINE_ITEMS (2,000) items are run and the rate extrapolated (said so).
//      (pdf-lib, the other such library, is not a dependency of the project; pdfkit stands for
//      both.) Both PDFs are then checked (untimed): `qpdf --check`, the page count
//      (`qpdf --show-npages`), and page 1 and the last page rasterised by poppler (pdftoppm -r
//      300) and every label on them cut out at its cell — the cell from glabels' L7160 numbers,
//      not from our template table — and decoded by zxing-wasm to its item, in item order. With
//      BENCH_LABELS_MILLION=1 also a 1,000,000-label sheet job: time, labels/s, peak RSS (VmHWM)
//      of every server process (target < 400 MB) and the same PDF checks.
// Prints every figure, the ratios ours/bwip-js loop and ours/zint, and the targets (≥ 15,000
// labels/s SVG, ≥ 8,000 PNG, ≥ 30× the bwip-js loop, p99 ≤ 1.5× idle, RSS < 400 MB; sheets:
// ≥ 15,000 labels/s, ≥ 30× the bwip-js → pdfkit loop, RSS < 400 MB for 1,000,000). Besides
// wall-clock rates it prints CPU seconds per label for every contender: on a shared machine the
// render threads (nice 19 by design) get whatever CPU the other tenants leave, while the bwip-js
// loop and zint run at normal priority, so the CPU figures say what the wall clock cannot.
// Needs the build (`npm run build`), zint, zip, zipinfo, unzip, curl (the download), qpdf and
// pdftoppm. Not a test.
// Environment: BENCH_ITEMS (100000), BENCH_BWIP_ITEMS (10000), BENCH_ZINT_ITEMS (= BENCH_ITEMS),
// BENCH_LATENCY_SECONDS (10), BENCH_LATENCY_RATE (200), BENCH_LATENCY_CONNECTIONS (10),
// BENCH_LATENCY_JOB_ITEMS (300000), BENCH_SHEET_ITEMS (= BENCH_ITEMS),
// BENCH_SHEET_BASELINE_ITEMS (2000), BENCH_LABELS_MILLION (unset), BENCH_MILLION_ITEMS
// (1000000: only to try the million runs' code on a small count), BENCH_SKIP (comma-separated
// parts to skip: svg, png, bwip, zint, latency, sheet; the million SVG job goes with svg, the
// million sheet job with sheet), BENCH_ONLY (comma-separated parts to run, the others skipped),
// BENCH_KEEP (keep the temp dirs).

import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import {
  closeSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { ZipArchive } from "archiver";
import autocannon from "autocannon";
import bwipjs from "bwip-js";
import PDFDocument from "pdfkit";
import { decodeImage } from "../helpers/decode.js";
import { cropL7160Cell, L7160_PER_SHEET, l7160Cell } from "../helpers/sheet-cells.js";

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const BWIP_ITEMS = Math.min(ITEMS, Number(process.env.BENCH_BWIP_ITEMS ?? 10_000));
const ZINT_ITEMS = Math.min(ITEMS, Number(process.env.BENCH_ZINT_ITEMS ?? ITEMS));
const LATENCY_S = Number(process.env.BENCH_LATENCY_SECONDS ?? 10);
const LATENCY_RATE = Number(process.env.BENCH_LATENCY_RATE ?? 200);
const LATENCY_CONNECTIONS = Number(process.env.BENCH_LATENCY_CONNECTIONS ?? 10);
const LATENCY_JOB_ITEMS = Number(process.env.BENCH_LATENCY_JOB_ITEMS ?? 300_000);
const MILLION =
  process.env.BENCH_LABELS_MILLION === "1" || process.argv.slice(2).includes("--million");
const SHEET_ITEMS = Number(process.env.BENCH_SHEET_ITEMS ?? ITEMS);
const SHEET_BASELINE_ITEMS = Math.min(
  SHEET_ITEMS,
  Number(process.env.BENCH_SHEET_BASELINE_ITEMS ?? 2_000),
);
const MILLION_ITEMS = Number(process.env.BENCH_MILLION_ITEMS ?? 1_000_000);
const SKIP = new Set((process.env.BENCH_SKIP ?? "").split(",").filter(Boolean));
const ONLY = new Set((process.env.BENCH_ONLY ?? "").split(",").filter(Boolean));
const runs = (part: string) => !SKIP.has(part) && (ONLY.size === 0 || ONLY.has(part));
const KEEP = process.env.BENCH_KEEP === "1";
const POLL_MS = 100;
const GTIN = "09506000134352";
const EXPORT = "/products/api/v1/labels/export/";
const DATAMATRIX = "/products/api/v1/datamatrix/";
const SERVER = "build/js/server/server.js";
const KEYS_CLI = "build/js/operator/keys-cli.js";
// npm start's own environment (package.json "start").
const NPM_START_ENV = { MALLOC_ARENA_MAX: "2", MALLOC_TRIM_THRESHOLD_: "131072" };
const CLK_TCK = 100;

const TARGETS = {
  svg: 15_000,
  png: 8_000,
  bwipRatio: 30,
  p99Ratio: 1.5,
  rssMb: 400,
  sheet: 15_000,
  sheetRatio: 30,
};

const root = mkdtempSync(join(tmpdir(), "labels-bench-"));
const serverProcs: ChildProcess[] = [];
const stopping = new Set<ChildProcess>();

function serialOf(k: number, width: number): string {
  return String(k).padStart(width, "0");
}
function bracketed(k: number, width = 6): string {
  return `(01)${GTIN}(17)270630(10)L1(21)${serialOf(k, width)}`;
}
const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const seconds = (ms: number) => `${fmt(ms / 1000, 2)} s`;

// ---------------------------------------------------------------------------------------------
// The server process tree: CPU and memory from /proc.

function descendants(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${out[i]}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      try {
        const kids = readFileSync(`/proc/${out[i]}/task/${t}/children`, "utf8").trim();
        if (kids !== "") out.push(...kids.split(/\s+/).map(Number));
      } catch {}
    }
  }
  return out;
}

/** CPU seconds (user + system, every thread) of the process tree under `pid`. */
function treeCpuSeconds(pid: number): number {
  let ticks = 0;
  for (const p of descendants(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {}
  }
  return ticks / CLK_TCK;
}

/** VmHWM (peak RSS) in MB of each process of the tree under `pid`. */
function treePeakRss(pid: number): { pid: number; role: string; mb: number }[] {
  return descendants(pid).flatMap((p, i) => {
    try {
      const status = readFileSync(`/proc/${p}/status`, "utf8");
      const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
      return [{ pid: p, role: i === 0 ? "primary" : "worker", mb: kb / 1024 }];
    } catch {
      return [];
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Servers and keys.

interface Server {
  proc: ChildProcess;
  url: string;
  key: string;
  dataDir: string;
}

async function startServer(name: string, extraEnv: Record<string, string> = {}): Promise<Server> {
  const dataDir = join(root, name);
  mkdirSync(dataDir, { recursive: true });
  const env = {
    ...process.env,
    ...NPM_START_ENV,
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    LABELS_PER_DAY: "100000000",
    LABELS_MAX_ITEMS: "2000000",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
    ...extraEnv,
  };
  // The key first (the server then finds a key store that is not empty, and prints no banner).
  const created = execFileSync(
    process.execPath,
    [KEYS_CLI, "create", "--name", "bench", "--per-minute", "10000000", "--per-day", "1000000000"],
    { env },
  ).toString();
  const key = created.trimEnd().split("\n").at(-1) as string;
  // Its JSON log goes to a file (printed in part if something fails).
  const logPath = join(dataDir, "server.log");
  const log = openSync(logPath, "w");
  const proc = spawn(process.execPath, [SERVER], { env, stdio: ["ignore", log, log] });
  closeSync(log);
  serverProcs.push(proc);
  const exited = once(proc, "exit");
  let url: string | undefined;
  for (let waited = 0; url === undefined; waited += 50) {
    if (proc.exitCode !== null || waited > 60_000) {
      throw new Error(`server did not start: ${readFileSync(logPath, "utf8").slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
    const m = /"msg":"listening"[^\n]*|[^\n]*"msg":"listening"/.exec(readFileSync(logPath, "utf8"));
    if (m) url = /"url":"([^"]+)"/.exec(m[0])?.[1];
  }
  void exited.then(([code, signal]) => {
    if (!stopping.has(proc)) {
      console.error(`server ${proc.pid} exited (${code ?? signal}) unasked; log tail:`);
      console.error(readFileSync(logPath, "utf8").slice(-4000));
    }
  });
  return { proc, url, key, dataDir };
}

async function stopServer(s: Server): Promise<void> {
  if (s.proc.exitCode !== null || s.proc.signalCode !== null) return;
  stopping.add(s.proc);
  const exited = once(s.proc, "exit");
  s.proc.kill("SIGTERM");
  const timer = setTimeout(() => s.proc.kill("SIGKILL"), 30_000);
  await exited;
  clearTimeout(timer);
}

async function api(s: Server, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${s.url}${path}`, {
    ...init,
    headers: { "X-API-Key": s.key, ...(init.headers as Record<string, string>) },
  });
}

interface JobStatus {
  job_id: string;
  status: string;
  processed_items: number;
  total_items: number;
  download_url: string | null;
  file_size_bytes: number | null;
  error: unknown;
}

async function submitSerialJob(
  s: Server,
  format: "svg" | "png",
  count: number,
  width: number,
): Promise<string> {
  const res = await api(s, EXPORT, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      export_type: "datamatrix",
      file_format: format,
      asset_config: { dpi: 300 },
      serials: { gtin: GTIN, lot: "L1", expiry: "270630", mode: "range", start: 1, count, width },
    }),
  });
  const body = (await res.json()) as { job_id: string };
  if (res.status !== 202) throw new Error(`submit: ${res.status} ${JSON.stringify(body)}`);
  return body.job_id;
}

async function status(s: Server, id: string): Promise<JobStatus> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await (await api(s, `${EXPORT}${id}/`)).json()) as JobStatus;
    } catch (err) {
      // A kept-alive connection the server closed as the request left: once more, then give up
      // with the server's log.
      if (attempt >= 3) {
        const log = readFileSync(join(s.dataDir, "server.log"), "utf8").slice(-4000);
        throw new Error(`polling ${id} failed: ${err}\nserver log tail:\n${log}`);
      }
    }
  }
}

async function waitFor(
  s: Server,
  id: string,
  done: (st: JobStatus) => boolean,
  onPoll?: () => void,
): Promise<JobStatus> {
  for (;;) {
    const st = await status(s, id);
    onPoll?.();
    if (done(st)) return st;
    if (st.status === "failed" || st.status === "canceled") {
      throw new Error(`job ${id} ${st.status}: ${JSON.stringify(st.error)}`);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

// With curl, as a user fetches a file: Node's fetch piped through a web stream into a file took
// 0.48 s for a 71 MB ZIP where curl took 0.31 s (same server, same run), a cost of the client.
async function download(url: string, path: string): Promise<void> {
  const curl = spawn("curl", ["--silent", "--show-error", "--fail", "--output", path, url]);
  let said = "";
  curl.stderr.on("data", (chunk: Buffer) => {
    said += chunk.toString();
  });
  const [code] = (await once(curl, "exit")) as [number | null];
  if (code !== 0) throw new Error(`download: curl exited ${code}: ${said.trim()}`);
}

/** Untimed checks of a downloaded ZIP: its entry count (zipinfo) and `unzip -tq`. */
function checkZip(path: string): { entries: number; unzipOk: boolean; unzipSays: string } {
  const count = spawnSync("sh", ["-c", 'zipinfo -1 "$1" | wc -l', "sh", path], {
    encoding: "utf8",
  });
  const test = spawnSync("unzip", ["-tq", path], { encoding: "utf8", maxBuffer: 64 << 20 });
  return {
    entries: Number(count.stdout.trim()),
    unzipOk: test.status === 0,
    unzipSays: (test.stdout + test.stderr).trim().split("\n").at(-1) ?? "",
  };
}

// ---------------------------------------------------------------------------------------------
// 1 and 4: ours, end to end.

interface OursResult {
  format: "svg" | "png";
  items: number;
  toCompletedMs: number;
  toDownloadedMs: number;
  labelsPerSecond: number;
  serverCpuS: number;
  cpuUsPerLabel: number;
  zipBytes: number;
  zip: ReturnType<typeof checkZip>;
  rss: ReturnType<typeof treePeakRss>;
  latency?: LatencyResult;
}

async function runOurs(
  format: "svg" | "png",
  items: number,
  opts: { measureLatencyDuring?: boolean } = {},
): Promise<OursResult> {
  const s = await startServer(`ours-${format}-${items}`);
  try {
    const width = Math.max(6, String(items).length);
    const cpu0 = treeCpuSeconds(s.proc.pid as number);
    const t0 = performance.now();
    const id = await submitSerialJob(s, format, items, width);
    let latency: LatencyResult | undefined;
    if (opts.measureLatencyDuring) {
      await waitFor(s, id, (st) => st.status === "completed" || st.processed_items > 0);
      latency = await measureLatency(s, "during the job");
    }
    const st = await waitFor(s, id, (x) => x.status === "completed");
    const t1 = performance.now();
    const zipPath = join(s.dataDir, "download.zip");
    await download(st.download_url as string, zipPath);
    const t2 = performance.now();
    const serverCpuS = treeCpuSeconds(s.proc.pid as number) - cpu0;
    const rss = treePeakRss(s.proc.pid as number);
    await stopServer(s);
    const zipBytes = statSync(zipPath).size;
    const zip = checkZip(zipPath);
    if (!KEEP) rmSync(s.dataDir, { recursive: true, force: true });
    return {
      format,
      items,
      toCompletedMs: t1 - t0,
      toDownloadedMs: t2 - t0,
      labelsPerSecond: items / ((t2 - t0) / 1000),
      serverCpuS,
      cpuUsPerLabel: (serverCpuS * 1e6) / items,
      zipBytes,
      zip,
      rss,
      latency,
    };
  } finally {
    await stopServer(s);
  }
}

function printOurs(r: OursResult): void {
  const label = r.format === "svg" ? "ZIP of SVG" : "ZIP of PNG, 300 dpi";
  console.log(
    `ours, ${fmt(r.items)} labels, ${label}: completed ${seconds(r.toCompletedMs)}, downloaded ${seconds(r.toDownloadedMs)} → ${fmt(r.labelsPerSecond)} labels/s`,
  );
  console.log(
    `    server CPU ${fmt(r.serverCpuS, 1)} s (${fmt(r.cpuUsPerLabel)} µs/label, ${fmt(r.serverCpuS / (r.toDownloadedMs / 1000), 2)} cores busy on average of 2); ` +
      `ZIP ${fmt(r.zipBytes / 1048576, 1)} MB, zipinfo ${fmt(r.zip.entries)} entries (expected ${fmt(r.items + 1)}), unzip -tq ${r.zip.unzipOk ? "OK" : `FAILED: ${r.zip.unzipSays}`}`,
  );
  console.log(
    `    peak RSS (VmHWM): ${r.rss.map((p) => `${p.role} ${p.pid} ${fmt(p.mb)} MB`).join(", ")}`,
  );
}

// ---------------------------------------------------------------------------------------------
// 2a: the bwip-js loop into archiver.

interface BaselineResult {
  name: string;
  items: number;
  ms: number;
  cpuS: number;
  labelsPerSecond: number;
  bytes: number;
  note: string;
}

async function runBwipLoop(format: "svg" | "png", items: number): Promise<BaselineResult> {
  const dir = join(root, `bwip-${format}`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "out.zip");
  // Warm-up outside the measurement (a long-lived user script would be warm too).
  for (let k = 1; k <= 200; k++) {
    if (format === "svg") bwipjs.toSVG({ bcid: "gs1datamatrix", text: bracketed(k) });
    else await bwipjs.toBuffer({ bcid: "gs1datamatrix", text: bracketed(k), scale: 2, padding: 4 });
  }
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const out = createWriteStream(path);
  const archive = new ZipArchive();
  archive.pipe(out);
  const closed = once(out, "close");
  for (let k = 1; k <= items; k++) {
    const name = `${serialOf(k, 6)}-${GTIN}-${serialOf(k, 6)}.${format}`;
    if (format === "svg") {
      archive.append(bwipjs.toSVG({ bcid: "gs1datamatrix", text: bracketed(k) }), { name });
    } else {
      // 2 px per bwip-js unit at scale 1 and 2 units per module: scale 2 gives 4 px modules
      // (0.38 mm at 300 dpi, as ours), padding 4 units = 2 modules of quiet zone.
      const png = await bwipjs.toBuffer({
        bcid: "gs1datamatrix",
        text: bracketed(k),
        scale: 2,
        padding: 4,
      });
      archive.append(png, { name, store: true });
    }
  }
  await archive.finalize();
  await closed;
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const bytes = statSync(path).size;
  if (!KEEP) rmSync(dir, { recursive: true, force: true });
  return {
    name: `bwip-js loop → archiver (${format})`,
    items,
    ms,
    cpuS: (cpu.user + cpu.system) / 1e6,
    labelsPerSecond: items / (ms / 1000),
    bytes,
    note: items < ITEMS ? `${fmt(items)} items measured, rate extrapolated to ${fmt(ITEMS)}` : "",
  };
}

// ---------------------------------------------------------------------------------------------
// 2b: zint --batch.

function timed(cmd: string, args: string[], cwd: string): { ms: number; cpuS: number } {
  const t0 = performance.now();
  const r = spawnSync("/usr/bin/time", ["-f", "%U %S", cmd, ...args], {
    cwd,
    encoding: "utf8",
    maxBuffer: 256 << 20,
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const [u, s] = (r.stderr.trim().split("\n").at(-1) as string).split(" ").map(Number);
  return { ms, cpuS: u + s };
}

function runZint(format: "svg" | "png", items: number): BaselineResult[] {
  const dir = join(root, `zint-${format}`);
  const outDir = join(dir, "out");
  mkdirSync(outDir, { recursive: true });
  let input = "";
  for (let k = 1; k <= items; k++) input += `${bracketed(k).replace(/\((\d+)\)/g, "[$1]")}\n`;
  writeFileSync(join(dir, "items.txt"), input);
  const args = ["-b", "71", "--gs1", "--square", "--quietzones", "--batch", `--filetype=${format}`];
  if (format === "png") args.push("--scale=2"); // 4 px per module, as ours at 300 dpi
  args.push("-i", "items.txt", "-o", `out/${"~".repeat(String(items).length)}.${format}`);
  const z = timed("zint", args, dir);
  const files = readdirSync(outDir).length;
  if (files !== items) throw new Error(`zint wrote ${files} files, expected ${items}`);
  // SVG deflated (zip's default level 6), PNG stored (-n .png), like our ZIPs.
  const zipArgs = ["-q", "-r", "-D", ...(format === "png" ? ["-n", ".png"] : []), "out.zip", "out"];
  const zz = timed("zip", zipArgs, dir);
  const bytes = statSync(join(dir, "out.zip")).size;
  if (!KEEP) rmSync(dir, { recursive: true, force: true });
  return [
    {
      name: `zint --batch, files (${format})`,
      items,
      ms: z.ms,
      cpuS: z.cpuS,
      labelsPerSecond: items / (z.ms / 1000),
      bytes: 0,
      note: "one file per symbol in a directory, not zipped",
    },
    {
      name: `zint --batch + zip -r (${format})`,
      items,
      ms: z.ms + zz.ms,
      cpuS: z.cpuS + zz.cpuS,
      labelsPerSecond: items / ((z.ms + zz.ms) / 1000),
      bytes,
      note: `zip alone ${seconds(zz.ms)}`,
    },
  ];
}

function printBaseline(b: BaselineResult): void {
  console.log(
    `${b.name}: ${fmt(b.items)} labels in ${seconds(b.ms)} → ${fmt(b.labelsPerSecond)} labels/s, CPU ${fmt(b.cpuS, 1)} s (${fmt((b.cpuS * 1e6) / b.items)} µs/label)` +
      (b.bytes > 0 ? `, ZIP ${fmt(b.bytes / 1048576, 1)} MB` : "") +
      (b.note ? ` [${b.note}]` : ""),
  );
}

// ---------------------------------------------------------------------------------------------
// 5: label sheets, ours against bwip-js SVG drawn by pdfkit.

// The baseline prints on glabels' L7160 grid and the checks cut labels out at it (helpers/
// sheet-cells.ts: from glabels' source, not from our template table).
const PER_SHEET = L7160_PER_SHEET;
const PT_PER_MM = 72 / 25.4;
// Our default X-dimension (render/options.ts), so both contenders print the same symbol size.
const XDIM_MM = 0.38;
const SHEET_DPI = 300;

function sheetWidth(items: number): number {
  return Math.max(6, String(items).length);
}

// What zxing-wasm reads from item k's symbol (plain text, FNC1 after the variable-length lot as
// GS): the element string the serial generator's item stands for, written out independently.
function decodedText(k: number, width: number): string {
  return `01${GTIN}17270630` + `10L1\x1d21${serialOf(k, width)}`;
}

interface PageCheck {
  page: number;
  labels: number;
  decoded: number;
  firstMismatch: string;
}

interface PdfCheck {
  qpdfOk: boolean;
  qpdfSays: string;
  pages: number;
  expectedPages: number;
  checked: PageCheck[];
}

/**
 * Untimed checks of a sheet PDF holding items 1..`items` from cell 0 on L7160: `qpdf --check`,
 * the page count, and every label of page 1 and of the last page decoded at its cell.
 */
async function checkSheetPdf(path: string, items: number, width: number): Promise<PdfCheck> {
  const check = spawnSync("qpdf", ["--check", path], { encoding: "utf8", maxBuffer: 64 << 20 });
  const said = `${check.stdout}${check.stderr}`.trim().split("\n");
  const npages = spawnSync("qpdf", ["--show-npages", path], { encoding: "utf8" });
  const pages = Number(npages.stdout.trim());
  const expectedPages = Math.ceil(items / PER_SHEET);
  const checked: PageCheck[] = [];
  for (const page of [...new Set([1, expectedPages])]) {
    const png = execFileSync(
      "pdftoppm",
      [
        "-png",
        "-r",
        String(SHEET_DPI),
        "-f",
        String(page),
        "-l",
        String(page),
        "-singlefile",
        path,
      ],
      { maxBuffer: 1 << 28 },
    );
    const first = (page - 1) * PER_SHEET + 1;
    const labels = Math.min(PER_SHEET, items - first + 1);
    let decoded = 0;
    let firstMismatch = "";
    for (let cell = 0; cell < labels; cell++) {
      const crop = await cropL7160Cell(png, cell, SHEET_DPI);
      const want = decodedText(first + cell, width);
      const got = await decodeImage(crop).then(
        (d) => d.text,
        (err: Error) => `(${err.message})`,
      );
      if (got === want) decoded++;
      else
        firstMismatch ||= `cell ${cell}: ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`;
    }
    checked.push({ page, labels, decoded, firstMismatch });
  }
  return {
    qpdfOk: check.status === 0,
    qpdfSays: said.at(-1) ?? "",
    pages,
    expectedPages,
    checked,
  };
}

function pdfCheckText(c: PdfCheck): string {
  const pages = c.checked
    .map(
      (p) =>
        `page ${fmt(p.page)} ${p.decoded}/${p.labels} decoded in item order` +
        (p.firstMismatch ? ` (first mismatch ${p.firstMismatch})` : ""),
    )
    .join(", ");
  return (
    `qpdf --check ${c.qpdfOk ? "OK" : `FAILED: ${c.qpdfSays}`}, ` +
    `${fmt(c.pages)} pages (expected ${fmt(c.expectedPages)}), ${pages}`
  );
}

function pdfCheckOk(c: PdfCheck): boolean {
  return c.qpdfOk && c.pages === c.expectedPages && c.checked.every((p) => p.decoded === p.labels);
}

interface SheetResult {
  items: number;
  toCompletedMs: number;
  toDownloadedMs: number;
  labelsPerSecond: number;
  serverCpuS: number;
  cpuUsPerLabel: number;
  pdfBytes: number;
  check: PdfCheck;
  rss: ReturnType<typeof treePeakRss>;
}

async function runSheet(items: number): Promise<SheetResult> {
  // One PDF however many pages (the default, 2,000 a part, would deliver a ZIP of parts).
  const s = await startServer(`sheet-${items}`, { LABELS_PDF_MAX_PAGES: "1000000" });
  try {
    const width = sheetWidth(items);
    const cpu0 = treeCpuSeconds(s.proc.pid as number);
    const t0 = performance.now();
    const res = await api(s, EXPORT, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        export_type: "sheet_pdf",
        file_format: "pdf",
        asset_config: { sheet_template: "avery_l7160" },
        serials: {
          gtin: GTIN,
          lot: "L1",
          expiry: "270630",
          mode: "range",
          start: 1,
          count: items,
          width,
        },
      }),
    });
    const body = (await res.json()) as { job_id: string };
    if (res.status !== 202) throw new Error(`submit: ${res.status} ${JSON.stringify(body)}`);
    const st = await waitFor(s, body.job_id, (x) => x.status === "completed");
    const t1 = performance.now();
    const pdfPath = join(s.dataDir, "download.pdf");
    await download(st.download_url as string, pdfPath);
    const t2 = performance.now();
    const serverCpuS = treeCpuSeconds(s.proc.pid as number) - cpu0;
    const rss = treePeakRss(s.proc.pid as number);
    await stopServer(s);
    const pdfBytes = statSync(pdfPath).size;
    const check = await checkSheetPdf(pdfPath, items, width);
    if (!KEEP) rmSync(s.dataDir, { recursive: true, force: true });
    return {
      items,
      toCompletedMs: t1 - t0,
      toDownloadedMs: t2 - t0,
      labelsPerSecond: items / ((t2 - t0) / 1000),
      serverCpuS,
      cpuUsPerLabel: (serverCpuS * 1e6) / items,
      pdfBytes,
      check,
      rss,
    };
  } finally {
    await stopServer(s);
  }
}

function printSheet(r: SheetResult): void {
  console.log(
    `ours, ${fmt(r.items)} labels, sheet_pdf on avery_l7160: completed ${seconds(r.toCompletedMs)}, downloaded ${seconds(r.toDownloadedMs)} → ${fmt(r.labelsPerSecond)} labels/s`,
  );
  console.log(
    `    server CPU ${fmt(r.serverCpuS, 1)} s (${fmt(r.cpuUsPerLabel)} µs/label, ${fmt(r.serverCpuS / (r.toDownloadedMs / 1000), 2)} cores busy on average of 2); ` +
      `PDF ${fmt(r.pdfBytes / 1048576, 1)} MB; ${pdfCheckText(r.check)}`,
  );
  console.log(
    `    peak RSS (VmHWM): ${r.rss.map((p) => `${p.role} ${p.pid} ${fmt(p.mb)} MB`).join(", ")}`,
  );
}

// Every `d` of a bwip-js SVG, parsed as a user would: a regular expression.
function svgPaths(svg: string): string[] {
  return [...svg.matchAll(/ d="([^"]+)"/g)].map((m) => m[1]);
}

// bwip-js draws a DataMatrix module as 4 SVG units (its default scale 2 × BWIPP's 2 units per
// module): a 20 × 20 symbol's viewBox is 80 wide.
const BWIP_UNITS_PER_MODULE = 4;

function drawBwipSheet(
  doc: InstanceType<typeof PDFDocument>,
  from: number,
  to: number,
  width: number,
): void {
  const scale = (XDIM_MM * PT_PER_MM) / BWIP_UNITS_PER_MODULE;
  // Two modules of quiet zone from the cell's corner, as our labels keep.
  const inset = 2 * XDIM_MM * PT_PER_MM;
  for (let k = from; k <= to; k++) {
    const cell = (k - 1) % PER_SHEET;
    if (cell === 0) doc.addPage({ size: "A4", margin: 0 });
    const paths = svgPaths(bwipjs.toSVG({ bcid: "gs1datamatrix", text: bracketed(k, width) }));
    const box = l7160Cell(cell);
    doc
      .save()
      .translate(box.x + inset, box.y + inset)
      .scale(scale);
    for (const d of paths) doc.path(d).fill("black");
    doc.restore();
  }
}

interface SheetBaseline extends BaselineResult {
  check: PdfCheck;
}

async function runBwipPdfkit(items: number, width: number): Promise<SheetBaseline> {
  const dir = join(root, "bwip-pdfkit");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "out.pdf");
  // Warm-up outside the measurement (a long-lived user script would be warm too).
  const warm = new PDFDocument({ autoFirstPage: false });
  drawBwipSheet(warm, 1, 200, width);
  warm.end();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const doc = new PDFDocument({ autoFirstPage: false });
  const out = createWriteStream(path);
  const closed = once(out, "close");
  doc.pipe(out);
  drawBwipSheet(doc, 1, items, width);
  doc.end();
  await closed;
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const bytes = statSync(path).size;
  const check = await checkSheetPdf(path, items, width);
  if (!KEEP) rmSync(dir, { recursive: true, force: true });
  return {
    name: "bwip-js SVG → pdfkit loop (avery_l7160 grid)",
    items,
    ms,
    cpuS: (cpu.user + cpu.system) / 1e6,
    labelsPerSecond: items / (ms / 1000),
    bytes,
    note:
      items < SHEET_ITEMS
        ? `${fmt(items)} items measured, rate extrapolated to ${fmt(SHEET_ITEMS)}`
        : "",
    check,
  };
}

// ---------------------------------------------------------------------------------------------
// 3: latency of single requests.

interface LatencyResult {
  label: string;
  requests: number;
  rate: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
}

let latencySerial = 0;
async function measureLatency(s: Server, label: string): Promise<LatencyResult> {
  const result = await autocannon({
    url: `${s.url}${DATAMATRIX}`,
    connections: LATENCY_CONNECTIONS,
    overallRate: LATENCY_RATE,
    duration: LATENCY_S,
    requests: [
      {
        setupRequest(req) {
          latencySerial++;
          return {
            ...req,
            method: "POST",
            headers: { "content-type": "application/json", "x-api-key": s.key },
            body: JSON.stringify({
              gtin: GTIN,
              lot: "LAT",
              expiry: "270630",
              serial: `Q${latencySerial}`,
              format: "svg",
            }),
          };
        },
      },
    ],
  });
  return {
    label,
    requests: result.requests.total,
    rate: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

function printLatency(rows: LatencyResult[]): void {
  console.log(
    `  ${"".padEnd(34)} ${"requests".padStart(9)} ${"req/s".padStart(7)} ${"p50 ms".padStart(7)} ${"p90 ms".padStart(7)} ${"p99 ms".padStart(7)} ${"max ms".padStart(7)} non-2xx errors`,
  );
  for (const r of rows) {
    console.log(
      `  ${r.label.padEnd(34)} ${fmt(r.requests).padStart(9)} ${fmt(r.rate).padStart(7)} ${fmt(r.p50, 1).padStart(7)} ${fmt(r.p90, 1).padStart(7)} ${fmt(r.p99, 1).padStart(7)} ${fmt(r.max, 1).padStart(7)} ${String(r.non2xx).padStart(7)} ${r.errors}`,
    );
  }
}

async function runLatency(): Promise<{
  idle: LatencyResult;
  busy: LatencyResult;
  idleAfter: LatencyResult;
  job: string;
}> {
  const s = await startServer("latency");
  try {
    // Unmeasured warm-up of both cluster workers.
    await measureLatencyShort(s);
    const idle = await measureLatency(s, "idle");
    const id = await submitSerialJob(s, "svg", LATENCY_JOB_ITEMS, 6);
    await waitFor(s, id, (st) => st.status === "completed" || st.processed_items > 0);
    const busy = await measureLatency(s, `during a ${fmt(LATENCY_JOB_ITEMS)}-label SVG job`);
    const st = await status(s, id);
    const job =
      st.status === "processing"
        ? `the job was still rendering when the measurement ended (${fmt(st.processed_items)} of ${fmt(st.total_items)} labels); canceled`
        : `WARNING: the job was ${st.status} before the measurement ended: raise BENCH_LATENCY_JOB_ITEMS`;
    if (st.status === "processing") await api(s, `${EXPORT}${id}/`, { method: "DELETE" });
    await waitFor(s, id, (x) => x.status !== "processing" && x.status !== "pending").catch(
      () => {},
    );
    // Idle once more, after the job: how far two idle runs differ on this shared machine.
    const idleAfter = await measureLatency(s, "idle again, after the job");
    return { idle, busy, idleAfter, job };
  } finally {
    await stopServer(s);
  }
}

async function measureLatencyShort(s: Server): Promise<void> {
  await autocannon({
    url: `${s.url}${DATAMATRIX}`,
    connections: LATENCY_CONNECTIONS,
    overallRate: LATENCY_RATE,
    duration: 2,
    headers: { "content-type": "application/json", "x-api-key": s.key },
    method: "POST",
    body: JSON.stringify({ gtin: GTIN, lot: "WARM", format: "svg" }),
  });
}

// ---------------------------------------------------------------------------------------------

function ratio(a: number, b: number): string {
  return `${fmt(a / b, 2)}×`;
}
function verdict(ok: boolean): string {
  return ok ? "met" : "MISSED";
}

async function main(): Promise<void> {
  if (!existsSync(SERVER)) throw new Error("build first: npm run build");
  const tools = ["curl"];
  if (runs("svg") || runs("png") || runs("zint")) tools.push("zint", "zip", "zipinfo", "unzip");
  if (runs("sheet")) tools.push("qpdf", "pdftoppm");
  for (const tool of tools) {
    if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0)
      throw new Error(`needs ${tool}`);
  }
  const startedAt = new Date();
  console.log(
    `labels bench, ${startedAt.toISOString()}: ${fmt(ITEMS)} items (sheets ${fmt(SHEET_ITEMS)}); node ${process.version}; ` +
      `load average at start ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")} (2 cores, shared: figures are noisy)`,
  );
  const ours: Partial<Record<"svg" | "png", OursResult>> = {};
  const bwip: Partial<Record<"svg" | "png", BaselineResult>> = {};
  const zint: Partial<Record<"svg" | "png", BaselineResult[]>> = {};

  if (runs("svg") || runs("png")) {
    console.log("\n== 1. ours, end to end (submit → completed → downloaded) ==");
  }
  for (const f of ["svg", "png"] as const) {
    if (!runs(f)) continue;
    ours[f] = await runOurs(f, ITEMS);
    printOurs(ours[f]);
  }

  if (runs("bwip") || runs("zint")) console.log("\n== 2. baselines, same data ==");
  for (const f of ["svg", "png"] as const) {
    if (runs("bwip")) {
      bwip[f] = await runBwipLoop(f, BWIP_ITEMS);
      printBaseline(bwip[f]);
    }
    if (runs("zint")) {
      zint[f] = runZint(f, ZINT_ITEMS);
      for (const z of zint[f]) printBaseline(z);
    }
  }

  let latency: Awaited<ReturnType<typeof runLatency>> | undefined;
  if (runs("latency")) {
    console.log(
      `\n== 3. single POST ${DATAMATRIX} (SVG), ${LATENCY_CONNECTIONS} connections at ${LATENCY_RATE} req/s for ${LATENCY_S} s ==`,
    );
    latency = await runLatency();
    printLatency([latency.idle, latency.busy, latency.idleAfter]);
    console.log(`  (${latency.job})`);
  }

  let million: OursResult | undefined;
  if (MILLION && runs("svg")) {
    console.log(`\n== 4. ${fmt(MILLION_ITEMS)}-label SVG job (BENCH_LABELS_MILLION=1) ==`);
    million = await runOurs("svg", MILLION_ITEMS, { measureLatencyDuring: runs("latency") });
    printOurs(million);
    if (million.latency) {
      printLatency([...(latency ? [latency.idle] : []), million.latency]);
    }
  }

  let sheet: SheetResult | undefined;
  let sheetBaseline: SheetBaseline | undefined;
  let sheetMillion: SheetResult | undefined;
  if (runs("sheet")) {
    console.log(
      "\n== 5. label sheets: sheet_pdf on avery_l7160, end to end, and the user's loop ==",
    );
    sheet = await runSheet(SHEET_ITEMS);
    printSheet(sheet);
    sheetBaseline = await runBwipPdfkit(SHEET_BASELINE_ITEMS, sheetWidth(SHEET_ITEMS));
    const b = sheetBaseline;
    console.log(
      `${b.name}: ${fmt(b.items)} labels in ${seconds(b.ms)} → ${fmt(b.labelsPerSecond)} labels/s, CPU ${fmt(b.cpuS, 1)} s (${fmt((b.cpuS * 1e6) / b.items)} µs/label), PDF ${fmt(b.bytes / 1048576, 1)} MB` +
        (b.note ? ` [${b.note}]` : ""),
    );
    console.log(`    ${pdfCheckText(b.check)}`);
    if (MILLION) {
      console.log(`\n== 5b. ${fmt(MILLION_ITEMS)}-label sheet job (BENCH_LABELS_MILLION=1) ==`);
      sheetMillion = await runSheet(MILLION_ITEMS);
      printSheet(sheetMillion);
    }
  }

  console.log("\n== ratios (same run) ==");
  for (const f of ["svg", "png"] as const) {
    const o = ours[f];
    if (!o) continue;
    const b = bwip[f];
    const zs = zint[f];
    if (b) {
      console.log(
        `${f}: ours / bwip-js loop ${ratio(o.labelsPerSecond, b.labelsPerSecond)} wall-clock` +
          ` (${fmt(o.labelsPerSecond)} vs ${fmt(b.labelsPerSecond)} labels/s${b.note ? `; ${b.note}` : ""});` +
          ` CPU per label ${fmt((b.cpuS * 1e6) / b.items)} vs ours ${fmt(o.cpuUsPerLabel)} µs (${ratio((b.cpuS * 1e6) / b.items, o.cpuUsPerLabel)})`,
      );
    }
    if (zs) {
      for (const z of zs) {
        console.log(
          `${f}: ours / ${z.name} ${ratio(o.labelsPerSecond, z.labelsPerSecond)} wall-clock` +
            ` (${fmt(z.labelsPerSecond)} labels/s); CPU per label ${fmt((z.cpuS * 1e6) / z.items)} vs ours ${fmt(o.cpuUsPerLabel)} µs (${ratio((z.cpuS * 1e6) / z.items, o.cpuUsPerLabel)})`,
        );
      }
    }
  }

  if (sheet && sheetBaseline) {
    const b = sheetBaseline;
    console.log(
      `sheet: ours / bwip-js → pdfkit loop ${ratio(sheet.labelsPerSecond, b.labelsPerSecond)} wall-clock` +
        ` (${fmt(sheet.labelsPerSecond)} vs ${fmt(b.labelsPerSecond)} labels/s${b.note ? `; ${b.note}` : ""});` +
        ` CPU per label ${fmt((b.cpuS * 1e6) / b.items)} vs ours ${fmt(sheet.cpuUsPerLabel)} µs (${ratio((b.cpuS * 1e6) / b.items, sheet.cpuUsPerLabel)})`,
    );
  }

  console.log("\n== targets (issues 18 and 21, on this 2-core machine) ==");
  if (ours.svg) {
    console.log(
      `SVG ≥ ${fmt(TARGETS.svg)} labels/s: ${fmt(ours.svg.labelsPerSecond)} → ${verdict(ours.svg.labelsPerSecond >= TARGETS.svg)}` +
        ` (at its measured CPU cost, 2 free cores would give ≈ ${fmt(2e6 / ours.svg.cpuUsPerLabel)} labels/s)`,
    );
  }
  if (ours.png) {
    console.log(
      `PNG ≥ ${fmt(TARGETS.png)} labels/s: ${fmt(ours.png.labelsPerSecond)} → ${verdict(ours.png.labelsPerSecond >= TARGETS.png)}` +
        ` (at its measured CPU cost, 2 free cores would give ≈ ${fmt(2e6 / ours.png.cpuUsPerLabel)} labels/s)`,
    );
  }
  for (const f of ["svg", "png"] as const) {
    const o = ours[f];
    const b = bwip[f];
    if (o && b) {
      const r = o.labelsPerSecond / b.labelsPerSecond;
      console.log(
        `${f}: ≥ ${TARGETS.bwipRatio}× the bwip-js loop: ${fmt(r, 1)}× → ${verdict(r >= TARGETS.bwipRatio)}`,
      );
    }
  }
  // The idle baseline is the lower of the two idle runs (the stricter test); when the two idle
  // runs themselves differ by more than the allowed factor, the machine is too noisy to judge.
  if (latency) {
    const idles = [latency.idle.p99, latency.idleAfter.p99];
    const idle = Math.min(...idles);
    const spread = Math.max(...idles) / idle;
    const judged: [string, LatencyResult][] = [
      [`a ${fmt(LATENCY_JOB_ITEMS)}-label job`, latency.busy],
    ];
    if (million?.latency) judged.push([`the ${fmt(MILLION_ITEMS)}-label job`, million.latency]);
    for (const [what, busy] of judged) {
      const r = busy.p99 / idle;
      const v =
        spread > TARGETS.p99Ratio
          ? `INCONCLUSIVE: the two idle runs differ ${fmt(spread, 2)}× (${idles.map((x) => fmt(x, 1)).join(" vs ")} ms); rerun on a quieter machine`
          : verdict(r <= TARGETS.p99Ratio);
      console.log(
        `p99 during ${what} ≤ ${TARGETS.p99Ratio}× idle: ${fmt(busy.p99, 1)} vs ${fmt(idle, 1)} ms idle (lower of two idle runs) = ${fmt(r, 2)}× → ${v}`,
      );
    }
  }
  if (million) {
    const peak = Math.max(...million.rss.map((p) => p.mb));
    console.log(
      `${fmt(MILLION_ITEMS)} labels: ${million.zip.entries === MILLION_ITEMS + 1 && million.zip.unzipOk ? "completed, ZIP verified" : "ZIP CHECK FAILED"} in ${seconds(million.toDownloadedMs)} (${fmt(million.labelsPerSecond)} labels/s); ` +
        `peak RSS < ${TARGETS.rssMb} MB: largest process ${fmt(peak)} MB → ${verdict(peak < TARGETS.rssMb)}`,
    );
  } else if (runs("svg")) {
    console.log("1,000,000-label SVG job: not run (BENCH_LABELS_MILLION=1 to run it)");
  }
  if (sheet) {
    console.log(
      `sheet ≥ ${fmt(TARGETS.sheet)} labels/s: ${fmt(sheet.labelsPerSecond)} → ${verdict(sheet.labelsPerSecond >= TARGETS.sheet)}` +
        ` (at its measured CPU cost, 2 free cores would give ≈ ${fmt(2e6 / sheet.cpuUsPerLabel)} labels/s)`,
    );
    console.log(
      `sheet PDF of ${fmt(sheet.items)} labels opens and page 1 and the last page decode: ${verdict(pdfCheckOk(sheet.check))}`,
    );
  }
  if (sheet && sheetBaseline) {
    const r = sheet.labelsPerSecond / sheetBaseline.labelsPerSecond;
    console.log(
      `sheet: ≥ ${TARGETS.sheetRatio}× the bwip-js → pdfkit loop: ${fmt(r, 1)}× → ${verdict(r >= TARGETS.sheetRatio)}`,
    );
  }
  if (sheetMillion) {
    const peak = Math.max(...sheetMillion.rss.map((p) => p.mb));
    console.log(
      `${fmt(MILLION_ITEMS)} labels on sheets: ${pdfCheckOk(sheetMillion.check) ? "completed, PDF verified" : "PDF CHECK FAILED"} in ${seconds(sheetMillion.toDownloadedMs)} (${fmt(sheetMillion.labelsPerSecond)} labels/s); ` +
        `peak RSS < ${TARGETS.rssMb} MB: largest process ${fmt(peak)} MB → ${verdict(peak < TARGETS.rssMb)}`,
    );
  } else if (runs("sheet")) {
    console.log("1,000,000-label sheet job: not run (BENCH_LABELS_MILLION=1 to run it)");
  }
  console.log(
    `\nload average at end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}; took ${seconds(Date.now() - startedAt.getTime())}`,
  );
}

try {
  await main();
} finally {
  for (const p of serverProcs) {
    stopping.add(p);
    if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
  }
  if (!KEEP) rmSync(root, { recursive: true, force: true });
}
