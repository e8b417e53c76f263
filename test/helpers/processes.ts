// Child processes for the tests that need real ones: the server (npm start's entry), the keys
// CLI and the users CLI, all run from source through tsx with their own DATA_DIR.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { promisify } from "node:util";

const TSX = ["--import", "tsx"];
const run = promisify(execFile);

/** The result of one CLI run. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `npm run keys -- ...args` (src/operator/keys-cli.ts) against the key database of `where`: a
 * DATA_DIR path, or the environment to run with (DATA_DIR, DATABASE_URL...).
 */
export async function keysCli(
  where: string | Record<string, string>,
  ...args: string[]
): Promise<CliResult> {
  const env = typeof where === "string" ? { DATA_DIR: where } : where;
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [...TSX, "src/operator/keys-cli.ts", ...args],
      { env: { ...process.env, ...env } },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/**
 * Runs `npm run users -- ...args` (src/operator/users-cli.ts) with `env` (DATA_DIR, DATABASE_URL...),
 * writing `stdin` to its standard input (the password of `create --password-stdin`).
 */
export function usersCli(
  env: Record<string, string>,
  args: string[],
  stdin = "",
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...TSX, "src/operator/users-cli.ts", ...args], {
      env: { ...process.env, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.on("error", () => {});
    child.stdin.end(stdin);
  });
}

/** Creates a key with the CLI and returns its id and the key (the last line of stdout). */
export async function createKeyWithCli(
  where: string | Record<string, string>,
  ...flags: string[]
): Promise<{ id: number; key: string }> {
  const result = await keysCli(where, "create", "--name", "test", ...flags);
  if (result.code !== 0) throw new Error(`keys create failed: ${result.stderr}`);
  const lines = result.stdout.trimEnd().split("\n");
  const id = Number(/^Created key (\d+)/.exec(lines[0])?.[1]);
  return { id, key: lines[lines.length - 1] };
}

/** A server process started by startServerProcess. */
export interface ServerProcess {
  proc: ChildProcess;
  url: string;
  /** Everything written to stderr so far (the first-key banner goes there). */
  stderr(): string;
  /** Parsed JSON log lines written to stdout so far. */
  logs(): Record<string, unknown>[];
  /** Resolves when a log line satisfies `match`. */
  waitForLog(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

/**
 * Starts src/server/server.ts (or `command`, e.g. `npm start` on the build) with PORT=0 on
 * 127.0.0.1 and `env`, and resolves once it logs "listening" (rejects if it exits first).
 */
export function startServerProcess(
  env: Record<string, string>,
  command: readonly string[] = [process.execPath, ...TSX, "src/server/server.ts"],
): Promise<ServerProcess> {
  const proc = spawn(command[0], command.slice(1), {
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  const waiters: (() => void)[] = [];
  const notify = () => {
    for (const w of waiters.splice(0)) w();
  };
  proc.stdout?.on("data", (c) => {
    out += c;
    notify();
  });
  proc.stderr?.on("data", (c) => {
    err += c;
    notify();
  });
  const exited = new Promise<number | null>((resolve) =>
    proc.on("exit", (code) => {
      notify();
      resolve(code);
    }),
  );
  // Parsed once each, and only complete lines: a pipe read can end mid-line under load.
  const parsed: Record<string, unknown>[] = [];
  let consumed = 0;
  const logs = () => {
    const end = out.lastIndexOf("\n") + 1;
    for (const line of out.slice(consumed, end).split("\n")) {
      if (line.startsWith("{")) parsed.push(JSON.parse(line) as Record<string, unknown>);
    }
    consumed = Math.max(consumed, end);
    return parsed;
  };
  const waitForLog = (match: (line: Record<string, unknown>) => boolean) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const hit = logs().find(match);
        if (hit) return resolve(hit);
        if (proc.exitCode !== null)
          return reject(new Error(`server exited ${proc.exitCode}: ${err}`));
        waiters.push(check);
      };
      check();
    });
  return waitForLog((l) => l.msg === "listening").then((line) => ({
    proc,
    url: line.url as string,
    stderr: () => err,
    logs,
    waitForLog,
    exited,
  }));
}

/**
 * Runs `npm run labels -- ...args` (src/labels/cli.ts), its stdout and stderr collected (the
 * progress bar goes to stderr). It runs in the checkout (where tsx resolves): give it absolute
 * paths, or use labelsCliFrom.
 */
export function labelsCli(...args: string[]): Promise<CliResult> {
  return labelsCliFrom(undefined, ...args);
}

/** labelsCli as `npm run` called from `caller` (INIT_CWD), against which relative paths resolve. */
export async function labelsCliFrom(
  caller: string | undefined,
  ...args: string[]
): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...TSX, "src/labels/cli.ts", ...args], {
      env: { ...process.env, INIT_CWD: caller ?? "" },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
