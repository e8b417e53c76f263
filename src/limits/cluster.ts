// Rate-limit counts shared by the workers of one machine: the cluster primary counts (in memory,
// on its one event loop, so exactly), the workers ask it over IPC. Ours rather than
// rate-limiter-flexible's cluster limiter, which sends one message per window per request each
// way: measured under `npm run bench:http` that cost the primary 46 µs of CPU per request and
// the workers about as much again, so two workers served no more than one. Here a worker sends
// what its requests of one event-loop turn need in one message and gets one answer (primary
// 17-21 µs per request; two workers then serve 1.33-1.36 times what one does).
import cluster from "node:cluster";
import { batchPerTurn } from "./batch.js";
import type { Decision, RateLimiter, Window } from "./limiter.js";
import { MemoryRateLimiter } from "./limiters.js";

// One count: [subject, [limit, seconds, maxSubjects (0 = unbounded), limit, seconds, ...], and
// 1 to peek (count nothing) or 0].
type Ask = [string, number[], number];
// Its answer: [allowed (1/0), [remaining, resetMs, remaining, resetMs, ...]].
type Answer = [number, number[]];

interface AskMessage {
  type: "dm:rl:ask";
  batch: number;
  asks: Ask[];
}
interface AnswerMessage {
  type: "dm:rl:answer";
  batch: number;
  answers: Answer[];
}

/**
 * Starts counting for the workers in the primary: answers every worker's asks with the
 * decisions of one MemoryRateLimiter, in arrival order, and returns that limiter (for metrics).
 * Call once in the primary, before forking.
 */
export function startClusterCounting(): MemoryRateLimiter {
  if (!cluster.isPrimary) throw new Error("startClusterCounting() belongs in the primary.");
  const counter = new MemoryRateLimiter();
  // One Window object per (limit, seconds, maxSubjects), so the counter's window cache hits.
  const windows = new Map<string, Window>();
  const windowOf = (limit: number, seconds: number, max: number): Window => {
    const id = `${limit}/${seconds}/${max}`;
    let w = windows.get(id);
    if (w === undefined) {
      w = max === 0 ? { limit, seconds } : { limit, seconds, maxSubjects: max };
      windows.set(id, w);
    }
    return w;
  };
  cluster.on("message", (worker, message: AskMessage) => {
    if (message?.type !== "dm:rl:ask") return;
    // Every count of the batch starts (and increments) now, in order; answers follow together.
    const decisions = message.asks.map(([subject, flat, peek]) => {
      const ws: Window[] = [];
      for (let i = 0; i < flat.length; i += 3) ws.push(windowOf(flat[i], flat[i + 1], flat[i + 2]));
      const decided = peek === 1 ? counter.peek(subject, ws) : counter.consume(subject, ws);
      return decided.then((d): Answer => {
        const states: number[] = [];
        for (const w of d.windows) states.push(w.remaining, w.resetMs);
        return [d.allowed ? 1 : 0, states];
      });
    });
    Promise.all(decisions).then((answers) => {
      if (!worker.isConnected()) return;
      const reply: AnswerMessage = { type: "dm:rl:answer", batch: message.batch, answers };
      worker.send(reply);
    });
  });
  return counter;
}

// A batch unanswered this long fails its requests: only a wedged primary takes longer.
const ANSWER_TIMEOUT_MS = 2000;

interface Waiting {
  resolve: (answers: Answer[]) => void;
  reject: (err: Error) => void;
  sentAt: number;
}

/**
 * Counts in the cluster primary's memory (see startClusterCounting): exact across the workers of
 * one machine. Use in workers only.
 */
export class ClusterRateLimiter implements RateLimiter {
  readonly #waiting = new Map<number, Waiting>();
  #nextBatch = 0;
  readonly #ask = batchPerTurn(
    (asks: Ask[]) =>
      new Promise<Answer[]>((resolve, reject) => {
        const batch = this.#nextBatch++;
        this.#waiting.set(batch, { resolve, reject, sentAt: Date.now() });
        const message: AskMessage = { type: "dm:rl:ask", batch, asks };
        process.send?.(message);
      }),
  );

  constructor() {
    if (!cluster.isWorker) throw new Error("ClusterRateLimiter needs a cluster worker.");
    process.on("message", (message: AnswerMessage) => {
      if (message?.type !== "dm:rl:answer") return;
      const waiting = this.#waiting.get(message.batch);
      this.#waiting.delete(message.batch);
      waiting?.resolve(message.answers);
    });
    setInterval(() => this.#expire(), ANSWER_TIMEOUT_MS / 2).unref();
  }

  consume(subject: string, windows: readonly Window[]): Promise<Decision> {
    return this.#decide(subject, windows, 0);
  }

  peek(subject: string, windows: readonly Window[]): Promise<Decision> {
    return this.#decide(subject, windows, 1);
  }

  #decide(subject: string, windows: readonly Window[], peek: number): Promise<Decision> {
    const flat: number[] = [];
    for (const w of windows) flat.push(w.limit, w.seconds, w.maxSubjects ?? 0);
    return this.#ask([subject, flat, peek]).then(([allowed, states]) => ({
      allowed: allowed === 1,
      windows: windows.map((w, i) => ({
        limit: w.limit,
        seconds: w.seconds,
        remaining: states[2 * i],
        resetMs: states[2 * i + 1],
      })),
    }));
  }

  #expire(): void {
    const old = Date.now() - ANSWER_TIMEOUT_MS;
    for (const [batch, waiting] of this.#waiting) {
      if (waiting.sentAt > old) continue;
      this.#waiting.delete(batch);
      waiting.reject(new Error("The cluster primary did not answer a rate-limit count in time."));
    }
  }
}
