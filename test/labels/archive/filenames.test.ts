// Entry names: the pattern language, sanitising (checked by extracting a ZIP of hostile names
// with Info-ZIP unzip and Python's zipfile: everything must land directly in the target
// directory), case-insensitive de-duplication, and sanitising's invariants on arbitrary strings.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { ValidationError } from "../../../src/issues.js";
import { encodeEntries } from "../../../src/labels/archive/entries.js";
import {
  compileFilenamePattern,
  DEFAULT_FILENAME_PATTERN,
  MAX_NAME_BYTES,
  sanitizeEntryName,
  suffixEntryName,
  UniqueNames,
  validateFilenamePattern,
} from "../../../src/labels/archive/filenames.js";
import { ZipWriter } from "../../../src/labels/archive/zip-file.js";

const dir = mkdtempSync(join(tmpdir(), "names-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const item = { index: 7, total: 1200, gtin: "09506000134352", ext: "svg" };

describe("compileFilenamePattern", () => {
  it("fills the default pattern: index padded to total's width, serial else lot", () => {
    const name = compileFilenamePattern(DEFAULT_FILENAME_PATTERN);
    expect(name({ ...item, serial: "SN1", lot: "L1" })).toBe("0007-09506000134352-SN1.svg");
    expect(name({ ...item, lot: "L1" })).toBe("0007-09506000134352-L1.svg");
    expect(name({ ...item, serial: "", lot: "L1" })).toBe("0007-09506000134352-L1.svg");
    expect(name({ ...item, index: 1200 })).toBe("1200-09506000134352-.svg");
    expect(name({ ...item, index: 3, total: 9 })).toBe("3-09506000134352-.svg");
    expect(name.collisionFree).toBe(true);
  });

  it("reads AI-number placeholders and the named fields interchangeably", () => {
    const name = compileFilenamePattern("{01}_{serial}_{7003}_{ expiry | 11 }.{ext}");
    expect(name({ ...item, "21": "X", "7003": "2612311200", production_date: "250101" })).toBe(
      "09506000134352_X_2612311200_250101.svg",
    );
  });

  it("sanitises what the fields bring in", () => {
    const name = compileFilenamePattern("{lot}/{serial}.{ext}");
    expect(name({ ...item, lot: "..", serial: "../../etc/passwd" })).toBe("__._._etc_passwd.svg");
    expect(name({ ...item, lot: "A\\B", serial: "C:D" })).toBe("A_B_C_D.svg");
  });

  it("says which patterns are collision-free by construction", () => {
    expect(compileFilenamePattern("label-{index}.{ext}").collisionFree).toBe(true);
    expect(compileFilenamePattern("{gtin}-{index}.{ext}").collisionFree).toBe(false);
    expect(compileFilenamePattern("{serial|index}.{ext}").collisionFree).toBe(false);
    expect(compileFilenamePattern("{gtin}.{ext}").collisionFree).toBe(false);
  });

  it("names the bad placeholder, or the stray brace and where it is", () => {
    expect(validateFilenamePattern(DEFAULT_FILENAME_PATTERN)).toBeNull();
    expect(validateFilenamePattern("{index}-{batch}.{ext}")).toMatchObject({
      field: "filename_pattern",
      rule: "pattern_placeholder",
      position: 9,
      message: expect.stringContaining('unknown placeholder "batch"'),
    });
    expect(validateFilenamePattern("{serial|sn}")?.message).toContain('"sn"');
    expect(validateFilenamePattern("{index")).toMatchObject({
      rule: "pattern_syntax",
      position: 1,
    });
    expect(validateFilenamePattern("a}b")).toMatchObject({ rule: "pattern_syntax", position: 2 });
    expect(validateFilenamePattern("{a{b}}")).toMatchObject({ rule: "pattern_syntax" });
    expect(validateFilenamePattern("{}")).toMatchObject({ rule: "pattern_syntax" });
    expect(validateFilenamePattern("{lot|}")).toMatchObject({ rule: "pattern_syntax" });
    expect(validateFilenamePattern("")).toMatchObject({ rule: "pattern_syntax" });
    expect(validateFilenamePattern(42)).toMatchObject({ rule: "pattern_syntax" });
    expect(validateFilenamePattern("x".repeat(501))).toMatchObject({ rule: "pattern_length" });
    expect(() => compileFilenamePattern("{nope}")).toThrow(ValidationError);
    expect(() => compileFilenamePattern("{nope}")).toThrow(/"nope"/);
  });
});

describe("sanitizeEntryName", () => {
  it.each([
    ["../x", "__x"],
    ["..", "_"],
    [".", "_"],
    ["a/b", "a_b"],
    ["/etc/passwd", "_etc_passwd"],
    ["C:\\Windows\\x.svg", "C__Windows_x.svg"],
    ["a..b....svg", "a.b.svg"],
    [".hidden", "_hidden"],
    ["CON", "_CON"],
    ["con.svg", "_con.svg"],
    ["Lpt1.tar.gz", "_Lpt1.tar.gz"],
    ["COM¹.png", "_COM¹.png"],
    ["CONSOLE.svg", "CONSOLE.svg"],
    ["nul .svg", "_nul .svg"],
    ["a\u0000b\nc\u007fd\u0085e.svg", "a_b_c_d_e.svg"],
    ["invoice\u202Egvs.exe", "invoice_gvs.exe"],
    ['a<b>c:"d|e?f*.svg', "a_b_c__d_e_f_.svg"],
    ["trailing. . ", "trailing"],
    ["", "_"],
    ["e\u0301.svg", "\u00e9.svg"],
  ])("%j → %j", (input, output) => {
    expect(sanitizeEntryName(input)).toBe(output);
  });

  it("cuts long names to 200 UTF-8 bytes on a character boundary, keeping the extension", () => {
    const cut = sanitizeEntryName(`${"é".repeat(300)}.svg`);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(cut).toBe(`${"é".repeat(98)}.svg`);
    const emoji = sanitizeEntryName("😀".repeat(100));
    expect(emoji).toBe("😀".repeat(50));
  });

  it("keeps its invariants on any string, and is idempotent", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (s) => {
        const name = sanitizeEntryName(s);
        expect(Buffer.byteLength(name)).toBeLessThanOrEqual(MAX_NAME_BYTES);
        expect(name).not.toMatch(/[/\\\p{Cc}\p{Cf}<>:"|?*]|\.\.|^[. ]|[. ]$/u);
        expect(Buffer.from(name, "utf8").toString("utf8")).toBe(name); // valid UTF-8
        expect(sanitizeEntryName(name)).toBe(name);
      }),
      { numRuns: 2000 },
    );
  });

  it("makes names that unzip and Python extract inside the target directory only", async () => {
    const hostile = [
      "../x.svg",
      "../../escape.svg",
      "/abs.svg",
      "a/b.svg",
      "C:\\win.svg",
      "..",
      ".",
      ".hidden",
      "CON",
      "\u0000nul.svg",
      "x\ny.svg",
      `${"é".repeat(300)}.svg`,
      "Case.svg",
      "case.svg",
      "CASE.SVG",
      "a.svg",
      "a-2.svg",
      "a.svg",
    ];
    const unique = new UniqueNames(["manifest.csv"]);
    const names = hostile.map((n) => unique.take(sanitizeEntryName(n)));
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
    const files = names.map((name, i) => ({
      name,
      data: Buffer.from(`file ${i}`),
      compress: false,
    }));
    const path = join(dir, "hostile.zip");
    const writer = await ZipWriter.open(path);
    const { block, entries } = encodeEntries(files);
    await writer.appendBlock(block, entries);
    await writer.finish();

    const env = { ...process.env, LC_ALL: "C.UTF-8" };
    for (const [tool, extract] of [
      ["unzip", (out: string) => execFileSync("unzip", ["-q", path, "-d", out], { env })],
      [
        "python",
        (out: string) =>
          execFileSync("python3", [
            "-c",
            "import sys,zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])",
            path,
            out,
          ]),
      ],
    ] as const) {
      const root = join(dir, tool);
      const out = join(root, "out");
      mkdirSync(out, { recursive: true });
      extract(out);
      expect(readdirSync(root)).toEqual(["out"]);
      const extracted = readdirSync(out, { withFileTypes: true });
      expect(extracted.every((e) => e.isFile())).toBe(true);
      expect(extracted.map((e) => e.name).sort()).toEqual([...names].sort());
      names.forEach((name, i) => {
        expect(readFileSync(join(out, name), "utf8")).toBe(`file ${i}`);
      });
    }
  });
});

describe("UniqueNames", () => {
  it("appends -2, -3 before the extension, case-insensitively, skipping taken names", () => {
    const unique = new UniqueNames(["manifest.csv", "errors.csv"]);
    expect(
      [
        "a.svg",
        "A.svg",
        "a.svg",
        "a-2.svg",
        "Manifest.CSV",
        "noext",
        "NOEXT",
        "é.svg",
        "e\u0301.svg",
      ].map((n) => unique.take(n)),
    ).toEqual([
      "a.svg",
      "A-2.svg",
      "a-3.svg",
      "a-2-2.svg",
      "Manifest-2.CSV",
      "noext",
      "NOEXT-2",
      "é.svg",
      "e\u0301-2.svg",
    ]);
    expect(unique.size).toBe(11);
  });

  it("keeps a suffixed long name within 200 bytes", () => {
    const unique = new UniqueNames();
    const long = sanitizeEntryName(`${"x".repeat(300)}.svg`);
    unique.take(long);
    const second = unique.take(long);
    expect(second.endsWith("-2.svg")).toBe(true);
    expect(Buffer.byteLength(second)).toBe(MAX_NAME_BYTES);
  });

  it("is deterministic and linear for many equal names", () => {
    const run = () => {
      const unique = new UniqueNames();
      return Array.from({ length: 20_000 }, () => unique.take("same.svg"));
    };
    const names = run();
    expect(names[19_999]).toBe("same-20000.svg");
    expect(run()).toEqual(names);
  });
});

describe("suffixEntryName (codes_combined: two entries per item)", () => {
  it("puts the tag before the job's extension, not before a dot of the data", () => {
    expect(suffixEntryName("1-09506000134352-A.svg", "-qr", "svg")).toBe(
      "1-09506000134352-A-qr.svg",
    );
    // A lot "A.B" ends the name when the pattern has no .{ext}: ".B" is no extension.
    expect(suffixEntryName("1-A.B", "-1d", "svg")).toBe("1-A.B-1d");
    expect(suffixEntryName("1-A.B.eps", "-1d", "eps")).toBe("1-A.B-1d.eps");
  });

  it("keeps a long name within 200 bytes, cutting the stem by whole code points", () => {
    const long = sanitizeEntryName(`${"é".repeat(150)}.png`);
    const tagged = suffixEntryName(long, "-qr", "png");
    expect(tagged.endsWith("-qr.png")).toBe(true);
    expect(Buffer.byteLength(tagged)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(tagged.slice(0, -7)).toBe("é".repeat((MAX_NAME_BYTES - 7) >> 1));
  });
});
