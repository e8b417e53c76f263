// Entry names for a bulk-export archive: the job's `filename_pattern` compiled once, each item's
// name made from it, sanitised so that no name can leave the archive's root or trip up the
// systems labels are unpacked on (Windows, macOS, Linux), and de-duplicated the way those systems
// compare names (case-insensitively, after Unicode normalisation). Pure functions; no I/O.
import { type Issue, ValidationError } from "../../issues.js";

/** The pattern a job gets when it names none. `{a|b}` is the first of a and b that is present. */
export const DEFAULT_FILENAME_PATTERN = "{index}-{gtin}-{serial|lot}.{ext}";

/** The longest entry name, in UTF-8 bytes: well inside every file system's 255-byte limit. */
export const MAX_NAME_BYTES = 200;

/** The longest pattern accepted (it is a template for one name, not a document). */
export const MAX_PATTERN_LENGTH = 500;

/** What an item offers a pattern. `index` is 1-based; `total` the job's item count. */
export interface FilenameFields {
  index: number;
  total: number;
  gtin?: string;
  lot?: string;
  serial?: string;
  ext: string;
  [k: string]: unknown;
}

/** A compiled pattern: the name of one item, sanitised (but not yet de-duplicated). */
export type FilenameFunction = ((fields: FilenameFields) => string) & {
  /**
   * True when the pattern starts with `{index}` (after at most a short literal prefix), so every
   * item's name differs in its index and no two can collide: the caller may then skip
   * UniqueNames and its memory (a Set of every name: ~100 bytes each, 100 MB per million).
   */
  readonly collisionFree: boolean;
};

/** The named placeholders; an AI number (2 to 4 digits, e.g. `{7003}`) is accepted as well. */
export const NAMED_PLACEHOLDERS = [
  "index",
  "gtin",
  "lot",
  "serial",
  "expiry",
  "production_date",
  "ext",
] as const;

// A field named by AI number falls back to the named field and the other way round, so
// `{21}` and `{serial}` mean the same whichever the caller filled in.
const AI_OF_NAME: Readonly<Record<string, string>> = {
  gtin: "01",
  lot: "10",
  production_date: "11",
  expiry: "17",
  serial: "21",
};
const NAME_OF_AI: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(AI_OF_NAME).map(([name, ai]) => [ai, name]),
);

const AI_PLACEHOLDER = /^\d{2,4}$/;

/** One piece of a parsed pattern: literal text, or a placeholder's alternatives. */
type Part = { text: string } | { alternatives: string[] };

/**
 * Checks `pattern` and returns the first problem as an Issue on `field` (rule "pattern_syntax"
 * for a stray or unclosed brace or an empty pattern or placeholder, "pattern_placeholder" for an
 * unknown placeholder — the message names it — "pattern_length" for an over-long pattern), or
 * null when the pattern compiles.
 */
export function validateFilenamePattern(
  pattern: unknown,
  field = "filename_pattern",
): Issue | null {
  const parsed = parse(pattern, field);
  return "issue" in parsed ? parsed.issue : null;
}

/**
 * Compiles `pattern` into a function giving each item's entry name: placeholders `{name}` are
 * replaced by the item's field (`{index}` zero-padded to the width of `total`), `{a|b}` by the
 * first present (a non-empty string or a number), an absent one by nothing; the result is
 * passed through sanitizeEntryName(). Throws ValidationError with the issue
 * validateFilenamePattern() reports.
 */
export function compileFilenamePattern(pattern: string): FilenameFunction {
  const parsed = parse(pattern, "filename_pattern");
  if ("issue" in parsed) throw new ValidationError([parsed.issue]);
  const parts = parsed.parts;
  const name = (fields: FilenameFields): string => {
    let out = "";
    for (const part of parts) {
      if ("text" in part) out += part.text;
      else out += firstPresent(part.alternatives, fields);
    }
    return sanitizeEntryName(out);
  };
  const first = parts.findIndex((p) => "alternatives" in p);
  const leading = parts[first];
  const prefix = first === 0 ? "" : (parts[0] as { text: string }).text;
  const collisionFree =
    leading !== undefined &&
    "alternatives" in leading &&
    leading.alternatives.length === 1 &&
    leading.alternatives[0] === "index" &&
    Buffer.byteLength(prefix) <= 100;
  return Object.assign(name, { collisionFree });
}

