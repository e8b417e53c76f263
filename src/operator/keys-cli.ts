// `npm run keys -- create|list|revoke|backup|restore`: API key administration on the servers'
// key database (DATABASE_URL, else DATA_DIR). Running servers honour a change within
// KEY_REFRESH_MS, at once on PostgreSQL (see KeyStore.refresh); a new key works at once
// everywhere (KeyStore.lookup). Keys may belong to a user account (--owner EMAIL, see
// users-cli.ts). backup and restore copy the SQLite file with SQLite's online backup.

import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Accounts } from "../accounts/accounts.js";
import { type Config, callerDirectory, loadConfig } from "../config.js";
import { describeError } from "../describe-error.js";
import { KEY_PREFIXES, type KeyPrefix, keyLabel } from "../keys/format.js";
import { openKeyStore } from "../keys/open.js";
import type { KeyRecord, KeyStore } from "../keys/store.js";
import { backupSqliteFile, KEY_DB_FILE, restoreSqliteFile } from "../stores/sqlite.js";
import {
  runCli,
  StoreError,
  storeLocation,
  UsageError,
  unknownCommand,
  withAccountStore,
  withStore,
} from "./cli-store.js";
import { formatTable } from "./table.js";

const USAGE = `Usage:
  npm run keys -- create --name NAME [--per-minute N] [--per-day N] [--expires ISO-8601]
                         [--prefix csb|csu|cpk] [--owner EMAIL]
  npm run keys -- list
  npm run keys -- revoke ID
  npm run keys -- backup FILE     (SQLite: a consistent copy, servers may keep running)
  npm run keys -- restore FILE    (SQLite: replaces keys, users and sessions with FILE's)
Limits of 0 (the default) mean the default tier. Keys live in DATABASE_URL when set, else in
DATA_DIR (default ./data); with PostgreSQL use pg_dump and pg_restore.`;

/** A bad value that is not a usage mistake (unknown owner): one line, exit status 2. */
class InputError extends Error {}

function withKeys<T>(config: Config, work: (store: KeyStore) => Promise<T>): Promise<T> {
  return withStore(
    "key",
    () => openKeyStore(config, { refreshMs: 0, flushMs: 0 }),
    work,
    (err) => err instanceof RangeError,
  );
}

function withAccounts<T>(config: Config, work: (accounts: Accounts) => Promise<T>): Promise<T> {
  return withAccountStore(config, work, (e) => e instanceof InputError);
}

function count(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new UsageError(`${flag} must be a whole number, got "${raw}".`);
  return Number(raw);
}

function prefixOf(raw: string | undefined): KeyPrefix | undefined {
  if (raw === undefined) return undefined;
  const prefix = KEY_PREFIXES.find((p) => p === raw);
  if (!prefix) throw new UsageError(`--prefix must be one of ${KEY_PREFIXES.join(", ")}.`);
  return prefix;
}

function status(key: KeyRecord, now: number): string {
  if (!key.active) return "revoked";
  if (key.expiresAt !== null && Date.parse(key.expiresAt) <= now) return "expired";
  return "active";
}

