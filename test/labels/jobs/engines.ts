// The two databases label stores run on, opened fresh for each suite: SQLite in a temporary
// DATA_DIR and PostgreSQL in a database of its own on the shared server.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Clock } from "../../../src/clock.js";
import { type LabelStores, openLabelStores } from "../../../src/labels/jobs/open.js";
import type { JobSpec } from "../../../src/labels/types.js";
import { createTestDatabase } from "../../helpers/services.js";

export const ENGINES = ["sqlite", "postgres"] as const;
export type Engine = (typeof ENGINES)[number];

/** A database of `engine` with the label schema, and how to open more connections to it. */
export interface TestLabelDb {
  config: { databaseUrl: string | null; dataDir: string };
  /** Opens another connection (another "instance"); closed by drop(). */
  open(clock?: Clock): Promise<LabelStores>;
  drop(): Promise<void>;
}

/** Creates an empty label database on `engine`. */
export async function createLabelDb(engine: Engine): Promise<TestLabelDb> {
  const dataDir = mkdtempSync(join(tmpdir(), "dm-labels-"));
  const pg = engine === "postgres" ? await createTestDatabase() : null;
  const config = { databaseUrl: pg?.url ?? null, dataDir };
  const opened: LabelStores[] = [];
  return {
    config,
    open: async (clock) => {
      const stores = await openLabelStores(config, clock);
      opened.push(stores);
      return stores;
    },
    drop: async () => {
      for (const stores of opened) await stores.close();
      await pg?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A small valid job spec (a serial generator of `count`). */
export function sampleSpec(count = 10): JobSpec {
  return {
    exportType: "datamatrix",
    fileFormat: "svg",
    assetConfig: { xdim_mm: 0.38 },
    filenamePattern: "{index}-{gtin}-{serial|lot}.{ext}",
    onInvalid: "fail",
    source: {
      kind: "serials",
      spec: { base: { gtin: "09506000134352" }, gtin: "09506000134352", count, mode: "range" },
    },
  };
}

/** A clock a test moves by hand. */
export function manualClock(start = Date.UTC(2026, 0, 1)): Clock & { set(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    set: (ms) => {
      now = ms;
    },
  };
}
