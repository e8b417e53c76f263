import { describe } from "vitest";
import {
  lintHasNonDigit,
  lintHyphen,
  lintImporterIndex,
  lintNonZero,
  lintNoZeroPrefix,
  lintWinding,
  lintYesNo,
  lintZero,
} from "../../../src/gs1/linters/values.js";
import { checkCases, fail, pass } from "./cases.js";

// "engine" rows: unit tests of gs1/gs1-syntax-engine src/c-lib/syntax/lint_<name>.c, the
// reference the dictionary's docs/lint__<name>_8c.html pages document.

describe("lintYesNo (yesno)", () => {
  const E = "engine lint_yesno.c";
  checkCases(lintYesNo, [
    pass("0", E),
    pass("1", E),
    fail("**", 'Only "0" or "1"', E),
    fail("*/*", 'Only "0" or "1"', E),
    fail("*2*", 'Only "0" or "1"', E),
    fail("*01*", 'Only "0" or "1"', E),
  ]);
});

describe("lintWinding (winding)", () => {
  const E = "engine lint_winding.c";
  checkCases(lintWinding, [
    pass("0", E),
    pass("1", E),
    pass("9", E),
    fail("*2*", "winding direction", E),
    fail("*8*", "winding direction", E),
    fail("**", "winding direction", E),
    fail("*/*", "winding direction", E),
    fail("*:*", "winding direction", E),
    fail("*01*", "winding direction", E),
  ]);
});

describe("lintHyphen (hyphen)", () => {
  const E = "engine lint_hyphen.c";
  checkCases(lintHyphen, [
    pass("-", E),
    pass("--", E),
    fail("**", 'Only "-"', E),
    fail("*X*", 'Only "-"', E),
    fail("*XX*", 'Only "-"', E),
  ]);
});

describe("lintZero (zero)", () => {
  const E = "engine lint_zero.c";
  checkCases(lintZero, [
    pass("0", E),
    pass("00", E),
    pass("000", E),
    fail("**", "must be zero", E),
    fail("*1*", "must be zero", E),
    fail("*01*", "must be zero", E),
    fail("*10*", "must be zero", E),
    fail("*110*", "must be zero", E),
    fail("*X*", "must be zero", E),
    fail("*0X*", "must be zero", E),
  ]);
});

describe("lintNonZero (nonzero)", () => {
  const E = "engine lint_nonzero.c";
  checkCases(lintNonZero, [
    pass("1", E),
    pass("01", E),
    pass("10", E),
    pass("0009", E),
    pass("9000", E),
    pass("01234567890", E),
    fail("*0*", "must not be zero", E),
    fail("*000*", "must not be zero", E),
    fail("*0000*", "must not be zero", E),
    fail("**", "must not be zero", E),
    fail("*A*999", '"A" is not a digit', E),
    fail("9*A*99", '"A" is not a digit', E),
    fail("999*A*", '"A" is not a digit', E),
  ]);
});

describe("lintNoZeroPrefix (nozeroprefix)", () => {
  const E = "engine lint_nozeroprefix.c";
  checkCases(lintNoZeroPrefix, [
    pass("", E),
    pass("1", E),
    pass("10", E),
    pass("210", E),
    pass("1234567890", E),
    fail("*0*", "must not start with 0", E),
    fail("*0*1", "must not start with 0", E),
    fail("*0*123", "must not start with 0", E),
    fail("*A*999", '"A" is not a digit', E),
    fail("99*A*9", '"A" is not a digit', E),
  ]);
});

describe("lintHasNonDigit (hasnondigit)", () => {
  const E = "engine lint_hasnondigit.c";
  checkCases(lintHasNonDigit, [
    pass("/", E),
    pass(":", E),
    pass("/123456789", E),
    pass("012345678:", E),
    pass("A1", E),
    pass("1A1", E),
    fail("**", "not a digit", E),
    fail("*0*", "not a digit", E),
    fail("*9*", "not a digit", E),
    fail("*0123456789*", "not a digit", E),
    fail("*111*", "not a digit", E),
  ]);
});

describe("lintImporterIndex (importeridx)", () => {
  const E = "engine lint_importeridx.c";
  checkCases(lintImporterIndex, [
    pass("-", E),
    pass("0", E),
    pass("9", E),
    pass("A", E),
    pass("Z", E),
    pass("_", E),
    pass("a", E),
    pass("z", E),
    fail("**", "exactly 1 character", E),
    fail("*AA*", "exactly 1 character", E),
    fail("* *", "cannot be an importer index", E),
    fail("*@*", "cannot be an importer index", E),
    fail("*é*", "cannot be an importer index", "outside ASCII"),
  ]);
});
