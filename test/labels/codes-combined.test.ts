// export_type "codes_combined" at the request parser and the batch renderer's item judgement
// (the decoded output is test/process/labels-combined.test.ts): which asset_config fields it
// takes and how it stores them, that its own fields are no other type's, and where an item's
// 1D problem is reported.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ValidationError } from "../../src/issues.js";
import { renderBatch } from "../../src/labels/render-batch.js";
import { parseExportRequest, splitCombinedConfig } from "../../src/labels/request.js";

const dir = mkdtempSync(join(tmpdir(), "codes-combined-"));
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

const items = [{ gtin: "09506000134352", lot: "A" }];

describe('export_type "codes_combined"', () => {
  it("takes the QR's and the 1D's fields, EPS and serials, and splits them per symbol", () => {
    const assetConfig = {
      size: 300,
      error_correction: "Q",
      barcode_type: "ean13",
      module_width: 0.5,
      qr_quiet_zone: 6,
      barcode_quiet_zone: 3,
      dpi: 600,
    };
    const parsed = parseExportRequest(
      { export_type: "codes_combined", file_format: "eps", asset_config: assetConfig, items },
      false,
    );
    expect(parsed.spec).toMatchObject({ exportType: "codes_combined", fileFormat: "eps" });
    expect(splitCombinedConfig(parsed.spec.assetConfig)).toEqual({
      qr: { size: 300, error_correction: "Q", quiet_zone: 6, dpi: 600 },
      barcode: { module_width: 0.5, quiet_zone: 3, dpi: 600 },
      barcodeType: "ean13",
    });
    const serials = { gtin: "09506000134352", mode: "range", start: 1, count: 2 };
    expect(refusal({ export_type: "codes_combined", serials })).toEqual([]);
  });

  it("keeps its quiet-zone names to itself", () => {
    expect(refusal({ export_type: "qr_codes", asset_config: { qr_quiet_zone: 4 }, items })).toEqual(
      [["asset_config.qr_quiet_zone", "unknown_field"]],
    );
    expect(
      refusal({ export_type: "barcodes_1d", asset_config: { barcode_quiet_zone: 3 }, items: [] }),
    ).toContainEqual(["asset_config.barcode_quiet_zone", "unknown_field"]);
  });

  it("names the quiet-zone field the request wrote in the message of its range refusal", () => {
    let issues: { field: string | null; message: string }[] = [];
    try {
      parseExportRequest(
        {
          export_type: "codes_combined",
          asset_config: { qr_quiet_zone: -1, barcode_quiet_zone: 25 },
          items,
        },
        false,
      );
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      issues = err.issues;
    }
    for (const field of ["qr_quiet_zone", "barcode_quiet_zone"]) {
      const issue = issues.find((i) => i.field === `asset_config.${field}`);
      expect(issue?.message).toContain(field);
      expect(issue?.message).not.toMatch(/(^|[^_])quiet_zone/);
    }
  });

  it("reports an item's 1D problem on the item field or the option that causes it", async () => {
    const lines = [
      { gtin: "5901234123457", lot: "A", barcode_type: "ean8" },
      { element_string: "(01)09506000134352(21)X", barcode_type: "ean8" },
      { gtin: "09506000134352", lot: "ABCDEFGHIJKLMNOPQRST", serial: "ABCDEFGHIJKLMNOPQRST" },
      { gtin: "09506000134352", lot: "A", barcode_type: "code39" },
      { gtin: "09506000134352" },
    ];
    const file = join(dir, "items.jsonl");
    const text = lines.map((i, r) => `${JSON.stringify({ r: r + 1, i })}\n`).join("");
    writeFileSync(file, text);
    const result = await renderBatch({
      itemsFile: file,
      start: 0,
      end: Buffer.byteLength(text),
      firstIndex: 0,
      total: lines.length,
      spec: {
        exportType: "codes_combined",
        fileFormat: "svg",
        assetConfig: { barcode_type: "gs1_128" },
        filenamePattern: "{index}-{gtin}-{serial|lot}.{ext}",
      },
      validateOnly: true,
    });
    expect(result.errors.map((e) => [e.row, e.field])).toEqual([
      [1, "gtin"],
      [2, "barcode_type"],
      // 61 characters of GS1-128 data where 48 fit: the job's gs1_128 is what does not fit.
      [3, "barcode_type"],
      [4, "barcode_type"],
      // The QR's own rule comes first: a lot or a serial.
      [5, "item"],
    ]);
    expect(result.errors[2].message).toContain("48");
  });
});
