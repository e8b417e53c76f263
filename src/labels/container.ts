// What the pipeline writes a job's rendered batches into: a ZIP of one file per item
// (archive/zip-file.ts) or one label-sheet PDF (sheets/pdf-file.ts). Both append batches in
// item order, checkpoint as the two file lengths they need, resume from a checkpoint to the same
// bytes, and finish into the artifact; the pipeline sees only this interface.
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
   * Completes the artifact at the container's path. The ZIP adds errors.csv (when given) and
   * manifest.csv as entries; the PDF has no place for them (the job's status lists the errors).
   */
  finish(files: {
    manifest: string;
    errors: string | null;
  }): Promise<{ size: number; sha256: string }>;
  /** Closes and deletes what was written. */
  abort(): Promise<void>;
}

/** The artifact's file extension and media type for a job's spec. */
export function artifactKind(spec: Pick<JobSpec, "exportType">): {
  ext: "zip" | "pdf";
  contentType: string;
} {
  return spec.exportType === "sheet_pdf"
    ? { ext: "pdf", contentType: "application/pdf" }
    : { ext: "zip", contentType: "application/zip" };
}

/** The position of a container nothing was written to yet. */
export function emptyCheckpoint(spec: Pick<JobSpec, "exportType">): ContainerCheckpoint {
  return spec.exportType === "sheet_pdf"
    ? { fileBytes: 0, xrefBytes: 0, labels: 0, pages: 0, streamStart: -1 }
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
      { sheet: sheet.template, startPosition: sheet.startPosition, proof: sheet.proof },
      at === undefined || at.fileBytes === 0 ? undefined : at,
    );
    return {
      append: async (result) => {
        const sizes = result.labels ?? [];
        await writer.appendLabels(result.block, sizes);
        return sizes.length / 3;
      },
      checkpoint: () => writer.checkpoint(),
      finish: () => writer.finish(),
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
      if (errors !== null) await zip.addFileEntry("errors.csv", errors, true);
      await zip.addFileEntry("manifest.csv", manifest, true);
      return zip.finish();
    },
    abort: () => zip.abort(),
  };
}
