import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { codePointLength } from "../../../src/gs1/cset82.js";
import { LINTERS, UNSUPPORTED_LINTERS } from "../../../src/gs1/linters/index.js";
import { zintLint } from "../../helpers/zint.js";

// The dictionary this checkout carries (reference/, the source of the AI table).
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const DICTIONARY_PATHS = [`${ROOT}reference/gs1-syntax-dictionary.txt`];

function readDictionary(): string {
  const path = DICTIONARY_PATHS.find((p) => existsSync(p));
  if (!path) throw new Error(`no GS1 Syntax Dictionary at ${DICTIONARY_PATHS.join(" or ")}`);
  return readFileSync(path, "utf8");
}

/** The entry lines of the dictionary, without comments and titles. */
function entries(text: string): string[] {
  return text
    .split("\n")
    .filter((line) => !line.startsWith("#") && line.trim() !== "")
    .map((line) => line.split("#")[0]);
}

// One specification component: type letter, length, optional brackets, then ",linter"s.
const COMPONENT = /^\[?([NXYZ])(?:\.\.)?\d+\]?((?:,[a-z0-9]+)*)$/;
const TYPE_LINTER: Record<string, string> = {
  N: "csetnumeric",
  X: "cset82",
  Y: "cset39",
  Z: "cset64",
};

/** Every linter the dictionary's components name or imply by their type letter. */
function namedLinters(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of entries(text)) {
    for (const token of line.trim().split(/\s+/)) {
      const match = COMPONENT.exec(token);
      if (!match) continue;
      names.add(TYPE_LINTER[match[1]]);
      for (const name of match[2].split(",").slice(1)) names.add(name);
    }
  }
  return names;
}

describe("the dictionary's linters", () => {
  const text = readDictionary();
  const names = namedLinters(text);

  it("finds the linters the brief's grep finds, so the component parser misses none", () => {
    // grep -v '^#' | grep -oE ',[a-z0-9]+', without the AI numbers of req/ex/dlpkey lists.
    const grepped = entries(text)
      .flatMap((line) => line.match(/,[a-z0-9]+/g) ?? [])
      .map((token) => token.slice(1))
      .filter((name) => /^[a-z]/.test(name));
    expect(grepped.length).toBeGreaterThan(0);
    for (const name of grepped) expect(names).toContain(name);
  });

  it("names each linter either in LINTERS or in UNSUPPORTED_LINTERS", () => {
    const missing = [...names].filter((n) => !(n in LINTERS) && !(n in UNSUPPORTED_LINTERS));
    expect(missing).toEqual([]);
  });

  it("names the four character sets and the 34 linters of ff2eb4bf at least", () => {
    for (const name of ["csetnumeric", "cset82", "cset39", "cset64", "csum", "pcenc", "iban"]) {
      expect(names).toContain(name);
    }
    expect(names.size).toBeGreaterThanOrEqual(38);
  });
});

