// `npm run bench:http` (the command, all knobs at their defaults spelled out:
// BENCH_ROUNDS=5 BENCH_SLICE_SECONDS=2 BENCH_PREROLL_SECONDS=1 npm run bench:http): the real
// server against a bare Express 5 endpoint returning a fixed 1 KB SVG, each started as
// `npm start` does (`node build/js/server/server.js`, built by tsc first; LOG_LEVEL=info, logs
// to /dev/null), in worker and store modes:
//   1. bare Express, 1 process
//   2. bare Express, a node:cluster primary forking 2 workers (same app)
//   3. ours, WORKERS=1: keys in SQLite under a temp DATA_DIR, rate limits in memory
//   4. ours, WORKERS=2: SQLite, rate limits counted by the cluster primary over IPC
//   5. ours, WORKERS=2 with REDIS_URL (shared Redis, a unique REDIS_KEY_PREFIX, removed
//      afterwards) and DATABASE_URL (a fresh PostgreSQL database, dropped afterwards)
// Each of ours serves a key created through the keys CLI (against DATABASE_URL for 5) with
// limits no run can reach. SVG runs go to all five; png, pdf and 304 (revalidating what the svg
// run of 3 was served) go to 3 only, so the formats table measures one server process as it was
// meant to (WORKERS is explicit: its default, auto, would make a cluster of one per core).
// Load: autocannon on loopback, 50 connections, a rotating corpus of distinct payloads, driven
// by load-client.mjs in a process of its own per slice so that its CPU can be reported too; it
// first sends BENCH_PREROLL_SECONDS of unmeasured load (see PREROLL_S). Every run takes
// ~10 s as interleaved 2 s slices (1, 2, 3, 4, 5, png, pdf, 304, 1, 2, ...) so that load from
// other processes on a shared machine hits every run alike; ratios are medians of per-round
// ratios. Server CPU is summed over the spawned process and all its descendants (cluster
// primary + workers), read from /proc around each slice. Prints the formats table, the SVG
// configurations table (req/s, ratio to bare Express 1 process, p50/p99, server and
// load-client CPU per request, non-2xx, errors), then the targets. Stops every server with
// SIGTERM and checks that no process of theirs is left. Not a test.
// QR (issue 19): a "qr svg" run sends the same payloads to the QR endpoint of 3 (the Digital
// Link in a QR Code, SVG), in the same interleaved rounds, and QR's fraction of bare Express is
// printed beside DataMatrix SVG's, with their ratio (median of per-round qr/svg ratios).
// Environment: BENCH_ROUNDS (5), BENCH_SLICE_SECONDS (2), BENCH_PREROLL_SECONDS (1),
// BENCH_QUICK=1: only runs 1 and 3, SVG and qr svg (no cluster, Redis, PostgreSQL, png, pdf,
// 304), for a short check of the QR figures.

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { render } from "../../src/index.js";
import { DATAMATRIX_PATH, QR_PATH } from "../../src/types.js";
import { gs1Corpus } from "../helpers/corpus.js";
import {
  cleanupRedisPrefix,
  createTestDatabase,
  sharedRedisUrl,
  type TestDatabase,
  uniquePrefix,
} from "../helpers/services.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SLICE_S = Number(process.env.BENCH_SLICE_SECONDS ?? 2);
// Unmeasured load the client sends before each slice: each server idles for the seven other
// runs' slices in between, and comes back from that (and the fresh client from its cold JIT)
// noticeably slower for a second or two.
const PREROLL_S = Number(process.env.BENCH_PREROLL_SECONDS ?? 1);
const QUICK = process.env.BENCH_QUICK === "1";
const CONNECTIONS = 50;
// More payloads than any run of ours sends (~17 s with warm-up and pre-rolls, at ~4-5 k req/s
// per configuration here), so no response repeats within a run; bare Express, whose response
// is fixed anyway, may wrap around.
const CORPUS_SIZE = 150_000;
const ENDPOINT = DATAMATRIX_PATH;
const LOAD_CLIENT = fileURLToPath(new URL("./load-client.mjs", import.meta.url));
// Beyond the server's own drain deadline (SHUTDOWN_TIMEOUT_MS, 10 s), how long to wait for a
// SIGTERMed server before SIGKILLing whatever is left of it.
const STOP_TIMEOUT_MS = 20_000;

