// Seeded 1D test data: same seed, same values. Every generator returns what our encoder takes
// and, beside it, what zint 2.11 takes for the same symbol (its own input syntax).
import { checkDigit, seededRandom } from "./corpus.js";

/** One value in our input form and in zint's. */
export interface LinearCase {
  ours: string;
  zint: string;
}

const DIGITS = "0123456789";

function digits(rnd: () => number, count: number): string {
  let out = "";
  for (let i = 0; i < count; i++) out += DIGITS[Math.floor(rnd() * 10)];
  return out;
}

/**
 * Returns `count` digit strings of `bodyLength` digits each; every other one is given to us with
 * its check digit appended (the encoder must verify it), zint always gets the body alone.
 */
export function digitCorpus(count: number, bodyLength: number, seed: number): LinearCase[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const body = digits(rnd, bodyLength);
    return { ours: i % 2 ? body + checkDigit(body) : body, zint: body };
  });
}

/**
 * Returns `count` UPC-E values: number system 0 or 1 and six digits, as both take them. With
 * `suppressedOnly`, only forms some UPC-A suppresses to (GS1 GS §5.2.2.4.2: last digit 3 needs a
 * third digit of 3-9, 4 a fourth digit not 0, 5-9 a fifth digit not 0), which zint insists on.
 */
export function upceCorpus(count: number, seed: number, suppressedOnly = true): LinearCase[] {
  const rnd = seededRandom(seed);
  const out: LinearCase[] = [];
  while (out.length < count) {
    const value = String(Math.floor(rnd() * 2)) + digits(rnd, 6);
    const [x3, x4, x5, x6] = [3, 4, 5, 6].map((i) => Number(value[i]));
    const suppressed = !((x6 === 3 && x3 <= 2) || (x6 === 4 && x4 === 0) || (x6 >= 5 && x5 === 0));
    if (suppressed || !suppressedOnly) out.push({ ours: value, zint: value });
  }
  return out;
}

// Printable ASCII and the control characters zint's batch file can hold on one line (no NUL,
// LF, CR); runs of digits are frequent so that code set C and its switches are exercised.
const CONTROL = Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1))
  .filter((c) => c !== "\n" && c !== "\r")
  .join("");
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(i + 32)).join("");
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";

/** Returns `count` Code 128 strings (1-40 characters) mixing digit runs, cases and controls. */
export function code128Corpus(count: number, seed: number): LinearCase[] {
  const rnd = seededRandom(seed);
  const pick = (s: string) => s[Math.floor(rnd() * s.length)];
  return Array.from({ length: count }, () => {
    const length = 1 + Math.floor(rnd() * 40);
    let value = "";
    while (value.length < length) {
      const kind = rnd();
      const run = 1 + Math.floor(rnd() * 8);
      const alphabet =
        kind < 0.4
          ? DIGITS
          : kind < 0.6
            ? UPPER
            : kind < 0.75
              ? LOWER
              : kind < 0.9
                ? PRINTABLE
                : CONTROL;
      for (let i = 0; i < run && value.length < length; i++) value += pick(alphabet);
    }
    return { ours: value, zint: value };
  });
}

const CODE39 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%";

/** Returns `count` Code 39 strings of 1-30 characters of the 43-character set. */
export function code39Corpus(count: number, seed: number): LinearCase[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const length = 1 + Math.floor(rnd() * 30);
    let value = "";
    for (let i = 0; i < length; i++) value += CODE39[Math.floor(rnd() * CODE39.length)];
    // zint's batch file would lose edge spaces; a space inside is kept.
    value = value.replace(/^ | $/g, "A");
    return { ours: value, zint: value };
  });
}

const ALNUM = `${UPPER}${LOWER}${DIGITS}-./`;

/**
 * Returns `count` GS1 element strings in the bracketed form "(01)...(10)..." (valid by the GS1
 * dictionary: keys with their check digits, real dates): an SSCC alone, or a GTIN and some of
 * expiry, net weight, lot, serial; at most 48 data characters as GS1-128 allows.
 */
export function gs1Corpus128(count: number, seed: number): string[] {
  const rnd = seededRandom(seed);
  const pick = (s: string) => s[Math.floor(rnd() * s.length)];
  const text = (max: number, alphabet: string) => {
    let v = "";
    const n = 1 + Math.floor(rnd() * max);
    for (let i = 0; i < n; i++) v += pick(alphabet);
    return v;
  };
  const out: string[] = [];
  while (out.length < count) {
    const parts: string[] = [];
    if (rnd() < 0.3) {
      const body = digits(rnd, 17);
      // An SSCC stands alone: the attributes below need a GTIN (the dictionary's req= rules).
      out.push(`(00)${body}${checkDigit(body)}`);
      continue;
    }
    {
      const body = digits(rnd, 13);
      parts.push(`(01)${body}${checkDigit(body)}`);
    }
    if (rnd() < 0.5) {
      const mm = String(1 + Math.floor(rnd() * 12)).padStart(2, "0");
      const dd = String(1 + Math.floor(rnd() * 28)).padStart(2, "0");
      parts.push(`(17)${digits(rnd, 2)}${mm}${dd}`);
    }
    if (rnd() < 0.3) parts.push(`(310${Math.floor(rnd() * 6)})${digits(rnd, 6)}`);
    if (rnd() < 0.6) parts.push(`(10)${text(20, rnd() < 0.5 ? DIGITS : ALNUM)}`);
    if (rnd() < 0.4) parts.push(`(21)${text(20, rnd() < 0.5 ? DIGITS : ALNUM)}`);
    const bracketed = parts.join("");
    // GS1-128 holds at most 48 data characters, a separator between (10) and (21) counted.
    if (bracketed.replace(/[()]/g, "").length <= 47) out.push(bracketed);
  }
  return out;
}
