// src/operator/users-cli.ts as `npm run users` runs it (its own process, from source like the keys
// CLI's test): create with the password on stdin, list, disable and enable, on SQLite and on
// PostgreSQL; usage and store errors; and the password never echoed on stdout or stderr.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Accounts } from "../../src/accounts/accounts.js";
import { type CliResult, usersCli as runUsersCli } from "../helpers/processes.js";
import { commandExists, createTestDatabase, type TestDatabase } from "../helpers/services.js";

const PASSWORD = "Tr0ub4dor&3 is not enough";
const USAGE = `Usage:
  npm run users -- create --email EMAIL --password-stdin
  npm run users -- list
  npm run users -- disable EMAIL
  npm run users -- enable EMAIL
create reads the password (12 to 1024 characters) from standard input, e.g.
  printf '%s' "$PASSWORD" | npm run users -- create --email EMAIL --password-stdin
Disabling a user signs them out everywhere. Users live in DATABASE_URL when set, else in
DATA_DIR (default ./data).
`;
const CLI = ["--import", "tsx", "src/operator/users-cli.ts"];

/** Every output of every run, to check that no password was ever printed. */
const outputs: string[] = [];

/** Runs the users CLI (processes.ts) and keeps its output for the "never printed" checks. */
async function usersCli(
  env: Record<string, string>,
  args: string[],
  stdin = "",
): Promise<CliResult> {
  const result = await runUsersCli(env, args, stdin);
  outputs.push(result.stdout, result.stderr);
  return result;
}

let dataDir: string;
let env: Record<string, string>;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), "dm-users-cli-"));
  env = { DATA_DIR: dataDir };
  outputs.length = 0;
});
afterEach(() => {
  for (const output of outputs) expect(output).not.toContain(PASSWORD.slice(0, 12));
  rmSync(dataDir, { recursive: true, force: true });
});

