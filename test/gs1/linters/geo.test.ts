import { describe } from "vitest";
import { lintLatitude, lintLongitude } from "../../../src/gs1/linters/geo.js";
import { checkCases, fail, pass } from "./cases.js";

// "engine" rows: unit tests of gs1/gs1-syntax-engine src/c-lib/syntax/lint_<name>.c, the
// reference the dictionary's docs/lint__<name>_8c.html pages document.

describe("lintLatitude (latitude)", () => {
  const E = "engine lint_latitude.c";
  checkCases(lintLatitude, [
    pass("0279085848", E),
    pass("0000000000", E),
    pass("1800000000", E),
    fail("*027908584*", "A latitude has 10 digits; this value has 9 characters", E),
    fail("*02790858481*", "has 11 characters", E),
    fail("*1800000001*", "runs from 0000000000 to 1800000000", E),
    fail("02790*x*5848", '"x" is not a digit', "hand-made: a letter inside ten characters"),
  ]);
});

describe("lintLongitude (longitude)", () => {
  const E = "engine lint_longitude.c";
  checkCases(lintLongitude, [
    pass("3015297971", E),
    pass("0000000000", E),
    pass("3600000000", E),
    fail("*301529797*", "A longitude has 10 digits", E),
    fail("*30152979711*", "has 11 characters", E),
    fail("*3600000001*", "runs from 0000000000 to 3600000000", E),
    fail("*9999999999*", "runs from", "hand-made: the largest ten digits"),
  ]);
});
