// src/accounts/accounts.ts over both databases (SQLite in a temporary directory, PostgreSQL
// in a database of its own on the real server): users with normalised unique emails, argon2id
// hashes that never hold the password, sign-in that answers null alike for every failure,
// sessions kept only as SHA-256 with rotation, idle and absolute expiry on a fake clock,
// throttled last_seen writes, sign-out, and disabling that ends sessions.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseOptions } from "@node-rs/argon2";
import Database from "better-sqlite3";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  AccountError,
  Accounts,
  SESSION_IDLE_MS,
  SESSION_MAX_MS,
  UNKNOWN_USER_HASH,
} from "../../src/accounts/accounts.js";
import type { Config } from "../../src/config.js";
import { createTestDatabase } from "../helpers/services.js";

const NOW = Date.parse("2026-03-31T12:00:00.000Z");
const HOUR = 3600_000;
const PASSWORD = "correct horse battery staple";
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** A session row as stored, read behind the Accounts' back. */
interface StoredSession {
  idHash: Buffer;
  userId: number;
  csrfToken: string;
  createdAt: string;
  lastSeen: string;
}

/** One database under test: its settings, raw reads of its tables, and how to drop it. */
interface Target {
  config: Pick<Config, "dataDir" | "databaseUrl">;
  location: string;
  passwordHashes(): Promise<string[]>;
  sessions(): Promise<StoredSession[]>;
  cleanup(): Promise<void>;
}

const SESSIONS_SQL = `SELECT id_hash, user_id, csrf_token, created_at, last_seen FROM sessions
  ORDER BY created_at, user_id`;

