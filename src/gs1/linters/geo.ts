// Coordinate linters for AI (4309): WGS84 latitude and longitude, each as 10 digits. The value
// is the coordinate in micro-degrees shifted to be non-negative (latitude + 90, longitude + 180),
// so the ranges are 0 to 1800000000 and 0 to 3600000000.

import { codePointLength } from "../cset82.js";
import { characters, faultAt, firstNonDigit, type LintFault } from "./fault.js";

/**
 * Lints `value` as a latitude, 10 digits from 0000000000 to 1800000000 (linter `latitude`).
 * Faults: a length other than 10 (position 1), the first non-digit, or a value over the range
 * (position 1).
 */
export function lintLatitude(value: string): LintFault {
  return lintCoordinate(value, "latitude", 1_800_000_000);
}

/**
 * Lints `value` as a longitude, 10 digits from 0000000000 to 3600000000 (linter `longitude`),
 * with the faults of lintLatitude.
 */
export function lintLongitude(value: string): LintFault {
  return lintCoordinate(value, "longitude", 3_600_000_000);
}

function lintCoordinate(value: string, what: string, max: number): LintFault {
  if (value.length !== 10) {
    const has = characters(codePointLength(value));
    return faultAt(value, 0, `A ${what} has 10 digits; this value has ${has}.`);
  }
  const nonDigit = firstNonDigit(value);
  if (nonDigit) return nonDigit;
  // Ten digits stay below 2^53, so Number is exact.
  if (Number(value) <= max) return null;
  return faultAt(value, 0, `A ${what} runs from 0000000000 to ${max}.`);
}
