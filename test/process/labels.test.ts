// Bulk label export over real HTTP against the server process as `npm start` runs it, on both
// shapes: SQLite with the embedded queue, and PostgreSQL + Redis with BullMQ where a job
// submitted to one instance is processed by either and downloaded through the other. Every
// entry of the ZIP is checked by `unzip -t`, read back with unzip, decoded by zxing-wasm and
// compared with the manifest.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeImage } from "../helpers/decode.js";
import { createKeyWithCli, type ServerProcess, startServerProcess } from "../helpers/processes.js";
import {
  cleanupRedisPrefix,
  createTestDatabase,
  sharedRedisUrl,
  type TestDatabase,
  uniquePrefix,
} from "../helpers/services.js";

const EXPORT = "/products/api/v1/labels/export/";

interface Shape {
  name: string;
  env: () => Promise<Record<string, string>>;
  instances: number;
}

let db: TestDatabase | undefined;
const prefix = uniquePrefix("labels");
const dirs: string[] = [];

const SHAPES: Shape[] = [
  {
    name: "SQLite, embedded queue, one instance",
    instances: 1,
    env: async () => {
      const dir = mkdtempSync(join(tmpdir(), "labels-sqlite-"));
      dirs.push(dir);
      return { DATA_DIR: dir, WORKERS: "1", LABELS_THREADS: "2" };
    },
  },
  {
    name: "PostgreSQL + Redis (BullMQ), two instances sharing LABELS_DIR",
    instances: 2,
    env: async () => {
      db ??= await createTestDatabase();
      const dir = mkdtempSync(join(tmpdir(), "labels-shared-"));
      dirs.push(dir);
      return {
        DATA_DIR: dir,
        LABELS_DIR: join(dir, "labels"),
        WORKERS: "1",
        LABELS_THREADS: "1",
        DATABASE_URL: db.url,
        REDIS_URL: sharedRedisUrl(),
        REDIS_KEY_PREFIX: prefix,
      };
    },
  },
];

