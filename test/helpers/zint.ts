// zint 2.11 (Debian package) as an independent reference encoder for tests.
import { execFileSync } from "node:child_process";

/** A module matrix as zint dumped it: rows of hex nibbles, 1 = dark. */
export interface ZintSymbol {
  rows: number;
  columns: number;
  modules: Uint8Array;
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
  const out = execFileSync("zint", ["-b", "71", "--gs1", ...extra, "--dump", "-d", bracketed], {
    encoding: "utf8",
  });
  const lines = out.trim().split("\n");
  const rows = lines.length;
  const bits = lines.map((line) => dumpRowBits(line).split("").map(Number));
  // zint pads each row to whole hex digits; the true width is where the last row (all dark) ends.
  const columns = bits[rows - 1].lastIndexOf(1) + 1;
  const modules = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < columns; c++) modules[r * columns + c] = bits[r][c];
  return { rows, columns, modules };
}
