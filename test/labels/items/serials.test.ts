// src/labels/items/serials.ts: the serial-number generator — request validation, the EU FMD
// guessing rule with its arithmetic, range padding and prefixes, uniform random draws (chi-square)
// and generation against a registry that reports collisions. The registry here is an in-memory
// fake of insertSerials' contract; the real SerialRegistry is tested by its owner against SQLite
// and PostgreSQL.
import { describe, expect, it } from "vitest";
import type { Issue } from "../../../src/issues.js";
import {
  DEFAULT_RANDOM_LENGTH,
  drawRandomSerials,
  fmdCheck,
  generateSerialItems,
  parseSerialSpec,
  rangeSerials,
  SERIAL_ALPHABETS,
  SerialCollisionError,
  SerialExhaustedError,
  type SerialRecorder,
} from "../../../src/labels/items/serials.js";
import type { SerialSpec } from "../../../src/labels/types.js";

const GTIN = "09506000134352";

function spec(serials: Record<string, unknown>, maxItems?: number): SerialSpec {
  const result = parseSerialSpec({ serials }, [], { maxItems });
  if ("issues" in result) throw new Error(result.issues.map((i) => i.message).join("\n"));
  return result.spec;
}

function issues(serials: unknown, loc: (string | number)[] = [], maxItems?: number): Issue[] {
  const result = parseSerialSpec({ serials }, loc, { maxItems });
  if ("spec" in result) throw new Error(`accepted: ${JSON.stringify(result.spec)}`);
  return result.issues;
}

const brief = (list: Issue[]) => list.map((i) => [i.field, i.rule, i.message]);

