// A string-keyed cache for the writers' per-page work (PDF page text, SVG document starts): a
// label run repeats a few page sizes and colours, and a request stream may bring any number, so
// the cache empties itself at a bound rather than growing. Browser-safe.

/** A Map from string keys that is emptied whenever a new entry would take it past `limit`. */
export class BoundedCache<V> {
  readonly #entries = new Map<string, V>();
  readonly #limit: number;

  /** Keeps at most `limit` (≥ 1) entries. */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Returns the value kept for `key`, or undefined. */
  get(key: string): V | undefined {
    return this.#entries.get(key);
  }

  /** Keeps `value` for `key` (emptying the cache first when it is full) and returns it. */
  set(key: string, value: V): V {
    if (this.#entries.size >= this.#limit) this.#entries.clear();
    this.#entries.set(key, value);
    return value;
  }

  /** The number of entries kept. */
  get size(): number {
    return this.#entries.size;
  }
}
