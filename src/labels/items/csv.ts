// CSV item sources for bulk label export: an uploaded CSV file turned, row by row, into datamatrix
// payloads (the same objects the single endpoint takes), streamed with csv-parse so a file of a
// million rows is never held whole. Two readers share the header rules and the row count:
// countCsvRecords while an upload streams to disk (refuse a bad header or too many rows before
// the job exists), readCsvItems when the job runs.
//
// Decisions, each for the printer at the end of the line:
// - An unknown column is an error naming it (CsvHeaderError), never ignored: a typo'd header
//   ("expriy") silently dropped would print labels without the data the user meant them to carry.
// - A column given twice (`lot` and `10`, or `(21)` and `serial`) is an error: which one wins
//   would be a guess.
// - A column with an empty header is allowed (spreadsheets export stray trailing columns) as long
//   as every cell under it is empty; a value under it, like a cell past the last column, is an
//   ItemError for that row (field "csv"): data without a column is never dropped silently.
// - Rows whose cells are all empty (blank lines, Excel's ",,,") are skipped: they carry no label.
//   They still count in row numbers, so row N is always the Nth data record of the file.
// - Cell values are taken as written (no trimming): a space in a lot is the validator's to name,
//   not ours to remove. An empty cell is an absent field.

import { createReadStream } from "node:fs";
import { pipeline, type Readable } from "node:stream";
import { type CsvError, type Parser, parse } from "csv-parse";
import { aiEntry } from "../../gs1/ai/lookup.js";
import type { ItemError } from "../types.js";

/** The header cannot be used: an unknown, duplicated or missing column, or no header at all. */
export class CsvHeaderError extends Error {
  /** The column as the header wrote it, when one column is to blame. */
  readonly column: string | null;
  constructor(message: string, column: string | null = null) {
    super(message);
    this.name = "CsvHeaderError";
    this.column = column;
  }
}

/** The file has more data rows than the job may take. */
export class CsvLimitError extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(
      `The CSV has more than ${formatCount(limit)} data rows; a job takes at most ` +
        `${formatCount(limit)} items (LABELS_MAX_ITEMS). Split the file into several jobs.`,
    );
    this.name = "CsvLimitError";
    this.limit = limit;
  }
}

/**
 * The file is not well-formed CSV (RFC 4180), e.g. a quote never closed or text after a closing
 * quote; parsing cannot go on past it, so the whole file is refused. `line` is 1-based, counting
 * the header line.
 */
export class CsvSyntaxError extends Error {
  readonly line: number;
  /** csv-parse's error code, e.g. "CSV_QUOTE_NOT_CLOSED". */
  readonly code: string;
  constructor(message: string, line: number, code: string) {
    super(message);
    this.name = "CsvSyntaxError";
    this.line = line;
    this.code = code;
  }
}

/** One data row read: its payload, or why it has none. `row` is 1-based (the header is row 0). */
export type CsvRow =
  | { row: number; item: Record<string, unknown> }
  | { row: number; error: ItemError };

/** Payload fields a column may name, besides AI numbers. `label_text` is for label sheets. */
export const CSV_FIELD_COLUMNS = [
  "gtin",
  "lot",
  "serial",
  "expiry",
  "production_date",
  "element_string",
  "label_text",
] as const;

/** The AIs that have a named payload field; an AI column for them fills that field. */
const AI_TO_FIELD: Readonly<Record<string, string>> = {
  "01": "gtin",
  "10": "lot",
  "21": "serial",
  "17": "expiry",
  "11": "production_date",
};

/** The longest row accepted, in bytes: bounds memory when a stray quote swallows the file. */
export const MAX_ROW_BYTES = 64 * 1024;

/** Where one column's cells go: a top-level field, `ais[ai]`, or nowhere (an unnamed column). */
type Target = { field: string } | { ai: string } | null;

/** The header, resolved: one target per column. */
interface ColumnMap {
  header: string[];
  targets: Target[];
}

const ACCEPTED =
  `${CSV_FIELD_COLUMNS.join(", ")}, or an AI number of the GS1 Barcode Syntax Dictionary ` +
  "such as 01, 10, 21, 17, 11 or 7003 (also written (01))";