describe("parseSerialSpec", () => {
  it("accepts a random request with defaults, the GTIN normalised to 14 digits", () => {
    expect(
      spec({ gtin: "9506000134352", lot: "A1", expiry: "270630", mode: "random", count: 5 }),
    ).toEqual({
      base: { gtin: GTIN, lot: "A1", expiry: "270630" },
      gtin: GTIN,
      count: 5,
      mode: "random",
      prefix: "",
      length: DEFAULT_RANDOM_LENGTH,
      alphabet: "digits",
    });
  });

  it("accepts a range request with width, prefix and further AIs", () => {
    expect(
      spec({
        gtin: GTIN,
        production_date: "250101",
        ais: { "7003": "2706301200" },
        mode: "range",
        count: 1000,
        start: 1,
        width: 6,
        prefix: "SN-",
      }),
    ).toEqual({
      base: { gtin: GTIN, production_date: "250101", ais: { "7003": "2706301200" } },
      gtin: GTIN,
      count: 1000,
      mode: "range",
      prefix: "SN-",
      start: 1,
      width: 6,
    });
  });

  it("requires the serials object", () => {
    expect(brief(issues(undefined))).toEqual([
      ["serials", "missing", "serials is required but missing."],
    ]);
    expect(brief(issues([1]))).toEqual([
      [
        "serials",
        "object_type",
        'serials must be an object such as {"gtin": "09506000134352", "mode": "random", "count": 1000}; got an array.',
      ],
    ]);
  });

  it("reports every problem at once, fields named as dotted paths under loc", () => {
    expect(
      brief(
        issues(
          {
            gtin: "9506000134353",
            lot: "A b",
            mode: "range",
            count: 0,
            start: -1,
            length: 8,
            prefx: "X",
          },
          ["request"],
        ),
      ),
    ).toEqual([
      [
        "request.serials.prefx",
        "unknown_field",
        "request.serials.prefx is not a field of the serial generator (gtin, lot, expiry, production_date, ais, mode, count, length, alphabet, start, width, prefix); issued serials cannot be taken back, so a misspelt field is refused rather than ignored.",
      ],
      [
        "request.serials.count",
        "range",
        "request.serials.count must be between 1 and 1,000,000; got 0.",
      ],
      [
        "request.serials.length",
        "mode_field",
        'request.serials.length applies to mode "random" only; this request\'s mode is "range".',
      ],
      [
        "request.serials.start",
        "range",
        "request.serials.start must be between 0 and 9,007,199,254,740,991; got -1.",
      ],
      [
        "request.serials.gtin",
        "csum",
        'AI (01) GTIN: value "09506000134353" at position 14: the check digit is 3; the digits before it give 2 (rule csum).',
      ],
      [
        "request.serials.lot",
        "cset82",
        'AI (10) BATCH/LOT: value "A b" at position 2: " " is not in set 82 (rule cset82).',
      ],
    ]);
  });

  it.each([
    [
      { count: 5 },
      "serials.mode",
      "missing",
      'serials.mode is required but missing; it is "random" or "range".',
    ],
    [
      { mode: "sequential", count: 5 },
      "serials.mode",
      "enum",
      'serials.mode must be "random" or "range"; got the string "sequential".',
    ],
    [{ mode: "random" }, "serials.count", "missing", "serials.count is required but missing."],
    [
      { mode: "random", count: 2.5 },
      "serials.count",
      "integer",
      "serials.count must be a whole number; got the number 2.5.",
    ],
    [
      { mode: "random", count: "5" },
      "serials.count",
      "integer",
      'serials.count must be a whole number; got the string "5".',
    ],
    [
      { mode: "random", count: 5, length: 0 },
      "serials.length",
      "range",
      "serials.length must be between 1 and 20; got 0.",
    ],
    [
      { mode: "random", count: 5, alphabet: "hex" },
      "serials.alphabet",
      "enum",
      'serials.alphabet must be "digits" (0-9) or "alphanumeric" (0123456789ABCDEFGHJKLMNPQRSTUVWXYZ); got the string "hex".',
    ],
    [
      { mode: "random", count: 5, length: 16, prefix: "LOT-2025" },
      "serials.length",
      "serial_length",
      "serials.prefix (8 characters) and serials.length 16 make serials of 24 characters; a serial (AI 21) has at most 20.",
    ],
    [
      { mode: "random", count: 5, prefix: "SN#" },
      "serials.prefix",
      "cset82",
      'serials.prefix "SN#" has a character outside the GS1 AI encodable character set 82 at position 3: "#".',
    ],
    [
      { mode: "random", count: 5, prefix: 7 },
      "serials.prefix",
      "string_type",
      "serials.prefix must be a string; got the number 7.",
    ],
    [
      { mode: "random", count: 5, start: 1 },
      "serials.start",
      "mode_field",
      'serials.start applies to mode "range" only; this request\'s mode is "random".',
    ],
    [
      { mode: "range", count: 5 },
      "serials.start",
      "missing",
      "serials.start is required but missing.",
    ],
    [
      { mode: "range", count: 1000, start: 1, width: 3 },
      "serials.width",
      "width",
      "serials.width 3 is too narrow: the last serial number, serials.start 1 + serials.count 1000 - 1 = 1000, has 4 digits.",
    ],
    [
      { mode: "range", count: 10, start: 0, width: 12, prefix: "ABCDEFGHIJ" },
      "serials.width",
      "serial_length",
      "serials.prefix (10 characters) and the 12-digit serial numbers make serials of 22 characters; a serial (AI 21) has at most 20.",
    ],
    [
      { mode: "range", count: 10, start: 1e15, prefix: "ABCDEF" },
      "serials.start",
      "serial_length",
      "serials.prefix (6 characters) and the 16-digit serial numbers make serials of 22 characters; a serial (AI 21) has at most 20.",
    ],
    [
      { mode: "range", count: 10, start: Number.MAX_SAFE_INTEGER - 5 },
      "serials.start",
      "range",
      "serials.start 9007199254740986 + serials.count 10 - 1 is past 9007199254740991, the largest serial number this generator counts to.",
    ],
  ])("refuses %j", (fields, field, rule, message) => {
    expect(brief(issues({ gtin: GTIN, lot: "A1", ...fields }))).toEqual([[field, rule, message]]);
  });

  it("takes the count limit as a parameter (LABELS_MAX_ITEMS)", () => {
    expect(brief(issues({ gtin: GTIN, mode: "random", count: 101 }, [], 100))).toEqual([
      ["serials.count", "range", "serials.count must be between 1 and 100; got 101."],
    ]);
    expect(spec({ gtin: GTIN, mode: "random", count: 100 }, 100).count).toBe(100);
  });

  it("judges the shared fields with the endpoint's rules, AI associations included", () => {
    expect(brief(issues({ mode: "random", count: 5 }))).toEqual([
      ["serials.gtin", "missing", "serials.gtin is required but missing."],
    ]);
    const repeated = issues({ gtin: GTIN, mode: "random", count: 5, ais: { "21": "X" } });
    expect(repeated.map((i) => [i.field, i.rule])).toEqual([["serials.ais.21", "repeated_ai"]]);
    // AI 21 may not appear with AI 235 (TPX): a serial generator cannot serve such a request.
    expect(brief(issues({ gtin: GTIN, mode: "random", count: 5, ais: { "235": "ABC" } }))).toEqual([
      ["serials", "ex", "AI (21) SERIAL may not be used with AI (235) TPX (rule ex)."],
    ]);
  });
});

