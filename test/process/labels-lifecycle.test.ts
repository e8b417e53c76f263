// Bulk label export's limits, refusals and lifecycle over real HTTP against the server process
// (SQLite, embedded queue): request validation, the serial generator across jobs (overlap and
// the EU FMD guessing rule), signed links (tampered 403, expired 410), the daily label quota and
// the active-job bound (429 naming each), cancel and delete, text/csv, an upload refused from
// its Content-Length, and a job SIGKILLed mid-run that resumes after restart to the same bytes
// as an uninterrupted run, every item once.

import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  call,
  EXPORT,
  finished,
  manifestIndexes,
  poll,
  range,
  submit,
} from "../helpers/labels-api.js";
import { createKeyWithCli, type ServerProcess, startServerProcess } from "../helpers/processes.js";

const SECRET = "test-signing-secret";
const dirs: string[] = [];
const running: ServerProcess[] = [];

afterAll(async () => {
  for (const s of running) {
    s.proc.kill("SIGKILL");
    await s.exited;
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function start(env: Record<string, string> = {}, dir?: string) {
  const dataDir = dir ?? mkdtempSync(join(tmpdir(), "labels-life-"));
  if (!dir) dirs.push(dataDir);
  const all = {
    DATA_DIR: dataDir,
    WORKERS: "1",
    LABELS_THREADS: "2",
    LABELS_SIGNING_SECRET: SECRET,
    ...env,
  };
  const server = await startServerProcess(all);
  running.push(server);
  // Polling a job often would spend the default 300/minute tier.
  const { key } = await createKeyWithCli(all, "--per-minute", "100000", "--per-day", "1000000");
  return { server, key, dataDir, env: all };
}

async function stop(server: ServerProcess, signal: NodeJS.Signals = "SIGTERM") {
  server.proc.kill(signal);
  await server.exited;
}

function details(body: Record<string, unknown>) {
  return (body.details as { loc: string[]; type: string; msg: string }[]).map((d) => [
    d.loc.join("."),
    d.type,
  ]);
}

describe("label export: requests, serials, links and limits", () => {
  it("refuses what it cannot do with field-level 422s", async () => {
    const { server, key } = await start();
    const a = await submit(server.url, key, {
      scope: "lots",
      // Every listed export type renders now; one this service does not know is refused.
      export_type: "databar_expanded",
      asset_config: { xdim_mm: 9, gtin: "1", filename_pattern: "{serial}.{ext}" },
      items: [{ gtin: "09506000134352", lot: "A" }],
    });
    expect(a.status).toBe(422);
    expect(details(a.body)).toEqual(
      expect.arrayContaining([
        ["body.scope", "unsupported"],
        ["body.export_type", "enum"],
        ["body.asset_config.gtin", "unknown_field"],
        ["body.asset_config.xdim_mm", expect.any(String)],
        ["body.asset_config.filename_pattern", "index_first"],
      ]),
    );
    const none = await submit(server.url, key, { file_format: "svg" });
    expect(details(none.body)).toEqual([["body.items", "missing"]]);
    const malformed = await call(server.url, key, `${EXPORT}abc/`);
    expect(malformed.status).toBe(422);
    const list = (await (await call(server.url, key, `${EXPORT}?page_size=101`)).json()) as Record<
      string,
      unknown
    >;
    expect(list.status).toBe(422);
  });

  it("issues range serials once per GTIN, lists them, and refuses an overlap and a guessable random request", async () => {
    const { server, key } = await start();
    const first = await submit(server.url, key, range(1, 50));
    expect(first.status).toBe(202);
    const done = await poll(server.url, key, first.body.job_id as string, finished);
    expect(done).toMatchObject({ status: "completed", total_items: 50 });
    const overlap = await submit(server.url, key, range(40, 20));
    expect(overlap.status).toBe(422);
    expect(details(overlap.body)).toEqual([["body.serials.start", "overlap"]]);
    expect((overlap.body.details as { msg: string }[])[0].msg).toContain("SN000040 to SN000059");
    const next = await submit(server.url, key, range(51, 10));
    expect(next.status).toBe(202);
    await poll(server.url, key, next.body.job_id as string, finished);
    // 10^3 = 1,000 possible serials cannot hide 200 (10,000 × 200 are needed).
    const guessable = await submit(server.url, key, {
      serials: { gtin: "09506000134352", mode: "random", count: 200, length: 3 },
    });
    expect(guessable.status).toBe(422);
    expect(details(guessable.body)[0][1]).toBe("fmd_guessing");
    const listed = (await (
      await call(server.url, key, "/products/api/v1/labels/serials/?gtin=09506000134352")
    ).json()) as { data: Record<string, unknown>[]; pagination: { total_count: number } };
    expect(listed.pagination.total_count).toBe(2);
    expect(listed.data.map((b) => [b.firstSerial, b.lastSerial, b.count])).toEqual([
      ["SN000051", "SN000060", 10],
      ["SN000001", "SN000050", 50],
    ]);
  });

  it("serves a download only through an untampered, unexpired link, and 410 once deleted", async () => {
    const { server, key } = await start();
    const job = await submit(server.url, key, {
      items: [{ gtin: "09506000134352", serial: "X1" }],
    });
    const done = await poll(server.url, key, job.body.job_id as string, finished);
    const url = new URL(done.download_url as string);
    expect((await fetch(url)).status).toBe(200);
    const tampered = new URL(url);
    tampered.searchParams.set("expires", String(Number(url.searchParams.get("expires")) + 1));
    expect((await fetch(tampered)).status).toBe(403);
    const id = job.body.job_id as string;
    const past = Math.floor(Date.now() / 1000) - 10;
    const sig = createHmac("sha256", SECRET).update(`${id}\n${past}`).digest("base64url");
    const expired = await fetch(`${url.origin}${url.pathname}?expires=${past}&signature=${sig}`);
    expect(expired.status).toBe(410);
    expect((await call(server.url, key, `${EXPORT}${id}/`, { method: "DELETE" })).status).toBe(204);
    expect((await fetch(url)).status).toBe(410);
  });

  it("answers 429 naming LABELS_PER_DAY and LABELS_MAX_ACTIVE, and cancels a running job within a chunk", async () => {
    const { server, key } = await start({
      LABELS_PER_DAY: "30000",
      LABELS_MAX_ACTIVE: "1",
      LABELS_THREADS: "1",
    });
    // PNG at 600 dpi: slow enough per label that the job is still running when it is canceled.
    const big = await submit(server.url, key, {
      ...range(1, 20_000),
      file_format: "png",
      asset_config: { dpi: 600 },
    });
    expect(big.status).toBe(202);
    const id = big.body.job_id as string;
    const busy = await submit(server.url, key, {
      items: [{ gtin: "09506000134352", serial: "Q" }],
    });
    expect(busy.status).toBe(429);
    expect(busy.body.detail).toContain("LABELS_MAX_ACTIVE");
    await poll(server.url, key, id, (j) => (j.processed_items as number) > 0);
    expect((await call(server.url, key, `${EXPORT}${id}/`, { method: "DELETE" })).status).toBe(204);
    const canceled = await poll(server.url, key, id, finished);
    expect(canceled.status).toBe("canceled");
    await server.waitForLog((l) => l.msg === "label job canceled" && l.job_id === id);
    const over = await submit(server.url, key, range(100_001, 15_000));
    expect(over.status).toBe(429);
    expect(over.body.detail).toContain("LABELS_PER_DAY");
  }, 300_000);

  it("takes text/csv with the options in the query, and refuses an oversized upload from its Content-Length", async () => {
    const { server, key } = await start({ LABELS_MAX_UPLOAD_MB: "1" });
    const res = await call(server.url, key, `${EXPORT}?file_format=pdf&xdim_mm=0.5`, {
      method: "POST",
      headers: { "Content-Type": "text/csv" },
      body: "gtin,serial\n09506000134352,T1\n09506000134352,T2\n",
    });
    expect(res.status).toBe(202);
    const { job_id } = (await res.json()) as { job_id: string };
    const done = await poll(server.url, key, job_id, finished);
    expect(done).toMatchObject({ status: "completed", total_items: 2, file_format: "pdf" });
    // 2 GB announced: refused before a byte of the body is read.
    const status = await new Promise<number>((resolve, reject) => {
      const u = new URL(`${server.url}${EXPORT}`);
      const req = request(
        {
          host: u.hostname,
          port: u.port,
          path: u.pathname,
          method: "POST",
          headers: {
            "X-API-Key": key,
            "Content-Type": "text/csv",
            "Content-Length": String(2 * 1024 ** 3),
          },
        },
        (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.write("gtin\n");
    });
    expect(status).toBe(413);
  });
});

describe("label export in a cluster", () => {
  it("runs jobs in a job process of its own, never in a worker that serves requests", async () => {
    const { server, key } = await start({ WORKERS: "2" });
    const { body } = await submit(server.url, key, { ...range(1, 600), file_format: "svg" });
    const done = await poll(server.url, key, body.job_id as string, finished);
    expect(done.status).toBe("completed");
    const logs = server.logs();
    const serving = new Set(logs.filter((l) => l.msg === "worker listening").map((l) => l.pid));
    expect(serving.size).toBe(2);
    const runner = logs.find((l) => l.msg === "running label jobs only (no HTTP)");
    expect(runner).toBeDefined();
    expect(serving.has(runner?.pid)).toBe(false);
    const started = logs.filter((l) => l.msg === "label job started");
    expect(started.map((l) => l.pid)).toEqual([runner?.pid]);
    await stop(server);
  }, 120_000);
});

describe("label export: a job killed mid-run", () => {
  it("resumes after SIGKILL from its last checkpoint to the same bytes, every item once", async () => {
    // PNG at 600 dpi with HRI, so that the run is still going when it is killed past its first
    // checkpoint (plain 600 dpi PNGs left little margin once their deflate moved into WASM).
    const body = {
      ...range(1, 12_000),
      file_format: "png",
      asset_config: { dpi: 600, hri: true },
    };
    // The uninterrupted run.
    const a = await start();
    const ja = await submit(a.server.url, a.key, body);
    const doneA = await poll(a.server.url, a.key, ja.body.job_id as string, finished);
    expect(doneA, JSON.stringify(doneA)).toMatchObject({ status: "completed" });
    const zipA = Buffer.from(await (await fetch(doneA.download_url as string)).arrayBuffer());
    await stop(a.server);
    // The same request, killed once it has passed a checkpoint and before it finishes.
    const b = await start({ LABELS_LEASE_MS: "2000", LABELS_THREADS: "1" });
    const jb = await submit(b.server.url, b.key, body);
    const id = jb.body.job_id as string;
    const mid = await poll(b.server.url, b.key, id, (j) => (j.processed_items as number) >= 5_000);
    expect(mid.status).toBe("processing");
    await stop(b.server, "SIGKILL");
    const again = await startServerProcess(b.env);
    running.push(again);
    const doneB = await poll(again.url, b.key, id, finished);
    expect(doneB.status).toBe("completed");
    expect(again.logs().some((l) => l.msg === "label job started" && l.resumed === true)).toBe(
      true,
    );
    const zipB = Buffer.from(await (await fetch(doneB.download_url as string)).arrayBuffer());
    expect(zipB.equals(zipA)).toBe(true);
    // Every index exactly once, in order (the bytes being equal says so too; this says why).
    const dir = mkdtempSync(join(tmpdir(), "labels-kill-"));
    dirs.push(dir);
    writeFileSync(join(dir, "b.zip"), zipB);
    const manifest = execFileSync("unzip", ["-p", join(dir, "b.zip"), "manifest.csv"], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(manifestIndexes(manifest)).toEqual(Array.from({ length: 12_000 }, (_, k) => k + 1));
  }, 300_000);

  it("starts over after SIGKILL before its first checkpoint, while its serials are still being issued, to the same bytes", async () => {
    // Rendering starts while the items are still being resolved (serials recorded 10,000 at a
    // time): a run killed then has no checkpoint, and its serials are only part issued.
    const body = { ...range(1, 40_000), file_format: "png", asset_config: { dpi: 600 } };
    const a = await start();
    const ja = await submit(a.server.url, a.key, body);
    const doneA = await poll(a.server.url, a.key, ja.body.job_id as string, finished);
    expect(doneA, JSON.stringify(doneA)).toMatchObject({ status: "completed" });
    const zipA = Buffer.from(await (await fetch(doneA.download_url as string)).arrayBuffer());
    await stop(a.server);
    const b = await start({ LABELS_LEASE_MS: "2000", LABELS_THREADS: "1" });
    const jb = await submit(b.server.url, b.key, body);
    const id = jb.body.job_id as string;
    // The item count is set as resolving starts; processed_items moves only at a checkpoint.
    const early = await poll(b.server.url, b.key, id, (j) => (j.total_items as number) > 0);
    await stop(b.server, "SIGKILL");
    expect(early).toMatchObject({ status: "processing", processed_items: 0 });
    const again = await startServerProcess(b.env);
    running.push(again);
    const doneB = await poll(again.url, b.key, id, finished);
    expect(doneB, JSON.stringify(doneB)).toMatchObject({ status: "completed" });
    const zipB = Buffer.from(await (await fetch(doneB.download_url as string)).arrayBuffer());
    expect(zipB.equals(zipA)).toBe(true);
    // Its serials stay issued to this job: the same range again is refused.
    const other = await submit(again.url, b.key, { ...range(1, 1), file_format: "svg" });
    expect(other.status, JSON.stringify(other.body)).toBe(422);
    expect(JSON.stringify(other.body)).toContain(`by job ${id} (SN000001 to SN040000)`);
  }, 300_000);
});
