// The OpenAPI description of bulk label export (the published "Labels" tag): submit, poll, list,
// cancel, the signed download and the issued-serials listing. Merged into the served document
// by openapi.ts; the settings it states are this instance's.
import {
  ASSET_CONFIG_FIELDS,
  BARCODE_ASSET_CONFIG_FIELDS,
  BARCODE_FILENAME_PATTERN,
  COMBINED_BARCODE_FIELDS,
  COMBINED_BARCODE_TYPES,
  COMBINED_QR_FIELDS,
  COMBINED_SHARED_FIELDS,
  EXPORT_TYPES,
  MAX_INLINE_ITEMS,
} from "../labels/request.js";
import { problemResponse } from "./openapi-problem.js";
import type { PROBLEMS } from "./problems.js";

const problem = (code: keyof typeof PROBLEMS, description?: string) =>
  problemResponse(code, description);

const security = [{ APIKeyHeaderAuth: [] }, { OAuthTokenAuth: [] }, { SessionAuth: [] }];

/** The label settings the document states. */
export interface DocumentedLabelLimits {
  maxItems: number;
  perDay: number;
  maxActive: number;
  maxUploadMb: number;
  ttlHours: number;
}

const jobId = {
  name: "job_id",
  in: "path",
  required: true,
  description: "22-character shortuuid; anything else is 422 before any lookup.",
  schema: { type: "string", pattern: "^[2-9A-HJ-NP-Za-km-z]{22}$" },
};

