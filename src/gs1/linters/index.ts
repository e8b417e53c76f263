// The GS1 Barcode Syntax Dictionary linters by name: one function per linter the dictionary
// (gs1/gs1-syntax-dictionary, GS1 AISBL) names on an AI component, plus the character-set
// checks its component types N, X, Y and Z imply. The families live in the files beside this one.

import { lintCset39, lintCset64, lintCset82, lintCsetNumeric } from "./charsets.js";
import { lintCsum, lintCsumAlpha } from "./check-digits.js";
import {
  lintIso3166,
  lintIso3166Alpha2,
  lintIso3166Or999,
  lintIso4217,
  lintIso5218,
  lintMediaType,
  lintPackageType,
} from "./codes.js";
import { lintCouponCode, lintCouponPosOffer } from "./coupons.js";
import {
  lintHh,
  lintHhmi,
  lintMi,
  lintSs,
  lintYymmd0,
  lintYymmdd,
  lintYyyymmd0,
  lintYyyymmdd,
} from "./dates.js";
import type { LintContext, Linter } from "./fault.js";
import { lintGcpPos1, lintGcpPos2, lintKey } from "./gcp.js";
import { lintLatitude, lintLongitude } from "./geo.js";
import { lintIban } from "./iban.js";
import { lintPercentEncoding } from "./percent.js";
import { lintPieceOfTotal, lintPositionInSequence } from "./position.js";
import {
  lintHasNonDigit,
  lintHyphen,
  lintImporterIndex,
  lintNonZero,
  lintNoZeroPrefix,
  lintWinding,
  lintYesNo,
  lintZero,
} from "./values.js";

export type { LintContext, Linter, LintFault } from "./fault.js";

/**
 * Every linter we implement, by its dictionary name (also "cset82", "cset39", "cset64",
 * "csetnumeric" for component types X, Y, Z and N). Each takes one component value, already cut
 * to its component; positions count code points from 1. Date linters judge the century of a
 * two-digit year from the current date (GS1 General Specifications §7.12).
 */
export const LINTERS: Readonly<Record<string, Linter>> = Object.freeze({
  // Component types.
  csetnumeric: lintCsetNumeric,
  cset82: lintCset82,
  cset39: lintCset39,
  cset64: lintCset64,
  // Check digits and GS1 keys.
  csum: lintCsum,
  csumalpha: lintCsumAlpha,
  gcppos1: lintGcpPos1,
  gcppos2: lintGcpPos2,
  key: lintKey,
  // Dates and times. Two-digit years take their century from context.now; wrapped so the
  // context object, not a bare second argument (an array index from map), reaches "now".
  yymmd0: (value: string, context?: LintContext) => lintYymmd0(value, context?.now),
  yymmdd: (value: string, context?: LintContext) => lintYymmdd(value, context?.now),
  yyyymmd0: lintYyyymmd0,
  yyyymmdd: lintYyyymmdd,
  hhmi: lintHhmi,
  hh: lintHh,
  mi: lintMi,
  ss: lintSs,
  // Code lists.
  iso3166: lintIso3166,
  iso3166999: lintIso3166Or999,
  iso3166alpha2: lintIso3166Alpha2,
  iso4217: lintIso4217,
  iso5218: lintIso5218,
  packagetype: lintPackageType,
  mediatype: lintMediaType,
  // Single values and number shapes.
  yesno: lintYesNo,
  winding: lintWinding,
  hyphen: lintHyphen,
  zero: lintZero,
  nonzero: lintNonZero,
  nozeroprefix: lintNoZeroPrefix,
  hasnondigit: lintHasNonDigit,
  importeridx: lintImporterIndex,
  // Structured values.
  pieceoftotal: lintPieceOfTotal,
  posinseqslash: lintPositionInSequence,
  latitude: lintLatitude,
  longitude: lintLongitude,
  iban: lintIban,
  pcenc: lintPercentEncoding,
  couponcode: (value: string, context?: LintContext) => lintCouponCode(value, context?.now),
  couponposoffer: lintCouponPosOffer,
});

/**
 * Linters named by the dictionary that we cannot run, with why (e.g. data we lack). Callers
 * must refuse an AI that names one rather than pass it unchecked. Empty today: every linter in
 * the dictionary has an implementation above. The GCP linters (gcppos1, gcppos2, key) check a
 * prefix's form, as the reference linters do by default; checking that a prefix is allocated
 * would need GS1's licensee data, which the reference also leaves to an optional lookup.
 */
export const UNSUPPORTED_LINTERS: Readonly<Record<string, string>> = Object.freeze({});
