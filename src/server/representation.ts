// Conditional responses, one way for everything this service sends with an ETag (images, the
// OpenAPI document, the browser bundles): a strong ETag over the bytes and 304 Not Modified on a
// matching If-None-Match — on POST too, as the published API documents for images (RFC 9110
// §13.1.2 would answer 412 there; Express's req.fresh only handles GET/HEAD and weak tags).
import { hash } from "node:crypto";
import type { Request, Response } from "express";

/** The Cache-Control of every image response: deterministic output, cacheable for 30 days. */
export const IMAGE_CACHE_CONTROL = "public, max-age=2592000";

/**
 * Returns the strong ETag for `body`: the quoted base64url SHA-256 of the bytes. A pure
 * function of the bytes, so identical across requests, processes and restarts.
 */
export function strongEtag(body: Uint8Array): string {
  return `"${hash("sha256", body, "base64url")}"`;
}

/**
 * Returns true when the If-None-Match header value matches `etag` under the weak comparison
 * (RFC 9110 §13.1.2: W/"x" matches "x"): `*`, the tag alone, or the tag anywhere in a
 * comma-separated list. Malformed list members are skipped, never matched.
 */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header === etag) return true;
  let i = 0;
  const n = header.length;
  while (i < n) {
    const c = header.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x2c) {
      i++;
      continue;
    }
    if (c === 0x2a) return true; // "*" matches any current representation
    let start = i;
    if (header.startsWith("W/", i)) start = i + 2;
    if (header.charCodeAt(start) !== 0x22) {
      // Not an entity-tag: skip to the next comma.
      const comma = header.indexOf(",", i);
      i = comma < 0 ? n : comma + 1;
      continue;
    }
    const close = header.indexOf('"', start + 1);
    if (close < 0) return false;
    if (close - start + 1 === etag.length && header.startsWith(etag, start)) return true;
    i = close + 1;
  }
  return false;
}

/** Bytes ready to send conditionally: the body, its Content-Type and its strong ETag. */
export interface Representation {
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
}

/** Returns `body` as a Representation of `contentType`, its ETag computed once here. */
export function representation(body: Buffer, contentType: string): Representation {
  return { body, contentType, etag: strongEtag(body) };
}

/**
 * Sends `rep` with `cacheControl`: a bodiless 304 with ETag and Cache-Control when the request's
 * If-None-Match matches the ETag, else a 200 with Content-Type, Content-Length, ETag and
 * Cache-Control. Call it only once the response is known to be a success: errors are answered
 * before it and so win over 304. (Node drops the body of a HEAD.)
 */
export function sendRepresentation(
  req: Request,
  res: Response,
  rep: Representation,
  cacheControl: string,
): void {
  if (ifNoneMatchHits(req.headers["if-none-match"], rep.etag)) {
    sendNotModified(res, rep.etag, cacheControl);
    return;
  }
  res.setHeader("ETag", rep.etag);
  res.setHeader("Cache-Control", cacheControl);
  res.setHeader("Content-Type", rep.contentType);
  res.setHeader("Content-Length", rep.body.length);
  res.statusCode = 200;
  res.end(rep.body);
}

/** Sends a bodiless 304 with `etag` and `cacheControl` (what sendRepresentation does on a match). */
export function sendNotModified(res: Response, etag: string, cacheControl: string): void {
  res.setHeader("ETag", etag);
  res.setHeader("Cache-Control", cacheControl);
  res.statusCode = 304;
  res.end();
}
