// Chooses the label database from the configuration, as the keys do: PostgreSQL when
// DATABASE_URL is set (shared by every instance), otherwise SQLite under DATA_DIR (one machine).
import type { Clock } from "../../clock.js";
import type { LabelUsage, SerialRegistry, Settings } from "./backend.js";
import { openPostgresLabelStores } from "./postgres.js";
import { openSqliteLabelStores } from "./sqlite.js";
import { JobStore } from "./store.js";

/** Everything label export keeps in the database. */
export interface LabelStores {
  jobs: JobStore;
  usage: LabelUsage;
  serials: SerialRegistry;
  settings: Settings;
  /** Where they live (a path, or host:port/db without the password), for log lines. */
  location: string;
  /** Closes the connection(s); idempotent. */
  close(): Promise<void>;
}

/**
 * Opens the label tables in the configured database (creating or migrating the schema):
 * PostgreSQL at `databaseUrl`, else SQLite in `dataDir/keys.sqlite`. Rejects with "Cannot open
 * the label database <where>: <cause>" when it cannot be opened.
 */
export async function openLabelStores(
  config: { databaseUrl: string | null; dataDir: string },
  clock?: Clock,
): Promise<LabelStores> {
  const stores =
    config.databaseUrl === null
      ? openSqliteLabelStores(config.dataDir)
      : await openPostgresLabelStores(config.databaseUrl);
  return {
    jobs: new JobStore(stores.jobs, clock),
    usage: stores.usage,
    serials: stores.serials,
    settings: stores.settings,
    location: stores.jobs.location,
    close: stores.close,
  };
}
