// Independent reference encoders and decoders (Debian packages): libdmtx 0.7.5 (dmtxwrite,
// dmtxread); zint 2.11 is in ../helpers/zint.ts. Each returns what the tool printed, parsed;
// nothing is computed here.

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { matrixToGrey } from "../helpers/decode.js";

/** What dmtxwrite printed for one symbol: its codewords (-c) and its modules (-p preview). */
export interface LibdmtxSymbol {
  data: number[];
  ecc: number[];
  rows: string[];
}

/**
 * Encodes `input` with libdmtx's dmtxwrite (ASCII encodation) at the forced size `size`
 * ("RxC", ISO sizes only) and returns its codewords and module rows ("0"/"1", 1 = dark).
 */
export function dmtxwrite(input: string, size: string): LibdmtxSymbol {
  const out = execFileSync("dmtxwrite", ["-c", "-p", "-s", size], { input, encoding: "latin1" });
  const [rowsText, columnsText] = size.split("x");
  const rows = Number(rowsText);
  const columns = Number(columnsText);
  const data: number[] = [];
  const ecc: number[] = [];
  const matrix: string[] = [];
  for (const line of out.split("\n")) {
    const cw = /^([de]):(\d+)$/.exec(line);
    if (cw) (cw[1] === "d" ? data : ecc).push(Number(cw[2]));
    // The preview draws each module as two characters after a margin of four spaces.
    else if (line.startsWith("    ") && matrix.length < rows && line.trim() !== "") {
      const body = line.slice(4).padEnd(columns * 2, " ");
      let row = "";
      for (let c = 0; c < columns; c++) row += body.slice(2 * c, 2 * c + 2) === "XX" ? "1" : "0";
      matrix.push(row);
    }
  }
  return { data, ecc, rows: matrix };
}

/** Writes a module matrix as a PNG (4 px per module, 2-module quiet zone) to `file`. */
export async function writePng(
  file: string,
  rows: number,
  columns: number,
  modules: Uint8Array,
): Promise<void> {
  const { grey, width, height } = matrixToGrey(rows, columns, modules);
  await sharp(grey, { raw: { width, height, channels: 1 } })
    .png()
    .toFile(file);
}

/** Returns what dmtxread printed for one image: the decoded text, or its codewords (-c). */
export function dmtxread(file: string, codewords = false): string {
  const args = codewords ? ["-c", "-N1", file] : ["-N1", file];
  return execFileSync("dmtxread", args, { encoding: "latin1", timeout: 120_000 });
}

/** Parses dmtxread -c output ("d:" data, "p:" pad, "e:" ECC lines) into data and ECC. */
export function parseCodewords(text: string): { data: number[]; ecc: number[] } {
  const data: number[] = [];
  const ecc: number[] = [];
  for (const line of text.split("\n")) {
    const cw = /^([dpe]):(\d+)$/.exec(line.trim());
    if (cw) (cw[1] === "e" ? ecc : data).push(Number(cw[2]));
  }
  return { data, ecc };
}

/** Runs `body` with a fresh temporary directory and removes it afterwards. */
export async function withTempDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "dm-test-"));
  try {
    return await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
