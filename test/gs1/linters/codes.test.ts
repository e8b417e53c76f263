import { describe, expect, it } from "vitest";
import {
  ISO3166_ALPHA2,
  ISO3166_NUMERIC,
  ISO4217_NUMERIC,
  PACKAGE_TYPES,
} from "../../../src/gs1/linters/code-tables.js";
import {
  lintIso3166,
  lintIso3166Alpha2,
  lintIso3166Or999,
  lintIso4217,
  lintIso5218,
  lintMediaType,
  lintPackageType,
} from "../../../src/gs1/linters/codes.js";
import { checkCases, fail, pass } from "./cases.js";

// "engine" rows: unit tests of gs1/gs1-syntax-engine src/c-lib/syntax/lint_<name>.c, the
// reference the dictionary's docs/lint__<name>_8c.html pages document.

describe("code tables", () => {
  // Counts of the source lists (see the comments in code-tables.ts), guarding the copy.
  it.each([
    ["ISO3166_NUMERIC", ISO3166_NUMERIC, 249],
    ["ISO3166_ALPHA2", ISO3166_ALPHA2, 249],
    ["ISO4217_NUMERIC", ISO4217_NUMERIC, 179],
    ["PACKAGE_TYPES", PACKAGE_TYPES, 431],
  ] as const)("%s holds %#: %i codes", (_, table, count) => {
    expect(table.size).toBe(count);
  });

  it("holds codes of the documented shapes only", () => {
    for (const code of ISO3166_NUMERIC) expect(code).toMatch(/^[0-9]{3}$/);
    for (const code of ISO4217_NUMERIC) expect(code).toMatch(/^[0-9]{3}$/);
    for (const code of ISO3166_ALPHA2) expect(code).toMatch(/^[A-Z]{2}$/);
    for (const code of PACKAGE_TYPES) expect(code).toMatch(/^[0-9A-Z]{1,3}$/);
  });
});

describe("lintIso3166 (iso3166)", () => {
  const E = "engine lint_iso3166.c";
  checkCases(lintIso3166, [
    pass("004", E),
    pass("008", E),
    pass("031", E),
    pass("250", "France, ISO 3166-1"),
    pass("276", "Germany, ISO 3166-1"),
    pass("826", "United Kingdom, ISO 3166-1"),
    pass("840", "United States, ISO 3166-1"),
    pass("894", E),
    fail("*000*", '"000" is not an ISO 3166 numeric country code', E),
    fail("*001*", "is not an ISO 3166", E),
    fail("*005*", "is not an ISO 3166", E),
    fail("*999*", "is not an ISO 3166", E),
    fail("**", "is not an ISO 3166", E),
    fail("*0*", "is not an ISO 3166", E),
    fail("*0000*", "is not an ISO 3166", E),
    fail("*_894*", "is not an ISO 3166", E),
    fail("*894_*", "is not an ISO 3166", E),
    fail("*AAA*", "is not an ISO 3166", E),
  ]);
});

describe("lintIso3166Or999 (iso3166999)", () => {
  const E = "engine lint_iso3166999.c";
  checkCases(lintIso3166Or999, [
    pass("999", E),
    pass("004", E),
    pass("894", E),
    fail("*000*", 'or "999"', E),
    fail("*998*", 'or "999"', E),
    fail("**", 'or "999"', E),
    fail("*99*", 'or "999"', E),
    fail("*9999*", 'or "999"', E),
    fail("*_999*", 'or "999"', E),
    fail("*AAA*", 'or "999"', E),
  ]);
});

describe("lintIso3166Alpha2 (iso3166alpha2)", () => {
  const E = "engine lint_iso3166alpha2.c";
  checkCases(lintIso3166Alpha2, [
    pass("AD", E),
    pass("AX", E),
    pass("GB", "ISO 3166-1"),
    pass("ZW", "ISO 3166-1"),
    fail("*AA*", '"AA" is not an ISO 3166 two-letter country code', E),
    fail("*AN*", "two-letter", `${E}: Netherlands Antilles, withdrawn`),
    fail("*CS*", "two-letter", E),
    fail("**", "two-letter", E),
    fail("*A*", "two-letter", E),
    fail("*AAA*", "two-letter", E),
    fail("*_AD*", "two-letter", E),
    fail("*gb*", "two-letter", "ISO 3166-1 alpha-2 codes are upper case"),
  ]);
});

describe("lintIso4217 (iso4217)", () => {
  const E = "engine lint_iso4217.c";
  checkCases(lintIso4217, [
    pass("008", E),
    pass("012", E),
    pass("978", "euro, ISO 4217"),
    pass("840", "US dollar, ISO 4217"),
    pass("999", "ISO 4217 'no currency'"),
    pass("926", "VED, in the 637b41fa list"),
    fail("*191*", "ISO 4217", "HRK, withdrawn 2023; absent from the 637b41fa list"),
    fail("*000*", '"000" is not an ISO 4217 numeric currency code', E),
    fail("*004*", "ISO 4217", E),
    fail("*010*", "ISO 4217", E),
    fail("**", "ISO 4217", E),
    fail("*0000*", "ISO 4217", E),
    fail("*_999*", "ISO 4217", E),
    fail("*AAA*", "ISO 4217", E),
  ]);
});

describe("lintIso5218 (iso5218)", () => {
  const E = "engine lint_iso5218.c";
  checkCases(lintIso5218, [
    pass("0", E),
    pass("1", E),
    pass("2", E),
    pass("9", E),
    fail("**", "ISO/IEC 5218", E),
    fail("*/*", "ISO/IEC 5218", E),
    fail("*3*", "ISO/IEC 5218", E),
    fail("*8*", "ISO/IEC 5218", E),
    fail("*:*", "ISO/IEC 5218", E),
    fail("*01*", "ISO/IEC 5218", E),
  ]);
});

describe("lintPackageType (packagetype)", () => {
  const E = "engine lint_packagetype.c";
  checkCases(lintPackageType, [
    pass("1A", E),
    pass("200", E),
    pass("8", E),
    pass("9", E),
    pass("APE", E),
    pass("BX", "box, UN/ECE Recommendation 21"),
    pass("PX", "pallet, UN/ECE Recommendation 21"),
    pass("ZZ", E),
    fail("**", "is not a GS1 package type code", E),
    fail("*0*", "package type", E),
    fail("*00*", "package type", E),
    fail("*0000*", "package type", E),
    fail("*_9*", "package type", E),
    fail("*9_*", "package type", E),
    fail("*_1A*", "package type", E),
    fail("*200_*", "package type", E),
    fail("*bx*", "package type", "codes are upper case"),
  ]);
});

describe("lintMediaType (mediatype)", () => {
  const E = "engine lint_mediatype.c";
  checkCases(lintMediaType, [
    pass("01", E),
    pass("10", E),
    pass("80", E),
    pass("99", E),
    fail("*00*", "AIDC media type", E),
    fail("*11*", "AIDC media type", E),
    fail("*30*", "AIDC media type", E),
    fail("*79*", "AIDC media type", E),
    fail("**", "AIDC media type", E),
    fail("*0*", "AIDC media type", E),
    fail("*000*", "AIDC media type", E),
    fail("*_01*", "AIDC media type", E),
    fail("*AA*", "AIDC media type", E),
  ]);
});
