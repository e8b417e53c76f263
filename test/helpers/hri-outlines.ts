// Reading HRI back out of an SVG: its text is OCR-B outlines (src/render/hri-font.generated.ts),
// one path per line. These helpers are written from the SVG path grammar, not from svg.ts.
import { HRI_ADVANCE, HRI_GLYPHS } from "../../src/render/hri-font.generated.js";

/** Returns absolute path data "M… L… C… Z" of the table's form, with every x moved by `dx`. */
export function shift(d: string, dx: number): string {
  return d.replace(/([MLC])([^MLCZ]*)/g, (_m, op: string, args: string) => {
    const n = args.split(" ").map(Number);
    return op + n.map((v, j) => (j % 2 === 0 ? v + dx : v)).join(" ");
  });
}

/**
 * Returns SVG path data of m, l, c, z (relative; the first m from the origin) as absolute M, L, C,
 * Z: written here from the SVG path grammar, not from svg.ts.
 */
export function absolute(d: string): string {
  let out = "";
  let x = 0;
  let y = 0;
  let startX = 0;
  let startY = 0;
  for (const [, op, args] of d.matchAll(/([mlcz])([^mlcz]*)/g)) {
    const n = (args.match(/-?\d+/g) ?? []).map(Number);
    if (op === "z") {
      out += "Z";
      x = startX;
      y = startY;
      continue;
    }
    const points: number[] = [];
    for (let j = 0; j < n.length; j += 2) points.push(x + n[j], y + n[j + 1]);
    [x, y] = points.slice(-2);
    if (op === "m") {
      [startX, startY] = [x, y];
    }
    out += op.toUpperCase() + points.join(" ");
  }
  return out;
}

/** Returns the table's outline of `line` as absolute path data, glyph k one advance right. */
export function outlineOf(line: string): string {
  return [...line]
    .map((ch, k) => [ch, k] as const)
    .filter(([ch]) => ch !== " ")
    .map(([ch, k]) => shift(HRI_GLYPHS[ch.charCodeAt(0) - 32], k * HRI_ADVANCE))
    .join("");
}

/** Returns the absolute path data of every HRI line (a path placed by a matrix) in `svg`. */
export function hriOutlines(svg: string): string[] {
  return [...svg.matchAll(/transform="matrix\([^)]*\)" d="([^"]*)"/g)].map((m) => absolute(m[1]));
}