// The bare endpoint: idiomatic Express 5, JSON body parsing, a fixed 1 KB SVG.
const BARE_APP = `
import express from "express";
const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">' +
  '<path d="' + "M0 0h1v1H0z".repeat(78) + '"/></svg>';
const serve = () => {
  const app = express();
  app.use(express.json());
  app.post("${ENDPOINT}", (req, res) => { res.type("image/svg+xml").send(svg); });
  app.listen(Number(process.env.PORT), "127.0.0.1");
};
`;
const BARE_SERVER = `${BARE_APP}serve();`;
// The same app in 2 node:cluster workers; the primary takes them along on SIGTERM. A -e script
// has no file for cluster.fork() to run, so the workers get the same -e (the worker argument
// only fills argv[1]).
const BARE_CLUSTER = `${BARE_APP}
import cluster from "node:cluster";
if (cluster.isPrimary) {
  cluster.setupPrimary({ execArgv: process.execArgv, exec: "worker" });
  let alive = 2;
  let stopping = false;
  cluster.on("exit", () => { if (--alive === 0 && stopping) process.exit(0); });
  for (let i = 0; i < alive; i++) cluster.fork();
  process.on("SIGTERM", () => {
    stopping = true;
    if (alive === 0) process.exit(0);
    for (const w of Object.values(cluster.workers)) w.process.kill("SIGTERM");
  });
} else serve();
`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

// --- CPU time from /proc -----------------------------------------------------------------------

// Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ).
const TICK_MS = 1000 / Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }));

interface Proc {
  pid: number;
  ppid: number;
  comm: string;
  /** CPU time (user + system, all threads) used so far, in ms. */
  cpuMs: number;
}

/**
 * Every process on the machine, from /proc/<pid>/stat. (This kernel has no
 * /proc/<pid>/task/<tid>/children, so descendants are found through the parent pids.)
 */
function processes(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, "utf8");
    } catch {
      continue; // exited meanwhile
    }
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    // Fields after the parenthesised command name: ppid is field 4, utime and stime 14 and 15.
    const fields = stat.slice(close + 2).split(" ");
    const cpuMs = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    out.push({ pid: Number(name), ppid: Number(fields[1]), comm, cpuMs });
  }
  return out;
}

/** `pid` and all its descendants, `pid` first. */
function tree(pid: number, all = processes()): Proc[] {
  const found = all.filter((p) => p.pid === pid);
  for (let i = 0; i < found.length; i++) {
    found.push(...all.filter((p) => p.ppid === found[i].pid));
  }
  return found;
}

/** CPU used so far by the process tree of `pid` (all of it, and the root process alone), ms. */
function treeCpuMs(pid: number): { total: number; root: number } {
  const procs = tree(pid);
  return { total: procs.reduce((s, p) => s + p.cpuMs, 0), root: procs[0]?.cpuMs ?? 0 };
}

/** CPU used so far by each redis-server and postgres process on the machine, by pid, in ms. */
function backingCpuMs(): Map<number, number> {
  const procs = processes().filter((p) => p.comm === "redis-server" || p.comm === "postgres");
  return new Map(procs.map((p) => [p.pid, p.cpuMs]));
}

/** CPU the backing services used between two backingCpuMs() readings (new processes from 0). */
function backingDeltaMs(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, ms] of after) sum += ms - (before.get(pid) ?? 0);
  return sum;
}

// --- servers -----------------------------------------------------------------------------------

/** A server under test: the spawned process (a cluster primary, or the only process). */
interface Server {
  name: string;
  proc: ChildProcess;
  pid: number;
  port: number;
}

/** The bench's environment without any setting of ours, plus `extra`. */
function envWith(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ["WORKERS", "REDIS_URL", "REDIS_KEY_PREFIX", "DATABASE_URL", "METRICS_PORT"]) {
    delete env[name];
  }
  return { ...env, ...extra };
}

