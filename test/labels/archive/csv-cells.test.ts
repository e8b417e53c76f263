// CSV rows read back by an independent parser (csv-parse) into exactly the cells written, with
// the formula-starting ones carrying the apostrophe OWASP's CSV-injection guidance asks for.

import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvRow } from "../../../src/labels/archive/csv-cells.js";

const neutralised = (cell: string | number) =>
  typeof cell === "string" && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : String(cell);

describe("csvRow", () => {
  it("quotes per RFC 4180 and ends in CRLF", () => {
    expect(csvRow(["a", "b c", 3])).toBe("a,b c,3\r\n");
    expect(csvRow(['say "hi"', "x,y", "two\nlines", "cr\rhere"])).toBe(
      '"say ""hi""","x,y","two\nlines","cr\rhere"\r\n',
    );
    expect(csvRow([])).toBe("\r\n");
    expect(csvRow([""])).toBe("\r\n");
  });

  it("neutralises cells a spreadsheet would run as formulas", () => {
    expect(csvRow(["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\r=x", "a=b", "'"])).toBe(
      "'=1+1,'+1,'-1,'@SUM(A1),'\tx,\"'\r=x\",a=b,'\r\n",
    );
    expect(csvRow(['=HYPERLINK("http://x","y")'])).toBe('"\'=HYPERLINK(""http://x"",""y"")"\r\n');
    expect(csvRow([-5, 1.5])).toBe("-5,1.5\r\n"); // numbers are ours, never formulas
  });

  it("reads back through csv-parse as the neutralised cells, for any cells", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ unit: "binary" }), fc.integer()), {
          minLength: 2,
          maxLength: 8,
        }),
        (cells) => {
          const text = csvRow(cells) + csvRow(cells);
          const rows = parse(text, { relax_column_count: false, bom: false }) as string[][];
          expect(rows).toEqual([cells.map(neutralised), cells.map(neutralised)]);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
