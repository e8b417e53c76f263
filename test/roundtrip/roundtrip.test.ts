// Round trip through independent decoders: seeded GS1 payloads -> PNG / SVG (rasterised by
// librsvg) / PDF (rasterised by poppler's pdftoppm) -> zxing-wasm, plus a sample through
// libdmtx's dmtxread and zxing-cpp 1.4's ZXingReader, all back to exactly the element string.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { encode, render } from "../../src/index.js";
import type { DataMatrixPayload } from "../../src/types.js";
import { gs1Corpus } from "../helpers/corpus.js";
import { decodeImage } from "../helpers/decode.js";
import { rasterisePdfAsync } from "../helpers/raster.js";

const run = promisify(execFile);
const GS = "\x1d";
const CORPUS_SIZE = 1000;
const corpus: DataMatrixPayload[] = gs1Corpus(CORPUS_SIZE, 4242);
const dir = mkdtempSync(join(tmpdir(), "roundtrip-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `task` over `items` with `depth` in flight; resolves to the results in order. */
async function pool<T, R>(
  items: T[],
  depth: number,
  task: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: depth }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await task(items[i], i);
      }
    }),
  );
  return out;
}

/** The failing payload in the message, so a red test says what to replay. */
function expectDecoded(p: DataMatrixPayload, text: string, id: string, expected: string): void {
  expect({ payload: p, text, id }).toEqual({ payload: p, text: expected, id: "]d2" });
}

describe("round trip of a seeded GS1 corpus through independent decoders", () => {
  it("covers every CSET 82 character, 20-character fields, lot-only and serial-only payloads", () => {
    const chars = new Set(corpus.flatMap((p) => [...(p.lot ?? ""), ...(p.serial ?? "")]));
    expect(chars.size).toBe(82);
    expect(corpus.some((p) => p.lot?.length === 20 && p.serial?.length === 20)).toBe(true);
    expect(corpus.some((p) => p.lot && !p.serial)).toBe(true);
    expect(corpus.some((p) => p.serial && !p.lot)).toBe(true);
  });

  it(`decodes ${CORPUS_SIZE} PNGs with zxing-wasm`, async () => {
    await pool(corpus, 4, async (p) => {
      const { body } = await render({ ...p, format: "png" });
      const d = await decodeImage(body);
      expectDecoded(p, d.text, d.symbologyIdentifier, encode(p).elementString);
    });
  });

  it(`decodes ${CORPUS_SIZE} SVGs rasterised by librsvg with zxing-wasm`, async () => {
    await pool(corpus, 4, async (p) => {
      const { body } = await render({ ...p, format: "svg" });
      const png = await sharp(body, { density: 300 }).png().toBuffer();
      const d = await decodeImage(png);
      expectDecoded(p, d.text, d.symbologyIdentifier, encode(p).elementString);
    });
  });

  it(`decodes ${CORPUS_SIZE} PDFs rasterised by pdftoppm with zxing-wasm`, async () => {
    await pool(corpus, 4, async (p) => {
      const { body } = await render({ ...p, format: "pdf" });
      const d = await decodeImage(await rasterisePdfAsync(body));
      expectDecoded(p, d.text, d.symbologyIdentifier, encode(p).elementString);
    });
  }, 300_000);

  it("decodes a sample of 100 PNGs with libdmtx dmtxread and zxing-cpp ZXingReader", async () => {
    const sample = corpus.filter((_, i) => i % 10 === 0);
    const files = await pool(sample, 4, async (p, i) => {
      const file = join(dir, `d${i}.png`);
      writeFileSync(file, (await render({ ...p, format: "png" })).body);
      return file;
    });
    // dmtxread in GS1 mode prints FNC1 (the first codeword too) as the byte we name: GS.
    const dmtx = await Promise.all(
      files.map((f) => run("dmtxread", ["-G", "29", "-N", "1", f], { encoding: "latin1" })),
    );
    sample.forEach((p, i) => {
      expect({ payload: p, text: dmtx[i].stdout }).toEqual({
        payload: p,
        text: `\x1d${encode(p).elementString}`,
      });
    });
    const zx = await run("ZXingReader", ["-1", "-format", "DataMatrix", ...files], {
      maxBuffer: 1 << 24,
    });
    const lines = zx.stdout.trim().split("\n");
    sample.forEach((p, i) => {
      const expected = `${files[i]} DataMatrix "${encode(p).elementString.replaceAll(GS, "<GS>")}"`;
      expect({ payload: p, line: lines[i] }).toEqual({ payload: p, line: expected });
    });
  }, 300_000);
});
