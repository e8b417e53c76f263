// Validation problems found in a payload, and the error that carries all of them at once.

/**
 * One problem with one payload field. `field` is the payload property (e.g. "lot"), or null when
 * the problem concerns the payload as a whole (the lot-or-serial rule). `rule` is a stable,
 * machine-readable id (e.g. "missing", "string_type", "cset82", "csum", "yymmd0"); `position` is
 * the 1-based character position for character-level rules. `message` is a complete sentence
 * naming the field, the value and the rule.
 */
export interface Issue {
  field: string | null;
  value: unknown;
  rule: string;
  position?: number;
  message: string;
}

/** Thrown by encode()/render() when the payload breaks one or more rules; `issues` lists all. */
export class ValidationError extends Error {
  readonly issues: readonly Issue[];

  constructor(issues: readonly Issue[]) {
    if (issues.length === 0) throw new RangeError("ValidationError needs at least one issue");
    super(issues.map((i) => i.message).join(" "));
    this.name = "ValidationError";
    this.issues = issues;
  }
}
