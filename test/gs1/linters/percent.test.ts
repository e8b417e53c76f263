import { describe } from "vitest";
import { lintPercentEncoding } from "../../../src/gs1/linters/percent.js";
import { checkCases, fail, pass } from "./cases.js";

// "engine" rows: unit tests of gs1/gs1-syntax-engine src/c-lib/syntax/lint_pcenc.c, the reference
// the dictionary's docs/lint__pcenc_8c.html page documents.
const E = "engine lint_pcenc.c";
const MESSAGE = 'A "%" must be followed by two hexadecimal digits';

describe("lintPercentEncoding (pcenc)", () => {
  checkCases(lintPercentEncoding, [
    pass("", E),
    pass("A", E),
    pass("%00", E),
    pass("%FF", E),
    pass("%Ff", E),
    pass("%ff", E),
    pass("ABC%20XYZ", E),
    pass("ABCDEFGHIJKLMNOPQRSTUVWXYZ%00+12345", E),
    pass("%25%25", "hand-made: an escaped % is not re-read as a new escape"),
    fail("*%fg*", MESSAGE, E),
    fail("*%gf*", MESSAGE, E),
    fail("*%g*", MESSAGE, E),
    fail("ABC*%fg*", MESSAGE, E),
    fail("ABC*%g*", MESSAGE, E),
    fail("ABC*%gX*YZ", MESSAGE, E),
    fail("ABC*%*", MESSAGE, "hand-made: a final %"),
    fail("%20*%2*", MESSAGE, "hand-made: second escape cut short"),
    fail("😀é*%g*", MESSAGE, "hand-made: an emoji before the fault is one position"),
  ]);
});
