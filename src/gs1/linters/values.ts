// Linters on small fixed vocabularies and on the shape of a number: yesno, winding, hyphen,
// zero, nonzero, nozeroprefix, hasnondigit and importeridx.
import { codePointLength } from "../cset82.js";
import { faultAt, firstNonDigit, isDigitAt, type LintFault, quoteChar } from "./fault.js";

/** Importer Index characters of an EU 2018/574 Facility or Machine ID: `-`, 0-9, A-Z, `_`, a-z. */
const IMPORTER_INDEX = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

/** Lints `value` as "0" (no) or "1" (yes) (linter `yesno`); anything else is a fault at 1. */
export function lintYesNo(value: string): LintFault {
  return value === "0" || value === "1" ? null : faultAt(value, 0, 'Only "0" or "1" is allowed.');
}

/**
 * Lints `value` as a roll's winding direction for AI (8001): "0" face out, "1" face in or "9"
 * undefined (linter `winding`); anything else is a fault at position 1.
 */
export function lintWinding(value: string): LintFault {
  if (value === "0" || value === "1" || value === "9") return null;
  return faultAt(value, 0, 'The winding direction is "0", "1" or "9".');
}

/** Lints `value` as one or more hyphens (linter `hyphen`); else a whole-value fault at 1. */
export function lintHyphen(value: string): LintFault {
  return /^-+$/.test(value) ? null : faultAt(value, 0, 'Only "-" is allowed here.');
}

/** Lints `value` as one or more zeros (linter `zero`); else a whole-value fault at position 1. */
export function lintZero(value: string): LintFault {
  return /^0+$/.test(value) ? null : faultAt(value, 0, "The value must be zero.");
}

/**
 * Lints `value` as digits that are not all zero (linter `nonzero`). Faults: the first non-digit,
 * or a zero (or empty) value at position 1.
 */
export function lintNonZero(value: string): LintFault {
  const nonDigit = firstNonDigit(value);
  if (nonDigit) return nonDigit;
  return /[1-9]/.test(value) ? null : faultAt(value, 0, "The value must not be zero.");
}

/**
 * Lints `value` as digits not starting with 0 (linter `nozeroprefix`); the empty string passes.
 * Faults: the first non-digit, or a leading 0 at position 1.
 */
export function lintNoZeroPrefix(value: string): LintFault {
  const nonDigit = firstNonDigit(value);
  if (nonDigit) return nonDigit;
  return value.startsWith("0") ? faultAt(value, 0, "The value must not start with 0.") : null;
}

/**
 * Lints `value` as containing at least one character that is not a digit (linter
 * `hasnondigit`), which keeps an AI (8014) MUDI apart from all-numeric keys; else position 1.
 */
export function lintHasNonDigit(value: string): LintFault {
  for (let i = 0; i < value.length; i++) if (!isDigitAt(value, i)) return null;
  return faultAt(value, 0, "The value needs at least one character that is not a digit.");
}

/**
 * Lints `value` as a single Importer Index character (linter `importeridx`), GS1 General
 * Specifications, EU 2018/574 tobacco traceability. Faults at position 1: a length other than 1,
 * or a character outside `-`, 0-9, A-Z, `_`, a-z.
 */
export function lintImporterIndex(value: string): LintFault {
  if (codePointLength(value) !== 1) {
    return faultAt(value, 0, "An importer index is exactly 1 character.");
  }
  if (IMPORTER_INDEX.includes(value)) return null;
  return faultAt(value, 0, `${quoteChar(value, 0)} cannot be an importer index.`);
}
