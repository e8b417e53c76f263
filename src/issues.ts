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

/**
 * Describes a JSON value for an issue message: strings quoted ("the string \"x\""), other values
 * named by type ("the number 5", "null", "an array"). Shared by every validator, so all messages
 * read alike.
 */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "string":
      return `the string ${JSON.stringify(value)}`;
    case "number":
      return `the number ${value}`;
    case "boolean":
      return `the boolean ${value}`;
    case "object":
      return "an object";
    default:
      return `a value of type ${typeof value}`;
  }
}
