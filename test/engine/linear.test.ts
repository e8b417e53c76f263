// The 1D encoders (assembly/linear/ through src/engine/linear.ts) against zint 2.11's bars and
// zxing-cpp's reading of them, on seeded corpora of 1,000 values per symbology.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Linear, LinearFlag, LinearStatus } from "../../src/engine/abi.js";
import { memoryByteLength } from "../../src/engine/core.js";
import { encodeLinearRuns, isRefusal, type LinearRuns } from "../../src/engine/linear.js";
import { buildElementString, parseBracketed } from "../../src/gs1/ai/element-string.js";
import { decodeLinearGrey, runsToGrey } from "../helpers/decode.js";
import {
  code39Corpus,
  code128Corpus,
  digitCorpus,
  gs1Corpus128,
  type LinearCase,
  upceCorpus,
} from "../helpers/linear-corpus.js";
import { ZINT, zintLinearBatch } from "../helpers/zint-linear.js";

const CORPUS = 1000;
const dir = mkdtempSync(join(tmpdir(), "linear-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function encode(symbology: Linear, data: string, flags = 0): LinearRuns {
  const outcome = encodeLinearRuns(symbology, data, flags);
  if (isRefusal(outcome)) {
    throw new Error(`refused ${JSON.stringify(data)}: ${LinearStatus[outcome.status]}`);
  }
  return outcome;
}

async function decode(runs: LinearRuns) {
  const { grey, width, height } = runsToGrey(runs.widths);
  return decodeLinearGrey(grey, width, height);
}

const RATIO_3 = 3 << 8;
const RATIO_2 = 2 << 8;

// Each symbology: our encoder's arguments, zint's barcode number and flags, and what zxing must
// report: the text (from the value and the digits the encoder wrote) and symbology identifier.
const FIXED: {
  name: string;
  symbology: Linear;
  flags: number;
  zint: number;
  zintFlags: string[];
  corpus: () => LinearCase[];
  identifier: string;
  modules: number;
  /** What zxing-cpp transmits for our text: UPC-A as EAN-13, UPC-E expanded to it (below). */
  transmits: (text: string) => string;
}[] = [
  {
    name: "EAN-13",
    symbology: Linear.EAN13,
    flags: 0,
    zint: ZINT.EAN,
    zintFlags: [],
    corpus: () => digitCorpus(CORPUS, 12, 13),
    identifier: "]E0",
    modules: 95,
    transmits: (text) => text,
  },
  {
    name: "EAN-8",
    symbology: Linear.EAN8,
    flags: 0,
    zint: ZINT.EAN,
    zintFlags: [],
    corpus: () => digitCorpus(CORPUS, 7, 8),
    identifier: "]E4",
    modules: 67,
    transmits: (text) => text,
  },
  {
    name: "UPC-A",
    symbology: Linear.UPCA,
    flags: 0,
    zint: ZINT.UPCA,
    zintFlags: [],
    corpus: () => digitCorpus(CORPUS, 11, 12),
    identifier: "]E0",
    modules: 95,
    transmits: (text) => `0${text}`,
  },
  {
    name: "UPC-E",
    symbology: Linear.UPCE,
    flags: 0,
    zint: ZINT.UPCE,
    zintFlags: [],
    corpus: () => upceCorpus(CORPUS, 37),
    identifier: "]E0",
    modules: 51,
    // zxing-cpp expands UPC-E to the EAN-13 of its UPC-A; checked on its own below.
    transmits: (text) => text,
  },
  {
    name: "ITF-14",
    symbology: Linear.ITF14,
    flags: RATIO_3,
    zint: ZINT.ITF14,
    zintFlags: [],
    corpus: () => digitCorpus(CORPUS, 13, 89),
    identifier: "]I1",
    modules: 4 + 7 * 2 * (3 * 2 + 3) + 5,
    transmits: (text) => text,
  },
];

describe.each(FIXED)("$name", (spec) => {
  const cases = spec.corpus();
  const encoded = cases.map((c) => encode(spec.symbology, c.ours, spec.flags));

  it(`draws the same bars and spaces as zint for ${CORPUS} values`, () => {
    const zint = zintLinearBatch(
      spec.zint,
      cases.map((c) => c.zint),
      spec.zintFlags,
      dir,
    );
    let same = 0;
    encoded.forEach((runs, i) => {
      expect(runs.modules, cases[i].ours).toBe(spec.modules);
      if (Array.from(runs.widths).join("") === zint[i].join("")) same++;
      else expect(Array.from(runs.widths), cases[i].ours).toEqual(zint[i]);
    });
    expect(same).toBe(CORPUS);
  });

  it(`is read by zxing-cpp as ${spec.identifier} with the check digit for ${CORPUS} values`, async () => {
    for (let i = 0; i < CORPUS; i++) {
      const decoded = await decode(encoded[i]);
      expect(decoded.symbologyIdentifier, cases[i].ours).toBe(spec.identifier);
      if (spec.symbology === Linear.UPCE) continue;
      expect(decoded.text, cases[i].ours).toBe(spec.transmits(encoded[i].text));
      expect(encoded[i].text.startsWith(cases[i].zint), cases[i].ours).toBe(true);
    }
  });
});

describe("UPC-E zero suppression", () => {
  const cases = upceCorpus(CORPUS, 371);

  it(`gives the UPC-A that zxing-cpp expands it to the same bars, for ${CORPUS} values`, async () => {
    for (const { ours } of cases) {
      const upce = encode(Linear.UPCE, ours);
      const decoded = await decode(upce);
      // zxing transmits the expansion as an EAN-13: "0" + the UPC-A with its check digit.
      expect(decoded.text.slice(1, 2), ours).toBe(ours[0]);
      expect(decoded.text.slice(-1), ours).toBe(upce.text.slice(-1));
      const fromUpca = encode(Linear.UPCE, decoded.text.slice(1));
      expect(Array.from(fromUpca.widths), ours).toEqual(Array.from(upce.widths));
      expect(fromUpca.text, ours).toBe(upce.text);
      // and without its check digit, which the encoder then computes
      const fromBody = encode(Linear.UPCE, decoded.text.slice(1, 12));
      expect(fromBody.text, ours).toBe(upce.text);
    }
  });

  it("refuses exactly the UPC-E digits zint refuses, naming the digit", () => {
    const mixed = upceCorpus(200, 372, false);
    for (const { ours } of mixed) {
      const run = spawnSync("zint", ["-b", String(ZINT.UPCE), "--dump", "-d", ours], {
        encoding: "utf8",
      });
      const outcome = encodeLinearRuns(Linear.UPCE, ours, 0);
      expect(isRefusal(outcome), `${ours}: zint said ${run.stderr.trim()}`).toBe(run.status !== 0);
      if (isRefusal(outcome)) {
        expect(outcome.status).toBe(LinearStatus.NOT_SUPPRESSED);
        expect([3, 4, 5]).toContain(outcome.position);
      }
    }
  });

  it("refuses a UPC-A that has no UPC-E form and a number system other than 0 or 1", () => {
    // 012345678905: product code 67890 cannot lose zeros it does not have.
    expect(encodeLinearRuns(Linear.UPCE, "012345678905", 0)).toMatchObject({
      status: LinearStatus.NOT_COMPRESSIBLE,
    });
    expect(encodeLinearRuns(Linear.UPCE, "2123456", 0)).toMatchObject({
      status: LinearStatus.BAD_NUMBER_SYSTEM,
      position: 0,
    });
  });
});

describe("Code 128", () => {
  const cases = code128Corpus(CORPUS, 128);
  const encoded = cases.map((c) => encode(Linear.CODE128, c.ours));

  it(`is never wider than zint and mostly the same bars, for ${CORPUS} values`, () => {
    const zint = zintLinearBatch(
      ZINT.CODE128,
      cases.map((c) => c.zint),
      [],
      dir,
    );
    let same = 0;
    let narrower = 0;
    encoded.forEach((runs, i) => {
      const theirs = zint[i].reduce((a, b) => a + b, 0);
      expect(runs.modules, JSON.stringify(cases[i].ours)).toBeLessThanOrEqual(theirs);
      if (Array.from(runs.widths).join() === zint[i].join()) same++;
      else if (runs.modules < theirs) narrower++;
    });
    console.log(`Code 128: ${same} same as zint, ${narrower} narrower, of ${CORPUS}`);
    // Where the plans differ at equal length the choice is a tie-break; these lock in today's
    // agreement on this seeded corpus (741 of 1,000).
    expect(same).toBeGreaterThanOrEqual(741);
  });

  it(`is read by zxing-cpp as ]C0 with the data, for ${CORPUS} values`, async () => {
    for (let i = 0; i < CORPUS; i++) {
      const decoded = await decode(encoded[i]);
      expect(decoded.symbologyIdentifier, JSON.stringify(cases[i].ours)).toBe("]C0");
      expect(decoded.text).toBe(cases[i].ours);
    }
  });

  it("refuses a byte above 127 at its position", () => {
    expect(encodeLinearRuns(Linear.CODE128, "AB\u00e9", 0)).toMatchObject({
      status: LinearStatus.INVALID_CHARACTER,
      position: 2,
    });
  });
});

describe("GS1-128", () => {
  const bracketed = gs1Corpus128(CORPUS, 16);
  const strings = bracketed.map((b) => {
    const { elements } = parseBracketed(b);
    if (!elements) throw new Error(`corpus value ${b} does not parse`);
    return buildElementString(elements);
  });
  const encoded = strings.map((s) => encode(Linear.CODE128, s, LinearFlag.GS1));

  it(`is never wider than zint and mostly the same bars, for ${CORPUS} values`, () => {
    const zint = zintLinearBatch(ZINT.GS1_128, bracketed, ["--gs1parens"], dir);
    let same = 0;
    let narrower = 0;
    encoded.forEach((runs, i) => {
      const theirs = zint[i].reduce((a, b) => a + b, 0);
      expect(runs.modules, bracketed[i]).toBeLessThanOrEqual(theirs);
      if (Array.from(runs.widths).join() === zint[i].join()) same++;
      else if (runs.modules < theirs) narrower++;
    });
    console.log(`GS1-128: ${same} same as zint, ${narrower} narrower, of ${CORPUS}`);
    // 963 of 1,000 on this seeded corpus today.
    expect(same).toBeGreaterThanOrEqual(963);
  });

  it(`is read by zxing-cpp as ]C1 with the element string, for ${CORPUS} values`, async () => {
    for (let i = 0; i < CORPUS; i++) {
      const decoded = await decode(encoded[i]);
      expect(decoded.symbologyIdentifier, bracketed[i]).toBe("]C1");
      expect(decoded.text, bracketed[i]).toBe(strings[i]);
    }
  });

  it("refuses a separator first or last, where GS1 puts none", () => {
    expect(encodeLinearRuns(Linear.CODE128, "10ABC\x1d", LinearFlag.GS1)).toMatchObject({
      status: LinearStatus.INVALID_CHARACTER,
      position: 5,
    });
  });
});

const CODE39_SET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%";

// The mod-43 check character of `data`, ISO/IEC 16388 Annex A: the sum of the character values.
function mod43(data: string): string {
  let sum = 0;
  for (const ch of data) sum += CODE39_SET.indexOf(ch);
  return CODE39_SET[sum % 43];
}

describe("Code 39", () => {
  const cases = code39Corpus(CORPUS, 39);
  // Every other value with the mod-43 check character (zint: --vers=1).
  const encoded = cases.map((c, i) =>
    encode(Linear.CODE39, c.ours, RATIO_2 | (i % 2 ? LinearFlag.CHECK : 0)),
  );

  it(`draws the same bars and spaces as zint (wide = 2X) for ${CORPUS} values`, () => {
    const plain = zintLinearBatch(
      ZINT.CODE39,
      cases.filter((_, i) => i % 2 === 0).map((c) => c.zint),
      [],
      dir,
    );
    const checked = zintLinearBatch(
      ZINT.CODE39,
      cases.filter((_, i) => i % 2 === 1).map((c) => c.zint),
      ["--vers=1"],
      dir,
    );
    encoded.forEach((runs, i) => {
      const theirs = i % 2 ? checked[(i - 1) / 2] : plain[i / 2];
      expect(Array.from(runs.widths), cases[i].ours).toEqual(theirs);
    });
  });

  it(`is read by zxing-cpp with the data and check character, for ${CORPUS} values`, async () => {
    for (let i = 0; i < CORPUS; i++) {
      const data = cases[i].ours;
      const decoded = await decode(encoded[i]);
      if (i % 2) {
        expect(decoded.text, data).toBe(data + mod43(data));
        expect(decoded.symbologyIdentifier, data).toBe("]A1");
      } else {
        expect(decoded.text, data).toBe(data);
        // zxing-cpp reports ]A1 whenever the last character happens to check the others.
        const lastChecks = data.length > 1 && mod43(data.slice(0, -1)) === data.slice(-1);
        expect(decoded.symbologyIdentifier, data).toBe(lastChecks ? "]A1" : "]A0");
      }
    }
  });

  it("draws wide elements 3X by default ratio 3 and refuses other ratios and characters", async () => {
    const runs = encode(Linear.CODE39, "CODE39", RATIO_3);
    expect(Math.max(...runs.widths)).toBe(3);
    // 8 characters of 3 wide and 6 narrow elements plus 7 gaps
    expect(runs.modules).toBe(8 * (3 * 3 + 6) + 7);
    expect((await decode(runs)).text).toBe("CODE39");
    expect(encodeLinearRuns(Linear.CODE39, "AB", 4 << 8)).toMatchObject({
      status: LinearStatus.BAD_RATIO,
    });
    expect(encodeLinearRuns(Linear.CODE39, "AB*C", RATIO_3)).toMatchObject({
      status: LinearStatus.INVALID_CHARACTER,
      position: 2,
    });
  });
});

describe("check digits", () => {
  it.each([
    // Each GTIN with its last digit off by one; the right digit from GS1's check digit calculator.
    { symbology: Linear.EAN13, data: "5901234123458", expected: 7 },
    { symbology: Linear.EAN8, data: "96385075", expected: 4 },
    { symbology: Linear.UPCA, data: "012345678906", expected: 5 },
    { symbology: Linear.ITF14, data: "12345678901232", expected: 1 },
    { symbology: Linear.UPCE, data: "01234566", expected: 5 },
  ])(
    "refuses $data as symbology $symbology, expecting $expected",
    ({ symbology, data, expected }) => {
      expect(encodeLinearRuns(symbology, data, RATIO_3)).toEqual({
        status: LinearStatus.BAD_CHECK_DIGIT,
        position: data.length - 1,
        expectedCheck: expected,
      });
    },
  );

  it("refuses lengths and characters the symbologies do not take", () => {
    expect(encodeLinearRuns(Linear.EAN13, "12345", 0)).toMatchObject({
      status: LinearStatus.BAD_LENGTH,
    });
    expect(encodeLinearRuns(Linear.EAN13, "59012341A345", 0)).toMatchObject({
      status: LinearStatus.INVALID_CHARACTER,
      position: 8,
    });
    expect(encodeLinearRuns(Linear.ITF14, "1234567890123", 5 << 8)).toMatchObject({
      status: LinearStatus.BAD_RATIO,
    });
  });
});

describe("memory", () => {
  it("does not grow over 10,000 encodes of every symbology", () => {
    const before = memoryByteLength();
    for (let i = 0; i < 2000; i++) {
      encode(Linear.EAN13, "590123412345");
      encode(Linear.UPCE, "0425261");
      encode(Linear.ITF14, "1234567890123", RATIO_3);
      encode(Linear.CODE128, `0112345678901231\x1d10LOT${i}`, LinearFlag.GS1);
      encode(Linear.CODE39, `CODE39-${i}`, RATIO_3 | LinearFlag.CHECK);
    }
    expect(memoryByteLength()).toBe(before);
  });
});
