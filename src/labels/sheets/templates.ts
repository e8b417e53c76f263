// Label-sheet templates as data: the named sheets a `sheet_pdf` job can print on, and the check
// of a custom sheet sent as an object. Every named sheet's numbers are copied from glabels'
// template files (jimevins/glabels-qt, commit 21c6b82b04ca8dc7c76b68271b14aa778246ca7c) in the
// units glabels states them — a bare number is points there, as in glabels itself — and
// converted to millimetres here, once, exactly (1 in = 25.4 mm = 72 pt).
import { describeValue, type Issue } from "../../issues.js";

/** A sheet's geometry in millimetres, top-left origin: what the renderer and the PDF use. */
export interface SheetGeometry {
  /** The template's name (a named sheet's key, or "custom"). */
  name: string;
  pageWidthMm: number;
  pageHeightMm: number;
  columns: number;
  rows: number;
  labelWidthMm: number;
  labelHeightMm: number;
  /** Left edge of the first column and top edge of the first row, from the page's corner. */
  marginLeftMm: number;
  marginTopMm: number;
  /** Distance from one label's left (top) edge to the next one's. */
  pitchXMm: number;
  pitchYMm: number;
}

/** Page sizes a custom template may name: ISO 216 A4 and ANSI Letter (8.5 × 11 in). */
export const PAGE_SIZES: Readonly<Record<"A4" | "Letter", readonly [number, number]>> = {
  A4: [210, 297],
  Letter: [215.9, 279.4],
};

// A length as glabels writes it: a number with "pt", "in" or "mm", or bare (points).
function mm(length: string): number {
  const m = /^([0-9.]+)(pt|in|mm)?$/.exec(length);
  if (!m) throw new Error(`not a glabels length: ${length}`);
  const value = Number(m[1]);
  if (m[2] === "mm") return value;
  if (m[2] === "in") return value * 25.4;
  return (value * 25.4) / 72;
}

// A named sheet as glabels states it: <Label-rectangle width height> and <Layout nx ny x0 y0 dx dy>.
interface GlabelsTemplate {
  description: string;
  source: string;
  page: "A4" | "Letter";
  nx: number;
  ny: number;
  width: string;
  height: string;
  x0: string;
  y0: string;
  dx: string;
  dy: string;
}

const ISO = "glabels-qt templates/avery-iso-templates.xml";
const US = "glabels-qt templates/avery-us-templates.xml";

/**
 * The named templates. Sources (glabels-qt, commit above):
 * - avery_l7160: ISO file, part "7160" (L7160 is equiv="7160"), "Mailing labels, 63.5 x 38.1 mm".
 * - avery_l7163: ISO file, part "7163" (L7163 equiv), 99.1 × 38.1 mm, 14 per sheet.
 * - avery_l7651: ISO file, part "8651" (L7651 is equiv="8651"), 38.1 × 21.2 mm, 65 per sheet.
 * - avery_l8658: ISO file, part "8658" (L8658 equiv), identification labels 25.4 × 10 mm, 189 per
 *   sheet — the small-tag A4 sheet (glabels has no L7656).
 * - avery_5160: US file, part "5160", 2⅝ × 1 in, 30 per sheet.
 * - avery_5167: US file, part "5167", 1¾ × ½ in, 80 per sheet.
 * - 63up_1in_letter: the published API's example name; no public source gives its geometry. Our
 *   choice: 7 × 9 labels of 1 × 1 in on Letter, 1/8 in gaps both ways (pitch 1.125 in), the
 *   block centred on the page: 0.375 in left and right, 0.5 in top and bottom.
 */
