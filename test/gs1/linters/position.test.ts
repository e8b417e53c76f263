import { describe } from "vitest";
import { lintPieceOfTotal, lintPositionInSequence } from "../../../src/gs1/linters/position.js";
import { checkCases, fail, pass } from "./cases.js";

// "engine" rows: unit tests of gs1/gs1-syntax-engine src/c-lib/syntax/lint_<name>.c, the
// reference the dictionary's docs/lint__<name>_8c.html pages document.

describe("lintPieceOfTotal (pieceoftotal)", () => {
  const E = "engine lint_pieceoftotal.c";
  checkCases(lintPieceOfTotal, [
    pass("11", E),
    pass("13", E),
    pass("99", E),
    pass("0101", E),
    pass("0203", E),
    pass("9899", E),
    pass("001003", E),
    pass("999999", E),
    fail("**", "even number of digits", E),
    fail("*1*", "even number of digits", E),
    fail("*111*", "even number of digits", E),
    fail("*111111111*", "even number of digits", E),
    fail("*x*5555555", '"x" is not a digit', E),
    fail("5555*x*555", '"x" is not a digit', E),
    fail("5555555*x*", '"x" is not a digit', E),
    fail("*0*1", "piece number must not be zero", E),
    fail("*0*0", "piece number must not be zero", E),
    fail("1*0*", "total must not be zero", E),
    fail("*00*01", "piece number must not be zero", E),
    fail("01*00*", "total must not be zero", E),
    fail("001*000*", "total must not be zero", E),
    fail("*21*", "Piece 2 is past the total of 1", E),
    fail("*0908*", "Piece 09 is past the total of 08", E),
    fail("*1009*", "past the total", E),
    fail("*100099*", "past the total", E),
    fail("*999998*", "past the total", E),
  ]);
});

describe("lintPositionInSequence (posinseqslash)", () => {
  const E = "engine lint_posinseqslash.c";
  checkCases(lintPositionInSequence, [
    pass("1/1", E),
    pass("2/3", E),
    pass("9/10", E),
    pass("10/10", E),
    pass("1/100", E),
    pass("999/999", E),
    fail("**", '"<position>/<end>"', E),
    fail("*/*", '"<position>/<end>"', E),
    fail("*1*", '"<position>/<end>"', E),
    fail("*1/*", '"<position>/<end>"', E),
    fail("*1//*", '"<position>/<end>"', E),
    fail("*/1*", '"<position>/<end>"', E),
    fail("*1//2*", '"<position>/<end>"', E),
    fail("*x/y*", '"<position>/<end>"', E),
    fail("*0*/1", "position must not start with 0", E),
    fail("1/*0*", "end must not start with 0", E),
    fail("*0*/0", "position must not start with 0", E),
    fail("1/*02*", "end must not start with 0", E),
    fail("*01*/02", "position must not start with 0", E),
    fail("*2/1*", "Position 2 is past the end, 1", E),
    fail("*10/9*", "past the end", E),
    fail("*11/10*", "past the end", E),
    fail("*101/100*", "past the end", E),
    fail("*999/998*", "past the end", E),
  ]);
});
