// Deterministic test data for the archive tests and the crash-writer child: SVG-like label
// files (deflated) and PNG-like ones (stored), the same bytes in every process.
import { createHash } from "node:crypto";
import type { EntryInput } from "../../../src/labels/archive/entries.js";

/** A small deterministic PRNG (mulberry32), so every process builds the same files. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An SVG-like document of roughly `bytes` bytes: what a DataMatrix SVG entry looks like. */
export function svgLike(index: number, bytes = 2000): Buffer {
  const random = prng(index + 1);
  let path = "";
  while (path.length < bytes - 200) {
    path += `M${Math.floor(random() * 40)} ${Math.floor(random() * 40)}h${1 + Math.floor(random() * 4)}v1H${Math.floor(random() * 40)}z`;
  }
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 44 44" data-index="${index}">` +
      `<rect width="44" height="44" fill="#fff"/><path fill="#000" d="${path}"/></svg>\n`,
  );
}

/** Random bytes standing for a PNG (incompressible, so stored either way). */
export function pngLike(index: number, bytes = 300): Buffer {
  const random = prng(1_000_003 * (index + 1));
  const out = Buffer.allocUnsafe(bytes);
  for (let i = 0; i < bytes; i++) out[i] = Math.floor(random() * 256);
  return out;
}

/** Files `from` to `from + count - 1`: every third a stored PNG-like file, the rest SVG. */
export function labelFiles(from: number, count: number, svgBytes = 2000): EntryInput[] {
  const files: EntryInput[] = [];
  for (let i = from; i < from + count; i++) {
    const png = i % 3 === 2;
    files.push({
      name: `${String(i).padStart(6, "0")}-09506000134352-SN${i}.${png ? "png" : "svg"}`,
      data: png ? pngLike(i) : svgLike(i, svgBytes),
      compress: !png,
    });
  }
  return files;
}

/** A manifest-like CSV of `rows` rows (compressible), as text. */
export function manifestText(rows: number): string {
  let text = "index,file,element_string\r\n";
  for (let i = 1; i <= rows; i++) {
    text += `${i},${String(i).padStart(6, "0")}.svg,(01)09506000134352(21)SN${i}\r\n`;
  }
  return text;
}

/** SHA-256 hex of bytes. */
export function sha256(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}
