// src/server/server.ts as `npm start` runs it (own process, real engine): the first-start key and
// its curl command, start-up refusing bad configuration, ETags identical across processes, and a
// graceful SIGTERM that finishes the request in flight, closes the database and exits 0.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DATAMATRIX, decodeBody, expectedElementString } from "../helpers/http.js";
import { type ServerProcess, startServerProcess, usersCli } from "../helpers/processes.js";
import { freePort } from "../helpers/services.js";

const KEY = /\b(csb_[A-Za-z0-9]{32}_[0-9a-f]{8})\b/;
const PAYLOAD = { gtin: "09506000134352", lot: "ABC123", expiry: "270630" };

const dirs: string[] = [];
const servers: ServerProcess[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "dm-server-"));
  dirs.push(dir);
  return dir;
}
async function start(env: Record<string, string>): Promise<ServerProcess> {
  const s = await startServerProcess(env);
  servers.push(s);
  return s;
}
afterEach(async () => {
  for (const s of servers.splice(0)) {
    if (s.proc.exitCode === null) {
      s.proc.kill("SIGKILL");
      await s.exited;
    }
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function postTo(
  s: ServerProcess,
  key: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return fetch(s.url + DATAMATRIX, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": key, ...headers },
    body: JSON.stringify(body),
  });
}

describe("first start", () => {
  it("creates one key, prints it with a curl command that works, and never again", async () => {
    const dataDir = tempDir();
    const first = await start({ DATA_DIR: dataDir });
    const banner = first.stderr();
    const key = banner.match(KEY)?.[1] as string;
    expect(key).toBeDefined();
    expect(banner.split(key).length - 1).toBe(2); // the key line and the curl header
    // Run the printed curl command as a newcomer would paste it.
    const curl = banner.slice(banner.indexOf("curl "), banner.indexOf("-o datamatrix.svg") + 17);
    const cwd = tempDir();
    execFileSync("bash", ["-c", curl], { cwd });
    const svg = readFileSync(join(cwd, "datamatrix.svg"));
    const decoded = await decodeBody(svg, "image/svg+xml");
    expect(decoded.text).toBe(
      expectedElementString({ gtin: "09506000134352", lot: "ABC123", expiry: "270630" }),
    );
    // The key never reaches the structured logs.
    expect(JSON.stringify(first.logs())).not.toContain(key.slice(4, 36));

    first.proc.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    const second = await start({ DATA_DIR: dataDir });
    expect(second.stderr()).toBe("");
    expect((await postTo(second, key, PAYLOAD)).status).toBe(200);
  });
});

describe("start-up configuration", () => {
  it.each([
    [
      "PORT",
      "eighty",
      'Cannot start: PORT="eighty" is invalid: expected an integer from 0 to 65535.\n',
    ],
    [
      "RATE_LIMIT_PER_DAY",
      "-5",
      'Cannot start: RATE_LIMIT_PER_DAY="-5" is invalid: expected an integer from 1 to 1000000000.\n',
    ],
  ])("stops with exit 2 naming %s when it is invalid", async (name, value, message) => {
    const attempt = startServerProcess({ DATA_DIR: tempDir(), [name]: value });
    await expect(attempt).rejects.toThrow(`server exited 2: ${message}`);
  });
});

describe("start-up with a key database it cannot open", () => {
  it.each(["1", "2"])(
    "stops with exit 1 and one line naming the file (WORKERS=%s)",
    async (workers) => {
      const dataDir = tempDir();
      writeFileSync(join(dataDir, "keys.sqlite"), "not a database, just text long enough");
      await expect(startServerProcess({ DATA_DIR: dataDir, WORKERS: workers })).rejects.toThrow(
        `server exited 1: Cannot start: Cannot open the key database ${join(dataDir, "keys.sqlite")}: ` +
          "SQLITE_NOTADB: file is not a database\n",
      );
    },
  );
});

describe("accounts", () => {
  it("lets a user made with the users CLI sign in; disabling them ends the session at once", async () => {
    const dataDir = tempDir();
    const s = await start({ DATA_DIR: dataDir, WORKERS: "1" });
    const env = { DATA_DIR: dataDir };
    const password = "a passphrase nobody guesses";
    const made = await usersCli(
      env,
      ["create", "--email", "lin@example.com", "--password-stdin"],
      password,
    );
    expect(made.code).toBe(0);
    const login = await fetch(`${s.url}/account/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: "lin@example.com", password }).toString(),
    });
    expect(login.status).toBe(303);
    const cookie = /^sessionid=([^;]+)/.exec(login.headers.get("set-cookie") ?? "")?.[1];
    const me = () =>
      fetch(`${s.url}/account/api/v1/session`, { headers: { cookie: `sessionid=${cookie}` } });
    expect(await (await me()).json()).toMatchObject({ email: "lin@example.com" });
    const dashboard = await fetch(`${s.url}/account/`, {
      headers: { cookie: `sessionid=${cookie}` },
    });
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain("Settings › API Keys");
    expect((await usersCli(env, ["disable", "lin@example.com"])).code).toBe(0);
    expect((await me()).status).toBe(401);
    expect(JSON.stringify(s.logs())).not.toContain(password);
  });
});

describe("ETags", () => {
  it("are identical across two server processes for svg, png and pdf", async () => {
    const a = await start({ DATA_DIR: tempDir() });
    const b = await start({ DATA_DIR: tempDir() });
    const keyA = a.stderr().match(KEY)?.[1] as string;
    const keyB = b.stderr().match(KEY)?.[1] as string;
    for (const format of ["svg", "png", "pdf"] as const) {
      const payload = { ...PAYLOAD, serial: "SN1", format };
      const [ra, rb] = await Promise.all([postTo(a, keyA, payload), postTo(b, keyB, payload)]);
      expect([ra.status, rb.status]).toEqual([200, 200]);
      const [ba, bb] = [Buffer.from(await ra.arrayBuffer()), Buffer.from(await rb.arrayBuffer())];
      expect(ra.headers.get("etag")).toBe(rb.headers.get("etag"));
      expect(ba.equals(bb)).toBe(true);
      const decoded = await decodeBody(ba, ra.headers.get("content-type") as string);
      expect(decoded.text).toBe(expectedElementString(payload));
      // The tag from one process revalidates against the other.
      const revalidated = await postTo(b, keyB, payload, {
        "if-none-match": ra.headers.get("etag") as string,
      });
      expect(revalidated.status).toBe(304);
    }
  });
});

describe("SIGTERM", () => {
  it("stops accepting, finishes the request in flight, closes the database and exits 0", async () => {
    const dataDir = tempDir();
    // One process (WORKERS=1); test/process/cluster.test.ts stops a cluster.
    const s = await start({ DATA_DIR: dataDir, WORKERS: "1" });
    const key = s.stderr().match(KEY)?.[1] as string;
    // An idle keep-alive connection must not hold the shutdown up.
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);

    // A request whose body is only half sent when the signal arrives.
    const body = JSON.stringify({ ...PAYLOAD, format: "png" });
    const { port } = new URL(s.url);
    const socket = connect(Number(port), "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    const chunks: Buffer[] = [];
    socket.on("data", (c) => chunks.push(c));
    const closed = new Promise((resolve) => socket.once("close", resolve));
    socket.write(
      `POST ${DATAMATRIX} HTTP/1.1\r\nHost: localhost\r\nX-API-Key: ${key}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    // Nothing observable says the server has read the head yet: give its event loop a moment.
    await new Promise((r) => setTimeout(r, 200));
    s.proc.kill("SIGTERM");
    await s.waitForLog((l) => l.msg === "stopping: draining in-flight requests");

    // New connections are refused while draining.
    await expect(fetch(`${s.url}/healthz`)).rejects.toThrow();

    socket.write(body.slice(10));
    // The server ends the connection itself once the response is out.
    await closed;
    const raw = Buffer.concat(chunks);
    const head = raw.subarray(0, raw.indexOf("\r\n\r\n")).toString();
    expect(head.split("\r\n")[0]).toBe("HTTP/1.1 200 OK");
    const png = raw.subarray(raw.indexOf("\r\n\r\n") + 4);
    expect(head).toContain(`Content-Length: ${png.length}`);
    const decoded = await decodeBody(png, "image/png");
    expect(decoded.text).toBe(expectedElementString(PAYLOAD));

    expect(await s.exited).toBe(0);
    expect(s.logs().find((l) => l.msg === "stopped")).toMatchObject({ clean: true });
    // The database was closed: SQLite checkpoints and removes the WAL on the last close.
    const wal = join(dataDir, "keys.sqlite-wal");
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
  });
});

describe("METRICS_PORT", () => {
  it("serves this process's Prometheus metrics there, and not on the public port", async () => {
    const metricsPort = await freePort();
    const s = await start({ DATA_DIR: tempDir(), WORKERS: "1", METRICS_PORT: String(metricsPort) });
    const key = s.stderr().match(KEY)?.[1] as string;
    expect((await postTo(s, key, PAYLOAD)).status).toBe(200);
    expect((await postTo(s, key, { ...PAYLOAD, format: "png" })).status).toBe(200);
    expect((await postTo(s, key, { ...PAYLOAD, gtin: "1" })).status).toBe(422);
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const route = `route="${DATAMATRIX}"`;
    for (const line of [
      `dm_http_requests_total{${route},status="200",format="svg"} 1`,
      `dm_http_requests_total{${route},status="200",format="png"} 1`,
      `dm_http_requests_total{${route},status="422",format=""} 1`,
      'dm_render_duration_seconds_count{format="png"} 1',
    ]) {
      expect(text.split("\n")).toContain(line);
    }
    // The cluster primary's own metric exists only with several workers.
    expect(text).not.toContain("dm_worker_restarts_total");
    expect((await fetch(`${s.url}/metrics`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/other`)).status).toBe(404);
  });
});

describe("SIGTERM to npm start", () => {
  it.each([
    ["one process", "1"],
    ["a cluster", "2"],
  ])("stops %s: drained, port closed, npm exits 0", async (_what, workers) => {
    // As a process manager would: signal the npm process itself (which runs the build).
    const s = await startServerProcess({ DATA_DIR: tempDir(), WORKERS: workers }, ["npm", "start"]);
    servers.push(s);
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    // A cluster's label job process starts beside the HTTP workers; on a loaded machine it may
    // still be loading its modules when they answer, and a SIGTERM then ends it by the signal
    // (nothing drained, no "stopped"). Stop a cluster that is wholly up.
    if (workers === "2") await s.waitForLog((l) => l.msg === "running label jobs only (no HTTP)");
    s.proc.kill("SIGTERM");
    expect(await s.exited).toBe(0);
    await expect(fetch(`${s.url}/healthz`)).rejects.toThrow();
    // A cluster: two HTTP workers, the label job process and the primary.
    expect(s.logs().filter((l) => l.msg === "stopped").length).toBe(Number(workers) === 1 ? 1 : 4);
  });
});

describe("a stdout nobody reads any more", () => {
  it.each([
    ["one process", "1"],
    ["a cluster", "2"],
  ])("does not stop %s from serving, nor from exiting on SIGTERM", async (_what, workers) => {
    const s = await start({ DATA_DIR: tempDir(), WORKERS: workers });
    // The log reader goes away (a closed pipe): every later log write fails with EPIPE.
    s.proc.stdout?.destroy();
    for (let i = 0; i < 20; i++) expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    s.proc.kill("SIGTERM");
    expect(await s.exited).toBe(0);
  });
});

describe("SIGINT", () => {
  it("stops the same way (Ctrl+C in a terminal): drained, exit 0", async () => {
    const s = await start({ DATA_DIR: tempDir(), WORKERS: "1" });
    s.proc.kill("SIGINT");
    expect(await s.exited).toBe(0);
    expect(s.logs().find((l) => l.msg === "stopped")).toMatchObject({ clean: true });
  });
});
