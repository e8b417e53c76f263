// src/barcode/fields.ts: the 1D request described once. The published values (the published API
// family's barcode table, restated in ../shared/reference/published-api-family.md) are written
// out here, so the table and the served schema cannot drift from what the API promises.
import { describe, expect, it } from "vitest";
import { BARCODE_FIELDS, barcodeJsonSchema } from "../../src/barcode/fields.js";
import { openapiDocument } from "../../src/server/openapi.js";

const PUBLISHED = [
  ["gtin", undefined, undefined, undefined],
  ["barcode_type", "auto", undefined, undefined],
  ["format", "svg", undefined, undefined],
  ["module_width", 0.33, 0.1, 2],
  ["module_height", 25, 1, 100],
  ["font_size", 10, 4, 24],
  ["quiet_zone", 6.5, 0, 20],
  ["write_text", true, undefined, undefined],
  ["embed_font", true, undefined, undefined],
] as const;

describe("BARCODE_FIELDS", () => {
  it.each(PUBLISHED)("has the published %s (default %s, %s-%s)", (name, dflt, min, max) => {
    const spec = BARCODE_FIELDS.find((f) => f.name === name);
    expect(spec).toBeDefined();
    expect([spec?.default, spec?.minimum, spec?.maximum]).toEqual([dflt, min, max]);
  });

  it("offers the published barcode types", () => {
    expect(BARCODE_FIELDS.find((f) => f.name === "barcode_type")?.enum).toEqual([
      "auto",
      "ean13",
      "ean8",
      "jan",
      "upca",
      "upce",
      "itf14",
      "ean14",
      "code128",
      "gs1_128",
      "code39",
    ]);
  });

  it("is the schema the OpenAPI document serves for the 1D endpoint", () => {
    const doc = JSON.parse(
      JSON.stringify(
        openapiDocument({
          keyDefault: { perMinute: 300, perDay: 10_000 },
          anonymous: { perMinute: 60, perDay: 1_000 },
        }),
      ),
    );
    const op = doc.paths["/products/api/v1/barcode/"].post;
    expect(op.requestBody.content["application/json"].schema.$ref).toBe(
      "#/components/schemas/BarcodePayload",
    );
    expect(op.responses["422"]).toBeDefined();
    expect(Object.keys(op.responses["200"].content)).toEqual([
      "image/svg+xml",
      "image/png",
      "application/pdf",
      "application/postscript",
    ]);
    const schema = doc.components.schemas.BarcodePayload;
    expect(schema.properties).toEqual(JSON.parse(JSON.stringify(barcodeJsonSchema().properties)));
  });
});
