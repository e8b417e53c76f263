// Validation of AI element strings against the GS1 Barcode Syntax Dictionary: each value on its
// own (format, character set, linters) and the set of AIs of one symbol together (repeats, req=
// and ex= attributes), as GS1 General Specifications §3 and §4.14 and the dictionary define them.
//
// Issue.field is a dotted path the HTTP layer splits into `loc`: the default "ais.7003" becomes
// ["body", "ais", "7003"]. AIs are digits only, so the split is never ambiguous.
import type { Issue } from "../../issues.js";
import { LINTERS, type LintContext, type Linter, UNSUPPORTED_LINTERS } from "../linters/index.js";
import { hasSurrogate } from "./element-string.js";
import { aiEntry, matchesAiPattern } from "./lookup.js";
import type { AiComponent, AiElement, AiEntry, IssueSource } from "./types.js";

export type { IssueSource } from "./types.js";

/** Returns the default Issue.field of AI `ai`: "ais.<ai>", e.g. "ais.7003". */
export function aiField(ai: string): string {
  return `ais.${ai}`;
}

/** The linter implied by each component charset (GS1 General Specifications Figures 7.11-1 to 3). */
export const CHARSET_LINTERS = { N: "csetnumeric", X: "cset82", Y: "cset39", Z: "cset64" } as const;

/**
 * Returns every problem of `value` as the value of AI `ai`, [] when there is none. Rules
 * (Issue.rule):
 * - `unknown_ai`: `ai` is not 2 to 4 digits or not in the dictionary; the only issue then.
 * - `unsupported_linter`: a linter of the AI's format cannot be run here (UNSUPPORTED_LINTERS,
 *   or missing from LINTERS); the AI is refused, one issue per such linter.
 * - `length`: the value's length (in code points) is not one the format allows, e.g. 6 for
 *   "N6 N4"; the message gives the format and the allowed lengths.
 * - the charset linter (`csetnumeric`, `cset82`, `cset39`, `cset64`) or a content linter
 *   (`csum`, `yymmd0`, ...) by name, with Issue.position at the fault, for each component.
 *   Content linters run only on components of the right length and character set, and not at
 *   all when the whole length is wrong (the components would be cut in the wrong places).
 * Components are cut from the value in order, each fixed one taking its length and the last the
 * rest; optional components are left out once the value is exhausted. `context.now` is the date
 * two-digit years are judged from (default: the current date).
 */
export function validateElement(
  ai: string,
  value: string,
  source: IssueSource = {},
  context: LintContext = {},
): Issue[] {
  const entry = aiEntry(ai);
  if (!entry) {
    const at = resolve(ai, value, source);
    const why = /^[0-9]{2,4}$/.test(ai)
      ? `AI (${ai}) is not in the GS1 Barcode Syntax Dictionary`
      : `${JSON.stringify(ai)} is not an AI: an AI is 2 to 4 digits`;
    return [at.issue("unknown_ai", `${why} (rule unknown_ai).`, at.whole)];
  }
  const issues: Issue[] = [];
  const { name, unsupported, lengths, checks } = planOf(entry);

  for (const linter of unsupported) {
    const at = resolve(ai, value, source);
    const why = Object.hasOwn(UNSUPPORTED_LINTERS, linter)
      ? UNSUPPORTED_LINTERS[linter]
      : "it is not implemented";
    issues.push(
      at.issue(
        "unsupported_linter",
        `${name} cannot be accepted: its linter ${linter} cannot be run here (${why}) ` +
          "(rule unsupported_linter).",
        at.whole,
      ),
    );
  }

  // Lengths and positions count code points; a value without surrogates (nearly all) is cut as
  // it stands, without splitting it into an array first.
  const chars = hasSurrogate(value) ? Array.from(value) : value;
  let lengthOk = false;
  for (const [lo, hi] of lengths) if (chars.length >= lo && chars.length <= hi) lengthOk = true;
  if (!lengthOk) {
    const at = resolve(ai, value, source);
    issues.push(
      at.issue(
        "length",
        `${name}: value ${JSON.stringify(value)} is ${characters(chars.length)} long, but format ` +
          `${describeFormat(entry.components)} takes ${describeLengths(entry.components)} (rule length).`,
        at.whole,
      ),
    );
  }

  // Plain loops, no closure per component, and where an issue points worked out only for an
  // issue: validation runs on every request and nearly every value passes.
  const components = entry.components;
  let offset = 0;
  for (let k = 0; k < components.length && offset < chars.length; k++) {
    const component = components[k];
    const take = Math.min(component.max, chars.length - offset);
    const part =
      typeof chars === "string"
        ? chars.slice(offset, offset + take)
        : chars.slice(offset, offset + take).join("");
    const { charset, content } = checks[k];
    const componentIndex = components.length > 1 ? k : -1;
    const charsetOk = lintPart(
      charset,
      part,
      context,
      issues,
      ai,
      value,
      source,
      name,
      componentIndex,
      offset,
    );
    if (charsetOk && lengthOk && take >= component.min) {
      for (const linter of content) {
        lintPart(linter, part, context, issues, ai, value, source, name, componentIndex, offset);
      }
    }
    offset += take;
  }
  return issues;
}

