// The job store, the daily label quota, the serial registry and the settings, against real
// SQLite and PostgreSQL: the same assertions on both engines.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isJobId, newJobId } from "../../../src/labels/jobs/ids.js";
import type { LabelStores } from "../../../src/labels/jobs/open.js";
import { IDEMPOTENCY_WINDOW_MS, IdempotencyConflict } from "../../../src/labels/jobs/store.js";
import { createLabelDb, ENGINES, manualClock, sampleSpec, type TestLabelDb } from "./engines.js";

describe("job ids", () => {
  it("are 22 characters of the shortuuid alphabet, all different", () => {
    const ids = new Set(Array.from({ length: 2000 }, newJobId));
    expect(ids.size).toBe(2000);
    for (const id of ids) expect(isJobId(id)).toBe(true);
  });

  it("refuse other shapes", () => {
    for (const bad of [
      "",
      "abc",
      `${newJobId()}x`,
      "0".repeat(22),
      "l".repeat(22),
      "I".repeat(22),
    ]) {
      expect(isJobId(bad)).toBe(false);
    }
  });
});

describe.each(ENGINES)("label stores on %s", (engine) => {
  let db: TestLabelDb;
  let a: LabelStores;
  let b: LabelStores;
  const clock = manualClock();
  const T0 = clock.now();

  beforeAll(async () => {
    db = await createLabelDb(engine);
    a = await db.open(clock);
    b = await db.open(clock);
  });
  afterAll(async () => {
    await db?.drop();
  });

  const create = (owner: string, key: string | null = null, hash = "h1", now = clock.now()) =>
    a.jobs.create({ owner, spec: sampleSpec(), idempotencyKey: key, requestHash: hash, now });

  describe("jobs", () => {
    it("creates a pending job that its owner alone can see", async () => {
      const { job, created } = await create("user:1");
      expect(created).toBe(true);
      expect(isJobId(job.id)).toBe(true);
      expect(job).toMatchObject({
        owner: "user:1",
        status: "pending",
        spec: sampleSpec(),
        totalItems: 10,
        processedItems: 0,
        attempts: 0,
        checkpoint: null,
        error: null,
        createdAt: T0,
        startedAt: null,
      });
      expect(await b.jobs.get("user:1", job.id)).toEqual(job);
      expect(await b.jobs.get("user:2", job.id)).toBeNull();
      expect(await b.jobs.getById(job.id)).toEqual(job);
      expect(await b.jobs.getById(newJobId())).toBeNull();
    });

    it("lists newest first with the total, and counts the unfinished", async () => {
      const owner = "user:list";
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        // Two jobs share each creation time: the id breaks the tie, descending.
        ids.push((await create(owner, null, "h", T0 + Math.floor(i / 2))).job.id);
      }
      const expected = [
        ids[4],
        ...[ids[2], ids[3]].sort().reverse(),
        ...[ids[0], ids[1]].sort().reverse(),
      ];
      const page1 = await b.jobs.list(owner, { page: 1, pageSize: 2 });
      const page2 = await b.jobs.list(owner, { page: 2, pageSize: 2 });
      const page3 = await b.jobs.list(owner, { page: 3, pageSize: 2 });
      const page9 = await b.jobs.list(owner, { page: 9, pageSize: 2 });
      expect([...page1.rows, ...page2.rows, ...page3.rows].map((j) => j.id)).toEqual(expected);
      expect([page1.total, page2.total, page3.total, page9.total]).toEqual([5, 5, 5, 5]);
      expect(page9.rows).toEqual([]);
      expect(await b.jobs.countActive(owner)).toBe(5);
      await a.jobs.cancel(owner, ids[0]);
      await a.jobs.start(ids[1]);
      expect(await b.jobs.countActive(owner)).toBe(4);
      expect(await b.jobs.list("user:nobody", { page: 1, pageSize: 10 })).toEqual({
        rows: [],
        total: 0,
      });
      await expect(b.jobs.list(owner, { page: 0, pageSize: 2 })).rejects.toThrow(/positive/);
    });

    it("returns the same job for the same Idempotency-Key and request", async () => {
      const first = await create("user:idem", "key-1", "hash-a");
      const again = await create("user:idem", "key-1", "hash-a", T0 + IDEMPOTENCY_WINDOW_MS - 1);
      expect(again).toEqual({ job: first.job, created: false });
      // Keys are per owner.
      expect((await create("user:other", "key-1", "hash-b")).created).toBe(true);
    });

    it("refuses the same Idempotency-Key with another request", async () => {
      const first = await create("user:idem2", "key-2", "hash-a");
      const err = await create("user:idem2", "key-2", "hash-b").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IdempotencyConflict);
      expect((err as IdempotencyConflict).jobId).toBe(first.job.id);
      expect((err as Error).message).toMatch(/key-2.*different request/);
    });

    it("lets go of an Idempotency-Key after 24 hours", async () => {
      const first = await create("user:idem3", "key-3", "hash-a", T0);
      const later = T0 + IDEMPOTENCY_WINDOW_MS + 1;
      const second = await create("user:idem3", "key-3", "hash-b", later);
      expect(second.created).toBe(true);
      expect(second.job.id).not.toBe(first.job.id);
      expect((await a.jobs.getById(first.job.id))?.idempotencyKey).toBeNull();
      expect(await create("user:idem3", "key-3", "hash-b", later + 1)).toEqual({
        job: second.job,
        created: false,
      });
    });

    it("creates one job when the same key arrives on two connections at once", async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 === 0 ? a : b).jobs.create({
            owner: "user:race",
            spec: sampleSpec(),
            idempotencyKey: "race",
            requestHash: "same",
            now: T0,
          }),
        ),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.job.id)).size).toBe(1);
    });

    it("runs a job through processing to completed, reading JSON and bigints back", async () => {
      const { job } = await create("user:run");
      clock.set(T0 + 1000);
      const started = await a.jobs.start(job.id);
      expect(started).toMatchObject({ status: "processing", startedAt: T0 + 1000 });
      clock.set(T0 + 2000);
      // A second start (a resumed run) keeps the first start time.
      expect((await a.jobs.start(job.id))?.startedAt).toBe(T0 + 1000);
      const checkpoint = { chunk: 3, offsets: [1, 2], zip: { bytes: 12345 } };
      expect(await a.jobs.progress(job.id, 5000, 12000, checkpoint)).toBe(true);
      expect(await b.jobs.getById(job.id)).toMatchObject({
        processedItems: 5000,
        totalItems: 12000,
        checkpoint,
      });
      const big = 5 * 2 ** 32 + 7; // over 32 bits: PostgreSQL bigint, read back as a number
      const done = { outputFilename: "x.zip", fileSizeBytes: big, sha256: "ab", expiresAt: T0 + 9 };
      expect(await a.jobs.complete(job.id, done)).toBe(true);
      const read = await b.jobs.getById(job.id);
      expect(read).toMatchObject({
        status: "completed",
        processedItems: 12000,
        fileSizeBytes: big,
        outputFilename: "x.zip",
        sha256: "ab",
        expiresAt: T0 + 9,
        finishedAt: T0 + 2000,
      });
      expect(typeof read?.fileSizeBytes).toBe("number");
      // Finished: nothing moves it any more.
      expect(await a.jobs.progress(job.id, 1, 1, null)).toBe(false);
      expect(await a.jobs.fail(job.id, { message: "late" })).toBe(false);
      expect(await a.jobs.start(job.id)).toBeNull();
      expect(await a.jobs.cancel("user:run", job.id)).toBe("completed");
      expect((await b.jobs.getById(job.id))?.status).toBe("completed");
      clock.set(T0);
    });

    it("never completes a canceled job", async () => {
      const { job } = await create("user:cancel");
      await a.jobs.start(job.id);
      expect(await b.jobs.cancel("user:other", job.id)).toBeNull();
      expect(await b.jobs.cancel("user:cancel", job.id)).toBe("processing");
      expect(await b.jobs.cancel("user:cancel", job.id)).toBe("canceled");
      expect(await a.jobs.progress(job.id, 1, 10, null)).toBe(false);
      const out = { outputFilename: "x.zip", fileSizeBytes: 1, sha256: "ab", expiresAt: 1 };
      expect(await a.jobs.complete(job.id, out)).toBe(false);
      expect(await a.jobs.fail(job.id, { message: "x" })).toBe(false);
      expect((await a.jobs.getById(job.id))?.status).toBe("canceled");
      const pending = (await create("user:cancel")).job;
      expect(await a.jobs.cancel("user:cancel", pending.id)).toBe("pending");
      expect(await a.jobs.start(pending.id)).toBeNull();
    });

    it("records a failure with its items", async () => {
      const { job } = await create("user:fail");
      await a.jobs.start(job.id);
      const error = {
        message: "2 items are invalid",
        items: [{ row: 3, field: "lot", message: "too long" }],
        invalid_count: 2,
      };
      expect(await a.jobs.fail(job.id, error)).toBe(true);
      expect(await b.jobs.getById(job.id)).toMatchObject({ status: "failed", error });
    });

    it("lists expired artifacts for the sweeper and marks them gone", async () => {
      const { job } = await create("user:sweep");
      await a.jobs.start(job.id);
      const out = { outputFilename: "s.zip", fileSizeBytes: 10, sha256: "cd", expiresAt: T0 + 50 };
      await a.jobs.complete(job.id, out);
      expect((await a.jobs.listExpired(T0 + 50)).map((j) => j.id)).not.toContain(job.id);
      expect((await a.jobs.listExpired(T0 + 51)).map((j) => j.id)).toContain(job.id);
      expect(await a.jobs.markExpired(job.id, T0 + 60)).toBe(true);
      expect((await a.jobs.listExpired(T0 + 100)).map((j) => j.id)).not.toContain(job.id);
      expect(await b.jobs.getById(job.id)).toMatchObject({
        status: "completed",
        outputFilename: null,
        fileSizeBytes: null,
        expiresAt: T0 + 50,
      });
    });
  });

  describe("leases", () => {
    it("lets each job be claimed by one claimer, then again once the lease ran out", async () => {
      // A fresh database: the claim takes the oldest claimable job of all owners.
      const own = await createLabelDb(engine);
      try {
        const c = manualClock(T0);
        const x = await own.open(c);
        const y = await own.open(c);
        const ids = new Set<string>();
        for (let i = 0; i < 6; i++) {
          const spec = sampleSpec();
          const created = await x.jobs.create({
            owner: "o",
            spec,
            idempotencyKey: null,
            requestHash: "h",
            now: T0 + i,
          });
          ids.add(created.job.id);
        }
        const claims = await Promise.all(
          Array.from({ length: 8 }, (_, i) => (i % 2 ? x : y).jobs.claim(`t${i}`, 1000, 3)),
        );
        const taken = claims.filter((claim) => claim !== null);
        expect(taken).toHaveLength(6);
        expect(new Set(taken.map((claim) => claim?.id))).toEqual(ids);
        expect(taken.every((claim) => claim?.attempt === 1)).toBe(true);
        const first = taken[0] as { id: string };
        const token = `t${claims.indexOf(taken[0])}`;
        expect(await x.jobs.extendLease(first.id, token, 1000)).toBe(true);
        expect(await x.jobs.extendLease(first.id, "other", 1000)).toBe(false);
        // Every lease runs out; the claimer after that gets attempt 2 of each.
        c.set(T0 + 1001);
        const again = await y.jobs.claim("late", 1000, 3);
        expect(again?.attempt).toBe(2);
        // The old holder's token no longer works.
        const old = claims.find((claim) => claim?.id === again?.id);
        const oldToken = `t${claims.indexOf(old ?? null)}`;
        expect(await x.jobs.extendLease(again?.id ?? "", oldToken, 1000)).toBe(false);
        expect(await x.jobs.progress(again?.id ?? "", 1, 1, null, oldToken)).toBe(false);
        expect(await x.jobs.progress(again?.id ?? "", 1, 1, null, "late")).toBe(true);
        // Paused: claimable at once without counting the attempt.
        const paused = await y.jobs.releaseLease(again?.id ?? "", "late", "paused");
        expect(paused).toMatchObject({ status: "processing", attempts: 1 });
        const resumed = await x.jobs.claim("resume", 1000, 3);
        expect(resumed).toEqual({ id: again?.id, attempt: 2 });
        // Out of attempts: failed, saying how often the runner was lost.
        c.set(T0 + 5000);
        expect(await x.jobs.claim("z", 1000, 1)).toBeNull();
        const failed = await x.jobs.failExhausted(1, 1000);
        expect(failed).toHaveLength(6);
        const row = await y.jobs.getById(failed[0]);
        expect(row?.status).toBe("failed");
        expect(row?.error?.message).toMatch(/lost its runner [12] times/);
      } finally {
        await own.drop();
      }
    });
  });

  describe("label usage", () => {
    it("never lets 20 concurrent charges exceed the limit", async () => {
      const day = "2026-01-01";
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).usage.charge("key:q", day, 7, 100)),
      );
      const ok = results.filter((r) => r.ok);
      expect(ok).toHaveLength(14);
      expect(new Set(ok.map((r) => r.used)).size).toBe(14);
      expect(Math.max(...ok.map((r) => r.used))).toBe(98);
      for (const r of results.filter((r) => !r.ok)) expect(r.used).toBe(98);
      expect(await a.usage.used("key:q", day)).toBe(98);
    });

    it("refuses a first charge over the limit, counts per day, and refunds", async () => {
      expect(await a.usage.charge("key:r", "2026-01-02", 101, 100)).toEqual({ ok: false, used: 0 });
      expect(await a.usage.charge("key:r", "2026-01-02", 100, 100)).toEqual({
        ok: true,
        used: 100,
      });
      expect(await a.usage.charge("key:r", "2026-01-03", 5, 100)).toEqual({ ok: true, used: 5 });
      await b.usage.refund("key:r", "2026-01-02", 30);
      expect(await a.usage.charge("key:r", "2026-01-02", 30, 100)).toEqual({ ok: true, used: 100 });
      await b.usage.refund("key:r", "2026-01-02", 1000);
      expect(await a.usage.used("key:r", "2026-01-02")).toBe(0);
      await expect(a.usage.charge("key:r", "2026-01-02", 0, 100)).rejects.toThrow(/positive/);
    });
  });

  describe("serials", () => {
    const gtin = "09506000134352";

    it("records serials once per GTIN and names the ones already issued", async () => {
      expect(await a.serials.insertSerials(gtin, "job-1", ["A1", "A2", "A3"])).toEqual([]);
      expect(await b.serials.insertSerials(gtin, "job-2", ["A3", "A4", "A4", "A1"])).toEqual([
        "A3",
        "A4",
        "A1",
      ]);
      // Another GTIN has its own serials.
      expect(await b.serials.insertSerials("04006381333931", "job-2", ["A1"])).toEqual([]);
      expect(await a.serials.issuedCount(gtin)).toBe(4);
      expect(await a.serials.releaseJob("job-2")).toBe(2);
      expect(await a.serials.issuedCount(gtin)).toBe(3);
      expect(await a.serials.issuedCount("04006381333931")).toBe(0);
    });

    it("finds a range that overlaps a recorded one", async () => {
      const g = "00012345678905";
      const batch = {
        gtin: g,
        lot: "L1",
        jobId: "job-r",
        owner: "user:1",
        mode: "range" as const,
        count: 100,
        prefix: "SN",
        width: 6,
        rangeStart: 1000,
        rangeEnd: 1099,
        firstSerial: "SN001000",
        lastSerial: "SN001099",
        createdAt: T0,
      };
      const id = await a.serials.recordBatch(batch);
      expect(await b.serials.rangeOverlap(g, "SN", 6, 1099, 1200)).toEqual({ ...batch, id });
      expect(await b.serials.rangeOverlap(g, "SN", 6, 1100, 1200)).toBeNull();
      expect(await b.serials.rangeOverlap(g, "XY", 6, 1000, 1200)).toBeNull();
      expect(await b.serials.rangeOverlap(g, null, 6, 1000, 1200)).toBeNull();
      // Width 4 writes 1000..1099 as the same digits as width 6 does not: SN1000 ≠ SN001000.
      expect(await b.serials.rangeOverlap(g, "SN", 4, 1000, 1099)).toBeNull();
      const wide = { ...batch, width: 4, rangeStart: 5000, rangeEnd: 1_000_000, prefix: null };
      const wideId = await a.serials.recordBatch(wide);
      // 1000000 has 7 digits: width 4 and width 6 both write it "1000000".
      expect(await b.serials.rangeOverlap(g, null, 6, 999_999, 2_000_000)).toMatchObject({
        id: wideId,
      });
      expect(await b.serials.rangeOverlap(g, "", 4, 10, 5000)).toMatchObject({ id: wideId });
      const list = await b.serials.listBatches(g, 1, 1);
      expect(list).toEqual({ rows: [{ ...wide, id: wideId }], total: 2 });
      expect((await b.serials.listBatches(g, 2, 1)).rows[0].id).toBe(id);
      expect(await b.serials.listBatches(g, 3, 1)).toEqual({ rows: [], total: 2 });
      await a.serials.releaseJob("job-r");
      expect(await b.serials.listBatches(g, 1, 10)).toEqual({ rows: [], total: 0 });
    });
  });

  describe("settings", () => {
    it("keeps the first value made, whichever instance made it", async () => {
      let made = 0;
      const make = () => `secret-${++made}`;
      const values = await Promise.all([
        a.settings.getOrCreate("url_secret", make),
        b.settings.getOrCreate("url_secret", make),
        a.settings.getOrCreate("url_secret", make),
      ]);
      expect(new Set(values).size).toBe(1);
      expect(await b.settings.getOrCreate("url_secret", () => "other")).toBe(values[0]);
      expect(await b.settings.getOrCreate("other", () => "v")).toBe("v");
    });
  });
});
