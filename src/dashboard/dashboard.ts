// The API-keys dashboard: lists the signed-in user's keys a page at a time, creates a key (shown
// once, with a copy button) and revokes one after confirmation, all through the Account API with
// the session cookie and its CSRF token.
import { startLabels } from "./labels.js";
import { CSRF_HEADER, describeProblem, fetchSession, type Session } from "./session-client.js";

const KEYS_URL = "/account/api/v1/api-keys/";
const PAGE_SIZE = 25;

interface KeyJson {
  id: number;
  name: string;
  prefix: string;
  /** The key's ends (csb_AbC1…9f3e), or its prefix alone for keys made before hints. */
  hint: string;
  status: "active" | "revoked" | "expired";
  created_at: string;
  expires_at: string | null;
  last_used: string | null;
  rate_limit_per_minute: number;
  rate_limit_per_day: number;
}

interface Page {
  data: KeyJson[];
  pagination: {
    page: number;
    total_count: number;
    total_pages: number;
    has_next: boolean;
    has_previous: boolean;
  };
}

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`the dashboard page lacks #${id}`);
  return el as T;
}

function when(iso: string | null): string {
  return iso === null ? "—" : iso.replace("T", " ").replace(/\.\d+Z$|Z$/, " UTC");
}

/** 10000 → "10,000": digits grouped by threes, the same in every browser locale. */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function cell(row: HTMLTableRowElement, text: string, className = ""): HTMLTableCellElement {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

async function main(): Promise<void> {
  const session = await fetchSession();
  if (session === null) {
    // Signed out meanwhile (expired, or signed out in another tab).
    location.assign("/account/login");
    return;
  }
  byId("who").textContent = `Signed in as ${session.email}`;
  byId<HTMLInputElement>("logout-csrf").value = session.csrfToken;
  startLabels(session);
  let page = 1;

  const pageError = byId("page-error");
  const send = (method: string, url: string, body?: unknown) =>
    fetch(url, {
      method,
      credentials: "same-origin",
      cache: "no-store",
      headers: {
        [CSRF_HEADER]: (session as Session).csrfToken,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  async function load(): Promise<void> {
    const res = await send("GET", `${KEYS_URL}?page=${page}&page_size=${PAGE_SIZE}`);
    if (!res.ok) {
      pageError.textContent = await describeProblem(res);
      return;
    }
    const { data, pagination } = (await res.json()) as Page;
    if (data.length === 0 && page > 1) {
      page = Math.max(1, pagination.total_pages);
      return load();
    }
    const tbody = byId<HTMLTableSectionElement>("keys-body");
    tbody.replaceChildren();
    for (const key of data) {
      const row = tbody.insertRow();
      row.dataset.status = key.status;
      row.dataset.keyId = String(key.id);
      const name = document.createElement("th");
      name.scope = "row";
      name.textContent = key.name;
      row.append(name);
      cell(row, key.hint, "mono");
      cell(row, key.status);
      cell(row, when(key.created_at));
      cell(row, when(key.expires_at));
      cell(row, when(key.last_used));
      cell(
        row,
        `${grouped(key.rate_limit_per_minute)}/min, ${grouped(key.rate_limit_per_day)}/day`,
      );
      const action = row.insertCell();
      if (key.status !== "revoked") {
        const revoke = document.createElement("button");
        revoke.type = "button";
        revoke.textContent = "Revoke";
        revoke.setAttribute("aria-label", `Revoke key ${key.name}`);
        revoke.addEventListener("click", () => void revokeKey(key));
        action.append(revoke);
      }
    }
    byId("keys-empty").hidden = pagination.total_count !== 0;
    byId("keys-table").hidden = pagination.total_count === 0;
    byId("keys-caption").textContent =
      `${grouped(pagination.total_count)} key${pagination.total_count === 1 ? "" : "s"}`;
    byId("page-info").textContent =
      pagination.total_pages > 1 ? `Page ${pagination.page} of ${pagination.total_pages}` : "";
    byId<HTMLButtonElement>("prev-page").disabled = !pagination.has_previous;
    byId<HTMLButtonElement>("next-page").disabled = !pagination.has_next;
    pageError.textContent = "";
  }

  async function revokeKey(key: KeyJson): Promise<void> {
    if (
      !confirm(
        `Revoke the key "${key.name}" (${key.hint})? Programs using it stop working at once.`,
      )
    )
      return;
    const res = await send("DELETE", `${KEYS_URL}${key.id}/`);
    if (res.status !== 204) pageError.textContent = await describeProblem(res);
    await load();
  }

  const form = byId<HTMLFormElement>("create-form");
  const nameInput = byId<HTMLInputElement>("key-name");
  const expiryInput = byId<HTMLInputElement>("key-expiry");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    for (const [input, error] of [
      [nameInput, "key-name-error"],
      [expiryInput, "key-expiry-error"],
    ] as const) {
      input.removeAttribute("aria-invalid");
      byId(error).textContent = "";
    }
    const body: Record<string, string> = { name: nameInput.value };
    if (expiryInput.value !== "") body.expires_at = expiryInput.value;
    const res = await send("POST", KEYS_URL, body);
    if (res.status !== 201) {
      const problem = (await res
        .clone()
        .json()
        .catch(() => ({}))) as {
        details?: { loc?: string[]; msg?: string }[];
      };
      let shown = false;
      for (const d of problem.details ?? []) {
        const field = d.loc?.[1];
        const input = field === "name" ? nameInput : field === "expires_at" ? expiryInput : null;
        if (input === null || !d.msg) continue;
        input.setAttribute("aria-invalid", "true");
        byId(`${input.id}-error`).textContent = d.msg;
        shown = true;
      }
      if (!shown) pageError.textContent = await describeProblem(res);
      return;
    }
    const created = (await res.json()) as { key: string };
    form.reset();
    const panel = byId("new-key-panel");
    byId<HTMLInputElement>("new-key").value = created.key;
    byId("copy-status").textContent = "";
    panel.hidden = false;
    panel.focus();
    page = 1;
    await load();
  });

  byId("copy-key").addEventListener("click", async () => {
    const input = byId<HTMLInputElement>("new-key");
    const status = byId("copy-status");
    try {
      await navigator.clipboard.writeText(input.value);
      status.textContent = "Copied.";
    } catch {
      input.select();
      status.textContent = "Select the key and copy it (Ctrl+C).";
    }
  });
  byId("prev-page").addEventListener("click", () => {
    page = Math.max(1, page - 1);
    void load();
  });
  byId("next-page").addEventListener("click", () => {
    page += 1;
    void load();
  });
  await load();
}

void main();
