// The ETag memo (src/server/etag-memo.ts): bounded by characters, oldest out first, emptied at
// the turn of the UTC year.
import { describe, expect, it } from "vitest";
import { EtagMemo, MAX_MEMO_BODY_CHARS } from "../../src/server/etag-memo.js";

const NOW = Date.UTC(2026, 11, 7, 12);

describe("EtagMemo", () => {
  it("returns the ETag a body was answered with, and undefined for another body", () => {
    const memo = new EtagMemo();
    memo.set('{"gtin":"1"}', '"a"', NOW);
    expect(memo.get('{"gtin":"1"}', NOW)).toBe('"a"');
    expect(memo.get('{"gtin": "1"}', NOW)).toBeUndefined();
  });

  it("drops the oldest bodies once the characters kept pass the limit", () => {
    // Each entry: 4 characters of body + 3 of ETag = 7; a limit of 20 keeps two.
    const memo = new EtagMemo(20);
    for (const body of ["b001", "b002", "b003"]) memo.set(body, '"x"', NOW);
    expect([memo.get("b001", NOW), memo.get("b002", NOW), memo.get("b003", NOW)]).toEqual([
      undefined,
      '"x"',
      '"x"',
    ]);
    expect(memo.size).toBe(2);
  });

  it("keeps no body longer than MAX_MEMO_BODY_CHARS", () => {
    const memo = new EtagMemo();
    memo.set("x".repeat(MAX_MEMO_BODY_CHARS + 1), '"x"', NOW);
    expect(memo.size).toBe(0);
  });

  it("forgets everything when the UTC year changes (two-digit years are judged against it)", () => {
    const memo = new EtagMemo();
    memo.set("b", '"x"', Date.UTC(2026, 11, 31, 23, 59));
    expect(memo.get("b", Date.UTC(2026, 11, 31, 23, 59, 59))).toBe('"x"');
    expect(memo.get("b", Date.UTC(2027, 0, 1))).toBeUndefined();
  });
});
