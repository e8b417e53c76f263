// GTIN-8/12/13/14 and AI (01): normalisation to GTIN-14 and the GS1 mod-10 check digit (linter
// `csum`), GS1 General Specifications §7.9.1 (check digit calculation).

/** GTIN lengths in digits: GTIN-8 (EAN-8), GTIN-12 (UPC-A), GTIN-13 (EAN-13), GTIN-14. */
export const GTIN_LENGTHS: readonly number[] = [8, 12, 13, 14];

/** The outcome of a check-digit test: the digit found and the digit the data calls for. */
export interface CsumResult {
  /** True when `checkDigit` equals `expected`. */
  valid: boolean;
  /** The last digit of the number as given. */
  checkDigit: number;
  /** The mod-10 check digit of the digits before it. */
  expected: number;
}

/**
 * Returns the GS1 mod-10 check digit (0-9) of `data`, the digits without the check digit:
 * weights 3, 1, 3, ... from the rightmost digit, then the distance up to a multiple of ten.
 * Leading zeros do not change it, so GTIN-8/12/13 and their GTIN-14 forms agree. Throws
 * RangeError if `data` is empty or holds anything but ASCII digits.
 */
export function computeCheckDigit(data: string): number {
  if (!/^[0-9]+$/.test(data))
    throw new RangeError(`check digit data must be digits; got ${JSON.stringify(data)}`);
  let sum = 0;
  for (let i = data.length - 1, weight = 3; i >= 0; i--, weight = 4 - weight) {
    sum += (data.charCodeAt(i) - 48) * weight;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * Checks the last digit of `digits` (a whole GTIN or other GS1 key, check digit included)
 * against the mod-10 check digit of the rest (linter `csum`). Throws RangeError if `digits` has
 * fewer than 2 characters or a non-digit.
 */
export function checkCsum(digits: string): CsumResult {
  if (digits.length < 2)
    throw new RangeError(`csum needs at least 2 digits; got ${JSON.stringify(digits)}`);
  const expected = computeCheckDigit(digits.slice(0, -1));
  const checkDigit = digits.charCodeAt(digits.length - 1) - 48;
  if (checkDigit < 0 || checkDigit > 9)
    throw new RangeError(`csum needs digits; got ${JSON.stringify(digits)}`);
  return { valid: checkDigit === expected, checkDigit, expected };
}

/**
 * Returns `gtin` (8, 12, 13 or 14 ASCII digits) left-padded with zeros to the 14 digits of
 * AI (01); the check digit is not verified (see checkCsum). Throws RangeError for any other length
 * or a non-digit.
 */
export function toGtin14(gtin: string): string {
  if (!/^[0-9]+$/.test(gtin) || !GTIN_LENGTHS.includes(gtin.length)) {
    throw new RangeError(`a GTIN has 8, 12, 13 or 14 digits; got ${JSON.stringify(gtin)}`);
  }
  return gtin.padStart(14, "0");
}