/** The export request (JSON, the `request` part of a multipart upload, or the query with text/csv). */
export const LABEL_EXPORT_REQUEST = {
  type: "object",
  properties: {
    export_type: {
      enum: [...EXPORT_TYPES],
      default: "datamatrix",
      description:
        "`datamatrix` and `qr_codes` (a ZIP of one symbol per item; qr_codes items are judged and drawn as the QR endpoint does), `barcodes_1d` (a ZIP of one 1D barcode per item, as POST /products/api/v1/barcode/ draws it), `codes_combined` (a ZIP of a QR and a 1D barcode per item, QR first, each drawn as the two endpoints draw it) and `sheet_pdf` (one multi-up label-sheet PDF).",
    },
    file_format: {
      enum: ["svg", "png", "pdf", "eps"],
      default: "svg",
      description:
        "datamatrix, qr_codes: one file per item in a ZIP (SVG deflated, PNG and PDF stored). barcodes_1d and codes_combined: `svg`, `eps` (both deflated), `png` or `pdf`. sheet_pdf: `pdf` only (the default for it).",
    },
    on_invalid: {
      enum: ["fail", "skip"],
      default: "fail",
      description:
        "`fail`: any invalid item fails the job (errors listed, nothing rendered); `skip`: the rest render and errors.csv goes in the ZIP.",
    },
    asset_config: {
      type: "object",
      description: `Rendering options every item shares, as the datamatrix endpoint takes them: ${ASSET_CONFIG_FIELDS.join(", ")}. \`filename_pattern\` (default \`{index}-{gtin}-{serial|lot}.{ext}\`) must begin with \`{index}\`. \`shape\` is datamatrix only; \`size\` and \`error_correction\` are qr_codes only (judged as the QR endpoint judges them). sheet_pdf only: \`sheet_template\` (required: a name from GET /labels/templates/, or a custom object \`{page_size: "A4"|"Letter"|[w, h] mm, columns, rows, label_width_mm, label_height_mm, margin_left_mm, margin_top_mm, pitch_x_mm, pitch_y_mm}\` — labels inside the page, no overlaps), \`start_position\` (cells of the first sheet to leave empty, default 0), \`proof\` (draw cell outlines, default false). Each symbol keeps its X-dimension: a template whose cells cannot hold it is 422 (per item when its size depends on the item). Items of a sheet_pdf job may carry \`label_text\` (a string or up to 6 strings, printable ASCII) printed under the HRI.\n\nbarcodes_1d takes the 1D endpoint's options instead: ${BARCODE_ASSET_CONFIG_FIELDS.join(", ")}, each under that endpoint's rules; \`barcode_type\` and \`check_character\` here are the default of items that do not name their own. \`filename_pattern\` defaults to \`${BARCODE_FILENAME_PATTERN}\` ({gtin}: the GTIN the symbol carries; {lot}/{serial}: AIs 10/21 of an item sent as \`ais\`). manifest.csv: \`data\` is what the symbol carries (check characters included, GS1-128 as bracketed AIs), \`hri\` the printed text, \`symbol_size\` the barcode_type drawn and the picture's size, e.g. \`ean13 37.29x25.93mm\`.\n\ncodes_combined takes the QR's fields (${COMBINED_QR_FIELDS.join(", ")}: the QR endpoint's rules, Digital Link unless \`data_format\` says otherwise), the 1D's (${COMBINED_BARCODE_FIELDS.join(", ")}: the 1D endpoint's rules; \`barcode_type\` one of ${COMBINED_BARCODE_TYPES.join(", ")}, the default of items that do not name their own), ${COMBINED_SHARED_FIELDS.join(", ")} for both symbols (judged by both endpoints), \`qr_quiet_zone\` (modules) and \`barcode_quiet_zone\` (mm), and \`filename_pattern\` (default \`{index}-{gtin}-{serial|lot}.{ext}\`). \`quiet_zone\` itself is 422 \`ambiguous\` (modules to one endpoint, mm to the other); \`shape\`, \`check_character\` and the sheet fields are 422 \`export_type\`. Each item's two entries are named by the pattern with \`-qr\` and \`-1d\` before the extension (\`1-09506000134352-L1-qr.svg\`, \`1-09506000134352-L1-1d.svg\`); manifest.csv has a row for each, written as qr_codes and barcodes_1d write theirs.`,
    },
    items: {
      type: "array",
      maxItems: MAX_INLINE_ITEMS,
      items: { $ref: "#/components/schemas/DataMatrixPayload" },
      description:
        "Datamatrix payloads (named fields, `ais` or `element_string`), each validated as the single endpoint validates it. barcodes_1d: 1D payloads of `gtin`, `barcode_type`, `element_string`, `ais`, `check_character` only (another field, such as a lot the 1D symbol would not carry, fails the item; GS1 data beyond the GTIN goes in `element_string` or `ais` as GS1-128). codes_combined: QR payloads (as qr_codes; a lot or serial required), each with an optional `barcode_type` for its 1D barcode, which carries the item's `gtin` as written (auto: 8 digits EAN-8, 12 UPC-A, 13 EAN-13, 14 ITF-14), the AI (01) of an `element_string` item, or with `gs1_128` every element the QR carries.",
    },
    serials: {
      type: "object",
      description:
        "A serial-number generator: `gtin`, optional `lot`/`expiry`/`production_date`/`ais`, `mode` (`random`: `length`, `alphabet` digits|alphanumeric; `range`: `start`, `width`, `prefix`), `count`. Serials are unique per GTIN across every job; a range overlapping issued serials, or a random request guessable with probability over 1 in 10,000 (EU FMD), is 422. Not for barcodes_1d (422): send items with `element_string` or `ais`. codes_combined takes it: the serial goes in the QR, and in the 1D barcode with barcode_type `gs1_128`.",
    },
    scope: { description: "Not supported: this service keeps no product repository (422)." },
    filters: { description: "Not supported (422)." },
  },
};

const jobSchema = {
  type: "object",
  properties: {
    job_id: { type: "string" },
    status: { enum: ["pending", "processing", "completed", "failed", "canceled"] },
    export_type: { type: "string" },
    file_format: { type: "string" },
    total_items: { type: "integer" },
    processed_items: { type: "integer" },
    progress_percent: { type: "number" },
    download_url: {
      anyOf: [{ type: "string" }, { type: "null" }],
      description: "Signed, expiring; set when completed.",
    },
    expires_at: { anyOf: [{ type: "string", format: "date-time" }, { type: "null" }] },
    output_filename: { anyOf: [{ type: "string" }, { type: "null" }] },
    file_size_bytes: { anyOf: [{ type: "integer" }, { type: "null" }] },
    error: {
      anyOf: [{ type: "object" }, { type: "null" }],
      description:
        "Set when failed: `message`, and for invalid items `items` (the first 1,000: row, field, message) and `invalid_count`.",
    },
    errors_url: {
      anyOf: [{ type: "string" }, { type: "null" }],
      description: "Signed link to errors.csv of a job failed for invalid items.",
    },
    created_at: { type: "string", format: "date-time" },
  },
};

