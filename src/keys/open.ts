// Chooses the key database from the configuration: PostgreSQL when DATABASE_URL is set (shared
// by every instance), otherwise SQLite under DATA_DIR (one machine).
import type { Config } from "../config.js";
import type { KeyBackend } from "./backend.js";
import { openPostgresBackend } from "./postgres.js";
import { openSqliteBackend } from "./sqlite.js";
import { KeyStore, type StoreOptions } from "./store.js";

/**
 * Opens the configured key database (creating or migrating its schema) and the KeyStore over
 * it. Rejects with a message naming the database when it cannot be opened or read.
 */
export async function openKeyStore(
  config: Pick<Config, "dataDir" | "databaseUrl">,
  options: StoreOptions = {},
): Promise<KeyStore> {
  const onReopen = (path: string) =>
    options.logger?.warn({ store: path }, "key database file replaced: reopened it");
  const backend: KeyBackend =
    config.databaseUrl === null
      ? openSqliteBackend(config.dataDir, { onReopen })
      : await openPostgresBackend(config.databaseUrl);
  try {
    return await KeyStore.open(backend, options);
  } catch (err) {
    await backend.close();
    throw err;
  }
}
