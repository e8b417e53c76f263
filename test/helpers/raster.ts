// Independent rasterisers for the vector outputs, one place for their command lines: SVG through
// librsvg's rsvg-convert (not sharp's embedded copy), PDF through poppler's pdftoppm. Both read
// the document on stdin and return PNG bytes.
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Returns the PNG librsvg makes of `svg`, with extra rsvg-convert `args` (size, DPI, background). */
export function rasteriseSvg(svg: string | Uint8Array, args: readonly string[] = []): Buffer {
  return execFileSync("rsvg-convert", [...args], { input: svg, maxBuffer: 1 << 28 });
}

/** Returns the PNG poppler makes of page 1 of `pdf` at `dpi`. */
export function rasterisePdf(pdf: Uint8Array, dpi = 300): Buffer {
  return execFileSync("pdftoppm", ["-png", "-r", String(dpi), "-singlefile", "-"], {
    input: pdf,
    maxBuffer: 1 << 28,
  });
}

/** Returns the PNG (8-bit grey) Ghostscript makes of the EPS `eps` at `dpi`, cropped to its box. */
export function rasteriseEps(eps: string | Uint8Array, dpi = 300): Buffer {
  return execFileSync(
    "gs",
    [
      "-q",
      "-dSAFER",
      "-dBATCH",
      "-dNOPAUSE",
      "-dEPSCrop",
      "-sDEVICE=pnggray",
      `-r${dpi}`,
      "-sOutputFile=-",
      "-",
    ],
    { input: eps, maxBuffer: 1 << 28 },
  );
}

/** rasterisePdf without blocking the event loop (for pools of many documents). */
export async function rasterisePdfAsync(pdf: Uint8Array, dpi = 300): Promise<Buffer> {
  const child = run("pdftoppm", ["-png", "-r", String(dpi), "-singlefile", "-"], {
    encoding: "buffer",
    maxBuffer: 1 << 28,
  });
  child.child.stdin?.end(pdf);
  return (await child).stdout;
}

/** rasteriseSvg without blocking the event loop. */
export async function rasteriseSvgAsync(
  svg: string | Uint8Array,
  args: readonly string[] = [],
): Promise<Buffer> {
  const child = run("rsvg-convert", [...args], { encoding: "buffer", maxBuffer: 1 << 28 });
  child.child.stdin?.end(svg);
  return (await child).stdout;
}
