// One row of the CSV files a bulk-export archive carries (manifest.csv, errors.csv), written so
// that every reader splits it back into the same cells and no spreadsheet runs a cell as a
// formula: the files hold values from the job's request (lots, serials, CSV rows), and a
// packaging line's operator opens them in Excel or LibreOffice.

// OWASP "CSV Injection": a cell starting with one of these is read as a formula (or, tab and CR,
// lets one be smuggled past a trim), so it gets a leading apostrophe, which spreadsheets show as
// text and do not display.
const FORMULA_START = /^[=+\-@\t\r]/;
// RFC 4180: a field holding a quote, a comma or a line break is quoted, its quotes doubled.
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * Formats `cells` as one CSV record (RFC 4180: comma-separated, a cell holding `"`, `,`, CR or
 * LF quoted with its quotes doubled) ending in CRLF. A string cell starting with `=`, `+`, `-`,
 * `@`, tab or CR is neutralised with a leading `'` (OWASP CSV-injection guidance); a number cell
 * is written as JavaScript formats it and never neutralised (a negative number is a number, not
 * a formula, and the ones the manifest holds — indexes, sizes — come from us).
 */
export function csvRow(cells: readonly (string | number)[]): string {
  let row = "";
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) row += ",";
    row += csvCell(cells[i]);
  }
  return `${row}\r\n`;
}

/** One cell as csvRow() writes it (neutralised and quoted as needed), without separators. */
export function csvCell(cell: string | number): string {
  if (typeof cell === "number") return String(cell);
  const text = FORMULA_START.test(cell) ? `'${cell}` : cell;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