describe("fmdCheck: EU FMD guessing probability under 1 in 10,000", () => {
  const random = (fields: Record<string, unknown>) =>
    spec({ gtin: GTIN, lot: "A1", mode: "random", ...fields });

  it.each([
    [
      { count: 200, length: 6 },
      0,
      "10^6 = 1,000,000 serials possible, but 10,000 × (0 issued + 200 requested) = 2,000,000 are needed for a guessing probability under 1 in 10,000 (EU FMD, Delegated Regulation 2016/161 Art. 4(b)); use length ≥ 7 or the alphanumeric alphabet.",
    ],
    [
      { count: 1000, length: 8 },
      250_000,
      "10^8 = 100,000,000 serials possible, but 10,000 × (250,000 issued + 1,000 requested) = 2,510,000,000 are needed for a guessing probability under 1 in 10,000 (EU FMD, Delegated Regulation 2016/161 Art. 4(b)); use length ≥ 10 or the alphanumeric alphabet.",
    ],
    [
      { count: 1_000_000, length: 4 },
      0,
      "10^4 = 10,000 serials possible, but 10,000 × (0 issued + 1,000,000 requested) = 10,000,000,000 are needed for a guessing probability under 1 in 10,000 (EU FMD, Delegated Regulation 2016/161 Art. 4(b)); use length ≥ 10, or length ≥ 7 with the alphanumeric alphabet.",
    ],
    [
      { count: 500_000, length: 5, alphabet: "alphanumeric" },
      0,
      "34^5 = 45,435,424 serials possible, but 10,000 × (0 issued + 500,000 requested) = 5,000,000,000 are needed for a guessing probability under 1 in 10,000 (EU FMD, Delegated Regulation 2016/161 Art. 4(b)); use length ≥ 7.",
    ],
    [
      { count: 1000, length: 2, prefix: "PACK-LINE-7-B2025-" },
      0,
      "10^2 = 100 serials possible, but 10,000 × (0 issued + 1,000 requested) = 10,000,000 are needed for a guessing probability under 1 in 10,000 (EU FMD, Delegated Regulation 2016/161 Art. 4(b)); no length fits: a serial has room for 2 random characters after the prefix; shorten the prefix or request fewer serials.",
    ],
    [
      { count: 10_000, length: 2, prefix: "LINE-7-B2025-" },
      0,
      "10^2 = 100 serials possible, but 10,000 × (0 issued + 10,000 requested) = 100,000,000 are needed for a guessing probability under 1 in 10,000 (EU FMD, Delegated Regulation 2016/161 Art. 4(b)); use the alphanumeric alphabet with length ≥ 6 (digits would need 8, more than the 7 characters left after the prefix).",
    ],
  ])("refuses %j with %i issued, giving the arithmetic", (fields, issued, message) => {
    const s = random(fields);
    expect(fmdCheck(s, issued)).toEqual({
      field: "serials.length",
      value: s.length,
      rule: "fmd_guessing",
      message,
    });
  });

  it("accepts exactly 10,000 × (issued + count) serials possible, and refuses one fewer possible", () => {
    expect(fmdCheck(random({ count: 100, length: 6 }), 0)).toBeNull(); // 10^6 = 10,000 × 100
    expect(fmdCheck(random({ count: 100, length: 6 }), 1)).not.toBeNull(); // needs 1,010,000
    expect(fmdCheck(random({ count: 1_000_000 }), 99_000_000)).toBeNull(); // default 10^12
  });

  it("does not judge range mode (sequential serials are not randomised at all)", () => {
    expect(
      fmdCheck(spec({ gtin: GTIN, lot: "A", mode: "range", count: 10, start: 1 }), 1e9),
    ).toBeNull();
  });
});

