// Real backing services for integration tests: private, throwaway Redis / PostgreSQL / nginx
// processes that a test may stop, crash and restart, and per-run isolation (key prefixes,
// databases) on the shared servers. No mocks: the point is to exercise the real protocols.
import { type ChildProcess, execFile, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { type AddressInfo, connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { Client } from "pg";

const run = promisify(execFile);

/**
 * Returns the shared Redis that every test may use, isolated by key prefix: the one
 * test/global-setup.ts found or started (TEST_REDIS_URL).
 */
export function sharedRedisUrl(): string {
  return process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
}

/**
 * Returns the shared PostgreSQL server, on which tests isolate via createTestDatabase(): the one
 * test/global-setup.ts found or started (TEST_DATABASE_URL).
 */
export function sharedDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
}

/** Tells whether a command is on PATH (or an executable path), so suites can skip cleanly. */
export function commandExists(name: string): boolean {
  return spawnSync("sh", ["-c", 'command -v "$1"', "sh", name], { stdio: "ignore" }).status === 0;
}

/**
 * Finds a loopback port that was free a moment ago. Another process may still grab it before
 * the caller binds, so the start* helpers fail fast (with the server's log) rather than hang.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Makes a Redis key prefix that no other test run, worker or process can collide with. */
export function uniquePrefix(label: string): string {
  return `dmtest:${label}:${process.pid}-${randomBytes(4).toString("hex")}:`;
}

/**
 * Deletes every key starting with `prefix` and returns how many went. SCAN + UNLINK rather than
 * KEYS + DEL so that cleaning up never blocks the shared server for other test workers.
 */
export async function cleanupRedisPrefix(url: string, prefix: string): Promise<number> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    const match = `${prefix.replace(/[*?[\]\\]/g, "\\$&")}*`;
    let removed = 0;
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", match, "COUNT", 1000);
      if (keys.length > 0) removed += await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== "0");
    return removed;
  } finally {
    redis.disconnect();
  }
}

/** Names a database of its own on a shared server; `drop()` may safely run twice. */
export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * Creates an empty database on the server of `baseUrl`, so a test can migrate, truncate and
 * assert on row counts without seeing other workers' data.
 */
export async function createTestDatabase(baseUrl = sharedDatabaseUrl()): Promise<TestDatabase> {
  const name = `dm_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await withClient(baseUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      // FORCE terminates the backends still connected to it (leaked pools), like
      // pg_terminate_backend would, in the same statement.
      await withClient(baseUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      );
    },
  };
}

/** Controls a redis-server owned by one test; nothing persists, so a restart comes back empty. */
export interface PrivateRedis {
  url: string;
  port: number;
  /** Shuts the server down (SIGTERM) and waits until it has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port after stop() or kill(); resolves once it answers PING. */
  start(): Promise<void>;
  /** SIGKILLs the server without waiting, to simulate a crash. */
  kill(): void;
}

/**
 * Starts a private redis-server on `port` (default: a free one) and waits for PING, so a test can
 * stop, crash or restart it without disturbing the shared one.
 */
export async function startPrivateRedis(port?: number): Promise<PrivateRedis> {
  const redisPort = port ?? (await freePort());
  let proc: Service | undefined;
  const start = async () => {
    // A killed server takes a moment to let go of the port; a running one would answer the
    // readiness probe in the new one's place and be orphaned.
    if (proc && !(await exitsWithin(proc, 5000))) throw new Error("redis-server is still running");
    const dir = tempDir("dm-redis-");
    const args = ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", ""];
    proc = launch("redis-server", [...args, "--appendonly", "no", "--dir", dir], {
      kill: (child) => child.kill("SIGKILL"),
    });
    proc.exited.then(() => removeDir(dir));
    await waitUntil(proc, "redis-server", async () => {
      const reply = await probe(redisPort, "PING\r\n");
      return reply?.startsWith("+PONG") ?? false;
    });
  };
  await start();
  return {
    url: `redis://127.0.0.1:${redisPort}`,
    port: redisPort,
    async stop() {
      if (proc) await terminate(proc, ["SIGTERM", "SIGKILL"]);
    },
    start,
    kill: () => proc?.kill(),
  };
}

