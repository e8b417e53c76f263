// The dashboard's Labels section: a bulk label export from a CSV upload through the export API
// (POST /products/api/v1/labels/export/, multipart: the file and the request as JSON — exactly
// what the API takes), the sheet template drawn from GET .../labels/templates/, and the user's
// jobs with their progress, download link and cancel, polled while any is unfinished.
import { CSRF_HEADER, describeProblem, type Session } from "./session-client.js";

const LABELS_URL = "/products/api/v1/labels";
const EXPORT_URL = `${LABELS_URL}/export/`;
const POLL_MS = 1_000;
const SVG_NS = "http://www.w3.org/2000/svg";

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

/** Draws one sheet of `t` (page outline and every cell) into `svg`, in millimetres. */
export function drawSheet(svg: SVGSVGElement, t: TemplateJson): void {
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
        "cell",
      );
    }
  }
  svg.setAttribute(
    "aria-label",
    `${t.name}: ${t.columns} × ${t.rows} labels of ${t.label_width_mm} × ${t.label_height_mm} mm on a ${t.page_width_mm} × ${t.page_height_mm} mm page`,
  );
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
  const templates = new Map<string, TemplateJson>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const syncType = () => {
    const sheet = exportType.value === "sheet_pdf";
    templateField.hidden = !sheet;
    for (const option of Array.from(format.options))
      option.disabled = sheet && option.value !== "pdf";
    if (sheet) format.value = "pdf";
    const t = templates.get(template.value);
    if (t) drawSheet(preview, t);
  };

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
    const xdim = byId<HTMLInputElement>("labels-xdim").value.trim();
    if (xdim !== "") assetConfig.xdim_mm = Number(xdim);
    if (byId<HTMLInputElement>("labels-hri").checked) assetConfig.hri = true;
    if (exportType.value === "sheet_pdf") assetConfig.sheet_template = template.value;
    return {
      export_type: exportType.value,
      file_format: format.value,
      ...(Object.keys(assetConfig).length > 0 ? { asset_config: assetConfig } : {}),
    };
  };

  // The serial generator's request as the API takes it: numbers as numbers, empty fields left
  // out (the API names what is missing).
  const serialRequest = () => {
    const value = (id: string) => byId<HTMLInputElement>(id).value.trim();
    const number = (text: string) => (/^\d+$/.test(text) ? Number(text) : text);
    const mode = byId<HTMLSelectElement>("labels-serial-mode").value;
    const serials: Record<string, unknown> = { gtin: value("labels-serial-gtin"), mode };
    const lot = value("labels-serial-lot");
    if (lot !== "") serials.lot = lot;
    serials.count = number(value("labels-serial-count"));
    if (mode === "range") {
      for (const [field, id] of [
        ["start", "labels-serial-start"],
        ["width", "labels-serial-width"],
      ]) {
        const text = value(id);
        if (text !== "") serials[field] = number(text);
      }
      const prefix = value("labels-serial-prefix");
      if (prefix !== "") serials.prefix = prefix;
    }
    return serials;
  };
  const syncSource = () => {
    const fromSerials = byId<HTMLInputElement>("labels-source-serials").checked;
    byId("labels-csv-field").hidden = fromSerials;
    byId("labels-serials-field").hidden = !fromSerials;
  };
  for (const id of ["labels-source-csv", "labels-source-serials"]) {
    byId(id).addEventListener("change", syncSource);
  }
  // The job's fields as the export takes them in the query of a text/csv request.
  const queryOf = (request: {
    export_type: string;
    file_format: string;
    asset_config?: object;
  }) => {
    const q = new URLSearchParams({
      export_type: request.export_type,
      file_format: request.file_format,
    });
    for (const [k, v] of Object.entries(request.asset_config ?? {})) q.set(k, String(v));
    return q.toString();
  };

  // Shows the CSV's first rows, each with the problems the export would report for it.
  async function previewCsv(): Promise<void> {
    const table = byId<HTMLTableElement>("csv-preview");
    const status = byId("csv-preview-status");
    const file = byId<HTMLInputElement>("labels-csv").files?.[0];
    table.hidden = true;
    status.textContent = "";
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
      status.textContent = await describeProblem(res);
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
  template.addEventListener("change", syncType);
  byId("labels-csv").addEventListener("change", () => void previewCsv());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
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
      error.textContent = await describeProblem(res);
      return;
    }
    await loadJobs();
  });
  void loadTemplates();
  void loadJobs();
}
