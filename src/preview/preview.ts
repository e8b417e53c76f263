// Browser entry of the preview page. On every edit: form → payload → prepare() (the server's
// validation and WASM encoder; prepareQr() in the QR mode, the QR endpoint's) → drawSvg(pictureOfPrepared()), what the server's render() calls →
// <img>, with the element string, HRI, symbol size and physical size. Imports only isomorphic
// modules (no node:, no sharp); scripts/build-preview.mjs fails the build otherwise.

import { fetchSession, type Session } from "../dashboard/session-client.js";
import { readDigitalLink } from "../gs1/ai/digital-link-read.js";
import { ValidationError } from "../issues.js";
import { type Prepared, pictureOfPrepared, prepare } from "../prepare.js";
import { type PreparedQr, prepareQr } from "../prepare-qr.js";
import { formatDecimal } from "../render/format-number.js";
import { drawSvg } from "../render/svg.js";
import type { Format } from "../types.js";
import { API_PATH, fetchImage, loadApiKey, QR_API_PATH, saveApiKey, saveBlob } from "./download.js";
import {
  addAiRow,
  fillChoices,
  fillFromAis,
  readPayload,
  readSymbology,
  setText,
  showDefaults,
  showIssues,
  showSymbology,
} from "./form.js";

// The on-screen preview aims at about this width, in whole CSS pixels per module so that module
// edges fall on pixel boundaries (a crisp picture that a camera or decoder reads reliably).
const PREVIEW_WIDTH_PX = 320;

// drawSvg() gives the API's bytes (ASCII); the data: URL wants them as text.
const svgText = new TextDecoder();

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the preview page has no #${id}`);
  return el as T;
}

// Shows the element string with each GS drawn as a visible "<GS>" token: GS itself is
// invisible, and the Control Pictures glyph ␝ is missing from many fonts.
function showElementString(el: HTMLElement, elementString: string): void {
  if (el.dataset.value === elementString) return;
  el.dataset.value = elementString;
  el.replaceChildren();
  elementString.split("\x1d").forEach((part, i) => {
    if (i > 0) {
      const gs = document.createElement("span");
      gs.className = "gs";
      gs.title = "GS, the group separator (encoded as FNC1)";
      gs.textContent = "<GS>";
      el.append(gs);
    }
    el.append(part);
  });
}

// Whether a valid symbol has been shown yet (the invalid state then says it is stale).
let shown = false;

