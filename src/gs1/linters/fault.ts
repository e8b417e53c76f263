// What a linter answers (LintFault) and the building blocks the linters share: turning a UTF-16
// index into the 1-based code-point position a LintFault reports, and small helpers for the
// messages. The types live here, not in index.ts, so the linter files import only downward.

/**
 * A linter's verdict on one component value: null = fine; else the 1-based position of the first
 * offending character (1 when the whole value is wrong) and a sentence saying what is wrong
 * (without the AI, which the caller names).
 */
export type LintFault = { position: number; detail: string } | null;
/** What a linter may judge by besides the value. */
export interface LintContext {
  /** The date two-digit years take their century from (§7.12); default the current date. */
  now?: Date;
}
/** Checks one component value; never throws for any string. */
export type Linter = (value: string, context?: LintContext) => LintFault;

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
