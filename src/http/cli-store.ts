// What the operator CLIs (keys-cli.ts, users-cli.ts) share: opening a store for one command,
// using it, closing it, and turning its failures into one line naming the database and cause.
import { describeError } from "./describe-error.js";

/** The database could not be opened or used: printed on one line, exit status 1. */
export class StoreError extends Error {}

/** A store a CLI command opens: where it lives (for messages), and how to close it. */
interface Closable {
  readonly location: string;
  close(): Promise<void>;
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
