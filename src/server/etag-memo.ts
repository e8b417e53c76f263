// What a 304 needs without rendering: the ETag each request body was last answered with. Output
// is deterministic (the same body and configuration give the same bytes), so a body seen before
// has the same ETag now, and a revalidation that matches it is answered from here. Bounded by
// the characters it keeps, oldest entries dropped first; emptied when the UTC year changes,
// because validation resolves two-digit years against the current one (gs1/date.ts), so a body
// accepted this year could be refused in the next.

/** Characters of request bodies kept by default: 16 Mi, some 80,000 typical GS1 payloads. */
export const DEFAULT_MEMO_CHARS = 16 * 1024 * 1024;
/** Longer bodies are not kept: a GS1 payload with every option is well under this. */
export const MAX_MEMO_BODY_CHARS = 2048;

/** A bounded map from a request's body text to the strong ETag of its response. */
export class EtagMemo {
  readonly #etags = new Map<string, string>();
  readonly #limit: number;
  #chars = 0;
  /** The start of the next UTC year (ms): entries older than it were judged in another year. */
  #yearEnds = 0;

  /** Keeps at most `limitChars` characters of request bodies (plus their ETags). */
  constructor(limitChars = DEFAULT_MEMO_CHARS) {
    this.#limit = limitChars;
  }

  /** Returns the ETag `body` was last answered with, or undefined; `now` is Date.now(). */
  get(body: string, now = Date.now()): string | undefined {
    if (now >= this.#yearEnds) this.#startYear(now);
    return this.#etags.get(body);
  }

  /** Records that `body` was answered with `etag`, dropping the oldest entries past the limit. */
  set(body: string, etag: string, now = Date.now()): void {
    if (body.length > MAX_MEMO_BODY_CHARS) return;
    if (now >= this.#yearEnds) this.#startYear(now);
    if (this.#etags.has(body)) return;
    this.#etags.set(body, etag);
    this.#chars += body.length + etag.length;
    for (const [oldest, tag] of this.#etags) {
      if (this.#chars <= this.#limit) break;
      this.#etags.delete(oldest);
      this.#chars -= oldest.length + tag.length;
    }
  }

  /** The number of bodies kept. */
  get size(): number {
    return this.#etags.size;
  }

  #startYear(now: number): void {
    this.#etags.clear();
    this.#chars = 0;
    this.#yearEnds = Date.UTC(new Date(now).getUTCFullYear() + 1, 0, 1);
  }
}