describe("LINTERS and UNSUPPORTED_LINTERS", () => {
  it("are frozen and do not overlap", () => {
    expect(Object.isFrozen(LINTERS)).toBe(true);
    expect(Object.isFrozen(UNSUPPORTED_LINTERS)).toBe(true);
    expect(Object.keys(UNSUPPORTED_LINTERS).filter((n) => n in LINTERS)).toEqual([]);
    for (const reason of Object.values(UNSUPPORTED_LINTERS)) expect(reason).not.toBe("");
  });

  it("include the key linter the coupon linters apply to GCP fields", () => {
    expect(LINTERS.key("0123")).toBeNull();
  });

  // Inputs no component should hold, to show every linter answers rather than throws, and
  // points inside the value (or at 1 for the empty string).
  const ODD = [
    "",
    " ",
    "0",
    "999999999999999999999999",
    "A😀%",
    "-",
    "=",
    "é".repeat(120),
    "\u0000",
  ];
  it.each(Object.keys(LINTERS))(
    "%s answers null or a fault inside the value for odd input",
    (name) => {
      for (const value of ODD) {
        const fault = LINTERS[name](value);
        if (fault === null) continue;
        expect(fault.position).toBeGreaterThanOrEqual(1);
        expect(fault.position).toBeLessThanOrEqual(Math.max(1, codePointLength(value)));
        expect(fault.detail).toMatch(/^[A-Z"].*\.$/);
      }
    },
  );
});

// zint 2.11 implements many of the same linters on its own (backend/gs1.c). For AIs it knows, a
// component our linter faults must make zint warn, and a clean one must not: each row is a whole
// AI element, the linter and the component it applies to. gcppos1/gcppos2 are left out: zint
// 2.11 does not check them.
const ZINT: { data: string; linter: string; value: string }[] = [
  { data: "[00]123456789012345675", linter: "csum", value: "123456789012345675" },
  { data: "[00]123456789012345670", linter: "csum", value: "123456789012345670" },
  {
    data: "[8013]1987654Ad4X4bL5ttr2310c2K",
    linter: "csumalpha",
    value: "1987654Ad4X4bL5ttr2310c2K",
  },
  {
    data: "[8013]1987654Ad4X4bL5ttr2310cXK",
    linter: "csumalpha",
    value: "1987654Ad4X4bL5ttr2310cXK",
  },
  { data: "[8007]BE71096123456769", linter: "iban", value: "BE71096123456769" },
  { data: "[8007]BE71096123456760", linter: "iban", value: "BE71096123456760" },
  { data: "[8007]XX361234567890", linter: "iban", value: "XX361234567890" },
  { data: "[4307]FR", linter: "iso3166alpha2", value: "FR" },
  { data: "[4307]XX", linter: "iso3166alpha2", value: "XX" },
  { data: "[3910]9781234", linter: "iso4217", value: "978" },
  { data: "[3910]0001234", linter: "iso4217", value: "000" },
  { data: "[422]250", linter: "iso3166", value: "250" },
  { data: "[422]999", linter: "iso3166", value: "999" },
  { data: "[7030]999ABC", linter: "iso3166999", value: "999" },
  { data: "[7030]998ABC", linter: "iso3166999", value: "998" },
  { data: "[4309]02790858483015297971", linter: "latitude", value: "0279085848" },
  { data: "[4309]18000000013015297971", linter: "latitude", value: "1800000001" },
  { data: "[4309]02790858483600000001", linter: "longitude", value: "3600000001" },
  { data: "[8001]12345678901219", linter: "winding", value: "1" },
  { data: "[8001]12345678901229", linter: "winding", value: "2" },
  { data: "[8001]00005678901219", linter: "nonzero", value: "0000" },
  { data: "[8006]123456789012310203", linter: "pieceoftotal", value: "0203" },
  { data: "[8006]123456789012310302", linter: "pieceoftotal", value: "0302" },
  { data: "[4321]1", linter: "yesno", value: "1" },
  { data: "[4321]2", linter: "yesno", value: "2" },
  { data: "[17]240229", linter: "yymmd0", value: "240229" },
  { data: "[17]230229", linter: "yymmd0", value: "230229" },
  { data: "[11]200600", linter: "yymmd0", value: "200600" },
  { data: "[7007]200229", linter: "yymmdd", value: "200229" },
  { data: "[7007]200600", linter: "yymmdd", value: "200600" },
  { data: "[8008]20022924", linter: "hh", value: "24" },
  { data: "[8008]2002291260", linter: "mi", value: "60" },
  { data: "[8008]200229125960", linter: "ss", value: "60" },
  { data: "[4324]2002291259", linter: "hhmi", value: "1259" },
  { data: "[4324]2002291260", linter: "hhmi", value: "1260" },
  { data: "[4300]ABC%20X", linter: "pcenc", value: "ABC%20X" },
  { data: "[4300]ABC%2G", linter: "pcenc", value: "ABC%2G" },
  { data: "[7040]1ABC", linter: "importeridx", value: "C" },
  { data: "[7040]1AB+", linter: "importeridx", value: "+" },
  { data: "[8011]123", linter: "nozeroprefix", value: "123" },
  { data: "[8011]0123", linter: "nozeroprefix", value: "0123" },
  { data: "[8003]01234567890128ABC", linter: "zero", value: "0" },
  { data: "[8003]11234567890128", linter: "zero", value: "1" },
  {
    data: "[8110]106141416543213500110000310123196000",
    linter: "couponcode",
    value: "106141416543213500110000310123196000",
  },
  {
    data: "[8110]0123456123456111101239003",
    linter: "couponcode",
    value: "0123456123456111101239003",
  },
  { data: "[8112]001234561234560123456", linter: "couponposoffer", value: "001234561234560123456" },
  { data: "[8112]201234561234560123456", linter: "couponposoffer", value: "201234561234560123456" },
];

describe("agreement with zint 2.11's own GS1 linters", () => {
  it.each(ZINT)("$data: $linter and zint agree", ({ data, linter, value }) => {
    const ours = LINTERS[linter](value);
    const zint = zintLint(data);
    expect(zint.refused).toBe(false);
    expect({ faulted: ours !== null, zint: zint.message }).toEqual({
      faulted: zint.message !== null,
      zint: zint.message,
    });
  });
});
