// Accounts in the embedded database: the users and sessions tables of DATA_DIR/keys.sqlite,
// over a connection of their own (the file, its schema and its reopening belong to
// src/stores/sqlite.ts).
import type Database from "better-sqlite3";
import { openSqliteFile } from "../stores/sqlite.js";
import type { AccountsBackend, SessionRow, UserRow } from "./backend.js";

interface UserDbRow {
  id: number;
  email: string;
  password_hash: string;
  disabled: number;
  created_at: string;
}

interface SessionDbRow {
  user_id: number;
  email: string;
  disabled: number;
  csrf_token: string;
  created_at: string;
  last_seen: string;
}

function toUserRow(row: UserDbRow): UserRow {
  return {
    id: row.id,
    email: row.email,
    passwordHash: row.password_hash,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
  };
}

function toSessionRow(row: SessionDbRow): SessionRow {
  return {
    userId: row.user_id,
    email: row.email,
    disabled: row.disabled === 1,
    csrfToken: row.csrf_token,
    createdAt: row.created_at,
    lastSeen: row.last_seen,
  };
}

/**
 * Opens the accounts in `dataDir/keys.sqlite` (creating the file and schema if needed). Throws
 * "Cannot open the account database <path>: <cause>" when it cannot. Synchronous underneath,
 * like the key backend; a file replaced under the process is reopened.
 */
export function openSqliteAccounts(dataDir: string): AccountsBackend {
  const file = openSqliteFile(dataDir, "account database", prepare);
  const q = () => file.current().q;
  return {
    location: file.path,
    insertUser: async (email, passwordHash, createdAt) => {
      const row = q().insertUser.get(email, passwordHash, createdAt) as UserDbRow | undefined;
      return row && toUserRow(row);
    },
    users: async () => (q().users.all() as UserDbRow[]).map(toUserRow),
    userByEmail: async (email) => {
      const row = q().userByEmail.get(email) as UserDbRow | undefined;
      return row && toUserRow(row);
    },
    setDisabled: async (email, disabled) => q().setDisabled(email, disabled),
    insertSession: async (row, replacing) => q().insertSession(row, replacing),
    session: async (idHash) => {
      const row = q().session.get(idHash) as SessionDbRow | undefined;
      return row && toSessionRow(row);
    },
    touchSession: async (idHash, at) => {
      q().touchSession.run(at, idHash, at);
    },
    deleteSession: async (idHash) => {
      q().deleteSession.run(idHash);
    },
    deleteExpired: async (seenBefore, createdBefore) =>
      q().deleteExpired.run(seenBefore, createdBefore).changes,
    close: async () => file.close(),
  };
}

function prepare(db: Database.Database) {
  const disable = db.prepare("UPDATE users SET disabled = ? WHERE email = ? RETURNING id");
  const deleteUserSessions = db.prepare("DELETE FROM sessions WHERE user_id = ?");
  const insertSession = db.prepare(
    `INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen)
     VALUES (?, ?, ?, ?, ?)`,
  );
  const deleteSession = db.prepare("DELETE FROM sessions WHERE id_hash = ?");
  return {
    // ON CONFLICT DO NOTHING returns no row for a taken email, so a race needs no error path.
    insertUser: db.prepare(
      `INSERT INTO users (email, password_hash, created_at) VALUES (?, ?, ?)
       ON CONFLICT (email) DO NOTHING RETURNING *`,
    ),
    users: db.prepare("SELECT * FROM users ORDER BY id"),
    userByEmail: db.prepare("SELECT * FROM users WHERE email = ?"),
    setDisabled: db.transaction((email: string, disabled: boolean): boolean => {
      const user = disable.get(disabled ? 1 : 0, email) as { id: number } | undefined;
      if (user === undefined) return false;
      if (disabled) deleteUserSessions.run(user.id);
      return true;
    }),
    insertSession: db.transaction(
      (
        row: { idHash: Buffer; userId: number; csrfToken: string; createdAt: string },
        replacing?: Buffer,
      ) => {
        if (replacing !== undefined) deleteSession.run(replacing);
        insertSession.run(row.idHash, row.userId, row.csrfToken, row.createdAt, row.createdAt);
      },
    ),
    session: db.prepare(
      `SELECT s.user_id, u.email, u.disabled, s.csrf_token, s.created_at, s.last_seen
       FROM sessions AS s JOIN users AS u ON u.id = s.user_id WHERE s.id_hash = ?`,
    ),
    touchSession: db.prepare(
      "UPDATE sessions SET last_seen = ? WHERE id_hash = ? AND last_seen < ?",
    ),
    deleteSession,
    deleteExpired: db.prepare("DELETE FROM sessions WHERE last_seen < ? OR created_at < ?"),
  };
}
