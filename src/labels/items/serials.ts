// The serial-number generator item source of bulk label export: a request such as
// {"serials": {"gtin": "09506000134352", "lot": "A1", "mode": "random", "count": 5000}} becomes
// `count` datamatrix payloads that differ only in their serial (AI 21). Pure: the database side
// (issued serials, unique per GTIN across every job) is the SerialRegistry's; generateSerialItems
// only needs its insertSerials.
//
// Serials are AI 21 values: 1-20 characters of GS1 character set 82. The generator makes
// - `random`: prefix + `length` characters drawn uniformly (crypto.randomBytes with rejection
//   sampling, so no character is likelier than another) from one of two alphabets:
//   - "digits": 0-9.
//   - "alphanumeric": 0-9 and A-Z without I and O — 34 characters. I and O are left out because
//     serials are read and typed by people (EU FMD verification falls back to keying the HRI in
//     when a scan fails) and I/1, O/0 are the classic misreadings. Lower case is left out
//     because some serial managers and verification hubs treat serials case-insensitively,
//     where "a1" and "A1" would be the same serial.
// - `range`: prefix + the numbers start, start+1, …, start+count-1, zero-padded to `width` when
//   given. Sequential serials are guessable, so `range` is for markets that do not require
//   randomisation; fmdCheck judges `random` requests only.

import { randomBytes } from "node:crypto";
import { checkCset82 } from "../../gs1/cset82.js";
import { parseGs1Payload } from "../../gs1/payload.js";
import { describeValue as describe, type Issue } from "../../issues.js";
import type { SerialSpec } from "../types.js";
import { formatCount } from "./csv.js";

/** The characters a random serial is drawn from, per alphabet (see the file comment). */
export const SERIAL_ALPHABETS = {
  digits: "0123456789",
  alphanumeric: "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ",
} as const;

/** The longest serial, prefix included (AI 21 is X..20). */
export const SERIAL_MAX_LENGTH = 20;
/** Random part length when the request gives none: 10^12 serials, FMD-safe up to 10^8 per GTIN. */
export const DEFAULT_RANDOM_LENGTH = 12;
/** LABELS_MAX_ITEMS' default: the most serials one job may ask for. */
export const DEFAULT_MAX_ITEMS = 1_000_000;
/** EU FMD: guessing one valid serial must be less likely than 1 in this. */
export const FMD_GUESS_FACTOR = 10_000;
/**
 * Draw rounds per chunk before random mode gives up (each round redraws only the collisions).
 * With half the space taken, a chunk of n needs about log2(n) rounds and fails to finish in R
 * with probability about n / 2^R: 16 failed 1 run in ~30 (found by the test), 64 never will.
 */
export const MAX_DRAW_ROUNDS = 64;

/** The fields a `serials` object may have; any other is an issue (a typo'd one would burn serials). */
const SERIAL_FIELDS = [
  "gtin",
  "lot",
  "expiry",
  "production_date",
  "ais",
  "mode",
  "count",
  "length",
  "alphabet",
  "start",
  "width",
  "prefix",
] as const;
const SAMPLE_RULES: ReadonlySet<string> = new Set(["cset82", "length", "string_type"]);
const RANDOM_ONLY = ["length", "alphabet"] as const;
const RANGE_ONLY = ["start", "width"] as const;

/** A range serial already issued for the GTIN (by this job or another): the job cannot go on. */
export class SerialCollisionError extends Error {
  readonly gtin: string;
  readonly serials: readonly string[];
  constructor(gtin: string, serials: readonly string[]) {
    super(
      `Serial ${JSON.stringify(serials[0])} ` +
        (serials.length > 1
          ? `(and ${formatCount(serials.length - 1)} more in the same chunk) `
          : "") +
        `has already been issued for GTIN ${gtin}; serials are unique per GTIN across every job.`,
    );
    this.name = "SerialCollisionError";
    this.gtin = gtin;
    this.serials = serials;
  }
}

