// The operator CLIs' one table printer (keys list, users list).

/**
 * Returns `header` and `rows` as plain-text columns: each cell padded to its column's widest
 * cell, columns two spaces apart, trailing spaces cut, lines joined with "\n" (no final one).
 * Every row must have as many cells as `header`.
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows]
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
