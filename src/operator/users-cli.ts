// `npm run users -- create|list|disable|enable`: user accounts (dashboard sign-in, key owners)
// in the servers' database (DATABASE_URL, else DATA_DIR). Passwords come only on stdin, so they
// never reach the shell history or the process list, and are never printed.

import { parseArgs } from "node:util";
import { AccountError, type Accounts, type UserRecord } from "../accounts/accounts.js";
import { type Config, loadConfig } from "../config.js";
import {
  runCli,
  storeLocation,
  UsageError,
  unknownCommand,
  withAccountStore,
} from "./cli-store.js";
import { formatTable } from "./table.js";

const USAGE = `Usage:
  npm run users -- create --email EMAIL --password-stdin
  npm run users -- list
  npm run users -- disable EMAIL
  npm run users -- enable EMAIL
create reads the password (12 to 1024 characters) from standard input, e.g.
  printf '%s' "$PASSWORD" | npm run users -- create --email EMAIL --password-stdin
Disabling a user signs them out everywhere. Users live in DATABASE_URL when set, else in
DATA_DIR (default ./data).`;

// Enough for any valid password in any encoding; more is refused without reading on.
const MAX_STDIN_BYTES = 16 * 1024;

function withAccounts<T>(config: Config, work: (accounts: Accounts) => Promise<T>): Promise<T> {
  return withAccountStore(config, work, (e) => e instanceof AccountError);
}

// Reads standard input to its end and strips one trailing line break (echo, a here-string).
async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new UsageError(
      "--password-stdin reads the password from a pipe or file, not from a terminal.",
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_STDIN_BYTES) throw new AccountError("The password on stdin is too long.");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

function formatList(users: UserRecord[]): string {
  const header = ["ID", "EMAIL", "STATUS", "CREATED"];
  const rows = users.map((u) => [
    String(u.id),
    u.email,
    u.disabled ? "disabled" : "active",
    u.createdAt,
  ]);
  return formatTable(header, rows);
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  if (command === "create") {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { email: { type: "string" }, "password-stdin": { type: "boolean" } },
      // Checked below, so that a password typed as an argument is not echoed in the error.
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > 0) {
      throw new UsageError("create takes no arguments besides --email and --password-stdin.");
    }
    const email = values.email;
    if (!email) throw new UsageError("create needs --email EMAIL.");
    if (!values["password-stdin"]) {
      throw new UsageError("create needs --password-stdin (the password is read from stdin).");
    }
    const password = await readPassword();
    return withAccounts(config, async (accounts) => {
      const user = await accounts.createUser(email, password);
      process.stdout.write(
        `Created user ${user.id} ${user.email} in ${storeLocation(config, accounts)}.\n`,
      );
      return 0;
    });
  }
  if (command === "list") {
    if (rest.length > 0) throw new UsageError("list takes no arguments.");
    return withAccounts(config, async (accounts) => {
      const users = await accounts.listUsers();
      process.stdout.write(users.length === 0 ? "No users.\n" : `${formatList(users)}\n`);
      return 0;
    });
  }
  if (command === "disable" || command === "enable") {
    if (rest.length !== 1 || rest[0].startsWith("-")) {
      throw new UsageError(`${command} needs one email address.`);
    }
    const email = rest[0];
    return withAccounts(config, async (accounts) => {
      if (!(await accounts.setDisabled(email, command === "disable"))) {
        process.stderr.write(`No user has the email ${JSON.stringify(email.trim())}.\n`);
        return 1;
      }
      const who = email.trim().toLowerCase();
      process.stdout.write(
        command === "disable"
          ? `Disabled user ${who} and ended their sessions.\n`
          : `Enabled user ${who}.\n`,
      );
      return 0;
    });
  }
  throw unknownCommand(command);
}

/**
 * Runs the CLI on `argv` and resolves to the exit status: 0 done; 1 no such user, or the
 * database failed (one line naming it and the cause); 2 usage or configuration error, or a bad
 * email or password (message on stderr, never the password).
 */
export function main(argv: string[]): Promise<number> {
  return runCli(
    () => run(argv),
    USAGE,
    (err) => err instanceof AccountError,
  );
}

process.exitCode = await main(process.argv.slice(2));
