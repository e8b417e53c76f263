// The preview form: reads its controls into the API payload and shows validation issues next to
// the control they concern. Plain DOM; the ids of the controls are the payload's property names.
import type { Issue } from "../issues.js";
import { type FieldSpec, QR_REQUEST_FIELDS, REQUEST_FIELDS } from "../request-schema.js";

/** The symbologies the page draws: the DataMatrix endpoint's, or the QR endpoint's. */
export type Symbology = "datamatrix" | "qr";

// A field of either request description (QR adds error_correction; the shared ones are the
// DataMatrix table's, with QR's own defaults looked up where they differ).
function field(name: string, symbology: Symbology = "datamatrix"): FieldSpec {
  const tables =
    symbology === "qr" ? [QR_REQUEST_FIELDS, REQUEST_FIELDS] : [REQUEST_FIELDS, QR_REQUEST_FIELDS];
  for (const table of tables) {
    const spec = table.find((f) => f.name === name);
    if (spec) return spec;
  }
  throw new RangeError(`no request field ${JSON.stringify(name)}`);
}

/** Fields only one symbology takes: they are left out of the other's payload. */
const ONLY: Readonly<Record<string, Symbology>> = { shape: "datamatrix", error_correction: "qr" };

/**
 * The payload fields the form has a control for, by id (the rest keep their API defaults: the
 * preview draws SVG, and element_string, dl_base_url, format, dpi and the colours are the
 * API's). Each control's kind comes from the request description (request-schema.ts).
 */
const SHOWN = [
  "gtin",
  "lot",
  "serial",
  "expiry",
  "production_date",
  "shape",
  "error_correction",
  "data_format",
  "xdim_mm",
  "quiet_zone",
  "hri",
  "hri_titles",
  "strict_expiry",
] as const;

type Kind = "text" | "number" | "checkbox" | "select";
// An enum is a select, a boolean a checkbox, a number a text control read as a number.
function kindOf(name: string): Kind {
  const spec = field(name);
  if (spec.enum) return "select";
  if (spec.type === "boolean") return "checkbox";
  return spec.type === "number" || spec.type === "integer" ? "number" : "text";
}
const ofKind = (kind: Kind) => SHOWN.filter((name) => kindOf(name) === kind);

/** Text controls whose value is sent as a string; empty means "not given". */
const TEXT_FIELDS = ofKind("text");
/** Text controls holding numbers; empty means "use the API default". */
const NUMBER_FIELDS = ofKind("number");
/** Checkbox controls. */
const BOOLEAN_FIELDS = ofKind("checkbox");
/** Select controls, filled with the field's enum by fillChoices. */
const SELECT_FIELDS = ofKind("select");
/** Every payload property the form has a control (and an error slot) for. */
export const FORM_FIELDS: readonly string[] = [
  ...TEXT_FIELDS,
  ...SELECT_FIELDS,
  ...NUMBER_FIELDS,
  ...BOOLEAN_FIELDS,
];

// What each choice of a select reads as, keyed by the request description's enums; a value
// without a label here shows as itself.
const CHOICE_LABELS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  data_format: {
    element_string: "GS1 element string (]d2, QR ]Q3)",
    digital_link: "GS1 Digital Link URI (]d1, QR ]Q1)",
  },
  error_correction: {
    L: "L (7 %)",
    M: "M (15 %, default)",
    Q: "Q (25 %)",
    H: "H (30 %)",
  },
  shape: {
    square: "Square (GS1 default)",
    rectangle: "Rectangle",
    dmre: "Rectangle incl. DMRE",
    auto: "Smallest area",
  },
};

/**
 * Fills every select with its field's enum from the request description, so the form offers
 * exactly what the API accepts, in its order, with the field's default selected.
 */
export function fillChoices(): void {
  for (const name of SELECT_FIELDS) {
    const select = control<HTMLSelectElement>(name);
    const spec = field(name);
    for (const value of spec.enum ?? []) {
      select.append(new Option(CHOICE_LABELS[name]?.[value] ?? value, value));
    }
    if (typeof spec.default === "string") select.value = spec.default;
  }
}

let aiRowCount = 0;

/**
 * Adds a row for one further AI (an AI input, a value input, a remove button and an error slot)
 * and returns the AI input, focused by the caller. `onChange` runs after any edit or removal.
 */
