// One suite for every JobQueue back end: the embedded queue on SQLite and on PostgreSQL, and
// BullMQ on the shared Redis (own key prefix per run) with the rows in PostgreSQL. Two queue
// objects are two instances; abandon() stands for a process that died mid-job.
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BullJobQueue } from "../../../src/labels/jobs/bullmq-queue.js";
import type { LabelStores } from "../../../src/labels/jobs/open.js";
import {
  type JobHandler,
  type JobQueue,
  LeaseLost,
  QueueStopping,
  type RunningJob,
} from "../../../src/labels/jobs/queue.js";
import { SqlJobQueue } from "../../../src/labels/jobs/sql-queue.js";
import { cleanupRedisPrefix, sharedRedisUrl, uniquePrefix } from "../../helpers/services.js";
import { createLabelDb, type Engine, sampleSpec, type TestLabelDb } from "./engines.js";

const LEASE_MS = 900;
const MAX_ATTEMPTS = 3;

type TestQueue = JobQueue & { abandon(): void | Promise<void> };

interface Backend {
  name: string;
  engine: Engine;
  make(stores: LabelStores, onError: (err: unknown) => void): TestQueue;
  cleanup(): Promise<void>;
}

const redisPrefix = uniquePrefix("labels-queue");
const BACKENDS: Backend[] = [
  {
    name: "embedded queue on SQLite",
    engine: "sqlite",
    make: (stores, onError) =>
      new SqlJobQueue(stores.jobs, {
        leaseMs: LEASE_MS,
        maxAttempts: MAX_ATTEMPTS,
        pollMs: 50,
        onError,
      }),
    cleanup: async () => {},
  },
  {
    name: "embedded queue on PostgreSQL",
    engine: "postgres",
    make: (stores, onError) =>
      new SqlJobQueue(stores.jobs, {
        leaseMs: LEASE_MS,
        maxAttempts: MAX_ATTEMPTS,
        pollMs: 50,
        onError,
      }),
    cleanup: async () => {},
  },
  {
    name: "BullMQ on Redis",
    engine: "postgres",
    make: (stores, onError) =>
      new BullJobQueue(stores.jobs, {
        redisUrl: sharedRedisUrl(),
        prefix: redisPrefix,
        leaseMs: LEASE_MS,
        maxAttempts: MAX_ATTEMPTS,
        stalledIntervalMs: 300,
        onError,
      }),
    cleanup: async () => {
      await cleanupRedisPrefix(sharedRedisUrl(), redisPrefix);
    },
  },
];

/** Polls `check` every 20 ms until it returns a value other than undefined/false. */
async function waitFor<T>(what: string, check: () => Promise<T> | T, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value as Exclude<T, undefined | false>;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/** Resolves once `signal` is aborted (at once if it already is). */
function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve()));
}