/** Spawns `args` with node on a free port; stdout (the logs) to /dev/null, stderr inherited. */
async function spawnServer(
  name: string,
  args: string[],
  extraEnv: Record<string, string>,
  servers: Server[],
): Promise<Server> {
  const port = await freePort();
  const proc = spawn(process.execPath, args, {
    env: envWith({ ...extraEnv, PORT: String(port) }),
    stdio: ["ignore", "ignore", "inherit"],
  });
  const server = { name, proc, pid: proc.pid as number, port };
  servers.push(server);
  return server;
}

/** Waits until `url` answers and the server runs `processCount` processes (primary + workers). */
async function waitUntilUp(server: Server, url: string, processCount: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (server.proc.exitCode !== null || server.proc.signalCode !== null) {
      throw new Error(`${server.name} exited (${server.proc.exitCode ?? server.proc.signalCode})`);
    }
    try {
      await fetch(url);
      if (tree(server.pid).length >= processCount) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${server.name} did not come up`);
}

/** Creates a key with limits no run can reach through the CLI, against `env`'s key store. */
function createKey(env: Record<string, string>): string {
  const cli = execFileSync(
    process.execPath,
    ["--import", "tsx", "src/operator/keys-cli.ts", "create", "--name", "bench"].concat([
      "--per-minute",
      "1000000000",
      "--per-day",
      "1000000000",
    ]),
    { env: envWith(env), encoding: "utf8" },
  );
  return cli.trimEnd().split("\n").pop() as string;
}

/**
 * SIGTERMs every server, waits for each to exit (SIGKILLing its remaining processes after
 * STOP_TIMEOUT_MS), and returns the processes of theirs still alive afterwards (none, normally).
 */
async function stopAll(servers: Server[]): Promise<Proc[]> {
  const all = processes();
  const pids = servers.flatMap((s) => tree(s.pid, all).map((p) => p.pid));
  await Promise.all(
    servers.map(async (s) => {
      if (s.proc.exitCode !== null || s.proc.signalCode !== null) return;
      const exited = new Promise((r) => s.proc.once("exit", r));
      s.proc.kill("SIGTERM");
      const timer = new Promise((r) => setTimeout(r, STOP_TIMEOUT_MS, "timeout"));
      if ((await Promise.race([exited, timer])) === "timeout") {
        process.stderr.write(`${s.name} did not stop within ${STOP_TIMEOUT_MS} ms: SIGKILL\n`);
        for (const p of tree(s.pid)) process.kill(p.pid, "SIGKILL");
      }
    }),
  );
  // Workers exit on their own schedule after the primary; give them a moment.
  for (let i = 0; i < 100; i++) {
    const left = processes().filter((p) => pids.includes(p.pid));
    if (left.length === 0) return [];
    await new Promise((r) => setTimeout(r, 100));
  }
  return processes().filter((p) => pids.includes(p.pid));
}

// --- load --------------------------------------------------------------------------------------

/** What the load client reports for one slice (see load-client.mjs). */
interface ClientResult {
  requests: { total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  "3xx": number;
  errors: number;
  timeouts: number;
  cursor: number;
  clientCpuUs: number;
}

interface Slice extends ClientResult {
  /** CPU of the whole server (primary + workers) over the slice, ms. */
  serverCpuMs: number;
  /** CPU of the spawned process alone (the cluster primary in a cluster), ms. */
  rootCpuMs: number;
  /** CPU of the machine's redis-server and postgres processes over the slice, ms. */
  backingCpuMs: number;
}

/** One measured configuration: a server, its URL, the bodies it cycles through, its headers. */
interface Target {
  name: string;
  server: Server;
  url: string;
  /** JSON file holding the array of request bodies. */
  bodiesFile: string;
  /** JSON file of the If-None-Match value for each body, for revalidation. */
  etagsFile?: string;
  headers: Record<string, string>;
  /** Position in the bodies, kept across slices so payloads do not repeat within a run. */
  cursor: number;
  /** How many of the bodies are in use (default all); read before each slice. */
  range?: () => number;
  /** Whether to measure the machine's Redis and PostgreSQL processes during its slices. */
  backing?: boolean;
  slices: Slice[];
}

/** Drives `t` for `seconds` from a load-client process and records the slice. */
async function slice(t: Target, seconds: number, dir: string, record = true): Promise<void> {
  const jobFile = join(dir, "job.json");
  writeFileSync(
    jobFile,
    JSON.stringify({
      url: t.url,
      connections: CONNECTIONS,
      duration: seconds,
      headers: t.headers,
      bodiesFile: t.bodiesFile,
      etagsFile: t.etagsFile,
      cursor: t.cursor,
      range: t.range?.(),
      preroll: record ? PREROLL_S : 0,
    }),
  );
  const client = spawn(process.execPath, [LOAD_CLIENT, jobFile], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((r) => client.once("exit", (code) => r(code)));
  let before = { total: 0, root: 0 };
  let after = before;
  let backingBefore = new Map<number, number>();
  let backingMs = 0;
  let result: ClientResult | undefined;
  for await (const line of createInterface({ input: client.stdout as NodeJS.ReadableStream })) {
    if (line === "ready") {
      before = treeCpuMs(t.server.pid);
      if (t.backing) backingBefore = backingCpuMs();
      client.stdin?.end("go\n");
    } else {
      after = treeCpuMs(t.server.pid);
      if (t.backing) backingMs = backingDeltaMs(backingBefore, backingCpuMs());
      result = JSON.parse(line) as ClientResult;
    }
  }
  const code = await exited;
  if (result === undefined || code !== 0) throw new Error(`load client for ${t.name}: ${code}`);
  t.cursor = result.cursor;
  if (record) {
    t.slices.push({
      ...result,
      serverCpuMs: after.total - before.total,
      rootCpuMs: after.root - before.root,
      backingCpuMs: backingMs,
    });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function main() {
  const tempDirs: string[] = [];
  const temp = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    tempDirs.push(dir);
    return dir;
  };
  const work = temp("dm-bench-");
  const servers: Server[] = [];
  const redisPrefix = uniquePrefix("bench");
  let db: TestDatabase | undefined;
  try {
    // 1. Ours runs as `npm start` does, from tsc's output (tsx would add esbuild's __name() calls
    // to every closure, a per-request cost production does not pay), so build it first.
    execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"], {
      stdio: "inherit",
    });

    // 2. The key stores, each with a key whose limits no run can reach, created through the CLI
    // like an operator would; then every server in its own process tree. Logs go to /dev/null
    // but are still produced (LOG_LEVEL=info as in production).
    if (!QUICK) db = await createTestDatabase();
    const common = { HOST: "127.0.0.1", LOG_LEVEL: "info" };
    const sqlite1 = { ...common, DATA_DIR: temp("dm-bench-w1-"), WORKERS: "1" };
    const sqlite2 = { ...common, DATA_DIR: temp("dm-bench-w2-"), WORKERS: "2" };
    const shared = {
      ...common,
      DATA_DIR: temp("dm-bench-w2s-"),
      WORKERS: "2",
      REDIS_URL: sharedRedisUrl(),
      REDIS_KEY_PREFIX: redisPrefix,
      DATABASE_URL: db?.url ?? "",
    };
    const keys = QUICK
      ? [createKey(sqlite1)]
      : [createKey(sqlite1), createKey(sqlite2), createKey(shared)];
    const server = ["build/js/server/server.js"];
    const inline = (script: string) => ["--input-type=module", "-e", script];
    const url = (s: Server, path = ENDPOINT) => `http://127.0.0.1:${s.port}${path}`;
    const bare1 = await spawnServer("bare express", inline(BARE_SERVER), {}, servers);
    const ours1 = await spawnServer("ours WORKERS=1", server, sqlite1, servers);
    const up = [waitUntilUp(bare1, url(bare1), 1), waitUntilUp(ours1, url(ours1, "/healthz"), 1)];
    let bare2 = bare1;
    let ours2 = ours1;
    let ours2s = ours1;
    if (!QUICK) {
      bare2 = await spawnServer("bare express x2", inline(BARE_CLUSTER), {}, servers);
      ours2 = await spawnServer("ours WORKERS=2", server, sqlite2, servers);
      ours2s = await spawnServer("ours WORKERS=2 Redis+PG", server, shared, servers);
      up.push(
        waitUntilUp(bare2, url(bare2), 3),
        waitUntilUp(ours2, url(ours2, "/healthz"), 3),
        waitUntilUp(ours2s, url(ours2s, "/healthz"), 3),
      );
    }
    await Promise.all(up);

    // 3. The corpus per format (in files for the load clients), and the SVG ETags for the 304
    // run (same engine, same bytes).
    const corpus = gs1Corpus(CORPUS_SIZE);
    const bodiesFile = (format: string) => {
      const file = join(work, `${format}.json`);
      writeFileSync(file, JSON.stringify(corpus.map((p) => JSON.stringify({ ...p, format }))));
      return file;
    };
    const [svgFile, pngFile, pdfFile] = ["svg", "png", "pdf"].map(bodiesFile);
    const etags: string[] = [];
    if (!QUICK) {
      process.stderr.write(`computing ${CORPUS_SIZE} SVG ETags in-process for the 304 run...\n`);
      for (const p of corpus) {
        const { body } = await render({ ...p, format: "svg" });
        etags.push(`"${createHash("sha256").update(body).digest("base64url")}"`);
      }
    }
    const etagsFile = join(work, "etags.json");
    writeFileSync(etagsFile, JSON.stringify(etags));

    const json = { "content-type": "application/json" };
    const authed = (key: string) => ({ ...json, "x-api-key": key });
    const target = (
      name: string,
      s: Server,
      bodies: string,
      headers: Record<string, string>,
      extra: Partial<Target> = {},
    ): Target => ({
      name,
      server: s,
      url: url(s),
      bodiesFile: bodies,
      headers,
      cursor: 0,
      slices: [],
      ...extra,
    });
    const bareT = target("bare express", bare1, svgFile, json);
    const bare2T = target("bare express x2", bare2, svgFile, json);
    const svg = target("svg", ours1, svgFile, authed(keys[0]));
    const svg2 = target("svg WORKERS=2", ours2, svgFile, authed(keys[1]));
    const svg2s = target("svg WORKERS=2 shared", ours2s, svgFile, authed(keys[2]), {
      backing: true,
    });
    // Revalidation is of responses served before: the 304 run cycles over the payloads the svg
    // run has sent so far, each with its ETag.
    const revalidate = target("304", ours1, svgFile, authed(keys[0]), {
      etagsFile,
      range: () => Math.max(1, Math.min(svg.cursor, CORPUS_SIZE)),
    });
    const png = target("png", ours1, pngFile, authed(keys[0]));
    const pdf = target("pdf", ours1, pdfFile, authed(keys[0]));
    // The same GS1 payloads (every one of them valid for QR too), to the QR endpoint.
    const qr = target("qr svg", ours1, svgFile, authed(keys[0]), { url: url(ours1, QR_PATH) });
    const targets = QUICK
      ? [bareT, svg, qr]
      : [bareT, bare2T, svg, svg2, svg2s, png, pdf, revalidate, qr];

    // 4. Warm-up (JIT, WASM, caches, connections to Redis and PostgreSQL), then interleaved
    // slices.
    for (const t of targets) await slice(t, 2, work, false);
    for (let round = 0; round < ROUNDS; round++) {
      for (const t of targets) await slice(t, SLICE_S, work);
      process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`);
    }

    // 5. Report: totals per run, ratios as the median of per-round ratios.
    const rps = (t: Target, r: number) => t.slices[r].requests.total / SLICE_S;
    const ratio = (t: Target, to: Target) => median(t.slices.map((_, r) => rps(t, r) / rps(to, r)));
    const summarize = (t: Target) => {
      const sum = (f: (x: Slice) => number) => t.slices.reduce((s, x) => s + f(x), 0);
      const total = sum((x) => x.requests.total);
      return {
        name: t.name,
        rps: total / (ROUNDS * SLICE_S),
        ratio: ratio(t, bareT),
        p50: median(t.slices.map((x) => x.latency.p50)),
        p99: median(t.slices.map((x) => x.latency.p99)),
        cpuUs: (1000 * sum((x) => x.serverCpuMs)) / total,
        rootUs: (1000 * sum((x) => x.rootCpuMs)) / total,
        clientUs: sum((x) => x.clientCpuUs) / total,
        backingUs: (1000 * sum((x) => x.backingCpuMs)) / total,
        non2xx: sum((x) => x.non2xx),
        notModified: sum((x) => x["3xx"]),
        errors: sum((x) => x.errors + x.timeouts),
      };
    };
    const pct = (x: number) => `${Math.round(100 * x)} %`;
    const cells = (first: number, xs: (string | number)[]) =>
      xs.map((c, i) => String(c).padStart(i === 0 ? first : 11)).join("");

    console.log(
      `\nautocannon, ${CONNECTIONS} connections, ${ROUNDS} interleaved slices of ${SLICE_S} s ` +
        `per run, ${CORPUS_SIZE} distinct payloads; load client in a process of its own`,
    );
    console.log("\nFormats, against ours with WORKERS=1 (SQLite, limits in memory):");
    const formats = (QUICK ? [bareT, svg, qr] : [bareT, svg, png, pdf, revalidate, qr]).map(
      summarize,
    );
    const bareCpu = formats[0].cpuUs;
    const formatHead = ["run", "req/s", "ratio", "p50 ms", "p99 ms", "cpu µs/req", "cpu ratio"];
    console.log(cells(14, [...formatHead, "non-2xx", "304s", "errors", "client µs"]));
    for (const s of formats) {
      console.log(
        cells(14, [
          s.name,
          Math.round(s.rps),
          pct(s.ratio),
          s.p50,
          s.p99,
          Math.round(s.cpuUs),
          pct(bareCpu / s.cpuUs),
          s.non2xx,
          s.notModified,
          s.errors,
          Math.round(s.clientUs),
        ]),
      );
    }
    console.log(
      "\nratio: median over rounds of req/s against bare Express in the same round." +
        "\ncpu ratio: bare Express's server CPU per request over this run's, the req/s ratio" +
        "\nto expect when the server process, not the shared machine, is the limit." +
        "\nclient µs: the load client's own CPU per request.",
    );

    const by = (name: string) => formats.find((s) => s.name === name) as (typeof formats)[number];
    const x = (r: number) => `${r.toFixed(2)}x`;
    // Per-round qr/svg req/s: both ran against the same server in the same round.
    const qrOverSvg = ratio(qr, svg);
    console.log(
      "\nQR SVG beside DataMatrix SVG (same payloads, same server process, same rounds):" +
        `\n  fraction of bare Express: DataMatrix SVG ${pct(by("svg").ratio)}, ` +
        `QR SVG ${pct(by("qr svg").ratio)}` +
        `\n  QR / DataMatrix req/s: ${x(qrOverSvg)} (median of per-round ratios); server CPU ` +
        `per request: DataMatrix ${Math.round(by("svg").cpuUs)} µs, QR ${Math.round(by("qr svg").cpuUs)} µs`,
    );

    // [label, target, whether it is a cluster (a primary and workers)]
    const configs: [string, Target, boolean][] = QUICK
      ? []
      : [
          ["1 bare Express, 1 process", bareT, false],
          ["2 bare Express, cluster of 2", bare2T, true],
          ["3 ours WORKERS=1 SQLite+memory", svg, false],
          ["4 ours WORKERS=2 SQLite+IPC", svg2, true],
          ["5 ours WORKERS=2 PG+Redis", svg2s, true],
        ];
    const svgRuns = configs.map(([label, t, isCluster]) => ({ label, isCluster, s: summarize(t) }));
    if (!QUICK) {
      console.log("\nSVG, by worker and store mode:");
      const svgHead = ["configuration", "req/s", "ratio", "p50 ms", "p99 ms", "server µs"];
      console.log(cells(31, [...svgHead, "primary µs", "client µs", "non-2xx", "errors"]));
    }
    for (const { label, isCluster, s } of svgRuns) {
      console.log(
        cells(31, [
          label,
          Math.round(s.rps),
          pct(s.ratio),
          s.p50,
          s.p99,
          Math.round(s.cpuUs),
          isCluster ? Math.round(s.rootUs) : "-",
          Math.round(s.clientUs),
          s.non2xx,
          s.errors,
        ]),
      );
    }
    if (!QUICK) {
      const shared5 = svgRuns[4].s;
      console.log(
        "\nratio: median over rounds of req/s against 1 in the same round." +
          "\nserver µs: CPU per request summed over the server's processes (primary + workers);" +
          "\nprimary µs: the cluster primary's part of it. client µs: the load client's CPU." +
          `\nredis-server + postgres processes during 5's slices: ${Math.round(shared5.backingUs)} ` +
          "µs/req (machine-wide, not in server µs).",
      );
    }
    console.log();

    // "The same fraction of bare Express as DataMatrix SVG": QR's req/s at least 95 % of
    // DataMatrix's in the same rounds (5 %: the spread of repeated runs on this machine).
    const qrTargets: [string, boolean, string][] = [
      [
        "QR SVG at DataMatrix SVG's fraction of bare Express (QR/DataMatrix req/s >= 0.95)",
        qrOverSvg >= 0.95,
        `${pct(by("qr svg").ratio)} vs ${pct(by("svg").ratio)}, ${x(qrOverSvg)}`,
      ],
      ["no non-2xx in the qr svg run", by("qr svg").non2xx === 0, String(by("qr svg").non2xx)],
    ];
    if (QUICK) {
      for (const [what, ok, value] of qrTargets) {
        console.log(`${ok ? "PASS" : "FAIL"}  ${what}${value ? ` (${value})` : ""}`);
      }
      return;
    }
    const w2 = ratio(svg2, svg);
    const sharedCost = ratio(svg2s, svg2);
    const targetsMet: [string, boolean, string][] = [
      ...qrTargets,
      ["SVG >= 70 % of bare Express", by("svg").ratio >= 0.7, pct(by("svg").ratio)],
      ["PDF >= 60 %", by("pdf").ratio >= 0.6, pct(by("pdf").ratio)],
      ["PNG >= 25 %", by("png").ratio >= 0.25, pct(by("png").ratio)],
      ["304 >= 80 %", by("304").ratio >= 0.8, pct(by("304").ratio)],
      ["SVG p99 < 25 ms", by("svg").p99 < 25, `${by("svg").p99} ms`],
      [
        "no unintended non-2xx (the 304 run: only 304s)",
        ["svg", "png", "pdf"].every((n) => by(n).non2xx === 0) &&
          by("304").non2xx === by("304").notModified,
        "",
      ],
      ["WORKERS=2 >= 1.4x WORKERS=1 SVG req/s", w2 >= 1.4, x(w2)],
      [
        "Redis+PostgreSQL limits cost <= 15 % of req/s against in-memory (WORKERS=2 cluster)",
        sharedCost >= 0.85,
        `${x(sharedCost)}, cost ${pct(1 - sharedCost)}`,
      ],
      [
        "no non-2xx in any SVG configuration",
        svgRuns.every(({ s }) => s.non2xx === 0),
        svgRuns.map(({ s }) => s.non2xx).join("/"),
      ],
    ];
    for (const [what, ok, value] of targetsMet) {
      console.log(`${ok ? "PASS" : "FAIL"}  ${what}${value ? ` (${value})` : ""}`);
    }
  } finally {
    const left = await stopAll(servers);
    if (left.length > 0) {
      process.stderr.write(
        `still running after the bench: ${left.map((p) => `${p.pid} ${p.comm}`).join(", ")}\n`,
      );
      process.exitCode = 1;
    } else if (servers.length > 0) {
      process.stderr.write("every server stopped with its workers\n");
    }
    try {
      if (!QUICK) {
        const removed = await cleanupRedisPrefix(sharedRedisUrl(), redisPrefix);
        process.stderr.write(`removed ${removed} Redis keys under ${redisPrefix}\n`);
      }
    } catch (err) {
      process.stderr.write(`Redis cleanup failed: ${err}\n`);
    }
    await db?.drop();
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
