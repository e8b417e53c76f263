// The dashboard's Labels section: a bulk label export from a CSV upload through the export API
// (POST /products/api/v1/labels/export/, multipart: the file and the request as JSON — exactly
// what the API takes), the sheet template drawn from GET .../labels/templates/, and the user's
// jobs with their progress, download link and cancel, polled while any is unfinished. A 422's
// details are shown beside the control each one names (its loc), as well as in the banner.
import { CSRF_HEADER, describeProblem, type Session } from "./session-client.js";

const LABELS_URL = "/products/api/v1/labels";
const EXPORT_URL = `${LABELS_URL}/export/`;
const POLL_MS = 1_000;
const SVG_NS = "http://www.w3.org/2000/svg";
// The template select's option for a custom sheet: never sent (the object is).
const CUSTOM = "(custom)";
// Most cells the preview draws; the API's own limit (MAX_CELLS), past which it refuses anyway.
const MAX_DRAWN_CELLS = 1_000;

// A custom template's fields (src/labels/sheets/templates.ts) and the input each is typed in.
const CUSTOM_FIELDS = [
  ["columns", "labels-columns"],
  ["rows", "labels-rows"],
  ["label_width_mm", "labels-label-width"],
  ["label_height_mm", "labels-label-height"],
  ["margin_left_mm", "labels-margin-left"],
  ["margin_top_mm", "labels-margin-top"],
  ["pitch_x_mm", "labels-pitch-x"],
  ["pitch_y_mm", "labels-pitch-y"],
] as const;

type ExportType = "datamatrix" | "qr_codes" | "barcodes_1d" | "codes_combined" | "sheet_pdf";
const ALL: readonly ExportType[] = [
  "datamatrix",
  "qr_codes",
  "barcodes_1d",
  "codes_combined",
  "sheet_pdf",
];
// codes_combined draws a QR and a 1D barcode: it takes both symbols' options (request.ts
// COMBINED_QR_FIELDS, COMBINED_BARCODE_FIELDS), the QR ones through TWO_D.
const TWO_D: readonly ExportType[] = ["datamatrix", "qr_codes", "codes_combined", "sheet_pdf"];
const QR: readonly ExportType[] = ["qr_codes", "codes_combined"];
const ZIPS: readonly ExportType[] = ["datamatrix", "qr_codes", "barcodes_1d", "codes_combined"];
const LINEAR: readonly ExportType[] = ["barcodes_1d", "codes_combined"];
// quiet_zone is modules to the QR endpoint and millimetres to the 1D one; codes_combined refuses
// it (rule "ambiguous") and takes one of each under its own names.
const ONE_QUIET_ZONE: readonly ExportType[] = [
  "datamatrix",
  "qr_codes",
  "barcodes_1d",
  "sheet_pdf",
];
// Code 128 and Code 39 carry free text: codes_combined's 1D barcode carries the item's GS1 data.
const FREE_TEXT_BARCODES = ["code128", "code39"];

/** The file formats each export type takes (src/labels/request.ts FILE_FORMATS). */
const FILE_FORMATS: Readonly<Record<ExportType, readonly string[]>> = {
  datamatrix: ["svg", "png", "pdf"],
  qr_codes: ["svg", "png", "pdf"],
  barcodes_1d: ["svg", "eps", "png", "pdf"],
  codes_combined: ["svg", "eps", "png", "pdf"],
  sheet_pdf: ["pdf"],
};

/**
 * The asset_config options (the sheet ones aside) with their control and the export types
 * that take them (src/labels/request.ts: ASSET_CONFIG_FIELDS less shape for QR, the QR fields,
 * BARCODE_ASSET_CONFIG_FIELDS for 1D, COMBINED_ASSET_CONFIG_FIELDS for QR and 1D). A control is
 * shown for those types only and its value posted for them only, so the form never sends a
 * field the job's type refuses. Kinds: a
 * number, text, a choice ("" left out), a flag (a checkbox whose default is false: sent only
 * when ticked) or a boolean (a choice of "", "true", "false", for defaults of true).
 */
