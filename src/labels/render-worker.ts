// Entry of a render thread (see render-pool.ts). Lowers its own scheduling priority first: on
// Linux, setpriority on the calling thread's id affects that thread alone, so the HTTP event
// loop of the same process keeps its priority.
import { setPriority } from "node:os";
import { renderBatch } from "./render-batch.js";

try {
  setPriority(19);
} catch {
  // Not permitted (some containers): the threads then share the CPU at normal priority.
}

export default renderBatch;
