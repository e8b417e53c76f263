// Job ids: 22-character shortuuids, the form the published API gives job_id. 128 random bits
// (crypto) written in the shortuuid library's base-57 alphabet, most significant digit first,
// padded with the alphabet's first character, so ids look like shortuuid's and parse with it.
import { randomBytes } from "node:crypto";

/** shortuuid's default alphabet: digits and letters without 0, 1, I, O and l. */
export const SHORTUUID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
/** The length of a 128-bit shortuuid (57^22 > 2^128). */
export const JOB_ID_LENGTH = 22;

const JOB_ID_PATTERN = /^[2-9A-HJ-NP-Za-km-z]{22}$/;
const BASE = BigInt(SHORTUUID_ALPHABET.length);

/** Returns a new job id: 22 characters of SHORTUUID_ALPHABET encoding 128 random bits. */
export function newJobId(): string {
  let n = BigInt(`0x${randomBytes(16).toString("hex")}`);
  let out = "";
  while (n > 0n) {
    out = SHORTUUID_ALPHABET[Number(n % BASE)] + out;
    n /= BASE;
  }
  return out.padStart(JOB_ID_LENGTH, SHORTUUID_ALPHABET[0]);
}

/**
 * Tells whether `value` has the shape of a job id (22 characters of the alphabet), so a route
 * can answer 422 for a malformed id before any lookup.
 */
export function isJobId(value: string): boolean {
  return JOB_ID_PATTERN.test(value);
}
