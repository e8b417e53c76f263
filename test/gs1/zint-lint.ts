// zint 2.11's GS1 linter (Debian package) as an independent judge of GS1 data in tests: zint
// checks csum, cset82 and yymmd0 itself and prints "Warning 261: AI (nn) position p: ..." on
// stderr, or "Error ..." with a non-zero exit when it refuses the data outright.
import { spawnSync } from "node:child_process";

/** What zint said about one bracketed GS1 input: null when it raised nothing. */
export interface ZintVerdict {
  /** The first warning or error line, e.g. "Warning 261: AI (01) position 14: Bad checksum '6', expected '5'". */
  message: string | null;
  /** True when zint refused to encode (an "Error" rather than a warning). */
  refused: boolean;
}

/** Runs `zint -b 71 --gs1 --dump -d <bracketed>` and returns its verdict. */
export function zintLint(bracketed: string): ZintVerdict {
  const run = spawnSync("zint", ["-b", "71", "--gs1", "--dump", "-d", bracketed], {
    encoding: "utf8",
  });
  if (run.error) throw run.error;
  const line = run.stderr.split("\n").find((l) => /^(Warning|Error)/.test(l)) ?? null;
  return { message: line, refused: run.status !== 0 };
}
