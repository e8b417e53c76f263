// The SVG renderer's output as text, for tests that read the document (the service only ever
// sends bytes: src/render/svg.ts toSvgBytes).
import type { RenderOptions } from "../../src/render/options.js";
import type { ModuleMatrix } from "../../src/render/runs.js";
import { toSvgBytes } from "../../src/render/svg.js";

const latin1 = new TextDecoder("latin1");

/** Returns toSvgBytes(symbol, options, hri) as a string. */
export function toSvg(
  symbol: ModuleMatrix,
  options: RenderOptions,
  hri?: readonly string[],
): string {
  return latin1.decode(toSvgBytes(symbol, options, hri));
}
