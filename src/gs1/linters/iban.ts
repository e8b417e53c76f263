// The `iban` linter for AI (8007): an International Bank Account Number, ISO 13616-1, checked
// for its character set, its ISO 3166 country code and its mod-97 check digits (ISO 7064).

import { ISO3166_ALPHA2 } from "./code-tables.js";
import { faultAt, type LintFault, quoteChar } from "./fault.js";

// Shorter than this cannot hold country, check digits and an account; the reference linter uses
// the same floor rather than per-country lengths.
const IBAN_MIN_LENGTH = 11;

/**
 * Lints `value` as an IBAN (linter `iban`). Faults: fewer than 11 characters (position 1), a
 * character other than 0-9 or A-Z, a first pair that is not an ISO 3166 alpha-2 country code
 * (position 1), or check digits that do not make the number 1 mod 97 (position 3).
 */
export function lintIban(value: string): LintFault {
  if (value.length < IBAN_MIN_LENGTH) {
    return faultAt(value, 0, `An IBAN has at least ${IBAN_MIN_LENGTH} characters.`);
  }
  for (let i = 0; i < value.length; i++) {
    if (!/[0-9A-Z]/.test(value[i])) {
      return faultAt(value, i, `${quoteChar(value, i)} cannot appear in an IBAN (0-9, A-Z only).`);
    }
  }
  const country = value.slice(0, 2);
  if (!ISO3166_ALPHA2.has(country)) {
    return faultAt(value, 0, `${JSON.stringify(country)} is not an ISO 3166 country code.`);
  }
  if (mod97(value.slice(4) + value.slice(0, 4)) === 1) return null;
  return faultAt(value, 2, `The check digits ${value.slice(2, 4)} do not match the account.`);
}

/** Returns the IBAN digits of `text` (A = 10 ... Z = 35) taken as one number, mod 97. */
function mod97(text: string): number {
  let rest = 0;
  for (const char of text) {
    const digits = char <= "9" ? char : String(char.charCodeAt(0) - 55);
    // Folding digit by digit keeps the running value small: (10r + d) mod 97 is exact.
    for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest;
}
