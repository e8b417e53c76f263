// Character-set linters implied by a component's type in the GS1 Syntax Dictionary: N (digits),
// X (set 82), Y (set 39) and Z (set 64, base64url). GS1 General Specifications §7.11; behaviour
// as the reference lint_cset*.c linters of gs1/gs1-syntax-engine.
import { checkCset82, checkNumeric } from "../cset82.js";
import { characters, faultAt, type LintFault, quoteChar } from "./fault.js";

/**
 * GS1 AI encodable character set 39 (GS1 General Specifications table "GS1 AI encodable
 * character set 39"): `#`, `-`, `/`, 0-9, A-Z.
 */
export const CSET39 = "#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** GS1 AI encodable character set 64, the URI- and file-safe base64 alphabet (RFC 4648 §5). */
export const CSET64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * Lints `value` against set 82 (linter `cset82`): null when every character is in it, else the
 * first character outside it. The empty string passes (length is the caller's rule).
 */
export function lintCset82(value: string): LintFault {
  const [first] = checkCset82(value);
  if (first === undefined) return null;
  return { position: first.position, detail: `${JSON.stringify(first.char)} is not in set 82.` };
}

/**
 * Lints `value` as all ASCII digits (linter `csetnumeric`): null when it is (or is empty), else
 * the first other character.
 */
export function lintCsetNumeric(value: string): LintFault {
  const [first] = checkNumeric(value);
  if (first === undefined) return null;
  return { position: first.position, detail: `${JSON.stringify(first.char)} is not a digit.` };
}

/** Lints `value` against set 39 (linter `cset39`): null, or the first character outside it. */
export function lintCset39(value: string): LintFault {
  for (let i = 0; i < value.length; i++) {
    if (!CSET39.includes(value[i])) {
      return faultAt(value, i, `${quoteChar(value, i)} is not in set 39.`);
    }
  }
  return null;
}

/**
 * Lints `value` against set 64 (linter `cset64`): characters from CSET64, optionally followed by
 * one or two "=" pad characters. As the reference linter counts it, padding is allowed only when
 * the whole value, pads included, is a multiple of 3 characters ("12=" and "1==" pass, "123="
 * does not); a fault at the first pad names a padding error, otherwise the first bad character.
 */
export function lintCset64(value: string): LintFault {
  let end = value.length;
  while (end > 0 && value[end - 1] === "=") end--;
  const pads = value.length - end;
  if (pads > 2 || (pads > 0 && value.length % 3 !== 0)) {
    const padding = JSON.stringify(value.slice(end));
    return faultAt(
      value,
      end,
      `The padding ${padding} does not fit a value of ${characters(value.length)}.`,
    );
  }
  for (let i = 0; i < end; i++) {
    if (!CSET64.includes(value[i])) {
      return faultAt(value, i, `${quoteChar(value, i)} is not in set 64.`);
    }
  }
  return null;
}
