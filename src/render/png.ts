// PNG output (Node only). Without HRI: a 1-bit image written here (IHDR, PLTE unless black on
// white, pHYs, IDAT via zlib) in ~40 µs, because sharp costs ~1 ms a call on this machine even
// for a 1x1 image, about 20 % of bwip-js toBuffer, which is the whole budget of the "encode+PNG
// 5x faster" target (see test/bench/render.bench.ts). With HRI: the SVG rasterised by sharp
// (librsvg), which owns text rendering. Both write the DPI (pHYs); modules are whole pixels.
import { constants, deflateSync } from "node:zlib";
import sharp from "sharp";
import { layoutPicture } from "./layout.js";
import { MM_PER_INCH, parseHexColor, pixelsPerModule, type RenderOptions } from "./options.js";
import { checkMatrix, type ModuleMatrix } from "./runs.js";
import { toSvgPixels } from "./svg.js";

/**
 * zlib settings for the 1-bit IDAT: with Up-filtered repeats, Z_RLE was 2–4x faster than the
 * default strategy from 600 dpi up (files stay ~1 KB, against ~0.4 KB); level 6 for the 8-bit
 * HRI images, where level 9 cost milliseconds more for a few bytes.
 */
const BILEVEL_DEFLATE = { level: 6, strategy: constants.Z_RLE };
const HRI_COMPRESSION_LEVEL = 6;
const FILTER_UP = 2;
// CRC-32 (ISO 3309, as PNG requires) by table; zlib.crc32 only exists from Node 20.15.
const CRC_TABLE = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

function crc32(bytes: Uint8Array, start: number, end: number): number {
  let c = -1;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

// One libvips thread per render and no operation cache: the server bounds how many HRI renders
// run at once (src/http/render-gate.ts), so a burst then takes one core's worth of threads
// rather than all of them, and its memory is given back when it ends.
sharp.concurrency(1);
sharp.cache(false);

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// IEND never changes: its chunk bytes, CRC included, are written once.
const IEND = chunk("IEND", Buffer.alloc(0));

/**
 * Returns the width and height in pixels of the PNG toPng would draw: the picture's layout (the
 * quiet zone, and HRI lines when `options.hri`) at pixelsPerModule(options) per module.
 */
export function pngSize(
  symbol: ModuleMatrix,
  options: RenderOptions,
  hri?: readonly string[],
): { width: number; height: number } {
  const ppm = pixelsPerModule(options);
  const layout = layoutPicture(symbol, options, hri);
  return { width: layout.width * ppm, height: layout.height * ppm };
}

/**
 * Returns a PNG of `symbol` with `options.quietZoneModules` of light margin, each module
 * pixelsPerModule(options) pixels square, and `options.dpi` in the pHYs chunk (as pixels per
 * metre, rounded; readers show the dpi back). Without HRI the image is 1-bit: greyscale for
 * black on white, else a two-entry palette [dark, light]. With `options.hri` the `hri` lines are
 * printed under the symbol as in toSvg and the image is 8-bit greyscale (both colours grey) or
 * RGB, anti-aliased text. Deterministic for a given sharp/libvips and zlib build. Rejects with a
 * RangeError for a malformed matrix or missing/unprintable HRI lines (see layoutPicture).
 */
export async function toPng(
  symbol: ModuleMatrix,
  options: RenderOptions,
  hri?: readonly string[],
): Promise<Buffer> {
  checkMatrix(symbol);
  if (options.hri) return rasteriseSvg(symbol, options, hri);
  return encodeBilevel(symbol, options);
}

function encodeBilevel(symbol: ModuleMatrix, options: RenderOptions): Buffer {
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
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 1; // bit depth
  header[9] = blackOnWhite ? 0 : 3; // colour type: greyscale or indexed
  // bytes 10–12: compression 0, filter method 0, interlace none
  const parts = [SIGNATURE, chunk("IHDR", header)];
  if (!blackOnWhite) parts.push(chunk("PLTE", Buffer.from([...dark, ...light])));
  parts.push(physChunk(options.dpi), chunk("IDAT", deflateSync(raw, BILEVEL_DEFLATE)), IEND);
  return Buffer.concat(parts);
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

async function rasteriseSvg(
  symbol: ModuleMatrix,
  options: RenderOptions,
  hri?: readonly string[],
): Promise<Buffer> {
  const ppm = pixelsPerModule(options);
  const layout = layoutPicture(symbol, options, hri);
  const svg = toSvgPixels(symbol, options, hri, ppm);
  const [dr, dg, db] = parseHexColor(options.darkColor);
  const [lr, lg, lb] = parseHexColor(options.lightColor);
  const grey = dr === dg && dg === db && lr === lg && lg === lb;
  // The SVG's width/height are unitless (pixels), so librsvg's dpi does not scale them; the
  // size is asserted because a change in that behaviour would silently break module alignment.
  // The background rectangle makes alpha 255 everywhere, so dropping channels loses nothing;
  // for greys the red channel is the grey level (extractChannel measured ~35 % faster than a
  // colourspace conversion to b-w).
  const image = sharp(Buffer.from(svg));
  const { data, info } = await (grey ? image.extractChannel(0) : image.removeAlpha())
    .png({ compressionLevel: HRI_COMPRESSION_LEVEL })
    .withDensity(options.dpi)
    .toBuffer({ resolveWithObject: true });
  if (info.width !== layout.width * ppm || info.height !== layout.height * ppm) {
    throw new Error(
      `rasterised SVG is ${info.width}x${info.height}, expected ${layout.width * ppm}x${layout.height * ppm}`,
    );
  }
  return data;
}

function physChunk(dpi: number): Buffer {
  const perMetre = Math.round((dpi * 1000) / MM_PER_INCH);
  const data = Buffer.alloc(9);
  data.writeUInt32BE(perMetre, 0);
  data.writeUInt32BE(perMetre, 4);
  data[8] = 1; // unit: metre
  return chunk("pHYs", data);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out, 4, 8 + data.length), 8 + data.length);
  return out;
}
