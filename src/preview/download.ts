// Downloads through the HTTP API, signed in (the session cookie plus its CSRF token) or with the
// key the user pasted. The key lives in this tab's sessionStorage (so a reload keeps it, closing
// the tab drops it) and travels only in the X-API-Key header, never in a URL.
import { CSRF_HEADER, describeProblem } from "../dashboard/session-client.js";
import { DATAMATRIX_PATH, type Format, QR_PATH } from "../types.js";

/** The API endpoint, on the page's own origin. */
export const API_PATH = DATAMATRIX_PATH;
/** The QR endpoint, for the page's QR mode. */
export const QR_API_PATH = QR_PATH;

const STORAGE_KEY = "gs1-datamatrix-preview.api-key";

/** Returns the key saved in this tab, or "" (also when storage is unavailable, e.g. disabled). */
export function loadApiKey(): string {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? "";
  } catch {
    return "";
  }
}

/** Saves `key` for this tab, or forgets it when empty. Storage failures leave it in memory only. */
export function saveApiKey(key: string): void {
  try {
    if (key === "") sessionStorage.removeItem(STORAGE_KEY);
    else sessionStorage.setItem(STORAGE_KEY, key);
  } catch {
    // Storage disabled or full: the key still works from the input for this page view.
  }
}

/** What a download attempt produced: a file, or a sentence explaining why not. */
export type DownloadResult = { ok: true; blob: Blob } | { ok: false; message: string };

/** How a download authenticates: a pasted API key, or the signed-in session's CSRF token. */
export type DownloadAuth = { apiKey: string } | { csrfToken: string };

/**
 * POSTs `payload` with `format` to the API (`path`, default the DataMatrix endpoint) and returns
 * the image, or a message built from the RFC 9457 problem body (title, detail and each
 * details[].msg) or the network error. Never throws; never logs the key.
 */
export async function fetchImage(
  payload: Record<string, unknown>,
  format: Format,
  auth: DownloadAuth,
  path: string = API_PATH,
): Promise<DownloadResult> {
  const credential: Record<string, string> =
    "apiKey" in auth ? { "X-API-Key": auth.apiKey } : { [CSRF_HEADER]: auth.csrfToken };
  let res: Response;
  try {
    res = await fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", ...credential },
      body: JSON.stringify({ ...payload, format }),
      cache: "no-store",
    });
  } catch (err) {
    return { ok: false, message: `The API could not be reached (${String(err)}).` };
  }
  if (res.ok) return { ok: true, blob: await res.blob() };
  return { ok: false, message: await describeProblem(res) };
}

/** Offers `blob` to the user as a file named `filename` (a transient blob: link, then revoked). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  // The click starts the download asynchronously; revoking at once can cancel it in Chromium.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
