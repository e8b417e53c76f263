// What the operator CLIs (keys-cli.ts, users-cli.ts) share: opening a store for one command,
// using it, closing it, and turning its failures into one line naming the database and cause;
// and one mapping from what a command threw to what is printed and the exit status.
import { Accounts } from "../accounts/accounts.js";
import { type Config, ConfigError } from "../config.js";
import { describeError } from "../describe-error.js";

/** The database could not be opened or used: printed on one line, exit status 1. */
export class StoreError extends Error {}

/** A usage mistake: printed with the usage text, exit status 2. */
export class UsageError extends Error {}

/** The UsageError for a `command` (first argument) the CLI does not have, or none at all. */
export function unknownCommand(command: string | undefined): UsageError {
  return new UsageError(
    command === undefined ? "No command given." : `Unknown command "${command}".`,
  );
}

/**
 * Runs `command` and resolves to the exit status it returns, or for what it threw: a UsageError
 * or an unknown flag (parseArgs' ERR_PARSE_ARGS_*) → the message and `usage` on stderr, 2; a
 * ConfigError or an error `isInputError` accepts (a bad value the user gave) → the message, 2; a
 * StoreError → the message, 1. Anything else is a bug and is rethrown, stack and all.
 */
export async function runCli(
  command: () => Promise<number>,
  usage: string,
  isInputError: (err: unknown) => boolean,
): Promise<number> {
  try {
    return await command();
  } catch (err) {
    const parseError = (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") === true;
    if (err instanceof UsageError || parseError) {
      process.stderr.write(`${(err as Error).message}\n${usage}\n`);
      return 2;
    }
    if (err instanceof ConfigError || isInputError(err)) {
      process.stderr.write(`${(err as Error).message}\n`);
      return 2;
    }
    if (err instanceof StoreError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

/** A store a CLI command opens: where it lives (for messages), and how to close it. */
interface Closable {
  readonly location: string;
  close(): Promise<void>;
}

/**
 * Returns where a command's store lives, for "Created ... in <where>": the DATA_DIR folder on
 * SQLite (the servers' setting, not one file), else the store's own location.
 */
export function storeLocation(config: Config, store: Closable): string {
  return config.databaseUrl === null ? config.dataDir : store.location;
}

/**
 * Opens a store with `open`, runs `work` on it and closes it whatever happens. A failure to
 * open becomes a StoreError with the opener's message (it names the database); a failure in
 * `work` becomes a StoreError "The `what` database <location> failed: <cause>", except errors
 * `passes` lets through unchanged (the user's mistakes, which have their own exit status).
 */
export async function withStore<S extends Closable, T>(
  what: string,
  open: () => Promise<S>,
  work: (store: S) => Promise<T>,
  passes: (err: unknown) => boolean,
): Promise<T> {
  let store: S;
  try {
    store = await open();
  } catch (err) {
    throw new StoreError(describeError(err));
  }
  try {
    return await work(store);
  } catch (err) {
    if (passes(err)) throw err;
    throw new StoreError(`The ${what} database ${store.location} failed: ${describeError(err)}`);
  } finally {
    await store.close().catch(() => {});
  }
}

/**
 * Opens the user accounts of `config` (the servers' database) for one command, as withStore
 * does: `work` runs on them, they are closed afterwards, and errors `passes` accepts go through.
 */
export function withAccountStore<T>(
  config: Config,
  work: (accounts: Accounts) => Promise<T>,
  passes: (err: unknown) => boolean,
): Promise<T> {
  return withStore("account", () => Accounts.open(config), work, passes);
}
