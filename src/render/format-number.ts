// Numbers written into files (SVG, PDF): plain decimal notation, the same in every engine.
// Browser-safe.

/**
 * Returns `value` rounded to at most `places` decimals in plain notation without trailing zeros
 * ("9.88", "26", "0.5"), the same in every JavaScript engine, for sizes written into files.
 * Valid for |value| < 1e21 (toFixed's plain-notation range).
 */
export function formatDecimal(value: number, places: number): string {
  const text = value.toFixed(places);
  if (places === 0) return text;
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48) end--;
  if (text.charCodeAt(end - 1) === 46) end--;
  const trimmed = text.slice(0, end);
  return trimmed === "-0" ? "0" : trimmed;
}