export function addAiRow(onChange: () => void, ai = "", value = ""): HTMLInputElement {
  const n = ++aiRowCount;
  const row = document.createElement("div");
  row.className = "ai-row";
  row.dataset.row = String(n);
  const aiInput = input(`ai-${n}`, "AI", ai, "numeric");
  const valueInput = input(`ai-value-${n}`, "Value", value);
  const error = document.createElement("p");
  error.className = "error";
  error.id = `ai-${n}-error`;
  error.setAttribute("aria-live", "polite");
  aiInput.input.setAttribute("aria-describedby", error.id);
  valueInput.input.setAttribute("aria-describedby", error.id);
  const remove = document.createElement("button");
  remove.type = "button";
  remove.textContent = "Remove";
  remove.setAttribute("aria-label", `Remove AI row ${n}`);
  remove.addEventListener("click", () => {
    row.remove();
    onChange();
    control("add-ai").focus();
  });
  row.append(aiInput.wrap, valueInput.wrap, remove, error);
  control("ais-rows").append(row);
  return aiInput.input;
}

function input(id: string, label: string, value: string, mode?: string) {
  const wrap = document.createElement("div");
  const l = document.createElement("label");
  l.htmlFor = id;
  l.textContent = label;
  const i = document.createElement("input");
  i.type = "text";
  i.id = id;
  i.spellcheck = false;
  i.value = value;
  if (mode) i.inputMode = mode;
  wrap.append(l, i);
  return { wrap, input: i };
}

// The named fields' AIs, as the payload maps them (src/gs1/payload.ts NAMED_FIELDS).
const NAMED_AIS: Readonly<Record<string, string>> = {
  "01": "gtin",
  "10": "lot",
  "21": "serial",
  "17": "expiry",
  "11": "production_date",
};

/**
 * Puts the AIs of a read Digital Link into the form: the named fields into their controls
 * (emptied when absent), every other AI into a fresh AI row (existing rows removed); `onChange`
 * is what the AI rows call on later edits. Does not render: the caller does.
 */
export function fillFromAis(
  ais: readonly { ai: string; value: string }[],
  onChange: () => void,
): void {
  for (const name of Object.values(NAMED_AIS)) control<HTMLInputElement>(name).value = "";
  for (const row of Array.from(control("ais-rows").querySelectorAll(".ai-row"))) row.remove();
  for (const { ai, value } of ais) {
    const name = NAMED_AIS[ai];
    if (name) control<HTMLInputElement>(name).value = value;
    else addAiRow(onChange, ai, value);
  }
}

/** The AI rows as [row number, AI, value], skipping rows left empty. */
function aiRows(): [string, string, string][] {
  const rows: [string, string, string][] = [];
  for (const row of Array.from(control("ais-rows").querySelectorAll<HTMLElement>(".ai-row"))) {
    const n = row.dataset.row ?? "";
    const ai = control<HTMLInputElement>(`ai-${n}`).value.trim();
    const value = control<HTMLInputElement>(`ai-value-${n}`).value;
    if (ai !== "" || value !== "") rows.push([n, ai, value]);
  }
  return rows;
}

/** Id of the element that shows issues not tied to one control (issue.field null or unknown). */
const FORM_ERROR_ID = "form-error";

function control<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the preview page has no #${id}`);
  return el as T;
}

/**
 * Returns the payload the form describes, in the HTTP body shape of the chosen symbology's
 * endpoint: gtin always (possibly ""), lot/serial/expiry only when non-empty, numbers as numbers
 * when they parse (otherwise the raw text, so validation reports it exactly as the API would),
 * checkboxes as booleans; shape for DataMatrix only, error_correction for QR only. Throws if
 * the page lacks one of the controls.
 */