/** Controls a PostgreSQL cluster owned by one test; its data survives stop() / start(). */
export interface PrivatePostgres {
  url: string;
  port: number;
  /** Fast-shuts the server down (SIGINT: abort sessions, checkpoint) and waits for exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port; resolves once `SELECT 1` succeeds. */
  start(): Promise<void>;
  /** Stops the server and deletes the cluster. */
  close(): Promise<void>;
}

/**
 * Creates a fresh cluster (initdb, trust auth, durability off for speed) and starts it. As root,
 * initdb and postgres refuse to run, so both go through `runuser -u postgres`.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const port = await freePort();
  const dir = tempDir("dm-pg-");
  const asRoot = process.getuid?.() === 0;
  const command = (bin: string, args: string[]): [string, string[]] =>
    asRoot
      ? ["runuser", ["-u", "postgres", "--", join(pgBin(), bin), ...args]]
      : [join(pgBin(), bin), args];
  if (asRoot) await run("chown", ["-R", "postgres:postgres", dir]);
  const initdbArgs = ["-D", dir, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"];
  await run(...command("initdb", initdbArgs), { cwd: dir });

  // runuser does not forward SIGINT or SIGQUIT (and answers SIGTERM with a 2 s grace sleep), so
  // signals go to the postmaster itself, whose pid is the first line of postmaster.pid.
  const postmasterPid = () =>
    Number(readFileSync(join(dir, "postmaster.pid"), "utf8").split("\n")[0]);
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(postmasterPid(), sig);
    } catch {
      // Already gone, or never got as far as writing its pid file.
    }
  };
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const serverArgs = ["-D", dir, "-p", String(port), "-h", "127.0.0.1", "-k", dir];
  const unsafe = ["fsync=off", "full_page_writes=off", "synchronous_commit=off"];
  let proc: Service | undefined;
  const start = async () => {
    if (proc && !(await exitsWithin(proc, 5000))) throw new Error("postgres is still running");
    proc = launch(...command("postgres", [...serverArgs, ...unsafe.flatMap((c) => ["-c", c])]), {
      cwd: dir,
      // Immediate shutdown: the postmaster takes its backends and shared memory down with it.
      kill: (child) => {
        signal("SIGQUIT");
        child.kill("SIGKILL");
      },
    });
    await waitUntil(proc, "postgres", () =>
      withClient(url, (client) => client.query("SELECT 1")).then(
        () => true,
        () => false,
      ),
    );
  };
  const stop = async () => {
    if (proc) await terminate(proc, ["SIGINT", "SIGQUIT", "SIGKILL"], signal);
  };
  await start();
  return {
    url,
    port,
    stop,
    start,
    async close() {
      await stop();
      removeDir(dir);
    },
  };
}

/** Controls an nginx reverse proxy in front of test servers. */
export interface Nginx {
  url: string;
  port: number;
  /** Shuts down gracefully (SIGQUIT), escalating after 5 s, and waits for exit. */
  stop(): Promise<void>;
}

/**
 * Starts nginx round-robining over `upstreams` ("127.0.0.1:PORT") with keep-alive upstream
 * connections and the X-Forwarded-* headers a production proxy sets, to test what the app sees
 * behind a real proxy.
 */
export async function startNginx(upstreams: string[]): Promise<Nginx> {
  const port = await freePort();
  const dir = tempDir("dm-nginx-");
  // Run as root, the master hands requests to `nobody` workers, which need to reach the temp
  // dirs below: with mkdtemp's 0700 they fail every body or response that spills to disk.
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, "nginx.conf"), nginxConfig(dir, port, upstreams));
  const nginx = existsSync("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";
  const proc = launch(nginx, ["-p", dir, "-c", join(dir, "nginx.conf"), "-e", "stderr"], {
    // Not SIGKILL: workers outlive a killed master and keep serving the port.
    kill: (child) => child.kill("SIGTERM"),
  });
  proc.exited.then(() => removeDir(dir));
  await waitUntil(proc, "nginx", async () => (await probe(port)) !== undefined);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop: () => terminate(proc, ["SIGQUIT", "SIGTERM", "SIGKILL"]),
  };
}

function nginxConfig(dir: string, port: number, upstreams: string[]): string {
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"];
  return `daemon off;
master_process on;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log stderr warn;
events {}
http {
  access_log off;
${temp.map((t) => `  ${t}_temp_path ${dir}/${t};`).join("\n")}
  upstream app {
${upstreams.map((u) => `    server ${u};`).join("\n")}
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header Host $host;
    }
  }
}
`;
}

