// What `npm test` needs beyond npm, provided before any test runs: the Debian tools the tests
// check against (zint, dmtxread, ZXingReader, qpdf, pdftoppm, rsvg-convert, gs, Chromium, DejaVu
// fonts, nginx, the Redis and PostgreSQL binaries, valgrind), installed with apt-get when missing
// and we are root; and a Redis and a PostgreSQL to talk to — the machine's own when they answer on
// their standard ports, else private ones started here on free loopback ports and stopped after.
// Without root or apt-get, a missing tool stops the run at once with the exact command to run.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { connect } from "node:net";
import {
  commandExists,
  type PrivatePostgres,
  type PrivateRedis,
  startPrivatePostgres,
  startPrivateRedis,
  withClient,
} from "./helpers/services.js";

/** A tool the tests run, how to find it, and the Debian package that provides it. */
interface Tool {
  package: string;
  present(): boolean;
}

const onPath = (command: string) => () => commandExists(command);
const file = (path: string) => () => existsSync(path);
const pgServer = () =>
  existsSync("/usr/lib/postgresql") &&
  spawnSync("sh", ["-c", "ls /usr/lib/postgresql/*/bin/postgres"], { stdio: "ignore" }).status ===
    0;

/** Every system tool a test uses. */
export const TOOLS: readonly Tool[] = [
  { package: "zint", present: onPath("zint") },
  { package: "dmtx-utils", present: onPath("dmtxread") },
  { package: "zxing-cpp-tools", present: onPath("ZXingReader") },
  { package: "qpdf", present: onPath("qpdf") },
  { package: "poppler-utils", present: onPath("pdftoppm") },
  { package: "librsvg2-bin", present: onPath("rsvg-convert") },
  // The 1D endpoint's EPS is rasterised by Ghostscript.
  { package: "ghostscript", present: onPath("gs") },
  { package: "chromium", present: file("/usr/bin/chromium") },
  {
    package: "fonts-dejavu-core",
    present: file("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
  },
  { package: "nginx-light", present: () => onPath("nginx")() || existsSync("/usr/sbin/nginx") },
  { package: "redis-server", present: onPath("redis-server") },
  { package: "redis-tools", present: onPath("redis-cli") },
  { package: "postgresql", present: pgServer },
  { package: "postgresql-client", present: onPath("psql") },
  { package: "bsdutils", present: onPath("script") },
  // The label-export ZIPs are checked with unzip -t, zipinfo and Python's zipfile.
  { package: "unzip", present: () => onPath("unzip")() && onPath("zipinfo")() },
  { package: "python3", present: onPath("python3") },
  // The cost guard (test/cost/) counts instructions with callgrind.
  { package: "valgrind", present: onPath("valgrind") },
];

function log(line: string): void {
  process.stderr.write(`[test setup] ${line}\n`);
}

/** Installs the packages of the missing tools, or throws with the command that would. */
function installMissingTools(): void {
  const missing = [...new Set(TOOLS.filter((t) => !t.present()).map((t) => t.package))];
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(" ")}`;
  const root = process.getuid?.() === 0;
  if (!root || !commandExists("apt-get")) {
    throw new Error(
      `The tests need Debian packages that are not installed: ${missing.join(", ")}.\n` +
        `Install them (as root) and run npm test again:\n  ${command}`,
    );
  }
  log(`installing ${missing.join(" ")} (apt-get, about a minute)`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update"], { stdio: ["ignore", "ignore", "inherit"], env });
  execFileSync("apt-get", ["install", "-y", "--no-install-recommends", ...missing], {
    stdio: ["ignore", "ignore", "inherit"],
    env,
  });
  const still = TOOLS.filter((t) => !t.present()).map((t) => t.package);
  if (still.length > 0)
    throw new Error(`apt-get installed, yet still missing: ${still.join(", ")}`);
}

/** Resolves to true when something accepts TCP connections on 127.0.0.1:`port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.setTimeout(1000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(false));
  });
}

let redis: PrivateRedis | undefined;
let postgres: PrivatePostgres | undefined;

/**
 * Vitest global setup: tools first, then the services, whose URLs reach every test process as
 * TEST_REDIS_URL and TEST_DATABASE_URL (never REDIS_URL / DATABASE_URL, which would switch the
 * servers the tests start onto them). Returns the teardown that stops what it started.
 */
export default async function setup(): Promise<() => Promise<void>> {
  installMissingTools();

  if (process.env.TEST_REDIS_URL === undefined) {
    if (await listening(6379)) process.env.TEST_REDIS_URL = "redis://127.0.0.1:6379";
    else {
      redis = await startPrivateRedis();
      process.env.TEST_REDIS_URL = redis.url;
      log(`no Redis on 127.0.0.1:6379: started one on port ${redis.port} for this run`);
    }
  }

  if (process.env.TEST_DATABASE_URL === undefined) {
    const machine = "postgres://postgres@127.0.0.1:5432/postgres";
    const usable = (await listening(5432)) && (await reachable(machine));
    if (usable) process.env.TEST_DATABASE_URL = machine;
    else {
      postgres = await startPrivatePostgres();
      process.env.TEST_DATABASE_URL = postgres.url;
      log(`no PostgreSQL with trust auth on 127.0.0.1:5432: started one on port ${postgres.port}`);
    }
  }

  return async () => {
    await Promise.all([redis?.stop(), postgres?.close()]);
  };
}

async function reachable(url: string): Promise<boolean> {
  try {
    await withClient(url, (client) => client.query("SELECT 1"));
    return true;
  } catch {
    return false;
  }
}
