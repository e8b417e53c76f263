// Accounts in the shared database: the users and sessions tables next to api_keys, over a
// small pool of their own. The schema is the key database's (src/stores/migrations.ts),
// so one migration sequence, under one advisory lock, owns every table.
import type pg from "pg";
import { describeDatabase, openMigratedPool, transaction } from "../stores/postgres.js";
import type { AccountsBackend, SessionRow, UserRow } from "./backend.js";

interface UserDbRow {
  id: number;
  email: string;
  password_hash: string;
  disabled: boolean;
  created_at: Date;
}

interface SessionDbRow {
  user_id: number;
  email: string;
  disabled: boolean;
  csrf_token: string;
  created_at: Date;
  last_seen: Date;
}

function toUserRow(row: UserDbRow): UserRow {
  return {
    id: row.id,
    email: row.email,
    passwordHash: row.password_hash,
    disabled: row.disabled,
    createdAt: row.created_at.toISOString(),
  };
}

function toSessionRow(row: SessionDbRow): SessionRow {
  return {
    userId: row.user_id,
    email: row.email,
    disabled: row.disabled,
    csrfToken: row.csrf_token,
    createdAt: row.created_at.toISOString(),
    lastSeen: row.last_seen.toISOString(),
  };
}

/**
 * Connects to the PostgreSQL database at `url`, creates or migrates the schema (safe when
 * several instances start at once) and returns the accounts over it. Rejects with "Cannot open
 * the account database host:port/db: <cause>" when it cannot be reached or migrated.
 */
export async function openPostgresAccounts(url: string): Promise<AccountsBackend> {
  const pool: pg.Pool = await openMigratedPool(url, 4, "account database");
  let closed = false;
  const users = async (text: string, values: unknown[]) =>
    (await pool.query<UserDbRow>(text, values)).rows.map(toUserRow);
  return {
    location: describeDatabase(url),
    insertUser: async (email, passwordHash, createdAt) =>
      (
        await users(
          `INSERT INTO users (email, password_hash, created_at) VALUES ($1, $2, $3)
           ON CONFLICT (email) DO NOTHING RETURNING *`,
          [email, passwordHash, createdAt],
        )
      )[0],
    users: () => users("SELECT * FROM users ORDER BY id", []),
    userByEmail: async (email) => (await users("SELECT * FROM users WHERE email = $1", [email]))[0],
    setDisabled: (email, disabled) =>
      transaction(pool, async (client) => {
        const { rows } = await client.query<{ id: number }>(
          "UPDATE users SET disabled = $1 WHERE email = $2 RETURNING id",
          [disabled, email],
        );
        if (rows.length === 0) return false;
        if (disabled) await client.query("DELETE FROM sessions WHERE user_id = $1", [rows[0].id]);
        return true;
      }),
    insertSession: async (row, replacing) => {
      const insert = `INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen)
        VALUES ($1, $2, $3, $4, $4)`;
      const values = [row.idHash, row.userId, row.csrfToken, row.createdAt];
      if (replacing === undefined) {
        await pool.query(insert, values);
        return;
      }
      await transaction(pool, async (client) => {
        await client.query("DELETE FROM sessions WHERE id_hash = $1", [replacing]);
        await client.query(insert, values);
      });
    },
    session: async (idHash) => {
      const { rows } = await pool.query<SessionDbRow>(
        `SELECT s.user_id, u.email, u.disabled, s.csrf_token, s.created_at, s.last_seen
         FROM sessions AS s JOIN users AS u ON u.id = s.user_id WHERE s.id_hash = $1`,
        [idHash],
      );
      return rows.length === 0 ? undefined : toSessionRow(rows[0]);
    },
    touchSession: async (idHash, at) => {
      await pool.query("UPDATE sessions SET last_seen = $1 WHERE id_hash = $2 AND last_seen < $1", [
        at,
        idHash,
      ]);
    },
    deleteSession: async (idHash) => {
      await pool.query("DELETE FROM sessions WHERE id_hash = $1", [idHash]);
    },
    deleteExpired: async (seenBefore, createdBefore) =>
      (
        await pool.query("DELETE FROM sessions WHERE last_seen < $1 OR created_at < $2", [
          seenBefore,
          createdBefore,
        ])
      ).rowCount ?? 0,
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
