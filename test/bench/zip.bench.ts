// Archive benchmark: 100,000 SVG-like entries (~2 KB each, deflated) written to a ZIP file
//   (a) encodeEntries + ZipWriter, deflate in this thread (blocks of 5,000, as the pipeline does),
//   (b) yazl addBuffer + outputStream piped to a file (its deflate runs on libuv's thread pool,
//       its CRC in JS), the library the issue suggests,
//   (c) encodeEntries in 2 worker threads + ZipWriter: the product's shape.
// Each run is a fresh child process (so peak RSS and CPU are that variant's alone); every ZIP is
// checked with `unzip -tq`. Prints entries/s (median of rounds), CPU µs/entry (all threads:
// zlib's pool, workers), peak RSS, and the ratios.
// Run: npx tsx test/bench/zip.bench.ts   (BENCH_ENTRIES, BENCH_ROUNDS, YAZL_WINDOW to change;
// not part of npm test: this machine is shared and noisy, figures are for reading)
import { execFileSync, spawnSync } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import yazl from "yazl";
import {
  type EntryInput,
  type EntryMeta,
  encodeEntries,
} from "../../src/labels/archive/entries.js";
import { ZipWriter } from "../../src/labels/archive/zip-file.js";
import { svgLike } from "../labels/archive/fixtures.js";

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BLOCK = 5000;

// 1,000 distinct documents reused round-robin: realistic deflate work without 200 MB of input.
const pool = Array.from({ length: 1000 }, (_, i) => svgLike(i, 2000));
const file = (i: number): EntryInput => ({
  name: `${String(i + 1).padStart(6, "0")}-09506000134352-SN${i + 1}.svg`,
  data: pool[i % pool.length],
  compress: true,
});

async function ours(path: string): Promise<number> {
  const writer = await ZipWriter.open(path);
  for (let i = 0; i < ENTRIES; i += BLOCK) {
    const files: EntryInput[] = [];
    for (let j = i; j < Math.min(i + BLOCK, ENTRIES); j++) files.push(file(j));
    const { block, entries } = encodeEntries(files);
    await writer.appendBlock(block, entries);
  }
  return (await writer.finish()).size;
}

// Workers (zip.bench.worker.mjs) get block ranges and build the files themselves, as render
// workers would render them.
async function oursInWorkers(path: string, workers: Worker[]): Promise<number> {
  const writer = await ZipWriter.open(path);
  const pending = new Map<number, (r: { block: Uint8Array; entries: EntryMeta[] }) => void>();
  for (const w of workers) {
    w.removeAllListeners("message");
    w.on("message", (m) => pending.get(m.id)?.(m));
  }
  let next = 0;
  const starts: number[] = [];
  for (let i = 0; i < ENTRIES; i += BLOCK) starts.push(i);
  const results: Promise<{ block: Uint8Array; entries: EntryMeta[] }>[] = starts.map(
    (from, id) =>
      new Promise((resolve) => {
        pending.set(id, resolve);
        workers[next++ % workers.length].postMessage({
          id,
          from,
          to: Math.min(from + BLOCK, ENTRIES),
        });
      }),
  );
  // Appended in order as they arrive; workers keep encoding meanwhile.
  for (const result of results) {
    const { block, entries } = await result;
    await writer.appendBlock(
      Buffer.from(block.buffer, block.byteOffset, block.byteLength),
      entries,
    );
  }
  return (await writer.finish()).size;
}

// yazl starts a deflate for every addBuffer at once, each holding a zlib context (~230 KB)
// until its turn to be written: 20,000 buffers added in one loop peaked at 4.6 GB RSS here. So
// entries are fed with a window of YAZL_WINDOW in flight, as a careful caller would; the wait
// polls yazl's entry states (its internals: it has no per-entry callback for addBuffer).
const YAZL_WINDOW = Number(process.env.YAZL_WINDOW ?? 1000);
const FILE_DATA_DONE = 3;