// --- process plumbing --------------------------------------------------------------------------

/** Tracks a spawned server, keeping its recent output for error messages. */
interface Service {
  /** Resolves when the process has exited or failed to spawn; never rejects. */
  exited: Promise<void>;
  running(): boolean;
  log(): string;
  signal(sig: NodeJS.Signals): void;
  /** Takes the process down synchronously, without waiting (crash simulation, exit hook). */
  kill(): void;
}

// Emergency kills for services still up, run if the test process ends without stopping them
// (failed test, forgotten stop()), so no server outlives the run and holds its port.
const leftovers = new Set<() => void>();
const tempDirs = new Set<string>();
function cleanUpLeftovers(): void {
  for (const kill of leftovers) kill();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}
process.on("exit", cleanUpLeftovers);
// Vitest ends its fork workers with SIGTERM, whose default action skips "exit" listeners: clean
// up, then re-raise so that the process still dies of SIGTERM as it would have.
process.once("SIGTERM", () => {
  cleanUpLeftovers();
  process.kill(process.pid, "SIGTERM");
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  tempDirs.delete(dir);
}

function launch(
  cmd: string,
  args: string[],
  options: { cwd?: string; kill: (child: ChildProcess) => void },
): Service {
  const child = spawn(cmd, args, { cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const keep = (chunk: Buffer | string) => {
    log = (log + chunk.toString()).slice(-8192);
  };
  // Draining both pipes also keeps a chatty server from blocking on a full one. Unreferenced, a
  // forgotten server does not keep the test process alive; the exit hook then takes it down.
  for (const pipe of [child.stdout, child.stderr] as Socket[]) pipe.on("data", keep).unref();
  child.unref();
  let running = true;
  const kill = () => options.kill(child);
  leftovers.add(kill);
  const exited = new Promise<void>((resolve) => {
    const done = () => {
      running = false;
      leftovers.delete(kill);
      resolve();
    };
    child.once("exit", done);
    child.once("error", (err) => {
      keep(`${err.message}\n`);
      done();
    });
  });
  const signal = (sig: NodeJS.Signals) => void child.kill(sig);
  return { exited, running: () => running, log: () => log, signal, kill };
}

/** Polls `ready` every 100 ms; on early exit or timeout, kills the process and throws its log. */
async function waitUntil(
  service: Service,
  name: string,
  ready: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    const problem = !service.running()
      ? "exited before it was ready"
      : Date.now() > deadline
        ? `was not ready after ${timeoutMs} ms`
        : undefined;
    if (problem) {
      service.kill();
      throw new Error(`${name} ${problem}:\n${service.log()}`);
    }
    await sleep(100);
  }
}

/**
 * Sends each signal in turn (to the process, or through `send`), giving it 5 s to exit before
 * escalating to the next, and to its emergency kill() as a last resort.
 */
async function terminate(
  service: Service,
  signals: NodeJS.Signals[],
  send: (sig: NodeJS.Signals) => void = service.signal,
): Promise<void> {
  for (const sig of signals) {
    if (!service.running()) return;
    send(sig);
    if (await exitsWithin(service, 5000)) return;
  }
  service.kill();
  await service.exited;
}

function exitsWithin(service: Service, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    service.exited.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Connects to a loopback port, optionally sends `payload`, and resolves with the first reply. */
function probe(port: number, payload?: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const done = (reply?: string) => {
      socket.destroy();
      resolve(reply);
    };
    socket.setTimeout(1000, () => done());
    socket.once("error", () => done());
    socket.once("connect", () => (payload ? socket.write(payload) : done("")));
    socket.once("data", (data) => done(data.toString()));
  });
}

/** Runs `use` with a connected client to `url`, always ending the connection. */
export async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return await use(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Picks PG_BIN, else the newest Debian-style /usr/lib/postgresql/<major>/bin, else PATH. */
function pgBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = "/usr/lib/postgresql";
  const majors = existsSync(root) ? readdirSync(root).map(Number).filter(Number.isInteger) : [];
  return majors.length > 0 ? join(root, String(Math.max(...majors)), "bin") : "";
}
