// The OpenAPI description of POST /products/api/v1/barcode/: the datamatrix operation's
// responses, headers and security (the same middleware answers them), with the 1D payload
// generated from src/barcode/fields.ts.
import { BARCODE_PATH, barcodeJsonSchema } from "../barcode/fields.js";

/** The BarcodePayload schema: the published fields plus this service's rendering options. */
export const BARCODE_PAYLOAD_SCHEMA = {
  description:
    "Request body for a single 1D barcode: EAN-13, EAN-8, UPC-A, UPC-E, JAN, ITF-14, " +
    "EAN-14 and GS1-128 (GS1 data judged by the GS1 Barcode Syntax Dictionary), Code 128, " +
    "Code 39.",
  examples: [{ gtin: "5901234123457", format: "svg" }],
  ...barcodeJsonSchema(),
  title: "BarcodePayload",
};

/**
 * Returns the path item of the 1D endpoint: `datamatrixPost`'s responses (200 also as EPS),
 * parameters and security, with the barcode's summary, description, operationId and body.
 */
export function barcodePath<
  T extends { responses: { "200": { description: string; headers: object; content: object } } },
>(datamatrixPost: T) {
  const ok = datamatrixPost.responses["200"];
  return {
    [BARCODE_PATH]: {
      post: {
        ...datamatrixPost,
        responses: {
          ...datamatrixPost.responses,
          "200": {
            ...ok,
            description: "The barcode.",
            headers: {
              ...ok.headers,
              "X-Module-Width-Mm": {
                description:
                  "The module width drawn, mm (4 decimals): module_width for svg, pdf and eps; " +
                  "for png the whole number of dots nearest to it at dpi, e.g. 0.3387 (4 dots " +
                  "at 300 dpi) for 0.33.",
                schema: { type: "number" },
              },
            },
            content: {
              ...ok.content,
              "application/postscript": {
                schema: { type: "string", contentMediaType: "application/postscript" },
              },
            },
          },
        },
        tags: ["Codes"],
        summary: "Generate a single 1D barcode",
        description:
          "Render one 1D barcode. `barcode_type` `auto` picks EAN-8, UPC-A, EAN-13 or ITF-14 " +
          "by the length of `gtin`, GS1-128 for bracketed AIs. Check digits are verified (a " +
          "wrong one is a 422 naming the right one) or computed when left out. Text is drawn " +
          "as OCR-B outlines (no font needed): EAN/UPC digits under their characters with the " +
          "first digit left of the guards and the `>` quiet-zone mark; bracketed AIs under " +
          "GS1-128. SVG and PDF state every bar in mm; PNG puts every bar on whole dots at " +
          "`dpi`. Caching, ETag/304, limits and problems as for the datamatrix endpoint.",
        operationId: "generate_barcode",
        requestBody: {
          required: true,
          content: {
            "application/json": { schema: { $ref: "#/components/schemas/BarcodePayload" } },
          },
        },
      },
    },
  };
}
