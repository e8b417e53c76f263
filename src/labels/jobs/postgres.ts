// Label export in the shared database (src/stores/postgres.ts), over a small pool of its own:
// the jobs (which are also the embedded queue when there is no Redis), the daily label quota,
// the issued serials and the service settings. Every change is one statement, safe across
// any number of instances; bigint columns come back as strings and are read with Number().
import type pg from "pg";
import { describeDatabase, openMigratedPool } from "../../stores/postgres.js";
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

/** The label stores over one PostgreSQL pool. */
export interface PostgresLabelStores {
  jobs: JobBackend;
  usage: LabelUsage;
  serials: SerialRegistry;
  settings: Settings;
  close(): Promise<void>;
}

// Serial inserts go in larger statements than SQLite's transactions: each is a round trip.
const PG_SERIAL_CHUNK = 5 * SERIAL_CHUNK;

/**
 * Connects to the PostgreSQL database at `url`, creates or migrates the schema (safe when
 * several instances start at once) and returns the label stores over it. Rejects with "Cannot
 * open the label database host:port/db: <cause>" when it cannot be reached or migrated.
 */
export async function openPostgresLabelStores(url: string): Promise<PostgresLabelStores> {
  const pool: pg.Pool = await openMigratedPool(url, 6, "label database");
  const location = describeDatabase(url);
  let closed = false;
  const rows = async <T extends pg.QueryResultRow>(text: string, values: unknown[]) =>
    (await pool.query<T>(text, values)).rows;

  const jobs: JobBackend = {
    location,
    insert: async (row) => {
      const result = await pool.query(
        `INSERT INTO label_jobs (${JOB_COLUMNS.join(", ")})
         VALUES (${JOB_COLUMNS.map((_, i) => `$${i + 1}`).join(", ")})
         ON CONFLICT (owner, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING`,
        JOB_COLUMNS.map((c) => row[c]),
      );
      return result.rowCount === 1;
    },
    byIdempotencyKey: async (owner, key) =>
      (
        await rows<JobDbRow>("SELECT * FROM label_jobs WHERE owner = $1 AND idempotency_key = $2", [
          owner,
          key,
        ])
      )[0],
    releaseIdempotencyKey: async (owner, key, createdBefore) => {
      await pool.query(
        `UPDATE label_jobs SET idempotency_key = NULL
         WHERE owner = $1 AND idempotency_key = $2 AND created_at <= $3`,
        [owner, key, createdBefore],
      );
    },
    byId: async (id) => (await rows<JobDbRow>("SELECT * FROM label_jobs WHERE id = $1", [id]))[0],
    list: async (owner, offset, limit) => {
      // One scan of label_jobs_owner backwards; the window count rides on the rows, and a page
      // past the end, which has no row to carry it, asks once more.
      const found = await rows<JobDbRow & { total: number }>(
        `SELECT *, (count(*) OVER ())::integer AS total FROM label_jobs WHERE owner = $1
         ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT $3`,
        [owner, offset, limit],
      );
      if (found.length > 0) {
        return {
          rows: found.map(({ total: _, ...row }) => row as JobDbRow),
          total: found[0].total,
        };
      }
      const [{ n }] = await rows<{ n: number }>(
        "SELECT count(*)::integer AS n FROM label_jobs WHERE owner = $1",
        [owner],
      );
      return { rows: [], total: n };
    },
    countStatuses: async (owner, statuses) =>
      (
        await rows<{ n: number }>(
          "SELECT count(*)::integer AS n FROM label_jobs WHERE owner = $1 AND status = ANY($2)",
          [owner, statuses],
        )
      )[0].n,
    update: async (id, set, guard, setIfNull) => {
      const { sql, params } = guardedUpdate(id, set, guard, setIfNull, (n) => `$${n}`);
      return (await rows<JobDbRow>(sql, params))[0];
    },
    // SKIP LOCKED: concurrent claimers each take a different row instead of queueing on one;
    // the row lock also orders the claim after any heartbeat in flight on it.
    claim: async (token, now, leaseUntil, maxAttempts) => {
      const found = await rows<{ id: string; attempts: number }>(
        `WITH next AS (
           SELECT id FROM label_jobs
           WHERE (status = 'pending' OR (status = 'processing' AND lease_until <= $2))
             AND attempts < $4
           ORDER BY created_at, id LIMIT 1
           FOR UPDATE SKIP LOCKED)
         UPDATE label_jobs AS j SET status = 'processing', lease_token = $1, lease_until = $3,
           attempts = j.attempts + 1, started_at = coalesce(j.started_at, $2), updated_at = $2
         FROM next WHERE j.id = next.id
         RETURNING j.id, j.attempts`,
        [token, now, leaseUntil, maxAttempts],
      );
      return found[0];
    },
    exhausted: (now, maxAttempts) =>
      rows<JobDbRow>(
        `SELECT * FROM label_jobs WHERE status = 'processing' AND lease_until <= $1
         AND attempts >= $2 LIMIT 100`,
        [now, maxAttempts],
      ),
    expired: (now, limit) =>
      rows<JobDbRow>(
        `SELECT * FROM label_jobs
         WHERE expires_at < $1 AND ((status = 'completed' AND output_filename IS NOT NULL)
            OR status = 'failed')
         ORDER BY expires_at LIMIT $2`,
        [now, limit],
      ),
    active: async (limit) =>
      (
        await rows<{ id: string }>(
          `SELECT id FROM label_jobs WHERE status IN ('pending', 'processing')
           ORDER BY created_at LIMIT $1`,
          [limit],
        )
      ).map((r) => r.id),
    close: async () => close(),
  };

  const usedNow = async (owner: string, day: string) =>
    Number(
      (
        await rows<{ labels: string }>(
          "SELECT labels FROM label_usage WHERE owner = $1 AND day = $2",
          [owner, day],
        )
      )[0]?.labels ?? 0,
    );

  const usage: LabelUsage = {
    // Inserts a fresh day's row or adds to it, only within the limit; no row back = refused.
    // ON CONFLICT makes two first charges of a day meet on the one row, not both insert.
    charge: async (owner, day, labels, limit) => {
      checkLabelCount(labels);
      const found = await rows<{ labels: string }>(
        `INSERT INTO label_usage (owner, day, labels)
         SELECT $1, $2, $3::bigint WHERE $3::bigint <= $4::bigint
         ON CONFLICT (owner, day) DO UPDATE SET labels = label_usage.labels + EXCLUDED.labels
           WHERE label_usage.labels + EXCLUDED.labels <= $4::bigint
         RETURNING labels`,
        [owner, day, labels, limit],
      );
      if (found.length > 0) return { ok: true, used: Number(found[0].labels) };
      return { ok: false, used: await usedNow(owner, day) };
    },
    refund: async (owner, day, labels) => {
      checkLabelCount(labels);
      await pool.query(
        "UPDATE label_usage SET labels = greatest(labels - $1, 0) WHERE owner = $2 AND day = $3",
        [labels, owner, day],
      );
    },
    used: usedNow,
  };

  const serials: SerialRegistry = {
    issuedCount: async (gtin) =>
      (
        await rows<{ n: number }>(
          "SELECT count(*)::integer AS n FROM issued_serials WHERE gtin = $1",
          [gtin],
        )
      )[0].n,
    rangeOverlap: async (gtin, prefix, width, start, end) => {
      const found = await rows<SerialBatchDbRow>(
        `SELECT * FROM serial_batches
         WHERE gtin = $1 AND mode = 'range' AND coalesce(prefix, '') = $2
           AND range_start <= $3 AND range_end >= $4
         ORDER BY id`,
        [gtin, prefix ?? "", end, start],
      );
      return firstRealOverlap(found.map(toSerialBatch), width, start, end);
    },
    insertSerials: async (gtin, jobId, list) => {
      const collisions: string[] = [];
      for (let from = 0; from < list.length; from += PG_SERIAL_CHUNK) {
        const chunk = list.slice(from, from + PG_SERIAL_CHUNK);
        const inserted = new Set(
          (
            await rows<{ serial: string }>(
              `INSERT INTO issued_serials (gtin, serial, job_id)
               SELECT $1, s, $2 FROM unnest($3::text[]) AS s
               ON CONFLICT DO NOTHING RETURNING serial`,
              [gtin, jobId, chunk],
            )
          ).map((r) => r.serial),
        );
        // A serial twice in one chunk is inserted once: its second place is a collision.
        for (const serial of chunk) {
          if (inserted.has(serial)) inserted.delete(serial);
          else collisions.push(serial);
        }
      }
      return collisions;
    },
    recordBatch: async (b) =>
      (
        await rows<{ id: number }>(
          `INSERT INTO serial_batches (gtin, lot, job_id, owner, mode, count, prefix, width,
             range_start, range_end, first_serial, last_serial, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
          [
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
          ],
        )
      )[0].id,
    // In chunks, so that no statement of a million-serial job nears the statement timeout.
    releaseJob: async (jobId) => {
      let deleted = 0;
      for (;;) {
        const result = await pool.query(
          `DELETE FROM issued_serials WHERE ctid = ANY(ARRAY(
             SELECT ctid FROM issued_serials WHERE job_id = $1 LIMIT $2))`,
          [jobId, PG_SERIAL_CHUNK],
        );
        const n = result.rowCount ?? 0;
        deleted += n;
        if (n < PG_SERIAL_CHUNK) break;
      }
      await pool.query("DELETE FROM serial_batches WHERE job_id = $1", [jobId]);
      return deleted;
    },
    listBatches: async (gtin, page, pageSize) => {
      const found = await rows<SerialBatchDbRow & { total: number }>(
        `SELECT *, (count(*) OVER ())::integer AS total FROM serial_batches WHERE gtin = $1
         ORDER BY id DESC OFFSET $2 LIMIT $3`,
        [gtin, (page - 1) * pageSize, pageSize],
      );
      if (found.length > 0) return { rows: found.map(toSerialBatch), total: found[0].total };
      const [{ n }] = await rows<{ n: number }>(
        "SELECT count(*)::integer AS n FROM serial_batches WHERE gtin = $1",
        [gtin],
      );
      return { rows: [], total: n };
    },
  };

  const settings: Settings = {
    getOrCreate: async (name, make) => {
      const select = "SELECT value FROM service_settings WHERE name = $1";
      const existing = await rows<{ value: string }>(select, [name]);
      if (existing.length > 0) return existing[0].value;
      // Instances starting at once both insert; one row wins and both read it back.
      await pool.query(
        "INSERT INTO service_settings (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        [name, make()],
      );
      return (await rows<{ value: string }>(select, [name]))[0].value;
    },
  };

  const close = async () => {
    if (closed) return;
    closed = true;
    await pool.end();
  };
  return { jobs, usage, serials, settings, close };
}