describe("rangeSerials", () => {
  it("pads to width after the prefix, item indexes half-open", () => {
    const s = spec({
      gtin: GTIN,
      lot: "A",
      mode: "range",
      count: 1000,
      start: 1,
      width: 5,
      prefix: "SN-",
    });
    expect(rangeSerials(s, 0, 3)).toEqual(["SN-00001", "SN-00002", "SN-00003"]);
    expect(rangeSerials(s, 997, 1000)).toEqual(["SN-00998", "SN-00999", "SN-01000"]);
    expect(rangeSerials(s, 5, 5)).toEqual([]);
  });

  it("without width, writes the numbers as they are", () => {
    const s = spec({ gtin: GTIN, lot: "A", mode: "range", count: 3, start: 98 });
    expect(rangeSerials(s, 0, 3)).toEqual(["98", "99", "100"]);
  });

  it("starts at 0 when asked, and reaches 20 characters", () => {
    const s = spec({
      gtin: GTIN,
      lot: "A",
      mode: "range",
      count: 2,
      start: 0,
      width: 17,
      prefix: "ABC",
    });
    expect(rangeSerials(s, 0, 2)).toEqual(["ABC00000000000000000", "ABC00000000000000001"]);
  });

  it("refuses indexes outside the job", () => {
    const s = spec({ gtin: GTIN, lot: "A", mode: "range", count: 3, start: 1 });
    expect(() => rangeSerials(s, 2, 4)).toThrow(RangeError);
    expect(() => rangeSerials(s, -1, 1)).toThrow(RangeError);
  });
});

/** Pearson's chi-square statistic of observed counts against a uniform expectation. */
function chiSquare(counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  return counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
}

// Upper 0.01 % points of chi-square (Wilson-Hilferty): a uniform source exceeds them once in
// 10,000 tries per statistic.
const CHI2_9DF = 34.2; // 10 digits
const CHI2_33DF = 72.2; // 34 alphanumerics

function positionCounts(serials: string[], alphabet: string, prefix = ""): number[][] {
  const length = serials[0].length - prefix.length;
  const counts = Array.from({ length }, () => new Array<number>(alphabet.length).fill(0));
  for (const s of serials) {
    for (let i = 0; i < length; i++) counts[i][alphabet.indexOf(s[prefix.length + i])]++;
  }
  return counts;
}

