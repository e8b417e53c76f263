// Seeded random GS1 payloads for round-trip tests and benchmarks: same seed, same corpus.
import type { DataMatrixPayload } from "../../src/types.js";

/** Every character of the GS1 AI encodable character set 82, in code order. */
export const CSET82 =
  "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

/** Returns a deterministic PRNG in [0, 1) (mulberry32) for `seed`. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns the GS1 mod-10 check digit for the digits of `body` (weights 3,1,3... from the right). */
export function checkDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = body.charCodeAt(body.length - 1 - i) - 48;
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return (10 - (sum % 10)) % 10;
}

const DIGITS = "0123456789";
const UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";

/**
 * Returns `count` payloads drawn with `seed`: GTIN-14 (some given as GTIN-8/12/13), optional
 * expiry, and lot and/or serial of 1-20 characters from a mix of alphabets (digits only,
 * upper case and digits, all of CSET 82, lower case), sometimes at the maximum length.
 */
export function gs1Corpus(count: number, seed = 20261126): DataMatrixPayload[] {
  const rnd = seededRandom(seed);
  const pick = (s: string) => s[Math.floor(rnd() * s.length)];
  const text = (): string => {
    const alphabet = [DIGITS, UPPER_DIGITS, CSET82, "abcdefghijklmnopqrstuvwxyz0123456789"][
      Math.floor(rnd() * 4)
    ];
    const length = rnd() < 0.15 ? 20 : 1 + Math.floor(rnd() * 20);
    let s = "";
    for (let i = 0; i < length; i++) s += pick(alphabet);
    return s;
  };
  const out: DataMatrixPayload[] = [];
  for (let n = 0; n < count; n++) {
    const lengths = [8, 12, 13, 14, 14, 14];
    const len = lengths[Math.floor(rnd() * lengths.length)];
    let body = "";
    for (let i = 0; i < len - 1; i++) body += pick(DIGITS);
    const gtin = body + checkDigit(body);
    const payload: DataMatrixPayload = { gtin };
    if (rnd() < 0.75) {
      const yy = String(Math.floor(rnd() * 100)).padStart(2, "0");
      const mm = String(1 + Math.floor(rnd() * 12)).padStart(2, "0");
      const dd = String(Math.floor(rnd() * 29)).padStart(2, "0");
      payload.expiry = yy + mm + dd;
    }
    const which = rnd();
    if (which < 0.45) {
      payload.lot = text();
      payload.serial = text();
    } else if (which < 0.75) {
      payload.lot = text();
    } else {
      payload.serial = text();
    }
    out.push(payload);
  }
  return out;
}
