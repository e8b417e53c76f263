// src/render/bounded-cache.ts: the writers' page caches stay bounded and give back what was kept.
import { describe, expect, it } from "vitest";
import { BoundedCache } from "../../src/render/bounded-cache.js";

describe("BoundedCache", () => {
  it("gives back what was kept, and empties itself rather than pass its limit", () => {
    const cache = new BoundedCache<number>(3);
    expect(cache.set("a", 1)).toBe(1);
    cache.set("b", 2);
    cache.set("c", 3);
    expect([cache.get("a"), cache.get("b"), cache.get("c"), cache.size]).toEqual([1, 2, 3, 3]);
    cache.set("d", 4); // full: emptied first
    expect([cache.get("a"), cache.get("d"), cache.size]).toEqual([undefined, 4, 1]);
  });

  it("replaces the value of a key it keeps", () => {
    const cache = new BoundedCache<string>(2);
    cache.set("k", "old");
    cache.set("k", "new");
    expect(cache.get("k")).toBe("new");
  });
});
