// export_type "qr_codes" at the job's two ends that differ from datamatrix: the request parser
// (asset_config judged by the QR endpoint's rules) and the render batch (items drawn by
// planQrRender), each PNG entry of the batch decoded by zxing-wasm.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ValidationError } from "../../src/issues.js";
import { renderBatch } from "../../src/labels/render-batch.js";
import { parseExportRequest } from "../../src/labels/request.js";
import { decodeImage } from "../helpers/decode.js";

const dir = mkdtempSync(join(tmpdir(), "qr-codes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function refusal(body: unknown): [string | null, string][] {
  try {
    parseExportRequest(body, false);
  } catch (err) {
    if (err instanceof ValidationError) return err.issues.map((i) => [i.field, i.rule]);
    throw err;
  }
  return [];
}

// The data of a stored ZIP entry: after its 30-byte local header, name and extra field.
function entryData(block: Uint8Array, offset: number, size: number): Uint8Array {
  const view = new DataView(block.buffer, block.byteOffset + offset);
  const start = offset + 30 + view.getUint16(26, true) + view.getUint16(28, true);
  return block.subarray(start, start + size);
}

describe('export_type "qr_codes"', () => {
  it("takes the QR endpoint's asset_config fields and refuses the DataMatrix-only ones", () => {
    const items = [{ gtin: "09506000134352", lot: "A" }];
    const parsed = parseExportRequest(
      {
        export_type: "qr_codes",
        file_format: "png",
        asset_config: { size: 300, error_correction: "Q" },
        items,
      },
      false,
    );
    expect(parsed.spec).toMatchObject({
      exportType: "qr_codes",
      fileFormat: "png",
      assetConfig: { size: 300, error_correction: "Q" },
    });
    expect(
      refusal({ export_type: "qr_codes", asset_config: { shape: "square", size: 10 }, items }),
    ).toEqual([
      ["asset_config.shape", "export_type"],
      ["asset_config.size", "range"],
    ]);
    expect(refusal({ export_type: "datamatrix", asset_config: { size: 300 }, items })).toEqual([
      ["asset_config.size", "export_type"],
    ]);
  });

  it("renders each item as the QR endpoint does: PNG entries that decode to their URIs (]Q1)", async () => {
    const items = [
      { gtin: "09506000134352", lot: "LOT-1", expiry: "271231" },
      { gtin: "09506000134352", serial: "S/2" },
      { gtin: "09506000134353", lot: "BAD" },
    ];
    const file = join(dir, "items.jsonl");
    const text = items.map((i, r) => `${JSON.stringify({ r: r + 1, i })}\n`).join("");
    writeFileSync(file, text);
    const result = await renderBatch({
      itemsFile: file,
      start: 0,
      end: Buffer.byteLength(text),
      firstIndex: 0,
      total: items.length,
      spec: {
        exportType: "qr_codes",
        fileFormat: "png",
        assetConfig: { error_correction: "H" },
        filenamePattern: "{index}-{gtin}.{ext}",
      },
      validateOnly: false,
    });
    expect(result.errors.map((e) => [e.row, e.field])).toEqual([[3, "gtin"]]);
    expect(result.entries.map((e) => e.name)).toEqual([
      "1-09506000134352.png",
      "2-09506000134352.png",
    ]);
    const expected = [
      "https://id.gs1.org/01/09506000134352/10/LOT-1?17=271231",
      "https://id.gs1.org/01/09506000134352/21/S%2F2",
    ];
    for (const [i, entry] of result.entries.entries()) {
      const png = entryData(result.block, entry.offset, entry.size);
      const read = await decodeImage(png, "QRCode");
      expect([read.text, read.symbologyIdentifier]).toEqual([expected[i], "]Q1"]);
    }
  });
});
