// Benchmark of the CSV item source of bulk label export (src/labels/items/csv.ts) at the job
// limit, 1,000,000 rows: writes the file once (~75 MB, five columns including an AI column and a
// quoted label_text every tenth row), then times countCsvRecords (the submit-time count, from a
// file stream) and readCsvItems (the job's reader) on it, printing rows/s and the peak RSS seen
// while each ran (sampled every 10 ms), against the file's size: flat memory means the peak does
// not grow with the file. Also times drawRandomSerials for 1,000,000 serials.
// Run: npx tsx test/bench/csv.bench.ts   (not a test; BENCH_ROWS=n to change the row count)
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { countCsvRecords, readCsvItems } from "../../src/labels/items/csv.js";
import { drawRandomSerials, parseSerialSpec } from "../../src/labels/items/serials.js";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const GTIN = "09506000134352";
const MiB = 2 ** 20;

async function writeCsv(path: string): Promise<void> {
  const out = createWriteStream(path);
  out.write("gtin,lot,serial,expiry,7003,label_text\r\n");
  for (let i = 0; i < ROWS; i += 1000) {
    const lines: string[] = [];
    for (let j = i; j < Math.min(ROWS, i + 1000); j++) {
      const text = j % 10 === 0 ? `"Pack ${j}, ""blister""\r\n2 x 14"` : `Pack ${j}`;
      lines.push(
        `${GTIN},LOT${j % 997},SN${String(j).padStart(12, "0")},270630,2706301200,${text}\r\n`,
      );
    }
    if (!out.write(lines.join(""))) await new Promise((r) => out.once("drain", r));
  }
  await new Promise((r) => out.end(r));
}

/** Runs `task`, returning its seconds and the peak RSS sampled meanwhile. */
async function measure<T>(
  task: () => Promise<T>,
): Promise<{ result: T; seconds: number; peak: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const start = performance.now();
  const result = await task();
  const seconds = (performance.now() - start) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { result, seconds, peak };
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "csv-bench-"));
  try {
    const path = join(dir, "items.csv");
    await writeCsv(path);
    const size = statSync(path).size;
    console.log(
      `${fmt(ROWS)} rows, ${(size / MiB).toFixed(1)} MiB; RSS at start ${(process.memoryUsage().rss / MiB).toFixed(0)} MiB`,
    );

    const counted = await measure(() =>
      countCsvRecords(createReadStream(path), { maxItems: ROWS }),
    );
    if (counted.result.count !== ROWS) throw new Error(`counted ${counted.result.count}`);
    console.log(
      `countCsvRecords: ${counted.seconds.toFixed(2)} s, ${fmt(ROWS / counted.seconds)} rows/s, ` +
        `peak RSS ${(counted.peak / MiB).toFixed(0)} MiB`,
    );

    const read = await measure(async () => {
      let n = 0;
      for await (const row of readCsvItems(path, { maxItems: ROWS })) {
        if (!("item" in row)) throw new Error(JSON.stringify(row));
        n++;
      }
      return n;
    });
    if (read.result !== ROWS) throw new Error(`read ${read.result}`);
    console.log(
      `readCsvItems: ${read.seconds.toFixed(2)} s, ${fmt(ROWS / read.seconds)} items/s, ` +
        `peak RSS ${(read.peak / MiB).toFixed(0)} MiB`,
    );

    const parsed = parseSerialSpec(
      { serials: { gtin: GTIN, lot: "A1", mode: "random", count: ROWS, length: 12 } },
      [],
    );
    if (!("spec" in parsed)) throw new Error(JSON.stringify(parsed.issues));
    const drawn = await measure(async () => drawRandomSerials(parsed.spec, ROWS).length);
    console.log(
      `drawRandomSerials: ${fmt(drawn.result)} serials in ${drawn.seconds.toFixed(2)} s, ` +
        `${fmt(drawn.result / drawn.seconds)} serials/s`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
