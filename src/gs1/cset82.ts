// GS1 AI character sets: set 82 (every "X" component of the dictionary, such as the lot of AI 10
// and the serial of AI 21) and numeric ("N"), the checks behind linters cset82 and csetnumeric.
// GS1 General Specifications §7.11, Figure 7.11-1.

/**
 * The GS1 AI encodable character set 82, in code-point order: the single source of truth for
 * which characters an "X" component (a lot, AI 10; a serial, AI 21; ...) may hold. Space,
 * `# $ @ [ \ ] ^ \` { | } ~`, control characters and anything beyond ASCII are not in it.
 */
export const CSET82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;

/** The numeric set ("N" in the GS1 Syntax Dictionary): GTINs, dates and every other N component. */
export const DIGITS = "0123456789";

/** One character that is not in the required set: its 1-based position and the character itself. */
export interface CharViolation {
  /** 1-based position, counted in Unicode code points (so an emoji counts as one character). */
  position: number;
  /** The offending character (one code point). */
  char: string;
}

const CSET82_SET: ReadonlySet<string> = new Set(CSET82);
const DIGIT_SET: ReadonlySet<string> = new Set(DIGITS);

// ASCII lookup tables derived from the strings above, for the common all-valid case: a
// charCodeAt loop over a table is several times cheaper than walking code points through a Set,
// and validation runs on every request.
function asciiTable(chars: string): Uint8Array {
  const table = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1;
  return table;
}
const CSET82_ASCII = asciiTable(CSET82);
const DIGIT_ASCII = asciiTable(DIGITS);
const NONE: readonly CharViolation[] = Object.freeze([]);

/** Returns true when `char` (one character) is in the GS1 AI encodable character set 82. */
export function isCset82(char: string): boolean {
  return CSET82_SET.has(char);
}

/**
 * Returns every character of `value` outside set 82 (linter `cset82`), in order of position;
 * an empty array means `value` is encodable. The empty string has no violations (length is
 * the caller's rule).
 */
export function checkCset82(value: string): readonly CharViolation[] {
  return allIn(value, CSET82_ASCII) ? NONE : findOutside(value, CSET82_SET);
}

/**
 * Returns every character of `value` that is not an ASCII digit 0-9, in order of position; an
 * empty array means `value` is all digits (or empty). Non-ASCII digits such as "٣" are violations.
 */
export function checkNumeric(value: string): readonly CharViolation[] {
  return allIn(value, DIGIT_ASCII) ? NONE : findOutside(value, DIGIT_SET);
}

/**
 * Returns the length of `value` in Unicode code points (a surrogate pair counts once), the unit
 * in which lengths and positions are reported.
 */
export function codePointLength(value: string): number {
  let n = value.length;
  for (let i = 1; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) {
      const p = value.charCodeAt(i - 1);
      if (p >= 0xd800 && p <= 0xdbff) n--;
    }
  }
  return n;
}

function allIn(value: string, table: Uint8Array): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128 || table[c] === 0) return false;
  }
  return true;
}

/** The slow path, walking code points; only reached when `value` has a violation. */
function findOutside(value: string, allowed: ReadonlySet<string>): CharViolation[] {
  const violations: CharViolation[] = [];
  let position = 0;
  // for..of walks code points, so a surrogate pair is one character at one position.
  for (const char of value) {
    position++;
    if (!allowed.has(char)) violations.push({ position, char });
  }
  return violations;
}
