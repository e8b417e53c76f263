// src/limits/batch.ts: the calls of one event-loop turn travel together, results come back in
// order, and a failed batch fails each of its calls.
import { describe, expect, it } from "vitest";
import { batchPerTurn } from "../../src/limits/batch.js";

describe("batchPerTurn", () => {
  it("hands the calls of one turn to run() together and resolves each with its own result", async () => {
    const batches: number[][] = [];
    const double = batchPerTurn(async (items: number[]) => {
      batches.push(items);
      return items.map((n) => 2 * n);
    });
    const first = await Promise.all([double(1), double(2), double(3)]);
    const second = await double(4);
    expect({ first, second, batches }).toEqual({
      first: [2, 4, 6],
      second: 8,
      batches: [[1, 2, 3], [4]],
    });
  });

  it("rejects every call of a batch whose run() rejects or throws", async () => {
    const failing = batchPerTurn(async (_items: number[]): Promise<number[]> => {
      throw new Error("store down");
    });
    const throwing = batchPerTurn((_items: number[]): Promise<number[]> => {
      throw new Error("bad call");
    });
    const results = await Promise.allSettled([failing(1), failing(2), throwing(3)]);
    expect(
      results.map((r) => (r.status === "rejected" ? (r.reason as Error).message : r.value)),
    ).toEqual(["store down", "store down", "bad call"]);
  });
});
