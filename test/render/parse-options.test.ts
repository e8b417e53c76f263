// src/render/parse-options.ts (with the defaults of src/render/options.ts).
import { describe, expect, it } from "vitest";
import { DEFAULT_RENDER_OPTIONS } from "../../src/render/options.js";
import { parseRenderOptions } from "../../src/render/parse-options.js";

describe("parseRenderOptions", () => {
  it("fills every default when nothing is given, and ignores non-rendering fields", () => {
    const expected = {
      format: "svg",
      shape: "square",
      xdimMm: 0.38,
      quietZoneModules: 2,
      dpi: 300,
      darkColor: "#000000",
      lightColor: "#ffffff",
      hri: false,
      hriTitles: false,
    };
    expect(parseRenderOptions(undefined)).toEqual({ options: expected, issues: [] });
    expect(parseRenderOptions({ gtin: "00012345678905", lot: "A1" })).toEqual({
      options: expected,
      issues: [],
    });
    expect(DEFAULT_RENDER_OPTIONS).toEqual(expected);
  });

  it("accepts every valid field and normalises colours to lowercase #rrggbb", () => {
    const { options, issues } = parseRenderOptions({
      format: "pdf",
      shape: "dmre",
      xdim_mm: 0.254,
      quiet_zone: 10,
      dpi: 1200,
      dark_color: "#0A3",
      light_color: "#FFEECC",
      hri: true,
      hri_titles: true,
    });
    expect(issues).toEqual([]);
    expect(options).toEqual({
      format: "pdf",
      shape: "dmre",
      xdimMm: 0.254,
      quietZoneModules: 10,
      dpi: 1200,
      darkColor: "#00aa33",
      lightColor: "#ffeecc",
      hri: true,
      hriTitles: true,
    });
  });

  it("accepts the range bounds themselves", () => {
    for (const body of [
      { xdim_mm: 1.5, quiet_zone: 1, dpi: 72 },
      { xdim_mm: 0.254, quiet_zone: 10, dpi: 1200 },
    ]) {
      expect(parseRenderOptions(body).issues).toEqual([]);
    }
  });

  // One row per rule: the payload, then the single issue it must produce, message verbatim.
  const RULES: [string, unknown, object][] = [
    [
      "payload not an object",
      [],
      {
        field: null,
        value: [],
        rule: "object_type",
        message: "The payload must be a JSON object; got an array.",
      },
    ],
    [
      "payload null",
      null,
      {
        field: null,
        value: null,
        rule: "object_type",
        message: "The payload must be a JSON object; got null.",
      },
    ],
    [
      "format not a string",
      { format: 3 },
      {
        field: "format",
        value: 3,
        rule: "string_type",
        message: "format must be a string; got the number 3.",
      },
    ],
    [
      "format unknown",
      { format: "gif" },
      {
        field: "format",
        value: "gif",
        rule: "enum",
        message: 'format must be one of "svg", "png" or "pdf"; got "gif".',
      },
    ],
    [
      "format in capitals",
      { format: "SVG" },
      {
        field: "format",
        value: "SVG",
        rule: "enum",
        message: 'format must be one of "svg", "png" or "pdf"; got "SVG".',
      },
    ],
    [
      "shape null",
      { shape: null },
      {
        field: "shape",
        value: null,
        rule: "string_type",
        message: "shape must be a string; got null.",
      },
    ],
    [
      "shape unknown",
      { shape: "circle" },
      {
        field: "shape",
        value: "circle",
        rule: "enum",
        message: 'shape must be one of "square", "rectangle", "dmre" or "auto"; got "circle".',
      },
    ],
    [
      "xdim_mm as a string",
      { xdim_mm: "0.38" },
      {
        field: "xdim_mm",
        value: "0.38",
        rule: "number_type",
        message: 'xdim_mm must be a number; got the string "0.38".',
      },
    ],
    [
      "xdim_mm NaN",
      { xdim_mm: Number.NaN },
      {
        field: "xdim_mm",
        value: Number.NaN,
        rule: "number_type",
        message: "xdim_mm must be a number; got the number NaN.",
      },
    ],
    [
      "xdim_mm below GS1",
      { xdim_mm: 0.2 },
      {
        field: "xdim_mm",
        value: 0.2,
        rule: "range",
        message: "xdim_mm must be between 0.254 and 1.5 mm (the GS1 X-dimension range); got 0.2.",
      },
    ],
    [
      "xdim_mm above GS1",
      { xdim_mm: 1.51 },
      {
        field: "xdim_mm",
        value: 1.51,
        rule: "range",
        message: "xdim_mm must be between 0.254 and 1.5 mm (the GS1 X-dimension range); got 1.51.",
      },
    ],
    [
      "quiet_zone as an object",
      { quiet_zone: {} },
      {
        field: "quiet_zone",
        value: {},
        rule: "number_type",
        message: "quiet_zone must be a number; got an object.",
      },
    ],
    [
      "quiet_zone fractional",
      { quiet_zone: 1.5 },
      {
        field: "quiet_zone",
        value: 1.5,
        rule: "integer",
        message: "quiet_zone must be a whole number; got 1.5.",
      },
    ],
    [
      "quiet_zone zero",
      { quiet_zone: 0 },
      {
        field: "quiet_zone",
        value: 0,
        rule: "range",
        message: "quiet_zone must be between 1 and 10 modules (GS1 requires at least 1); got 0.",
      },
    ],
    [
      "quiet_zone too wide",
      { quiet_zone: 11 },
      {
        field: "quiet_zone",
        value: 11,
        rule: "range",
        message: "quiet_zone must be between 1 and 10 modules (GS1 requires at least 1); got 11.",
      },
    ],
    [
      "dpi boolean",
      { dpi: true },
      {
        field: "dpi",
        value: true,
        rule: "number_type",
        message: "dpi must be a number; got the boolean true.",
      },
    ],
    [
      "dpi fractional",
      { dpi: 300.5 },
      {
        field: "dpi",
        value: 300.5,
        rule: "integer",
        message: "dpi must be a whole number; got 300.5.",
      },
    ],
    [
      "dpi too low",
      { dpi: 50 },
      {
        field: "dpi",
        value: 50,
        rule: "range",
        message: "dpi must be between 72 and 1200 dots per inch; got 50.",
      },
    ],
    [
      "dpi too high",
      { dpi: 2400 },
      {
        field: "dpi",
        value: 2400,
        rule: "range",
        message: "dpi must be between 72 and 1200 dots per inch; got 2400.",
      },
    ],
    [
      "dark_color number",
      { dark_color: 0 },
      {
        field: "dark_color",
        value: 0,
        rule: "string_type",
        message: "dark_color must be a string; got the number 0.",
      },
    ],
    [
      "dark_color name",
      { dark_color: "black" },
      {
        field: "dark_color",
        value: "black",
        rule: "color_format",
        message: 'dark_color must be a colour written "#rgb" or "#rrggbb"; got "black".',
      },
    ],
    [
      "light_color 4 digits",
      { light_color: "#ffff" },
      {
        field: "light_color",
        value: "#ffff",
        rule: "color_format",
        message: 'light_color must be a colour written "#rgb" or "#rrggbb"; got "#ffff".',
      },
    ],
    // Relative luminance (sRGB, hand-computed): #777777 0.1845, #888888 0.2462, #cccccc 0.6038, #dddddd 0.7231.
    [
      "colours too close",
      { dark_color: "#777", light_color: "#888" },
      {
        field: "dark_color",
        value: "#777",
        rule: "contrast",
        message:
          'dark_color "#777777" must be at least 40 % darker than light_color "#888888" in relative luminance; the difference is 6 %.',
      },
    ],
    [
      "colours inverted",
      { dark_color: "#ffffff", light_color: "#000000" },
      {
        field: "dark_color",
        value: "#ffffff",
        rule: "contrast",
        message:
          'dark_color "#ffffff" must be at least 40 % darker than light_color "#000000" in relative luminance; the difference is -100 %.',
      },
    ],
    [
      "dark too light for the default white",
      { dark_color: "#dddddd" },
      {
        field: "dark_color",
        value: "#dddddd",
        rule: "contrast",
        message:
          'dark_color "#dddddd" must be at least 40 % darker than light_color "#ffffff" in relative luminance; the difference is 27 %.',
      },
    ],
    [
      "just under 40 % (39.6 %, rounded down)",
      { dark_color: "#cccccc" },
      {
        field: "dark_color",
        value: "#cccccc",
        rule: "contrast",
        message:
          'dark_color "#cccccc" must be at least 40 % darker than light_color "#ffffff" in relative luminance; the difference is 39 %.',
      },
    ],
    [
      "hri as a string",
      { hri: "yes" },
      {
        field: "hri",
        value: "yes",
        rule: "boolean_type",
        message: 'hri must be true or false; got the string "yes".',
      },
    ],
    [
      "hri as a number",
      { hri: 1 },
      {
        field: "hri",
        value: 1,
        rule: "boolean_type",
        message: "hri must be true or false; got the number 1.",
      },
    ],
  ];

  it.each(RULES)("reports %s", (_name, body, issue) => {
    const { options, issues } = parseRenderOptions(body);
    expect(issues).toEqual([issue]);
    // The failed field keeps its default, so a caller that ignores issues still renders.
    expect(options.format).toBe(DEFAULT_RENDER_OPTIONS.format);
  });

  it("reports every problem at once, in field order", () => {
    const { issues } = parseRenderOptions({
      format: "gif",
      shape: 1,
      xdim_mm: "big",
      quiet_zone: -1,
      dpi: 0.5,
      dark_color: "red",
      light_color: "blue",
      hri: null,
    });
    expect(issues.map((i) => [i.field, i.rule])).toEqual([
      ["format", "enum"],
      ["shape", "string_type"],
      ["xdim_mm", "number_type"],
      ["quiet_zone", "range"],
      ["dpi", "integer"],
      ["dark_color", "color_format"],
      ["light_color", "color_format"],
      ["hri", "boolean_type"],
    ]);
    expect(issues[7].message).toBe("hri must be true or false; got null.");
  });

  it("judges contrast only between valid colours, so a bad colour is reported once", () => {
    expect(
      parseRenderOptions({ dark_color: "#fff", light_color: "nope" }).issues.map((i) => i.rule),
    ).toEqual(["color_format"]);
  });

  it("accepts dark navy on cream (a luminance difference above 40 %)", () => {
    expect(parseRenderOptions({ dark_color: "#002060", light_color: "#ffeecc" }).issues).toEqual(
      [],
    );
  });
});
