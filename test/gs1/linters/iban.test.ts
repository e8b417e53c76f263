import { describe } from "vitest";
import { lintIban } from "../../../src/gs1/linters/iban.js";
import { checkCases, fail, pass } from "./cases.js";

// "engine" rows: unit tests of gs1/gs1-syntax-engine src/c-lib/syntax/lint_iban.c, the reference
// the dictionary's docs/lint__iban_8c.html page documents.
const E = "engine lint_iban.c";

describe("lintIban (iban)", () => {
  checkCases(lintIban, [
    pass("GB82WEST12345698765432", "ISO 13616 / ECBS example IBAN"),
    pass("FR7630006000011234567890189", E),
    pass("DE91100000000123456789", E),
    pass("GR9608100010000001234567890", E),
    pass("MU43BOMM0101123456789101000MUR", E),
    pass("PK70BANK0000123456789000", E),
    pass("PL10105000997603123456789123", E),
    pass("RO09BCYP0000001234567890", E),
    pass("SA4420000001234567891234", E),
    pass("ES7921000813610123456789", E),
    pass("CH5604835012345678009", E),
    pass("GB98MIDL07009312345678", E),
    pass("BE71096123456769", E),
    fail("BE*71*096123456760", "The check digits 71 do not match", E),
    pass("LC14BOSL123456789012345678901234", E),
    fail("LC*14*BOSL123456789012345678901230", "check digits 14", E),
    fail("**", "at least 11 characters", E),
    fail("*B*", "at least 11 characters", E),
    fail("*BE71*", "at least 11 characters", E),
    fail("LC14BOSL*x*x3456789012345678901230", '"x" cannot appear in an IBAN', E),
    fail("*XX*361234567890", '"XX" is not an ISO 3166 country code', E),
  ]);
});