// Windows device names: a file whose name before its first dot is one of these opens the device.
const RESERVED_BASE = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/i;
// Characters no entry name keeps: C0/C1 controls, format characters (bidi overrides that could
// disguise an extension, zero-width ones), lone surrogates (no UTF-8 form), line and paragraph
// separators, the path separators, and the rest of the characters Windows refuses in names.
const REFUSED = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}<>:"/\\|?*]/gu;

/**
 * Makes `name` a safe single-level entry name: NFC-normalised; controls, format characters,
 * `/`, `\` and the other Windows-reserved characters (`<>:"|?*`) replaced by `_`; runs of dots
 * collapsed to one (no `..`); leading dots or spaces replaced by `_` (no hidden files, no
 * relative paths); trailing dots and spaces dropped (Windows drops them); a Windows device name
 * (CON, NUL, COM1, …, before the first dot) prefixed with `_`; cut to MAX_NAME_BYTES UTF-8
 * bytes keeping the extension; never empty (`_`). The result has no path separator and is never
 * `.` or `..`, so it cannot escape the archive's root.
 */
export function sanitizeEntryName(name: string): string {
  let s = name
    .normalize("NFC")
    .replace(REFUSED, "_")
    .replace(/\.{2,}/g, ".");
  s = s.replace(/^[. ]+/, "_").replace(/[. ]+$/, "");
  if (s === "") s = "_";
  const dot = s.indexOf(".");
  const base = (dot === -1 ? s : s.slice(0, dot)).trimEnd();
  if (RESERVED_BASE.test(base)) s = `_${s}`;
  return fitName(s, "");
}

/**
 * `name` (a sanitised entry name) with `suffix` before its `.ext` (or at its end when the
 * pattern put no `.{ext}` last), still within MAX_NAME_BYTES: two files of one item
 * (`1-a-qr.svg`, `1-a-1d.svg`). `suffix` must be safe as it stands (no dots or reserved
 * characters).
 */
export function suffixEntryName(name: string, suffix: string, ext: string): string {
  const extension = `.${ext}`;
  if (name.endsWith(extension) && name.length > extension.length) {
    return fitName(name, suffix, name.length - extension.length);
  }
  return fitName(name, suffix, name.length);
}

// `stem + suffix + extension` cut to MAX_NAME_BYTES by shortening the stem (whole code points),
// where the extension is the name's last `.xxx` (up to 16 bytes), or what follows `at` when the
// caller knows where it starts (a lot "A.B" in the name is no extension).
function fitName(name: string, suffix: string, at?: number): string {
  const dot = at ?? name.lastIndexOf(".");
  const hasExtension =
    at !== undefined ||
    (dot > 0 && Buffer.byteLength(name) - Buffer.byteLength(name.slice(0, dot)) <= 16);
  const stem = hasExtension ? name.slice(0, dot) : name;
  const extension = hasExtension ? name.slice(dot) : "";
  const budget = MAX_NAME_BYTES - Buffer.byteLength(suffix) - Buffer.byteLength(extension);
  if (Buffer.byteLength(stem) <= budget) return stem + suffix + extension;
  let cut = "";
  let bytes = 0;
  for (const ch of stem) {
    const size = Buffer.byteLength(ch);
    if (bytes + size > budget) break;
    cut += ch;
    bytes += size;
  }
  // The cut may end in a dot or space: drop them, as sanitizeEntryName does at the end.
  cut = cut.replace(/[. ]+$/, "");
  return (cut === "" ? "_" : cut) + suffix + extension;
}

