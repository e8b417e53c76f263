// Vector rows for the linter tests and the it.each that runs them. Failing rows are written as the
// reference linters' unit tests mark them, "2001*32*": the value without the stars, the fault at
// the first star. Positions then come from the reference (its 0-based err_pos + 1), not from us.
import { expect, it } from "vitest";
import type { Linter } from "../../../src/gs1/linters/fault.js";

/** One vector: a value and the expected verdict, with where it comes from. */
export interface LintCase {
  value: string;
  /** null when the value passes; else the expected 1-based position. */
  position: number | null;
  /** A stable fragment of the expected detail. */
  detail?: string;
  source: string;
}

/** A value that passes. */
export function pass(value: string, source: string): LintCase {
  return { value, position: null, source };
}

/**
 * A value that fails, written with its fault marked by stars ("20*13*10"): the position is the
 * first star's. `detail` is a fragment the message must contain.
 */
export function fail(marked: string, detail: string, source: string): LintCase {
  const first = marked.indexOf("*");
  const second = marked.indexOf("*", first + 1);
  if (first < 0 || second < 0) throw new Error(`no *...* mark in ${JSON.stringify(marked)}`);
  const value = marked.slice(0, first) + marked.slice(first + 1, second) + marked.slice(second + 1);
  // Positions count code points, so an emoji before the mark counts once.
  return { value, position: [...marked.slice(0, first)].length + 1, detail, source };
}

/** Runs `linter` over `cases`, one test per row. */
export function checkCases(linter: Linter, cases: readonly LintCase[]): void {
  it.each(cases)("$value → $position ($source)", ({ value, position, detail }) => {
    const fault = linter(value);
    if (position === null) {
      expect(fault).toBeNull();
      return;
    }
    expect(fault?.position).toBe(position);
    if (detail !== undefined) expect(fault?.detail).toContain(detail);
    // Every detail is a sentence.
    expect(fault?.detail).toMatch(/^[A-Z"].*\.$/);
  });
}
