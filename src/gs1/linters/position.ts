// "Piece n of m" linters: pieceoftotal (PPTT, equal widths, as in AI 8006) and posinseqslash
// ("pos/end", as in AI 7258).

import { faultAt, firstNonDigit, type LintFault } from "./fault.js";

/**
 * Lints `value` as a piece number followed by a total of the same width, both non-zero, the
 * piece not past the total (linter `pieceoftotal`), e.g. "0203". Faults: empty or odd length
 * (position 1), the first non-digit, a zero piece (position 1), a zero total (its first digit),
 * or a piece past the total (position 1).
 */
export function lintPieceOfTotal(value: string): LintFault {
  if (value.length === 0 || value.length % 2 !== 0) {
    return faultAt(value, 0, "Piece and total need an even number of digits, half each.");
  }
  const nonDigit = firstNonDigit(value);
  if (nonDigit) return nonDigit;
  const half = value.length / 2;
  const piece = value.slice(0, half);
  const total = value.slice(half);
  if (/^0+$/.test(piece)) return faultAt(value, 0, "The piece number must not be zero.");
  if (/^0+$/.test(total)) return faultAt(value, half, "The total must not be zero.");
  // Equal widths, so string order is numeric order.
  if (piece > total) return faultAt(value, 0, `Piece ${piece} is past the total of ${total}.`);
  return null;
}

/**
 * Lints `value` as "pos/end", two numbers without leading zeros, pos not past end (linter
 * `posinseqslash`), e.g. "2/3". Faults: any other shape (position 1), a leading zero in pos
 * (position 1) or in end (its first digit), or pos past end (position 1).
 */
export function lintPositionInSequence(value: string): LintFault {
  const match = /^([0-9]+)\/([0-9]+)$/.exec(value);
  if (!match) return faultAt(value, 0, 'The value must have the form "<position>/<end>".');
  const [, pos, end] = match;
  if (pos.startsWith("0")) return faultAt(value, 0, "The position must not start with 0.");
  if (end.startsWith("0")) return faultAt(value, pos.length + 1, "The end must not start with 0.");
  // Neither has a leading zero, so the longer is the larger, and equal lengths compare as text.
  if (pos.length > end.length || (pos.length === end.length && pos > end)) {
    return faultAt(value, 0, `Position ${pos} is past the end, ${end}.`);
  }
  return null;
}