/** Random mode kept drawing serials that were already issued: the space is nearly used up. */
export class SerialExhaustedError extends Error {
  constructor(spec: SerialSpec, missing: number) {
    const size = SERIAL_ALPHABETS[spec.alphabet ?? "digits"].length;
    super(
      `Could not find ${formatCount(missing)} more unused serials for GTIN ${spec.gtin}: ` +
        `draw after draw found them issued already, so most of the ${size}^${spec.length} ` +
        "serials are taken; use a longer length or the alphanumeric alphabet.",
    );
    this.name = "SerialExhaustedError";
  }
}

/**
 * Validates `body.serials` (body being the request object; `loc` where that object sits, [] for
 * the request body itself) into a SerialSpec, or returns every issue found. Issue fields are
 * dotted paths, `[...loc, "serials", field].join(".")`, e.g. "serials.count", "serials.ais.7003".
 *
 * Rules: `serials` an object with only the fields below. `gtin` required, plus optional `lot`,
 * `expiry`, `production_date`, `ais` — validated as the datamatrix endpoint validates them (with
 * a sample serial, so AI combinations such as 21 with 235 are judged too); `spec.base` holds
 * them with the GTIN as 14 digits. `mode` "random" or "range". `count` an integer 1..maxItems
 * (`options.maxItems`, LABELS_MAX_ITEMS, default 1,000,000). `prefix` (both modes) a string of
 * set 82, "" by default. random: `length` an integer ≥ 1 (default 12), `alphabet` "digits"
 * (default) or "alphanumeric"; prefix + length at most 20 characters. range: `start` a required
 * integer ≥ 0; `width` optional, an integer 1..20, which start+count-1 must fit; prefix + the
 * widest number at most 20 characters. A field of the other mode is an issue (it would be
 * silently unused). The FMD guessing rule needs the issued count: see fmdCheck.
 */