// One render pass; synchronous, since the encoder answers in microseconds.
function update(): void {
  const result = byId("result");
  let prepared: Prepared | PreparedQr;
  const qr = readSymbology() === "qr";
  try {
    // The QR mode runs the QR endpoint's own validation and encoder (prepare-qr.ts).
    prepared = qr ? prepareQr(readPayload()) : prepare(readPayload());
  } catch (err) {
    // Anything but a ValidationError is a bug, but the page still says so where users look.
    showIssues(
      err instanceof ValidationError
        ? err.issues
        : [
            {
              field: null,
              value: null,
              rule: "internal",
              message: `Unexpected error: ${String(err)}`,
            },
          ],
    );
    result.dataset.state = "invalid";
    setText(
      byId("stale-note"),
      shown ? "Not updated: the symbol shown is the last valid one." : "",
    );
    return;
  }
  showIssues([]);
  const { symbol, options } = prepared;
  const picture = pictureOfPrepared(prepared);
  const { layout } = picture;

  // A data: URL rather than inline markup: the <img> shows exactly these bytes (no re-
  // serialisation by the DOM, readable back from its src), and an SVG in an <img> never runs
  // script. Percent-encoding keeps any character intact; the SVG is a few KB at most.
  const img = byId<HTMLImageElement>("symbol-img");
  const pxPerModule = Math.max(2, Math.floor(PREVIEW_WIDTH_PX / layout.width));
  img.width = layout.width * pxPerModule;
  img.height = layout.height * pxPerModule;
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText.decode(drawSvg(picture)))}`;
  const name = qr ? "QR Code" : "GS1 DataMatrix";
  img.alt = `${name}, ${symbol.rows} by ${symbol.columns} modules, encoding ${symbol.hri}`;
  img.hidden = false;
  shown = true;

  const mm = (modules: number) => formatDecimal(modules * options.xdimMm, 2);
  showElementString(byId("element-string"), symbol.elementString);
  setText(byId("hri-text"), symbol.hri);
  const version =
    "version" in symbol && "level" in symbol ? `version ${symbol.version}-${symbol.level}, ` : "";
  setText(
    byId("symbol-size"),
    `${version}${symbol.rows} × ${symbol.columns} modules (rows × columns)`,
  );
  setText(
    byId("physical-size"),
    `${mm(symbol.columns)} × ${mm(symbol.rows)} mm (width × height) at X = ${options.xdimMm} mm; ` +
      `${mm(layout.width)} × ${mm(layout.height)} mm with the quiet zone` +
      (layout.lines.length > 0 ? " and HRI" : ""),
  );
  setText(byId("stale-note"), "");
  result.dataset.state = "ok";
}

// The paste box: a Digital Link read by the parse endpoint's rules (gs1/ai/digital-link-read.ts)
// fills the fields, or its errors say which segment breaks which rule. The form's own input
// listener renders afterwards, as for any edit.
function readPasted(): void {
  const url = byId<HTMLInputElement>("dl-paste").value.trim();
  const status = byId("dl-paste-status");
  if (url === "") {
    setText(status, "");
    return;
  }
  const reading = readDigitalLink(url);
  if (!reading.isValid) {
    setText(status, reading.errors.map((e) => `${e.segment}: ${e.message}`).join("\n"));
    return;
  }
  fillFromAis(reading.ais, update);
  const base = reading.baseUrl === null ? "" : ` (resolver ${reading.baseUrl})`;
  setText(status, `Read ${reading.ais.length} AIs${base}.`);
}

// The signed-in session, once known: downloads then use it instead of a pasted key.
let session: Session | null = null;

async function download(format: Format, button: HTMLButtonElement): Promise<void> {
  const status = byId("download-status");
  const key = byId<HTMLInputElement>("api-key").value.trim();
  if (session === null && key === "") {
    setText(status, "Paste an API key to download from the API.");
    byId("api-key").focus();
    return;
  }
  button.disabled = true;
  setText(status, `Requesting ${format.toUpperCase()}…`);
  try {
    const payload = readPayload();
    const auth = session === null ? { apiKey: key } : { csrfToken: session.csrfToken };
    const qr = readSymbology() === "qr";
    const answer = await fetchImage(payload, format, auth, qr ? QR_API_PATH : API_PATH);
    if (!answer.ok) {
      setText(status, answer.message);
      return;
    }
    const gtin = typeof payload.gtin === "string" ? payload.gtin.replace(/\D/g, "") : "";
    saveBlob(answer.blob, `gs1-${qr ? "qr" : "datamatrix"}-${gtin || "symbol"}.${format}`);
    setText(status, `Downloaded ${format.toUpperCase()} (${answer.blob.size} bytes).`);
  } finally {
    button.disabled = false;
  }
}

function start(): void {
  showDefaults();
  fillChoices();

  const form = byId<HTMLFormElement>("form");
  // Neither form is ever submitted (rendering is live, downloads are buttons): Enter in a field
  // must not navigate. Their controls have no name, so even a submission would carry nothing.
  for (const id of ["form", "download-form"]) {
    byId(id).addEventListener("submit", (event) => event.preventDefault());
  }
  // Registered before the form's listener, so the controls match the symbology when it renders.
  byId("symbology").addEventListener("input", () => showSymbology(readSymbology()));
  byId("dl-paste").addEventListener("input", readPasted);
  form.addEventListener("input", update);
  byId("add-ai").addEventListener("click", () => addAiRow(update).focus());

  const key = byId<HTMLInputElement>("api-key");
  key.value = loadApiKey();
  key.addEventListener("input", () => saveApiKey(key.value.trim()));
  document.querySelectorAll<HTMLButtonElement>("button[data-format]").forEach((button) => {
    button.addEventListener("click", () => void download(button.dataset.format as Format, button));
  });
  update();
  void fetchSession().then((signedIn) => {
    session = signedIn;
    if (signedIn === null) return;
    byId("api-key-field").hidden = true;
    byId("signed-out").hidden = true;
    setText(byId("signed-in-email"), signedIn.email);
    byId("signed-in").hidden = false;
  });
}

// The module script is deferred, so the DOM is parsed by the time this runs; the WASM glue's
// top-level await has resolved as well, since it is part of this bundle's module graph.
start();
