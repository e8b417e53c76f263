// `npm run keys -- create|list|revoke`: API key administration on the same DATA_DIR as the
// server. A running server picks up changes within KEY_REFRESH_MS (see KeyStore.refresh).
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../config.js";
import { KEY_PREFIXES, type KeyPrefix } from "./keys/format.js";
import { type KeyRecord, KeyStore } from "./keys/store.js";

const USAGE = `Usage:
  npm run keys -- create --name NAME [--per-minute N] [--per-day N] [--expires ISO-8601]
                         [--prefix csb|csu|cpk]
  npm run keys -- list
  npm run keys -- revoke ID
Limits of 0 (the default) mean the default tier. State lives in DATA_DIR (default ./data).`;

/** A usage mistake: printed with the usage text, exit status 2. */
class UsageError extends Error {}

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

function formatList(keys: KeyRecord[]): string {
  const header = [
    "ID",
    "PREFIX",
    "NAME",
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
    k.prefix,
    k.name,
    status(k, now),
    k.perMinute === 0 ? "default" : String(k.perMinute),
    k.perDay === 0 ? "default" : String(k.perDay),
    k.createdAt,
    k.expiresAt ?? "-",
    k.lastUsed ?? "-",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows]
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

function run(argv: string[]): number {
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
      },
      strict: true,
    });
    if (!values.name) throw new UsageError("create needs --name NAME.");
    const store = KeyStore.open(config.dataDir, { refreshMs: 0, flushMs: 0 });
    try {
      const { id, key } = store.create({
        name: values.name,
        perMinute: count(values["per-minute"], "--per-minute"),
        perDay: count(values["per-day"], "--per-day"),
        expiresAt: values.expires ?? null,
        prefix: prefixOf(values.prefix),
      });
      process.stdout.write(
        `Created key ${id} "${values.name.trim()}" in ${config.dataDir}.\n` +
          "This is the only time the key is shown; store it now:\n" +
          `${key}\n`,
      );
    } finally {
      store.close();
    }
    return 0;
  }
  if (command === "list") {
    if (rest.length > 0) throw new UsageError("list takes no arguments.");
    const store = KeyStore.open(config.dataDir, { refreshMs: 0, flushMs: 0 });
    try {
      const keys = store.list();
      process.stdout.write(keys.length === 0 ? "No keys.\n" : `${formatList(keys)}\n`);
    } finally {
      store.close();
    }
    return 0;
  }
  if (command === "revoke") {
    if (rest.length !== 1 || !/^\d+$/.test(rest[0]))
      throw new UsageError("revoke needs one key ID.");
    const store = KeyStore.open(config.dataDir, { refreshMs: 0, flushMs: 0 });
    try {
      if (!store.revoke(Number(rest[0]))) {
        process.stderr.write(`No active key with ID ${rest[0]}.\n`);
        return 1;
      }
      process.stdout.write(`Revoked key ${rest[0]}.\n`);
    } finally {
      store.close();
    }
    return 0;
  }
  throw new UsageError(
    command === undefined ? "No command given." : `Unknown command "${command}".`,
  );
}

/**
 * Runs the CLI on `argv` and returns the exit status: 0 done, 1 nothing to revoke, 2 usage or
 * configuration error (message on stderr, naming the bad flag or variable).
 */
export function main(argv: string[]): number {
  try {
    return run(argv);
  } catch (err) {
    // parseArgs reports unknown flags with a TypeError carrying an ERR_PARSE_ARGS_* code.
    const parseError = (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") === true;
    if (err instanceof UsageError || parseError) {
      process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof ConfigError || err instanceof RangeError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

process.exitCode = main(process.argv.slice(2));
