// Code-list linters: a component must be one of a published list of codes. The lists are in
// code-tables.ts (ISO 3166, ISO 4217, PackageTypeCode); the short ones live here.

import { ISO3166_ALPHA2, ISO3166_NUMERIC, ISO4217_NUMERIC, PACKAGE_TYPES } from "./code-tables.js";
import { faultAt, type LintFault } from "./fault.js";

/** ISO/IEC 5218 sex codes: 0 not known, 1 male, 2 female, 9 not applicable. */
const ISO5218 = new Set(["0", "1", "2", "9"]);

/**
 * AIDC media types of AI (7241), GS1 General Specifications table "AIDC media type values": 01-10
 * are ICCBBA assignments and 80-99 ICCBBA local or national use; 00 is unused and 11-79 reserved.
 */
const MEDIA_TYPES = new Set([
  ..."01 02 03 04 05 06 07 08 09 10".split(" "),
  ...Array.from({ length: 20 }, (_, i) => String(80 + i)),
]);

/** Returns a whole-value fault (position 1) unless `codes` has `value`. */
function lintListed(value: string, codes: ReadonlySet<string>, what: string): LintFault {
  return codes.has(value) ? null : faultAt(value, 0, `${JSON.stringify(value)} is not ${what}.`);
}

/** Lints `value` as an ISO 3166-1 numeric country code (linter `iso3166`); else position 1. */
export function lintIso3166(value: string): LintFault {
  return lintListed(value, ISO3166_NUMERIC, "an ISO 3166 numeric country code");
}

/**
 * Lints `value` as an ISO 3166-1 numeric country code or "999", which AIs (7030)-(7039) use for
 * a processor whose country is not stated (linter `iso3166999`); else position 1.
 */
export function lintIso3166Or999(value: string): LintFault {
  if (value === "999") return null;
  return lintListed(value, ISO3166_NUMERIC, 'an ISO 3166 numeric country code or "999"');
}

/** Lints `value` as an ISO 3166-1 alpha-2 country code, upper case (linter `iso3166alpha2`). */
export function lintIso3166Alpha2(value: string): LintFault {
  return lintListed(value, ISO3166_ALPHA2, "an ISO 3166 two-letter country code");
}

/** Lints `value` as an ISO 4217 numeric currency code (linter `iso4217`); else position 1. */
export function lintIso4217(value: string): LintFault {
  return lintListed(value, ISO4217_NUMERIC, "an ISO 4217 numeric currency code");
}

/** Lints `value` as an ISO/IEC 5218 sex code, 0, 1, 2 or 9 (linter `iso5218`); else position 1. */
export function lintIso5218(value: string): LintFault {
  return lintListed(value, ISO5218, "an ISO/IEC 5218 code (0, 1, 2 or 9)");
}

/** Lints `value` as a GS1 PackageTypeCode, e.g. "BX" (linter `packagetype`); else position 1. */
export function lintPackageType(value: string): LintFault {
  return lintListed(value, PACKAGE_TYPES, "a GS1 package type code");
}

/** Lints `value` as an AIDC media type, 01-10 or 80-99 (linter `mediatype`); else position 1. */
export function lintMediaType(value: string): LintFault {
  return lintListed(value, MEDIA_TYPES, "an AIDC media type (01-10 or 80-99)");
}
