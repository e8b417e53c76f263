// zint 2.11 (Debian package) as an independent reference encoder and GS1 judge for tests. Every
// test runs zint through this file: one symbol's modules (zintGs1, zintRows), an image file
// (zintFile), many symbols' sides in one process (zintBatchSides), or zint's verdict on GS1 data
// (zintLint).
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

/** A module matrix as zint dumped it: rows of hex nibbles, 1 = dark. */
export interface ZintSymbol {
  rows: number;
  columns: number;
  modules: Uint8Array;
}

/** What zint said about one bracketed GS1 input: null when it raised nothing. */
export interface ZintVerdict {
  /** The first warning or error line, e.g. "Warning 261: AI (01) position 14: Bad checksum '6', expected '5'". */
  message: string | null;
  /** True when zint refused to encode (an "Error" rather than a warning). */
  refused: boolean;
}

// Runs zint for Data Matrix (-b 71) with `args` and returns what it printed and its status;
// throws if it could not run at all (not installed, or output past maxBuffer).
function runZint(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync("zint", ["-b", "71", ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (run.error) throw run.error;
  return run;
}

// Runs zint and returns its stdout; throws with zint's stderr when it refused.
function zintOutput(args: string[]): string {
  const run = runZint(args);
  if (run.status !== 0) throw new Error(`zint ${args.join(" ")} failed: ${run.stderr.trim()}`);
  return run.stdout;
}

/**
 * Returns one row of `zint --dump` as "0"/"1" module bits: the hex nibbles, spaces ignored. zint
 * pads each row to whole nibbles, so the caller cuts it to the symbol's width.
 */
export function dumpRowBits(line: string): string {
  let bits = "";
  for (const h of line.replace(/ /g, "")) bits += parseInt(h, 16).toString(2).padStart(4, "0");
  return bits;
}

/**
 * Encodes a GS1 element string given in zint's bracket syntax ("[01]...[10]...") and returns
 * zint's module matrix. `extra` adds flags such as "--square", "--fast", "--dmre".
 */
export function zintGs1(bracketed: string, extra: string[] = ["--square"]): ZintSymbol {
  const lines = zintOutput(["--gs1", ...extra, "--dump", "-d", bracketed])
    .trim()
    .split("\n");
  const rows = lines.length;
  const bits = lines.map((line) => dumpRowBits(line).split("").map(Number));
  // zint pads each row to whole hex digits; the true width is where the last row (all dark) ends.
  const columns = bits[rows - 1].lastIndexOf(1) + 1;
  const modules = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < columns; c++) modules[r * columns + c] = bits[r][c];
  return { rows, columns, modules };
}

/** Runs `zint --dump` with `args` and returns the module rows ("0"/"1"), `columns` wide. */
export function zintRows(args: string[], columns: number): string[] {
  return zintOutput(["--dump", ...args])
    .trim()
    .split("\n")
    .map((line) => dumpRowBits(line).slice(0, columns));
}

/** Runs zint with `args` and `-o file`, which zint writes in the format its extension names. */
export function zintFile(args: string[], file: string): void {
  zintOutput([...args, "-o", file]);
}

/**
 * Encodes each of `bracketed` (GS1 data in zint's bracket syntax) as a square symbol in one zint
 * process (--batch, input written to `dir`) with the flags `extra`, and returns each side.
 */
export function zintBatchSides(
  bracketed: readonly string[],
  extra: string[],
  dir: string,
): number[] {
  const file = join(dir, "zint-batch.txt");
  writeFileSync(file, `${bracketed.join("\n")}\n`);
  const out = zintOutput(["--gs1", "--square", "--batch", "--dump", ...extra, "-i", file]);
  // The dumps follow each other with no separator; a square symbol's first row (the clock
  // track, 1010...10) tells its side, and so how many rows to skip to the next one.
  const rows = out.split("\n").filter((line) => line.trim() !== "");
  const sides: number[] = [];
  for (let at = 0; at < rows.length; ) {
    const side = dumpRowBits(rows[at]).lastIndexOf("1") + 2;
    sides.push(side);
    at += side;
  }
  return sides;
}

/**
 * zint's GS1 linter on `bracketed`: zint checks csum, cset82 and yymmd0 itself and prints
 * "Warning 261: AI (nn) position p: ..." on stderr, or "Error ..." with a non-zero exit when it
 * refuses the data outright.
 */
export function zintLint(bracketed: string): ZintVerdict {
  const run = runZint(["--gs1", "--dump", "-d", bracketed]);
  const line = run.stderr.split("\n").find((l) => /^(Warning|Error)/.test(l)) ?? null;
  return { message: line, refused: run.status !== 0 };
}

/** How to ask zint for a QR symbol (-b 58). */
export interface ZintQrOptions {
  /** Error correction level L, M, Q, H (zint's --secure=1..4). */
  level: "L" | "M" | "Q" | "H";
  /** GS1 data in zint's bracket syntax (--gs1, not checked: --gs1nocheck). */
  gs1?: boolean;
  /** Force mask 0..7 (--mask). */
  mask?: number;
}

/**
 * Encodes each of `inputs` (printable ASCII, one symbol each; bracketed when `options.gs1`) as a
 * QR symbol in one zint process (--batch, input written to `dir`) and returns each matrix as
 * "0"/"1" row strings (side = rows). zint picks the smallest version after its own optimised
 * segmentation, the mask by its penalty rules unless forced.
 */
export function zintQrBatch(
  inputs: readonly string[],
  options: ZintQrOptions,
  dir: string,
): string[][] {
  const file = join(dir, "zint-qr-batch.txt");
  writeFileSync(file, `${inputs.join("\n")}\n`);
  const args = ["-b", "58", "--batch", "--dump", `--secure=${"LMQH".indexOf(options.level) + 1}`];
  if (options.gs1) args.push("--gs1", "--gs1nocheck");
  if (options.mask !== undefined) args.push(`--mask=${options.mask}`);
  const run = spawnSync("zint", [...args, "-i", file], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`zint ${args.join(" ")} failed: ${run.stderr.trim()}`);
  // The dumps follow each other with no separator; a QR symbol's first row ends with the
  // top-right finder's last dark module, which tells the side, and so the rows to take.
  const rows = run.stdout.split("\n").filter((line) => line.trim() !== "");
  const symbols: string[][] = [];
  for (let at = 0; at < rows.length; ) {
    const side = dumpRowBits(rows[at]).lastIndexOf("1") + 1;
    symbols.push(rows.slice(at, at + side).map((line) => dumpRowBits(line).slice(0, side)));
    at += side;
  }
  return symbols;
}
