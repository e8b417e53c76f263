// Cacheable image responses: a strong ETag over the bytes, 30-day public caching, and 304 Not
// Modified on a matching If-None-Match — on POST too, as the published API documents (RFC 9110
// §13.1.2 would answer 412 there; Express's req.fresh only handles GET/HEAD and weak tags).
import { hash } from "node:crypto";
import type { Request, Response } from "express";
import type { Clock } from "../clock.js";

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

/** Answers 304 Not Modified for `etag`: no body, ETag and Cache-Control only. */
export function sendNotModified(res: Response, etag: string): void {
  res.setHeader("ETag", etag);
  res.setHeader("Cache-Control", IMAGE_CACHE_CONTROL);
  res.statusCode = 304;
  res.end();
}

/**
 * Sends `body` as a cacheable 200 with Content-Type, Content-Length, ETag and Cache-Control, or,
 * when the request's If-None-Match matches the ETag, a bodiless 304 with ETag and
 * Cache-Control only. Returns the ETag. Call it only once the response is known to be a
 * success: errors are answered before it and so win over 304.
 */
export function sendCacheable(
  req: Request,
  res: Response,
  body: Buffer,
  contentType: string,
): string {
  const etag = strongEtag(body);
  if (ifNoneMatchHits(req.headers["if-none-match"], etag)) {
    sendNotModified(res, etag);
    return etag;
  }
  res.setHeader("ETag", etag);
  res.setHeader("Cache-Control", IMAGE_CACHE_CONTROL);
  res.setHeader("Content-Type", contentType);
  res.setHeader("Content-Length", body.length);
  res.statusCode = 200;
  res.end(body);
  return etag;
}

/**
 * Remembers the ETag of recently rendered request bodies so a revalidation (If-None-Match) of
 * one of them is answered 304 without validating and rendering again. Sound because rendering
 * is deterministic in the body's bytes; the one outside input, the current year (GS1 §7.12
 * century rule for expiry dates), is respected by forgetting everything when the UTC year
 * changes. Bounded: at most `capacity` entries, least recently used evicted first, and bodies
 * longer than `maxBodyLength` characters are not indexed.
 */
export class EtagIndex {
  readonly #tags = new Map<string, string>();
  readonly #capacity: number;
  readonly #maxBodyLength: number;
  readonly #clock: Clock;
  #yearEndsAt = Number.NEGATIVE_INFINITY;

  constructor(clock: Clock, capacity = 20_000, maxBodyLength = 1024) {
    this.#clock = clock;
    this.#capacity = capacity;
    this.#maxBodyLength = maxBodyLength;
  }

  /** Returns the ETag recorded for exactly this body text in the current UTC year, if any. */
  get(body: string): string | undefined {
    this.#checkYear();
    const etag = this.#tags.get(body);
    if (etag !== undefined) {
      // Re-insert to mark as most recently used (Map keeps insertion order).
      this.#tags.delete(body);
      this.#tags.set(body, etag);
    }
    return etag;
  }

  /** Records that `body` rendered to bytes whose ETag is `etag`. */
  set(body: string, etag: string): void {
    if (body.length > this.#maxBodyLength) return;
    this.#checkYear();
    this.#tags.delete(body);
    this.#tags.set(body, etag);
    if (this.#tags.size > this.#capacity) {
      this.#tags.delete(this.#tags.keys().next().value as string);
    }
  }

  /** Returns the number of bodies indexed. */
  get size(): number {
    return this.#tags.size;
  }

  #checkYear(): void {
    const now = this.#clock.now();
    if (now < this.#yearEndsAt) return;
    this.#tags.clear();
    this.#yearEndsAt = Date.UTC(new Date(now).getUTCFullYear() + 1, 0, 1);
  }
}