// Runs `linter` on `part` (component `k`, -1 for a single-component value, starting at `offset`
// in the value) and adds its fault to `issues` as an issue; returns whether it passed. A linter
// that cannot run passes here (validateElement refuses its AI as unsupported_linter).
function lintPart(
  linter: PlannedLinter,
  part: string,
  context: LintContext,
  issues: Issue[],
  ai: string,
  value: string,
  source: IssueSource,
  name: string,
  k: number,
  offset: number,
): boolean {
  const fault = linter.run ? linter.run(part, context) : null;
  if (!fault) return true;
  const at = resolve(ai, value, source);
  const what = k >= 0 ? `component ${k + 1}` : "value";
  issues.push(
    at.issue(
      linter.name,
      `${name}: ${what} ${JSON.stringify(part)} at position ${fault.position}: ` +
        `${sentence(fault.detail)} (rule ${linter.name}).`,
      at.position(offset + fault.position),
    ),
  );
  return false;
}

/**
 * Returns every problem of `elements` as the AIs of one symbol (or of all symbols on one item),
 * [] when there is none; values are not looked at (validateElement does that). `sourceOf` says
 * where each element's issues point (default: field `ais.<ai>`). Unknown AIs are skipped.
 * Rules (Issue.rule), each reported on the element that carries the attribute:
 * - `repeated_ai`: an AI appears again (reported on each later occurrence).
 * - `req`: none of the AI's req= alternatives is complete among the other AIs, e.g. (10) without
 *   (01), (02), (03), (8006) or (8026); (250) needs (01) with (21), or (03) or (8006) with (21).
 *   Patterns such as "35nn" match any AI of that shape.
 * - `ex`: an AI listed (or matched by a pattern) in the AI's ex= is present, e.g. (21) with
 *   (235), or two AIs of one family such as (3102) with (3103) from "ex=310n". An AI never
 *   excludes itself; each excluded pair is reported once.
 */
