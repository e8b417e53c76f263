// What an account database must offer Accounts: users and sign-in sessions in, rows out. Two
// implementations over the key database: SQLite under DATA_DIR (sqlite.ts) and PostgreSQL
// (postgres.ts). Emails arrive normalised and session ids only as their SHA-256; the policy
// (passwords, expiry, throttling) lives in accounts.ts.

/** One users row. Times are ISO 8601 UTC strings. */
export interface UserRow {
  id: number;
  /** Lower-cased and trimmed. */
  email: string;
  /** The argon2id PHC string. */
  passwordHash: string;
  disabled: boolean;
  createdAt: string;
}

/** One sessions row with what Accounts needs of its user. */
export interface SessionRow {
  userId: number;
  email: string;
  disabled: boolean;
  csrfToken: string;
  createdAt: string;
  lastSeen: string;
}

/** A session to store: the SHA-256 of its id, never the id. */
export interface NewSessionRow {
  idHash: Buffer;
  userId: number;
  csrfToken: string;
  /** Both created_at and last_seen. */
  createdAt: string;
}

/**
 * An account database. Every method may reject when the database cannot be reached or fails;
 * each is one statement or one short transaction, and safe to use from several processes and
 * machines at once.
 */
export interface AccountsBackend {
  /** Where the accounts live, for messages; never contains a password. */
  readonly location: string;
  /** Inserts a user and resolves to its row, or to undefined when the email is taken. */
  insertUser(email: string, passwordHash: string, createdAt: string): Promise<UserRow | undefined>;
  /** Resolves to every user, oldest first. */
  users(): Promise<UserRow[]>;
  /** Resolves to the user with this (normalised) email, or undefined. */
  userByEmail(email: string): Promise<UserRow | undefined>;
  /**
   * Sets the user's disabled flag and, when disabling, deletes the user's sessions, in one
   * transaction. Resolves to false when no user has this email.
   */
  setDisabled(email: string, disabled: boolean): Promise<boolean>;
  /** Inserts `row`, deleting the session `replacing` (if any) in the same transaction. */
  insertSession(row: NewSessionRow, replacing?: Buffer): Promise<void>;
  /** Resolves to the session with this id hash and its user, or undefined; one indexed lookup. */
  session(idHash: Buffer): Promise<SessionRow | undefined>;
  /** Sets last_seen of a session to `at`, never moving it backwards. */
  touchSession(idHash: Buffer, at: string): Promise<void>;
  /** Deletes one session; a missing one is no error. */
  deleteSession(idHash: Buffer): Promise<void>;
  /**
   * Deletes sessions last seen before `seenBefore` or created before `createdBefore` and
   * resolves to how many went.
   */
  deleteExpired(seenBefore: string, createdBefore: string): Promise<number>;
  /** Closes every connection; idempotent. */
  close(): Promise<void>;
}
