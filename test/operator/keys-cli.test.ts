// src/operator/keys-cli.ts as `npm run keys` runs it (its own process): create prints the key alone
// on the last line, list shows it without the secret and with its owner, revoke reaches a
// running server that has the database open in another process, --owner names a user, backup
// and restore copy the SQLite file under a running server that follows the restore.
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Accounts } from "../../src/accounts/accounts.js";
import { hashKey, isWellFormedKey } from "../../src/keys/format.js";
import { openKeyStore } from "../../src/keys/open.js";
import { expectRateHeaders, type Harness, post, startApp } from "../helpers/http.js";
import { keysCli } from "../helpers/processes.js";

const PAYLOAD = { gtin: "09506000134352", lot: "CLI" };
const USAGE = `Usage:
  npm run keys -- create --name NAME [--per-minute N] [--per-day N] [--expires ISO-8601]
                         [--prefix csb|csu|cpk] [--owner EMAIL]
  npm run keys -- list
  npm run keys -- revoke ID
  npm run keys -- backup FILE     (SQLite: a consistent copy, servers may keep running)
  npm run keys -- restore FILE    (SQLite: replaces keys, users and sessions with FILE's)
Limits of 0 (the default) mean the default tier. Keys live in DATABASE_URL when set, else in
DATA_DIR (default ./data); with PostgreSQL use pg_dump and pg_restore.
`;

let dataDir: string;
let h: Harness | undefined;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), "dm-cli-"));
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