const GLABELS: Readonly<Record<string, GlabelsTemplate>> = {
  avery_l7160: {
    description: "Avery L7160 / 7160 / J8160: mailing labels, 3 × 7, 63.5 × 38.1 mm",
    source: `${ISO}, Template part="7160"`,
    page: "A4",
    nx: 3,
    ny: 7,
    width: "181.4",
    height: "108.0",
    x0: "21.2",
    y0: "43.9",
    dx: "187.2",
    dy: "108.0",
  },
  avery_l7163: {
    description: "Avery L7163 / 7163: mailing labels, 2 × 7, 99.1 × 38.1 mm",
    source: `${ISO}, Template part="7163"`,
    page: "A4",
    nx: 2,
    ny: 7,
    width: "280.9",
    height: "108",
    x0: "9.5",
    y0: "43",
    dx: "292",
    dy: "108",
  },
  avery_l7651: {
    description: "Avery L7651 / 8651 / J8651: mini address labels, 5 × 13, 38.1 × 21.2 mm",
    source: `${ISO}, Template part="8651"`,
    page: "A4",
    nx: 5,
    ny: 13,
    width: "108",
    height: "60.09",
    x0: "13.32",
    y0: "30.90",
    dx: "115.09",
    dy: "60.09",
  },
  avery_l8658: {
    description: "Avery L8658 / 8658 / J8658: identification labels, 7 × 27, 25.4 × 10 mm",
    source: `${ISO}, Template part="8658"`,
    page: "A4",
    nx: 7,
    ny: 27,
    width: "25.4mm",
    height: "10mm",
    x0: "5mm",
    y0: "13mm",
    dx: "28.5mm",
    dy: "10.14mm",
  },
  avery_5160: {
    description: "Avery 5160 / 8160: address labels, 3 × 10, 2⅝ × 1 in",
    source: `${US}, Template part="5160"`,
    page: "Letter",
    nx: 3,
    ny: 10,
    width: "2.625in",
    height: "1in",
    x0: "0.15625in",
    y0: "0.5in",
    dx: "2.78125in",
    dy: "1in",
  },
  avery_5167: {
    description: "Avery 5167 / 8167: return address labels, 4 × 20, 1¾ × ½ in",
    source: `${US}, Template part="5167"`,
    page: "Letter",
    nx: 4,
    ny: 20,
    width: "1.75in",
    height: "0.5in",
    x0: "0.28125in",
    y0: "0.5in",
    dx: "2.0625in",
    dy: "0.5in",
  },
  "63up_1in_letter": {
    description: "63 labels of 1 × 1 in on Letter, 7 × 9 (the published API's example template)",
    source: "no public source: 1/8 in gaps, block centred on the page (see above)",
    page: "Letter",
    nx: 7,
    ny: 9,
    width: "1in",
    height: "1in",
    x0: "0.375in",
    y0: "0.5in",
    dx: "1.125in",
    dy: "1.125in",
  },
};

/** A named template as listed by GET /labels/templates/: its geometry and where it comes from. */
export interface NamedTemplate extends SheetGeometry {
  description: string;
  source: string;
}

/** The named templates, in a fixed order, converted to millimetres. */
export const TEMPLATES: readonly NamedTemplate[] = Object.entries(GLABELS).map(([name, t]) => ({
  name,
  description: t.description,
  source: t.source,
  pageWidthMm: PAGE_SIZES[t.page][0],
  pageHeightMm: PAGE_SIZES[t.page][1],
  columns: t.nx,
  rows: t.ny,
  labelWidthMm: mm(t.width),
  labelHeightMm: mm(t.height),
  marginLeftMm: mm(t.x0),
  marginTopMm: mm(t.y0),
  pitchXMm: mm(t.dx),
  pitchYMm: mm(t.dy),
}));

const BY_NAME = new Map(TEMPLATES.map((t) => [t.name, t]));

/** Custom template fields, in the order they are checked and reported. */
const CUSTOM_NUMBERS = [
  "label_width_mm",
  "label_height_mm",
  "margin_left_mm",
  "margin_top_mm",
  "pitch_x_mm",
  "pitch_y_mm",
] as const;
/** Most cells a custom sheet may have (the largest named one has 189). */
export const MAX_CELLS = 1_000;
/** Largest custom page side, mm (A0's long side). */
export const MAX_PAGE_MM = 1189;
// Rounding slack for "inside the page" and "no overlap": a thousandth of a millimetre.
const EPS = 1e-3;

/**
 * Returns the sheet `value` names (a template name) or describes (a custom template object),
 * or null after pushing issues with `field` (e.g. "asset_config.sheet_template") and sub-fields:
 * an unknown name, a missing or out-of-range number, a label that leaves the page or overlaps
 * its neighbour. Every problem is reported at once.
 */
