import { describe } from "vitest";
import {
  lintCset39,
  lintCset64,
  lintCset82,
  lintCsetNumeric,
} from "../../../src/gs1/linters/charsets.js";
import { checkCases, fail, pass } from "./cases.js";

// "engine" rows: unit tests of gs1/gs1-syntax-engine src/c-lib/syntax/lint_<name>.c, the
// reference the dictionary's docs/lint__<name>_8c.html pages document.

describe("lintCset82 (cset82)", () => {
  const E = "engine lint_cset82.c";
  checkCases(lintCset82, [
    pass("", E),
    pass("!\"%&'()*+,-/012345", E),
    pass("6789:;<=>?ABCDEFGHIJ", E),
    pass("KLMNOPQRSTUVWXYZ_abc", E),
    pass("defghijklmnopqrstuvwxyz", E),
    fail("* *", '" " is not in set 82', E),
    fail("ABC* *", "is not in set 82", E),
    fail("AB* *C", "is not in set 82", E),
    fail("* *ABC", "is not in set 82", E),
    fail("A*😀*B#", '"😀" is not in set 82', "hand-made: an emoji is one character"),
  ]);
});

describe("lintCsetNumeric (csetnumeric)", () => {
  const E = "engine lint_csetnumeric.c";
  checkCases(lintCsetNumeric, [
    pass("", E),
    pass("0", E),
    pass("0123456789", E),
    fail("*/*", '"/" is not a digit', E),
    fail("*:*", '":" is not a digit', E),
    fail("*a*0", "is not a digit", E),
    fail("0*a*", "is not a digit", E),
    fail("1*٣*", "is not a digit", "hand-made: an Arabic-Indic digit is not an ASCII digit"),
  ]);
});

describe("lintCset39 (cset39)", () => {
  const E = "engine lint_cset39.c";
  checkCases(lintCset39, [
    pass("", E),
    pass("#-/0123456789ABCDEFG", E),
    pass("HIJKLMNOPQRSTUVWXYZ", E),
    fail("*_*", '"_" is not in set 39', E),
    fail("ABC*_*", "is not in set 39", E),
    fail("AB*_*C", "is not in set 39", E),
    fail("*_*ABC", "is not in set 39", E),
    fail("AB*c*", "is not in set 39", "hand-made: set 39 has no lower case"),
  ]);
});

describe("lintCset64 (cset64)", () => {
  const E = "engine lint_cset64.c";
  checkCases(lintCset64, [
    pass("", E),
    pass("1", E),
    pass("12", E),
    pass("123", E),
    pass("12=", E),
    pass("1==", E),
    pass("ABCDEFGHIJKLMNOPQRSTUVWXYZ", E),
    pass("abcdefghijklmnopqrstuvwxyz", E),
    pass("0123456789-_", E),
    fail("*===*", 'The padding "===" does not fit a value of 3 characters', E),
    fail("123*=*", 'The padding "=" does not fit a value of 4 characters', E),
    fail("12*==*", "does not fit", E),
    fail("1*===*", "does not fit", E),
    fail("1234*=*", "does not fit", E),
    fail("12*======*", "does not fit", E),
    fail("*=*", "does not fit", E),
    fail("*=*23", '"=" is not in set 64', E),
    fail("1*=*3", '"=" is not in set 64', E),
    fail("12*=*4", '"=" is not in set 64', E),
    fail("ABC* *", '" " is not in set 64', E),
    fail("* *ABC", "is not in set 64", E),
    fail("*+*", '"+" is not in set 64', `${E}: "+" and "/" are base64, not base64url`),
    fail("*/*", "is not in set 64", E),
    fail("*~*", "is not in set 64", E),
  ]);
});
