// User accounts and their sign-in sessions: argon2id password hashes, 256-bit session ids kept
// only as SHA-256 digests, idle and absolute expiry. Stored next to the API keys (SQLite under
// DATA_DIR, or PostgreSQL at DATABASE_URL) through an AccountsBackend.
import { createHash, randomBytes } from "node:crypto";
import { type Algorithm, hash, type Options, verify } from "@node-rs/argon2";
import { type Clock, systemClock } from "../clock.js";
import type { Config } from "../config.js";
import type { AccountsBackend, UserRow } from "./backend.js";
import { openPostgresAccounts } from "./postgres.js";
import { openSqliteAccounts } from "./sqlite.js";

/** A user as listed: never the password hash. Times are ISO 8601 UTC strings. */
export interface UserRecord {
  id: number;
  email: string;
  disabled: boolean;
  createdAt: string;
}

/** A new session: the id for the cookie and the CSRF token (shown once), and its user. */
export interface SignedIn {
  sessionId: string;
  csrfToken: string;
  userId: number;
  email: string;
}

/** What a live session says about its caller. */
export interface SessionInfo {
  userId: number;
  email: string;
  csrfToken: string;
}

/**
 * A user's mistake: an invalid email, a password too short or too long, an email already
 * taken. The message says what is wrong and names the email; never the password.
 */
export class AccountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AccountError";
  }
}

/** A session unused for longer than this (by last_seen) is over. */
export const SESSION_IDLE_MS = 12 * 3600_000;
/** A session older than this (by created_at) is over, however busy. */
export const SESSION_MAX_MS = 7 * 86_400_000;
/** last_seen is written at most this often per session, not on every request. */
export const SESSION_TOUCH_MS = 60_000;
/** Expired sessions are deleted at most this often per process, on a sign-in. */
export const SESSION_SWEEP_MS = 5 * 60_000;

/** Passwords shorter than this many characters (code points, after NFKC) are refused. */
export const MIN_PASSWORD_LENGTH = 12;
/** Passwords longer than this are refused (bounds the hashing work one request can ask for). */
export const MAX_PASSWORD_LENGTH = 1024;
// RFC 5321 caps a forward path at 256 octets, so an address at 254.
const MAX_EMAIL_LENGTH = 254;

