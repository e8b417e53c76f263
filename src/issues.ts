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

/**
 * Most issues one payload reports. Past it a last issue (rule `too_many_issues`) says how many
 * more there were, so a body of 16,000 stray characters answers with a bounded list rather
 * than one entry per character.
 */
export const MAX_ISSUES = 100;

/** Returns the issue that stands for `more` unlisted ones (rule `too_many_issues`, value the count). */
export function tooManyIssues(more: number): Issue {
  return {
    field: null,
    value: more,
    rule: "too_many_issues",
    message: `${more} more ${more === 1 ? "problem is" : "problems are"} not listed; only the first ${MAX_ISSUES} are.`,
  };
}

/**
 * Returns `issues` with at most MAX_ISSUES ordinary entries, followed, when any were left out
 * (here or by a parser that stopped collecting), by one `too_many_issues` entry counting them
 * all. Returns `issues` itself when nothing needs capping.
 */
export function capIssues(issues: readonly Issue[]): readonly Issue[] {
  let more = 0;
  const listed: Issue[] = [];
  for (const issue of issues) {
    if (issue.rule === "too_many_issues") more += issue.value as number;
    else if (listed.length < MAX_ISSUES) listed.push(issue);
    else more++;
  }
  if (more === 0 && listed.length === issues.length) return issues;
  if (more > 0) listed.push(tooManyIssues(more));
  return listed;
}

/**
 * Thrown by encode()/render() when the payload breaks one or more rules; `issues` lists them
 * all, or the first MAX_ISSUES and a last entry counting the rest (capIssues).
 */
export class ValidationError extends Error {
  readonly issues: readonly Issue[];

  constructor(issues: readonly Issue[]) {
    if (issues.length === 0) throw new RangeError("ValidationError needs at least one issue");
    const capped = capIssues(issues);
    super(capped.map((i) => i.message).join(" "));
    this.name = "ValidationError";
    this.issues = capped;
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