export function parseSerialSpec(
  body: unknown,
  loc: (string | number)[],
  options: { maxItems?: number } = {},
): { spec: SerialSpec } | { issues: Issue[] } {
  const maxItems = options.maxItems ?? DEFAULT_MAX_ITEMS;
  const where = [...loc, "serials"].join(".");
  const at = (field: string) => `${where}.${field}`;
  const issues: Issue[] = [];
  const outer = isObject(body) ? body : {};
  const input = outer.serials;
  if (!isObject(input)) {
    issues.push({
      field: where,
      value: input,
      rule: input === undefined ? "missing" : "object_type",
      message:
        input === undefined
          ? `${where} is required but missing.`
          : `${where} must be an object such as {"gtin": "09506000134352", "mode": "random", ` +
            `"count": 1000}; got ${describe(input)}.`,
    });
    return { issues };
  }

  for (const key of Object.keys(input)) {
    if ((SERIAL_FIELDS as readonly string[]).includes(key)) continue;
    issues.push({
      field: at(key),
      value: input[key],
      rule: "unknown_field",
      message:
        `${at(key)} is not a field of the serial generator (${SERIAL_FIELDS.join(", ")}); ` +
        "issued serials cannot be taken back, so a misspelt field is refused rather than ignored.",
    });
  }

  const mode = readMode(input.mode, at("mode"), issues);
  const count = readInteger(input.count, at("count"), 1, maxItems, issues, "required");
  const prefix = readPrefix(input.prefix, at("prefix"), issues);
  if (mode !== null) {
    const foreign = mode === "random" ? RANGE_ONLY : RANDOM_ONLY;
    for (const key of foreign) {
      if (input[key] === undefined) continue;
      issues.push({
        field: at(key),
        value: input[key],
        rule: "mode_field",
        message: `${at(key)} applies to mode "${mode === "random" ? "range" : "random"}" only; this request's mode is "${mode}".`,
      });
    }
  }

  let length: number | null = null;
  let alphabet: "digits" | "alphanumeric" | undefined;
  let start: number | null = null;
  let width: number | null = null;
  let sample = "1";
  if (mode === "random") {
    length = readInteger(
      input.length,
      at("length"),
      1,
      SERIAL_MAX_LENGTH,
      issues,
      DEFAULT_RANDOM_LENGTH,
    );
    alphabet = readAlphabet(input.alphabet, at("alphabet"), issues);
    if (length !== null && prefix !== null && prefix.length + length > SERIAL_MAX_LENGTH) {
      issues.push({
        field: at("length"),
        value: length,
        rule: "serial_length",
        message:
          `${at("prefix")} (${prefix.length} characters) and ${at("length")} ${length} make ` +
          `serials of ${prefix.length + length} characters; a serial (AI 21) has at most ` +
          `${SERIAL_MAX_LENGTH}.`,
      });
    }
    if (length !== null) sample = `${prefix ?? ""}${"0".repeat(length)}`;
  } else if (mode === "range") {
    start = readInteger(input.start, at("start"), 0, Number.MAX_SAFE_INTEGER, issues, "required");
    width = readInteger(input.width, at("width"), 1, SERIAL_MAX_LENGTH, issues, null);
    if (start !== null && count !== null) {
      const last = start + count - 1;
      const digits = String(last).length;
      if (!Number.isSafeInteger(last)) {
        issues.push({
          field: at("start"),
          value: start,
          rule: "range",
          message: `${at("start")} ${start} + ${at("count")} ${count} - 1 is past ${Number.MAX_SAFE_INTEGER}, the largest serial number this generator counts to.`,
        });
      } else if (width !== null && digits > width) {
        issues.push({
          field: at("width"),
          value: width,
          rule: "width",
          message:
            `${at("width")} ${width} is too narrow: the last serial number, ${at("start")} ` +
            `${start} + ${at("count")} ${count} - 1 = ${last}, has ${digits} digits.`,
        });
      } else if (
        prefix !== null &&
        prefix.length + Math.max(width ?? 0, digits) > SERIAL_MAX_LENGTH
      ) {
        const longest = prefix.length + Math.max(width ?? 0, digits);
        issues.push({
          field: at(width === null ? "start" : "width"),
          value: width === null ? start : width,
          rule: "serial_length",
          message:
            `${at("prefix")} (${prefix.length} characters) and the ` +
            `${Math.max(width ?? 0, digits)}-digit serial numbers make serials of ${longest} ` +
            `characters; a serial (AI 21) has at most ${SERIAL_MAX_LENGTH}.`,
        });
      } else {
        sample = `${prefix ?? ""}${String(last).padStart(width ?? 0, "0")}`;
      }
    }
  }

  // The shared fields, judged by the endpoint's own validator with a serial of the right shape.
  const data: Record<string, unknown> = { serial: sample };
  for (const key of ["gtin", "lot", "expiry", "production_date", "ais"] as const) {
    if (input[key] !== undefined) data[key] = input[key];
  }
  const gs1 = parseGs1Payload(data);
  for (const issue of gs1.issues) {
    // The sample serial's own characters and length are ours (a bad prefix is reported above);
    // a rule about AI 21 beside the other fields (21 with 235) is the request's.
    if (issue.field === "serial" && SAMPLE_RULES.has(issue.rule)) continue;
    const field = issue.field === null || issue.field === "serial" ? where : at(issue.field);
    const message =
      issue.field !== null && issue.message.startsWith(`${issue.field} `)
        ? `${field}${issue.message.slice(issue.field.length)}`
        : issue.message;
    issues.push({ ...issue, field, message });
  }

  if (issues.length > 0 || mode === null || count === null || prefix === null) return { issues };
  if (gs1.data === null) throw new Error("parseGs1Payload gave neither data nor issues");
  // Named fields are AI elements now; the GTIN's arrives normalised to 14 digits.
  const gtin = gs1.data.elements.find((e) => e.ai === "01")?.value;
  if (gtin === undefined) throw new Error("a valid serials request without a GTIN");
  const base: Record<string, unknown> = { gtin };
  for (const key of ["lot", "expiry", "production_date", "ais"] as const) {
    if (input[key] !== undefined && input[key] !== null) base[key] = input[key];
  }
  const spec: SerialSpec = { base, gtin, count, mode, prefix };
  if (mode === "random") {
    spec.length = length ?? DEFAULT_RANDOM_LENGTH;
    spec.alphabet = alphabet;
  } else {
    spec.start = start ?? 0;
    if (width !== null) spec.width = width;
  }
  return { spec };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readMode(value: unknown, field: string, issues: Issue[]): "random" | "range" | null {
  if (value === "random" || value === "range") return value;
  issues.push({
    field,
    value,
    rule: value === undefined ? "missing" : "enum",
    message:
      value === undefined
        ? `${field} is required but missing; it is "random" or "range".`
        : `${field} must be "random" or "range"; got ${describe(value)}.`,
  });
  return null;
}

function readAlphabet(
  value: unknown,
  field: string,
  issues: Issue[],
): "digits" | "alphanumeric" | undefined {
  if (value === undefined) return "digits";
  if (value === "digits" || value === "alphanumeric") return value;
  issues.push({
    field,
    value,
    rule: "enum",
    message:
      `${field} must be "digits" (0-9) or "alphanumeric" (${SERIAL_ALPHABETS.alphanumeric}); ` +
      `got ${describe(value)}.`,
  });
  return undefined;
}

// Returns the integer; when absent, `absent` (a default, or null for "not given") or, for
// "required", null after an issue; null after an issue when it is not an integer in min..max.
function readInteger(
  value: unknown,
  field: string,
  min: number,
  max: number,
  issues: Issue[],
  absent: number | null | "required",
): number | null {
  if (value === undefined) {
    if (absent !== "required") return absent;
    issues.push({
      field,
      value,
      rule: "missing",
      message: `${field} is required but missing.`,
    });
    return null;
  }
  if (typeof value !== "number" || !Number.isInteger(value)) {
    issues.push({
      field,
      value,
      rule: "integer",
      message: `${field} must be a whole number; got ${describe(value)}.`,
    });
    return null;
  }
  if (value < min || value > max) {
    issues.push({
      field,
      value,
      rule: "range",
      message: `${field} must be between ${formatCount(min)} and ${formatCount(max)}; got ${value}.`,
    });
    return null;
  }
  return value;
}

function readPrefix(value: unknown, field: string, issues: Issue[]): string | null {
  if (value === undefined) return "";
  if (typeof value !== "string") {
    issues.push({
      field,
      value,
      rule: "string_type",
      message: `${field} must be a string; got ${describe(value)}.`,
    });
    return null;
  }
  const bad = checkCset82(value);
  if (bad.length > 0) {
    issues.push({
      field,
      value,
      rule: "cset82",
      position: bad[0].position,
      message:
        `${field} ${JSON.stringify(value)} has a character outside the GS1 AI encodable ` +
        `character set 82 at position ${bad[0].position}: ${JSON.stringify(bad[0].char)}.`,
    });
    return null;
  }
  if (value.length >= SERIAL_MAX_LENGTH) {
    issues.push({
      field,
      value,
      rule: "length",
      message: `${field} ${JSON.stringify(value)} is ${value.length} characters long; it must leave room in a serial of at most ${SERIAL_MAX_LENGTH}.`,
    });
    return null;
  }
  return value;
}

/**
 * EU FMD (Delegated Regulation (EU) 2016/161, Art. 4(b)): the probability of guessing a valid
 * serial must be below 1 in 10,000, i.e. alphabet^length ≥ 10,000 × (issued + count), where
 * `issuedForGtin` is the number of serials already issued for spec.gtin (the registry's
 * issuedCount). Returns null when the rule holds or for `range` mode (sequential serials are not
 * randomised at all; range is for markets without the rule), else one issue at
 * "serials.length" (rule "fmd_guessing") whose message gives the arithmetic and the shortest
 * length that would do, with either alphabet, within the 20 characters the prefix leaves.
 */
export function fmdCheck(spec: SerialSpec, issuedForGtin: number): Issue | null {
  if (spec.mode !== "random") return null;
  const alphabet = spec.alphabet ?? "digits";
  const length = spec.length ?? DEFAULT_RANDOM_LENGTH;
  const size = SERIAL_ALPHABETS[alphabet].length;
  const possible = BigInt(size) ** BigInt(length);
  const needed = BigInt(FMD_GUESS_FACTOR) * (BigInt(issuedForGtin) + BigInt(spec.count));
  if (possible >= needed) return null;
  const room = SERIAL_MAX_LENGTH - (spec.prefix ?? "").length;
  const digitsLength = shortestLength(10, needed);
  const alnumLength = shortestLength(SERIAL_ALPHABETS.alphanumeric.length, needed);
  let advice: string;
  const own = alphabet === "digits" ? digitsLength : alnumLength;
  if (alphabet === "digits" && own <= room && alnumLength <= length) {
    advice = `use length ≥ ${own} or the alphanumeric alphabet`;
  } else if (alphabet === "digits" && own <= room) {
    advice = `use length ≥ ${own}, or length ≥ ${alnumLength} with the alphanumeric alphabet`;
  } else if (own <= room) {
    advice = `use length ≥ ${own}`;
  } else if (alphabet === "digits" && alnumLength <= room) {
    advice =
      `use the alphanumeric alphabet with length ≥ ${alnumLength} (digits would need ` +
      `${digitsLength}, more than the ${room} characters ` +
      `${room < SERIAL_MAX_LENGTH ? "left after the prefix" : "of a serial"})`;
  } else {
    advice =
      `no length fits: a serial has room for ${room} random characters` +
      (room < SERIAL_MAX_LENGTH ? " after the prefix; shorten the prefix or" : ";") +
      " request fewer serials";
  }
  return {
    field: "serials.length",
    value: length,
    rule: "fmd_guessing",
    message:
      `${size}^${length} = ${formatCount(possible)} serials possible, but ` +
      `${formatCount(FMD_GUESS_FACTOR)} × (${formatCount(issuedForGtin)} issued + ` +
      `${formatCount(spec.count)} requested) = ${formatCount(needed)} are needed for a ` +
      `guessing probability under 1 in ${formatCount(FMD_GUESS_FACTOR)} (EU FMD, Delegated ` +
      `Regulation 2016/161 Art. 4(b)); ${advice}.`,
  };
}

function shortestLength(size: number, needed: bigint): number {
  let length = 1;
  let possible = BigInt(size);
  while (possible < needed) {
    possible *= BigInt(size);
    length++;
  }
  return length;
}

/**
 * The range serials of items `from` to `to` (0-based, `to` excluded) of a `range` spec: prefix +
 * (start + i) zero-padded to width. Throws RangeError for a non-range spec or bounds outside
 * 0 ≤ from ≤ to ≤ count. Pure, so a resumed job recomputes any chunk exactly.
 */
export function rangeSerials(spec: SerialSpec, from: number, to: number): string[] {
  if (spec.mode !== "range" || spec.start === undefined)
    throw new RangeError("rangeSerials needs a range spec");
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to < from || to > spec.count)
    throw new RangeError(`items ${from}..${to} are outside 0..${spec.count}`);
  const prefix = spec.prefix ?? "";
  const width = spec.width ?? 0;
  const out = new Array<string>(to - from);
  for (let i = from; i < to; i++)
    out[i - from] = prefix + String(spec.start + i).padStart(width, "0");
  return out;
}