const OPTIONS: readonly {
  field: string;
  id: string;
  kind: "number" | "text" | "choice" | "flag" | "boolean";
  types: readonly ExportType[];
}[] = [
  { field: "xdim_mm", id: "labels-xdim", kind: "number", types: TWO_D },
  { field: "dark_color", id: "labels-dark", kind: "text", types: ALL },
  { field: "light_color", id: "labels-light", kind: "text", types: ALL },
  { field: "hri", id: "labels-hri", kind: "flag", types: TWO_D },
  { field: "size", id: "labels-qr-size", kind: "number", types: QR },
  { field: "error_correction", id: "labels-qr-ec", kind: "choice", types: QR },
  { field: "barcode_type", id: "labels-barcode-type", kind: "choice", types: LINEAR },
  { field: "check_character", id: "labels-check-character", kind: "flag", types: ["barcodes_1d"] },
  { field: "module_width", id: "labels-module-width", kind: "number", types: LINEAR },
  { field: "module_height", id: "labels-module-height", kind: "number", types: LINEAR },
  { field: "font_size", id: "labels-font-size", kind: "number", types: LINEAR },
  { field: "bwr_mm", id: "labels-bwr", kind: "number", types: LINEAR },
  { field: "write_text", id: "labels-write-text", kind: "boolean", types: LINEAR },
  { field: "embed_font", id: "labels-embed-font", kind: "boolean", types: LINEAR },
  { field: "shape", id: "labels-shape", kind: "choice", types: ["datamatrix", "sheet_pdf"] },
  { field: "quiet_zone", id: "labels-quiet-zone", kind: "number", types: ONE_QUIET_ZONE },
  { field: "qr_quiet_zone", id: "labels-qr-quiet-zone", kind: "number", types: ["codes_combined"] },
  {
    field: "barcode_quiet_zone",
    id: "labels-barcode-quiet-zone",
    kind: "number",
    types: ["codes_combined"],
  },
  { field: "dpi", id: "labels-dpi", kind: "number", types: ALL },
  { field: "hri_titles", id: "labels-hri-titles", kind: "flag", types: TWO_D },
  { field: "data_format", id: "labels-data-format", kind: "choice", types: TWO_D },
  { field: "dl_base_url", id: "labels-dl-base", kind: "text", types: TWO_D },
  { field: "strict_expiry", id: "labels-strict-expiry", kind: "flag", types: TWO_D },
  // A sheet_pdf job makes one PDF: no file names to pattern.
  { field: "filename_pattern", id: "labels-filename", kind: "text", types: ZIPS },
];

// Each request field (a 422 detail's loc less "body", dotted) and the control it is typed in.
// A loc deeper than any entry goes to its nearest listed parent (an unknown template key to the
// template select); one with no listed parent stays in the banner only.
const FIELD_CONTROLS: Readonly<Record<string, string>> = {
  export_type: "labels-export-type",
  file_format: "labels-format",
  ...Object.fromEntries(OPTIONS.map((o) => [`asset_config.${o.field}`, o.id])),
  on_invalid: "labels-on-invalid",
  "asset_config.sheet_template": "labels-template",
  "asset_config.sheet_template.page_size": "labels-page-size",
  ...Object.fromEntries(CUSTOM_FIELDS.map(([f, id]) => [`asset_config.sheet_template.${f}`, id])),
  "asset_config.start_position": "labels-start",
  "asset_config.proof": "labels-proof",
  file: "labels-csv",
  "serials.gtin": "labels-serial-gtin",
  "serials.lot": "labels-serial-lot",
  "serials.expiry": "labels-serial-expiry",
  "serials.production_date": "labels-serial-production",
  "serials.length": "labels-serial-length",
  "serials.alphabet": "labels-serial-alphabet",
  "serials.mode": "labels-serial-mode",
  "serials.count": "labels-serial-count",
  "serials.start": "labels-serial-start",
  "serials.width": "labels-serial-width",
  "serials.prefix": "labels-serial-prefix",
};

interface TemplateJson {
  name: string;
  description: string;
  page_width_mm: number;
  page_height_mm: number;
  columns: number;
  rows: number;
  label_width_mm: number;
  label_height_mm: number;
  margin_left_mm: number;
  margin_top_mm: number;
  pitch_x_mm: number;
  pitch_y_mm: number;
}

