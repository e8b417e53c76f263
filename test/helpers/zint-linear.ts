// zint 2.11 as the reference encoder for 1D symbols: many values through one `zint --batch
// --dump` process, each symbol's single dump row turned into bar/space widths.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { dumpRowBits } from "./zint.js";

/** zint's barcode numbers (`-b`) for the symbologies compared. */
export const ZINT = {
  CODE39: 8,
  EAN: 13,
  GS1_128: 16,
  CODE128: 20,
  UPCA: 34,
  UPCE: 37,
  ITF14: 89,
} as const;

/**
 * Returns bar/space widths (first a bar) from a dump row: zint pads the row to whole hex digits
 * with light modules, and every symbology here ends with a bar, so trailing light bits go.
 */
export function dumpRowWidths(line: string): number[] {
  const bits = dumpRowBits(line).replace(/0+$/, "");
  const widths: number[] = [];
  let run = 1;
  for (let i = 1; i <= bits.length; i++) {
    if (i < bits.length && bits[i] === bits[i - 1]) run++;
    else {
      widths.push(run);
      run = 1;
    }
  }
  return widths;
}

/**
 * Encodes each of `values` (one symbol each, no newlines) with zint `-b barcode` plus `extra`
 * flags in one batch process (input file in `dir`) and returns each symbol's widths.
 * Throws with zint's stderr if it refused any value.
 */
export function zintLinearBatch(
  barcode: number,
  values: readonly string[],
  extra: string[],
  dir: string,
): number[][] {
  const file = join(dir, `zint-linear-${barcode}.txt`);
  writeFileSync(file, `${values.join("\n")}\n`, "latin1");
  const run = spawnSync(
    "zint",
    ["-b", String(barcode), "--batch", "--dump", ...extra, "-i", file],
    { encoding: "latin1", maxBuffer: 1 << 28 },
  );
  if (run.error) throw run.error;
  if (run.status !== 0 || run.stderr.trim() !== "") {
    throw new Error(`zint -b ${barcode} --batch failed: ${run.stderr.trim()}`);
  }
  const rows = run.stdout.split("\n").filter((line) => line.trim() !== "");
  if (rows.length !== values.length) {
    throw new Error(`zint dumped ${rows.length} rows for ${values.length} values`);
  }
  return rows.map(dumpRowWidths);
}