afterAll(async () => {
  await db?.drop();
  await cleanupRedisPrefix(sharedRedisUrl(), prefix);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function call(base: string, key: string, path: string, init: RequestInit = {}) {
  return fetch(`${base}${path}`, {
    ...init,
    headers: { "X-API-Key": key, ...(init.headers as Record<string, string>) },
  });
}

async function pollDone(base: string, key: string, id: string) {
  for (let i = 0; i < 600; i++) {
    const res = await call(base, key, `${EXPORT}${id}/`);
    const body = (await res.json()) as Record<string, unknown>;
    if (body.status !== "pending" && body.status !== "processing") return body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} did not finish`);
}

function unzip(zip: Buffer): { dir: string; names: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "labels-unzip-"));
  dirs.push(dir);
  writeFileSync(join(dir, "a.zip"), zip);
  execFileSync("unzip", ["-tq", "a.zip"], { cwd: dir });
  execFileSync("unzip", ["-q", "a.zip", "-d", "out"], { cwd: dir });
  return { dir: join(dir, "out"), names: readdirSync(join(dir, "out")).sort() };
}

function parseCsv(text: string): string[][] {
  return text
    .trim()
    .split("\r\n")
    .map((line) => line.split(","));
}

describe.each(SHAPES)("label export: $name", (shape) => {
  const servers: ServerProcess[] = [];
  let key = "";
  let env: Record<string, string> = {};
  beforeAll(async () => {
    env = await shape.env();
    for (let i = 0; i < shape.instances; i++) servers.push(await startServerProcess(env));
    ({ key } = await createKeyWithCli(env));
  }, 120_000);
  afterAll(async () => {
    for (const s of servers) {
      s.proc.kill("SIGTERM");
      await s.exited;
    }
  });

  it("runs an inline job to a ZIP whose every entry decodes to its manifest row", async () => {
    const items = Array.from({ length: 30 }, (_, k) => ({
      gtin: "09506000134352",
      lot: "LOT42",
      expiry: "270630",
      serial: `S${String(k + 1).padStart(4, "0")}`,
    }));
    const submit = await call(servers[0].url, key, EXPORT, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ export_type: "datamatrix", file_format: "png", items }),
    });
    expect(submit.status).toBe(202);
    const accepted = (await submit.json()) as { job_id: string; status: string; poll_url: string };
    expect(accepted.status).toBe("pending");
    expect(accepted.job_id).toMatch(/^[2-9A-HJ-NP-Za-km-z]{22}$/);
    expect(submit.headers.get("location")).toBe(accepted.poll_url);
    // Polled (and later downloaded) through the last instance: any instance serves any job.
    const other = servers[servers.length - 1].url;
    const done = await pollDone(other, key, accepted.job_id);
    expect(done).toMatchObject({
      status: "completed",
      total_items: 30,
      processed_items: 30,
      progress_percent: 100,
      error: null,
    });
    const zipRes = await fetch(done.download_url as string);
    expect(zipRes.status).toBe(200);
    expect(zipRes.headers.get("content-type")).toBe("application/zip");
    expect(zipRes.headers.get("accept-ranges")).toBe("bytes");
    const zip = Buffer.from(await zipRes.arrayBuffer());
    expect(zip.length).toBe(done.file_size_bytes);
    const { dir, names } = unzip(zip);
    expect(names).toHaveLength(31);
    const manifest = parseCsv(readFileSync(join(dir, "manifest.csv"), "utf8"));
    expect(manifest[0]).toEqual(["index", "file_name", "data", "hri", "symbol_size", "sha256"]);
    expect(manifest).toHaveLength(31);
    for (const [k, row] of manifest.slice(1).entries()) {
      expect(row[0]).toBe(String(k + 1));
      expect(row[1]).toBe(
        `${String(k + 1).padStart(2, "0")}-09506000134352-${items[k].serial}.png`,
      );
      const decoded = await decodeImage(readFileSync(join(dir, row[1])));
      expect(decoded.symbologyIdentifier).toBe("]d2");
      expect(decoded.text).toBe(`0109506000134352172706301${"0LOT42\x1d21"}${items[k].serial}`);
    }
    // A range request resumes a download.
    const part = await fetch(done.download_url as string, { headers: { Range: "bytes=10-19" } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(zip.subarray(10, 20));
  });

  it("fails a job with invalid items, naming each row, and renders nothing", async () => {
    const items = [
      { gtin: "09506000134352", lot: "OK" },
      { gtin: "09506000134353", lot: "BAD-CHECK" },
      { gtin: "09506000134352", lot: "has space" },
    ];
    const res = await call(servers[0].url, key, EXPORT, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ items }),
    });
    const { job_id } = (await res.json()) as { job_id: string };
    const done = await pollDone(servers[0].url, key, job_id);
    expect(done.status).toBe("failed");
    const error = done.error as { items: { row: number; field: string }[]; invalid_count: number };
    expect(error.invalid_count).toBe(2);
    expect(error.items.map((e) => [e.row, e.field])).toEqual([
      [2, "gtin"],
      [3, "lot"],
    ]);
    expect(done.download_url).toBeNull();
    // The whole report, downloadable until it expires like an artifact.
    const report = await fetch(done.errors_url as string);
    expect(report.status).toBe(200);
    expect(report.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const rows = parseCsv(await report.text());
    expect(rows[0]).toEqual(["row", "field", "message"]);
    expect(rows.slice(1).map((r) => [r[0], r[1]])).toEqual([
      ["2", "gtin"],
      ["3", "lot"],
    ]);
    // expires_at stays a completed job's field (the published contract).
    expect(done.expires_at).toBeNull();
  });

  it("accepts a CSV upload with AI-number headers, BOM and CRLF, and skips bad rows on request", async () => {
    const csv =
      "\ufeff01,10,21,17\r\n09506000134352,L1,A1,270630\r\n09506000134352,L1,bad serial,270630\r\n";
    const form = new FormData();
    form.append("request", JSON.stringify({ file_format: "svg", on_invalid: "skip" }));
    form.append("file", new Blob([csv], { type: "text/csv" }), "items.csv");
    const res = await call(servers[0].url, key, EXPORT, { method: "POST", body: form });
    expect(res.status, await res.clone().text()).toBe(202);
    const { job_id } = (await res.json()) as { job_id: string };
    const done = await pollDone(servers[0].url, key, job_id);
    expect(done).toMatchObject({ status: "completed", total_items: 2 });
    const zip = Buffer.from(await (await fetch(done.download_url as string)).arrayBuffer());
    const { dir, names } = unzip(zip);
    expect(names).toEqual(["1-09506000134352-A1.svg", "errors.csv", "manifest.csv"]);
    expect(readFileSync(join(dir, "errors.csv"), "utf8")).toContain("2,serial,");
  });

  it("keeps one job per Idempotency-Key, refuses the key with another body, and hides other owners' jobs", async () => {
    const body = JSON.stringify({ items: [{ gtin: "09506000134352", serial: "IDEM1" }] });
    const headers = { "Content-Type": "application/json", "Idempotency-Key": `k-${prefix}` };
    const a = (await (
      await call(servers[0].url, key, EXPORT, { method: "POST", headers, body })
    ).json()) as { job_id: string };
    const again = await call(servers[0].url, key, EXPORT, { method: "POST", headers, body });
    expect(again.status).toBe(202);
    expect(((await again.json()) as { job_id: string }).job_id).toBe(a.job_id);
    const other = await call(servers[0].url, key, EXPORT, {
      method: "POST",
      headers,
      body: JSON.stringify({ items: [{ gtin: "09506000134352", serial: "IDEM2" }] }),
    });
    expect(other.status).toBe(422);
    const { key: stranger } = await createKeyWithCli(env);
    const hidden = await call(servers[0].url, stranger, `${EXPORT}${a.job_id}/`);
    expect(hidden.status).toBe(404);
    const list = (await (await call(servers[0].url, stranger, EXPORT)).json()) as {
      data: unknown[];
      pagination: { total_count: number };
    };
    expect(list.pagination.total_count).toBe(0);
    const malformed = await call(servers[0].url, key, `${EXPORT}not-an-id/`);
    expect(malformed.status).toBe(422);
  });
});
