// POST /products/api/v1/digital-link/parse: {url} → what the GS1 Digital Link says, judged by
// src/gs1/ai/digital-link-read.ts. A URL that is not a valid Digital Link is a 200 with
// is_valid false (callers triage arbitrary scans); only a body without a usable `url` is a 422.
import type { Express, Request, RequestHandler, Response } from "express";
import { type DigitalLinkReading, readDigitalLink } from "../../gs1/ai/digital-link-read.js";
import { describeValue, ValidationError } from "../../issues.js";
import { DIGITAL_LINK_PARSE_PATH } from "../../types.js";
import { jsonBody } from "../middleware/json-body.js";
import { methodNotAllowed } from "../middleware/not-found.js";

export { DIGITAL_LINK_PARSE_PATH };

/** Longest accepted url, as published. */
export const MAX_URL_LENGTH = 4096;
/** Largest accepted body: the url and JSON escaping of it, with room. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Returns the response body for a reading: the published fields (is_valid, url, gtin, lot,
 * expiry, serial, raw_ais as {AI: value}) and this service's (primary_key, ais with titles,
 * element_string bracketed and with GS, base_url, ignored_query_params, errors).
 */
export function parseResponse(reading: DigitalLinkReading) {
  const value = (ai: string) => reading.ais.find((a) => a.ai === ai)?.value ?? null;
  return {
    is_valid: reading.isValid,
    url: reading.url,
    gtin: value("01"),
    lot: value("10"),
    expiry: value("17"),
    serial: value("21"),
    raw_ais: Object.fromEntries(reading.ais.map((a) => [a.ai, a.value])),
    primary_key: reading.primaryKey,
    ais: reading.ais,
    element_string: {
      bracketed: reading.bracketed,
      gs1: reading.elementString,
    },
    base_url: reading.baseUrl,
    ignored_query_params: reading.ignored,
    errors: reading.errors,
  };
}

/**
 * Adds the endpoint to `app`: POST passes `guards` (401/403 as for the image endpoints), then
 * needs a JSON body (415/413/400) whose `url` is a string of 1 to 4096 characters (else 422 on
 * url, rules string_type and length); `now` dates two-digit years; other methods get 405.
 */
export function mountDigitalLinkParse(
  app: Express,
  guards: readonly RequestHandler[],
  now: () => Date = () => new Date(),
): void {
  function parse(req: Request, res: Response): void {
    const body = req.body as unknown;
    const url =
      typeof body === "object" && body !== null && !Array.isArray(body)
        ? (body as Record<string, unknown>).url
        : undefined;
    if (typeof url !== "string") {
      throw new ValidationError([
        {
          field: "url",
          value: url ?? null,
          rule: "string_type",
          message: `url must be a string (the GS1 Digital Link URI); got ${describeValue(url)}.`,
        },
      ]);
    }
    if (url.length < 1 || url.length > MAX_URL_LENGTH) {
      throw new ValidationError([
        {
          field: "url",
          value: url.length > 100 ? `${url.slice(0, 100)}…` : url,
          rule: "length",
          message: `url must be 1 to ${MAX_URL_LENGTH} characters; got ${url.length}.`,
        },
      ]);
    }
    res.status(200).json(parseResponse(readDigitalLink(url, now())));
  }
  app
    .route(DIGITAL_LINK_PARSE_PATH)
    .post(...guards, jsonBody(MAX_BODY_BYTES), parse)
    .all(methodNotAllowed(["POST"]));
}