/**
 * Resolves a header row to column targets. Names are matched case-insensitively after trimming
 * spaces; `(01)` is the AI 01. Throws CsvHeaderError for an unknown name (naming it and listing
 * the accepted names), a target given twice, or a header with no named column.
 */
export function resolveHeader(header: string[]): ColumnMap {
  const targets: Target[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < header.length; i++) {
    const raw = header[i];
    const name = raw.trim().toLowerCase();
    if (name === "") {
      targets.push(null);
      continue;
    }
    const target = resolveName(name);
    if (target === null) throw unknownColumn(raw, i, header);
    const key = "field" in target ? target.field : `ais.${target.ai}`;
    const before = seen.get(key);
    if (before !== undefined) {
      const what = "field" in target ? describeField(target.field) : `AI (${target.ai})`;
      throw new CsvHeaderError(
        `CSV columns ${before + 1} (${JSON.stringify(header[before])}) and ${i + 1} ` +
          `(${JSON.stringify(raw)}) both give ${what}; keep one of them.`,
        raw,
      );
    }
    seen.set(key, i);
    targets.push(target);
  }
  if (seen.size === 0) {
    throw new CsvHeaderError(
      "The CSV's first line must be a header naming its columns; it names none. " +
        `Accepted column names: ${ACCEPTED}.`,
    );
  }
  return { header, targets };
}

function resolveName(name: string): Target {
  if ((CSV_FIELD_COLUMNS as readonly string[]).includes(name)) return { field: name };
  const ai = name.startsWith("(") && name.endsWith(")") ? name.slice(1, -1).trim() : name;
  if (!/^[0-9]{2,4}$/.test(ai) || aiEntry(ai) === undefined) return null;
  const field = AI_TO_FIELD[ai];
  return field !== undefined ? { field } : { ai };
}

function describeField(field: string): string {
  const ai = Object.keys(AI_TO_FIELD).find((k) => AI_TO_FIELD[k] === field);
  return ai === undefined ? field : `${field}, AI (${ai})`;
}

function unknownColumn(raw: string, index: number, header: string[]): CsvHeaderError {
  const name = raw.trim();
  let hint = "";
  if (/^[0-9]{1,3}$/.test(name) && aiEntry(`0${name}`) !== undefined) {
    // A spreadsheet turns a typed 01 into the number 1; the bracketed form survives it.
    hint = ` A spreadsheet may have dropped a leading zero: write (0${name}) for AI (0${name}).`;
  } else if (header.length === 1 && /[;\t|]/.test(name)) {
    hint =
      " The header looks separated by semicolons or tabs; this service reads comma-separated " +
      'CSV (RFC 4180): save the file as "CSV UTF-8 (comma delimited)".';
  } else if (/^[0-9()]+$/.test(name)) {
    hint = " It is not an AI of the GS1 Barcode Syntax Dictionary.";
  }
  return new CsvHeaderError(
    `CSV column ${index + 1}, ${JSON.stringify(raw)}, is not a column this service knows.${hint} ` +
      `Accepted column names: ${ACCEPTED}.`,
    raw,
  );
}

/** One record from the parser: its cells and the line it ends on. */
interface ParsedRecord {
  cells: string[];
  line: number;
}

// csv-parse set up for RFC 4180 as spreadsheets write it: comma, double quotes doubled inside
// quoted fields, an optional UTF-8 BOM dropped, and rows ended by CRLF, LF or CR, mixed as they
// may be in files pasted together (csv-parse's auto-detection would fix the first one it sees).
// Rows may have any number of cells (judged here, with the row's number).
//
// Each record comes out with the line it starts on, and `progress.line` is the last line of the
// latest complete record, so a record that fails starts on the line after it. Lines are counted
// here, from the line breaks inside quoted cells, because csv-parse's own count takes a CRLF
// inside quotes for two lines; and in `push` (the Readable API the parser emits records through)
// rather than in csv-parse's on_record, which builds an info object per record and cost three
// quarters of the throughput.
function makeParser(): { parser: Parser; progress: { line: number } } {
  const progress = { line: 0 };
  const parser = parse({
    bom: true,
    delimiter: ",",
    quote: '"',
    escape: '"',
    record_delimiter: ["\r\n", "\n", "\r"],
    relax_column_count: true,
    skip_empty_lines: false,
    max_record_size: MAX_ROW_BYTES,
    encoding: "utf8",
  });
  const push = parser.push.bind(parser);
  parser.push = (record: unknown, encoding?: BufferEncoding) => {
    if (record === null) return push(null, encoding);
    const cells = record as string[];
    const line = progress.line + 1;
    progress.line = line + lineBreaks(cells);
    const parsed: ParsedRecord = { cells, line };
    return push(parsed, encoding);
  };
  return { parser, progress };
}

