// src/index.ts: planRender's cost estimate and the PNG size cap, against sizes worked out by
// hand from the layout rules (whole modules, quiet zone, pixels per module at the dpi).
import { describe, expect, it } from "vitest";
import { encode, MAX_PNG_PIXELS, planRender, render, ValidationError } from "../src/index.js";

const SMALL = { gtin: "09506000134352", lot: "ABC123", expiry: "270630" };
const LONG = {
  gtin: "09506000134352",
  lot: "ABCDEFGHIJKLMNOPQRST",
  serial: "12345678901234567890",
  expiry: "270630",
};

describe("planRender", () => {
  it("says what a render costs without drawing it", () => {
    const { rows } = encode(SMALL); // square; its size is the encoder's (tested elsewhere)
    // (rows + 2 x 2 quiet modules) at 0.38 mm and 300 dpi = 4 dots a module, squared.
    expect(planRender({ ...SMALL, format: "png" })).toMatchObject({
      contentType: "image/png",
      pixels: ((rows + 4) * 4) ** 2,
      heavy: false,
    });
    expect(planRender({ ...SMALL, format: "png", hri: true }).heavy).toBe(true);
    expect(planRender({ ...SMALL, format: "svg", hri: true })).toMatchObject({
      contentType: "image/svg+xml",
      pixels: 0,
      heavy: false,
    });
    expect(planRender({ ...SMALL, format: "pdf" }).heavy).toBe(false);
    // 600 dpi and 1.5 mm = 35 dots a module, 10 quiet modules a side: over 1,000,000 pixels.
    expect(
      planRender({ ...SMALL, format: "png", dpi: 600, xdim_mm: 1.5, quiet_zone: 10 }),
    ).toMatchObject({ pixels: ((rows + 20) * 35) ** 2, heavy: true });
  });

  it("draws the same bytes render() returns", async () => {
    const payload = { ...SMALL, format: "png" };
    expect((await planRender(payload).draw()).equals((await render(payload)).body)).toBe(true);
  });

  it("refuses a PNG over MAX_PNG_PIXELS with a 422 issue on dpi naming size and limit", () => {
    let thrown: unknown;
    try {
      planRender({ ...LONG, format: "png", hri: true, dpi: 1200, xdim_mm: 1.5, quiet_zone: 10 });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).issues).toEqual([
      {
        field: "dpi",
        value: 1200,
        rule: "max_pixels",
        message:
          // 70 px modules; 25-character lines × 0.723 em × 1.8815 modules/em = 34.01 → 35 + 20
          // quiet = 55 wide; 26 + 20 + 4 lines × 1.09 em = 54.2 → 55 + 10 = 65 high.
          "The PNG would be 3850x4550 pixels (17517500), over the limit of 4000000; lower dpi, " +
          "xdim_mm or quiet_zone, or ask for svg or pdf, which scale.",
      },
    ]);
    expect(MAX_PNG_PIXELS).toBe(4_000_000);
    // The same picture as SVG or PDF is fine: vectors scale.
    expect(
      planRender({ ...LONG, format: "pdf", hri: true, dpi: 1200, xdim_mm: 1.5, quiet_zone: 10 })
        .heavy,
    ).toBe(false);
  });
});
