// Bulk label export as it is delivered and as it fails, over real HTTP against the server
// process: a job submitted to one instance of the PostgreSQL + Redis (BullMQ) shape, run by the
// other, polled and downloaded (resumed with Range) through a real nginx round-robining over
// both; and a job whose ZIP cannot fit on LABELS_DIR (a small tmpfs), which must fail saying the
// disk is full, leave no file behind, and not stop the next job.
import { execFileSync } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createKeyWithCli, type ServerProcess, startServerProcess } from "../helpers/processes.js";
import {
  cleanupRedisPrefix,
  commandExists,
  createTestDatabase,
  type Nginx,
  sharedRedisUrl,
  startNginx,
  type TestDatabase,
  uniquePrefix,
} from "../helpers/services.js";

const EXPORT = "/products/api/v1/labels/export/";
const DOWNLOAD = "/products/api/v1/labels/download/";
const GTIN = "09506000134352";
const dirs: string[] = [];
const servers: ServerProcess[] = [];

afterAll(async () => {
  for (const s of servers) {
    if (s.proc.exitCode === null && s.proc.signalCode === null) {
      s.proc.kill("SIGTERM");
      await s.exited;
    }
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const s = await startServerProcess(env);
  servers.push(s);
  return s;
}

function call(base: string, key: string, path: string, init: RequestInit = {}) {
  return fetch(`${base}${path}`, {
    ...init,
    headers: { "X-API-Key": key, ...(init.headers as Record<string, string>) },
  });
}

async function submitJson(base: string, key: string, body: unknown) {
  const res = await call(base, key, EXPORT, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  expect(res.status, JSON.stringify(json)).toBe(202);
  return json.job_id as string;
}

async function pollDone(base: string, key: string, id: string) {
  for (let i = 0; i < 1800; i++) {
    const res = await call(base, key, `${EXPORT}${id}/`);
    const job = (await res.json()) as Record<string, unknown>;
    if (res.status !== 200) throw new Error(`polling ${id}: ${res.status} ${JSON.stringify(job)}`);
    if (job.status !== "pending" && job.status !== "processing") return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} did not finish`);
}

const range = (start: number, count: number, lot: string) => ({
  serials: { gtin: GTIN, lot, mode: "range", start, count, width: 6, prefix: "SN" },
});

/** The entry names `unzip -Z1` lists, after `unzip -t` has accepted the archive. */
function zipNames(zip: Buffer): string[] {
  const dir = tempDir("labels-delivery-zip-");
  writeFileSync(join(dir, "a.zip"), zip);
  execFileSync("unzip", ["-tq", "a.zip"], { cwd: dir });
  return execFileSync("unzip", ["-Z1", "a.zip"], { cwd: dir, encoding: "utf8" }).trim().split("\n");
}

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe("label export delivered through nginx (PostgreSQL + Redis, two instances)", () => {
  const prefix = uniquePrefix("labels-delivery");
  let db: TestDatabase | undefined;
  let nginx: Nginx | undefined;
  // `api` runs no jobs (LABELS_RUN_JOBS=false), so every job submitted to it is run by `runner`.
  let api: ServerProcess;
  let runner: ServerProcess;
  let key = "";
  let labelsDir = "";

  beforeAll(async () => {
    db = await createTestDatabase();
    const dataDir = tempDir("labels-delivery-shared-");
    labelsDir = join(dataDir, "labels");
    const env = {
      DATA_DIR: dataDir,
      LABELS_DIR: labelsDir,
      WORKERS: "1",
      LABELS_THREADS: "1",
      DATABASE_URL: db.url,
      REDIS_URL: sharedRedisUrl(),
      REDIS_KEY_PREFIX: prefix,
      TRUST_PROXY: "1",
    };
    api = await startServer({ ...env, LABELS_RUN_JOBS: "false" });
    runner = await startServer(env);
    nginx = await startNginx([new URL(api.url).host, new URL(runner.url).host]);
    ({ key } = await createKeyWithCli(env, "--per-minute", "100000", "--per-day", "1000000"));
  }, 120_000);

  afterAll(async () => {
    await nginx?.stop();
    for (const s of [api, runner]) {
      if (s && s.proc.exitCode === null) {
        s.proc.kill("SIGTERM");
        await s.exited;
      }
    }
    await db?.drop();
    await cleanupRedisPrefix(sharedRedisUrl(), prefix);
  });

  it("submitted to one, run by the other, downloaded whole and resumed (Range) through nginx from both", async () => {
    const proxy = nginx as Nginx;
    // 1,500 PNGs: a ZIP of a few hundred kB, far past nginx's in-memory proxy buffers, so its
    // buffering (on, the default, spilling to a temp file) is on the path of every download.
    const id = await submitJson(api.url, key, { ...range(1, 1500, "NGX"), file_format: "png" });
    const done = await pollDone(proxy.url, key, id);
    expect(done, JSON.stringify(done)).toMatchObject({
      status: "completed",
      total_items: 1500,
      processed_items: 1500,
      output_filename: `datamatrix-${id}.zip`,
      error: null,
    });
    // Run by the runner only: the API instance took no job.
    const started = (s: ServerProcess) =>
      s.logs().filter((l) => l.msg === "label job started" && l.job_id === id);
    expect(started(runner)).toHaveLength(1);
    expect(started(api)).toHaveLength(0);

    // The link is built from the Host header nginx forwards, and the helper's nginx sets
    // `Host $host`, which drops the port (hence the README's `$http_host`): its path and query
    // are used against nginx's own address.
    const link = new URL(done.download_url as string);
    expect(link.host).toBe("127.0.0.1");
    expect(link.pathname).toBe(`${DOWNLOAD}${id}`);
    const url = `${proxy.url}${link.pathname}${link.search}`;

    // Downloaded several times through nginx's round robin: each instance must serve the file
    // the runner wrote into the shared LABELS_DIR. Each request's id tells whose log has it.
    const bodies: Buffer[] = [];
    const reqIds: string[] = [];
    for (let i = 0; i < 6; i++) {
      const reqId = `dl-${i}-${randomUUID()}`;
      reqIds.push(reqId);
      const res = await fetch(url, { headers: { "X-Request-Id": reqId } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/zip");
      expect(res.headers.get("accept-ranges")).toBe("bytes");
      // An attachment named as the job's output_filename (a token, so quoting is optional).
      const disposition = res.headers.get("content-disposition") ?? "";
      expect(/^attachment; filename="?([^";]+)"?$/.exec(disposition)?.[1], disposition).toBe(
        done.output_filename,
      );
      const body = Buffer.from(await res.arrayBuffer());
      expect(res.headers.get("content-length")).toBe(String(body.length));
      expect(body.length).toBe(done.file_size_bytes);
      // The strong ETag is the SHA-256 of the file's bytes (computed here, independently).
      expect(res.headers.get("etag")).toBe(`"${sha256(body)}"`);
      bodies.push(body);
    }
    for (const body of bodies) expect(body.equals(bodies[0])).toBe(true);
    const full = bodies[0];
    // What both served is the one file the runner wrote into the shared LABELS_DIR.
    expect(readFileSync(join(labelsDir, `${id}.zip`)).equals(full)).toBe(true);
    const served = (s: ServerProcess) =>
      s
        .logs()
        .filter(
          (l) =>
            l.msg === "request" &&
            reqIds.includes(l.req_id as string) &&
            l.path === `${DOWNLOAD}${id}` &&
            l.status === 200,
        );
    // Both instances answered downloads (nginx alternates over its two upstreams), each of the
    // six in exactly one log; the log lines may trail the responses a little.
    await vi.waitFor(
      () => {
        const counts = [served(api).length, served(runner).length];
        expect(counts[0] + counts[1]).toBe(6);
        expect(Math.min(...counts)).toBeGreaterThan(0);
      },
      { timeout: 5000, interval: 100 },
    );

    // The archive itself: accepted by unzip, one PNG per serial plus the manifest.
    const names = zipNames(full);
    expect(names).toHaveLength(1501);
    expect(names[0]).toBe(`0001-${GTIN}-SN000001.png`);
    expect(names[1500]).toBe("manifest.csv");

    // A download cut part way and resumed from byte N, through nginx, twice (so both instances
    // answer a resumption): 206 with the rest, and the two parts are the file.
    const etag = `"${sha256(full)}"`;
    for (const n of [1, Math.floor(full.length / 3), full.length - 1]) {
      for (let k = 0; k < 2; k++) {
        const res = await fetch(url, { headers: { Range: `bytes=${n}-`, "If-Range": etag } });
        expect(res.status).toBe(206);
        expect(res.headers.get("content-range")).toBe(
          `bytes ${n}-${full.length - 1}/${full.length}`,
        );
        expect(res.headers.get("content-length")).toBe(String(full.length - n));
        expect(res.headers.get("accept-ranges")).toBe("bytes");
        expect(res.headers.get("etag")).toBe(etag);
        const rest = Buffer.from(await res.arrayBuffer());
        const joined = Buffer.concat([full.subarray(0, n), rest]);
        expect(joined.length).toBe(full.length);
        expect(sha256(joined)).toBe(sha256(full));
      }
    }
    // A resumption against another file's ETag gets the whole file (If-Range does not match),
    // and a range past the end is 416 naming the size.
    const stale = await fetch(url, {
      headers: { Range: "bytes=100-", "If-Range": `"${"0".repeat(64)}"` },
    });
    expect(stale.status).toBe(200);
    expect(Buffer.from(await stale.arrayBuffer()).equals(full)).toBe(true);
    const past = await fetch(url, { headers: { Range: `bytes=${full.length}-` } });
    expect(past.status).toBe(416);
    expect(past.headers.get("content-range")).toBe(`bytes */${full.length}`);
    await past.arrayBuffer();
  }, 180_000);
});

// --- disk full --------------------------------------------------------------------------------

const isRoot = process.getuid?.() === 0;
/** Why the disk-full test cannot run here, or null when it can (root, mount permitted). */
function cannotMount(): string | null {
  if (!isRoot) return "not root: mounting a tmpfs as LABELS_DIR needs root";
  if (!commandExists("mount")) return "no mount command";
  const probe = mkdtempSync(join(tmpdir(), "labels-mount-probe-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe], { stdio: "ignore" });
    execFileSync("umount", [probe], { stdio: "ignore" });
    return null;
  } catch (err) {
    return `mount -t tmpfs is not permitted here (no CAP_SYS_ADMIN?): ${(err as Error).message}`;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}
const noMount = cannotMount();
if (noMount) console.warn(`label export on a full disk: skipped, ${noMount}`);

describe("label export on a full disk (LABELS_DIR on a 3 MB tmpfs, SQLite, one instance)", () => {
  let labelsDir = "";
  let mounted = false;
  let server: ServerProcess;
  let key = "";

  beforeAll(async () => {
    if (noMount) return;
    const dataDir = tempDir("labels-full-data-");
    labelsDir = tempDir("labels-full-");
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=3m", "tmpfs", labelsDir]);
    mounted = true;
    const env = {
      DATA_DIR: dataDir,
      LABELS_DIR: labelsDir,
      WORKERS: "1",
      LABELS_THREADS: "2",
    };
    server = await startServer(env);
    ({ key } = await createKeyWithCli(env, "--per-minute", "100000", "--per-day", "1000000"));
  }, 120_000);

  afterAll(async () => {
    try {
      if (server && server.proc.exitCode === null) {
        // A job stuck on the full disk would hold SIGTERM's drain: 10 s, then SIGKILL.
        server.proc.kill("SIGTERM");
        const timer = setTimeout(() => server.proc.kill("SIGKILL"), 10_000);
        await server.exited;
        clearTimeout(timer);
      }
    } finally {
      if (mounted) execFileSync("umount", ["-l", labelsDir]);
    }
  }, 30_000);

  /** Every file and directory under LABELS_DIR, relative, sorted. */
  function leftovers(): string[] {
    return (readdirSync(labelsDir, { recursive: true }) as string[]).sort();
  }

  const DISK_FULL = /disk .*full/i;

  async function expectRecovered(lot: string) {
    // The service took the failure in its stride: a small job afterwards completes and
    // downloads, its bytes those its ETag names.
    const id = await submitJson(server.url, key, {
      items: [1, 2, 3].map((k) => ({ gtin: GTIN, lot, serial: `OK${k}` })),
    });
    const done = await pollDone(server.url, key, id);
    expect(done, JSON.stringify(done)).toMatchObject({ status: "completed", total_items: 3 });
    const res = await fetch(done.download_url as string);
    expect(res.status).toBe(200);
    const zip = Buffer.from(await res.arrayBuffer());
    expect(res.headers.get("etag")).toBe(`"${sha256(zip)}"`);
    expect(zipNames(zip)).toHaveLength(4);
    // Only that job's ZIP is left; then deleting it leaves LABELS_DIR as the failures left it.
    expect(leftovers().filter((f) => f.endsWith(".zip"))).toEqual([`${id}.zip`]);
    expect((await call(server.url, key, `${EXPORT}${id}/`, { method: "DELETE" })).status).toBe(204);
  }

  it.skipIf(noMount !== null)(
    "a CSV upload whose ZIP cannot fit fails saying the disk is full, leaves no file, and the next job runs",
    async () => {
      // 20,000 PNG rows (about 0.5 MB of CSV) whose ZIP would take several MB.
      let csv = "gtin,lot,serial\n";
      for (let k = 1; k <= 20_000; k++) csv += `${GTIN},FULL,S${String(k).padStart(6, "0")}\n`;
      const res = await call(server.url, key, `${EXPORT}?file_format=png&dpi=300`, {
        method: "POST",
        headers: { "Content-Type": "text/csv" },
        body: csv,
      });
      const accepted = (await res.json()) as { job_id: string };
      expect(res.status, JSON.stringify(accepted)).toBe(202);
      const done = await pollDone(server.url, key, accepted.job_id);
      expect(done.status).toBe("failed");
      expect(done.download_url).toBeNull();
      expect((done.error as { message: string }).message).toMatch(DISK_FULL);
      // No ZIP, no partial archive, no work directory, and the uploaded CSV is gone too.
      const left = leftovers();
      expect(left.filter((f) => f !== "inputs")).toEqual([]);
      await expectRecovered("AFTERCSV");
      expect(leftovers().filter((f) => f !== "inputs")).toEqual([]);
    },
    300_000,
  );

  it.skipIf(noMount !== null)(
    "a serial job whose items file cannot fit fails saying the disk is full, leaves no file, and releases its serials",
    async () => {
      // 60,000 generated serials: their items file alone (about 60 bytes a line) outgrows 3 MB,
      // so the disk fills before the first label is rendered.
      const id = await submitJson(server.url, key, {
        ...range(1, 60_000, "FULL"),
        file_format: "png",
      });
      const done = await pollDone(server.url, key, id);
      expect(done.status, JSON.stringify(done)).toBe("failed");
      expect((done.error as { message: string }).message).toMatch(DISK_FULL);
      expect(leftovers().filter((f) => f !== "inputs")).toEqual([]);
      // Nothing was delivered, so no serial was issued: the same range may be asked again.
      const listed = (await (
        await call(server.url, key, `/products/api/v1/labels/serials/?gtin=${GTIN}`)
      ).json()) as { pagination: { total_count: number } };
      expect(listed.pagination.total_count).toBe(0);
      const again = await submitJson(server.url, key, range(1, 10, "FULL"));
      expect(await pollDone(server.url, key, again)).toMatchObject({ status: "completed" });
      expect((await call(server.url, key, `${EXPORT}${again}/`, { method: "DELETE" })).status).toBe(
        204,
      );
      await expectRecovered("AFTERSERIALS");
    },
    300_000,
  );
});
