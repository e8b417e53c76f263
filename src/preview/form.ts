// The preview form: reads its controls into the API payload and shows validation issues next to
// the control they concern. Plain DOM; the ids of the controls are the payload's property names.
import type { Issue } from "../gs1/issues.js";

/** Text controls whose value is sent as a string; empty means "not given". */
const TEXT_FIELDS = ["gtin", "lot", "serial", "expiry"] as const;
/** Text controls holding numbers; empty means "use the API default". */
const NUMBER_FIELDS = ["xdim_mm", "quiet_zone"] as const;
/** Checkbox controls. */
const BOOLEAN_FIELDS = ["hri", "strict_expiry"] as const;
/** Every payload property the form has a control (and an error slot) for. */
export const FORM_FIELDS: readonly string[] = [
  ...TEXT_FIELDS,
  "shape",
  ...NUMBER_FIELDS,
  ...BOOLEAN_FIELDS,
];

/** Id of the element that shows issues not tied to one control (issue.field null or unknown). */
const FORM_ERROR_ID = "form-error";

function control<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the preview page has no #${id}`);
  return el as T;
}

/**
 * Returns the payload the form describes, in the HTTP body shape: gtin always (possibly ""),
 * lot/serial/expiry only when non-empty, numbers as numbers when they parse (otherwise the raw
 * text, so validation reports it exactly as the API would), checkboxes as booleans. Throws if
 * the page lacks one of the controls.
 */
export function readPayload(): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const id of TEXT_FIELDS) {
    const value = control<HTMLInputElement>(id).value;
    if (id === "gtin" || value !== "") payload[id] = value;
  }
  payload.shape = control<HTMLSelectElement>("shape").value;
  for (const id of NUMBER_FIELDS) {
    const text = control<HTMLInputElement>(id).value.trim();
    // Number("") is 0 and Number(" 1") is 1: only a strict decimal literal becomes a number.
    if (text !== "") payload[id] = /^[+-]?(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : text;
  }
  for (const id of BOOLEAN_FIELDS) payload[id] = control<HTMLInputElement>(id).checked;
  return payload;
}

/**
 * Shows each issue's message next to its control (`#<field>-error`, one message per line) and
 * marks that control aria-invalid; issues whose field is null or has no control go to the
 * form-level message. Clears every slot that has no issue. Only changed text is written, so the
 * aria-live regions announce a message once, not on every keystroke.
 */
export function showIssues(issues: readonly Issue[]): void {
  const byTarget = new Map<string, string[]>();
  for (const issue of issues) {
    const target = issue.field !== null && FORM_FIELDS.includes(issue.field) ? issue.field : null;
    const key = target ?? FORM_ERROR_ID;
    byTarget.set(key, [...(byTarget.get(key) ?? []), issue.message]);
  }
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
 * Fills the number controls' placeholders with the API defaults, so an empty control says what
 * it will mean. `defaults` maps a field id to its default; unknown ids throw.
 */
export function showDefaults(
  defaults: Partial<Record<(typeof NUMBER_FIELDS)[number], number>>,
): void {
  for (const [id, value] of Object.entries(defaults)) {
    control<HTMLInputElement>(id).placeholder = `default ${value}`;
  }
}