// The line breaks inside a record's (quoted) cells: CRLF, LF and CR each count once.
function lineBreaks(cells: string[]): number {
  let n = 0;
  for (const cell of cells) {
    if (cell.indexOf("\n") === -1 && cell.indexOf("\r") === -1) continue;
    n += cell.match(/\r\n|\r|\n/g)?.length ?? 0;
  }
  return n;
}

function isEmptyRow(cells: string[]): boolean {
  for (let i = 0; i < cells.length; i++) if (cells[i] !== "") return false;
  return true;
}

// Turns csv-parse's error into ours, naming the line the failing row starts on (the row after
// the last complete one); anything else passes unchanged.
function translate(error: unknown, progress: { line: number }): unknown {
  const code = (error as Partial<CsvError>).code;
  if (!(error instanceof Error) || typeof code !== "string") return error;
  if (!code.startsWith("CSV_") && code !== "INVALID_OPENING_QUOTE") return error;
  const line = progress.line + 1;
  return new CsvSyntaxError(syntaxMessage(code, line, error.message), line, code);
}

function syntaxMessage(code: string, line: number, original: string): string {
  const where = `The CSV is malformed in the row starting on line ${line}`;
  const advice = 'A double quote inside a value must be doubled ("") and the value quoted.';
  switch (code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return `${where}: a quoted value is never closed. ${advice}`;
    case "CSV_INVALID_CLOSING_QUOTE":
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
      return `${where}: text follows a closing quote. ${advice}`;
    case "INVALID_OPENING_QUOTE":
      return `${where}: a double quote in the middle of an unquoted value. ${advice}`;
    case "CSV_MAX_RECORD_SIZE":
      return (
        `${where}: the row is longer than ${MAX_ROW_BYTES / 1024} KiB, most likely because ` +
        `a quoted value is never closed. ${advice}`
      );
    default:
      return `${where}: ${original}`;
  }
}

/**
 * Reads the CSV file at `path` as datamatrix items, streaming (memory stays flat however long the
 * file). The first line is the header (see resolveHeader: payload fields or AI numbers, matched
 * case-insensitively, `(01)` accepted); UTF-8 with or without BOM, LF or CRLF, RFC 4180 quoting.
 *
 * Yields, in file order, one entry per data row that has any non-empty cell: `{row, item}` with
 * the row's payload (empty cells absent; AI columns without a named field under `ais`), or
 * `{row, error}`: field "csv" for a row with more cells than the header or a value under a
 * column without a name, the column's field for a cell that is not valid UTF-8 (e.g. a
 * Windows-1252 export). `row` is the 1-based data record
 * number (blank rows count but yield nothing). The items are not validated as payloads: that is
 * the pipeline's, exactly as for the single endpoint.
 *
 * Throws CsvHeaderError (bad header, or an empty file), CsvSyntaxError (malformed CSV, naming the
 * line), CsvLimitError when a row past `options.maxItems` non-blank rows appears (before
 * yielding it), or the file system's error. Stopping the iteration early closes the file.
 */
export async function* readCsvItems(
  path: string,
  options: { maxItems?: number } = {},
): AsyncGenerator<CsvRow> {
  const maxItems = options.maxItems ?? Number.POSITIVE_INFINITY;
  const { parser, progress } = makeParser();
  // pipeline closes the file when the parser ends, fails, or is destroyed by an early return.
  pipeline(createReadStream(path), parser, () => {});
  let map: ColumnMap | null = null;
  let row = 0;
  let count = 0;
  try {
    for await (const record of parser as AsyncIterable<ParsedRecord>) {
      if (map === null) {
        map = resolveHeader(record.cells);
        continue;
      }
      row++;
      if (isEmptyRow(record.cells)) continue;
      if (++count > maxItems) throw new CsvLimitError(maxItems);
      yield toItem(map, record, row);
    }
  } catch (error) {
    throw translate(error, progress);
  } finally {
    parser.destroy();
  }
  if (map === null) throw emptyFile();
}

