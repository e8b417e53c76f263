// POST /products/api/v1/qr/bulk/ against the server as `npm start` runs it: the published 202,
// the job polled to completion on the label-export pipeline, its ZIP checked by `unzip -t` and
// every PNG decoded by zxing-wasm to the Digital Link URI written out here by hand; refusals.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeImage } from "../helpers/decode.js";
import { call, finished, poll } from "../helpers/labels-api.js";
import { createKeyWithCli, type ServerProcess, startServerProcess } from "../helpers/processes.js";

const BULK = "/products/api/v1/qr/bulk/";
const dirs: string[] = [];
let server: ServerProcess;
let key: string;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "qr-bulk-"));
  dirs.push(dataDir);
  const env = {
    DATA_DIR: dataDir,
    WORKERS: "1",
    LABELS_THREADS: "1",
    LABELS_SIGNING_SECRET: "test-signing-secret",
  };
  server = await startServerProcess(env);
  ({ key } = await createKeyWithCli(env, "--per-minute", "100000", "--per-day", "1000000"));
}, 60_000);

afterAll(async () => {
  server?.proc.kill("SIGKILL");
  await server?.exited;
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function bulk(body: unknown) {
  const res = await call(server.url, key, BULK, { method: "POST", body: JSON.stringify(body) });
  return { res, body: (await res.json()) as Record<string, unknown> };
}

describe("POST /products/api/v1/qr/bulk/", () => {
  it("answers 202 {task_id, status, items, poll_url} and makes a ZIP of QR codes that decode", async () => {
    const { res, body } = await bulk({
      gtin: "0950 6000 1343 52",
      format: "png",
      size: 240,
      error_correction: "Q",
      items: [{ lot: "LOT-1", expiry: "271231" }, { serial: "SN/2" }, { lot: "L3", serial: "S3" }],
    });
    expect(res.status).toBe(202);
    expect(Object.keys(body).sort()).toEqual(["items", "poll_url", "status", "task_id"]);
    expect(body).toMatchObject({ status: "pending", items: 3 });
    expect(res.headers.get("location")).toBe(body.poll_url);
    expect(body.poll_url).toBe(`/products/api/v1/labels/export/${body.task_id}/`);
    const done = await poll(server.url, key, body.task_id as string, finished);
    expect(done).toMatchObject({ status: "completed", total_items: 3 });
    const zip = Buffer.from(await (await fetch(done.download_url as string)).arrayBuffer());
    const dir = mkdtempSync(join(tmpdir(), "qr-bulk-zip-"));
    dirs.push(dir);
    writeFileSync(join(dir, "a.zip"), zip);
    execFileSync("unzip", ["-tq", "a.zip"], { cwd: dir });
    execFileSync("unzip", ["-q", "a.zip", "-d", "out"], { cwd: dir });
    const pngs = readdirSync(join(dir, "out"))
      .filter((n) => n.endsWith(".png"))
      .sort();
    expect(pngs).toHaveLength(3);
    const texts: string[] = [];
    for (const name of pngs) {
      const read = await decodeImage(readFileSync(join(dir, "out", name)), "QRCode");
      expect(read.symbologyIdentifier).toBe("]Q1");
      texts.push(read.text);
    }
    expect(texts).toEqual([
      "https://id.gs1.org/01/09506000134352/10/LOT-1?17=271231",
      "https://id.gs1.org/01/09506000134352/21/SN%2F2",
      "https://id.gs1.org/01/09506000134352/10/L3/21/S3",
    ]);
  }, 120_000);

  it("refuses items beyond lot/serial/expiry, too many items, and a bad shared option (422)", async () => {
    const fields = async (body: unknown) => {
      const { res, body: problem } = await bulk(body);
      expect(res.status).toBe(422);
      return (problem.details as { loc: string[]; type: string }[]).map((d) => [
        d.loc.join("."),
        d.type,
      ]);
    };
    expect(
      await fields({ gtin: "09506000134352", items: [{ lot: "A", gtin: "09506000134352" }] }),
    ).toEqual([["body.items.0.gtin", "unknown_field"]]);
    const many = Array.from({ length: 5001 }, (_, i) => ({ serial: String(i) }));
    expect(await fields({ gtin: "09506000134352", items: many })).toEqual([
      ["body.items", "length"],
    ]);
    expect(await fields({ gtin: "09506000134352", size: 10, items: [{ lot: "A" }] })).toEqual([
      ["body.size", "range"],
    ]);
  }, 60_000);
});