describe("drawRandomSerials", () => {
  it("draws uniform digits: chi-square per position over 100,000 serials", () => {
    const s = spec({ gtin: GTIN, lot: "A", mode: "random", count: 100_000, length: 6 });
    const serials = drawRandomSerials(s, 100_000);
    expect(new Set(serials).size).toBe(100_000);
    for (const serial of serials) expect(serial).toMatch(/^[0-9]{6}$/);
    const counts = positionCounts(serials, SERIAL_ALPHABETS.digits);
    const stats = counts.map(chiSquare);
    for (const stat of stats) expect(stat).toBeLessThan(CHI2_9DF);
    // All positions pooled (600,000 digits): a byte % 10 draw (0-5 likelier by 26:25) would give
    // a statistic near 230; a uniform one stays under the same 0.01 % point.
    const pooled = counts.reduce((acc, c) => acc.map((v, i) => v + c[i]));
    expect(chiSquare(pooled)).toBeLessThan(CHI2_9DF);
    console.log(
      `chi-square (9 df) per position: ${stats.map((x) => x.toFixed(1)).join(", ")}; pooled ${chiSquare(pooled).toFixed(1)}`,
    );
  });

  it("the test has the power to see modulo bias", () => {
    // The same statistic on byte % 10 without rejection, from the same random bytes source.
    const bytes = new Uint8Array(600_000);
    crypto.getRandomValues(bytes.subarray(0, 65_536));
    for (let off = 65_536; off < bytes.length; off += 65_536)
      crypto.getRandomValues(bytes.subarray(off, off + 65_536));
    const counts = new Array<number>(10).fill(0);
    for (const b of bytes) counts[b % 10]++;
    expect(chiSquare(counts)).toBeGreaterThan(CHI2_9DF);
  });

  it("draws uniform GS1-safe alphanumerics after the prefix", () => {
    const s = spec({
      gtin: GTIN,
      lot: "A",
      mode: "random",
      count: 100_000,
      length: 8,
      alphabet: "alphanumeric",
      prefix: "P-",
    });
    const serials = drawRandomSerials(s, 100_000);
    expect(new Set(serials).size).toBe(100_000);
    for (const serial of serials) expect(serial).toMatch(/^P-[0-9A-HJ-NP-Z]{8}$/);
    const stats = positionCounts(serials, SERIAL_ALPHABETS.alphanumeric, "P-").map(chiSquare);
    for (const stat of stats) expect(stat).toBeLessThan(CHI2_33DF);
  });

  it("the alphanumeric alphabet has 34 characters: no I, no O, no lower case", () => {
    expect(SERIAL_ALPHABETS.alphanumeric).toBe("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ");
    expect(SERIAL_ALPHABETS.alphanumeric).toHaveLength(34);
  });

  it("returns distinct serials even from a space barely larger than the request", () => {
    const s = spec({ gtin: GTIN, lot: "A", mode: "random", count: 100, length: 2 });
    const serials = drawRandomSerials(s, 100); // every one of 00-99
    expect(new Set(serials).size).toBe(100);
    const exclude = new Set(serials.slice(0, 60));
    const rest = drawRandomSerials(s, 40, exclude);
    expect(new Set([...rest, ...exclude]).size).toBe(100);
    expect(() => drawRandomSerials(s, 41, exclude)).toThrow(RangeError);
  });
});

/** insertSerials as the registry keeps it: unique per GTIN; returns the serials already there. */
class FakeRegistry implements SerialRecorder {
  readonly issued = new Map<string, Map<string, string>>();
  calls = 0;
  fail: Error | null = null;
  async insertSerials(gtin: string, jobId: string, serials: string[]): Promise<string[]> {
    this.calls++;
    if (this.fail) throw this.fail;
    await Promise.resolve();
    const map = this.issued.get(gtin) ?? new Map<string, string>();
    this.issued.set(gtin, map);
    const collisions: string[] = [];
    for (const s of serials) {
      if (map.has(s)) collisions.push(s);
      else map.set(s, jobId);
    }
    return collisions.reverse(); // any order: the generator must not rely on it
  }
}

async function collect(s: SerialSpec, registry: FakeRegistry, chunk?: number) {
  const chunks: Record<string, unknown>[][] = [];
  for await (const items of generateSerialItems(s, registry, "job-1", chunk)) {
    // Every serial of a chunk is recorded before the chunk is handed out.
    for (const item of items)
      expect(registry.issued.get(GTIN)?.get(item.serial as string)).toBe("job-1");
    chunks.push(items);
  }
  return chunks;
}

