// src/labels/items/csv.ts: an uploaded CSV as label items — every case of issue 18 (BOM, CRLF,
// quotes with newlines, AI-number headers, extra and missing columns, unknown and duplicated
// columns, malformed quotes, the row limit), read from real files and streams, and a large file
// read streaming with flat memory.
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import {
  CsvHeaderError,
  CsvLimitError,
  type CsvRow,
  CsvSyntaxError,
  countCsvRecords,
  readCsvItems,
} from "../../../src/labels/items/csv.js";

const dir = mkdtempSync(join(tmpdir(), "csv-items-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function file(content: string | Buffer): string {
  const path = join(dir, `${++files}.csv`);
  writeFileSync(path, content);
  return path;
}

async function readAll(content: string | Buffer, maxItems?: number): Promise<CsvRow[]> {
  const rows: CsvRow[] = [];
  for await (const row of readCsvItems(file(content), { maxItems })) rows.push(row);
  return rows;
}

/** What readAll and countCsvRecords both say, or the error both throw (they must agree). */
async function both(content: string | Buffer, maxItems = 1000) {
  let rows: CsvRow[] | Error;
  let counted: { count: number; header: string[] } | Error;
  try {
    rows = await readAll(content, maxItems);
  } catch (error) {
    rows = error as Error;
  }
  try {
    counted = await countCsvRecords(Readable.from([Buffer.from(content)]), { maxItems });
  } catch (error) {
    counted = error as Error;
  }
  if (rows instanceof Error || counted instanceof Error) {
    expect(counted).toBeInstanceOf(Error);
    expect(rows).toBeInstanceOf(Error);
    expect((counted as Error).message).toBe((rows as Error).message);
  } else {
    expect(counted.count).toBe(rows.length);
  }
  return { rows, counted };
}

const GTIN = "09506000134352";

describe("readCsvItems and countCsvRecords: encodings and line ends", () => {
  const expected = [
    { row: 1, item: { gtin: GTIN, lot: "A1", expiry: "270630" } },
    { row: 2, item: { gtin: GTIN, lot: "A2", expiry: "270631" } },
  ];

  it.each([
    ["LF", `gtin,lot,expiry\n${GTIN},A1,270630\n${GTIN},A2,270631\n`],
    ["CRLF", `gtin,lot,expiry\r\n${GTIN},A1,270630\r\n${GTIN},A2,270631\r\n`],
    ["BOM + CRLF", `\uFEFFgtin,lot,expiry\r\n${GTIN},A1,270630\r\n${GTIN},A2,270631\r\n`],
    ["BOM, no final newline", `\uFEFFgtin,lot,expiry\n${GTIN},A1,270630\n${GTIN},A2,270631`],
  ])("%s", async (_, content) => {
    const { rows, counted } = await both(content);
    expect(rows).toEqual(expected);
    expect(counted).toEqual({ count: 2, header: ["gtin", "lot", "expiry"] });
  });

  it("keeps UTF-8 text (label_text) whole, also when a character straddles read chunks", async () => {
    const text = "Ibuprofen 400 mg — Čeština 日本語 🙂";
    const lines = [`gtin,serial,label_text`];
    for (let i = 0; i < 20_000; i++) lines.push(`${GTIN},S${i},${text}`);
    const rows = await readAll(`${lines.join("\n")}\n`);
    expect(rows).toHaveLength(20_000);
    for (const row of rows) expect("item" in row && row.item.label_text).toBe(text);
  });

  it("names a cell that is not UTF-8 (a Windows-1252 export) as that row's error", async () => {
    const content = Buffer.concat([
      Buffer.from(`gtin,lot,label_text\n${GTIN},A1,Caf`),
      Buffer.from([0xe9]), // "é" in Windows-1252, not UTF-8
      Buffer.from(`\n${GTIN},A2,ok\n`),
    ]);
    const { rows } = await both(content);
    expect(rows).toEqual([
      {
        row: 1,
        error: {
          row: 1,
          field: "label_text",
          message:
            'Row 1 (line 2), column "label_text": the text is not valid UTF-8; save the file ' +
            'as "CSV UTF-8".',
        },
      },
      { row: 2, item: { gtin: GTIN, lot: "A2", label_text: "ok" } },
    ]);
  });
});

describe("RFC 4180 quoting", () => {
  it("reads quoted commas, doubled quotes and newlines inside quotes, LF and CRLF alike", async () => {
    const content =
      "gtin,lot,serial,label_text\r\n" +
      `${GTIN},"A,1","S""1","two\r\nlines"\r\n` +
      `"${GTIN}",B2,"",\n`;
    const { rows } = await both(content);
    expect(rows).toEqual([
      { row: 1, item: { gtin: GTIN, lot: "A,1", serial: 'S"1', label_text: "two\r\nlines" } },
      { row: 2, item: { gtin: GTIN, lot: "B2" } },
    ]);
  });

  it("numbers rows by data record, not by line, and errors name the line", async () => {
    const content = `gtin,label_text\n${GTIN},"a\nb\nc"\n${GTIN},x,extra\n`;
    const { rows } = await both(content);
    expect(rows[1]).toEqual({
      row: 2,
      error: {
        row: 2,
        field: "csv",
        message:
          "Row 2 (line 5) has 3 cells, but the header has 2 columns; quote values that " +
          "contain commas.",
      },
    });
  });

  it("counts a CRLF inside quotes as one line break (csv-parse alone counts two)", async () => {
    const content = `gtin,label_text\r\n${GTIN},"a\r\nb\r\nc"\r\n${GTIN},"x"y\r\n`;
    const { rows } = await both(content);
    expect((rows as CsvSyntaxError).line).toBe(5);
  });

  it.each([
    [
      "a quote never closed",
      `gtin,lot\n${GTIN},A1\n${GTIN},"A2\n${GTIN},A3\n${GTIN},A4\n`,
      3,
      "The CSV is malformed in the row starting on line 3: a quoted value is never closed. " +
        'A double quote inside a value must be doubled ("") and the value quoted.',
    ],
    [
      "text after a closing quote",
      `gtin,lot\n${GTIN},A1\n${GTIN},"A2"x\n`,
      3,
      "The CSV is malformed in the row starting on line 3: text follows a closing quote. " +
        'A double quote inside a value must be doubled ("") and the value quoted.',
    ],
    [
      "a quote inside an unquoted value",
      `gtin,lot\r\n${GTIN},A1\r\n${GTIN},A1\r\n${GTIN},A"2\r\n`,
      4,
      "The CSV is malformed in the row starting on line 4: a double quote in the middle of " +
        'an unquoted value. A double quote inside a value must be doubled ("") and the value ' +
        "quoted.",
    ],
  ])("refuses %s, naming the line", async (_, content, line, message) => {
    const { rows, counted } = await both(content);
    expect(rows).toBeInstanceOf(CsvSyntaxError);
    expect(counted).toBeInstanceOf(CsvSyntaxError);
    expect((rows as CsvSyntaxError).line).toBe(line);
    expect((rows as Error).message).toBe(message);
  });

  it("bounds a row's size, so a stray quote cannot make it hold the file", async () => {
    const content = `gtin,lot\n${GTIN},"${"x".repeat(200_000)}\n`;
    const { rows } = await both(content);
    expect(rows).toBeInstanceOf(CsvSyntaxError);
    expect((rows as Error).message).toBe(
      "The CSV is malformed in the row starting on line 2: the row is longer than 64 KiB, " +
        "most likely because a quoted value is never closed. A double quote inside a value " +
        'must be doubled ("") and the value quoted.',
    );
  });
});

describe("header: payload fields and AI numbers", () => {
  it("maps AI columns to the named fields and other AIs into ais, case and spaces aside", async () => {
    const content =
      ` 01 ,(10),21,(17 ),11,(7003),714, Element_String ,LABEL_TEXT\n` +
      `${GTIN},L1,S1,270630,250101,2706301200,1234567,,hello\n`;
    const { rows, counted } = await both(content);
    expect(rows).toEqual([
      {
        row: 1,
        item: {
          gtin: GTIN,
          lot: "L1",
          serial: "S1",
          expiry: "270630",
          production_date: "250101",
          ais: { "7003": "2706301200", "714": "1234567" },
          label_text: "hello",
        },
      },
    ]);
    expect((counted as { header: string[] }).header[0]).toBe(" 01 ");
  });

  it("takes element_string as a column", async () => {
    const { rows } = await both(`element_string\n(01)${GTIN}(10)ABC\n`);
    expect(rows).toEqual([{ row: 1, item: { element_string: `(01)${GTIN}(10)ABC` } }]);
  });

  const accepted =
    "Accepted column names: gtin, lot, serial, expiry, production_date, element_string, " +
    "label_text, or an AI number of the GS1 Barcode Syntax Dictionary such as 01, 10, 21, 17, " +
    "11 or 7003 (also written (01)).";

  it.each([
    [
      "a typo",
      "gtin,lot,expriy",
      "expriy",
      `CSV column 3, "expriy", is not a column this service knows. ${accepted}`,
    ],
    [
      "a number that is no AI",
      "gtin,lot,23",
      "23",
      `CSV column 3, "23", is not a column this service knows. It is not an AI of the GS1 Barcode Syntax Dictionary. ${accepted}`,
    ],
    [
      "an AI whose leading zero a spreadsheet dropped",
      "1,lot",
      "1",
      `CSV column 1, "1", is not a column this service knows. A spreadsheet may have dropped a leading zero: write (01) for AI (01). ${accepted}`,
    ],
    [
      "a semicolon-separated file",
      "gtin;lot;serial",
      "gtin;lot;serial",
      `CSV column 1, "gtin;lot;serial", is not a column this service knows. The header looks separated by semicolons or tabs; this service reads comma-separated CSV (RFC 4180): save the file as "CSV UTF-8 (comma delimited)". ${accepted}`,
    ],
    [
      "a render option (asset_config's, not a column's)",
      "gtin,lot,dpi",
      "dpi",
      `CSV column 3, "dpi", is not a column this service knows. ${accepted}`,
    ],
  ])("refuses an unknown column: %s", async (_, header, column, message) => {
    const { rows, counted } = await both(`${header}\n${GTIN},A1,x\n`);
    expect(rows).toBeInstanceOf(CsvHeaderError);
    expect(counted).toBeInstanceOf(CsvHeaderError);
    expect((rows as CsvHeaderError).column).toBe(column);
    expect((rows as Error).message).toBe(message);
  });

  it.each([
    ["lot,10", 'CSV columns 2 ("lot") and 3 ("10") both give lot, AI (10); keep one of them.'],
    [
      "(21),Serial",
      'CSV columns 2 ("(21)") and 3 ("Serial") both give serial, AI (21); keep one of them.',
    ],
    [
      "7003,(7003)",
      'CSV columns 2 ("7003") and 3 ("(7003)") both give AI (7003); keep one of them.',
    ],
    [
      "label_text,LABEL_TEXT",
      'CSV columns 2 ("label_text") and 3 ("LABEL_TEXT") both give label_text; keep one of them.',
    ],
  ])("refuses a column given twice: gtin,%s", async (columns, message) => {
    const { rows } = await both(`gtin,${columns}\n${GTIN},A,B\n`);
    expect(rows).toBeInstanceOf(CsvHeaderError);
    expect((rows as Error).message).toBe(message);
  });

  it("refuses an empty file and a header that names nothing", async () => {
    for (const content of ["", "\uFEFF"]) {
      const { rows } = await both(content);
      expect((rows as Error).message).toBe(
        "The CSV is empty; its first line must be a header naming its columns: gtin, lot, " +
          "serial, expiry, production_date, element_string, label_text, or an AI number of the " +
          "GS1 Barcode Syntax Dictionary such as 01, 10, 21, 17, 11 or 7003 (also written (01)).",
      );
    }
    const { rows } = await both(`,,\n${GTIN},A,B\n`);
    expect(rows).toBeInstanceOf(CsvHeaderError);
    expect((rows as Error).message).toMatch(
      /^The CSV's first line must be a header naming its columns; it names none\./,
    );
  });

  it("refuses the header as soon as it is read, before the rest of the upload arrives", async () => {
    const stream = new PassThrough();
    const result = countCsvRecords(stream, { maxItems: 10 });
    stream.write("gtin,lott\n0950");
    await expect(result).rejects.toBeInstanceOf(CsvHeaderError);
    // The stream was the caller's: unpiped, not destroyed.
    expect(stream.destroyed).toBe(false);
    stream.end();
  });
});

describe("rows: extra, missing and empty cells", () => {
  it("gives a row with more cells than the header an error, and absent fields for fewer", async () => {
    const content = `gtin,lot,serial,expiry\n${GTIN},A1,S1,270630,oops\n${GTIN},A2\n${GTIN},,S3,\n`;
    const { rows, counted } = await both(content);
    expect(rows).toEqual([
      {
        row: 1,
        error: {
          row: 1,
          field: "csv",
          message:
            "Row 1 (line 2) has 5 cells, but the header has 4 columns; quote values that " +
            "contain commas.",
        },
      },
      { row: 2, item: { gtin: GTIN, lot: "A2" } },
      { row: 3, item: { gtin: GTIN, serial: "S3" } },
    ]);
    expect((counted as { count: number }).count).toBe(3);
  });

  it("skips blank rows (still counted in row numbers) and keeps values as written", async () => {
    const content = `gtin,lot,,\n\n${GTIN}, A1 ,,\n,,,\n${GTIN},A2,,\n`;
    const { rows, counted } = await both(content);
    expect(rows).toEqual([
      { row: 2, item: { gtin: GTIN, lot: " A1 " } },
      { row: 4, item: { gtin: GTIN, lot: "A2" } },
    ]);
    expect((counted as { count: number }).count).toBe(2);
  });

  it("gives a value under a column without a header name an error for its row", async () => {
    const { rows } = await both(`gtin,lot,\n${GTIN},A1,stray\n`);
    expect(rows).toEqual([
      {
        row: 1,
        error: {
          row: 1,
          field: "csv",
          message:
            'Row 1 (line 2) has the value "stray" in column 3, which has no name in the header.',
        },
      },
    ]);
  });
});

describe("the row limit", () => {
  const rows = (n: number) =>
    `gtin,serial\n${Array.from({ length: n }, (_, i) => `${GTIN},S${i}`).join("\n")}\n`;
  const message =
    "The CSV has more than 100 data rows; a job takes at most 100 items (LABELS_MAX_ITEMS). " +
    "Split the file into several jobs.";

  it("takes exactly maxItems rows", async () => {
    const { rows: read } = await both(rows(100), 100);
    expect(read).toHaveLength(100);
  });

  it("refuses maxItems + 1 rows, naming the limit", async () => {
    const { rows: read } = await both(rows(101), 100);
    expect(read).toBeInstanceOf(CsvLimitError);
    expect((read as CsvLimitError).limit).toBe(100);
    expect((read as Error).message).toBe(message);
  });

  it("refuses an upload as soon as it passes the limit, without reading the rest", async () => {
    const stream = new PassThrough();
    const result = countCsvRecords(stream, { maxItems: 100 });
    stream.write(`${rows(101)}${GTIN}`);
    // The upload has not ended; the answer is already there.
    await expect(result).rejects.toThrow(message);
    expect(stream.writableEnded).toBe(false);
    stream.destroy();
  });

  it("reads a header without rows as no items (whether that is an error is the job's call)", async () => {
    const { rows, counted } = await both("gtin,lot\r\n");
    expect(rows).toEqual([]);
    expect(counted).toEqual({ count: 0, header: ["gtin", "lot"] });
  });

  it("passes the file system's and the stream's errors through", async () => {
    const reading = (async () => {
      for await (const _ of readCsvItems(join(dir, "missing.csv"))) void _;
    })();
    await expect(reading).rejects.toMatchObject({ code: "ENOENT" });
    const stream = new PassThrough();
    const counting = countCsvRecords(stream, { maxItems: 10 });
    stream.write("gtin,lot\n");
    stream.destroy(new Error("client went away"));
    await expect(counting).rejects.toThrow("client went away");
  });

  it("stops reading when the consumer stops, closing the file", async () => {
    const path = file(rows(1000));
    let n = 0;
    for await (const _ of readCsvItems(path)) if (++n === 10) break;
    expect(n).toBe(10);
  });
});

// A CSV of `n` rows as a stream of 64 KB chunks, generated as it is read (no file, no whole copy).
function generated(n: number): Readable {
  let i = 0;
  return new Readable({
    read() {
      if (i === 0) this.push("gtin,lot,serial,expiry,7003\n");
      if (i >= n) return void this.push(null);
      const lines: string[] = [];
      const end = Math.min(n, i + 1000);
      for (; i < end; i++)
        lines.push(`${GTIN},LOT${i % 1000},SN${String(i).padStart(12, "0")},270630,2706301200\n`);
      this.push(lines.join(""));
    },
  });
}

describe("large files stream with flat memory", () => {
  it("counts 1,000,000 rows (~70 MB) with RSS growing far less than the file", async () => {
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const start = performance.now();
    const { count } = await countCsvRecords(generated(1_000_000), { maxItems: 1_000_000 });
    const seconds = (performance.now() - start) / 1000;
    clearInterval(timer);
    expect(count).toBe(1_000_000);
    const grew = (peak - before) / 2 ** 20;
    const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
    console.log(
      `countCsvRecords: 1,000,000 rows in ${seconds.toFixed(2)} s = ` +
        `${Math.round(1_000_000 / seconds).toLocaleString("en-US")} rows/s; ` +
        `RSS ${mib(before)} before, ${mib(peak)} at most while counting`,
    );
    expect(grew).toBeLessThan(48);
  });

  it("reads a 100,000-row file into items, in order", async () => {
    const path = join(dir, "large.csv");
    const out = createWriteStream(path);
    for await (const chunk of generated(100_000))
      if (!out.write(chunk)) await new Promise((r) => out.once("drain", r));
    await new Promise((r) => out.end(r));
    const start = performance.now();
    let n = 0;
    for await (const row of readCsvItems(path, { maxItems: 1_000_000 })) {
      n++;
      if (!("item" in row) || row.row !== n) throw new Error(`row ${n}: ${JSON.stringify(row)}`);
      if (n === 100_000)
        expect(row.item).toEqual({
          gtin: GTIN,
          lot: "LOT999",
          serial: "SN000000099999",
          expiry: "270630",
          ais: { "7003": "2706301200" },
        });
    }
    const seconds = (performance.now() - start) / 1000;
    expect(n).toBe(100_000);
    console.log(
      `readCsvItems: 100,000 rows in ${seconds.toFixed(2)} s = ` +
        `${Math.round(100_000 / seconds).toLocaleString("en-US")} items/s`,
    );
  });
});
