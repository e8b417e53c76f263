// The named sheet templates against the numbers glabels' template files state (jimevins/glabels-qt
// templates/avery-iso-templates.xml and avery-us-templates.xml, copied here by hand from those
// files, in their own units: bare numbers are points), and the custom template's checks.
import { describe, expect, it } from "vitest";
import type { Issue } from "../../../src/issues.js";
import { resolveTemplate, TEMPLATES } from "../../../src/labels/sheets/templates.js";

const PT = 25.4 / 72;
const IN = 25.4;

// name → [page w, h mm, nx, ny, width, height, x0, y0, dx, dy] in mm, from the cited parts.
const CITED: Record<string, number[]> = {
  // ISO part="7160": width="181.4" height="108.0" nx=3 ny=7 x0="21.2" y0="43.9" dx="187.2" dy="108.0"
  avery_l7160: [210, 297, 3, 7, 181.4 * PT, 108 * PT, 21.2 * PT, 43.9 * PT, 187.2 * PT, 108 * PT],
  // ISO part="7163": width="280.9" height="108" nx=2 ny=7 x0="9.5" y0="43" dx="292" dy="108"
  avery_l7163: [210, 297, 2, 7, 280.9 * PT, 108 * PT, 9.5 * PT, 43 * PT, 292 * PT, 108 * PT],
  // ISO part="8651" (L7651 equiv): width="108" height="60.09" nx=5 ny=13 x0="13.32" y0="30.90" dx="115.09" dy="60.09"
  avery_l7651: [
    210,
    297,
    5,
    13,
    108 * PT,
    60.09 * PT,
    13.32 * PT,
    30.9 * PT,
    115.09 * PT,
    60.09 * PT,
  ],
  // ISO part="8658": width="25.4mm" height="10mm" nx=7 ny=27 x0="5mm" y0="13mm" dx="28.5mm" dy="10.14mm"
  avery_l8658: [210, 297, 7, 27, 25.4, 10, 5, 13, 28.5, 10.14],
  // US part="5160": width="2.625in" height="1in" nx=3 ny=10 x0="0.15625in" y0="0.5in" dx="2.78125in" dy="1in"
  avery_5160: [215.9, 279.4, 3, 10, 2.625 * IN, IN, 0.15625 * IN, 0.5 * IN, 2.78125 * IN, IN],
  // US part="5167": width="1.75in" height="0.5in" nx=4 ny=20 x0="0.28125in" y0="0.5in" dx="2.0625in" dy="0.5in"
  avery_5167: [
    215.9,
    279.4,
    4,
    20,
    1.75 * IN,
    0.5 * IN,
    0.28125 * IN,
    0.5 * IN,
    2.0625 * IN,
    0.5 * IN,
  ],
  // Ours (no public source): 7 × 9 of 1 in, 1/8 in gaps, centred on Letter.
  "63up_1in_letter": [215.9, 279.4, 7, 9, IN, IN, 0.375 * IN, 0.5 * IN, 1.125 * IN, 1.125 * IN],
};

describe("named templates", () => {
  it("lists exactly the cited templates", () => {
    expect(TEMPLATES.map((t) => t.name).sort()).toEqual(Object.keys(CITED).sort());
  });

  for (const [name, c] of Object.entries(CITED)) {
    it(`${name} has glabels' geometry, inside its page, without overlaps`, () => {
      const t = TEMPLATES.find((x) => x.name === name);
      expect(t).toBeDefined();
      if (!t) return;
      const got = [
        t.pageWidthMm,
        t.pageHeightMm,
        t.columns,
        t.rows,
        t.labelWidthMm,
        t.labelHeightMm,
        t.marginLeftMm,
        t.marginTopMm,
        t.pitchXMm,
        t.pitchYMm,
      ];
      for (let i = 0; i < c.length; i++) expect(got[i]).toBeCloseTo(c[i], 9);
      // The named ones pass the custom checks too.
      const issues: Issue[] = [];
      const custom = resolveTemplate(
        {
          page_size: [t.pageWidthMm, t.pageHeightMm],
          columns: t.columns,
          rows: t.rows,
          label_width_mm: t.labelWidthMm,
          label_height_mm: t.labelHeightMm,
          margin_left_mm: t.marginLeftMm,
          margin_top_mm: t.marginTopMm,
          pitch_x_mm: t.pitchXMm,
          pitch_y_mm: t.pitchYMm,
        },
        "t",
        issues,
      );
      expect(issues).toEqual([]);
      expect(custom).not.toBeNull();
    });
  }

  it("the issue's nominal sizes agree with glabels' to within 0.5 mm", () => {
    const nominal: Record<string, [number, number]> = {
      avery_l7160: [63.5, 38.1],
      avery_l7163: [99.1, 38.1],
      avery_l7651: [38.1, 21.2],
      avery_5160: [66.675, 25.4],
      avery_5167: [44.45, 12.7],
    };
    for (const [name, [w, h]] of Object.entries(nominal)) {
      const t = TEMPLATES.find((x) => x.name === name);
      expect(Math.abs((t?.labelWidthMm ?? 0) - w), name).toBeLessThan(0.5);
      expect(Math.abs((t?.labelHeightMm ?? 0) - h), name).toBeLessThan(0.5);
    }
  });
});

