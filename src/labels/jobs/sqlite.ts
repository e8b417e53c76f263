// Label export in the embedded database (src/stores/sqlite.ts: DATA_DIR/keys.sqlite, WAL), over a
// connection of its own: the jobs (which are also the embedded queue), the daily label quota,
// the issued serials and the service settings. Every change is one statement or one IMMEDIATE
// transaction, so the workers of a cluster and the CLI may share the file.

import { setImmediate as yieldToLoop } from "node:timers/promises";
import type Database from "better-sqlite3";
import { openSqliteFile } from "../../stores/sqlite.js";
import {
  checkLabelCount,
  firstRealOverlap,
  type JobBackend,
  type JobDbRow,
  type LabelUsage,
  type SerialBatchDbRow,
  type SerialRegistry,
  type Settings,
  toSerialBatch,
} from "./backend.js";
import { guardedUpdate, JOB_COLUMNS, SERIAL_CHUNK } from "./sql.js";

/** The label stores over one SQLite connection. */
export interface SqliteLabelStores {
  jobs: JobBackend;
  usage: LabelUsage;
  serials: SerialRegistry;
  settings: Settings;
  close(): Promise<void>;
}

/**
 * Opens the label tables of `dataDir/keys.sqlite` (creating the file and schema if needed).
 * Throws "Cannot open the label database <path>: <cause>" when it cannot. Synchronous
 * underneath, like the key backend; a file replaced under the process is reopened.
 */
export function openSqliteLabelStores(dataDir: string): SqliteLabelStores {
  const file = openSqliteFile(dataDir, "label database", prepare);
  const q = () => file.current().q;
  const location = file.path;

  const jobs: JobBackend = {
    location,
    insert: async (row) => q().insertJob.run(JOB_COLUMNS.map((c) => row[c])).changes === 1,
    byIdempotencyKey: async (owner, key) =>
      q().byIdempotencyKey.get(owner, key) as JobDbRow | undefined,
    releaseIdempotencyKey: async (owner, key, createdBefore) => {
      q().releaseIdempotencyKey.run(owner, key, createdBefore);
    },
    byId: async (id) => q().byId.get(id) as JobDbRow | undefined,
    list: async (owner, offset, limit) => {
      const c = q();
      const rows = c.list.all(owner, limit, offset) as (JobDbRow & { total: number })[];
      // The window count rides on the rows; a page past the end has none to carry it.
      const total = rows.length > 0 ? rows[0].total : (c.countOwner.get(owner) as number);
      return { rows: rows.map(({ total: _, ...row }) => row as JobDbRow), total };
    },
    countStatuses: async (owner, statuses) => {
      const marks = statuses.map(() => "?").join(", ");
      return q()
        .cached(`SELECT count(*) FROM label_jobs WHERE owner = ? AND status IN (${marks})`)
        .pluck()
        .get(owner, ...statuses) as number;
    },
    update: async (id, set, guard, setIfNull) => {
      const { sql, params } = guardedUpdate(id, set, guard, setIfNull, () => "?");
      return q().cached(sql).get(params) as JobDbRow | undefined;
    },
    claim: async (token, now, leaseUntil, maxAttempts) =>
      q().claim.get({ token, now, leaseUntil, maxAttempts }) as
        | { id: string; attempts: number }
        | undefined,
    exhausted: async (now, maxAttempts) => q().exhausted.all(now, maxAttempts) as JobDbRow[],
    expired: async (now, limit) => q().expired.all(now, limit) as JobDbRow[],
    active: async (limit) => q().active.all(limit) as string[],
    close: async () => file.close(),
  };

  const usage: LabelUsage = {
    charge: async (owner, day, labels, limit) => {
      checkLabelCount(labels);
      const c = q();
      const used = c.charge.get({ owner, day, labels, limit }) as number | undefined;
      if (used !== undefined) return { ok: true, used };
      return { ok: false, used: (c.used.get(owner, day) as number | undefined) ?? 0 };
    },
    refund: async (owner, day, labels) => {
      checkLabelCount(labels);
      q().refund.run(labels, owner, day);
    },
    used: async (owner, day) => (q().used.get(owner, day) as number | undefined) ?? 0,
  };

  const serials: SerialRegistry = {
    issuedCount: async (gtin) => q().issuedCount.get(gtin) as number,
    rangeOverlap: async (gtin, prefix, width, start, end) => {
      const rows = q().rangeCandidates.all(gtin, prefix ?? "", end, start) as SerialBatchDbRow[];
      return firstRealOverlap(rows.map(toSerialBatch), width, start, end);
    },
    insertSerials: async (gtin, jobId, list) => {
      const collisions: string[] = [];
      for (let from = 0; from < list.length; from += SERIAL_CHUNK) {
        // One transaction per chunk keeps each pause of the event loop (and each hold of the
        // write lock other processes wait on) to milliseconds.
        if (from > 0) await yieldToLoop();
        q().insertSerials(gtin, jobId, list.slice(from, from + SERIAL_CHUNK), collisions);
      }
      return collisions;
    },
    recordBatch: async (b) =>
      Number(
        q().recordBatch.run(
          b.gtin,
          b.lot,
          b.jobId,
          b.owner,
          b.mode,
          b.count,
          b.prefix,
          b.width,
          b.rangeStart,
          b.rangeEnd,
          b.firstSerial,
          b.lastSerial,
          b.createdAt,
        ).lastInsertRowid,
      ),
    releaseJob: async (jobId) => {
      let deleted = 0;
      for (;;) {
        const n = q().deleteSerialChunk.run(jobId, SERIAL_CHUNK).changes;
        deleted += n;
        if (n < SERIAL_CHUNK) break;
        await yieldToLoop();
      }
      q().deleteBatches.run(jobId);
      return deleted;
    },
    listBatches: async (gtin, page, pageSize) => {
      const c = q();
      const rows = c.listBatches.all(gtin, pageSize, (page - 1) * pageSize) as (SerialBatchDbRow & {
        total: number;
      })[];
      const total = rows.length > 0 ? rows[0].total : (c.countBatches.get(gtin) as number);
      return { rows: rows.map(toSerialBatch), total };
    },
  };

  const settings: Settings = {
    getOrCreate: async (name, make) => {
      const c = q();
      const existing = c.setting.get(name) as string | undefined;
      if (existing !== undefined) return existing;
      c.insertSetting.run(name, make());
      return c.setting.get(name) as string;
    },
  };

  return { jobs, usage, serials, settings, close: async () => file.close() };
}