describe("npm run users", () => {
  it("creates a user from stdin (trailing newline stripped), lists, disables and enables it", async () => {
    const created = await usersCli(
      env,
      ["create", "--email", " Alice@Example.com", "--password-stdin"],
      `${PASSWORD}\n`,
    );
    expect(created).toEqual({
      code: 0,
      stdout: `Created user 1 alice@example.com in ${dataDir}.\n`,
      stderr: "",
    });
    await usersCli(env, ["create", "--email", "bob@example.com", "--password-stdin"], PASSWORD);

    // The password is the piped line without its line break.
    const accounts = await Accounts.open({ dataDir, databaseUrl: null });
    try {
      expect(await accounts.signIn("alice@example.com", PASSWORD)).not.toBeNull();
      expect(await accounts.signIn("alice@example.com", `${PASSWORD}\n`)).toBeNull();
    } finally {
      await accounts.close();
    }

    const rows = async () =>
      (await usersCli(env, ["list"])).stdout
        .trimEnd()
        .split("\n")
        .map((l) => l.split(/\s{2,}/));
    const listed = await rows();
    expect(listed.map((r) => r.slice(0, 3))).toEqual([
      ["ID", "EMAIL", "STATUS"],
      ["1", "alice@example.com", "active"],
      ["2", "bob@example.com", "active"],
    ]);
    expect(listed[0][3]).toBe("CREATED");
    expect(Date.parse(listed[1][3])).toBeGreaterThan(Date.now() - 60_000);

    expect(await usersCli(env, ["disable", "ALICE@example.com"])).toEqual({
      code: 0,
      stdout: "Disabled user alice@example.com and ended their sessions.\n",
      stderr: "",
    });
    expect((await rows())[1].slice(0, 3)).toEqual(["1", "alice@example.com", "disabled"]);
    expect(await usersCli(env, ["enable", "alice@example.com"])).toEqual({
      code: 0,
      stdout: "Enabled user alice@example.com.\n",
      stderr: "",
    });
    expect((await rows())[1].slice(0, 3)).toEqual(["1", "alice@example.com", "active"]);
  });

  it("says so when there are no users", async () => {
    expect(await usersCli(env, ["list"])).toEqual({ code: 0, stdout: "No users.\n", stderr: "" });
  });

  it.each(["disable", "enable"])("exits 1 when asked to %s an unknown user", async (command) => {
    expect(await usersCli(env, [command, "nobody@example.com"])).toEqual({
      code: 1,
      stdout: "",
      stderr: 'No user has the email "nobody@example.com".\n',
    });
  });

  it.each([
    ["a password too short", "short pw", "A password needs at least 12 characters."],
    ["an empty stdin", "", "A password needs at least 12 characters."],
    ["a password too long", "x".repeat(1025), "A password may have at most 1024 characters."],
    ["more than 16 KiB on stdin", "x".repeat(20_000), "The password on stdin is too long."],
  ])("exits 2 on %s, without echoing it", async (_why, password, message) => {
    expect(
      await usersCli(env, ["create", "--email", "a@example.com", "--password-stdin"], password),
    ).toEqual({ code: 2, stdout: "", stderr: `${message}\n` });
  });

  it("exits 2 naming a bad or taken email", async () => {
    expect(
      await usersCli(env, ["create", "--email", "not-an-email", "--password-stdin"], PASSWORD),
    ).toEqual({ code: 2, stdout: "", stderr: '"not-an-email" is not a valid email address.\n' });
    await usersCli(env, ["create", "--email", "a@example.com", "--password-stdin"], PASSWORD);
    expect(
      await usersCli(env, ["create", "--email", "A@example.com", "--password-stdin"], PASSWORD),
    ).toEqual({
      code: 2,
      stdout: "",
      stderr: 'A user with the email "a@example.com" already exists.\n',
    });
  });

  it.each([
    [["create", "--password-stdin"], "create needs --email EMAIL."],
    [
      ["create", "--email", "a@example.com"],
      "create needs --password-stdin (the password is read from stdin).",
    ],
    [
      ["create", "--email", "a@example.com", "--password-stdin", PASSWORD],
      "create takes no arguments besides --email and --password-stdin.",
    ],
    [
      ["create", "--email", "a@example.com", "--password", PASSWORD],
      "Unknown option '--password'. To specify a positional argument starting with a '-', " +
        `place it at the end of the command after '--', as in '-- "--password"`,
    ],
    [["list", "extra"], "list takes no arguments."],
    [["disable"], "disable needs one email address."],
    [["enable", "a@example.com", "b@example.com"], "enable needs one email address."],
    [["delete", "a@example.com"], 'Unknown command "delete".'],
    [[], "No command given."],
  ])("exits 2 with the usage for %j", async (args, message) => {
    expect(await usersCli(env, args)).toEqual({
      code: 2,
      stdout: "",
      stderr: `${message}\n${USAGE}`,
    });
  });

  it.skipIf(!commandExists("script"))("refuses to read the password from a terminal", async () => {
    // script(1) runs the CLI with a pseudo-terminal as its standard input.
    const command = [
      process.execPath,
      ...CLI,
      "create",
      "--email",
      "a@example.com",
      "--password-stdin",
    ];
    const result = await new Promise<CliResult>((resolve) => {
      const child = spawn("script", ["-qec", command.join(" "), "/dev/null"], {
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      child.stdout.on("data", (d) => {
        out += d;
      });
      child.stderr.on("data", (d) => {
        out += d;
      });
      child.once("close", (code) => resolve({ code: code ?? -1, stdout: out, stderr: "" }));
    });
    expect(result.code).toBe(2);
    expect(result.stdout.replaceAll("\r\n", "\n")).toBe(
      `--password-stdin reads the password from a pipe or file, not from a terminal.\n${USAGE}`,
    );
  });

  it.each([
    [
      "a DATA_DIR under a file",
      () => {
        writeFileSync(join(dataDir, "afile"), "");
        return join(dataDir, "afile", "sub");
      },
      (dir: string) =>
        `Cannot open the account database ${join(dir, "keys.sqlite")}: ENOTDIR: not a directory, ` +
        `mkdir '${dir}'`,
    ],
    [
      "a file that is not a database",
      () => {
        writeFileSync(join(dataDir, "keys.sqlite"), "not a database, just text long enough");
        return dataDir;
      },
      (dir: string) =>
        `Cannot open the account database ${join(dir, "keys.sqlite")}: SQLITE_NOTADB: file is not a database`,
    ],
  ])("exits 1 with one line naming the path and the cause for %s", async (_why, make, message) => {
    const dir = make();
    expect(await usersCli({ DATA_DIR: dir }, ["list"])).toEqual({
      code: 1,
      stdout: "",
      stderr: `${message(dir)}\n`,
    });
  });

  it("exits 1 naming the PostgreSQL database, never its password, when it is down", async () => {
    expect(
      await usersCli({ DATABASE_URL: "postgres://dm:s3cret@127.0.0.1:1/accounts" }, ["list"]),
    ).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "Cannot open the account database postgresql://127.0.0.1:1/accounts: connect ECONNREFUSED 127.0.0.1:1\n",
    });
  });
});

describe("npm run users on PostgreSQL", () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(() => db.drop());

  it("creates and lists users in DATABASE_URL", async () => {
    const pgEnv = { DATABASE_URL: db.url };
    expect(
      await usersCli(pgEnv, ["create", "--email", "a@example.com", "--password-stdin"], PASSWORD),
    ).toEqual({
      code: 0,
      stdout: `Created user 1 a@example.com in postgresql://127.0.0.1:5432/${db.name}.\n`,
      stderr: "",
    });
    expect((await usersCli(pgEnv, ["list"])).stdout).toMatch(/\n1 +a@example\.com +active +\d{4}-/);
    expect(await usersCli(pgEnv, ["disable", "a@example.com"])).toMatchObject({ code: 0 });
    expect((await usersCli(pgEnv, ["list"])).stdout).toMatch(/\n1 +a@example\.com +disabled /);
  });
});