/**
 * De-duplicates entry names in the order they are taken: the first use of a name keeps it, the
 * next ones get `-2`, `-3`, … before the extension (`a.svg`, `a-2.svg`, `a-3.svg`), skipping
 * any already taken. Names compare as Windows and macOS unzip compare them: case-insensitively
 * after NFC normalisation. Deterministic for a given sequence of names; `reserved` names
 * (e.g. manifest.csv, errors.csv) are taken from the start. Memory: one string per name taken.
 */
export class UniqueNames {
  readonly #taken = new Set<string>();
  // Next suffix to try per name that has collided, so a thousand "a.svg" cost O(n), not O(n²).
  readonly #next = new Map<string, number>();

  constructor(reserved: Iterable<string> = []) {
    for (const name of reserved) this.#taken.add(foldName(name));
  }

  /** Returns `name`, or the first free `-N` variant of it, and marks the result taken. */
  take(name: string): string {
    const key = foldName(name);
    if (!this.#taken.has(key)) {
      this.#taken.add(key);
      return name;
    }
    for (let n = this.#next.get(key) ?? 2; ; n++) {
      const candidate = fitName(name, `-${n}`);
      const candidateKey = foldName(candidate);
      if (!this.#taken.has(candidateKey)) {
        this.#taken.add(candidateKey);
        this.#next.set(key, n + 1);
        return candidate;
      }
    }
  }

  /** How many names are taken (the reserved ones included). */
  get size(): number {
    return this.#taken.size;
  }
}

function foldName(name: string): string {
  return name.normalize("NFC").toLowerCase();
}

function firstPresent(alternatives: readonly string[], fields: FilenameFields): string {
  for (const name of alternatives) {
    if (name === "index") {
      const width = String(fields.total).length;
      return String(fields.index).padStart(width, "0");
    }
    const value = fields[name] ?? fields[AI_OF_NAME[name] ?? NAME_OF_AI[name] ?? ""];
    if (typeof value === "string" && value !== "") return value;
    if ((typeof value === "number" && Number.isFinite(value)) || typeof value === "bigint") {
      return String(value);
    }
  }
  return "";
}

function parse(pattern: unknown, field: string): { parts: Part[] } | { issue: Issue } {
  const issue = (rule: string, message: string, position?: number) => ({
    issue: { field, value: pattern, rule, message, ...(position ? { position } : {}) },
  });
  if (typeof pattern !== "string" || pattern === "") {
    return issue("pattern_syntax", `${field} must be a non-empty string.`);
  }
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return issue(
      "pattern_length",
      `${field} is ${pattern.length} characters long; at most ${MAX_PATTERN_LENGTH} are allowed.`,
    );
  }
  const parts: Part[] = [];
  let text = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "}") {
      return issue("pattern_syntax", `${field} has a "}" with no "{" before it.`, i + 1);
    }
    if (ch !== "{") {
      text += ch;
      continue;
    }
    const close = pattern.indexOf("}", i + 1);
    const nested = pattern.indexOf("{", i + 1);
    if (close === -1 || (nested !== -1 && nested < close)) {
      return issue("pattern_syntax", `${field} has a "{" that is not closed.`, i + 1);
    }
    const inner = pattern.slice(i + 1, close);
    const alternatives = inner.split("|").map((a) => a.trim());
    for (const name of alternatives) {
      if (name === "") {
        return issue(
          "pattern_syntax",
          `${field} has an empty placeholder name in "{${inner}}".`,
          i + 1,
        );
      }
      if (!(NAMED_PLACEHOLDERS as readonly string[]).includes(name) && !AI_PLACEHOLDER.test(name)) {
        return issue(
          "pattern_placeholder",
          `${field} has the unknown placeholder "${name}" in "{${inner}}"; use ` +
            `${NAMED_PLACEHOLDERS.join(", ")}, or an AI number such as 7003.`,
          i + 1,
        );
      }
    }
    if (text !== "") parts.push({ text });
    text = "";
    parts.push({ alternatives });
    i = close;
  }
  if (text !== "") parts.push({ text });
  return { parts };
}