/**
 * Draws `n` random serials of a `random` spec, distinct from each other (and from `exclude`):
 * prefix + `length` characters of the spec's alphabet, each uniform — bytes from
 * crypto.randomBytes at or past the largest multiple of the alphabet size below 256 are
 * rejected, so there is no modulo bias. Throws RangeError for a non-random spec, or when fewer
 * than `n` distinct serials exist.
 */
export function drawRandomSerials(
  spec: SerialSpec,
  n: number,
  exclude: ReadonlySet<string> = EMPTY,
): string[] {
  if (spec.mode !== "random") throw new RangeError("drawRandomSerials needs a random spec");
  const alphabet = SERIAL_ALPHABETS[spec.alphabet ?? "digits"];
  const length = spec.length ?? DEFAULT_RANDOM_LENGTH;
  const size = alphabet.length;
  if (BigInt(n) + BigInt(exclude.size) > BigInt(size) ** BigInt(length))
    throw new RangeError(`there are fewer than ${n} serials of ${length} characters`);
  const prefix = spec.prefix ?? "";
  const codes = Buffer.from(alphabet, "latin1");
  const limit = 256 - (256 % size); // 250 for digits, 238 for 34 characters
  const out = new Set<string>();
  const serial = Buffer.alloc(length);
  // Random bytes in blocks (a call per serial would dominate); ~2-7 % are rejected.
  let pool = randomBytes(Math.min(65_536, Math.ceil(n * length * 1.1) + 16));
  let pos = 0;
  while (out.size < n) {
    for (let i = 0; i < length; i++) {
      let byte: number;
      do {
        if (pos === pool.length) {
          pool = randomBytes(pool.length);
          pos = 0;
        }
        byte = pool[pos++];
      } while (byte >= limit);
      serial[i] = codes[byte % size];
    }
    const value = prefix + serial.toString("latin1");
    if (!exclude.has(value)) out.add(value);
  }
  return [...out];
}

