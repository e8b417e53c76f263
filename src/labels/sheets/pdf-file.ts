// The coordinator's side of a label-sheet PDF: places ready-made label content streams (drawn in
// the render threads by render/pdf.ts pdfContentOf) into the cells of a template, page after
// page, straight into the file. Nothing grows with the job: each page's content stream is
// written as its labels arrive, its /Length is an indirect object written when the page closes,
// and every object's cross-reference entry (20 bytes) goes to a side file `<path>.xref` as the
// object is written — ZipWriter's central-directory side file, in PDF. A checkpoint is the two
// files' lengths and the page state; resuming cuts both back and appends the same labels again,
// so a resumed job gives the same bytes as one that never stopped. Deterministic: no dates, no
// /ID, numbers formatted by formatDecimal. Past `maxPages` pages the PDF is completed and the next
// part begins in a file of its own (`<path>.2`, `<path>.3`, ...; each with its own side file,
// kept until finish() so a resume can still cut the last completed part back).
//
// Objects: 1 the catalog, 2 the page tree (written last, its kids are 5, 8, 11, ...), then per
// page k (from 0): 3 + 3k its content stream, 4 + 3k that stream's length, 5 + 3k the page; after
// the last page's, when any label shows HRI text, the HRI font (render/pdf.ts hriFontObjects:
// an embedded Type 3 font with the glyphs of the characters the part's labels show), written
// with the page tree. The pages inherit their resources from the tree, which names that font
// (a page object is written before the part knows which glyphs it will need).
import { type FileHandle, open as openFile, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { formatDecimal } from "../../render/format-number.js";
import { HRI_FONT_RESOURCE, hriFontObjects, markHriCharacters } from "../../render/pdf.js";
import { sha256File } from "../archive/zip-file.js";
import type { SheetGeometry } from "./templates.js";

/** A durable position in a sheet PDF being written: what SheetPdfWriter.open() resumes from. */
export interface SheetCheckpoint {
  /** The part being written (0 = the file at `path`). */
  part: number;
  /** Length of the PDF file so far. */
  fileBytes: number;
  /** Length of the `.xref` side file: one 20-byte entry per object from 3 on. */
  xrefBytes: number;
  /** Labels placed so far. */
  labels: number;
  /** Pages closed so far. */
  pages: number;
  /** Where the open page's stream data starts, or -1 when no page is open. */
  streamStart: number;
  /**
   * The characters the part's labels show as HRI text so far, in code order (the HRI font's
   * glyphs when the part completes). Absent in checkpoints from before the font: none.
   */
  glyphs?: string;
}

/** How a job's labels go onto sheets. */
export interface SheetLayout {
  sheet: SheetGeometry;
  /** Cells of the first sheet to leave empty (a partly used sheet). */
  startPosition: number;
  /** Draw every cell's outline (a proof print on plain paper). */
  proof: boolean;
  /** Most pages in one PDF; the next page begins a new part. Unlimited when absent. */
  maxPages?: number;
}

/** The file of part `part` (from 0) of the sheet PDF at `path`. */
export function partPath(path: string, part: number): string {
  return part === 0 ? path : `${path}.${part + 1}`;
}

const PT_PER_MM = 72 / 25.4;
const HEADER = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
const CATALOG = "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n";

/**
 * A streaming, resumable writer of one label-sheet PDF. Calls must be sequential (each awaited
 * before the next). A failed write (ENOSPC included) rejects; the caller then calls abort().
 */
export class SheetPdfWriter {
  readonly path: string;
  readonly #layout: SheetLayout;
  readonly #perPage: number;
  readonly #maxPages: number;
  readonly #pageWidth: string;
  readonly #pageHeight: string;
  #file: FileHandle;
  #xref: FileHandle;
  #at: SheetCheckpoint;
  #directorySynced: boolean;
  /** The characters the current part's labels show, by code (see SheetCheckpoint.glyphs). */
  readonly #used = new Uint8Array(128);

  private constructor(
    path: string,
    layout: SheetLayout,
    file: FileHandle,
    xref: FileHandle,
    at: SheetCheckpoint,
    directorySynced: boolean,
  ) {
    this.path = path;
    this.#layout = layout;
    this.#perPage = layout.sheet.columns * layout.sheet.rows;
    this.#maxPages = layout.maxPages ?? Number.POSITIVE_INFINITY;
    this.#pageWidth = formatDecimal(layout.sheet.pageWidthMm * PT_PER_MM, 4);
    this.#pageHeight = formatDecimal(layout.sheet.pageHeightMm * PT_PER_MM, 4);
    this.#file = file;
    this.#xref = xref;
    this.#at = at;
    this.#directorySynced = directorySynced;
    for (const ch of at.glyphs ?? "") this.#used[ch.charCodeAt(0)] = 1;
  }

  /**
   * Opens a sheet PDF at `path` (side file `path + ".xref"`; later parts at partPath). Without a
   * checkpoint, creates both and writes the header and catalog. With one, opens the checkpoint's
   * part and its side file — they must be at least as long as it says — and cuts them back to it.
   * Rejects for a missing or short file.
   */
  static async open(
    path: string,
    layout: SheetLayout,
    checkpoint?: SheetCheckpoint,
  ): Promise<SheetPdfWriter> {
    if (checkpoint === undefined) {
      const [file, xref, fileBytes] = await startPart(path);
      const at = { part: 0, fileBytes, xrefBytes: 0, labels: 0, pages: 0, streamStart: -1 };
      return new SheetPdfWriter(path, layout, file, xref, at, false);
    }
    const current = partPath(path, checkpoint.part);
    const handles: FileHandle[] = [];
    try {
      handles.push(await openFile(current, "r+"), await openFile(`${current}.xref`, "r+"));
      const [file, xref] = handles;
      const [fileSize, xrefSize] = [(await file.stat()).size, (await xref.stat()).size];
      if (fileSize < checkpoint.fileBytes || xrefSize < checkpoint.xrefBytes) {
        throw new Error(
          `${current} (${fileSize} bytes, xref ${xrefSize}) is shorter than its checkpoint (${checkpoint.fileBytes}, ${checkpoint.xrefBytes})`,
        );
      }
      await file.truncate(checkpoint.fileBytes);
      await xref.truncate(checkpoint.xrefBytes);
      return new SheetPdfWriter(path, layout, file, xref, { ...checkpoint }, true);
    } catch (error) {
      await Promise.all(handles.map((h) => h.close().catch(() => {})));
      throw error;
    }
  }

  /** Labels placed so far. */
  get labels(): number {
    return this.#at.labels;
  }

  /**
   * Appends labels in order: label i is `sizes[3i]` bytes of `block` (a content stream drawn
   * with its bottom-left corner at the origin), `sizes[3i + 1]` × `sizes[3i + 2]` points large,
   * and is centred in the next free cell. Pages open and close as cells fill.
   */
  async appendLabels(block: Uint8Array, sizes: readonly number[]): Promise<void> {
    const parts: Buffer[] = [];
    let xref = "";
    let at = this.#at.fileBytes;
    const put = (text: string | Uint8Array) => {
      const b =
        typeof text === "string"
          ? Buffer.from(text, "latin1")
          : Buffer.from(text.buffer, text.byteOffset, text.byteLength);
      parts.push(b);
      at += b.length;
    };
    let offset = 0;
    for (let i = 0; i < sizes.length; i += 3) {
      if (this.#at.streamStart < 0) {
        if (this.#at.pages === this.#maxPages) {
          // This part is full: write what is pending, complete it, and begin the next.
          await this.#write(parts, xref, at);
          parts.length = 0;
          xref = "";
          await this.#nextPart();
          at = this.#at.fileBytes;
        }
        xref += this.#openPage(at, put);
      }
      const cell = (this.#at.labels + this.#layout.startPosition) % this.#perPage;
      const [x, y, w, h] = this.#cellBox(cell);
      const dx = formatDecimal(x + (w - sizes[i + 1]) / 2, 4);
      const dy = formatDecimal(y + (h - sizes[i + 2]) / 2, 4);
      put(`q 1 0 0 1 ${dx} ${dy} cm\n`);
      const label = block.subarray(offset, offset + sizes[i]);
      markHriCharacters(label, this.#used);
      put(label);
      put("Q\n");
      offset += sizes[i];
      this.#at.labels++;
      if (cell === this.#perPage - 1) xref += this.#closePage(at, put);
    }
    await this.#write(parts, xref, at);
  }

  /**
   * Makes everything appended so far durable (fdatasync of both files; the first time also an
   * fsync of their directory) and returns the position to resume from.
   */
  async checkpoint(): Promise<SheetCheckpoint> {
    await Promise.all([this.#file.datasync(), this.#xref.datasync()]);
    if (!this.#directorySynced) {
      const directory = await openFile(dirname(this.path), "r");
      try {
        await directory.sync();
      } finally {
        await directory.close();
      }
      this.#directorySynced = true;
    }
    return { ...this.#at, glyphs: this.#glyphs() };
  }

  // The characters marked in #used, in code order.
  #glyphs(): string {
    let glyphs = "";
    for (let code = 0; code < this.#used.length; code++) {
      if (this.#used[code] !== 0) glyphs += String.fromCharCode(code);
    }
    return glyphs;
  }

  /**
   * Completes the PDF (its last part): closes the open page (or writes one empty page when no
   * label was placed), then writes the page tree, the cross-reference table and the trailer;
   * closes, deletes the side files, and returns the parts' paths in order and the last part's
   * page count; for a one-part PDF also its size and SHA-256 (hex) (0 and "" when there are more
   * parts: the caller packs them and hashes that).
   */
  async finish(): Promise<{ size: number; sha256: string; pages: number; parts: string[] }> {
    const parts: Buffer[] = [];
    let at = this.#at.fileBytes;
    const put = (text: string | Uint8Array) => {
      const b = Buffer.from(text as string, "latin1");
      parts.push(b);
      at += b.length;
    };
    let xref = "";
    if (this.#at.streamStart < 0 && this.#at.pages === 0) xref += this.#openPage(at, put);
    if (this.#at.streamStart >= 0) xref += this.#closePage(at, put);
    await this.#write(parts, xref, at);
    const pages = this.#at.pages;
    const size = await this.#completePart();
    await Promise.all([this.#file.close(), this.#xref.close()]);
    const paths: string[] = [];
    for (let part = 0; part <= this.#at.part; part++) {
      paths.push(partPath(this.path, part));
      await rm(`${partPath(this.path, part)}.xref`, { force: true });
    }
    if (this.#at.part > 0) return { size: 0, sha256: "", pages, parts: paths };
    return { size, sha256: await sha256File(this.path), pages, parts: paths };
  }

  // Writes the page tree (with the pages' resources) and the HRI font if the labels show text,
  // the cross-reference table (copied from the side file) and the trailer after the current
  // part's last page, cuts the file there and fdatasyncs it; returns its size.
  async #completePart(): Promise<number> {
    const pages = this.#at.pages;
    const treeAt = this.#at.fileBytes;
    let position = treeAt;
    const append = async (text: string) => {
      const b = Buffer.from(text, "latin1");
      await writeFully(this.#file, b, position);
      position += b.length;
    };
    const fontId = 3 + 3 * pages;
    const font = this.#glyphs() === "" ? [] : hriFontObjects(this.#used, fontId);
    const resources =
      font.length === 0 ? "<< >>" : `<< /Font << /${HRI_FONT_RESOURCE} ${fontId} 0 R >> >>`;
    await append(`2 0 obj\n<< /Type /Pages /Resources ${resources} /Kids [`);
    // The kids a thousand at a time, never all in one string.
    for (let k = 0; k < pages; k += 1000) {
      let kids = "";
      for (let j = k; j < Math.min(pages, k + 1000); j++) kids += `${5 + 3 * j} 0 R `;
      await append(kids);
    }
    await append(`] /Count ${pages} >>\nendobj\n`);
    let fontEntries = "";
    for (const [i, object] of font.entries()) {
      fontEntries += entry(position);
      await append(`${fontId + i} 0 obj\n${object}\nendobj\n`);
    }
    const xrefAt = position;
    const size = fontId + font.length;
    await append(`xref\n0 ${size}\n0000000000 65535 f \n${entry(HEADER.length)}${entry(treeAt)}`);
    const buffer = Buffer.allocUnsafe(Math.min(1 << 20, Math.max(this.#at.xrefBytes, 1)));
    for (let read = 0; read < this.#at.xrefBytes; ) {
      const want = Math.min(buffer.length, this.#at.xrefBytes - read);
      const { bytesRead } = await this.#xref.read(buffer, 0, want, read);
      if (bytesRead === 0) throw new Error(`the xref side file ended early at byte ${read}`);
      await writeFully(this.#file, buffer.subarray(0, bytesRead), position);
      position += bytesRead;
      read += bytesRead;
    }
    await append(fontEntries);
    await append(`trailer\n<< /Size ${size} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`);
    await this.#file.truncate(position);
    await this.#file.datasync();
    return position;
  }

  // Completes the current part and begins the next in a new file (and side file).
  async #nextPart(): Promise<void> {
    await this.#completePart();
    await Promise.all([this.#file.close(), this.#xref.close()]);
    const part = this.#at.part + 1;
    const [file, xref, fileBytes] = await startPart(partPath(this.path, part));
    this.#file = file;
    this.#xref = xref;
    this.#directorySynced = false;
    this.#at = { ...this.#at, part, fileBytes, xrefBytes: 0, pages: 0, streamStart: -1 };
    this.#used.fill(0);
  }

  /** Closes and deletes every part and side file. Safe to call at any time. */
  async abort(): Promise<void> {
    await Promise.all([this.#file.close().catch(() => {}), this.#xref.close().catch(() => {})]);
    for (let part = 0; part <= this.#at.part + 1; part++) {
      await rm(partPath(this.path, part), { force: true });
      await rm(`${partPath(this.path, part)}.xref`, { force: true });
    }
  }

  // Starts page `pages` at file offset `at`: its content object, then (proof) every cell's
  // outline. Returns the xref entry of the content object.
  #openPage(at: number, put: (text: string) => void): string {
    const id = 3 + 3 * this.#at.pages;
    const head = `${id} 0 obj\n<< /Length ${id + 1} 0 R >>\nstream\n`;
    put(head);
    this.#at.streamStart = at + head.length;
    if (this.#layout.proof) {
      let outlines = "q 0.5 G 0.25 w\n";
      for (let cell = 0; cell < this.#perPage; cell++) {
        const [x, y, w, h] = this.#cellBox(cell);
        outlines += `${formatDecimal(x, 4)} ${formatDecimal(y, 4)} ${formatDecimal(w, 4)} ${formatDecimal(h, 4)} re\n`;
      }
      put(`${outlines}S Q\n`);
    }
    return entry(at);
  }

  // Ends the open page at file offset `at` (its stream's end): the stream, its length object and
  // the page object. Returns their two xref entries.
  #closePage(at: number, put: (text: string) => void): string {
    const id = 3 + 3 * this.#at.pages;
    const length = at - this.#at.streamStart;
    let text = "\nendstream\nendobj\n";
    const lengthAt = at + text.length;
    text += `${id + 1} 0 obj\n${length}\nendobj\n`;
    const pageAt = at + text.length;
    text +=
      `${id + 2} 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${this.#pageWidth} ${this.#pageHeight}] ` +
      `/Contents ${id} 0 R >>\nendobj\n`;
    put(text);
    this.#at.pages++;
    this.#at.streamStart = -1;
    return entry(lengthAt) + entry(pageAt);
  }

  // Cell `cell` of a page as [x, y, width, height] in points, y up from the page's bottom.
  #cellBox(cell: number): [number, number, number, number] {
    const s = this.#layout.sheet;
    const column = cell % s.columns;
    const row = Math.floor(cell / s.columns);
    const x = (s.marginLeftMm + column * s.pitchXMm) * PT_PER_MM;
    const top = (s.marginTopMm + row * s.pitchYMm) * PT_PER_MM;
    const w = s.labelWidthMm * PT_PER_MM;
    const h = s.labelHeightMm * PT_PER_MM;
    return [x, s.pageHeightMm * PT_PER_MM - top - h, w, h];
  }

  async #write(parts: Buffer[], xref: string, end: number): Promise<void> {
    if (parts.length > 0) await writeFully(this.#file, Buffer.concat(parts), this.#at.fileBytes);
    if (xref !== "") await writeFully(this.#xref, Buffer.from(xref, "latin1"), this.#at.xrefBytes);
    this.#at.fileBytes = end;
    this.#at.xrefBytes += xref.length;
  }
}

// Creates a part's file with the header and catalog, and its empty side file.
async function startPart(path: string): Promise<[FileHandle, FileHandle, number]> {
  const file = await openFile(path, "w+");
  try {
    const xref = await openFile(`${path}.xref`, "w+");
    const start = Buffer.from(HEADER + CATALOG, "latin1");
    await writeFully(file, start, 0);
    return [file, xref, start.length];
  } catch (error) {
    await file.close().catch(() => {});
    throw error;
  }
}

/** The cells a page of `sheet` has. */
export function cellsPerPage(sheet: SheetGeometry): number {
  return sheet.columns * sheet.rows;
}

// One cross-reference entry: exactly 20 bytes.
function entry(offset: number): string {
  return `${String(offset).padStart(10, "0")} 00000 n \n`;
}

async function writeFully(file: FileHandle, data: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await file.write(data, done, data.length - done, position + done);
    if (bytesWritten === 0) throw new Error("write made no progress");
    done += bytesWritten;
  }
}