async function yazlZip(path: string): Promise<number> {
  const zip = new yazl.ZipFile();
  const out = createWriteStream(path);
  zip.outputStream.pipe(out);
  const mtime = new Date(1980, 0, 1);
  const entries = (zip as unknown as { entries: { state: number }[] }).entries;
  let done = 0;
  for (let i = 0; i < ENTRIES; i++) {
    while (i - done >= YAZL_WINDOW) {
      while (done < entries.length && entries[done].state >= FILE_DATA_DONE) done++;
      if (i - done >= YAZL_WINDOW) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const f = file(i);
    zip.addBuffer(Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength), f.name, {
      mtime,
      compress: true,
    });
  }
  zip.end();
  await once(out, "close");
  return statSync(path).size;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

type Variant = "ours" | "yazl" | "workers";
interface Run {
  seconds: number;
  cpuSeconds: number;
  peakRss: number;
  size: number;
}

// Child: runs one variant into BENCH_OUT and prints its Run as JSON.
async function child(variant: Variant, path: string): Promise<void> {
  const workers =
    variant !== "workers"
      ? []
      : await Promise.all(
          [0, 1].map(async () => {
            const w = new Worker(new URL("./zip.bench.worker.mjs", import.meta.url));
            const [message] = await once(w, "message");
            if (message !== "ready") throw new Error("worker did not start");
            return w;
          }),
        );
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 20);
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage(); // every thread of the process: zlib's pool, workers
  const size =
    variant === "ours"
      ? await ours(path)
      : variant === "yazl"
        ? await yazlZip(path)
        : await oursInWorkers(path, workers);
  const cpu = process.cpuUsage(cpu0);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  clearInterval(sampler);
  for (const w of workers) await w.terminate();
  const run: Run = { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRss, size };
  process.stdout.write(JSON.stringify(run));
}

if (process.env.BENCH_VARIANT) {
  await child(process.env.BENCH_VARIANT as Variant, process.env.BENCH_OUT as string);
} else {
  const dir = mkdtempSync(join(tmpdir(), "zip-bench-"));
  const runs: Record<Variant, Run[]> = { ours: [], yazl: [], workers: [] };
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate the order so no variant always runs first on the (noisy) machine.
    const order: Variant[] =
      r % 2 === 0 ? ["ours", "yazl", "workers"] : ["workers", "yazl", "ours"];
    for (const variant of order) {
      const path = join(dir, `${variant}.zip`);
      const result = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
        env: { ...process.env, BENCH_VARIANT: variant, BENCH_OUT: path },
        stdio: ["ignore", "pipe", "inherit"],
        maxBuffer: 1 << 20,
      });
      if (result.status !== 0) throw new Error(`${variant} run failed`);
      runs[variant].push(JSON.parse(result.stdout.toString()));
      execFileSync("unzip", ["-tq", path]);
      rmSync(path);
    }
  }
  rmSync(dir, { recursive: true, force: true });

  const rate = (v: Variant) => ENTRIES / median(runs[v].map((r) => r.seconds));
  const cpu = (v: Variant) => median(runs[v].map((r) => r.cpuSeconds)) / ENTRIES;
  const line = (label: string, v: Variant) =>
    `${label.padEnd(44)} ${rate(v).toFixed(0).padStart(6)} entries/s, ` +
    `${(cpu(v) * 1e6).toFixed(0)} µs CPU/entry, ` +
    `peak RSS ${(Math.max(...runs[v].map((r) => r.peakRss)) / 1e6).toFixed(0)} MB, ` +
    `${(runs[v][0].size / 1e6).toFixed(1)} MB ZIP ` +
    `(wall ${runs[v].map((r) => r.seconds.toFixed(2)).join(", ")} s)`;
  console.log(
    `${ENTRIES} SVG-like entries of ~2 KB, deflate level 6, ${ROUNDS} round(s), node ${process.version}, yazl window ${YAZL_WINDOW}`,
  );
  console.log(line("(a) encodeEntries + ZipWriter, one thread", "ours"));
  console.log(line("(b) yazl addBuffer -> file", "yazl"));
  console.log(line("(c) encodeEntries in 2 workers + ZipWriter", "workers"));
  console.log(
    `entries/s (a)/(b) ${(rate("ours") / rate("yazl")).toFixed(2)}x, (c)/(b) ` +
      `${(rate("workers") / rate("yazl")).toFixed(2)}x; CPU/entry (b)/(a) ${(cpu("yazl") / cpu("ours")).toFixed(2)}x ` +
      "((a) and (c) include finish()'s SHA-256 read-back of the whole ZIP; yazl computes none)",
  );
}
