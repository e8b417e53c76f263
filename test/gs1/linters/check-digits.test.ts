import { describe, expect, it } from "vitest";
import {
  CSET32,
  computeCheckPair,
  lintCsum,
  lintCsumAlpha,
} from "../../../src/gs1/linters/check-digits.js";
import { checkCases, fail, pass } from "./cases.js";

// Rows marked "engine" are the unit tests of gs1/gs1-syntax-engine src/c-lib/syntax/lint_<name>.c,
// the reference implementation the dictionary's docs/lint__<name>_8c.html pages document.
const CSUM = "engine lint_csum.c";
const ALPHA = "engine lint_csumalpha.c";

describe("lintCsum (csum)", () => {
  checkCases(lintCsum, [
    pass("6291041500213", "GS1 General Specifications §7.9.1 worked example, GTIN-13"),
    pass("02345673", CSUM),
    fail("1234567*3*", "give 0", CSUM),
    pass("416000336108", CSUM),
    fail("41600033610*9*", "The check digit is 9", CSUM),
    pass("1234567890128", CSUM),
    fail("123456789012*9*", "give 8", CSUM),
    pass("12345678901231", CSUM),
    fail("1234567890123*2*", "give 1", CSUM),
    pass("123456789012345675", CSUM),
    fail("12345678901234567*0*", "give 5", CSUM),
    fail("* *23456789012345675", "is not a digit", CSUM),
    fail("12345678* *012345675", "is not a digit", CSUM),
    fail("12345678901234567* *", "is not a digit", CSUM),
    fail("**", "at least one digit", CSUM),
    pass("0", "hand-computed: no data digits give check digit 0, as the reference sums none"),
    fail("*5*", "give 0", "hand-computed, as above"),
  ]);
});

describe("lintCsumAlpha (csumalpha)", () => {
  checkCases(lintCsumAlpha, [
    pass("1987654Ad4X4bL5ttr2310c2K", "GS1 General Specifications §7.9.5 worked example"),
    fail("1987654Ad4X4bL5ttr2310c*XK*", 'the data gives "2K"', ALPHA),
    fail("1987654Ad4X4bL5ttr2310c*2X*", 'are "2X"', ALPHA),
    fail("**", "at least 2 characters", ALPHA),
    fail("*2*", "at least 2 characters", ALPHA),
    pass("22", ALPHA),
    fail("*33*", 'the data gives "22"', ALPHA),
    pass("!22", ALPHA),
    pass("!!22", ALPHA),
    pass("12345678901234567890123NT", ALPHA),
    pass("12345_ABCDEFGHIJKLMCP", ALPHA),
    pass("12345_NOPQRSTUVWXYZDN", ALPHA),
    pass("12345_abcdefghijklmN3", ALPHA),
    pass("12345_nopqrstuvwxyzP2", ALPHA),
    pass("12345_!\"%&'()*+,-./LC", ALPHA),
    pass("12345_0123456789:;<=>?62", ALPHA),
    pass("7907665Bm8v2AB", ALPHA),
    pass("97850l6KZm0yCD", ALPHA),
    pass("225803106GSpEF", ALPHA),
    pass("149512464PM+GH", ALPHA),
    pass("62577B8fRG7HJK", ALPHA),
    pass("515942070CYxLM", ALPHA),
    pass("390800494sP6NP", ALPHA),
    pass("386830132uO+QR", ALPHA),
    pass("53395376X1:nST", ALPHA),
    pass("957813138Sb6UV", ALPHA),
    pass("530790no0qOgWX", ALPHA),
    pass("62185314IvwmYZ", ALPHA),
    pass("23956qk1&dB!23", ALPHA),
    pass("794394895ic045", ALPHA),
    pass("57453Uq3qA<H67", ALPHA),
    pass("0881063PhHvY89", ALPHA),
    pass("00000!HV", ALPHA),
    pass("99999zzzzzzzzzzzzzzzzzzT2", ALPHA),
    pass(`${"1234567890".repeat(9)}1234567HA`, `${ALPHA} (99 characters)`),
    fail("* *2345678901234567890123NT", "is not in set 82", ALPHA),
    fail("123456789* *1234567890123NT", "is not in set 82", ALPHA),
    fail("1234567890123456789012* *NT", "is not in set 82", ALPHA),
    fail("12345678901234567890123* *T", "cannot be a check character", ALPHA),
    fail("12345678901234567890123N* *", "cannot be a check character", ALPHA),
  ]);

  it("has no length ceiling: a 100-character value is judged on its pair, not refused", () => {
    // The reference refuses it (its table holds 97 primes); we generate more weights. The pair
    // "ZZ" is the one the reference's own 100-character row uses.
    const fault = lintCsumAlpha(`${"1234567890".repeat(9)}12345678ZZ`);
    expect(fault?.position).toBe(99);
    expect(fault?.detail).toContain('The check characters are "ZZ"');
  });

  it("computes the pair of the §7.9.5 worked example", () => {
    expect(computeCheckPair("1987654Ad4X4bL5ttr2310c")).toBe("2K");
  });

  it("draws check characters from the 32 of §7.9.5, no 0, 1, I or O", () => {
    expect(CSET32).toHaveLength(32);
    expect(CSET32).not.toMatch(/[01IO]/);
  });
});
