// The render threads of one process (piscina), at the lowest CPU priority, so a million-label
// job takes the cores the HTTP event loop leaves idle and never the other way round.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import type { BatchResult, BatchTask } from "./render-batch.js";

/** Runs batches on worker threads. */
export interface RenderPool {
  run(task: BatchTask): Promise<BatchResult>;
  readonly threads: number;
  close(): Promise<void>;
}

/**
 * Returns a pool of `threads` render threads (started on first use, kept while busy, ended
 * after a minute idle). Under vitest/tsx this file runs from src/, where a worker thread cannot
 * load TypeScript: the compiled worker in build/js is used then (npm test builds first).
 */
export function createRenderPool(threads: number): RenderPool {
  const piscina = new Piscina({
    filename: workerFile(),
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: 60_000,
    // One task per thread at a time, a few queued: the coordinator keeps its own window.
    concurrentTasksPerWorker: 1,
  });
  return {
    threads,
    run: (task) => piscina.run(task) as Promise<BatchResult>,
    close: () => piscina.destroy(),
  };
}

function workerFile(): string {
  const here = new URL("./render-worker.js", import.meta.url);
  const path = fileURLToPath(here);
  if (existsSync(path)) return here.href;
  return new URL("../../build/js/labels/render-worker.js", import.meta.url).href;
}
