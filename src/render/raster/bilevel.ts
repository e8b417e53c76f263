// PNG without HRI (Node only): a 1-bit image written here (IHDR, PLTE unless black on white,
// pHYs, IDAT by the deflate core's run-length strategy) in ~25 µs, because sharp costs ~1 ms a call on this machine even for a
// 1x1 image, about 20 % of bwip-js toBuffer (see test/bench/render.bench.ts).
import { constants, deflateSync } from "node:zlib";
import { DEFLATE_CAPACITY, zlibOfRuns } from "../../deflate/deflate.js";
import { parseHexColor } from "../color.js";
import type { RenderOptions } from "../options.js";
import type { ModuleMatrix } from "../runs.js";
import { pixelsPerModule } from "../units.js";
import { assemblePng } from "./png-chunks.js";

/**
 * zlib settings for the 1-bit IDAT: with Up-filtered repeats, Z_RLE was 2–4x faster than the
 * default strategy from 600 dpi up (files stay ~1 KB, against ~0.4 KB).
 */
const BILEVEL_DEFLATE = { level: 6, strategy: constants.Z_RLE };
const FILTER_UP = 2;

/**
 * Returns the 1-bit PNG of `symbol` inside its quiet zone, pixelsPerModule(options) px a module:
 * greyscale for black on white, else a two-entry palette [dark, light]; `options.dpi` in pHYs.
 */
export function encodeBilevel(symbol: ModuleMatrix, options: RenderOptions): Buffer {
  const { rows, columns, modules } = symbol;
  const ppm = pixelsPerModule(options);
  const q = options.quietZoneModules;
  const width = (columns + 2 * q) * ppm;
  const height = (rows + 2 * q) * ppm;
  // Scanlines: a filter byte, then 1 bit per pixel, MSB first, bit 0 = dark in both colour
  // types (greyscale 0 = black; palette index 0 = the dark entry). The first scanline of each
  // module row is stored as is (filter None); its ppm - 1 repeats use filter Up, which makes
  // them all zero bytes, so the buffer starts zeroed and the repeats cost one byte each to
  // write and almost nothing to compress with zlib's run-length strategy.
  const stride = 1 + Math.ceil(width / 8);
  const raw = Buffer.alloc(stride * height);
  const line = Buffer.alloc(stride - 1);
  for (let band = 0; band < rows + 2 * q; band++) {
    line.fill(0xff);
    const r = band - q;
    if (r >= 0 && r < rows) {
      for (let c = 0; c < columns; c++) {
        if (modules[r * columns + c] !== 0) clearBits(line, (c + q) * ppm, ppm);
      }
    }
    const top = band * ppm * stride;
    line.copy(raw, top + 1);
    for (let k = 1; k < ppm; k++) raw[top + k * stride] = FILTER_UP;
  }

  const dark = parseHexColor(options.darkColor);
  const light = parseHexColor(options.lightColor);
  const blackOnWhite = options.darkColor === "#000000" && options.lightColor === "#ffffff";
  // The core's run-length deflate (zlib's strategy here, without zlib's set-up per call: 11 of a
  // 34 us render); zlib itself for images past its capacity (hundreds of thousands of pixels).
  const idat = raw.length <= DEFLATE_CAPACITY ? zlibOfRuns(raw) : deflateSync(raw, BILEVEL_DEFLATE);
  // 1-bit greyscale, or indexed with the palette [dark, light]
  if (blackOnWhite) return assemblePng(width, height, 1, 0, options.dpi, null, idat);
  return assemblePng(width, height, 1, 3, options.dpi, new Uint8Array([...dark, ...light]), idat);
}

// Clears `count` bits from bit `start` of packed pixels (bit 0 = MSB of byte 0).
function clearBits(line: Buffer, start: number, count: number): void {
  let bit = start;
  const end = start + count;
  while (bit < end && (bit & 7) !== 0) {
    line[bit >> 3] &= ~(0x80 >> (bit & 7));
    bit++;
  }
  while (bit + 8 <= end) {
    line[bit >> 3] = 0;
    bit += 8;
  }
  while (bit < end) {
    line[bit >> 3] &= ~(0x80 >> (bit & 7));
    bit++;
  }
}
