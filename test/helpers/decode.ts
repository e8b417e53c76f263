// Independent decoders for tests: zxing-wasm (zxing-cpp 2.x) in process, with its .wasm loaded
// from node_modules (it would fetch it from the internet otherwise).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import sharp from "sharp";
import { prepareZXingModule, type ReaderOptions, readBarcodes } from "zxing-wasm/reader";

const require = createRequire(import.meta.url);
let ready: Promise<unknown> | undefined;

function prepare(): Promise<unknown> {
  if (!ready) {
    const wasmBinary = readFileSync(require.resolve("zxing-wasm/reader/zxing_reader.wasm"));
    ready = Promise.resolve(
      prepareZXingModule({
        overrides: { wasmBinary: wasmBinary.buffer as ArrayBuffer },
        fireImmediately: true,
      }),
    );
  }
  return ready;
}

/** What a decoder read from an image: the text (GS1 separators as \x1d) and the symbology id. */
export interface Decoded {
  text: string;
  symbologyIdentifier: string;
  format: string;
}

const OPTIONS: ReaderOptions = {
  formats: ["DataMatrix"],
  tryHarder: true,
  tryRotate: false,
  tryInvert: false,
  tryDownscale: false,
  maxNumberOfSymbols: 1,
  textMode: "Plain",
};

/** The symbologies the tests decode. */
export type DecodeFormat = "DataMatrix" | "QRCode";

/**
 * Decodes the first symbol of `format` (default DataMatrix) in an encoded image (PNG, JPEG...)
 * or throws if none is found.
 */
export async function decodeImage(
  image: Uint8Array,
  format: DecodeFormat = "DataMatrix",
): Promise<Decoded> {
  await prepare();
  const { data, info } = await sharp(image)
    .flatten({ background: "#ffffff" })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return decodeGrey(
    new Uint8Array(data.buffer, data.byteOffset, data.length),
    info.width,
    info.height,
    undefined,
    format,
  );
}

/**
 * Decodes a raw 8-bit greyscale image of width x height, or throws if no symbol of `format`
 * (default DataMatrix) is found. `characterSet` "ISO8859_1" reads bytes above 127 back as
 * themselves (byte-level tests).
 */
export async function decodeGrey(
  grey: Uint8Array,
  width: number,
  height: number,
  characterSet?: ReaderOptions["characterSet"],
  format: DecodeFormat = "DataMatrix",
): Promise<Decoded> {
  await prepare();
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = grey[i];
    rgba[i * 4 + 3] = 255;
  }
  const options: ReaderOptions = { ...OPTIONS, formats: [format] };
  if (characterSet) options.characterSet = characterSet;
  const results = await readBarcodes(
    { data: rgba, width, height, colorSpace: "srgb" } as ImageData,
    options,
  );
  const hit = results.find((r) => r.isValid);
  if (!hit) throw new Error(`no ${format} found in ${width}x${height} image`);
  return { text: hit.text, symbologyIdentifier: hit.symbologyIdentifier, format: hit.format };
}

/**
 * Draws a module matrix (1 = dark) as 8-bit grey pixels, `scale` px per module, with a light
 * quiet zone of `quiet` modules: the one matrix-to-pixels of the tests.
 */
export function matrixToGrey(
  rows: number,
  columns: number,
  modules: Uint8Array,
  scale = 4,
  quiet = 2,
): { grey: Uint8Array; width: number; height: number } {
  const width = (columns + 2 * quiet) * scale;
  const height = (rows + 2 * quiet) * scale;
  const grey = new Uint8Array(width * height).fill(255);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      if (!modules[r * columns + c]) continue;
      for (let y = 0; y < scale; y++) {
        const base = ((r + quiet) * scale + y) * width + (c + quiet) * scale;
        grey.fill(0, base, base + scale);
      }
    }
  }
  return { grey, width, height };
}

/** Rasterises a module matrix (1 = dark) with a quiet zone at `scale` px/module and decodes it. */
export async function decodeMatrix(
  rows: number,
  columns: number,
  modules: Uint8Array,
  scale = 4,
  quiet = 2,
  characterSet?: ReaderOptions["characterSet"],
  format: DecodeFormat = "DataMatrix",
): Promise<Decoded> {
  const { grey, width, height } = matrixToGrey(rows, columns, modules, scale, quiet);
  return decodeGrey(grey, width, height, characterSet, format);
}

/**
 * Draws 1D bar/space widths (first a bar) as 8-bit grey pixels: `scale` px per module, `height`
 * rows, a light quiet zone of `quiet` modules each side.
 */
export function runsToGrey(
  widths: ArrayLike<number>,
  scale = 2,
  quiet = 12,
  height = 30,
): { grey: Uint8Array; width: number; height: number } {
  let modules = 0;
  for (let i = 0; i < widths.length; i++) modules += widths[i];
  const width = (modules + 2 * quiet) * scale;
  const row = new Uint8Array(width).fill(255);
  let x = quiet * scale;
  for (let i = 0; i < widths.length; i++) {
    const w = widths[i] * scale;
    if (i % 2 === 0) row.fill(0, x, x + w);
    x += w;
  }
  const grey = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) grey.set(row, y * width);
  return { grey, width, height };
}

/**
 * Decodes the first 1D symbol (EAN/UPC, ITF, Code 128, standard Code 39) in a raw 8-bit greyscale
 * image of width x height, or throws if none is found. The text comes with GS1 FNC1s as \x1d.
 * Code 39 is read as the standard set, so "/X" stays two characters (no full-ASCII guessing).
 */
export async function decodeLinearGrey(
  grey: Uint8Array,
  width: number,
  height: number,
  textMode: ReaderOptions["textMode"] = "Plain",
): Promise<Decoded> {
  await prepare();
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = grey[i];
    rgba[i * 4 + 3] = 255;
  }
  const results = await readBarcodes(
    { data: rgba, width, height, colorSpace: "srgb" } as ImageData,
    {
      ...OPTIONS,
      textMode,
      formats: ["EANUPC", "ITF", "Code128", "Code39Std"],
    },
  );
  const hit = results.find((r) => r.isValid);
  if (!hit) throw new Error(`no 1D symbol found in ${width}x${height} image`);
  return { text: hit.text, symbologyIdentifier: hit.symbologyIdentifier, format: hit.format };
}

/**
 * Decodes the first 1D symbol in an encoded image (PNG, JPEG...) or throws if none is found.
 * textMode "HRI" gives GS1 data as zxing-cpp prints it: bracketed AIs.
 */
export async function decodeLinearImage(
  image: Uint8Array,
  textMode: ReaderOptions["textMode"] = "Plain",
): Promise<Decoded> {
  const { data, info } = await sharp(image)
    .flatten({ background: "#ffffff" })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return decodeLinearGrey(
    new Uint8Array(data.buffer, data.byteOffset, data.length),
    info.width,
    info.height,
    textMode,
  );
}