function formatList(keys: KeyRecord[], emails: ReadonlyMap<number, string>): string {
  const header = [
    "ID",
    "KEY",
    "NAME",
    "OWNER",
    "STATUS",
    "PER_MIN",
    "PER_DAY",
    "CREATED",
    "EXPIRES",
    "LAST_USED",
  ];
  const now = Date.now();
  const rows = keys.map((k) => [
    String(k.id),
    keyLabel(k),
    k.name,
    k.ownerId === null ? "-" : (emails.get(k.ownerId) ?? `user ${k.ownerId}`),
    status(k, now),
    k.perMinute === 0 ? "default" : String(k.perMinute),
    k.perDay === 0 ? "default" : String(k.perDay),
    k.createdAt,
    k.expiresAt ?? "-",
    k.lastUsed ?? "-",
  ]);
  return formatTable(header, rows);
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  if (command === "create") {
    const { values } = parseArgs({
      args: rest,
      options: {
        name: { type: "string" },
        "per-minute": { type: "string" },
        "per-day": { type: "string" },
        expires: { type: "string" },
        prefix: { type: "string" },
        owner: { type: "string" },
      },
      strict: true,
    });
    const name = values.name;
    if (!name) throw new UsageError("create needs --name NAME.");
    if (values.owner !== undefined && values.owner.trim() === "") {
      throw new UsageError("--owner needs an email address.");
    }
    const spec = {
      name,
      perMinute: count(values["per-minute"], "--per-minute"),
      perDay: count(values["per-day"], "--per-day"),
      expiresAt: values.expires ?? null,
      prefix: prefixOf(values.prefix),
    };
    const owner = values.owner;
    const user =
      owner === undefined
        ? undefined
        : await withAccounts(config, async (accounts) => {
            const found = await accounts.userByEmail(owner);
            if (found === undefined) {
              throw new InputError(`No user has the email ${JSON.stringify(owner.trim())}.`);
            }
            return found;
          });
    return withKeys(config, async (store) => {
      const { id, key } = await store.create({ ...spec, ownerId: user?.id ?? null });
      const by = user === undefined ? "" : ` for ${user.email}`;
      process.stdout.write(
        `Created key ${id} "${name.trim()}"${by} in ${storeLocation(config, store)}.\n` +
          "This is the only time the key is shown; store it now:\n" +
          `${key}\n`,
      );
      return 0;
    });
  }
  if (command === "list") {
    if (rest.length > 0) throw new UsageError("list takes no arguments.");
    const keys = await withKeys(config, (store) => store.list());
    if (keys.length === 0) {
      process.stdout.write("No keys.\n");
      return 0;
    }
    const emails = new Map<number, string>();
    if (keys.some((k) => k.ownerId !== null)) {
      for (const user of await withAccounts(config, (accounts) => accounts.listUsers())) {
        emails.set(user.id, user.email);
      }
    }
    process.stdout.write(`${formatList(keys, emails)}\n`);
    return 0;
  }
  if (command === "revoke") {
    if (rest.length !== 1 || !/^\d+$/.test(rest[0]))
      throw new UsageError("revoke needs one key ID.");
    return withKeys(config, async (store) => {
      if (!(await store.revoke(Number(rest[0])))) {
        process.stderr.write(`No active key with ID ${rest[0]}.\n`);
        return 1;
      }
      process.stdout.write(`Revoked key ${rest[0]}.\n`);
      return 0;
    });
  }
  if (command === "backup" || command === "restore") {
    if (rest.length !== 1 || rest[0] === "") throw new UsageError(`${command} needs one FILE.`);
    if (config.databaseUrl !== null) {
      throw new InputError(
        `${command} copies the SQLite file under DATA_DIR; the keys are in PostgreSQL ` +
          "(DATABASE_URL): use pg_dump and pg_restore.",
      );
    }
    const file = resolve(callerDirectory(), rest[0]);
    const live = join(config.dataDir, KEY_DB_FILE);
    try {
      if (command === "backup") await backupSqliteFile(config.dataDir, file);
      else await restoreSqliteFile(config.dataDir, file);
    } catch (err) {
      throw new StoreError(describeError(err));
    }
    process.stdout.write(
      command === "backup"
        ? `Backed up ${live} to ${file}.\n`
        : `Restored ${live} from ${file}; running servers follow within KEY_REFRESH_MS.\n`,
    );
    return 0;
  }
  throw unknownCommand(command);
}

/**
 * Runs the CLI on `argv` and resolves to the exit status: 0 done; 1 nothing to revoke, or the
 * key database, a backup or a restore failed (one line naming the files and the cause); 2 usage
 * or configuration error, a bad expiry, an --owner no user has, or backup/restore with
 * PostgreSQL (message on stderr, naming the bad flag, variable or email).
 */
export function main(argv: string[]): Promise<number> {
  return runCli(
    () => run(argv),
    USAGE,
    (err) => err instanceof RangeError || err instanceof InputError,
  );
}

process.exitCode = await main(process.argv.slice(2));
