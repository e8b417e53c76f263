// What `npm start` tells a person: where the service listens and, on the very first start, the
// key it created for them with a command that works as pasted.
import { DATAMATRIX_PATH } from "./routes/datamatrix.js";

/** Returns the URL clients use for a server listening on `host` at `port`. */
export function serverUrl(host: string, port: number): string {
  const shownHost = ["0.0.0.0", "::"].includes(host) ? "localhost" : host;
  return `http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${port}`;
}

/** The text shown once when the first key was created: the key and a ready curl command. */
export function firstKeyBanner(key: string, url: string): string {
  const body = JSON.stringify({ gtin: "09506000134352", lot: "ABC123", expiry: "270630" });
  return [
    "",
    "No API keys yet, so one was created. It is shown only this once; store it now:",
    "",
    `  ${key}`,
    "",
    "Try it:",
    "",
    `  curl -sS -X POST ${url}${DATAMATRIX_PATH} \\`,
    `    -H 'X-API-Key: ${key}' -H 'Content-Type: application/json' \\`,
    `    -d '${body}' -o datamatrix.svg`,
    "",
    "More keys: npm run keys -- create --name NAME",
    "",
  ].join("\n");
}