export function validateCombination(
  elements: readonly AiElement[],
  sourceOf: (element: AiElement, index: number) => IssueSource = noSource,
): Issue[] {
  const issues: Issue[] = [];
  // Plain loops over a handful of AIs, no closure or Set per element: this runs on every
  // request. The same checks, in the same order, as a filter/some formulation.
  const present: string[] = [];
  for (const e of elements) if (!present.includes(e.ai)) present.push(e.ai);
  const seen: string[] = [];
  let reportedPairs: Set<string> | undefined;

  for (let index = 0; index < elements.length; index++) {
    const element = elements[index];
    const entry = aiEntry(element.ai);
    if (!entry) continue;
    if (seen.includes(element.ai)) {
      reportCombination(
        issues,
        element,
        index,
        entry,
        sourceOf,
        "repeated_ai",
        "appears more than once; each AI may appear only once",
      );
      continue;
    }
    seen.push(element.ai);

    if (entry.req.length > 0 && !anyGroupPresent(entry.req, present, element.ai)) {
      const alternatives = entry.req.map((group) => group.map((p) => `(${p})`).join(" with "));
      reportCombination(
        issues,
        element,
        index,
        entry,
        sourceOf,
        "req",
        `requires AI ${joinOr(alternatives)} as well`,
      );
    }

    if (entry.ex.length === 0) continue;
    for (const ai of present) {
      if (ai === element.ai || !matchesAny(ai, entry.ex)) continue;
      const pair = [element.ai, ai].sort().join("+");
      reportedPairs ??= new Set();
      if (reportedPairs.has(pair)) continue;
      reportedPairs.add(pair);
      const other = aiEntry(ai);
      reportCombination(
        issues,
        element,
        index,
        entry,
        sourceOf,
        "ex",
        `may not be used with ${other ? label(other) : `AI (${ai})`}`,
      );
    }
  }
  return issues;
}

function noSource(): IssueSource {
  return {};
}

// Some group of `groups` present (see groupPresent).
function anyGroupPresent(
  groups: readonly (readonly string[])[],
  present: readonly string[],
  self: string,
): boolean {
  for (const group of groups) if (groupPresent(group, present, self)) return true;
  return false;
}

