// src/server/render-gate.ts: heavy renders run a few at a time, the next ones wait a bounded time
// in a bounded queue, the rest get 503 with Retry-After at once; light renders never wait.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { RenderPlan } from "../../src/index.js";
import { ProblemError } from "../../src/server/problems.js";
import { gatedRenderer, renderGate } from "../../src/server/render-gate.js";

/** A plan whose drawing finishes when the test says so. */
function plan(heavy: boolean) {
  let finish: (b: Buffer) => void = () => {};
  let started = false;
  const p: RenderPlan = {
    contentType: "image/png",
    pixels: 0,
    heavy,
    draw: () => {
      started = true;
      return new Promise<Buffer>((resolve) => {
        finish = resolve;
      });
    },
  };
  return { p, started: () => started, finish: (s: string) => finish(Buffer.from(s)) };
}

function expectOverloaded(err: unknown) {
  expect(err).toBeInstanceOf(ProblemError);
  expect((err as ProblemError).code).toBe("service_unavailable");
  expect((err as ProblemError).extras.retryAfter).toBe(2);
}

afterEach(() => vi.useRealTimers());

describe("renderGate", () => {
  it("runs `concurrency` heavy renders, queues `maxQueue`, refuses the rest at once", async () => {
    const gate = renderGate({ concurrency: 2, maxWaitMs: 60_000, maxQueue: 2 });
    const plans = Array.from({ length: 5 }, () => plan(true));
    const results = plans.map((x) => gate.draw(x.p).then(String, (e: unknown) => e));
    expect(plans.map((x) => x.started())).toEqual([true, true, false, false, false]);
    expect(gate.load).toEqual({ running: 2, waiting: 2 });
    expectOverloaded(await results[4]);

    // Light renders never wait, however busy the heavy ones are.
    const light = plan(false);
    const lightResult = gate.draw(light.p);
    expect(light.started()).toBe(true);
    light.finish("light");
    expect(String(await lightResult)).toBe("light");

    // A finished heavy render lets the next waiting one start, in arrival order.
    plans[0].finish("a");
    expect(await results[0]).toBe("a");
    expect(plans.map((x) => x.started())).toEqual([true, true, true, false, false]);
    for (const [i, x] of plans.slice(1, 4).entries()) {
      x.finish(String(i));
      await results[i + 1];
    }
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });

  it("refuses a heavy render that waited longer than maxWaitMs", async () => {
    vi.useFakeTimers();
    const gate = renderGate({ concurrency: 1, maxWaitMs: 1000 });
    const running = plan(true);
    const waiting = plan(true);
    void gate.draw(running.p);
    const result = gate.draw(waiting.p).catch((e: unknown) => e);
    vi.advanceTimersByTime(999);
    expect(gate.load.waiting).toBe(1);
    vi.advanceTimersByTime(1);
    expectOverloaded(await result);
    expect(waiting.started()).toBe(false);
    expect(gate.load).toEqual({ running: 1, waiting: 0 });
  });
});

describe("gatedRenderer", () => {
  it("plans, then draws through the gate", async () => {
    const gate = renderGate({ concurrency: 1, maxWaitMs: 10 });
    const render = gatedRenderer(
      () => ({ ...plan(false).p, draw: async () => Buffer.from("x") }),
      gate,
    );
    expect(await render({})).toEqual({ body: Buffer.from("x"), contentType: "image/png" });
  });
});
