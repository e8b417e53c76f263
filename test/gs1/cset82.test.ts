import { describe, expect, it } from "vitest";
import { CSET82, checkCset82, checkNumeric, DIGITS, isCset82 } from "../../src/gs1/cset82.js";
import { zintLint } from "../helpers/zint.js";

// The set written out as the contract lists it (../shared/reference/contract.md, from GS1
// General Specifications Figure 7.11-1), independently of the constant under test.
const CONTRACT_SET =
  "!\"%&'()*+,-./" +
  "0123456789" +
  ":;<=>?" +
  "ABCDEFGHIJKLMNOPQRSTUVWXYZ" +
  "_" +
  "abcdefghijklmnopqrstuvwxyz";

// Printable ASCII the contract names as excluded: space # $ @ [ \ ] ^ ` { | } ~.
const EXCLUDED_PRINTABLE = [" ", "#", "$", "@", "[", "\\", "]", "^", "`", "{", "|", "}", "~"];

// Outside ASCII or not printable: each must be rejected, none is in set 82.
const EXCLUDED_OTHER = [
  { char: "\x1d", source: "GS, the separator itself" },
  { char: "\t", source: "control character" },
  { char: "\x7f", source: "DEL" },
  { char: "é", source: "Latin-1 letter" },
  { char: "Ä", source: "Latin-1 letter" },
  { char: "\u00a0", source: "no-break space" },
  { char: "\uff21", source: "fullwidth A" },
  { char: "٣", source: "Arabic-Indic digit three" },
  { char: "€", source: "BMP symbol" },
];

describe("CSET82", () => {
  it("is exactly the 82 characters of the contract, in code-point order", () => {
    expect(CSET82).toBe(CONTRACT_SET);
    expect(new Set(CSET82).size).toBe(82);
    expect([...CSET82].map((c) => c.charCodeAt(0))).toEqual(
      [...CSET82].map((c) => c.charCodeAt(0)).sort((a, b) => a - b),
    );
  });

  it("together with the excluded printable characters covers printable ASCII 0x20-0x7E", () => {
    const printable = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));
    expect(printable.filter((c) => !CSET82.includes(c))).toEqual(EXCLUDED_PRINTABLE);
  });
});

describe("checkCset82", () => {
  it.each([...CONTRACT_SET])("accepts %j", (char) => {
    expect(isCset82(char)).toBe(true);
    expect(checkCset82(`A${char}B`)).toEqual([]);
  });

  it("accepts all 82 characters in one value, and the empty string", () => {
    expect(checkCset82(CONTRACT_SET)).toEqual([]);
    expect(checkCset82("")).toEqual([]);
  });

  it.each(EXCLUDED_PRINTABLE)("rejects %j with its 1-based position", (char) => {
    expect(isCset82(char)).toBe(false);
    expect(checkCset82(`LOT${char}1`)).toEqual([{ position: 4, char }]);
  });

  it.each(EXCLUDED_OTHER)("rejects $source ($char) with its position", ({ char }) => {
    expect(isCset82(char)).toBe(false);
    expect(checkCset82(`${char}AB`)).toEqual([{ position: 1, char }]);
  });

  it("reports every offending character in order", () => {
    expect(checkCset82("A B#C~")).toEqual([
      { position: 2, char: " " },
      { position: 4, char: "#" },
      { position: 6, char: "~" },
    ]);
  });

  it("counts positions in code points, so an emoji is one character", () => {
    expect(checkCset82("A\u{1F600}B C")).toEqual([
      { position: 2, char: "\u{1F600}" },
      { position: 4, char: " " },
    ]);
  });

  // zint 2.11 names the first offending position of AI 10 itself ("[" and "]" are its own
  // syntax, and it refuses non-ASCII before linting, so those are left out).
  it.each(EXCLUDED_PRINTABLE.filter((c) => c !== "[" && c !== "]"))(
    "agrees with zint's cset82 linter on %j",
    (char) => {
      const lot = `AB${char}C`;
      const verdict = zintLint(`[01]00012345678905[10]${lot}`);
      expect(verdict.message).toMatch(/AI \(10\) position 3: Invalid CSET 82 character/);
      expect(checkCset82(lot)[0].position).toBe(3);
    },
  );

  it("agrees with zint that all 82 characters are clean", () => {
    // AI 10 holds at most 20 characters, so the set goes to zint in chunks of 20.
    for (let i = 0; i < CONTRACT_SET.length; i += 20) {
      const chunk = CONTRACT_SET.slice(i, i + 20);
      expect(zintLint(`[01]00012345678905[10]${chunk}`).message, chunk).toBeNull();
    }
  });
});

describe("checkNumeric", () => {
  it("accepts ASCII digits and the empty string", () => {
    expect(DIGITS).toBe("0123456789");
    expect(checkNumeric("0123456789")).toEqual([]);
    expect(checkNumeric("")).toEqual([]);
  });

  it("rejects letters, spaces, signs and non-ASCII digits with positions", () => {
    expect(checkNumeric("12a4 -٣")).toEqual([
      { position: 3, char: "a" },
      { position: 5, char: " " },
      { position: 6, char: "-" },
      { position: 7, char: "٣" },
    ]);
  });
});
