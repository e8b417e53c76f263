import { describe, expect, it } from "vitest";
import { lintCouponCode, lintCouponPosOffer } from "../../../src/gs1/linters/coupons.js";
import { checkCases, fail, pass } from "./cases.js";

// "engine" rows: unit tests of gs1/gs1-syntax-engine src/c-lib/syntax/lint_<name>.c, the
// reference the dictionary's docs/lint__<name>_8c.html pages document. The rows marked NACAG are
// the worked examples of the "North American Coupon Application Guideline Using GS1 DataBar
// Expanded Symbols" R2.0, as that unit test carries them.
const NOW = new Date("2026-05-01T12:00:00Z");
const E = "engine lint_couponcode.c";
const NACAG = "NACAG R2.0 example, via engine lint_couponcode.c";
// The mandatory fields: GCP (VLI 0, 6 digits), offer code, save value (VLI 1), first purchase
// requirement (VLI 1), its code 0 and family code 123.
const BASE = "012345612345611110123";

describe("lintCouponCode (couponcode)", () => {
  checkCases(
    (v) => lintCouponCode(v, NOW),
    [
      pass(BASE, E),
      pass("10614141011111275110111", NACAG),
      pass("106141410222223100110222111101231023456721104561045678991201", NACAG),
      pass("1061414165432131501101201211014092110256100126663101231", NACAG),
      pass("106141410012342501106501013085093101231", NACAG),
      pass("106141410012471011076011110850921108609310123191000", NACAG),
      pass("106141411234562891101201212085010048000214025610048000310123191000", NACAG),
      pass("106141416543213500110000310123196000", NACAG),
      // Mandatory fields.
      fail("*a*12345612345611110123", '"a" is not a digit', E),
      fail("**", "ends where the GS1 Company Prefix length indicator should be", E),
      fail("0*1*", "The GS1 Company Prefix needs 6 digits; 1 remain", E),
      fail("6*12345678901*", "needs 12 digits", E),
      fail(
        "*7*1234567890123",
        "The GS1 Company Prefix length indicator is 7; it must be 0 to 6",
        E,
      ),
      fail("*0123456*", "The offer code needs 6 digits; 0 remain", E),
      fail("0123456*12345*", "The offer code needs 6 digits; 5 remain", E),
      fail("*0123456123456*", "ends where the save value length indicator should be", E),
      fail("0123456123456*0*", "save value length indicator is 0; it must be 1 to 5", E),
      fail("01234561234562*1*", "The save value needs 2 digits", E),
      fail("0123456123456*6*123456", "must be 1 to 5", E),
      fail("*012345612345611*", "first purchase requirement length indicator", E),
      fail("012345612345611*0*", "must be 1 to 5", E),
      fail("*01234561234561111*", "first purchase requirement code should be", E),
      fail(
        "01234561234561111*5*",
        "first purchase requirement code is 5; it must be 0 to 4 or 9",
        E,
      ),
      fail("*012345612345611119*", "first purchase family code needs 3 digits; 0 remain", E),
      fail("012345612345611110*12*", "first purchase family code needs 3 digits; 2 remain", E),
      // Optional field 1.
      fail(`*${BASE}1*`, "additional purchase rules code should be", E),
      fail(`${BASE}1*4*`, "additional purchase rules code is 4; it must be 0 to 3", E),
      fail(`${BASE}10*0*`, "second purchase requirement length indicator is 0", E),
      fail(`${BASE}1011*5*`, "second purchase requirement code is 5", E),
      fail(`*${BASE}10110123*`, "second purchase GS1 Company Prefix length indicator should be", E),
      pass(`${BASE}101101230123456`, E),
      pass(`${BASE}101101239`, `${E}: VLI 9, no second GCP`),
      fail(`${BASE}10110123*7*1234567890123`, "must be 0 to 6 or 9", E),
      fail(`${BASE}101101231*123456*`, "second purchase GS1 Company Prefix needs 7 digits", E),
      fail(`${BASE}101101239*1*`, "Unexpected digits follow the last coupon field", E),
      // Optional field 2.
      fail(`*${BASE}2*`, "third purchase requirement length indicator should be", E),
      fail(`${BASE}2*0*`, "must be 1 to 5", E),
      pass(`${BASE}21101230123456`, E),
      fail(`${BASE}211*5*`, "third purchase requirement code is 5", E),
      fail(`${BASE}21101236*12345678901*`, "third purchase GS1 Company Prefix needs 12 digits", E),
      // Optional fields 3 and 4: dates.
      fail(`*${BASE}3*`, "The expiration date needs 6 digits; 0 remain", E),
      fail(`${BASE}3*12345*`, "The expiration date needs 6 digits; 5 remain", E),
      pass(`${BASE}3200229`, E),
      pass(`${BASE}3960229`, `${E}: YY 96 is 1996, a leap year`),
      fail(`${BASE}3*201310*`, "The expiration date is not a date: Month 13 does not exist", E),
      fail(`${BASE}3*210229*`, "February 2021 has 28 days", E),
      fail(`${BASE}3*200600*`, "Day 00 is not allowed", E),
      fail(`${BASE}3200229*0*`, "Unexpected digits", E),
      fail(`*${BASE}4*`, "The start date needs 6 digits; 0 remain", E),
      pass(`${BASE}4200229`, E),
      fail(`${BASE}4*200132*`, "The start date is not a date", E),
      pass(`${BASE}35006064500606`, `${E}: start on the expiration day`),
      fail(`${BASE}*3*5006064500607`, "The expiration date is before the start date", E),
      pass(`${BASE}30001014991231`, "§7.12: expiry 2000-01-01 after start 1999-12-31"),
      // Optional field 5.
      fail(`*${BASE}5*`, "serial number length indicator should be", E),
      fail(`*${BASE}50*`, "The serial number needs 6 digits; 0 remain", E),
      fail(`${BASE}50*12345*`, "The serial number needs 6 digits; 5 remain", E),
      pass(`${BASE}50123456`, E),
      pass(`${BASE}59123456789012345`, E),
      fail(`${BASE}50123456*0*`, "Unexpected digits", E),
      // Optional field 6.
      fail(`*${BASE}6*`, "retailer GCP or GLN length indicator should be", E),
      fail(`${BASE}6*0*`, "retailer GCP or GLN length indicator is 0; it must be 1 to 7", E),
      fail(`${BASE}61*123456*`, "The retailer GCP or GLN needs 7 digits", E),
      pass(`${BASE}611234567`, E),
      pass(`${BASE}671234567890123`, E),
      fail(`${BASE}6*8*12345678901234`, "must be 1 to 7", E),
      // Optional field 9.
      fail(`*${BASE}9*`, "save value code should be", E),
      fail(`${BASE}9*3*`, "The save value code is 3; it must be 0, 1, 2, 5 or 6", E),
      fail(`*${BASE}90*`, "save value applies to item should be", E),
      fail(`${BASE}90*3*`, "The save value applies to item is 3; it must be 0 to 2", E),
      fail(`*${BASE}900*`, "store coupon flag should be", E),
      fail(`*${BASE}9000*`, "don't multiply flag should be", E),
      pass(`${BASE}90000`, E),
      pass(`${BASE}90001`, E),
      fail(`${BASE}9000*2*`, "The don't multiply flag is 2; it must be 0 or 1", E),
      fail(`${BASE}90000*0*`, "Unexpected digits", E),
      // Unknown or repeated optional fields.
      fail(`${BASE}*0*`, "Unexpected digits", E),
      fail(`${BASE}*7*`, "Unexpected digits", E),
      fail(`${BASE}90000*9*0000`, "Unexpected digits", "hand-made: field 9 twice"),
      fail(`${BASE}90000*3*200229`, "Unexpected digits", "hand-made: field 3 after field 9"),
    ],
  );

  it("judges two-digit years from today by default", () => {
    expect(lintCouponCode("106141416543213500110000310123196000")).toBeNull();
  });
});

