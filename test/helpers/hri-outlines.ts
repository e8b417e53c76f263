// Reading HRI back out of an SVG: its text is OCR-B outlines (src/render/hri-font.generated.ts),
// each glyph a <path id> in <defs>, each line a <g transform="matrix(…)"> of <use xlink:href>.
// These helpers are written from the SVG grammar (path data, use's x), not from svg.ts.
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

/** Returns the glyph definitions of `svg`: absolute path data by id. */
export function hriDefinitions(svg: string): Map<string, string> {
  const defs = /<defs>(.*?)<\/defs>/s.exec(svg)?.[1] ?? "";
  return new Map(
    [...defs.matchAll(/<path id="([^"]+)" d="([^"]*)"\/>/g)].map((m) => [m[1], absolute(m[2])]),
  );
}

/** One HRI line of an SVG: its group's matrix and the glyphs it uses, each by id and x. */
export interface HriGroup {
  matrix: number[];
  uses: { id: string; x: number }[];
}

/** Returns every HRI line (a group placed by a matrix) of `svg`, in document order. */
export function hriGroups(svg: string): HriGroup[] {
  return [...svg.matchAll(/<g [^>]*transform="matrix\(([^)]*)\)">(.*?)<\/g>/gs)].map((m) => ({
    matrix: m[1].split(" ").map(Number),
    uses: [...m[2].matchAll(/<use xlink:href="#([^"]+)"(?: x="(-?[\d.]+)")?\/>/g)].map((u) => ({
      id: u[1],
      x: Number(u[2] ?? 0),
    })),
  }));
}

/**
 * Returns the absolute path data of every HRI line in `svg`: each <use>'s definition moved by
 * its x, in order (in the group's font units, before its matrix).
 */
export function hriOutlines(svg: string): string[] {
  const definitions = hriDefinitions(svg);
  return hriGroups(svg).map(({ uses }) =>
    uses
      .map(({ id, x }) => {
        const d = definitions.get(id);
        if (d === undefined) throw new Error(`<use> of an undefined glyph #${id}`);
        return shift(d, x);
      })
      .join(""),
  );
}
