// GS1 AI character sets: set 82 (the "X" values of AI 10 and AI 21) and numeric ("N"), with
// checkers named after the GS1 Syntax Dictionary linters.
// GS1 General Specifications §7.11, Figure 7.11-1.

/**
 * The GS1 AI encodable character set 82, in code-point order: the single source of truth for
 * which characters a lot (AI 10) or serial (AI 21) may hold. Space, `# $ @ [ \ ] ^ \` { | } ~`,
 * control characters and anything beyond ASCII are not in it.
 */
export const CSET82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;

/** The numeric set ("N" in the GS1 Syntax Dictionary): GTINs and dates. */
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

/** Returns true when `char` (one character) is in the GS1 AI encodable character set 82. */
export function isCset82(char: string): boolean {
  return CSET82_SET.has(char);
}

/**
 * Returns every character of `value` outside set 82 (linter `cset82`), in order of position;
 * an empty array means `value` is encodable. The empty string has no violations (length is
 * the caller's rule).
 */
export function checkCset82(value: string): CharViolation[] {
  return findOutside(value, CSET82_SET);
}

/**
 * Returns every character of `value` that is not an ASCII digit 0-9, in order of position; an
 * empty array means `value` is all digits (or empty). Non-ASCII digits such as "٣" are violations.
 */
export function checkNumeric(value: string): CharViolation[] {
  return findOutside(value, DIGIT_SET);
}

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
