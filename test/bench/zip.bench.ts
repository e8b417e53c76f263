// Archive benchmark: 100,000 SVG-like entries (~2 KB each, deflated) written to a ZIP file
//   (a) encodeEntries + ZipWriter, deflate in this thread (blocks of 5,000, as the pipeline does),
//   (b) yazl addBuffer + outputStream piped to a file (its deflate runs on libuv's thread pool,
//       its CRC in JS), the library the issue suggests,
//   (c) encodeEntries in 2 worker threads + ZipWriter: the product's shape.
// Both ZIPs are checked with `unzip -tq`. Prints entries/s per variant (median of rounds) and the
// ratios. Run: npx tsx test/bench/zip.bench.ts   (BENCH_ENTRIES, BENCH_ROUNDS to change;
// not part of npm test: this machine is shared and noisy, figures are for reading)
import { execFileSync } from "node:child_process";
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
import { sha256File, ZipWriter } from "../../src/labels/archive/zip-file.js";
import { svgLike } from "../labels/archive/fixtures.js";

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BLOCK = 5000;
const dir = mkdtempSync(join(tmpdir(), "zip-bench-"));

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
const YAZL_WINDOW = 1000;
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

const peakRss: Record<string, number> = {};
const cpuSeconds: Record<string, number[]> = {};

/**
 * Seconds `run` takes; records under `label` the process's CPU seconds (all threads) and its
 * peak RSS meanwhile (sampled every 20 ms).
 */
async function time(run: () => Promise<unknown>, label = ""): Promise<number> {
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  await run();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0); // every thread of the process: zlib's pool, workers
  clearInterval(sampler);
  cpuSeconds[label] = [...(cpuSeconds[label] ?? []), (cpu.user + cpu.system) / 1e6];
  peakRss[label] = Math.max(peakRss[label] ?? 0, peak);
  return seconds;
}

const workers = await Promise.all(
  [0, 1].map(async () => {
    const w = new Worker(new URL("./zip.bench.worker.mjs", import.meta.url));
    const [message] = await once(w, "message");
    if (message !== "ready") throw new Error("worker did not start");
    return w;
  }),
);

const seconds = {
  ours: [] as number[],
  yazl: [] as number[],
  workers: [] as number[],
  hash: [] as number[],
};
const sizes: Record<string, number> = {};
for (let r = 0; r < ROUNDS; r++) {
  // Alternate the order so neither always runs on the warmer (or busier) machine.
  const order = r % 2 === 0 ? ["ours", "yazl", "workers"] : ["yazl", "workers", "ours"];
  for (const name of order) {
    const path = join(dir, `${name}.zip`);
    seconds[name as keyof typeof seconds].push(
      await time(async () => {
        sizes[name] =
          name === "ours"
            ? await ours(path)
            : name === "yazl"
              ? await yazlZip(path)
              : await oursInWorkers(path, workers);
      }, name),
    );
    execFileSync("unzip", ["-tq", path]);
  }
  seconds.hash.push(await time(() => sha256File(join(dir, "ours.zip"))));
}
for (const w of workers) await w.terminate();

const rate = (s: number[]) => ENTRIES / median(s);
const line = (label: string, name: keyof typeof seconds) =>
  `${label.padEnd(44)} ${rate(seconds[name]).toFixed(0).padStart(6)} entries/s, ` +
  `${((median(cpuSeconds[name]) / ENTRIES) * 1e6).toFixed(0)} µs CPU/entry, ` +
  `peak RSS ${(peakRss[name] / 1e6).toFixed(0)} MB, ${(sizes[name] / 1e6).toFixed(1)} MB ZIP ` +
  `(wall ${seconds[name].map((x) => x.toFixed(2)).join(", ")} s)`;
console.log(
  `${ENTRIES} SVG-like entries of ~2 KB, deflate level 6, ${ROUNDS} rounds, node ${process.version}`,
);
console.log(line("(a) encodeEntries + ZipWriter, one thread", "ours"));
console.log(line("(b) yazl addBuffer -> file", "yazl"));
console.log(line("(c) encodeEntries in 2 workers + ZipWriter", "workers"));
console.log(
  `    of which finish()'s SHA-256 read-back: ${median(seconds.hash).toFixed(2)} s (yazl computes none)`,
);
console.log(
  `entries/s ratio (a)/(b): ${(rate(seconds.ours) / rate(seconds.yazl)).toFixed(2)}x, (c)/(b): ${(rate(seconds.workers) / rate(seconds.yazl)).toFixed(2)}x; CPU ratio (b)/(a): ${(median(cpuSeconds.yazl) / median(cpuSeconds.ours)).toFixed(2)}x`,
);
rmSync(dir, { recursive: true, force: true });
