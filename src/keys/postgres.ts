// The API keys in the shared database (src/stores/postgres.ts), hashes only, for any number of
// instances. Changes reach every instance by LISTEN/NOTIFY (a trigger notifies on commit), with
// a version row the KeyStore polls as the safety net for notifications lost while disconnected.
import pg from "pg";
import { CHANGE_CHANNEL } from "../stores/migrations.js";
import {
  connectionSettings,
  describeDatabase,
  FIRST_KEY_LOCK,
  MAX_RECONNECT_MS,
  openMigratedPool,
  transaction,
} from "../stores/postgres.js";
import type { KeyBackend, KeyRow, NewKeyRow } from "./backend.js";

export { CHANGE_CHANNEL };

// Active keys whose owner (if any) is not disabled: a disabled user's keys stop working at once
// everywhere (the users trigger moves the change token) and work again when re-enabled.
const SELECT_USABLE = `SELECT k.* FROM api_keys AS k LEFT JOIN users AS u ON u.id = k.owner_id
  WHERE k.is_active AND NOT coalesce(u.disabled, false)`;

interface Row {
  id: number;
  prefix: string;
  key_hash: Buffer;
  name: string;
  is_active: boolean;
  created_at: Date;
  expires_at: Date | null;
  last_used: Date | null;
  rate_limit_per_minute: number;
  rate_limit_per_day: number;
  owner_id: number | null;
  hint: string | null;
}

function toKeyRow(row: Row): KeyRow {
  return {
    id: row.id,
    prefix: row.prefix,
    keyHash: row.key_hash,
    name: row.name,
    active: row.is_active,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    lastUsed: row.last_used?.toISOString() ?? null,
    perMinute: row.rate_limit_per_minute,
    perDay: row.rate_limit_per_day,
    ownerId: row.owner_id,
    hint: row.hint,
  };
}

/**
 * Connects to the PostgreSQL database at `url`, creates or migrates the schema (safe when
 * several instances start at once) and returns the backend. Rejects, naming the database, when
 * it cannot be reached or migrated.
 */
export async function openPostgresBackend(url: string): Promise<KeyBackend> {
  const location = describeDatabase(url);
  const settings = connectionSettings(url);
  const pool = await openMigratedPool(url, 4, "key database");

  let closed = false;
  let listener: pg.Client | undefined;
  let reconnect: NodeJS.Timeout | undefined;

  // A dedicated connection holds LISTEN (a pooled one would be handed to other queries). When
  // it breaks, reconnect with back-off and report a change: notifications may have been lost.
  const listen = (onChange: () => void, delayMs = 100) => {
    const client = new pg.Client(settings);
    listener = client;
    let failed = false;
    const retry = () => {
      if (failed || closed) return;
      failed = true;
      client.end().catch(() => {});
      reconnect = setTimeout(
        () => listen(onChange, Math.min(delayMs * 2, MAX_RECONNECT_MS)),
        delayMs,
      );
      reconnect.unref();
    };
    client.on("error", retry);
    client.on("end", retry);
    client.on("notification", onChange);
    client
      .connect()
      .then(() => client.query(`LISTEN ${CHANGE_CHANNEL}`))
      .then(() => onChange())
      .catch(retry);
  };

  const query = async (text: string, values?: unknown[]) =>
    (await pool.query<Row>(text, values)).rows;

  return {
    location,
    changeToken: async () => {
      const rows = await pool.query<{ version: string }>("SELECT version FROM api_keys_version");
      return rows.rows[0].version;
    },
    activeKeys: async () => (await query(SELECT_USABLE)).map(toKeyRow),
    activeKey: async (keyHash) => {
      const rows = await query(`${SELECT_USABLE} AND k.key_hash = $1`, [keyHash]);
      return rows.length === 0 ? undefined : toKeyRow(rows[0]);
    },
    allKeys: async () => (await query("SELECT * FROM api_keys ORDER BY id")).map(toKeyRow),
    insert: async (row: NewKeyRow, onlyIfEmpty = false) => {
      const values = [
        row.prefix,
        row.keyHash,
        row.name,
        row.createdAt,
        row.expiresAt,
        row.perMinute,
        row.perDay,
        row.ownerId,
        row.hint ?? null,
      ];
      const insert = `INSERT INTO api_keys (prefix, key_hash, name, created_at, expires_at,
          rate_limit_per_minute, rate_limit_per_day, owner_id, hint)`;
      if (!onlyIfEmpty) {
        const rows = await query(
          `${insert} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
          values,
        );
        return rows[0].id;
      }
      // Under READ COMMITTED two instances could both see an empty table; the advisory lock
      // makes the check and the insert one step.
      return transaction(pool, async (client) => {
        await client.query("SELECT pg_advisory_xact_lock($1)", [FIRST_KEY_LOCK]);
        const result = await client.query<{ id: number }>(
          `${insert} SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9
           WHERE NOT EXISTS (SELECT 1 FROM api_keys) RETURNING id`,
          values,
        );
        return result.rows[0]?.id;
      });
    },
    deactivate: async (id) => {
      const result = await pool.query(
        "UPDATE api_keys SET is_active = false WHERE id = $1 AND is_active",
        [id],
      );
      return result.rowCount === 1;
    },
    ownedKeys: async (ownerId, offset, limit) => {
      // One scan of api_keys_owner_id; the window count rides on the rows, and a page past
      // the end, which has no row to carry it, asks once more.
      const rows = (
        await pool.query<Row & { total: number }>(
          `SELECT *, (count(*) OVER ())::integer AS total FROM api_keys WHERE owner_id = $1
         ORDER BY id DESC OFFSET $2 LIMIT $3`,
          [ownerId, offset, limit],
        )
      ).rows;
      if (rows.length > 0) return { rows: rows.map(toKeyRow), total: rows[0].total };
      const result = await pool.query<{ n: number }>(
        "SELECT count(*)::integer AS n FROM api_keys WHERE owner_id = $1",
        [ownerId],
      );
      return { rows: [], total: result.rows[0].n };
    },
    deactivateOwned: async (id, ownerId) => {
      const result = await pool.query(
        "UPDATE api_keys SET is_active = false WHERE id = $1 AND owner_id = $2 AND is_active",
        [id, ownerId],
      );
      return result.rowCount === 1;
    },
    count: async () => {
      const result = await pool.query<{ n: number }>("SELECT count(*)::integer AS n FROM api_keys");
      return result.rows[0].n;
    },
    recordUse: async (uses) => {
      await pool.query(
        `UPDATE api_keys AS k SET last_used = u.at
         FROM unnest($1::integer[], $2::timestamptz[]) AS u(id, at)
         WHERE k.id = u.id AND (k.last_used IS NULL OR k.last_used < u.at)`,
        [[...uses.keys()], [...uses.values()].map((ms) => new Date(ms).toISOString())],
      );
    },
    watch: (onChange) => listen(onChange),
    close: async () => {
      if (closed) return;
      closed = true;
      clearTimeout(reconnect);
      await listener?.end().catch(() => {});
      await pool.end();
    },
  };
}
