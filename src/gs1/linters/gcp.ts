// GS1 Company Prefix linters: gcppos1, gcppos2 and key. They check the form a GCP must have
// (at least its shortest length, 4 digits, at the start) as the reference linters do by default;
// whether the prefix is actually allocated needs GS1's licensee data, which the reference also
// leaves to an optional lookup hook and which we do not have.

import { faultAt, isDigitAt, type LintFault, quoteChar } from "./fault.js";

/** The shortest GS1 Company Prefix in digits (GCP_MIN_LENGTH of the reference linters). */
export const GCP_MIN_LENGTH = 4;

/**
 * Lints `value` as starting with a GS1 Company Prefix (linter `gcppos1`): its first 4
 * characters must be digits. Faults: fewer than 4 characters (position 1), or the first
 * non-digit among the 4.
 */
export function lintGcpPos1(value: string): LintFault {
  return lintGcpAt(value, 0);
}

/**
 * Lints `value` as a GS1 Company Prefix from its second character (linter `gcppos2`), as in a
 * GTIN-14 or SSCC after the indicator or extension digit. Faults as lintGcpPos1, one further on;
 * a value shorter than 5 characters is too short (position 1 if it has under 2, else 2).
 */
export function lintGcpPos2(value: string): LintFault {
  return lintGcpAt(value, 1);
}

/**
 * Lints `value` as a GS1 key, i.e. starting with a GS1 Company Prefix (linter `key`, which the
 * coupon linters apply to their GCP fields): the same rule as lintGcpPos1.
 */
export function lintKey(value: string): LintFault {
  return lintGcpAt(value, 0);
}

function lintGcpAt(value: string, start: number): LintFault {
  // The reference gcppos2 reports a value too short to have a position 2 as a whole.
  const from = value.length <= start ? 0 : start;
  if (value.length - start < GCP_MIN_LENGTH) {
    return faultAt(value, from, `A GS1 Company Prefix needs ${GCP_MIN_LENGTH} digits here.`);
  }
  for (let i = start; i < start + GCP_MIN_LENGTH; i++) {
    if (!isDigitAt(value, i)) {
      return faultAt(value, i, `${quoteChar(value, i)} cannot be part of a GS1 Company Prefix.`);
    }
  }
  return null;
}
