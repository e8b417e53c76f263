// Bulk label export for one server process: its stores (the service's own database), the queue
// (BullMQ on Redis when REDIS_URL is set, else the embedded queue in the database), the render
// threads, the service the routes call, and the runner that takes jobs.
import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import { BullJobQueue } from "./jobs/bullmq-queue.js";
import { openLabelStores } from "./jobs/open.js";
import type { JobQueue } from "./jobs/queue.js";
import { SqlJobQueue } from "./jobs/sql-queue.js";
import { createRenderPool } from "./render-pool.js";
import { type LabelEvents, startRunner } from "./runner.js";
import { LabelService } from "./service.js";

export interface Labels {
  service: LabelService;
  /** The HMAC secret of download URLs, the same on every instance. */
  secret: string;
  /** Stops taking jobs (the running one stops at a checkpoint) and closes everything. */
  close(): Promise<void>;
}

/** Opens label export per `config`; `run` false serves the API without taking jobs. */
export async function openLabels(
  config: Config,
  logger: Logger,
  options: { run: boolean; events?: LabelEvents } = { run: true },
): Promise<Labels> {
  const dir = config.labels.dir;
  await mkdir(dir, { recursive: true });
  const stores = await openLabelStores({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
  });
  const secret =
    config.labels.signingSecret ??
    (await stores.settings.getOrCreate("labels_signing_secret", () =>
      randomBytes(32).toString("base64url"),
    ));
  const onError = (err: unknown, context: { jobId?: string; what: string }) =>
    logger.warn(
      { err: String(err), job_id: context.jobId },
      `label queue could not ${context.what}`,
    );
  const queue: JobQueue =
    config.redisUrl !== null
      ? new BullJobQueue(stores.jobs, {
          redisUrl: config.redisUrl,
          prefix: `${config.redisKeyPrefix}labels`,
          leaseMs: config.labels.leaseMs,
          onError,
        })
      : new SqlJobQueue(stores.jobs, { leaseMs: config.labels.leaseMs, onError });
  const pool = createRenderPool(config.labels.threads);
  const now = () => Date.now();
  const service = new LabelService({
    jobs: stores.jobs,
    usage: stores.usage,
    serials: stores.serials,
    queue,
    dir,
    limits: {
      maxItems: config.labels.maxItems,
      pdfMaxPages: config.labels.pdfMaxPages,
      perDay: config.labels.perDay,
      maxActive: config.labels.maxActive,
    },
    now,
    onSubmitted: () => options.events?.job("submitted"),
  });
  const runner = options.run
    ? startRunner(
        queue,
        {
          jobs: stores.jobs,
          serials: stores.serials,
          pool,
          dir,
          ttlMs: config.labels.ttlHours * 3_600_000,
          now,
          logger,
        },
        logger,
        options.events,
      )
    : null;
  return {
    service,
    secret,
    close: async () => {
      await runner?.stop();
      await pool.close();
      await stores.close();
    },
  };
}