describe("generateSerialItems", () => {
  it("range: items in order, in chunks, each the base plus its serial", async () => {
    const s = spec({
      gtin: GTIN,
      lot: "A1",
      expiry: "270630",
      mode: "range",
      count: 25,
      start: 1,
      width: 3,
    });
    const registry = new FakeRegistry();
    const chunks = await collect(s, registry, 10);
    expect(chunks.map((c) => c.length)).toEqual([10, 10, 5]);
    expect(chunks[0][0]).toEqual({ gtin: GTIN, lot: "A1", expiry: "270630", serial: "001" });
    expect(chunks.flat().map((i) => i.serial)).toEqual(rangeSerials(s, 0, 25));
  });

  it("range: a serial issued before fails the job, naming the first in range order", async () => {
    const registry = new FakeRegistry();
    await collect(
      spec({ gtin: GTIN, lot: "A", mode: "range", count: 5, start: 18, width: 3 }),
      registry,
    );
    const s = spec({ gtin: GTIN, lot: "B", mode: "range", count: 100, start: 1, width: 3 });
    const error = await collect(s, registry, 10).catch((e) => e);
    expect(error).toBeInstanceOf(SerialCollisionError);
    expect(error.message).toBe(
      'Serial "018" (and 2 more in the same chunk) has already been issued for GTIN ' +
        "09506000134352; serials are unique per GTIN across every job.",
    );
    expect(error.serials).toEqual(["018", "019", "020"]);
  });

  it("random: draws again on collision until every serial is new, none issued twice", async () => {
    const registry = new FakeRegistry();
    // Half of a 10^4 space issued already: about every other draw collides.
    const taken = new Map<string, string>();
    for (let i = 0; i < 10_000; i += 2) taken.set(String(i).padStart(4, "0"), "old-job");
    registry.issued.set(GTIN, taken);
    const s = spec({ gtin: GTIN, lot: "A", mode: "random", count: 2000, length: 4 });
    const chunks = await collect(s, registry, 500);
    const serials = chunks.flat().map((i) => i.serial as string);
    expect(chunks.map((c) => c.length)).toEqual([500, 500, 500, 500]);
    expect(new Set(serials).size).toBe(2000);
    for (const serial of serials) expect(Number(serial) % 2).toBe(1);
    expect(registry.calls).toBeGreaterThan(4); // collisions were drawn again
  });

  it("random: gives up when the space is used up", async () => {
    const registry = new FakeRegistry();
    const taken = new Map<string, string>();
    for (let i = 0; i < 95; i++) taken.set(String(i).padStart(2, "0"), "old-job");
    registry.issued.set(GTIN, taken);
    const s = spec({ gtin: GTIN, lot: "A", mode: "random", count: 10, length: 2 });
    const error = await collect(s, registry).catch((e) => e);
    expect(error).toBeInstanceOf(SerialExhaustedError);
    // Five serials (95-99) are free; whether the draws found them all before giving up is chance.
    expect(error.message).toMatch(
      /^Could not find (5|6|7|8|9|10) more unused serials for GTIN 09506000134352: draw after draw found them issued already, so most of the 10\^2 serials are taken; use a longer length or the alphanumeric alphabet\.$/,
    );
  });

  it("passes a registry failure through, having yielded nothing unrecorded", async () => {
    const registry = new FakeRegistry();
    registry.fail = new Error("database is locked");
    const s = spec({ gtin: GTIN, lot: "A", mode: "random", count: 10 });
    await expect(collect(s, registry)).rejects.toThrow("database is locked");
  });

  it("makes 1,000,000 random serials in chunks of 10,000", async () => {
    const registry = new FakeRegistry();
    const s = spec({ gtin: GTIN, lot: "A", mode: "random", count: 1_000_000, length: 12 });
    const start = performance.now();
    let n = 0;
    for await (const items of generateSerialItems(s, registry, "job-1")) n += items.length;
    const seconds = (performance.now() - start) / 1000;
    expect(n).toBe(1_000_000);
    expect(registry.issued.get(GTIN)?.size).toBe(1_000_000);
    console.log(
      `generateSerialItems: 1,000,000 random serials (fake registry) in ${seconds.toFixed(2)} s`,
    );
  });
});