// argon2id with OWASP's minimum (Password Storage Cheat Sheet): 19 MiB, 2 passes, 1 lane. They
// are @node-rs/argon2's defaults too; written out so a library upgrade cannot change them.
const ARGON2: Options = {
  // Algorithm.Argon2id: an ambient const enum, which verbatimModuleSyntax cannot inline.
  algorithm: 2 as Algorithm,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

/**
 * The hash sign-in verifies against when the email is unknown, so that case costs what a wrong
 * password does: an argon2id hash with the parameters above of 32 random bytes nobody kept.
 * Fixed rather than made at start-up, which would cost every CLI run 19 MiB and tens of ms.
 */
export const UNKNOWN_USER_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$45FmgqD8IyXIItrdD6RqzA$C8ngLCsw5O4vy6vWJyEgL6HaBMJzdpQx4CFo4PF8BqU";

// The WHATWG HTML "valid e-mail address" (input type=email), lower-case after normalising:
// ASCII only, so JavaScript's and the databases' idea of lower case agree.
const EMAIL =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
// 32 bytes in base64url without padding.
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Returns `email` as stored: trimmed and lower-cased. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The account store. Passwords are hashed with argon2id off the event loop (libuv's pool);
 * sign-in costs one verification whether or not the user exists, so its timing does not tell.
 */
export class Accounts {
  readonly #backend: AccountsBackend;
  readonly #clock: Clock;
  #lastSweep = Number.NEGATIVE_INFINITY;

  /**
   * Opens the accounts in the configured database (PostgreSQL when `databaseUrl` is set, else
   * `dataDir/keys.sqlite`), creating or migrating the schema. Rejects with a message naming the
   * database and the cause when it cannot be opened.
   */
  static async open(
    config: Pick<Config, "dataDir" | "databaseUrl">,
    options: { clock?: Clock } = {},
  ): Promise<Accounts> {
    const backend =
      config.databaseUrl === null
        ? openSqliteAccounts(config.dataDir)
        : await openPostgresAccounts(config.databaseUrl);
    return new Accounts(backend, options.clock ?? systemClock);
  }

  private constructor(backend: AccountsBackend, clock: Clock) {
    this.#backend = backend;
    this.#clock = clock;
  }

  /** Where the accounts live (a file path, or PostgreSQL host:port/database). */
  get location(): string {
    return this.#backend.location;
  }

  /**
   * Creates an enabled user and returns it. Throws AccountError for an invalid email, a
   * password under 12 or over 1024 characters, or an email another user has (compared after
   * trimming and lower-casing); rejects when the database fails.
   */
  async createUser(email: string, password: string): Promise<UserRecord> {
    const normalised = normaliseEmail(email);
    if (!isValidEmail(normalised)) {
      throw new AccountError(`${quote(email.trim())} is not a valid email address.`);
    }
    const passwordHash = await hash(checkPassword(password), ARGON2);
    const createdAt = new Date(this.#clock.now()).toISOString();
    const row = await this.#backend.insertUser(normalised, passwordHash, createdAt);
    if (row === undefined) {
      throw new AccountError(`A user with the email ${quote(normalised)} already exists.`);
    }
    return toUserRecord(row);
  }

  /** Resolves to every user, oldest first. */
  async listUsers(): Promise<UserRecord[]> {
    return (await this.#backend.users()).map(toUserRecord);
  }

  /**
   * Disables or enables the user with `email` (any case); disabling also ends all the user's
   * sessions at once. Resolves to false when there is no such user.
   */
  setDisabled(email: string, disabled: boolean): Promise<boolean> {
    return this.#backend.setDisabled(normaliseEmail(email), disabled);
  }

  /** Resolves to the user with `email` (any case, surrounding spaces ignored), or undefined. */
  async userByEmail(email: string): Promise<UserRecord | undefined> {
    const normalised = normaliseEmail(email);
    if (!isValidEmail(normalised)) return undefined;
    const row = await this.#backend.userByEmail(normalised);
    return row && toUserRecord(row);
  }

  /**
   * Checks `email` and `password` and, when they belong to an enabled user, starts a session:
   * ends `previousSessionId`'s session (rotation on sign-in), stores the new one and returns
   * its id and CSRF token. Resolves to null for an unknown email, a wrong password and a
   * disabled user alike, after one argon2 verification in each case. Rejects when the
   * database fails.
   */
  async signIn(
    email: string,
    password: string,
    previousSessionId?: string,
  ): Promise<SignedIn | null> {
    // Over-long input is refused before any work; that says nothing about the account.
    if (password.length > 2 * MAX_PASSWORD_LENGTH || email.length > 2 * MAX_EMAIL_LENGTH) {
      return null;
    }
    const normalised = normaliseEmail(email);
    const user = isValidEmail(normalised) ? await this.#backend.userByEmail(normalised) : undefined;
    const matches = await verify(
      user?.passwordHash ?? UNKNOWN_USER_HASH,
      password.normalize("NFKC"),
    );
    if (!matches || user === undefined || user.disabled) return null;

    const now = this.#clock.now();
    if (now - this.#lastSweep >= SESSION_SWEEP_MS) {
      this.#lastSweep = now;
      await this.#backend.deleteExpired(
        new Date(now - SESSION_IDLE_MS).toISOString(),
        new Date(now - SESSION_MAX_MS).toISOString(),
      );
    }
    const sessionId = randomBytes(32).toString("base64url");
    const csrfToken = randomBytes(32).toString("base64url");
    const previous =
      previousSessionId !== undefined && TOKEN.test(previousSessionId)
        ? digest(previousSessionId)
        : undefined;
    await this.#backend.insertSession(
      { idHash: digest(sessionId), userId: user.id, csrfToken, createdAt: iso(now) },
      previous,
    );
    return { sessionId, csrfToken, userId: user.id, email: user.email };
  }

  /**
   * Resolves to the user and CSRF token of live session `sessionId`, or undefined: for a
   * malformed id (without asking the database), an unknown one, one idle for over 12 hours or
   * older than 7 days (deleted then), or a disabled user's. Refreshes last_seen when it is a
   * minute old or more, so a busy session costs one write a minute. Rejects when the database
   * fails.
   */
  async session(sessionId: string): Promise<SessionInfo | undefined> {
    if (!TOKEN.test(sessionId)) return undefined;
    const idHash = digest(sessionId);
    const row = await this.#backend.session(idHash);
    if (row === undefined) return undefined;
    const now = this.#clock.now();
    const idleMs = now - Date.parse(row.lastSeen);
    if (idleMs > SESSION_IDLE_MS || now - Date.parse(row.createdAt) > SESSION_MAX_MS) {
      await this.#backend.deleteSession(idHash);
      return undefined;
    }
    if (row.disabled) return undefined;
    if (idleMs >= SESSION_TOUCH_MS) await this.#backend.touchSession(idHash, iso(now));
    return { userId: row.userId, email: row.email, csrfToken: row.csrfToken };
  }

  /** Ends session `sessionId`; an unknown, ended or malformed id is no error. */
  async signOut(sessionId: string): Promise<void> {
    if (TOKEN.test(sessionId)) await this.#backend.deleteSession(digest(sessionId));
  }

  /** Closes the database connections; idempotent. */
  close(): Promise<void> {
    return this.#backend.close();
  }
}

function isValidEmail(normalised: string): boolean {
  return normalised.length <= MAX_EMAIL_LENGTH && EMAIL.test(normalised);
}

// Returns the password as hashed (NFKC, as NIST SP 800-63B advises, so the same password typed
// on another keyboard matches), or throws when its length is out of range.
function checkPassword(password: string): string {
  // A string of more than 2 UTF-16 units per allowed character is too long however it counts.
  const normalised =
    password.length > 2 * MAX_PASSWORD_LENGTH ? password : password.normalize("NFKC");
  const length = normalised.length > 2 * MAX_PASSWORD_LENGTH ? Infinity : [...normalised].length;
  if (length < MIN_PASSWORD_LENGTH) {
    throw new AccountError(`A password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  if (length > MAX_PASSWORD_LENGTH) {
    throw new AccountError(`A password may have at most ${MAX_PASSWORD_LENGTH} characters.`);
  }
  return normalised;
}

function toUserRecord(row: UserRow): UserRecord {
  return { id: row.id, email: row.email, disabled: row.disabled, createdAt: row.createdAt };
}

function digest(token: string): Buffer {
  return createHash("sha256").update(token).digest();
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

// Quotes a user-supplied value for a message: JSON escapes, and at most 100 characters.
function quote(value: string): string {
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
}