describe("npm run keys", () => {
  it("creates a key (last stdout line), lists it, and revokes it under a running server", async () => {
    // A server on the same DATA_DIR, checking for other processes' changes every 20 ms.
    h = await startApp({ dataDir, refreshMs: 20 });
    const created = await keysCli(
      dataDir,
      "create",
      "--name",
      "label line 3",
      "--per-minute",
      "5",
      "--per-day",
      "7",
      "--expires",
      "2099-01-01",
    );
    expect(created.code).toBe(0);
    const lines = created.stdout.trimEnd().split("\n");
    const key = lines[lines.length - 1];
    expect(isWellFormedKey(key)).toBe(true);
    expect(key.startsWith("csb_")).toBe(true);
    expect(lines.slice(0, -1)).toEqual([
      `Created key 2 "label line 3" in ${dataDir}.`,
      "This is the only time the key is shown; store it now:",
    ]);

    // The running server picks the new key up without a restart, with its own limits.
    await vi.waitFor(
      async () => expect((await post(h as Harness, PAYLOAD, {}, key)).status).toBe(200),
      {
        timeout: 3000,
      },
    );
    const res = await post(h, PAYLOAD, {}, key);
    expectRateHeaders(res, "5;w=60, 7;w=86400", 5, 3, 60);

    const list = await keysCli(dataDir, "list");
    expect(list.code).toBe(0);
    const rows = list.stdout
      .trimEnd()
      .split("\n")
      .map((l) => l.split(/\s{2,}/));
    expect(rows[0]).toEqual([
      "ID",
      "KEY",
      "NAME",
      "OWNER",
      "STATUS",
      "PER_MIN",
      "PER_DAY",
      "CREATED",
      "EXPIRES",
      "LAST_USED",
    ]);
    // KEY is the hint stored at creation: the key's first 8 characters and its last 4.
    const hint = `${key.slice(0, 8)}…${key.slice(-4)}`;
    expect(rows[2].slice(0, 7)).toEqual(["2", hint, "label line 3", "-", "active", "5", "7"]);
    expect(rows[2][8]).toBe("2099-01-01T00:00:00.000Z");
    expect(list.stdout).not.toContain(key.slice(4, 36));

    const revoked = await keysCli(dataDir, "revoke", "2");
    expect(revoked).toEqual({ code: 0, stdout: "Revoked key 2.\n", stderr: "" });
    await vi.waitFor(
      async () => expect((await post(h as Harness, PAYLOAD, {}, key)).status).toBe(401),
      {
        timeout: 3000,
      },
    );
    expect((await keysCli(dataDir, "list")).stdout).toContain(
      `\n2   ${hint}  label line 3  -      revoked`,
    );
  });

  it("creates csu and cpk keys on request", async () => {
    for (const prefix of ["csu", "cpk"]) {
      const { code, stdout } = await keysCli(
        dataDir,
        "create",
        "--name",
        prefix,
        "--prefix",
        prefix,
      );
      expect(code).toBe(0);
      expect(stdout.trimEnd().split("\n").pop()).toMatch(
        new RegExp(`^${prefix}_[A-Za-z0-9]{32}_[0-9a-f]{8}$`),
      );
    }
  });

  it("creates a key owned by a user named by email (any case) and lists the owner", async () => {
    const accounts = await Accounts.open({ dataDir, databaseUrl: null });
    const alice = await accounts.createUser("alice@example.com", "a long enough password");
    await accounts.close();
    const operators = (await keysCli(dataDir, "create", "--name", "operator's")).stdout
      .trimEnd()
      .split("\n")
      .pop() as string;
    const created = await keysCli(
      dataDir,
      "create",
      "--name",
      "alice's",
      "--owner",
      " Alice@Example.COM",
    );
    expect(created.code).toBe(0);
    const lines = created.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`Created key 2 "alice's" for alice@example.com in ${dataDir}.`);
    const alices = lines[lines.length - 1];

    const store = await openKeyStore({ dataDir, databaseUrl: null }, { refreshMs: 0, flushMs: 0 });
    try {
      expect(store.find(hashKey(lines[lines.length - 1]))).toMatchObject({ ownerId: alice.id });
      expect(await store.listOwned(alice.id, { offset: 0, limit: 10 })).toMatchObject({
        keys: [{ id: 2, name: "alice's" }],
        total: 1,
      });
    } finally {
      await store.close();
    }

    const rows = (await keysCli(dataDir, "list")).stdout
      .trimEnd()
      .split("\n")
      .map((l) => l.split(/\s{2,}/).slice(0, 5));
    expect(rows).toEqual([
      ["ID", "KEY", "NAME", "OWNER", "STATUS"],
      ["1", `${operators.slice(0, 8)}…${operators.slice(-4)}`, "operator's", "-", "active"],
      ["2", `${alices.slice(0, 8)}…${alices.slice(-4)}`, "alice's", "alice@example.com", "active"],
    ]);
  });

  it("exits 2 naming an --owner no user has, creating nothing", async () => {
    expect(
      await keysCli(dataDir, "create", "--name", "a", "--owner", "nobody@example.com"),
    ).toEqual({ code: 2, stdout: "", stderr: 'No user has the email "nobody@example.com".\n' });
    expect((await keysCli(dataDir, "list")).stdout).toBe("No keys.\n");
  });

  it("says so when there are no keys", async () => {
    expect(await keysCli(dataDir, "list")).toEqual({ code: 0, stdout: "No keys.\n", stderr: "" });
  });

  it("exits 1 when revoking a key that is not active", async () => {
    expect(await keysCli(dataDir, "revoke", "7")).toEqual({
      code: 1,
      stdout: "",
      stderr: "No active key with ID 7.\n",
    });
  });

  it.each([
    [["create"], "create needs --name NAME."],
    [
      ["create", "--name", "a", "--per-minute", "lots"],
      '--per-minute must be a whole number, got "lots".',
    ],
    [["create", "--name", "a", "--prefix", "abc"], "--prefix must be one of csb, csu, cpk."],
    [["create", "--name", "a", "--colour", "red"], "Unknown option '--colour'"],
    [["create", "--name", "a", "--owner", " "], "--owner needs an email address."],
    [["revoke"], "revoke needs one key ID."],
    [["backup"], "backup needs one FILE."],
    [["restore", "a", "b"], "restore needs one FILE."],
    [["rotate"], 'Unknown command "rotate".'],
    [[], "No command given."],
  ])("exits 2 with the usage for %j", async (args, message) => {
    expect(await keysCli(dataDir, ...args)).toEqual({
      code: 2,
      stdout: "",
      stderr: `${message}\n${USAGE}`,
    });
  });

  it("backs up under a running server and restores the copy, which the server follows", async () => {
    h = await startApp({ dataDir, refreshMs: 20 });
    const keyOf = (r: { stdout: string }) => r.stdout.trimEnd().split("\n").pop() as string;
    const kept = keyOf(await keysCli(dataDir, "create", "--name", "kept"));
    const backupFile = join(mkdtempSync(join(tmpdir(), "dm-cli-backup-")), "keys-backup.sqlite");
    expect(await keysCli(dataDir, "backup", backupFile)).toEqual({
      code: 0,
      stdout: `Backed up ${join(dataDir, "keys.sqlite")} to ${backupFile}.\n`,
      stderr: "",
    });
    // A key made after the backup, and the kept one revoked: the restore undoes both.
    const later = keyOf(await keysCli(dataDir, "create", "--name", "later"));
    expect((await keysCli(dataDir, "revoke", "2")).code).toBe(0);
    // Two writes: the server may refresh between them, so wait until it has seen both.
    await vi.waitFor(async () => {
      expect((await post(h as Harness, PAYLOAD, {}, later)).status).toBe(200);
      expect((await post(h as Harness, PAYLOAD, {}, kept)).status).toBe(401);
    });

    expect(await keysCli(dataDir, "restore", backupFile)).toEqual({
      code: 0,
      stdout:
        `Restored ${join(dataDir, "keys.sqlite")} from ${backupFile}; running servers follow ` +
        "within KEY_REFRESH_MS.\n",
      stderr: "",
    });
    await vi.waitFor(async () =>
      expect((await post(h as Harness, PAYLOAD, {}, kept)).status).toBe(200),
    );
    expect((await post(h, PAYLOAD, {}, later)).status).toBe(401);
    const rows = (await keysCli(dataDir, "list")).stdout.trimEnd().split("\n").slice(1);
    // The harness's key and the kept one, active again; "later" never existed.
    expect(rows.map((l) => l.split(/\s{2,}/).slice(2, 5))).toEqual([
      ["test", "-", "active"],
      ["kept", "-", "active"],
    ]);
    rmSync(dirname(backupFile), { recursive: true, force: true });
  });

  it("takes a relative FILE from the directory npm run was called in; needs a database", async () => {
    const caller = mkdtempSync(join(tmpdir(), "dm-cli-caller-"));
    expect(await keysCli(dataDir, "backup", join(caller, "none.sqlite"))).toEqual({
      code: 1,
      stdout: "",
      stderr: `Cannot back up ${join(dataDir, "keys.sqlite")}: there is no database there\n`,
    });
    expect((await keysCli(dataDir, "create", "--name", "a")).code).toBe(0);
    const res = await keysCli({ DATA_DIR: dataDir, INIT_CWD: caller }, "backup", "copy.sqlite");
    expect(res.stdout).toBe(
      `Backed up ${join(dataDir, "keys.sqlite")} to ${join(caller, "copy.sqlite")}.\n`,
    );
    expect(statSync(join(caller, "copy.sqlite")).size).toBeGreaterThan(0);
    rmSync(caller, { recursive: true, force: true });
  });

  it("refuses to restore a file that is not a key database, leaving the live one alone", async () => {
    expect((await keysCli(dataDir, "create", "--name", "kept")).code).toBe(0);
    const other = join(mkdtempSync(join(tmpdir(), "dm-cli-other-")), "other.sqlite");
    writeFileSync(other, "");
    const res = await keysCli(dataDir, "restore", other);
    expect(res).toEqual({
      code: 1,
      stdout: "",
      stderr: `Cannot restore ${join(dataDir, "keys.sqlite")} from ${other}: it has no api_keys table\n`,
    });
    const missing = join(dataDir, "nothing-here.sqlite");
    expect((await keysCli(dataDir, "restore", missing)).stderr).toMatch(
      `Cannot restore ${join(dataDir, "keys.sqlite")} from ${missing}: `,
    );
    const rows = (await keysCli(dataDir, "list")).stdout.trimEnd().split("\n").slice(1);
    expect(rows.map((l) => l.split(/\s{2,}/).slice(2, 5))).toEqual([["kept", "-", "active"]]);
    rmSync(dirname(other), { recursive: true, force: true });
  });

  it("points to pg_dump when the keys are in PostgreSQL", async () => {
    expect(
      await keysCli({ DATABASE_URL: "postgres://127.0.0.1:1/none" }, "backup", "x.sqlite"),
    ).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "backup copies the SQLite file under DATA_DIR; the keys are in PostgreSQL " +
        "(DATABASE_URL): use pg_dump and pg_restore.\n",
    });
  });

  it("exits 2 naming a bad expiry", async () => {
    expect(await keysCli(dataDir, "create", "--name", "a", "--expires", "tomorrow")).toEqual({
      code: 2,
      stdout: "",
      stderr: 'Expiry "tomorrow" is not an ISO 8601 date.\n',
    });
  });

  it.each([
    [
      "a DATA_DIR under a file",
      () => {
        writeFileSync(join(dataDir, "afile"), "");
        return join(dataDir, "afile", "sub");
      },
      (dir: string) =>
        `Cannot open the key database ${join(dir, "keys.sqlite")}: ENOTDIR: not a directory, ` +
        `mkdir '${dir}'`,
    ],
    [
      "a file that is not a database",
      () => {
        writeFileSync(join(dataDir, "keys.sqlite"), "not a database, just text long enough");
        return dataDir;
      },
      (dir: string) =>
        `Cannot open the key database ${join(dir, "keys.sqlite")}: SQLITE_NOTADB: file is not a database`,
    ],
  ])("exits 1 with one line naming the path and the cause for %s", async (_why, make, message) => {
    const dir = make();
    expect(await keysCli(dir, "list")).toEqual({
      code: 1,
      stdout: "",
      stderr: `${message(dir)}\n`,
    });
  });
});