const EMPTY: ReadonlySet<string> = new Set();

/** The part of the SerialRegistry generateSerialItems needs. */
export interface SerialRecorder {
  /**
   * Records `serials` as issued for `gtin` by `jobId`; returns those that were already issued
   * (by any job, this one included), which are not recorded again.
   */
  insertSerials(gtin: string, jobId: string, serials: string[]): Promise<string[]>;
}

/**
 * Yields the spec's `count` items ({...spec.base, serial}) in chunks of at most `chunk`, each
 * chunk's serials recorded with `registry.insertSerials` before it is yielded, so no label is
 * ever rendered with a serial that is not recorded. `range`: the serials in order; any collision
 * throws SerialCollisionError naming the first (the job cannot keep its numbering; the chunk's
 * other serials stay recorded for the job). `random`: collisions are drawn again (never a serial
 * already taken in the chunk) until the chunk is full, at most MAX_DRAW_ROUNDS rounds, then
 * SerialExhaustedError. Registry errors propagate unchanged.
 */
export async function* generateSerialItems(
  spec: SerialSpec,
  registry: SerialRecorder,
  jobId: string,
  chunk = 10_000,
): AsyncGenerator<Record<string, unknown>[]> {
  if (!Number.isInteger(chunk) || chunk < 1)
    throw new RangeError(`chunk must be ≥ 1; got ${chunk}`);
  for (let from = 0; from < spec.count; from += chunk) {
    const n = Math.min(chunk, spec.count - from);
    const serials =
      spec.mode === "range"
        ? await recordRange(spec, registry, jobId, from, from + n)
        : await recordRandom(spec, registry, jobId, n);
    yield serials.map((serial) => ({ ...spec.base, serial }));
  }
}