/** The label statements of one open connection. */
function prepare(db: Database.Database) {
  const cache = new Map<string, Database.Statement>();
  const insertSerial = db.prepare(
    "INSERT INTO issued_serials (gtin, serial, job_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
  );
  return {
    // The guarded updates and status counts come in a few shapes; each is prepared once.
    cached: (sql: string) => {
      let statement = cache.get(sql);
      if (statement === undefined) {
        statement = db.prepare(sql);
        cache.set(sql, statement);
      }
      return statement;
    },
    // ON CONFLICT on the partial unique index: a taken idempotency key inserts nothing, so
    // concurrent creators need no error path.
    insertJob: db.prepare(
      `INSERT INTO label_jobs (${JOB_COLUMNS.join(", ")})
       VALUES (${JOB_COLUMNS.map(() => "?").join(", ")})
       ON CONFLICT (owner, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING`,
    ),
    byIdempotencyKey: db.prepare(
      "SELECT * FROM label_jobs WHERE owner = ? AND idempotency_key = ?",
    ),
    releaseIdempotencyKey: db.prepare(
      `UPDATE label_jobs SET idempotency_key = NULL
       WHERE owner = ? AND idempotency_key = ? AND created_at <= ?`,
    ),
    byId: db.prepare("SELECT * FROM label_jobs WHERE id = ?"),
    // label_jobs_owner (owner, created_at, id) read backwards: no sort.
    list: db.prepare(
      `SELECT *, count(*) OVER () AS total FROM label_jobs WHERE owner = ?
       ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
    ),
    countOwner: db.prepare("SELECT count(*) FROM label_jobs WHERE owner = ?").pluck(),
    // One statement: SQLite runs it under the write lock, so the choice and the take are one
    // step against every other connection.
    claim: db.prepare(
      `UPDATE label_jobs SET status = 'processing', lease_token = @token,
         lease_until = @leaseUntil, attempts = attempts + 1,
         started_at = coalesce(started_at, @now), updated_at = @now
       WHERE id = (
         SELECT id FROM label_jobs
         WHERE (status = 'pending' OR (status = 'processing' AND lease_until <= @now))
           AND attempts < @maxAttempts
         ORDER BY created_at, id LIMIT 1)
       RETURNING id, attempts`,
    ),
    exhausted: db.prepare(
      `SELECT * FROM label_jobs WHERE status = 'processing' AND lease_until <= ? AND attempts >= ?
       LIMIT 100`,
    ),
    expired: db.prepare(
      `SELECT * FROM label_jobs
       WHERE expires_at < ? AND ((status = 'completed' AND output_filename IS NOT NULL)
            OR status = 'failed')
       ORDER BY expires_at LIMIT ?`,
    ),
    active: db
      .prepare(
        `SELECT id FROM label_jobs WHERE status IN ('pending', 'processing')
         ORDER BY created_at LIMIT ?`,
      )
      .pluck(),
    // Inserts a fresh day's row or adds to it, only within the limit; no row back = refused.
    charge: db
      .prepare(
        `INSERT INTO label_usage (owner, day, labels)
         SELECT @owner, @day, @labels WHERE @labels <= @limit
         ON CONFLICT (owner, day) DO UPDATE SET labels = labels + excluded.labels
           WHERE labels + excluded.labels <= @limit
         RETURNING labels`,
      )
      .pluck(),
    refund: db.prepare(
      "UPDATE label_usage SET labels = max(labels - ?, 0) WHERE owner = ? AND day = ?",
    ),
    used: db.prepare("SELECT labels FROM label_usage WHERE owner = ? AND day = ?").pluck(),
    issuedCount: db.prepare("SELECT count(*) FROM issued_serials WHERE gtin = ?").pluck(),
    rangeCandidates: db.prepare(
      `SELECT * FROM serial_batches
       WHERE gtin = ? AND mode = 'range' AND coalesce(prefix, '') = ?
         AND range_start <= ? AND range_end >= ?
       ORDER BY id`,
    ),
    insertSerials: db.transaction(
      (gtin: string, jobId: string, chunk: readonly string[], collisions: string[]) => {
        for (const serial of chunk) {
          if (insertSerial.run(gtin, serial, jobId).changes === 0) collisions.push(serial);
        }
      },
    ),
    // issued_serials has no rowid (WITHOUT ROWID): its key picks the chunk.
    deleteSerialChunk: db.prepare(
      `DELETE FROM issued_serials WHERE (gtin, serial) IN (
         SELECT gtin, serial FROM issued_serials WHERE job_id = ? LIMIT ?)`,
    ),
    deleteBatches: db.prepare("DELETE FROM serial_batches WHERE job_id = ?"),
    recordBatch: db.prepare(
      `INSERT INTO serial_batches (gtin, lot, job_id, owner, mode, count, prefix, width,
         range_start, range_end, first_serial, last_serial, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    listBatches: db.prepare(
      `SELECT *, count(*) OVER () AS total FROM serial_batches WHERE gtin = ?
       ORDER BY id DESC LIMIT ? OFFSET ?`,
    ),
    countBatches: db.prepare("SELECT count(*) FROM serial_batches WHERE gtin = ?").pluck(),
    setting: db.prepare("SELECT value FROM service_settings WHERE name = ?").pluck(),
    insertSetting: db.prepare(
      "INSERT INTO service_settings (name, value) VALUES (?, ?) ON CONFLICT DO NOTHING",
    ),
  };
}