describe("lintCouponPosOffer (couponposoffer)", () => {
  const P = "engine lint_couponposoffer.c";
  checkCases(lintCouponPosOffer, [
    pass("001234561234560123456", P),
    pass("101234561234560123456", P),
    pass("0012345612345611234567", P),
    pass("001234561234569123456789012345", P),
    pass("061234567890121234569123456789012345", P),
    fail("*a*01234561234560123456", '"a" is not a digit', P),
    fail("00123456123456012345*a*", '"a" is not a digit', P),
    fail("**", "ends where the format code should be", P),
    fail("*2*01234561234560123456", "The format code is 2; it must be 0 or 1", P),
    fail("*9*01234561234560123456", "must be 0 or 1", P),
    fail("*0*", "funder ID length indicator should be", P),
    fail("*00*", "The funder ID needs 6 digits; 0 remain", P),
    fail("00*12345*", "The funder ID needs 6 digits; 5 remain", P),
    fail("06*12345678901*", "The funder ID needs 12 digits", P),
    fail("0*7*", "funder ID length indicator is 7; it must be 0 to 6", P),
    fail("*00123456*", "The offer code needs 6 digits; 0 remain", P),
    fail("00123456*12345*", "The offer code needs 6 digits; 5 remain", P),
    fail("*00123456123456*", "serial number length indicator should be", P),
    fail("*001234561234560*", "The serial number needs 6 digits; 0 remain", P),
    fail("001234561234569*12345678901234*", "The serial number needs 15 digits", P),
    fail("001234561234560123456*7*", "Unexpected digits", P),
    fail("061234567890121234569123456789012345*6*", "Unexpected digits", P),
  ]);
});