interface JobJson {
  job_id: string;
  status: "pending" | "processing" | "completed" | "failed" | "canceled";
  export_type: string;
  file_format: string;
  total_items: number;
  progress_percent: number;
  download_url: string | null;
  output_filename: string | null;
  error: { message: string } | null;
  created_at: string;
}

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`the dashboard page lacks #${id}`);
  return el as T;
}

/**
 * Draws one sheet of `t` (page outline and every cell) into `svg`, in millimetres; the first
 * `skipped` cells (start_position) are shaded.
 */
export function drawSheet(svg: SVGSVGElement, t: TemplateJson, skipped = 0): void {
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${t.page_width_mm} ${t.page_height_mm}`);
  const rect = (x: number, y: number, w: number, h: number, cls: string) => {
    const r = document.createElementNS(SVG_NS, "rect");
    r.setAttribute("x", String(x));
    r.setAttribute("y", String(y));
    r.setAttribute("width", String(w));
    r.setAttribute("height", String(h));
    r.setAttribute("class", cls);
    svg.append(r);
  };
  rect(0, 0, t.page_width_mm, t.page_height_mm, "page");
  for (let row = 0; row < t.rows; row++) {
    for (let col = 0; col < t.columns; col++) {
      rect(
        t.margin_left_mm + col * t.pitch_x_mm,
        t.margin_top_mm + row * t.pitch_y_mm,
        t.label_width_mm,
        t.label_height_mm,
        row * t.columns + col < skipped ? "cell skipped" : "cell",
      );
    }
  }
  svg.setAttribute(
    "aria-label",
    `${t.name}: ${t.columns} × ${t.rows} labels of ${t.label_width_mm} × ${t.label_height_mm} mm on a ${t.page_width_mm} × ${t.page_height_mm} mm page` +
      (skipped > 0 ? `, the first ${skipped} left empty` : ""),
  );
}

/**
 * A typed number as the API takes it: a number when the text reads as one, otherwise the text
 * itself (the API names what is wrong with it); undefined when empty (the field is left out).
 */
export function numberOrText(text: string): unknown {
  const t = text.trim();
  if (t === "") return undefined;
  return /^-?(\d+(\.\d*)?|\.\d+)$/.test(t) ? Number(t) : t;
}

// The custom template the form describes, as the API takes it: fields left empty are left out.
function customTemplate(value: (id: string) => string, pageSize: string): Record<string, unknown> {
  const template: Record<string, unknown> = {};
  if (pageSize !== "mm") template.page_size = pageSize;
  else {
    const w = numberOrText(value("labels-page-width"));
    const h = numberOrText(value("labels-page-height"));
    if (w !== undefined && h !== undefined) template.page_size = [w, h];
  }
  for (const [field, id] of CUSTOM_FIELDS) {
    const v = numberOrText(value(id));
    if (v !== undefined) template[field] = v;
  }
  return template;
}

const PAGE_MM: Readonly<Record<string, readonly [number, number]>> = {
  A4: [210, 297],
  Letter: [215.9, 279.4],
};

// The custom template's geometry for the drawing, or null while a number is missing or not one
// (the API, not the drawing, judges overlaps and the page's edges).
function customGeometry(template: Record<string, unknown>): TemplateJson | null {
  const page =
    typeof template.page_size === "string" ? PAGE_MM[template.page_size] : template.page_size;
  const numbers = [...(Array.isArray(page) ? page : [])];
  for (const [field] of CUSTOM_FIELDS) numbers.push(template[field]);
  if (numbers.length !== 10 || !numbers.every((n) => typeof n === "number" && n >= 0)) return null;
  const [pw, ph, columns, rows, lw, lh, ml, mt, px, py] = numbers as number[];
  if (!Number.isInteger(columns) || !Number.isInteger(rows) || columns * rows > MAX_DRAWN_CELLS)
    return null;
  return {
    name: "Custom template",
    description: "",
    page_width_mm: pw,
    page_height_mm: ph,
    columns,
    rows,
    label_width_mm: lw,
    label_height_mm: lh,
    margin_left_mm: ml,
    margin_top_mm: mt,
    pitch_x_mm: px,
    pitch_y_mm: py,
  };
}

/** Wires the Labels section; `send` makes a same-origin request with the session's CSRF token. */
export function startLabels(session: Session): void {
  const send = (method: string, url: string, body?: FormData | string) =>
    fetch(url, {
      method,
      credentials: "same-origin",
      cache: "no-store",
      headers: {
        [CSRF_HEADER]: session.csrfToken,
        ...(typeof body === "string" ? { "Content-Type": "application/json" } : {}),
      },
      body,
    });
  const form = byId<HTMLFormElement>("labels-form");
  const exportType = byId<HTMLSelectElement>("labels-export-type");
  const format = byId<HTMLSelectElement>("labels-format");
  const template = byId<HTMLSelectElement>("labels-template");
  const templateField = byId("labels-template-field");
  const preview = document.getElementById("labels-sheet") as unknown as SVGSVGElement;
  const error = byId("labels-error");
  const pageSize = byId<HTMLSelectElement>("labels-page-size");
  const value = (id: string) => byId<HTMLInputElement>(id).value.trim();
  const templates = new Map<string, TemplateJson>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  // The sheet as the form describes it: the named template, or the custom one once complete.
  const syncSheet = () => {
    const custom = template.value === CUSTOM;
    byId("labels-custom").hidden = !custom;
    byId("labels-page-mm").hidden = pageSize.value !== "mm";
    const t = custom
      ? customGeometry(customTemplate(value, pageSize.value))
      : templates.get(template.value);
    const start = numberOrText(value("labels-start"));
    if (t) drawSheet(preview, t, typeof start === "number" ? start : 0);
    else {
      preview.replaceChildren();
      preview.setAttribute(
        "aria-label",
        custom
          ? "The custom template's sheet, once every number is given"
          : "One sheet of the chosen template",
      );
    }
  };
  // Shows the controls the chosen export type takes, and only its file formats and barcode
  // types. The serial generator's items (gtin, lot, serial...) are refused by barcodes_1d, whose
  // symbol would drop the serial; codes_combined takes them (the serial is in its QR).
  const syncType = () => {
    const type = exportType.value as ExportType;
    templateField.hidden = type !== "sheet_pdf";
    const formats = FILE_FORMATS[type];
    for (const option of Array.from(format.options))
      option.disabled = !formats.includes(option.value);
    if (!formats.includes(format.value)) format.value = formats[0];
    for (const { id, types } of OPTIONS) {
      const field = byId(id).closest<HTMLElement>(".field");
      if (field) field.hidden = !types.includes(type);
    }
    const barcodeType = byId<HTMLSelectElement>("labels-barcode-type");
    for (const option of Array.from(barcodeType.options)) {
      option.disabled = type === "codes_combined" && FREE_TEXT_BARCODES.includes(option.value);
    }
    if (barcodeType.selectedOptions[0]?.disabled) barcodeType.value = "";
    const serials = byId<HTMLInputElement>("labels-source-serials");
    serials.disabled = type === "barcodes_1d";
    if (serials.disabled && serials.checked) {
      byId<HTMLInputElement>("labels-source-csv").checked = true;
      syncSource();
    }
    syncSheet();
  };

  // A control's message element: the page's own, or one made after the control the first time
  // the API names it (and joined to its description, so a screen reader reads the two together).
  const messageFor = (control: HTMLElement): HTMLElement => {
    const id = `${control.id}-error`;
    const existing = document.getElementById(id);
    if (existing) return existing;
    const p = document.createElement("p");
    p.className = "error";
    p.id = id;
    p.setAttribute("aria-live", "polite");
    control.after(p);
    const described = control.getAttribute("aria-describedby");
    control.setAttribute("aria-describedby", described ? `${described} ${id}` : id);
    return p;
  };
  const clearField = (control: HTMLElement) => {
    control.removeAttribute("aria-invalid");
    const message = document.getElementById(`${control.id}-error`);
    if (message) message.textContent = "";
    if (control === pageSize) {
      for (const id of ["labels-page-width", "labels-page-height"])
        byId(id).removeAttribute("aria-invalid");
    }
  };
  const clearFields = () => {
    for (const id of new Set(Object.values(FIELD_CONTROLS))) clearField(byId(id));
  };
  // Shows a problem response: the whole of it in `banner`, and each detail whose loc names a
  // control of the form beside that control (aria-invalid, its message element). The banner is
  // written last, so once it is announced the fields are already marked.
  async function showProblem(res: Response, banner: HTMLElement): Promise<void> {
    const summary = await describeProblem(res.clone());
    const problem = (await res.json().catch(() => ({}))) as {
      details?: { loc?: (string | number)[]; msg?: string }[];
    };
    for (const d of problem.details ?? []) {
      if (d.loc?.[0] !== "body" || typeof d.msg !== "string") continue;
      const path = d.loc.slice(1).map(String);
      let id: string | undefined;
      while (path.length > 0 && id === undefined) {
        id = FIELD_CONTROLS[path.join(".")];
        path.pop();
      }
      if (id === undefined) continue;
      const control = byId(id);
      control.setAttribute("aria-invalid", "true");
      // A named option inside the closed "More options" is opened, or its message is unseen.
      control.closest("details")?.setAttribute("open", "");
      if (control === pageSize && pageSize.value === "mm") {
        for (const side of ["labels-page-width", "labels-page-height"])
          byId(side).setAttribute("aria-invalid", "true");
      }
      const message = messageFor(control);
      message.textContent = message.textContent ? `${message.textContent} ${d.msg}` : d.msg;
    }
    banner.textContent = summary;
  }
  for (const id of new Set(Object.values(FIELD_CONTROLS))) {
    const control = byId(id);
    const clear = () => clearField(control);
    control.addEventListener("input", clear);
    control.addEventListener("change", clear);
  }
  for (const id of ["labels-page-width", "labels-page-height"]) {
    byId(id).addEventListener("input", () => clearField(pageSize));
  }

  async function loadTemplates(): Promise<void> {
    const res = await send("GET", `${LABELS_URL}/templates/?page_size=100`);
    if (res.status === 404) {
      // A server without label export (no labels routes): the section is hidden.
      byId("labels").hidden = true;
      for (const link of Array.from(
        document.querySelectorAll<HTMLElement>('a[href="/account/#labels"]'),
      )) {
        link.hidden = true;
      }
      return;
    }
    if (!res.ok) {
      error.textContent = await describeProblem(res);
      return;
    }
    const { data } = (await res.json()) as { data: TemplateJson[] };
    template.replaceChildren();
    for (const t of data) {
      templates.set(t.name, t);
      const option = document.createElement("option");
      option.value = t.name;
      option.textContent = `${t.name} — ${t.description}`;
      template.append(option);
    }
    const custom = document.createElement("option");
    custom.value = CUSTOM;
    custom.textContent = "Custom template…";
    template.append(custom);
    syncType();
  }

  async function loadJobs(): Promise<void> {
    clearTimeout(timer);
    const res = await send("GET", `${EXPORT_URL}?page=1&page_size=25`);
    if (res.status === 404) return;
    if (!res.ok) {
      error.textContent = await describeProblem(res);
      return;
    }
    const { data } = (await res.json()) as { data: JobJson[] };
    const tbody = byId<HTMLTableSectionElement>("jobs-body");
    tbody.replaceChildren();
    for (const job of data) {
      const row = tbody.insertRow();
      row.dataset.jobId = job.job_id;
      row.dataset.status = job.status;
      row.insertCell().textContent = job.created_at.replace("T", " ").replace(/\.\d+Z$/, " UTC");
      row.insertCell().textContent = `${job.export_type} (${job.file_format})`;
      row.insertCell().textContent = String(job.total_items).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
      const progressCell = row.insertCell();
      const bar = document.createElement("progress");
      bar.max = 100;
      bar.value = job.progress_percent;
      bar.setAttribute("aria-label", `Job ${job.job_id} progress`);
      progressCell.append(bar, ` ${job.progress_percent} %`);
      row.insertCell().textContent =
        job.status === "failed" && job.error ? `failed: ${job.error.message}` : job.status;
      const action = row.insertCell();
      if (job.download_url) {
        const link = document.createElement("a");
        link.href = job.download_url;
        link.textContent = "Download";
        link.download = job.output_filename ?? "";
        action.append(link);
      }
      if (job.status === "pending" || job.status === "processing") {
        const cancel = document.createElement("button");
        cancel.type = "button";
        cancel.textContent = "Cancel";
        cancel.setAttribute("aria-label", `Cancel job ${job.job_id}`);
        cancel.addEventListener("click", async () => {
          const answer = await send("DELETE", `${EXPORT_URL}${job.job_id}/`);
          if (answer.status !== 204) error.textContent = await describeProblem(answer);
          await loadJobs();
        });
        action.append(cancel);
      }
    }
    byId("jobs-empty").hidden = data.length !== 0;
    if (data.some((j) => j.status === "pending" || j.status === "processing")) {
      timer = setTimeout(() => void loadJobs(), POLL_MS);
    }
  }

  // The job's fields from the form (the items aside), as the export API takes them.
  const requestOf = () => {
    const assetConfig: Record<string, unknown> = {};
    const type = exportType.value as ExportType;
    for (const { field, id, kind, types } of OPTIONS) {
      if (!types.includes(type)) continue;
      const text = value(id);
      let v: unknown;
      if (kind === "flag") v = byId<HTMLInputElement>(id).checked ? true : undefined;
      else if (kind === "boolean") v = text === "" ? undefined : text === "true";
      else if (kind === "number") v = numberOrText(text);
      else v = text === "" ? undefined : text;
      if (v !== undefined) assetConfig[field] = v;
    }
    if (type === "sheet_pdf") {
      assetConfig.sheet_template =
        template.value === CUSTOM ? customTemplate(value, pageSize.value) : template.value;
      const start = numberOrText(value("labels-start"));
      if (start !== undefined) assetConfig.start_position = start;
      if (byId<HTMLInputElement>("labels-proof").checked) assetConfig.proof = true;
    }
    const onInvalid = byId<HTMLSelectElement>("labels-on-invalid").value;
    return {
      export_type: exportType.value,
      file_format: format.value,
      ...(onInvalid !== "" ? { on_invalid: onInvalid } : {}),
      ...(Object.keys(assetConfig).length > 0 ? { asset_config: assetConfig } : {}),
    };
  };

  // The serial generator's request as the API takes it: numbers as numbers, empty fields left
  // out (the API names what is missing), each mode's own fields only.
  const serialRequest = () => {
    const number = (text: string) => (/^\d+$/.test(text) ? Number(text) : text);
    const mode = byId<HTMLSelectElement>("labels-serial-mode").value;
    const serials: Record<string, unknown> = { gtin: value("labels-serial-gtin"), mode };
    for (const [field, id] of [
      ["lot", "labels-serial-lot"],
      ["expiry", "labels-serial-expiry"],
      ["production_date", "labels-serial-production"],
    ]) {
      const text = value(id);
      if (text !== "") serials[field] = text;
    }
    serials.count = number(value("labels-serial-count"));
    const numbers =
      mode === "range"
        ? [
            ["start", "labels-serial-start"],
            ["width", "labels-serial-width"],
          ]
        : [["length", "labels-serial-length"]];
    for (const [field, id] of numbers) {
      const text = value(id);
      if (text !== "") serials[field] = number(text);
    }
    const alphabet = byId<HTMLSelectElement>("labels-serial-alphabet").value;
    if (mode === "random" && alphabet !== "") serials.alphabet = alphabet;
    const prefix = value("labels-serial-prefix");
    if (prefix !== "") serials.prefix = prefix;
    return serials;
  };
  const syncMode = () => {
    const mode = byId<HTMLSelectElement>("labels-serial-mode").value;
    for (const field of Array.from(
      document.querySelectorAll<HTMLElement>("#labels-serials-field [data-mode]"),
    )) {
      field.hidden = field.dataset.mode !== mode;
    }
  };
  byId("labels-serial-mode").addEventListener("change", syncMode);
  const syncSource = () => {
    const fromSerials = byId<HTMLInputElement>("labels-source-serials").checked;
    byId("labels-csv-field").hidden = fromSerials;
    byId("labels-serials-field").hidden = !fromSerials;
  };
  for (const id of ["labels-source-csv", "labels-source-serials"]) {
    byId(id).addEventListener("change", syncSource);
  }
  // The job's fields as the export takes them in the query of a text/csv request: asset_config
  // as its JSON, which also carries a custom template object and keeps "1" apart from 1.
  const queryOf = (request: {
    export_type: string;
    file_format: string;
    on_invalid?: string;
    asset_config?: object;
  }) => {
    const q = new URLSearchParams({
      export_type: request.export_type,
      file_format: request.file_format,
    });
    if (request.on_invalid) q.set("on_invalid", request.on_invalid);
    if (request.asset_config) q.set("asset_config", JSON.stringify(request.asset_config));
    return q.toString();
  };

  // Shows the CSV's first rows, each with the problems the export would report for it.
  async function previewCsv(): Promise<void> {
    const table = byId<HTMLTableElement>("csv-preview");
    const status = byId("csv-preview-status");
    const file = byId<HTMLInputElement>("labels-csv").files?.[0];
    table.hidden = true;
    status.textContent = "";
    clearFields();
    if (!file) return;
    // The first lines only: whole lines from the first 64 KB.
    let text = await file.slice(0, 65_536).text();
    if (file.size > 65_536) text = text.slice(0, text.lastIndexOf("\n") + 1);
    const res = await fetch(`${LABELS_URL}/csv-preview/?${queryOf(requestOf())}`, {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      headers: { [CSRF_HEADER]: session.csrfToken, "Content-Type": "text/csv" },
      body: text,
    });
    if (!res.ok) {
      await showProblem(res, status);
      return;
    }
    const preview = (await res.json()) as {
      header: string[];
      rows: {
        row: number;
        item: Record<string, unknown> | null;
        errors: { field: string; message: string }[];
      }[];
    };
    const head = table.tHead?.rows[0] ?? table.createTHead().insertRow();
    head.replaceChildren();
    for (const name of ["Row", ...preview.header, "Check"]) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = name;
      head.append(th);
    }
    const body = byId<HTMLTableSectionElement>("csv-preview-body");
    body.replaceChildren();
    const lines = text.split(/\r?\n/);
    for (const r of preview.rows) {
      const row = body.insertRow();
      row.dataset.row = String(r.row);
      row.dataset.valid = String(r.errors.length === 0);
      row.insertCell().textContent = String(r.row);
      // The cells as written (a naive split: the check column is the API's word on the row).
      const cells = (lines[r.row] ?? "").split(",");
      for (let c = 0; c < preview.header.length; c++) row.insertCell().textContent = cells[c] ?? "";
      row.insertCell().textContent =
        r.errors.length === 0 ? "OK" : r.errors.map((e) => `${e.field}: ${e.message}`).join(" ");
    }
    const bad = preview.rows.filter((r) => r.errors.length > 0).length;
    status.textContent = `First ${preview.rows.length} rows: ${bad === 0 ? "all valid" : `${bad} with problems`}.`;
    table.hidden = false;
  }

  exportType.addEventListener("change", syncType);
  template.addEventListener("change", syncSheet);
  pageSize.addEventListener("change", syncSheet);
  for (const id of [
    "labels-page-width",
    "labels-page-height",
    "labels-start",
    ...CUSTOM_FIELDS.map(([, id]) => id),
  ]) {
    byId(id).addEventListener("input", syncSheet);
  }
  byId("labels-csv").addEventListener("change", () => void previewCsv());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    clearFields();
    const fromSerials = byId<HTMLInputElement>("labels-source-serials").checked;
    const file = byId<HTMLInputElement>("labels-csv").files?.[0];
    if (!fromSerials && !file) {
      error.textContent = "Choose a CSV file with a header row (gtin, serial, lot, ...).";
      return;
    }
    const request = requestOf();
    let body: FormData | string;
    if (fromSerials) {
      body = JSON.stringify({ ...request, serials: serialRequest() });
    } else {
      body = new FormData();
      body.append("request", JSON.stringify(request));
      body.append("file", file as File, (file as File).name);
    }
    const res = await send("POST", EXPORT_URL, body);
    if (res.status !== 202) {
      await showProblem(res, error);
      return;
    }
    await loadJobs();
  });
  syncType();
  void loadTemplates();
  void loadJobs();
}
