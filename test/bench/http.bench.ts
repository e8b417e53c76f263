// `npm run bench:http`: the real server (own process, temp DATA_DIR, a key with raised limits)
// against a bare Express 5 endpoint returning a fixed 1 KB SVG (another process), both driven
// by autocannon on loopback with 50 connections and a rotating corpus of distinct payloads.
// Runs: bare, svg, png, pdf and 304 (revalidating what the svg run was served), ~10 s each,
// taken as interleaved 2 s slices (bare, svg, png, pdf, 304, bare, svg, ...) so that load from
// other processes on a shared machine hits every run alike; ratios are per-round medians. Prints req/s, p50/p99, the ratio
// to bare Express, server CPU per request and the non-2xx counts, then the targets.
// Not a test. Environment: BENCH_ROUNDS (5), BENCH_SLICE_SECONDS (2).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { render } from "../../src/index.js";
import { gs1Corpus } from "../helpers/corpus.js";

const require = createRequire(import.meta.url);

interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  "3xx": number;
  errors: number;
  timeouts: number;
}
interface CannonRequest {
  method?: string;
  body?: string;
  headers?: Record<string, string>;
}
type Cannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  requests: { setupRequest: (req: CannonRequest) => CannonRequest }[];
}) => Promise<CannonResult>;
const autocannon = require("autocannon") as Cannon;

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SLICE_S = Number(process.env.BENCH_SLICE_SECONDS ?? 2);
const CONNECTIONS = 50;
// More payloads than any run sends (~10 s at the ~12.5 k req/s of bare Express), so no
// response repeats within a run.
const CORPUS_SIZE = 150_000;
const ENDPOINT = "/products/api/v1/datamatrix/";

// The bare endpoint: idiomatic Express 5, JSON body parsing, a fixed 1 KB SVG.
const BARE_SERVER = `
import express from "express";
const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">' +
  '<path d="' + "M0 0h1v1H0z".repeat(78) + '"/></svg>';
const app = express();
app.use(express.json());
app.post("${ENDPOINT}", (req, res) => { res.type("image/svg+xml").send(svg); });
app.listen(Number(process.env.PORT), "127.0.0.1");
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

async function waitUntilUp(url: string, proc: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (proc.exitCode !== null) throw new Error(`${url} exited with ${proc.exitCode}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`${url} did not come up`);
}

// Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ).
const TICK_MS = 1000 / Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }));

/** Returns the CPU time (user + system) process `pid` has used so far, in ms. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** One measured configuration: a server, its URL, the bodies it cycles through, its headers. */
interface Target {
  name: string;
  server: ChildProcess;
  url: string;
  bodies: string[];
  headers: (i: number) => Record<string, string>;
  /** Position in `bodies`, kept across slices so payloads do not repeat within a run. */
  cursor: number;
  /** How many of `bodies` are in use (default all); read before each request. */
  range?: () => number;
  slices: (CannonResult & { cpuMs: number })[];
}