const pagination = [
  { name: "page", in: "query", schema: { type: "integer", minimum: 1, default: 1 } },
  {
    name: "page_size",
    in: "query",
    schema: { type: "integer", minimum: 1, maximum: 100, default: 25 },
  },
];

/** The label-export paths, stating `limits`. */
export function labelPaths(limits: DocumentedLabelLimits) {
  const count = (n: number) => n.toLocaleString("en-US");
  return {
    "/products/api/v1/qr/bulk/": {
      post: {
        tags: ["QR"],
        summary: "Generate QR codes in bulk (a label-export job)",
        description:
          "Every item shares `gtin`, `format` (svg, png or pdf) and the rendering options of the QR " +
          "endpoint (`size`, `error_correction`, `data_format`, …); `items` (1 to 5,000) vary only " +
          "`lot`, `serial` and `expiry`. Runs as a label-export job of export_type `qr_codes` (a ZIP, " +
          "one symbol per item): 202 with `{task_id, status, items, poll_url}`; poll `poll_url` as " +
          "any job. `Idempotency-Key` as for label export.",
        security,
        parameters: [
          {
            name: "Idempotency-Key",
            in: "header",
            required: false,
            schema: { type: "string", maxLength: 255 },
          },
        ],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["gtin", "items"],
                properties: {
                  gtin: { type: "string" },
                  format: { enum: ["svg", "png", "pdf"], default: "svg" },
                  size: { type: "integer", minimum: 50, maximum: 2000, default: 400 },
                  items: {
                    type: "array",
                    minItems: 1,
                    maxItems: 5000,
                    items: {
                      type: "object",
                      additionalProperties: false,
                      properties: {
                        lot: { type: "string" },
                        serial: { type: "string" },
                        expiry: { type: "string" },
                      },
                    },
                  },
                },
                additionalProperties: true,
              },
            },
          },
        },
        responses: {
          "202": {
            description: "Accepted.",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: {
                    task_id: { type: "string" },
                    status: { const: "pending" },
                    items: { type: "integer" },
                    poll_url: { type: "string" },
                  },
                },
              },
            },
          },
          "401": problem("unauthorized"),
          "413": problem("payload_too_large"),
          "422": problem("validation_error"),
          "429": problem("rate_limited"),
        },
      },
    },
    "/products/api/v1/labels/export/": {
      post: {
        tags: ["Labels"],
        summary: "Submit a bulk label-export job",
        description:
          'Always 202 with `{job_id, status: "pending", poll_url}`, `Location` and `Retry-After`; poll the job. ' +
          `Items inline (at most ${count(MAX_INLINE_ITEMS)}), as a CSV (multipart/form-data with a \`file\` part and the job as JSON in a \`request\` part, or text/csv with the job's fields in the query; header by field name or AI number; at most ${count(limits.maxUploadMb)} MB), or from a serial generator; at most ${count(limits.maxItems)} items. ` +
          `A job counts as one request on the key's tier; its items count against ${count(limits.perDay)} labels per key per UTC day, and an owner has at most ${limits.maxActive} unfinished jobs (429 naming which). ` +
          "`Idempotency-Key`: the same key and body give the same job for 24 h; the same key with another body is 422.",
        security,
        parameters: [
          {
            name: "Idempotency-Key",
            in: "header",
            required: false,
            schema: { type: "string", maxLength: 255 },
          },
        ],
        requestBody: {
          required: true,
          content: {
            "application/json": { schema: { $ref: "#/components/schemas/LabelExportRequest" } },
            "multipart/form-data": {
              schema: {
                type: "object",
                properties: {
                  file: { type: "string", format: "binary" },
                  request: { type: "string", description: "LabelExportRequest as JSON" },
                },
                required: ["file"],
              },
            },
            "text/csv": { schema: { type: "string" } },
          },
        },
        responses: {
          "202": {
            description: "Accepted.",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: {
                    job_id: { type: "string" },
                    status: { const: "pending" },
                    poll_url: { type: "string" },
                  },
                },
              },
            },
          },
          "401": problem("unauthorized"),
          "413": problem("payload_too_large"),
          "422": problem("validation_error"),
          "429": problem("rate_limited"),
        },
      },
      get: {
        tags: ["Labels"],
        summary: "List your export jobs, newest first",
        security,
        parameters: pagination,
        responses: {
          "200": { description: "`{data: [job], pagination}`" },
          "422": problem("validation_error"),
        },
      },
    },
    "/products/api/v1/labels/export/{job_id}/": {
      get: {
        tags: ["Labels"],
        summary: "Poll a bulk label-export job",
        description: "Another owner's job is 404, as is an unknown one.",
        security,
        parameters: [jobId],
        responses: {
          "200": {
            description: "The job.",
            content: { "application/json": { schema: jobSchema } },
          },
          "404": problem("not_found"),
          "422": problem("validation_error"),
        },
      },
      delete: {
        tags: ["Labels"],
        summary: "Cancel a running job (it stops within one batch) or delete a finished job's file",
        security,
        parameters: [jobId],
        responses: {
          "204": { description: "Done." },
          "404": problem("not_found"),
          "422": problem("validation_error"),
        },
      },
    },
    "/products/api/v1/labels/download/{job_id}": {
      get: {
        tags: ["Labels"],
        summary: "Download a finished export (the signed link of download_url)",
        description: `No credential: the signature is one. Strong ETag, Content-Disposition, Range requests (206). Files are kept ${limits.ttlHours} h.`,
        parameters: [
          { name: "job_id", in: "path", required: true, schema: { type: "string" } },
          { name: "expires", in: "query", required: true, schema: { type: "integer" } },
          { name: "signature", in: "query", required: true, schema: { type: "string" } },
        ],
        responses: {
          "200": {
            description:
              "The ZIP (application/zip), the sheet PDF of a sheet_pdf job (application/pdf; past LABELS_PDF_MAX_PAGES pages a ZIP of PDF parts), or errors.csv.",
          },
          "206": { description: "A range." },
          "403": problem("forbidden", "A tampered link."),
          "410": problem("gone", "The link or the file has expired, or was deleted."),
        },
      },
    },
    "/products/api/v1/labels/templates/": {
      get: {
        tags: ["Labels"],
        summary: "Label-sheet templates for sheet_pdf jobs",
        description:
          "The named templates, their geometry in millimetres (from glabels' template files, cited in `source`).",
        security,
        parameters: [...pagination],
        responses: {
          "200": {
            description:
              "`{data: [{name, description, source, page_width_mm, page_height_mm, columns, rows, label_width_mm, label_height_mm, margin_left_mm, margin_top_mm, pitch_x_mm, pitch_y_mm}], pagination}`",
          },
          "422": problem("validation_error"),
        },
      },
    },
    "/products/api/v1/labels/csv-preview/": {
      post: {
        tags: ["Labels"],
        summary: "Preview a CSV's first rows with their problems, making no job",
        description:
          "The first lines of a CSV (text/csv, at most 256 KB) with the job's fields in the query as for a text/csv export (export_type, file_format, asset_config fields by name). Answers the header and the first 5 rows as the job would read them, each with the problems the job would report for it (row, field, message), under the job's own rules. A header or CSV the export would refuse is 422 on `file`.",
        security,
        requestBody: { required: true, content: { "text/csv": { schema: { type: "string" } } } },
        responses: {
          "200": {
            description: "`{header: [string], rows: [{row, item, errors: [{field, message}]}]}`",
          },
          "413": problem("payload_too_large"),
          "415": problem("unsupported_media_type"),
          "422": problem("validation_error"),
        },
      },
    },
    "/products/api/v1/labels/serials/": {
      get: {
        tags: ["Labels"],
        summary: "Issued serial batches of a GTIN, newest first",
        security,
        parameters: [
          {
            name: "gtin",
            in: "query",
            required: true,
            schema: { type: "string", pattern: "^\\d{14}$" },
          },
          ...pagination,
        ],
        responses: {
          "200": { description: "`{data: [batch], pagination}`" },
          "422": problem("validation_error"),
        },
      },
    },
  };
}