function emptyFile(): CsvHeaderError {
  return new CsvHeaderError(
    `The CSV is empty; its first line must be a header naming its columns: ${ACCEPTED}.`,
  );
}

function toItem(map: ColumnMap, record: ParsedRecord, row: number): CsvRow {
  const { cells, line } = record;
  const { targets } = map;
  if (cells.length > targets.length) {
    return {
      row,
      error: {
        row,
        field: "csv",
        message:
          `Row ${row} (line ${line}) has ${cells.length} cells, but the header has ` +
          `${targets.length} columns; quote values that contain commas.`,
      },
    };
  }
  const item: Record<string, unknown> = {};
  let ais: Record<string, string> | null = null;
  for (let i = 0; i < cells.length; i++) {
    const value = cells[i];
    if (value === "") continue;
    const target = targets[i];
    if (target === null) {
      return {
        row,
        error: {
          row,
          field: "csv",
          message:
            `Row ${row} (line ${line}) has the value ${JSON.stringify(value)} in column ` +
            `${i + 1}, which has no name in the header.`,
        },
      };
    }
    // U+FFFD is what the UTF-8 decoder leaves for bytes that are not UTF-8: most often a file
    // saved as Windows-1252 ("CSV (Comma delimited)" in Excel) rather than UTF-8.
    if (value.includes("\uFFFD")) {
      const column = map.header[i].trim();
      return {
        row,
        error: {
          row,
          field: "ai" in target ? `ais.${target.ai}` : target.field,
          message:
            `Row ${row} (line ${line}), column ${JSON.stringify(column)}: the text is not ` +
            'valid UTF-8; save the file as "CSV UTF-8".',
        },
      };
    }
    if ("field" in target) {
      item[target.field] = value;
    } else {
      if (ais === null) {
        ais = {};
        item.ais = ais;
      }
      ais[target.ai] = value;
    }
  }
  return { row, item };
}

/**
 * Counts the data rows of the CSV flowing through `stream` (for the item count at submit time),
 * judging the header exactly as readCsvItems does and returning it as written (BOM removed).
 * `count` is the number of entries readCsvItems will yield for the same bytes (non-blank rows).
 * Rejects with CsvHeaderError as soon as the header line is parsed and bad, CsvLimitError as soon
 * as row `limits.maxItems + 1` is, CsvSyntaxError (naming the line) for malformed CSV, or the
 * stream's own error. The caller owns `stream`: it is piped into the parser and, on rejection,
 * unpiped but never destroyed (a tee to disk keeps flowing until the caller aborts the upload).
 */
export function countCsvRecords(
  stream: Readable,
  limits: { maxItems: number },
): Promise<{ count: number; header: string[] }> {
  return new Promise((resolve, reject) => {
    const { parser, progress } = makeParser();
    let map: ColumnMap | null = null;
    let count = 0;
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      stream.unpipe(parser);
      stream.off("error", fail);
      parser.destroy();
      reject(translate(error, progress));
    };
    parser.on("data", (record: ParsedRecord) => {
      if (settled) return;
      try {
        if (map === null) {
          map = resolveHeader(record.cells);
          return;
        }
        if (isEmptyRow(record.cells)) return;
        if (++count > limits.maxItems) throw new CsvLimitError(limits.maxItems);
      } catch (error) {
        fail(error);
      }
    });
    parser.on("error", fail);
    parser.on("end", () => {
      if (settled) return;
      if (map === null) return fail(emptyFile());
      settled = true;
      stream.off("error", fail);
      resolve({ count, header: map.header });
    });
    stream.on("error", fail);
    stream.pipe(parser);
  });
}

/** 1000000 → "1,000,000" (fixed grouping, whatever the locale). */
export function formatCount(n: number | bigint): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