export function readPayload(): Record<string, unknown> {
  const symbology = readSymbology();
  const payload: Record<string, unknown> = {};
  for (const id of TEXT_FIELDS) {
    const value = control<HTMLInputElement>(id).value;
    if (id === "gtin" || value !== "") payload[id] = value;
  }
  for (const id of SELECT_FIELDS) payload[id] = control<HTMLSelectElement>(id).value;
  const rows = aiRows();
  if (rows.length > 0) payload.ais = Object.fromEntries(rows.map(([, ai, value]) => [ai, value]));
  for (const id of NUMBER_FIELDS) {
    const text = control<HTMLInputElement>(id).value.trim();
    // Number("") is 0 and Number(" 1") is 1: only a strict decimal literal becomes a number.
    if (text !== "") payload[id] = /^[+-]?(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : text;
  }
  for (const id of BOOLEAN_FIELDS) payload[id] = control<HTMLInputElement>(id).checked;
  for (const [name, only] of Object.entries(ONLY)) if (only !== symbology) delete payload[name];
  return payload;
}

/** Returns the symbology the form's first control chooses. */
export function readSymbology(): Symbology {
  return control<HTMLSelectElement>("symbology").value === "qr" ? "qr" : "datamatrix";
}

/**
 * Shows the controls of `symbology` (shape for DataMatrix, error correction for QR) and sets
 * the controls whose default differs between the two (data_format, quiet_zone's placeholder) to
 * that symbology's default.
 */
export function showSymbology(symbology: Symbology): void {
  control("shape")
    .closest<HTMLElement>(".field")
    ?.toggleAttribute("hidden", symbology === "qr");
  control("error_correction-field").hidden = symbology !== "qr";
  const dataFormat = field("data_format", symbology).default;
  if (typeof dataFormat === "string") control<HTMLSelectElement>("data_format").value = dataFormat;
  for (const name of NUMBER_FIELDS) {
    control<HTMLInputElement>(name).placeholder = placeholderOf(name, symbology);
  }
}

function placeholderOf(name: string, symbology: Symbology): string {
  const value = field(name, symbology).default;
  return value === undefined ? "" : `default ${value}`;
}

/**
 * Shows each issue's message next to its control (`#<field>-error`, one message per line) and
 * marks that control aria-invalid; issues whose field is null or has no control go to the
 * form-level message. Clears every slot that has no issue. Only changed text is written, so the
 * aria-live regions announce a message once, not on every keystroke.
 */
export function showIssues(issues: readonly Issue[]): void {
  const byTarget = new Map<string, string[]>();
  // An issue at "ais.<AI>" goes to the row holding that AI (the first, if several do).
  const rowOfAi = new Map<string, string>();
  for (const [n, ai] of aiRows()) if (!rowOfAi.has(ai)) rowOfAi.set(ai, `ai-${n}`);
  for (const issue of issues) {
    let key = FORM_ERROR_ID;
    if (issue.field !== null && FORM_FIELDS.includes(issue.field)) key = issue.field;
    else if (issue.field?.startsWith("ais.")) key = rowOfAi.get(issue.field.slice(4)) ?? "ais";
    else if (issue.field === "ais") key = "ais";
    byTarget.set(key, [...(byTarget.get(key) ?? []), issue.message]);
  }
  for (const row of Array.from(control("ais-rows").querySelectorAll<HTMLElement>(".ai-row"))) {
    const id = `ai-${row.dataset.row}`;
    const messages = byTarget.get(id);
    setText(control(`${id}-error`), messages?.join("\n") ?? "");
    control(id).setAttribute("aria-invalid", messages ? "true" : "false");
    control(`ai-value-${row.dataset.row}`).setAttribute(
      "aria-invalid",
      messages ? "true" : "false",
    );
  }
  setText(control("ais-error"), byTarget.get("ais")?.join("\n") ?? "");
  for (const field of FORM_FIELDS) {
    const messages = byTarget.get(field);
    setText(control(`${field}-error`), messages?.join("\n") ?? "");
    control(field).setAttribute("aria-invalid", messages ? "true" : "false");
  }
  setText(control(FORM_ERROR_ID), byTarget.get(FORM_ERROR_ID)?.join("\n") ?? "");
}

/** Sets `el`'s text only if it differs (a rewrite of equal text re-announces in some readers). */
export function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/**
 * Sets every control the request description gives a default to it: number controls show it as
 * their placeholder, so an empty control says what it will mean; checkboxes start at it.
 */
export function showDefaults(): void {
  for (const name of NUMBER_FIELDS) {
    control<HTMLInputElement>(name).placeholder = placeholderOf(name, "datamatrix");
  }
  for (const name of BOOLEAN_FIELDS) {
    control<HTMLInputElement>(name).checked = field(name).default === true;
  }
}