/** Drives `t` for `seconds` and records the slice with the server CPU it used. */
async function slice(t: Target, seconds: number, record = true): Promise<void> {
  const cpuBefore = cpuMs(t.server.pid as number);
  const result = await autocannon({
    url: t.url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        setupRequest(req) {
          const i = t.cursor++ % (t.range?.() ?? t.bodies.length);
          return { ...req, method: "POST", body: t.bodies[i], headers: t.headers(i) };
        },
      },
    ],
  });
  if (record) t.slices.push({ ...result, cpuMs: cpuMs(t.server.pid as number) - cpuBefore });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), "dm-bench-"));
  const children: ChildProcess[] = [];
  try {
    // 1. A key whose limits no run can reach, created through the CLI like an operator would.
    const cli = execFileSync(
      process.execPath,
      ["--import", "tsx", "src/http/keys-cli.ts", "create", "--name", "bench"].concat([
        "--per-minute",
        "1000000000",
        "--per-day",
        "1000000000",
      ]),
      { env: { ...process.env, DATA_DIR: dataDir }, encoding: "utf8" },
    );
    const key = cli.trimEnd().split("\n").pop() as string;

    // 2. Both servers in their own processes; logs go to /dev/null but are still produced.
    // Ours runs as `npm start` does, from tsc's output (tsx would add esbuild's __name() calls to
    // every closure, a per-request cost production does not pay), so build it first.
    execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"], {
      stdio: "inherit",
    });
    const [ourPort, barePort] = [await freePort(), await freePort()];
    const ours = spawn(process.execPath, ["build/js/http/server.js"], {
      env: { ...process.env, PORT: String(ourPort), HOST: "127.0.0.1", DATA_DIR: dataDir },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const bare = spawn(process.execPath, ["--input-type=module", "-e", BARE_SERVER], {
      env: { ...process.env, PORT: String(barePort) },
      stdio: ["ignore", "ignore", "inherit"],
    });
    children.push(ours, bare);
    const ourUrl = `http://127.0.0.1:${ourPort}${ENDPOINT}`;
    const bareUrl = `http://127.0.0.1:${barePort}${ENDPOINT}`;
    await Promise.all([
      waitUntilUp(`http://127.0.0.1:${ourPort}/healthz`, ours),
      waitUntilUp(bareUrl, bare),
    ]);

    // 3. The corpus per format, and the SVG ETags for the 304 run (same engine, same bytes).
    const corpus = gs1Corpus(CORPUS_SIZE);
    const bodies = (format: string) => corpus.map((p) => JSON.stringify({ ...p, format }));
    const svgBodies = bodies("svg");
    process.stderr.write(`computing ${CORPUS_SIZE} SVG ETags in-process for the 304 run...\n`);
    const etags: string[] = [];
    for (const p of corpus) {
      const { body } = await render({ ...p, format: "svg" });
      etags.push(`"${createHash("sha256").update(body).digest("base64url")}"`);
    }
    const json = { "content-type": "application/json" };
    const authed = { ...json, "x-api-key": key };
    const target = (
      name: string,
      server: ChildProcess,
      url: string,
      b: string[],
      headers: Target["headers"],
    ): Target => ({ name, server, url, bodies: b, headers, cursor: 0, slices: [] });
    const svg = target("svg", ours, ourUrl, svgBodies, () => authed);
    // Revalidation is of responses served before: the 304 run cycles over the payloads the svg
    // run has sent so far, each with its ETag.
    const revalidate = target("304", ours, ourUrl, svgBodies, (i) => ({
      ...authed,
      "if-none-match": etags[i],
    }));
    revalidate.range = () => Math.max(1, Math.min(svg.cursor, CORPUS_SIZE));
    const targets = [
      target("bare express", bare, bareUrl, svgBodies, () => json),
      svg,
      target("png", ours, ourUrl, bodies("png"), () => authed),
      target("pdf", ours, ourUrl, bodies("pdf"), () => authed),
      revalidate,
    ];

    // 4. Warm-up (JIT, WASM, caches), then interleaved slices.
    for (const t of targets) await slice(t, 2, false);
    for (let round = 0; round < ROUNDS; round++) {
      for (const t of targets) await slice(t, SLICE_S);
      process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`);
    }

    // 5. Report: totals per run, ratios as the median of per-round ratios to bare Express.
    const [bareT] = targets;
    const rps = (t: Target, r: number) => t.slices[r].requests.total / SLICE_S;
    const cpuUs = (t: Target) =>
      (1000 * t.slices.reduce((s, x) => s + x.cpuMs, 0)) /
      t.slices.reduce((s, x) => s + x.requests.total, 0);
    const summary = targets.map((t) => {
      const sum = (f: (x: Target["slices"][number]) => number) =>
        t.slices.reduce((s, x) => s + f(x), 0);
      return {
        name: t.name,
        rps: sum((x) => x.requests.total) / (ROUNDS * SLICE_S),
        ratio: median(t.slices.map((_, r) => rps(t, r) / rps(bareT, r))),
        p50: median(t.slices.map((x) => x.latency.p50)),
        p99: median(t.slices.map((x) => x.latency.p99)),
        cpuUs: cpuUs(t),
        cpuRatio: cpuUs(bareT) / cpuUs(t),
        non2xx: sum((x) => x.non2xx),
        notModified: sum((x) => x["3xx"]),
        errors: sum((x) => x.errors + x.timeouts),
      };
    });
    const row = (cells: (string | number)[]) =>
      cells.map((c, i) => String(c).padStart(i === 0 ? 14 : 11)).join("");
    console.log(
      `\nautocannon, ${CONNECTIONS} connections, ${ROUNDS} interleaved slices of ${SLICE_S} s ` +
        `per run, ${CORPUS_SIZE} distinct payloads`,
    );
    console.log(
      row(["run", "req/s", "ratio", "p50 ms", "p99 ms", "cpu µs/req", "cpu ratio"]) +
        row(["", "non-2xx", "304s", "errors"]).slice(14),
    );
    const pct = (x: number) => `${Math.round(100 * x)} %`;
    for (const s of summary) {
      console.log(
        row([s.name, Math.round(s.rps), pct(s.ratio), s.p50, s.p99, Math.round(s.cpuUs)]) +
          row(["", pct(s.cpuRatio), s.non2xx, s.notModified, s.errors]).slice(14),
      );
    }
    console.log(
      "\nratio: median over rounds of req/s against bare Express in the same round." +
        "\ncpu ratio: bare Express's server CPU per request over this run's, the req/s ratio" +
        "\nto expect when the server process, not the shared machine, is the limit.\n",
    );
    const by = (name: string) => summary.find((s) => s.name === name) as (typeof summary)[number];
    const targetsMet: [string, boolean][] = [
      ["SVG >= 70 % of bare Express", by("svg").ratio >= 0.7],
      ["PDF >= 60 %", by("pdf").ratio >= 0.6],
      ["PNG >= 25 %", by("png").ratio >= 0.25],
      ["304 >= 80 %", by("304").ratio >= 0.8],
      ["SVG p99 < 25 ms", by("svg").p99 < 25],
      [
        "no unintended non-2xx (the 304 run: only 304s)",
        ["svg", "png", "pdf"].every((n) => by(n).non2xx === 0) &&
          by("304").non2xx === by("304").notModified,
      ],
    ];
    for (const [what, ok] of targetsMet) console.log(`${ok ? "PASS" : "FAIL"}  ${what}`);
  } finally {
    for (const c of children) c.kill("SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
