// The `pcenc` linter: percent-encoding as RFC 3986 §2.1 defines it, used by the name and
// address AIs (4300-4320, 7253-7259) to carry characters outside set 82.

import { faultAt, type LintFault } from "./fault.js";

/**
 * Lints `value` so that every "%" starts a "%XX" escape with two hex digits of either case
 * (linter `pcenc`); text without "%" passes. Fault: the position of the first "%" that does not.
 */
export function lintPercentEncoding(value: string): LintFault {
  for (let i = value.indexOf("%"); i >= 0; i = value.indexOf("%", i + 3)) {
    if (!/^%[0-9A-Fa-f]{2}/.test(value.slice(i, i + 3))) {
      return faultAt(value, i, 'A "%" must be followed by two hexadecimal digits.');
    }
  }
  return null;
}
