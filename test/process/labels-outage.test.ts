// Bulk label export through store outages, over real HTTP against the server process: a job
// whose Redis (BullMQ) crashes mid-run and comes back empty, and a job whose PostgreSQL (the
// embedded queue's database) stops mid-run and starts again, each finishes with the same bytes
// as an uninterrupted run of the same request, every item once. Redis and PostgreSQL here are
// private servers this file starts, stops and kills (test/helpers/services.ts), not the shared
// ones.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { finished, manifestIndexes, poll, range, submit } from "../helpers/labels-api.js";
import { createKeyWithCli, type ServerProcess, startServerProcess } from "../helpers/processes.js";
import {
  createTestDatabase,
  type PrivatePostgres,
  type PrivateRedis,
  startPrivatePostgres,
  startPrivateRedis,
  type TestDatabase,
} from "../helpers/services.js";

const ITEMS = 12_000;
// PNG at 600 dpi with HRI, so that the run is still going when the store goes away past its
// first checkpoint (5,000 items): plain 600 dpi PNGs became fast enough (2026-12-07, their
// deflate moved into the WASM core) for the job to finish before Redis came back.
const BODY = { ...range(1, ITEMS), file_format: "png", asset_config: { dpi: 600, hri: true } };

const dirs: string[] = [];
const running: ServerProcess[] = [];
const undo: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  for (const s of running) {
    s.proc.kill("SIGKILL");
    await s.exited;
  }
  for (const u of undo.reverse()) await u().catch(() => {});
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function start(env: Record<string, string>) {
  const dataDir = mkdtempSync(join(tmpdir(), "labels-outage-"));
  dirs.push(dataDir);
  const all = { DATA_DIR: dataDir, WORKERS: "1", LABELS_THREADS: "1", ...env };
  const server = await startServerProcess(all);
  running.push(server);
  const { key } = await createKeyWithCli(all, "--per-minute", "100000", "--per-day", "1000000");
  return { server, key };
}

async function download(job: Record<string, unknown>): Promise<Buffer> {
  return Buffer.from(await (await fetch(job.download_url as string)).arrayBuffer());
}

function indexesOf(zip: Buffer): number[] {
  const dir = mkdtempSync(join(tmpdir(), "labels-outage-zip-"));
  dirs.push(dir);
  writeFileSync(join(dir, "a.zip"), zip);
  execFileSync("unzip", ["-tq", "a.zip"], { cwd: dir });
  return manifestIndexes(
    execFileSync("unzip", ["-p", "a.zip", "manifest.csv"], {
      cwd: dir,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    }),
  );
}

// The uninterrupted run every outage run is compared with (SQLite, embedded queue).
let reference: Buffer | undefined;
async function referenceZip(): Promise<Buffer> {
  if (reference) return reference;
  const { server, key } = await start({});
  const { body } = await submit(server.url, key, BODY);
  const done = await poll(server.url, key, body.job_id as string, finished);
  expect(done, JSON.stringify(done)).toMatchObject({ status: "completed" });
  reference = await download(done);
  server.proc.kill("SIGTERM");
  await server.exited;
  return reference;
}

describe("label export through store outages", () => {
  it("Redis crashes mid-job and restarts empty: the job is queued again from its row and resumes to the same bytes", async () => {
    const expected = await referenceZip();
    const db: TestDatabase = await createTestDatabase();
    undo.push(() => db.drop());
    const redis: PrivateRedis = await startPrivateRedis();
    undo.push(() => redis.stop());
    const { server, key } = await start({
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      // Short, so the lost lock and the reconciliation happen within seconds.
      LABELS_LEASE_MS: "3000",
    });
    const { body } = await submit(server.url, key, BODY);
    const id = body.job_id as string;
    const mid = await poll(server.url, key, id, (j) => (j.processed_items as number) >= 5_000);
    expect(mid.status).toBe("processing");
    redis.kill();
    await new Promise((r) => setTimeout(r, 2_000));
    await redis.start(); // empty: nothing persists
    const done = await poll(server.url, key, id, finished, true);
    expect(done, JSON.stringify(done)).toMatchObject({ status: "completed", total_items: ITEMS });
    const zip = await download(done);
    expect(zip.equals(expected)).toBe(true);
    expect(indexesOf(zip)).toEqual(Array.from({ length: ITEMS }, (_, k) => k + 1));
    const starts = server.logs().filter((l) => l.msg === "label job started" && l.job_id === id);
    expect(starts.at(-1)?.resumed).toBe(true);
  }, 300_000);

  it("PostgreSQL stops mid-job and starts again: the job waits in place and finishes with the same bytes", async () => {
    const expected = await referenceZip();
    const pg: PrivatePostgres = await startPrivatePostgres();
    undo.push(() => pg.close());
    // The embedded queue on PostgreSQL; a lease longer than the outage, so the job keeps it.
    const { server, key } = await start({ DATABASE_URL: pg.url, LABELS_LEASE_MS: "60000" });
    const { body } = await submit(server.url, key, BODY);
    const id = body.job_id as string;
    const mid = await poll(server.url, key, id, (j) => (j.processed_items as number) >= 5_000);
    expect(mid.status).toBe("processing");
    await pg.stop();
    await new Promise((r) => setTimeout(r, 3_000));
    await pg.start();
    const done = await poll(server.url, key, id, finished, true);
    expect(done, JSON.stringify(done)).toMatchObject({ status: "completed", total_items: ITEMS });
    const zip = await download(done);
    expect(zip.equals(expected)).toBe(true);
    expect(indexesOf(zip)).toEqual(Array.from({ length: ITEMS }, (_, k) => k + 1));
    // The row says completed before the server's log lines have all come through its stdout
    // pipe (under load, seconds later): read the log once its last line for the job is in.
    await server.waitForLog((l) => l.msg === "label job completed" && l.job_id === id);
    const logs = server.logs().filter((l) => l.job_id === id);
    // The job's log in the failure message: what it did instead, if it did not wait in place.
    const story = JSON.stringify(logs.map(({ msg, err, attempts }) => ({ msg, err, attempts })));
    // It paused where it stood and went on in the same run: one start, not a resumed second.
    expect(
      logs.some((l) => l.msg === "label job paused: its database is unreachable"),
      story,
    ).toBe(true);
    expect(
      logs.some((l) => l.msg === "label job's database is back"),
      story,
    ).toBe(true);
    expect(
      logs.filter((l) => l.msg === "label job started"),
      story,
    ).toHaveLength(1);
  }, 300_000);
});
