// AIs → GS1 Digital Link URIs (GS1 Digital Link Standard: URI Syntax 1.4/1.5, uncompressed form):
// https://id.gs1.org/01/09506000134352/10/ABC123?17=270630. The primary key and its qualifiers
// come from the dictionary's dlpkey attributes, data attributes from its "?" flag; the choices
// the standard leaves open follow GS1's reference implementation, gs1/gs1-syntax-engine dl.c.
import type { Issue } from "../../issues.js";
import { aiEntry } from "./lookup.js";
import { AI_TABLE } from "./table.generated.js";
import type { AiElement, AiEntry } from "./types.js";
import { elementIssue, type IssueSource, label } from "./validate.js";

/** The canonical stem of GS1's own resolver. */
export const DEFAULT_DL_BASE_URL = "https://id.gs1.org";

/** RFC 3986 §2: the only characters a URI may hold (percent included, for escapes). */
export const URI_CHARS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;
/** Characters that may not appear in the domain part (as dl.c has it): no userinfo, no escapes. */
export const BAD_DOMAIN_CHARS = /[_~?#@!$&'()*+,;=%]/;
/** The schemes a Digital Link URI may start with (dl.c accepts either case, not mixed). */
export const SCHEMES = ["https://", "http://", "HTTPS://", "HTTP://"];

/**
 * Builds the uncompressed GS1 Digital Link URI of `elements` under `baseUrl`, e.g.
 * "https://id.gs1.org/01/09506000134352/10/ABC123?17=270630". Returns the URI with no issues, or
 * null with every problem found:
 * - The primary key is the first element whose AI has dlpkey (others, such as a second key, can
 *   only be data attributes). Its key qualifiers follow it in the path in dlpkey order, from the
 *   alternative (e.g. "22,10,21" or "235") that leaves no element unplaced and holds the most
 *   qualifiers; the first alternative wins a tie.
 * - Every other element must be a data attribute (flag "?"); they form the query string in
 *   the order dl.c uses: predefined-length AIs first, then the others, each in the given order.
 * - Values are percent-encoded as UTF-8, all but the unreserved A-Z a-z 0-9 - . _ ~ (so "/" is
 *   %2F and "+" %2B, never a space), in path and query alike.
 * - `baseUrl` must be http:// or https:// (lower or upper case) with a host and optionally a
 *   path of its own, no query or fragment; trailing slashes are dropped.
 * Rules (Issue.rule): `base_url` (field "base_url"), `unknown_ai`, `repeated_ai`, `empty_value`,
 * `dl_primary_key` (field null: no element is a primary key), `dl_attribute` (an element that
 * fits neither the path nor the query), `dl_value` (a value that is not well-formed Unicode).
 * Values are not otherwise validated: run validateElement and validateCombination first.
 * `sourceOf` places element issues as in validateCombination (default field "ais.<ai>").
 */
export function buildDigitalLinkUri(
  elements: readonly AiElement[],
  baseUrl: string = DEFAULT_DL_BASE_URL,
  sourceOf: (element: AiElement, index: number) => IssueSource = () => ({}),
): { uri: string | null; issues: Issue[] } {
  const issues: Issue[] = [];
  const stem = checkBaseUrl(baseUrl, issues);
  const count = elements.length;
  // Plain loops and no closure or Set on the way to a URI: every Digital Link request builds
  // one (the first form, with forEach/filter/map per step, was 1.9 µs of a QR request).
  const report = (index: number, rule: string, message: string) =>
    issues.push(elementIssue(elements[index], sourceOf(elements[index], index), rule, message));

  // 1. Every element known, once, and non-empty.
  const entries: AiEntry[] = new Array(count);
  for (let index = 0; index < count; index++) {
    const element = elements[index];
    const entry = aiEntry(element.ai);
    let repeated = false;
    for (let k = 0; k < index && !repeated; k++) repeated = elements[k].ai === element.ai;
    if (!entry) {
      report(index, "unknown_ai", `AI (${element.ai}) is not in the GS1 Barcode Syntax Dictionary`);
    } else if (repeated) {
      report(index, "repeated_ai", `${label(entry)} appears more than once`);
    } else if (element.value === "") {
      report(index, "empty_value", `${label(entry)} has an empty value`);
    }
    if (entry) entries[index] = entry;
  }
  if (issues.length > 0) return { uri: null, issues };

  // 2. The primary key: the first element that can be one.
  let keyIndex = -1;
  for (let index = 0; index < count && keyIndex < 0; index++) {
    if (entries[index].dlPrimaryKey) keyIndex = index;
  }
  if (keyIndex < 0) {
    const keys = AI_TABLE.filter((e) => e.dlPrimaryKey).map((e) => `(${e.ai})`);
    issues.push({
      field: null,
      value: elements.map((e) => e.ai),
      rule: "dl_primary_key",
      message:
        `A GS1 Digital Link URI needs a primary key, one of AI ${keys.join(", ")}; ` +
        "none is present (rule dl_primary_key).",
    });
    return { uri: null, issues };
  }
  const key = entries[keyIndex];

  // 3. Its qualifiers: the best alternative, and what is left for the query string.
  const path = choosePath(key, entries, keyIndex);
  for (let index = 0; index < count; index++) {
    if (index === keyIndex || path.includes(index) || entries[index].dlDataAttribute) continue;
    report(
      index,
      "dl_attribute",
      `${label(entries[index])} cannot go into a GS1 Digital Link URI with primary key ` +
        `${label(key)}: it is not a data attribute, nor a key qualifier that fits the path`,
    );
  }

  // 4. Percent-encode and assemble.
  const encoded: string[] = new Array(count);
  for (let index = 0; index < count; index++) {
    try {
      encoded[index] = encodeValue(elements[index].value);
    } catch {
      const shown = JSON.stringify(elements[index].value);
      report(
        index,
        "dl_value",
        `${label(entries[index])} value ${shown} is not well-formed Unicode`,
      );
      encoded[index] = "";
    }
  }
  if (issues.length > 0 || stem === null) return { uri: null, issues };

  let uri = `${stem}/${elements[keyIndex].ai}/${encoded[keyIndex]}`;
  for (const index of path) uri += `/${elements[index].ai}/${encoded[index]}`;
  // The query: the rest, predefined-length AIs first, then the others, each in the given order.
  let separator = "?";
  for (let pass = 0; pass < 2; pass++) {
    for (let index = 0; index < count; index++) {
      if (index === keyIndex || path.includes(index)) continue;
      if (entries[index].fixedLength !== (pass === 0)) continue;
      uri += `${separator}${elements[index].ai}=${encoded[index]}`;
      separator = "&";
    }
  }
  return { uri, issues };
}

/**
 * Returns `value` percent-encoded for a GS1 Digital Link path segment or query value: UTF-8, every
 * byte outside A-Z a-z 0-9 - . _ ~ as %XX with upper-case hex. Throws URIError for a lone
 * surrogate.
 */
export function encodeValue(value: string): string {
  // Most values (GTINs, dates, lots, serials) are unreserved characters only: one test instead
  // of encodeURIComponent's new string and a replace pass over it.
  if (UNRESERVED_ONLY.test(value)) return value;
  // encodeURIComponent leaves ! ' ( ) * as they are; the unreserved set does not include them.
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

// RFC 3986 §2.3: the characters a value keeps as they are.
const UNRESERVED_ONLY = /^[A-Za-z0-9\-._~]*$/;

// The last base URL that checkBaseUrl accepted and its stem: nearly every request uses the same
// one (the default), and checking it is a handful of regular expressions.
let acceptedBase = DEFAULT_DL_BASE_URL;
let acceptedStem = DEFAULT_DL_BASE_URL;

// Trailing slashes dropped; null (after recording why) when the stem is unusable.
function checkBaseUrl(baseUrl: string, issues: Issue[]): string | null {
  if (baseUrl === acceptedBase) return acceptedStem;
  const stem = checkNewBaseUrl(baseUrl, issues);
  if (stem !== null) {
    acceptedBase = baseUrl;
    acceptedStem = stem;
  }
  return stem;
}

function checkNewBaseUrl(baseUrl: string, issues: Issue[]): string | null {
  const problem = (message: string) => {
    issues.push({
      field: "base_url",
      value: baseUrl,
      rule: "base_url",
      message: `base_url ${JSON.stringify(baseUrl)} ${message} (rule base_url).`,
    });
    return null;
  };
  if (typeof baseUrl !== "string") return problem("must be a string");
  const scheme = SCHEMES.find((s) => baseUrl.startsWith(s));
  if (!scheme) return problem("must start with http:// or https://");
  if (!URI_CHARS.test(baseUrl)) return problem("holds characters a URI cannot");
  if (/[?#]/.test(baseUrl)) return problem("may not have a query or a fragment");
  const stem = baseUrl.replace(/\/+$/, "");
  const slash = stem.indexOf("/", scheme.length);
  const domain = stem.slice(scheme.length, slash < 0 ? stem.length : slash);
  if (domain === "") return problem("has no host");
  if (BAD_DOMAIN_CHARS.test(domain))
    return problem("has characters a host name cannot (user info, escapes)");
  return stem;
}

// Picks the qualifier alternative for `key` (dlpkey order) among the present elements and
// returns the indexes it places in the path, in order: one that leaves only data attributes
// over if any does, and of those the one placing most qualifiers; the first wins a tie.
function choosePath(key: AiEntry, entries: readonly AiEntry[], keyIndex: number): number[] {
  const alternatives = key.dlKeyQualifiers;
  let best: number[] = [];
  let bestValid = leavesAttributesOnly(entries, keyIndex, best);
  for (let k = 0; k < alternatives.length; k++) {
    const path: number[] = [];
    for (const q of alternatives[k]) {
      for (let index = 0; index < entries.length; index++) {
        if (entries[index].ai !== q) continue;
        if (index !== keyIndex) path.push(index);
        break;
      }
    }
    const valid = leavesAttributesOnly(entries, keyIndex, path);
    const better =
      k === 0 || (valid && !bestValid) || (valid === bestValid && path.length > best.length);
    if (better) {
      best = path;
      bestValid = valid;
    }
  }
  return best;
}

// Whether every element but the key and those in `path` is a data attribute.
function leavesAttributesOnly(
  entries: readonly AiEntry[],
  keyIndex: number,
  path: readonly number[],
): boolean {
  for (let index = 0; index < entries.length; index++) {
    if (index !== keyIndex && !path.includes(index) && !entries[index].dlDataAttribute) {
      return false;
    }
  }
  return true;
}
