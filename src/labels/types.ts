// The vocabulary of bulk label export, shared by the request parser, the job store and queue,
// the pipeline that renders items into an archive, and the HTTP routes. Types only.

import type { SheetGeometry } from "./sheets/templates.js";

/** What a job produces: a ZIP of DataMatrix, QR, 1D or QR-and-1D symbols, or label sheets. */
export type ExportType = "datamatrix" | "qr_codes" | "barcodes_1d" | "codes_combined" | "sheet_pdf";

/** A job's lifecycle: pending → processing → completed | failed | canceled. */
export type JobStatus = "pending" | "processing" | "completed" | "failed" | "canceled";

/** Who owns a job: "user:<id>" (a session, or a key a user owns), "key:<id>", "client:<id>". */
export type Owner = string;

/** One item that could not be rendered: its 1-based position in the job's input, and why. */
export interface ItemError {
  /** 1-based item number (for CSV, the data row number: the header is row 0). */
  row: number;
  /** The field as the item named it (e.g. "lot", "ais.7003", "element_string", "csv"). */
  field: string;
  message: string;
}

/**
 * Where a job's items come from, as stored with the job: an inline list (kept as a file in the
 * job's directory), an uploaded CSV (kept as a file), or a serial-number generator.
 */
export type ItemSource =
  | { kind: "items"; file: string; count: number }
  | { kind: "csv"; file: string; count: number }
  | { kind: "serials"; spec: SerialSpec };

/** A serial-number generator request, validated (see src/labels/items/serials.ts). */
export interface SerialSpec {
  /** Every item's fields but the serial: gtin (normalised to 14 digits), lot, expiry, ais... */
  base: Record<string, unknown>;
  gtin: string;
  count: number;
  mode: "random" | "range";
  /** random: serial length and alphabet ("digits" or "alphanumeric", GS1-safe). */
  length?: number;
  alphabet?: "digits" | "alphanumeric";
  /** range: first number, zero-padded width, prefix. */
  start?: number;
  width?: number;
  prefix?: string;
}

/** The validated job request, stored as the job's spec (JSON). */
export interface JobSpec {
  exportType: ExportType;
  /** eps for barcodes_1d and codes_combined only. */
  fileFormat: "svg" | "png" | "pdf" | "eps";
  /**
   * The rendering options every item shares, as the datamatrix endpoint takes them (barcodes_1d:
   * as the 1D endpoint does, with barcode_type and check_character as the items' defaults;
   * codes_combined: the QR's and the 1D's, see splitCombinedConfig in request.ts).
   */
  assetConfig: Record<string, unknown>;
  filenamePattern: string;
  onInvalid: "fail" | "skip";
  source: ItemSource;
  /** sheet_pdf only: the template (resolved to its geometry), cells to skip, proof outlines. */
  sheet?: SheetSpec;
}

/** How a sheet_pdf job lays its labels out (see src/labels/sheets/). */
export interface SheetSpec {
  template: SheetGeometry;
  startPosition: number;
  proof: boolean;
  /** Most pages a PDF holds; more make a ZIP of parts (set by the service: LABELS_PDF_MAX_PAGES). */
  maxPages?: number;
}

/** A job's row as the store returns it. Times are milliseconds since the epoch. */
export interface JobRecord {
  id: string;
  owner: Owner;
  status: JobStatus;
  spec: JobSpec;
  idempotencyKey: string | null;
  requestHash: string;
  totalItems: number;
  processedItems: number;
  /** The pipeline's last durable position (opaque JSON), or null before the first. */
  checkpoint: unknown;
  attempts: number;
  /** Set when failed: a summary and the first bad items. */
  error: { message: string; items?: ItemError[]; invalid_count?: number } | null;
  outputFilename: string | null;
  fileSizeBytes: number | null;
  sha256: string | null;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  expiresAt: number | null;
}