const targets: Record<string, () => Promise<Target>> = {
  SQLite: async () => {
    const dir = mkdtempSync(join(tmpdir(), "dm-accounts-"));
    const path = join(dir, "keys.sqlite");
    const read = <T>(sql: string) => {
      const db = new Database(path, { readonly: true });
      try {
        return db.prepare(sql).all() as T[];
      } finally {
        db.close();
      }
    };
    return {
      config: { dataDir: dir, databaseUrl: null },
      location: path,
      passwordHashes: async () =>
        read<{ password_hash: string }>("SELECT password_hash FROM users ORDER BY id").map(
          (r) => r.password_hash,
        ),
      sessions: async () =>
        read<Record<string, never>>(SESSIONS_SQL).map((r) => ({
          idHash: r.id_hash,
          userId: r.user_id,
          csrfToken: r.csrf_token,
          createdAt: r.created_at,
          lastSeen: r.last_seen,
        })),
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
  PostgreSQL: async () => {
    const db = await createTestDatabase();
    const read = async (sql: string) => {
      const client = new pg.Client(db.url);
      await client.connect();
      try {
        return (await client.query(sql)).rows;
      } finally {
        await client.end();
      }
    };
    return {
      config: { dataDir: "/nonexistent", databaseUrl: db.url },
      location: `postgresql://127.0.0.1:5432/${db.name}`,
      passwordHashes: async () =>
        (await read("SELECT password_hash FROM users ORDER BY id")).map((r) => r.password_hash),
      sessions: async () =>
        (await read(SESSIONS_SQL)).map((r) => ({
          idHash: r.id_hash,
          userId: r.user_id,
          csrfToken: r.csrf_token,
          createdAt: r.created_at.toISOString(),
          lastSeen: r.last_seen.toISOString(),
        })),
      cleanup: () => db.drop(),
    };
  },
};

const sha256 = (s: string) => createHash("sha256").update(s).digest();

describe.each(Object.keys(targets))("Accounts on %s", (kind) => {
  let target: Target;
  let accounts: Accounts;
  let now: number;
  const clock = { now: () => now };

  beforeEach(async () => {
    now = NOW;
    target = await targets[kind]();
    accounts = await Accounts.open(target.config, { clock });
  });
  afterEach(async () => {
    await accounts.close();
    await target.cleanup();
  });

  describe("users", () => {
    it("creates a user with the email trimmed and lower-cased, found in any case", async () => {
      const user = await accounts.createUser("  Alice@Example.COM ", PASSWORD);
      const expected = {
        id: user.id,
        email: "alice@example.com",
        disabled: false,
        createdAt: "2026-03-31T12:00:00.000Z",
      };
      expect(user).toEqual(expected);
      expect(await accounts.listUsers()).toEqual([expected]);
      expect(await accounts.userByEmail("ALICE@example.com")).toEqual(expected);
      expect(await accounts.userByEmail(" alice@EXAMPLE.com\t")).toEqual(expected);
      expect(await accounts.userByEmail("bob@example.com")).toBeUndefined();
      expect(await accounts.userByEmail("not an email")).toBeUndefined();
      expect(accounts.location).toBe(target.location);
    });

    it("lists users oldest first", async () => {
      await accounts.createUser("b@example.com", PASSWORD);
      now += 1000;
      await accounts.createUser("a@example.com", PASSWORD);
      expect((await accounts.listUsers()).map((u) => [u.email, u.createdAt])).toEqual([
        ["b@example.com", "2026-03-31T12:00:00.000Z"],
        ["a@example.com", "2026-03-31T12:00:01.000Z"],
      ]);
    });

    it("refuses an email another user has, in any case", async () => {
      await accounts.createUser("alice@example.com", PASSWORD);
      await expect(accounts.createUser(" ALICE@example.com", "another password")).rejects.toThrow(
        new AccountError('A user with the email "alice@example.com" already exists.'),
      );
      expect(await accounts.listUsers()).toHaveLength(1);
    });

    it("creates one user when the same email is created several times at once", async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 4 }, () => accounts.createUser("race@example.com", PASSWORD)),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      for (const r of results.filter((r) => r.status === "rejected")) {
        expect(r.reason).toEqual(
          new AccountError('A user with the email "race@example.com" already exists.'),
        );
      }
    });

    it.each([
      ["no @", "alice", PASSWORD, '"alice" is not a valid email address.'],
      ["an empty email", "", PASSWORD, '"" is not a valid email address.'],
      ["no domain", "alice@", PASSWORD, '"alice@" is not a valid email address.'],
      [
        "a space",
        "al ice@example.com",
        PASSWORD,
        '"al ice@example.com" is not a valid email address.',
      ],
      [
        "a bad domain",
        "alice@exa_mple.com",
        PASSWORD,
        '"alice@exa_mple.com" is not a valid email address.',
      ],
      [
        "a non-ASCII email",
        "älice@example.com",
        PASSWORD,
        '"älice@example.com" is not a valid email address.',
      ],
      [
        "an email over 254 characters (quoted shortened)",
        `${"a".repeat(250)}@example.com`,
        PASSWORD,
        `"${"a".repeat(100)}…" is not a valid email address.`,
      ],
      [
        "an 11-character password",
        "alice@example.com",
        "eleven char",
        "A password needs at least 12 characters.",
      ],
      ["an empty password", "alice@example.com", "", "A password needs at least 12 characters."],
      // 22 UTF-16 units, but 11 characters.
      [
        "11 emoji",
        "alice@example.com",
        "🔑".repeat(11),
        "A password needs at least 12 characters.",
      ],
      [
        "a 1025-character password",
        "alice@example.com",
        "x".repeat(1025),
        "A password may have at most 1024 characters.",
      ],
      [
        "a 100,000-character password",
        "alice@example.com",
        "x".repeat(100_000),
        "A password may have at most 1024 characters.",
      ],
    ])("refuses %s, never naming the password", async (_why, email, password, message) => {
      const failure = accounts.createUser(email, password);
      await expect(failure).rejects.toThrow(new AccountError(message));
      await expect(failure).rejects.toBeInstanceOf(AccountError);
      if (password !== "") {
        await failure.catch((err: Error) => expect(err.message).not.toContain(password));
      }
      expect(await accounts.listUsers()).toEqual([]);
    });

    it("accepts passwords of exactly 12 and 1024 characters", async () => {
      await accounts.createUser("short@example.com", "x".repeat(12));
      await accounts.createUser("long@example.com", "🔑".repeat(1024));
      expect(await accounts.signIn("short@example.com", "x".repeat(12))).not.toBeNull();
      expect(await accounts.signIn("long@example.com", "🔑".repeat(1024))).not.toBeNull();
    });

    it("stores argon2id PHC strings with OWASP's parameters and fresh salts, never the password", async () => {
      await accounts.createUser("a@example.com", PASSWORD);
      await accounts.createUser("b@example.com", PASSWORD);
      const hashes = await target.passwordHashes();
      for (const h of hashes) {
        expect(h).toMatch(
          /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/,
        );
        expect(h).not.toContain(PASSWORD);
      }
      expect(hashes[0]).not.toBe(hashes[1]);
      // The hash an unknown email is checked against costs exactly what a real one does.
      expect(parseOptions(UNKNOWN_USER_HASH)).toEqual(parseOptions(hashes[0]));
      if (kind === "SQLite") {
        const dir = target.config.dataDir;
        for (const file of ["keys.sqlite", "keys.sqlite-wal"]) {
          let bytes: Buffer;
          try {
            bytes = readFileSync(join(dir, file));
          } catch {
            continue;
          }
          expect(bytes.includes(Buffer.from(PASSWORD))).toBe(false);
        }
      }
    });
  });

  describe("sign-in", () => {
    let alice: number;
    beforeEach(async () => {
      alice = (await accounts.createUser("alice@example.com", PASSWORD)).id;
    });

    it("starts a session for the right password, stored only as its SHA-256", async () => {
      const signedIn = await accounts.signIn(" Alice@Example.com", PASSWORD);
      expect(signedIn).toEqual({
        sessionId: expect.stringMatching(TOKEN),
        csrfToken: expect.stringMatching(TOKEN),
        userId: alice,
        email: "alice@example.com",
      });
      const { sessionId, csrfToken } = signedIn as { sessionId: string; csrfToken: string };
      expect(sessionId).not.toBe(csrfToken);
      expect(await accounts.session(sessionId)).toEqual({
        userId: alice,
        email: "alice@example.com",
        csrfToken,
      });
      expect(await target.sessions()).toEqual([
        {
          idHash: sha256(sessionId),
          userId: alice,
          csrfToken,
          createdAt: "2026-03-31T12:00:00.000Z",
          lastSeen: "2026-03-31T12:00:00.000Z",
        },
      ]);
    });

    it("answers null alike for a wrong password, an unknown email and a disabled user", async () => {
      await accounts.createUser("carol@example.com", PASSWORD);
      await accounts.setDisabled("carol@example.com", true);
      const attempts: [string, string][] = [
        ["alice@example.com", "wrong password, long enough"],
        ["alice@example.com", PASSWORD.toUpperCase()],
        ["alice@example.com", ""],
        ["alice@example.com", "x".repeat(100_000)],
        ["nobody@example.com", PASSWORD],
        ["not an email", PASSWORD],
        ["carol@example.com", PASSWORD],
      ];
      for (const [email, password] of attempts) {
        expect(await accounts.signIn(email, password), email).toBeNull();
      }
      expect(await target.sessions()).toEqual([]);
    });

    it("rotates: ends the previous session and starts a new one", async () => {
      const first = await accounts.signIn("alice@example.com", PASSWORD);
      const second = await accounts.signIn("alice@example.com", PASSWORD, first?.sessionId);
      expect(second?.sessionId).not.toBe(first?.sessionId);
      expect(second?.csrfToken).not.toBe(first?.csrfToken);
      expect(await accounts.session(first?.sessionId as string)).toBeUndefined();
      expect(await accounts.session(second?.sessionId as string)).toMatchObject({ userId: alice });
      expect(await target.sessions()).toHaveLength(1);
    });

    it("keeps the previous session when the sign-in fails, and other devices' sessions", async () => {
      const laptop = await accounts.signIn("alice@example.com", PASSWORD);
      const phone = await accounts.signIn("alice@example.com", PASSWORD);
      expect(await accounts.signIn("alice@example.com", "wrong", laptop?.sessionId)).toBeNull();
      // A malformed previous id is ignored.
      expect(await accounts.signIn("alice@example.com", PASSWORD, "garbage")).not.toBeNull();
      expect(await accounts.session(laptop?.sessionId as string)).toBeDefined();
      expect(await accounts.session(phone?.sessionId as string)).toBeDefined();
      expect(await target.sessions()).toHaveLength(3);
    });
  });

  describe("sessions", () => {
    let alice: number;
    let sessionId: string;
    beforeEach(async () => {
      alice = (await accounts.createUser("alice@example.com", PASSWORD)).id;
      sessionId = (await accounts.signIn("alice@example.com", PASSWORD))?.sessionId as string;
    });

    it.each([
      ["empty", ""],
      ["too short", "abc"],
      ["one character too long", `${"A".repeat(43)}B`],
      ["not base64url", `${"A".repeat(42)}+`],
    ])(
      "answers undefined for a malformed id (%s) without asking the database",
      async (_why, id) => {
        await accounts.close();
        // A closed database would reject any query.
        expect(await accounts.session(id)).toBeUndefined();
        await accounts.signOut(id);
        accounts = await Accounts.open(target.config, { clock });
      },
    );

    it("answers undefined for an unknown id", async () => {
      expect(await accounts.session("A".repeat(43))).toBeUndefined();
    });

    it("ends a session idle for more than 12 hours, deleting it", async () => {
      now = NOW + SESSION_IDLE_MS;
      expect(await accounts.session(sessionId)).toMatchObject({ userId: alice });
      now += SESSION_IDLE_MS + 1;
      expect(await accounts.session(sessionId)).toBeUndefined();
      expect(await target.sessions()).toEqual([]);
    });

    it("ends a busy session 7 days after sign-in, deleting it", async () => {
      for (now = NOW; now <= NOW + SESSION_MAX_MS; now += 11 * HOUR) {
        expect(await accounts.session(sessionId), new Date(now).toISOString()).toBeDefined();
      }
      now = NOW + SESSION_MAX_MS;
      expect(await accounts.session(sessionId)).toBeDefined();
      now = NOW + SESSION_MAX_MS + 1;
      expect(await accounts.session(sessionId)).toBeUndefined();
      expect(await target.sessions()).toEqual([]);
    });

    it("writes last_seen at most once a minute", async () => {
      const lastSeen = async () => (await target.sessions())[0].lastSeen;
      now = NOW + 59_999;
      await accounts.session(sessionId);
      expect(await lastSeen()).toBe("2026-03-31T12:00:00.000Z");
      now = NOW + 60_000;
      await accounts.session(sessionId);
      expect(await lastSeen()).toBe("2026-03-31T12:01:00.000Z");
      now = NOW + 119_999;
      await accounts.session(sessionId);
      expect(await lastSeen()).toBe("2026-03-31T12:01:00.000Z");
      now = NOW + 120_000;
      await accounts.session(sessionId);
      expect(await lastSeen()).toBe("2026-03-31T12:02:00.000Z");
    });

    it("signs out: the session ends; signing out again or of garbage is no error", async () => {
      await accounts.signOut(sessionId);
      expect(await accounts.session(sessionId)).toBeUndefined();
      await accounts.signOut(sessionId);
      await accounts.signOut("garbage");
      expect(await target.sessions()).toEqual([]);
    });

    it("sweeps expired sessions on a later sign-in", async () => {
      await accounts.createUser("bob@example.com", PASSWORD);
      now = NOW + SESSION_IDLE_MS + 1;
      const bob = await accounts.signIn("bob@example.com", PASSWORD);
      const rows = await target.sessions();
      expect(rows.map((r) => r.idHash)).toEqual([sha256(bob?.sessionId as string)]);
    });

    it("disabling a user ends their sessions at once and refuses sign-in until enabled", async () => {
      await accounts.createUser("bob@example.com", PASSWORD);
      const bob = await accounts.signIn("bob@example.com", PASSWORD);
      expect(await accounts.setDisabled("ALICE@example.com", true)).toBe(true);
      expect(await accounts.session(sessionId)).toBeUndefined();
      expect(await accounts.signIn("alice@example.com", PASSWORD)).toBeNull();
      expect((await target.sessions()).map((r) => r.userId)).toEqual([bob?.userId]);
      expect(await accounts.userByEmail("alice@example.com")).toMatchObject({ disabled: true });

      expect(await accounts.setDisabled("alice@example.com", false)).toBe(true);
      expect(await accounts.userByEmail("alice@example.com")).toMatchObject({ disabled: false });
      expect(await accounts.signIn("alice@example.com", PASSWORD)).not.toBeNull();
      expect(await accounts.setDisabled("nobody@example.com", true)).toBe(false);
    });

    it("sees a session started by another process, and its sign-out", async () => {
      const other = await Accounts.open(target.config, { clock });
      try {
        expect(await other.session(sessionId)).toMatchObject({ userId: alice });
        await other.signOut(sessionId);
        expect(await accounts.session(sessionId)).toBeUndefined();
      } finally {
        await other.close();
      }
    });
  });
});

describe("Accounts.open", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "dm-accounts-open-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("names the path when the SQLite file is not a database", async () => {
    writeFileSync(join(dir, "keys.sqlite"), "not a database, just text that is long enough");
    await expect(Accounts.open({ dataDir: dir, databaseUrl: null })).rejects.toThrow(
      `Cannot open the account database ${join(dir, "keys.sqlite")}: SQLITE_NOTADB: file is not a database`,
    );
  });

  it("names the database, not the password, when PostgreSQL cannot be reached", async () => {
    await expect(
      Accounts.open({ dataDir: dir, databaseUrl: "postgres://dm:s3cret@127.0.0.1:1/accounts" }),
    ).rejects.toThrow(
      "Cannot open the account database postgresql://127.0.0.1:1/accounts: connect ECONNREFUSED 127.0.0.1:1",
    );
  });
});
