// Building blocks shared by the linters: turning a UTF-16 index into the 1-based code-point
// position a LintFault reports, and small helpers for the messages.
import type { LintFault } from "./index.js";

/**
 * Returns a fault at UTF-16 `index` of `value` (0 for the whole value), reported as a 1-based
 * position in code points, so an emoji before the fault counts once, as it does in cset82.ts.
 */
export function faultAt(value: string, index: number, detail: string): LintFault {
  let position = 1;
  for (let i = 0; i < index && i < value.length; i++) {
    const c = value.charCodeAt(i);
    // A high surrogate followed by a low one is one character: skip the low half.
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff && i + 1 < index) i++;
    }
    position++;
  }
  return { position, detail };
}

/** Returns the character (one code point) at UTF-16 `index` of `value`, JSON-quoted. */
export function quoteChar(value: string, index: number): string {
  const cp = value.codePointAt(index);
  return cp === undefined ? '""' : JSON.stringify(String.fromCodePoint(cp));
}

/** Returns true when the UTF-16 unit at `index` of `value` is an ASCII digit. */
export function isDigitAt(value: string, index: number): boolean {
  const c = value.charCodeAt(index);
  return c >= 48 && c <= 57;
}

/**
 * Returns the fault for the first non-digit among the first `limit` UTF-16 units of `value`
 * (default: all of them), or null when they are all ASCII digits.
 */
export function firstNonDigit(value: string, limit = value.length): LintFault {
  const end = Math.min(limit, value.length);
  for (let i = 0; i < end; i++) {
    if (!isDigitAt(value, i)) return faultAt(value, i, `${quoteChar(value, i)} is not a digit.`);
  }
  return null;
}

/** Returns "1 character" or "n characters". */
export function characters(n: number): string {
  return n === 1 ? "1 character" : `${n} characters`;
}