// Every pattern of `group` matched by one of `present` other than `self`.
function groupPresent(group: readonly string[], present: readonly string[], self: string): boolean {
  for (const pattern of group) {
    let found = false;
    for (const ai of present) {
      if (ai !== self && matchesAiPattern(ai, pattern)) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

function matchesAny(ai: string, patterns: readonly string[]): boolean {
  for (const pattern of patterns) if (matchesAiPattern(ai, pattern)) return true;
  return false;
}

// One issue of validateCombination about `element`: where it points is only worked out here.
function reportCombination(
  issues: Issue[],
  element: AiElement,
  index: number,
  entry: AiEntry,
  sourceOf: (element: AiElement, index: number) => IssueSource,
  rule: string,
  message: string,
): void {
  const at = resolve(element.ai, element.value, sourceOf(element, index));
  issues.push(at.issue(rule, `${planOf(entry).name} ${message} (rule ${rule}).`, at.whole));
}

// What validateElement needs of an entry on every call, worked out once per AI: validation runs
// on every request, the dictionary never changes while the process runs.
interface EntryPlan {
  name: string;
  /** The linters the entry names that cannot be run here (none today). */
  unsupported: readonly string[];
  lengths: readonly [number, number][];
  /** Per component: its charset linter and its content linters, looked up once. */
  checks: readonly { charset: PlannedLinter; content: readonly PlannedLinter[] }[];
}
/** A linter by its dictionary name, with its function (null when it cannot be run here). */
interface PlannedLinter {
  name: string;
  run: Linter | null;
}
const PLANS = new Map<AiEntry, EntryPlan>();

function planOf(entry: AiEntry): EntryPlan {
  let plan = PLANS.get(entry);
  if (!plan) {
    const named = new Set(entry.components.flatMap((c) => c.linters));
    const planned = (name: string): PlannedLinter => ({
      name,
      run: runnable(name) ? LINTERS[name] : null,
    });
    plan = {
      name: label(entry),
      unsupported: [...named].filter((linter) => !runnable(linter)),
      lengths: allowedLengths(entry.components),
      checks: entry.components.map((c) => ({
        charset: planned(CHARSET_LINTERS[c.charset]),
        content: c.linters.map(planned),
      })),
    };
    PLANS.set(entry, plan);
  }
  return plan;
}

/** Returns "AI (01) GTIN", or "AI (8110)" for an AI without a title. */
export function label(entry: AiEntry): string {
  return entry.title === "" ? `AI (${entry.ai})` : `AI (${entry.ai}) ${entry.title}`;
}

/** Returns the dictionary notation of a format, e.g. "N6 N2 [N2] [N2]" or "X..20". */
export function describeFormat(components: readonly AiComponent[]): string {
  return components
    .map((c) => {
      const length =
        c.min === c.max ? `${c.max}` : c.min === 1 ? `..${c.max}` : `${c.min}..${c.max}`;
      return c.optional ? `[${c.charset}${length}]` : `${c.charset}${length}`;
    })
    .join(" ");
}

/**
 * Returns the value lengths a format allows as merged inclusive ranges, e.g. [[8, 8], [10, 10],
 * [12, 12]] for "N6 N2 [N2] [N2]" and [[13, 30]] for "N13 [X..17]".
 */
export function allowedLengths(components: readonly AiComponent[]): [number, number][] {
  const ranges: [number, number][] = [];
  let before = 0;
  components.forEach((c, i) => {
    // The value may end in component i when nothing mandatory follows it; the components before
    // it are then all present at their full (fixed) length.
    const next = components[i + 1];
    if (!next || next.optional) {
      const lo = before + c.min;
      const hi = before + c.max;
      const last = ranges[ranges.length - 1];
      if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
      else ranges.push([lo, hi]);
    }
    before += c.max;
  });
  return ranges;
}

function describeLengths(components: readonly AiComponent[]): string {
  const parts = allowedLengths(components).map(([lo, hi]) =>
    lo === hi ? `${lo}` : `${lo} to ${hi}`,
  );
  return joinOr(parts);
}

// "a", "a or b", "a, b or c".
function joinOr(parts: readonly string[]): string {
  return parts.length <= 1
    ? parts.join("")
    : `${parts.slice(0, -1).join(", ")} or ${parts[parts.length - 1]}`;
}

function characters(n: number): string {
  return n === 1 ? "1 character" : `${n} characters`;
}

// A linter's detail is a sentence ("The month is 13."); inside our sentence it loses its final
// period and, when it starts with an ordinary capitalised word, its capital.
function sentence(detail: string): string {
  const body = detail.replace(/\.\s*$/, "");
  return /^[A-Z][a-z]/.test(body) ? body[0].toLowerCase() + body.slice(1) : body;
}

// Own properties only: a dictionary name such as "constructor" must not reach Object.prototype.
function runnable(linter: string): boolean {
  return Object.hasOwn(LINTERS, linter);
}

/**
 * Returns one Issue about `element`, placed by `source` as validateElement places its own: field
 * and value from `source` (default `ais.<ai>` and the element's value), `message` followed by
 * " (rule <rule>)." and the position of `valuePosition` (1-based in the element's value, mapped
 * by `source.position`), or `source.at` when the issue is about the element as a whole. For the
 * rules callers add on top of the dictionary (Digital Link placement, strict_expiry).
 */
export function elementIssue(
  element: AiElement,
  source: IssueSource,
  rule: string,
  message: string,
  valuePosition?: number,
): Issue {
  const at = resolve(element.ai, element.value, source);
  const position = valuePosition === undefined ? at.whole : at.position(valuePosition);
  return at.issue(rule, `${message} (rule ${rule}).`, position);
}

function resolve(ai: string, value: string, source: IssueSource) {
  const field = source.field === undefined ? aiField(ai) : source.field;
  const issueValue = "value" in source ? source.value : value;
  return {
    whole: source.at,
    position: (valuePosition: number) => source.position?.(valuePosition) ?? valuePosition,
    issue(rule: string, message: string, position: number | undefined): Issue {
      const issue: Issue = { field, value: issueValue, rule, message };
      if (position !== undefined) issue.position = position;
      return issue;
    },
  };
}
