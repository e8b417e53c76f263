// Compiled (never run) by test/request-schema.test.ts: DataMatrixPayload, derived from
// REQUEST_FIELDS, must accept what the README's field table publishes and refuse the rest. Every
// expect-error directive below marks a refusal the compiler must make (an unused one is an error).
import type { DataMatrixPayload } from "../../src/request-schema.js";

// The README's curl example and the element_string form.
export const published: DataMatrixPayload = {
  gtin: "00012345678905",
  lot: "LOT-A001",
  serial: "SN-0001",
  expiry: "270630",
  format: "png",
};
export const bracketed: DataMatrixPayload = {
  element_string: "(01)09506000134352(17)270630(10)ABC123",
};
// Every field of the table, each at a value the README allows; nullable ones as null.
export const everyField: DataMatrixPayload = {
  gtin: "09506000134352",
  lot: null,
  serial: null,
  expiry: null,
  production_date: "260101",
  ais: { "7003": "2706301200" },
  element_string: null,
  strict_expiry: true,
  data_format: "digital_link",
  dl_base_url: "https://example.com",
  format: "pdf",
  shape: "dmre",
  xdim_mm: 0.5,
  quiet_zone: 4,
  dpi: 600,
  dark_color: "#000",
  light_color: "#fff",
  hri: true,
  hri_titles: false,
};

// @ts-expect-error gtin or element_string is required
export const neither: DataMatrixPayload = { lot: "A" };
// @ts-expect-error a GTIN is a string, not a number
export const numericGtin: DataMatrixPayload = { gtin: 9506000134352 };
// @ts-expect-error gif is not a format
export const gif: DataMatrixPayload = { gtin: "09506000134352", format: "gif" };
// @ts-expect-error eps is a QR format only
export const eps: DataMatrixPayload = { gtin: "09506000134352", format: "eps" };
// @ts-expect-error round is not a shape
export const round: DataMatrixPayload = { gtin: "09506000134352", shape: "round" };
// @ts-expect-error data_format is element_string or digital_link
export const uri: DataMatrixPayload = { gtin: "09506000134352", data_format: "uri" };
// @ts-expect-error strict_expiry is a boolean, not null
export const nullStrict: DataMatrixPayload = { gtin: "09506000134352", strict_expiry: null };
// @ts-expect-error ais holds strings only
export const numericAi: DataMatrixPayload = { gtin: "09506000134352", ais: { "3103": 195 } };
// @ts-expect-error a misspelt field is refused in an object literal
export const misspelt: DataMatrixPayload = { gtin: "09506000134352", lott: "A" };
