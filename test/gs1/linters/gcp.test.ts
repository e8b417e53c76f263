import { describe } from "vitest";
import { lintGcpPos1, lintGcpPos2, lintKey } from "../../../src/gs1/linters/gcp.js";
import { checkCases, fail, type LintCase, pass } from "./cases.js";

// "engine" rows: the unit tests of gs1/gs1-syntax-engine src/c-lib/syntax/lint_<name>.c (the
// reference the dictionary's docs/lint__<name>_8c.html pages document), which generate their
// rows in loops; written out here for GCP_MIN_LENGTH = 4.

/** The rows of lint_gcppos1.c and lint_key.c, identical for both. */
function gcpAtStart(source: string): LintCase[] {
  return [
    pass("01234", source),
    pass("0123", source),
    pass("0123A", source),
    fail("*012*", "needs 4 digits", source),
    fail("*01*", "needs 4 digits", source),
    fail("*0*", "needs 4 digits", source),
    fail("**", "needs 4 digits", source),
    fail("012*A*A", '"A" cannot be part of a GS1 Company Prefix', source),
    fail("01*A*AA", "cannot be part of a GS1 Company Prefix", source),
    fail("0*A*AAA", "cannot be part of a GS1 Company Prefix", source),
    fail("*A*AAAA", "cannot be part of a GS1 Company Prefix", source),
  ];
}

describe("lintGcpPos1 (gcppos1)", () => {
  checkCases(lintGcpPos1, [
    ...gcpAtStart("engine lint_gcppos1.c"),
    pass("9506000134352", "GLN of the GS1 Digital Link standard's examples"),
  ]);
});

describe("lintKey (key)", () => {
  checkCases(lintKey, gcpAtStart("engine lint_key.c"));
});

describe("lintGcpPos2 (gcppos2)", () => {
  const E = "engine lint_gcppos2.c";
  checkCases(lintGcpPos2, [
    pass("I01234", E),
    pass("I0123", E),
    pass("I0123A", E),
    pass("09506000134352", "GTIN of the GS1 Digital Link standard's examples"),
    fail("I*012*", "needs 4 digits", E),
    fail("I*0*", "needs 4 digits", E),
    fail("*I*", "needs 4 digits", E),
    fail("**", "needs 4 digits", E),
    fail("I012*A*A", "cannot be part of a GS1 Company Prefix", E),
    fail("I*A*AAAA", "cannot be part of a GS1 Company Prefix", E),
  ]);
});