describe("custom templates", () => {
  const good = {
    page_size: "A4",
    columns: 4,
    rows: 10,
    label_width_mm: 48,
    label_height_mm: 25,
    margin_left_mm: 5,
    margin_top_mm: 10,
    pitch_x_mm: 50,
    pitch_y_mm: 27,
  };
  const check = (value: unknown) => {
    const issues: Issue[] = [];
    const g = resolveTemplate(value, "asset_config.sheet_template", issues);
    return { g, issues };
  };

  it("accepts a sheet whose labels are inside the page and apart", () => {
    const { g, issues } = check(good);
    expect(issues).toEqual([]);
    expect(g).toMatchObject({ name: "custom", pageWidthMm: 210, pageHeightMm: 297, columns: 4 });
    expect(check({ ...good, page_size: "Letter" }).g?.pageWidthMm).toBe(215.9);
    expect(check({ ...good, page_size: [220, 300] }).g?.pageHeightMm).toBe(300);
  });

  it("refuses overlapping labels, naming the pitch", () => {
    const { g, issues } = check({ ...good, pitch_x_mm: 47, pitch_y_mm: 24 });
    expect(g).toBeNull();
    expect(issues.map((i) => [i.field, i.rule, i.value])).toEqual([
      ["asset_config.sheet_template.pitch_x_mm", "overlap", 47],
      ["asset_config.sheet_template.pitch_y_mm", "overlap", 24],
    ]);
    expect(issues[0].message).toContain("label_width_mm 48");
  });

  it("refuses labels past the page's edge, with the arithmetic", () => {
    // 5 + 4 × 50 + 48 = 253 mm > 210 mm; 10 + 10 × 27 + 25 = 305 > 297.
    const { issues } = check({ ...good, columns: 5, rows: 11 });
    expect(issues.map((i) => [i.field, i.rule])).toEqual([
      ["asset_config.sheet_template.columns", "inside_page"],
      ["asset_config.sheet_template.rows", "inside_page"],
    ]);
    expect(issues[0].message).toContain("253 mm");
    expect(issues[1].message).toContain("305 mm");
  });

  it("reports every bad field at once", () => {
    const { issues } = check({
      page_size: "A5",
      columns: 0,
      rows: 2.5,
      label_width_mm: -1,
      label_height_mm: "25",
      margin_left_mm: 5,
      margin_top_mm: 10,
      pitch_x_mm: 50,
      pitch_y_mm: 27,
      colour: "red",
    });
    expect(issues.map((i) => [i.field, i.rule])).toEqual([
      ["asset_config.sheet_template.colour", "unknown_field"],
      ["asset_config.sheet_template.page_size", "page_size"],
      ["asset_config.sheet_template.columns", "range"],
      ["asset_config.sheet_template.rows", "range"],
      ["asset_config.sheet_template.label_width_mm", "range"],
      ["asset_config.sheet_template.label_height_mm", "range"],
    ]);
  });

  it("refuses an unknown name, listing the known ones", () => {
    const { issues } = check("avery_l9999");
    expect(issues[0]).toMatchObject({ field: "asset_config.sheet_template", rule: "template" });
    expect(issues[0].message).toContain("avery_l7160");
  });
});