describe.each(BACKENDS)("$name", (backend) => {
  let db: TestLabelDb;
  let stores: LabelStores;
  let queues: TestQueue[] = [];
  const errors: unknown[] = [];
  // Handlers that "hang" wait on this, released after each test so nothing is left pending.
  let releaseHung: () => void = () => {};
  let hung = new Promise<void>((resolve) => {
    releaseHung = resolve;
  });

  beforeAll(async () => {
    db = await createLabelDb(backend.engine);
    stores = await db.open();
  });
  afterEach(async () => {
    releaseHung();
    await Promise.all(queues.map((q) => q.stop()));
    queues = [];
    hung = new Promise<void>((resolve) => {
      releaseHung = resolve;
    });
  });
  afterAll(async () => {
    await db?.drop();
    await backend.cleanup();
  });

  const instance = (): TestQueue => {
    const q = backend.make(stores, (err) => errors.push(err));
    queues.push(q);
    return q;
  };
  const newJob = async () =>
    (
      await stores.jobs.create({
        owner: "user:q",
        spec: sampleSpec(),
        idempotencyKey: null,
        requestHash: "h",
        now: Date.now(),
      })
    ).job.id;
  const finish = async (id: string) => {
    await stores.jobs.start(id);
    const out = { outputFilename: `${id}.zip`, fileSizeBytes: 1, sha256: "00", expiresAt: 1 };
    expect(await stores.jobs.complete(id, out)).toBe(true);
  };
  const statusOf = async (id: string) => (await stores.jobs.getById(id))?.status;

  it("runs on one instance a job enqueued on another", async () => {
    const a = instance();
    const b = instance();
    const seen: RunningJob[] = [];
    b.start(async (job) => {
      seen.push(job);
      await finish(job.id);
      return "done";
    });
    const id = await newJob();
    await a.enqueue(id);
    await waitFor("the job to complete", async () => (await statusOf(id)) === "completed");
    expect(seen.map((j) => [j.id, j.attempt])).toEqual([[id, 1]]);
    expect((await stores.jobs.getById(id))?.attempts).toBe(1);
  });

  it("runs each of 50 jobs exactly once across two instances", async () => {
    const runs = new Map<string, string[]>();
    const handler =
      (who: string): JobHandler =>
      async (job) => {
        runs.set(job.id, [...(runs.get(job.id) ?? []), who]);
        await sleep(5);
        await finish(job.id);
        return "done";
      };
    const a = instance();
    const b = instance();
    a.start(handler("a"));
    b.start(handler("b"));
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const id = await newJob();
      ids.push(id);
      await (i % 2 === 0 ? a : b).enqueue(id);
    }
    await waitFor(
      "50 jobs to complete",
      async () => (await Promise.all(ids.map(statusOf))).every((s) => s === "completed"),
      60_000,
    );
    expect(new Set(runs.keys())).toEqual(new Set(ids));
    for (const who of runs.values()) expect(who).toHaveLength(1);
    const byA = [...runs.values()].filter(([who]) => who === "a").length;
    expect(byA).toBeGreaterThan(0);
    expect(byA).toBeLessThan(50);
  });

  it("gives a job whose runner died to another instance once the lease ran out", async () => {
    const a = instance();
    let aGotIt: RunningJob | undefined;
    a.start(async (job) => {
      aGotIt = job;
      await hung; // a crash: never returns, ignores its signal, stops heartbeating
      return "done";
    });
    const id = await newJob();
    await a.enqueue(id);
    await waitFor("instance a to take the job", () => aGotIt !== undefined);
    const diedAt = Date.now();
    await a.abandon();
    const b = instance();
    let bGotIt: RunningJob | undefined;
    b.start(async (job) => {
      bGotIt = job;
      await finish(job.id);
      return "done";
    });
    await waitFor("the job to complete on b", async () => (await statusOf(id)) === "completed");
    expect(Date.now() - diedAt).toBeGreaterThanOrEqual(LEASE_MS - 350);
    expect(bGotIt).toMatchObject({ id, attempt: 2 });
    expect((await stores.jobs.getById(id))?.attempts).toBe(2);
  });

  it(`fails a job whose runner was lost ${MAX_ATTEMPTS} times`, async () => {
    const id = await newJob();
    const attempts: number[] = [];
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      const q = instance();
      q.start(async (job) => {
        attempts.push(job.attempt);
        await hung;
        return "done";
      });
      if (i === 0) await q.enqueue(id);
      await waitFor(`run ${i + 1}`, () => attempts.length === i + 1);
      await q.abandon();
    }
    expect(attempts).toEqual([1, 2, 3]);
    const last = instance();
    let ranAgain = false;
    last.start(async () => {
      ranAgain = true;
      return "done";
    });
    await waitFor("the job to fail", async () => (await statusOf(id)) === "failed");
    expect(ranAgain).toBe(false);
    expect((await stores.jobs.getById(id))?.error?.message).toMatch(
      new RegExp(`lost its runner ${MAX_ATTEMPTS} times`),
    );
  });

  it("takes a paused job up again without counting an attempt", async () => {
    const a = instance();
    const b = instance();
    const runs: [string, number][] = [];
    const handler =
      (who: string): JobHandler =>
      async (job) => {
        runs.push([who, job.attempt]);
        if (runs.length === 1) {
          await stores.jobs.start(job.id);
          expect(await stores.jobs.progress(job.id, 5, 10, { at: 5 })).toBe(true);
          return "paused";
        }
        expect((await stores.jobs.getById(job.id))?.checkpoint).toEqual({ at: 5 });
        await finish(job.id);
        return "done";
      };
    a.start(handler("a"));
    b.start(handler("b"));
    const id = await newJob();
    await a.enqueue(id);
    await waitFor("the job to complete", async () => (await statusOf(id)) === "completed");
    expect(runs.map(([, attempt]) => attempt)).toEqual([1, 1]);
  });

  it("stop() aborts the running handler and waits for it, then another instance resumes", async () => {
    const a = instance();
    let returned = false;
    let reason: unknown;
    let started = false;
    a.start(async (job) => {
      started = true;
      await stores.jobs.start(job.id);
      await aborted(job.signal);
      reason = job.signal.reason;
      await sleep(200); // checkpointing the chunk
      returned = true;
      return "paused";
    });
    const id = await newJob();
    await a.enqueue(id);
    await waitFor("the handler to start", () => started);
    await a.stop();
    expect(returned).toBe(true);
    expect(reason).toBeInstanceOf(QueueStopping);
    const b = instance();
    let attempt = 0;
    b.start(async (job) => {
      attempt = job.attempt;
      await finish(job.id);
      return "done";
    });
    await waitFor("b to finish the job", async () => (await statusOf(id)) === "completed");
    expect(attempt).toBe(1);
  });

  it("tells a running handler that its job was canceled", async () => {
    const a = instance();
    let reason: unknown;
    a.start(async (job) => {
      await stores.jobs.start(job.id);
      await aborted(job.signal);
      reason = job.signal.reason;
      return "done";
    });
    const id = await newJob();
    await a.enqueue(id);
    await waitFor("the job to start", async () => (await statusOf(id)) === "processing");
    expect(await stores.jobs.cancel("user:q", id)).toBe("processing");
    await waitFor("the handler to be told", () => reason !== undefined, LEASE_MS * 2);
    expect(reason).toBeInstanceOf(LeaseLost);
    expect((reason as Error).message).toMatch(/canceled/);
    expect(await statusOf(id)).toBe("canceled");
  });

  it("fails the job, without the cause, when the handler throws", async () => {
    const a = instance();
    const before = errors.length;
    a.start(async () => {
      throw new Error("secret internals");
    });
    const id = await newJob();
    await a.enqueue(id);
    await waitFor("the job to fail", async () => (await statusOf(id)) === "failed");
    const row = await stores.jobs.getById(id);
    expect(row?.error?.message).toMatch(/internal error/);
    expect(row?.error?.message).not.toMatch(/secret/);
    expect(errors.slice(before).map(String).join()).toMatch(/secret internals/);
  });
});
