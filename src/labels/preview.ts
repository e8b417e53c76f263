// The preview of a CSV before it is exported: its first rows as the job would read them (the CSV
// reader of items/csv.ts) and each row's problems as the job would report them (renderBatch in
// validate-only mode, on the main thread: a handful of rows), so the dashboard shows what the
// export will say without creating a job.
import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { countCsvRecords, readCsvItems } from "./items/csv.js";
import { type ItemLine, renderBatch } from "./render-batch.js";
import type { ItemError, JobSpec } from "./types.js";

/** Rows a preview shows. */
export const PREVIEW_ROWS = 5;

/** One previewed row: its data-row number, the item it makes (null when unreadable), problems. */
export interface PreviewRow {
  row: number;
  item: Record<string, unknown> | null;
  errors: { field: string; message: string }[];
}

/**
 * Reads the first PREVIEW_ROWS rows of the CSV at `path` and validates them under `spec` with
 * the job's own rules. Rejects with the CSV reader's errors (CsvHeaderError, CsvSyntaxError)
 * for a file the upload check would refuse. `workDir` holds a temporary items file.
 */
export async function previewCsv(
  path: string,
  workDir: string,
  spec: Omit<JobSpec, "source">,
): Promise<{ header: string[]; rows: PreviewRow[] }> {
  const { header } = await countCsvRecords(createReadStream(path), {
    maxItems: Number.MAX_SAFE_INTEGER,
  });
  const rows: PreviewRow[] = [];
  const lines: ItemLine[] = [];
  for await (const entry of readCsvItems(path)) {
    if ("error" in entry) {
      rows.push({ row: entry.row, item: null, errors: [] });
      lines.push({ r: entry.row, e: entry.error });
    } else {
      rows.push({ row: entry.row, item: entry.item, errors: [] });
      lines.push({ r: entry.row, i: entry.item });
    }
    if (rows.length === PREVIEW_ROWS) break;
  }
  if (lines.length === 0) return { header, rows };
  await mkdir(workDir, { recursive: true });
  const itemsFile = join(workDir, `preview-${randomUUID()}.ndjson`);
  const text = lines.map((l) => `${JSON.stringify(l)}\n`).join("");
  await writeFile(itemsFile, text);
  try {
    const result = await renderBatch({
      itemsFile,
      start: 0,
      end: Buffer.byteLength(text),
      firstIndex: 0,
      total: lines.length,
      spec,
      validateOnly: true,
    });
    const byRow = new Map(rows.map((r) => [r.row, r]));
    for (const e of result.errors as ItemError[]) {
      byRow.get(e.row)?.errors.push({ field: e.field, message: e.message });
    }
  } finally {
    await rm(itemsFile, { force: true });
  }
  return { header, rows };
}
