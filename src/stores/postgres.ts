// The PostgreSQL database every instance shares: connection settings that fail fast, pools
// brought to the current schema (src/stores/migrations.ts) under an advisory lock, transactions.
import pg from "pg";
import { describeError } from "../describe-error.js";
import { POSTGRES_MIGRATIONS } from "./migrations.js";

// Serialises schema changes across instances starting at once: every migrator takes this
// transaction-scoped advisory lock first, so exactly one applies each step.
const MIGRATION_LOCK = 0x64_6d_6b_65_79; // "dmkey"
/** The advisory lock that makes "create a key only if there is none" exactly-once. */
export const FIRST_KEY_LOCK = MIGRATION_LOCK + 1;

/** Returns `host:port/database` of a postgres:// URL: loggable, no user or password. */
export function describeDatabase(url: string): string {
  const u = new URL(url);
  return `postgresql://${u.hostname}:${u.port || 5432}${u.pathname}`;
}

// Fail fast rather than hold requests: a key lookup waits at most this long for a connection,
// and no statement runs longer than this.
const CONNECT_TIMEOUT_MS = 2000;
const STATEMENT_TIMEOUT_MS = 5000;
/** Longest pause between attempts to reconnect a dropped LISTEN connection. */
export const MAX_RECONNECT_MS = 5000;

/** Returns the pg connection settings shared by every pool and the LISTEN connection. */
export function connectionSettings(url: string) {
  return {
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    query_timeout: STATEMENT_TIMEOUT_MS + 1000,
    application_name: "gs1-datamatrix",
  };
}

/**
 * Opens a pool of at most `max` connections to `url` and brings the schema up to date (see
 * POSTGRES_MIGRATIONS). Rejects with "Cannot open the `label` host:port/db: <cause>" (never the
 * password) when the database cannot be reached or migrated; the pool is closed then.
 */
export async function openMigratedPool(url: string, max: number, label: string): Promise<pg.Pool> {
  const pool = new pg.Pool({ ...connectionSettings(url), max, idleTimeoutMillis: 30_000 });
  // An idle connection that breaks emits here; without a listener the process would crash.
  // The pool drops it and the next query reconnects.
  pool.on("error", () => {});
  try {
    await migrate(pool);
  } catch (err) {
    await pool.end();
    throw new Error(`Cannot open the ${label} ${describeDatabase(url)}: ${describeError(err)}`, {
      cause: err,
    });
  }
  return pool;
}

/** Applies the MIGRATIONS not yet recorded, under the migration lock, in one transaction. */
async function migrate(pool: pg.Pool): Promise<void> {
  await transaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await client.query("CREATE TABLE IF NOT EXISTS dm_schema_version (version integer NOT NULL)");
    const { rows } = await client.query<{ version: number }>(
      "SELECT coalesce(max(version), 0) AS version FROM dm_schema_version",
    );
    for (let step = rows[0].version; step < POSTGRES_MIGRATIONS.length; step++) {
      await client.query(POSTGRES_MIGRATIONS[step]);
      await client.query("INSERT INTO dm_schema_version (version) VALUES ($1)", [step + 1]);
    }
  });
}

/** Runs `work` in a transaction on one pooled connection: committed if it resolves, else rolled back. */
export async function transaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