export function resolveTemplate(
  value: unknown,
  field: string,
  issues: Issue[],
): SheetGeometry | null {
  if (typeof value === "string") {
    const named = BY_NAME.get(value);
    if (named) return geometryOf(named);
    issues.push({
      field,
      value,
      rule: "template",
      message: `${field} ${JSON.stringify(value)} is not a known template; one of ${[...BY_NAME.keys()].join(", ")}, or a custom template object.`,
    });
    return null;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    issues.push({
      field,
      value,
      rule: "template_type",
      message: `${field} must be a template name or a custom template object; got ${describeValue(value)}.`,
    });
    return null;
  }
  const o = value as Record<string, unknown>;
  const before = issues.length;
  for (const key of Object.keys(o)) {
    if (key === "page_size" || key === "columns" || key === "rows") continue;
    if ((CUSTOM_NUMBERS as readonly string[]).includes(key)) continue;
    issues.push({
      field: `${field}.${key}`,
      value: o[key],
      rule: "unknown_field",
      message: `${field}.${key} is not a template field; they are page_size, columns, rows, ${CUSTOM_NUMBERS.join(", ")}.`,
    });
  }
  const page = readPageSize(o.page_size, `${field}.page_size`, issues);
  const count = (key: "columns" | "rows") => {
    const v = o[key];
    if (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_CELLS) return v as number;
    issues.push({
      field: `${field}.${key}`,
      value: v,
      rule: "range",
      message: `${field}.${key} must be a whole number from 1 to ${MAX_CELLS}; got ${describeValue(v)}.`,
    });
    return null;
  };
  const columns = count("columns");
  const rows = count("rows");
  const numbers: Partial<Record<(typeof CUSTOM_NUMBERS)[number], number>> = {};
  for (const key of CUSTOM_NUMBERS) {
    const v = o[key];
    const positive = key.startsWith("label_") || key.startsWith("pitch_");
    const ok =
      typeof v === "number" &&
      Number.isFinite(v) &&
      (positive ? v > 0 : v >= 0) &&
      v <= MAX_PAGE_MM;
    if (ok) numbers[key] = v;
    else {
      issues.push({
        field: `${field}.${key}`,
        value: v,
        rule: "range",
        message: `${field}.${key} must be a number of millimetres ${positive ? "above 0" : "from 0"} up to ${MAX_PAGE_MM}; got ${describeValue(v)}.`,
      });
    }
  }
  if (issues.length > before || page === null || columns === null || rows === null) return null;
  const g: SheetGeometry = {
    name: "custom",
    pageWidthMm: page[0],
    pageHeightMm: page[1],
    columns,
    rows,
    labelWidthMm: numbers.label_width_mm as number,
    labelHeightMm: numbers.label_height_mm as number,
    marginLeftMm: numbers.margin_left_mm as number,
    marginTopMm: numbers.margin_top_mm as number,
    pitchXMm: numbers.pitch_x_mm as number,
    pitchYMm: numbers.pitch_y_mm as number,
  };
  if (columns * rows > MAX_CELLS) {
    issues.push({
      field: `${field}.rows`,
      value: rows,
      rule: "cells",
      message: `${field}: ${columns} columns × ${rows} rows make ${columns * rows} labels a sheet; at most ${MAX_CELLS}.`,
    });
  }
  // No overlaps: a neighbour starts a pitch away, so the pitch must hold the label.
  if (columns > 1 && g.pitchXMm + EPS < g.labelWidthMm) {
    issues.push({
      field: `${field}.pitch_x_mm`,
      value: g.pitchXMm,
      rule: "overlap",
      message: `${field}.pitch_x_mm ${g.pitchXMm} is less than label_width_mm ${g.labelWidthMm}: neighbouring labels would overlap.`,
    });
  }
  if (rows > 1 && g.pitchYMm + EPS < g.labelHeightMm) {
    issues.push({
      field: `${field}.pitch_y_mm`,
      value: g.pitchYMm,
      rule: "overlap",
      message: `${field}.pitch_y_mm ${g.pitchYMm} is less than label_height_mm ${g.labelHeightMm}: labels of neighbouring rows would overlap.`,
    });
  }
  // Inside the page: the last column's right edge and the last row's bottom edge.
  const right = g.marginLeftMm + (columns - 1) * g.pitchXMm + g.labelWidthMm;
  if (right > g.pageWidthMm + EPS) {
    issues.push({
      field: `${field}.columns`,
      value: columns,
      rule: "inside_page",
      message: `${field}: the last column's right edge is at ${round(right)} mm (margin_left_mm + (columns − 1) × pitch_x_mm + label_width_mm), past the page's width of ${g.pageWidthMm} mm.`,
    });
  }
  const bottom = g.marginTopMm + (rows - 1) * g.pitchYMm + g.labelHeightMm;
  if (bottom > g.pageHeightMm + EPS) {
    issues.push({
      field: `${field}.rows`,
      value: rows,
      rule: "inside_page",
      message: `${field}: the last row's bottom edge is at ${round(bottom)} mm (margin_top_mm + (rows − 1) × pitch_y_mm + label_height_mm), past the page's height of ${g.pageHeightMm} mm.`,
    });
  }
  return issues.length > before ? null : g;
}

function readPageSize(
  v: unknown,
  field: string,
  issues: Issue[],
): readonly [number, number] | null {
  if (v === "A4" || v === "Letter") return PAGE_SIZES[v];
  if (
    Array.isArray(v) &&
    v.length === 2 &&
    v.every((n) => typeof n === "number" && Number.isFinite(n) && n >= 10 && n <= MAX_PAGE_MM)
  ) {
    return [v[0], v[1]];
  }
  issues.push({
    field,
    value: v,
    rule: "page_size",
    message: `${field} must be "A4", "Letter" or [width, height] in millimetres (each 10 to ${MAX_PAGE_MM}); got ${describeValue(v)}.`,
  });
  return null;
}

function geometryOf(t: NamedTemplate): SheetGeometry {
  const { description: _d, source: _s, ...g } = t;
  return g;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