async function recordRange(
  spec: SerialSpec,
  registry: SerialRecorder,
  jobId: string,
  from: number,
  to: number,
): Promise<string[]> {
  const serials = rangeSerials(spec, from, to);
  const collisions = await registry.insertSerials(spec.gtin, jobId, serials);
  if (collisions.length > 0) {
    // Named in range order, whatever order the registry answered in.
    const taken = new Set(collisions);
    throw new SerialCollisionError(
      spec.gtin,
      serials.filter((s) => taken.has(s)),
    );
  }
  return serials;
}

async function recordRandom(
  spec: SerialSpec,
  registry: SerialRecorder,
  jobId: string,
  n: number,
): Promise<string[]> {
  const accepted: string[] = [];
  // Every serial this chunk has seen, accepted or found taken: a redraw never repeats one.
  const seen = new Set<string>();
  const space =
    BigInt(SERIAL_ALPHABETS[spec.alphabet ?? "digits"].length) **
    BigInt(spec.length ?? DEFAULT_RANDOM_LENGTH);
  for (let round = 0; round < MAX_DRAW_ROUNDS && accepted.length < n; round++) {
    // Every serial of the space seen already: no draw can succeed.
    if (BigInt(n - accepted.length + seen.size) > space) break;
    const drawn = drawRandomSerials(spec, n - accepted.length, seen);
    const collisions = new Set(await registry.insertSerials(spec.gtin, jobId, drawn));
    for (const serial of drawn) {
      seen.add(serial);
      if (!collisions.has(serial)) accepted.push(serial);
    }
  }
  if (accepted.length < n) throw new SerialExhaustedError(spec, n - accepted.length);
  return accepted;
}
