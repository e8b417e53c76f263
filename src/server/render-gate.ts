// A bound on heavy renders (large PNGs, PNGs with HRI): at most a few run at once per process,
// the next ones wait in a short queue, and past it or past the wait the request gets 503 with
// Retry-After — so a burst of costly requests cannot take the machine's memory and CPU from
// everyone else, while light requests (SVG, PDF, small PNGs) never queue.
import type { Renderer, RenderPlan } from "../index.js";
import { ProblemError } from "./problems.js";

/** Options of renderGate. */
export interface GateOptions {
  /** Heavy renders running at once in this process. */
  concurrency: number;
  /** Longest a heavy render waits for a slot before its request gets 503, in ms. */
  maxWaitMs: number;
  /** Heavy renders allowed to wait; one more gets 503 at once. Default: 16 per slot. */
  maxQueue?: number;
}

/** Runs plans: light ones at once, heavy ones under the gate's bound. */
export interface RenderGate {
  /** Resolves to the plan's image; rejects with 503 service_unavailable when over the bound. */
  draw(plan: RenderPlan): Promise<Buffer>;
  /** Heavy renders running and waiting now. */
  readonly load: { readonly running: number; readonly waiting: number };
}

/** Seconds a client refused by the gate is asked to wait. */
export const RENDER_RETRY_SECONDS = 2;

function overloaded(): ProblemError {
  return new ProblemError("service_unavailable", {
    detail:
      "Too many large renders (big or HRI PNGs) are in progress. Please retry shortly, or ask " +
      "for svg or pdf, which are never queued.",
    retryAfter: RENDER_RETRY_SECONDS,
  });
}

/** Returns a gate admitting `concurrency` heavy renders at once (see GateOptions). */
export function renderGate(options: GateOptions): RenderGate {
  const { concurrency, maxWaitMs } = options;
  const maxQueue = options.maxQueue ?? 16 * concurrency;
  let running = 0;
  const waiting: { start: () => void; timer: NodeJS.Timeout }[] = [];

  const release = () => {
    running--;
    const next = waiting.shift();
    if (next !== undefined) {
      clearTimeout(next.timer);
      next.start();
    }
  };

  const drawHeavy = (plan: RenderPlan): Promise<Buffer> => {
    const run = () => {
      running++;
      return plan.draw().finally(release);
    };
    if (running < concurrency) return run();
    if (waiting.length >= maxQueue) return Promise.reject(overloaded());
    return new Promise<Buffer>((resolve, reject) => {
      const entry = {
        start: () => run().then(resolve, reject),
        timer: setTimeout(() => {
          waiting.splice(waiting.indexOf(entry), 1);
          reject(overloaded());
        }, maxWaitMs),
      };
      waiting.push(entry);
    });
  };

  return {
    draw: (plan) => (plan.heavy ? drawHeavy(plan) : plan.draw()),
    get load() {
      return { running, waiting: waiting.length };
    },
  };
}

/**
 * Returns the HTTP renderer: `plan` validates and encodes (422 on bad input), then `gate` draws
 * the image (503 when heavy renders are over their bound).
 */
export function gatedRenderer(plan: (payload: unknown) => RenderPlan, gate: RenderGate): Renderer {
  return async (payload) => {
    const p = plan(payload);
    return { body: await gate.draw(p), contentType: p.contentType };
  };
}
