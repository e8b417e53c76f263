// What the pipeline writes a job's rendered batches into: a ZIP of one file per item
// (archive/zip-file.ts) or one label-sheet PDF (sheets/pdf-file.ts). Both append batches in
// item order, checkpoint as the two file lengths they need, resume from a checkpoint to the same
// bytes, and finish into the artifact; the pipeline sees only this interface.
import { rm } from "node:fs/promises";
import { type ZipCheckpoint, ZipWriter } from "./archive/zip-file.js";
import type { BatchResult } from "./render-batch.js";
import { type SheetCheckpoint, SheetPdfWriter } from "./sheets/pdf-file.js";
import type { JobSpec } from "./types.js";

/** A container's durable position (stored in the job's checkpoint). */
export type ContainerCheckpoint = ZipCheckpoint | SheetCheckpoint;

/** A job's artifact being written. Calls are sequential, each awaited. */
export interface Container {
  /** Appends a batch's output; returns the labels (entries) it added. */
  append(result: BatchResult): Promise<number>;
  /** Makes what was appended durable and returns where to resume. */
  checkpoint(): Promise<ContainerCheckpoint>;
  /**
   * Completes the artifact and returns its file (to be renamed into place), size, SHA-256 and
   * extension. The ZIP adds errors.csv (when given) and manifest.csv as entries. The sheet PDF is
   * one PDF, or past its part size a ZIP (stored) of its parts `part-001.pdf`, ...
   */
  finish(files: {
    manifest: string;
    errors: string | null;
  }): Promise<{ file: string; size: number; sha256: string; ext: "zip" | "pdf" }>;
  /** Closes and deletes what was written. */
  abort(): Promise<void>;
}

/** The media type of a finished job's artifact, by its output file name. */
export function artifactContentType(outputFilename: string | null): string {
  return outputFilename?.endsWith(".pdf") ? "application/pdf" : "application/zip";
}

/** The position of a container nothing was written to yet. */
export function emptyCheckpoint(spec: Pick<JobSpec, "exportType">): ContainerCheckpoint {
  return spec.exportType === "sheet_pdf"
    ? { part: 0, fileBytes: 0, xrefBytes: 0, labels: 0, pages: 0, streamStart: -1 }
    : { archiveBytes: 0, centralBytes: 0, entries: 0 };
}

/**
 * Opens the container for `spec` at `path`: fresh when `checkpoint` is emptyCheckpoint's (or
 * undefined), else resumed from it (see ZipWriter.open, SheetPdfWriter.open).
 */
export async function openContainer(
  spec: Pick<JobSpec, "exportType" | "sheet">,
  path: string,
  checkpoint?: ContainerCheckpoint,
): Promise<Container> {
  if (spec.exportType === "sheet_pdf") {
    const sheet = spec.sheet;
    if (!sheet) throw new Error("a sheet_pdf job's spec has no sheet");
    const at = checkpoint as SheetCheckpoint | undefined;
    const writer = await SheetPdfWriter.open(
      path,
      {
        sheet: sheet.template,
        startPosition: sheet.startPosition,
        proof: sheet.proof,
        maxPages: sheet.maxPages,
      },
      at === undefined || at.fileBytes === 0 ? undefined : at,
    );
    return {
      append: async (result) => {
        const sizes = result.labels ?? [];
        await writer.appendLabels(result.block, sizes);
        return sizes.length / 3;
      },
      checkpoint: () => writer.checkpoint(),
      finish: async () => {
        const done = await writer.finish();
        if (done.parts.length === 1) {
          return { file: path, size: done.size, sha256: done.sha256, ext: "pdf" };
        }
        const zip = await ZipWriter.open(`${path}.zip`);
        for (const [k, part] of done.parts.entries()) {
          await zip.addFileEntry(`part-${String(k + 1).padStart(3, "0")}.pdf`, part, false);
        }
        const { size, sha256 } = await zip.finish();
        for (const part of done.parts) await rm(part, { force: true });
        return { file: `${path}.zip`, size, sha256, ext: "zip" };
      },
      abort: () => writer.abort(),
    };
  }
  const at = checkpoint as ZipCheckpoint | undefined;
  const zip = await ZipWriter.open(
    path,
    at === undefined || at.archiveBytes === 0 ? undefined : at,
  );
  return {
    append: async (result) => {
      const { block } = result;
      await zip.appendBlock(
        Buffer.from(block.buffer, block.byteOffset, block.byteLength),
        result.entries,
      );
      return result.entries.length;
    },
    checkpoint: () => zip.checkpoint(),
    finish: async ({ manifest, errors }) => {
      zip.hashAhead();
      if (errors !== null) await zip.addFileEntry("errors.csv", errors, true);
      await zip.addFileEntry("manifest.csv", manifest, true);
      return { file: path, ...(await zip.finish()), ext: "zip" };
    },
    abort: () => zip.abort(),
  };
}
