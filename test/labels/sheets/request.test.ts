// The sheet_pdf fields of an export request: what parseExportRequest accepts and how it refuses,
// each refusal naming field, value and rule; and the label fitting of label.ts against sizes
// worked out by hand from the module counts.
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../src/issues.js";
import { parseExportRequest } from "../../../src/labels/request.js";
import { smallestSymbolMisfit } from "../../../src/labels/sheets/label.js";
import { TEMPLATES } from "../../../src/labels/sheets/templates.js";

const items = [{ gtin: "09506000134352", serial: "1" }];

function issuesOf(body: unknown) {
  try {
    parseExportRequest(body, false);
  } catch (err) {
    if (err instanceof ValidationError) return err.issues.map((i) => [i.field, i.rule, i.value]);
    throw err;
  }
  return [];
}

describe("sheet_pdf requests", () => {
  it("resolves a named template into the job's spec, pdf by default", () => {
    const { spec } = parseExportRequest(
      {
        export_type: "sheet_pdf",
        asset_config: { sheet_template: "avery_5160", start_position: 3, proof: true, hri: true },
        items,
      },
      false,
    );
    expect(spec.fileFormat).toBe("pdf");
    expect(spec.assetConfig).toEqual({ hri: true });
    expect(spec.sheet).toMatchObject({ startPosition: 3, proof: true });
    expect(spec.sheet?.template).toMatchObject({ name: "avery_5160", columns: 3, rows: 10 });
  });

  it("refuses what does not fit a sheet, field by field", () => {
    expect(issuesOf({ export_type: "sheet_pdf", items })).toEqual([
      ["asset_config.sheet_template", "missing", undefined],
    ]);
    expect(
      issuesOf({
        export_type: "sheet_pdf",
        file_format: "png",
        on_invalid: "skip",
        asset_config: { sheet_template: "avery_l7160", start_position: 21, proof: "yes" },
        items,
      }),
    ).toEqual([
      ["file_format", "enum", "png"],
      ["asset_config.proof", "boolean_type", "yes"],
      ["asset_config.start_position", "range", 21],
      ["on_invalid", "supported", "skip"],
    ]);
    expect(
      issuesOf({
        export_type: "datamatrix",
        asset_config: { sheet_template: "avery_l7160" },
        items,
      }),
    ).toEqual([["asset_config.sheet_template", "export_type", "avery_l7160"]]);
  });

  it("refuses at submission a template whose cells cannot hold the smallest symbol", () => {
    // avery_l8658: 25.4 × 10 mm. 10 × 10 modules + 2 × 2 quiet zone = 14 modules: at 0.99 mm,
    // 13.86 mm > 10 mm; at 0.7 mm, 9.8 mm fits.
    expect(
      issuesOf({
        export_type: "sheet_pdf",
        asset_config: { sheet_template: "avery_l8658", xdim_mm: 0.99 },
        items,
      }),
    ).toEqual([["asset_config.xdim_mm", "fits_template", 0.99]]);
    const l8658 = TEMPLATES.find((t) => t.name === "avery_l8658");
    if (!l8658) throw new Error("no avery_l8658");
    expect(smallestSymbolMisfit(l8658, "square", 2, 0.7)).toBeNull();
    // A rectangle (8 × 18 + quiet zone = 12 × 22 modules) at 0.8 mm is 17.6 × 9.6 mm: fits;
    // a square (14 × 14) at 0.8 mm is 11.2 mm high: does not. "auto" may pick the rectangle.
    expect(smallestSymbolMisfit(l8658, "square", 2, 0.8)).toContain("11.2 × 11.2 mm");
    expect(smallestSymbolMisfit(l8658, "rectangle", 2, 0.8)).toBeNull();
    expect(smallestSymbolMisfit(l8658, "auto", 2, 0.8)).toBeNull();
  });
});
