// zxing-cpp's command-line reader (ZXingReader, Debian's zxing-cpp-tools) as a second,
// out-of-process decoder: many images per run, each reported with its raw bytes, symbology
// identifier and, for QR, the error correction level it read from the format information.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import sharp from "sharp";
import { matrixToGrey } from "./decode.js";

/** What ZXingReader reported for one image; null fields when it found nothing. */
export interface ReaderResult {
  bytes: Uint8Array | null;
  identifier: string | null;
  ecLevel: string | null;
}

/**
 * Draws each square module matrix (1 = dark) at 3 px per module with a 4-module quiet zone into
 * `dir`, runs ZXingReader once over all of them and returns its reading of each, in order.
 * Throws if ZXingReader cannot run.
 */
export async function readWithZxingReader(
  symbols: readonly { rows: number; columns: number; modules: Uint8Array }[],
  dir: string,
): Promise<ReaderResult[]> {
  const files: string[] = [];
  for (const [i, s] of symbols.entries()) {
    const { grey, width, height } = matrixToGrey(s.rows, s.columns, s.modules, 3, 4);
    const file = join(dir, `reader-${i}.png`);
    await sharp(grey, { raw: { width, height, channels: 1 } })
      .png()
      .toFile(file);
    files.push(file);
  }
  const run = spawnSync("ZXingReader", files, { encoding: "utf8", maxBuffer: 1 << 28 });
  if (run.error) throw run.error;
  const byFile = new Map<string, ReaderResult>();
  for (const block of run.stdout.split(/\n(?=File:)/)) {
    const field = (name: string) =>
      new RegExp(`^${name}:\\s+(.*)$`, "m").exec(block)?.[1]?.trim() ?? null;
    const file = field("File") ?? files[0];
    const hex = field("Bytes");
    byFile.set(file, {
      bytes:
        hex === null
          ? null
          : Uint8Array.from(hex.split(/\s+/).filter(Boolean), (h) => parseInt(h, 16)),
      identifier: field("Identifier"),
      ecLevel: field("EC Level"),
    });
  }
  return files.map((f) => byFile.get(f) ?? { bytes: null, identifier: null, ecLevel: null });
}
