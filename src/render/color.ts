// Colours as the options hold them (normalised "#rrggbb"): their channels and luminance.
// Browser-safe.

/** Returns the 8-bit red, green and blue of a normalised "#rrggbb" colour. */
export function parseHexColor(color: string): [number, number, number] {
  const n = Number.parseInt(color.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Returns the WCAG / sRGB relative luminance in [0, 1]: the usual screen stand-in for reflectance. */
export function luminance(color: string): number {
  const [r, g, b] = parseHexColor(color).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
