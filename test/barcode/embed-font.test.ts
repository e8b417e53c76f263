// embed_font (the published field, default true): true draws the text as the project's OCR-B
// outlines; false, in SVG only, as live <text> in font-family OCR-B at the same size and
// positions, for editors. PNG, PDF and EPS always carry outlines (a font the RIP lacks prints in
// Courier), so false changes nothing there. The symbol still reads back (zxing-wasm).
import { describe, expect, it } from "vitest";
import { parseBarcodePayload } from "../../src/barcode/payload.js";
import { renderBarcode } from "../../src/barcode/render.js";
import { decodeLinearImage } from "../helpers/decode.js";
import { hriGroups } from "../helpers/hri-outlines.js";
import { rasteriseSvg } from "../helpers/raster.js";

const GS1 = { gtin: "(01)09506000134352(10)ABC" };

async function svgOf(payload: Record<string, unknown>): Promise<string> {
  return (await renderBarcode({ ...payload, format: "svg" })).body.toString("latin1");
}

const xmlText = (s: string) =>
  s.replaceAll("&gt;", ">").replaceAll("&lt;", "<").replaceAll("&amp;", "&");

describe("embed_font", () => {
  it("false writes the GS1-128 text as one live OCR-B <text> at font_size, where the outlines stand", async () => {
    const live = await svgOf({ ...GS1, embed_font: false, font_size: 10 });
    const outlined = await svgOf({ ...GS1, font_size: 10 });
    expect(live).not.toContain("<use ");
    const texts = [...live.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)];
    expect(texts).toHaveLength(1);
    const [, attrs, content] = texts[0];
    expect(xmlText(content)).toBe("(01)09506000134352(10)ABC");
    expect(attrs).toContain("font-family=\"OCR-B, 'OCR B', monospace\"");
    // 10 pt = 10/72 inch = 3.5278 mm (the SVG's user unit is the mm).
    expect(Number(/font-size="([\d.]+)"/.exec(attrs)?.[1])).toBeCloseTo((10 / 72) * 25.4, 4);
    const xs = /\bx="([^"]+)"/.exec(attrs)?.[1].split(" ").map(Number) ?? [];
    // The outlines' origins: each line's matrix origin plus its <use>'s x in font units.
    const origins = hriGroups(outlined).flatMap(({ matrix, uses }) =>
      uses.map((u) => ({ x: matrix[4] + u.x * matrix[0], y: matrix[5] })),
    );
    expect(xs).toHaveLength(content.length);
    expect(xs.length).toBe(origins.length);
    for (const [k, o] of origins.entries()) expect(xs[k]).toBeCloseTo(o.x, 3);
    expect(Number(/\by="([\d.]+)"/.exec(attrs)?.[1])).toBe(origins[0].y);
    // The bars are untouched and still read back.
    const decoded = await decodeLinearImage(
      rasteriseSvg(live, ["--dpi-x", "300", "--dpi-y", "300", "--background-color", "white"]),
    );
    expect([decoded.symbologyIdentifier, decoded.text]).toEqual(["]C1", "010950600013435210ABC"]);
  });

  it("false keeps every EAN-13 digit and escapes the > quiet-zone mark", async () => {
    const live = await svgOf({ gtin: "5901234123457", embed_font: false });
    const content = [...live.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).join("");
    expect(content).toContain("&gt;");
    expect(xmlText(content).replace(">", "")).toBe("5901234123457");
  });

  it.each(["png", "pdf", "eps"])("has no effect on %s (always outlines)", async (format) => {
    const a = await renderBarcode({ ...GS1, format, embed_font: false });
    const b = await renderBarcode({ ...GS1, format });
    expect(a.body.equals(b.body)).toBe(true);
  });

  it("must be a boolean", () => {
    const { issues } = parseBarcodePayload({ ...GS1, embed_font: "no" });
    expect(issues.map((i) => [i.field, i.rule])).toEqual([["embed_font", "boolean_type"]]);
  });
});
