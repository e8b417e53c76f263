// Check-digit linters: `csum`, the GS1 mod-10 check digit (GS1 General Specifications §7.9.1),
// and `csumalpha`, the check character pair of alphanumeric keys such as GMN (§7.9.5).
import { CSET82 } from "../cset82.js";
import { computeCheckDigit } from "../gtin.js";
import { faultAt, firstNonDigit, type LintFault, quoteChar } from "./fault.js";

/** The 32 characters a csumalpha check pair is drawn from, in value order (§7.9.5). */
export const CSET32 = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/**
 * Lints `value` as digits whose last one is the GS1 mod-10 check digit of all before it (linter
 * `csum`). A single digit carries its own check: only "0" passes, as the reference linter
 * computes it over no data. Faults: empty value (position 1), the first non-digit, or a wrong
 * check digit (its position).
 */
export function lintCsum(value: string): LintFault {
  if (value.length === 0) return faultAt(value, 0, "A check digit needs at least one digit.");
  const nonDigit = firstNonDigit(value);
  if (nonDigit) return nonDigit;
  const last = value.length - 1;
  const expected = last === 0 ? 0 : computeCheckDigit(value.slice(0, last));
  const found = value.charCodeAt(last) - 48;
  if (found === expected) return null;
  return faultAt(
    value,
    last,
    `The check digit is ${found}; the digits before it give ${expected}.`,
  );
}

/**
 * Returns the csumalpha check pair (two CSET32 characters) for `data`, characters of set 82:
 * each character's index in CSET82 times a prime weight (2 on the rightmost, then 3, 5, 7, ...
 * leftwards), summed mod 1021, whose 10 bits split into two 5-bit CSET32 indexes.
 * GS1 General Specifications §7.9.5. Throws RangeError for a character outside set 82.
 */
export function computeCheckPair(data: string): string {
  const weights = primes(data.length);
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    const value = CSET82.indexOf(data[i]);
    if (value < 0) throw new RangeError(`${JSON.stringify(data[i])} is not in set 82`);
    sum += value * weights[data.length - 1 - i];
  }
  sum %= 1021;
  return CSET32[sum >> 5] + CSET32[sum & 31];
}

/**
 * Lints `value` as set-82 data followed by its csumalpha check pair (linter `csumalpha`).
 * Faults: fewer than 2 characters (position 1), a data character outside set 82, a check
 * character outside CSET32, or a wrong pair (position of its first character). Unlike the
 * reference linter there is no length ceiling: the prime weights are generated as needed.
 */
export function lintCsumAlpha(value: string): LintFault {
  if (value.length < 2) {
    return faultAt(value, 0, "A check character pair needs at least 2 characters.");
  }
  const pairAt = value.length - 2;
  for (let i = 0; i < pairAt; i++) {
    if (!CSET82.includes(value[i])) {
      return faultAt(value, i, `${quoteChar(value, i)} is not in set 82.`);
    }
  }
  for (let i = pairAt; i < value.length; i++) {
    if (!CSET32.includes(value[i])) {
      return faultAt(value, i, `${quoteChar(value, i)} cannot be a check character.`);
    }
  }
  const expected = computeCheckPair(value.slice(0, pairAt));
  const found = value.slice(pairAt);
  if (found === expected) return null;
  return faultAt(
    value,
    pairAt,
    `The check characters are "${found}"; the data gives "${expected}".`,
  );
}

// Primes found so far, grown on demand; csumalpha needs one weight per data character.
const PRIMES: number[] = [2];

/** Returns the first `count` primes (2, 3, 5, ...), extending the shared list as needed. */
function primes(count: number): readonly number[] {
  for (let n = PRIMES[PRIMES.length - 1] + 1; PRIMES.length < count; n++) {
    if (PRIMES.every((p) => p * p > n || n % p !== 0)) PRIMES.push(n);
  }
  return PRIMES;
}
