// AIs ↔ GS1 Digital Link URIs (GS1 Digital Link Standard: URI Syntax 1.4/1.5, uncompressed form):
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

// RFC 3986 §2: the only characters a URI may hold (percent included, for escapes).
const URI_CHARS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;
// Characters that may not appear in the domain part (as dl.c has it): no userinfo, no escapes.
const BAD_DOMAIN_CHARS = /[_~?#@!$&'()*+,;=%]/;
const SCHEMES = ["https://", "http://", "HTTPS://", "HTTP://"];

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

  const report = (index: number, rule: string, message: string) =>
    issues.push(elementIssue(elements[index], sourceOf(elements[index], index), rule, message));

  // 1. Every element known, once, and non-empty.
  const entries: AiEntry[] = [];
  const seen = new Set<string>();
  elements.forEach((element, index) => {
    const entry = aiEntry(element.ai);
    if (!entry) {
      report(index, "unknown_ai", `AI (${element.ai}) is not in the GS1 Barcode Syntax Dictionary`);
    } else if (seen.has(element.ai)) {
      report(index, "repeated_ai", `${label(entry)} appears more than once`);
    } else if (element.value === "") {
      report(index, "empty_value", `${label(entry)} has an empty value`);
    }
    if (entry) entries[index] = entry;
    seen.add(element.ai);
  });
  if (issues.length > 0) return { uri: null, issues };

  // 2. The primary key: the first element that can be one.
  const keyIndex = entries.findIndex((entry) => entry.dlPrimaryKey);
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
  const placed = choosePath(key, entries, keyIndex);
  entries.forEach((entry, index) => {
    if (index === keyIndex || placed.path.includes(index) || entry.dlDataAttribute) return;
    report(
      index,
      "dl_attribute",
      `${label(entry)} cannot go into a GS1 Digital Link URI with primary key ${label(key)}: ` +
        "it is not a data attribute, nor a key qualifier that fits the path",
    );
  });

  // 4. Percent-encode and assemble.
  const encoded = elements.map((element, index) => {
    try {
      return encodeValue(element.value);
    } catch {
      const shown = JSON.stringify(element.value);
      report(
        index,
        "dl_value",
        `${label(entries[index])} value ${shown} is not well-formed Unicode`,
      );
      return "";
    }
  });
  if (issues.length > 0 || stem === null) return { uri: null, issues };

  let uri = stem;
  for (const index of [keyIndex, ...placed.path]) uri += `/${elements[index].ai}/${encoded[index]}`;
  const query = placed.rest
    .filter((index) => entries[index].fixedLength)
    .concat(placed.rest.filter((index) => !entries[index].fixedLength))
    .map((index) => `${elements[index].ai}=${encoded[index]}`);
  if (query.length > 0) uri += `?${query.join("&")}`;
  return { uri, issues };
}

/**
 * Parses a GS1 Digital Link URI (uncompressed) back into its elements: the primary key, its
 * qualifiers in path order, then the AI query parameters in query order. Returns the stem before
 * the key as `baseUrl` ("https://example.com/products"). Follows dl.c: http(s) in lower or upper
 * case; the key is the rightmost "/AI/value" pair of the path whose AI is a primary key, found by
 * walking left over known AIs; "+" means a space in the query only; query parameters that are
 * not all digits, or have no "=", are ignored; a fragment is ignored; a GTIN-8/12/13 given for
 * (01) in the query is zero-padded to 14 digits. Values are not otherwise validated.
 * Issues carry field `field` (default "uri"), the URI as value and a 1-based position. Rules:
 * `dl_syntax` (characters, scheme, domain, no key in the path), `unknown_ai`, `empty_value`,
 * `dl_encoding` (a malformed or NUL percent-escape), `dl_path` (qualifiers not in an allowed
 * order), `dl_attribute` (a query AI that is not a data attribute, or that belongs in the path),
 * `repeated_ai`. `elements` and `baseUrl` are null exactly when `issues` is non-empty.
 */
export function parseDigitalLinkUri(
  uri: string,
  field = "uri",
): { baseUrl: string | null; elements: AiElement[] | null; issues: Issue[] } {
  const issues: Issue[] = [];
  const fail = (rule: string, position: number, message: string) => {
    issues.push({ field, value: uri, rule, position, message: `${message} (rule ${rule}).` });
    return { baseUrl: null, elements: null, issues };
  };

  // 1. Characters, scheme, domain.
  if (!URI_CHARS.test(uri)) {
    const bad = Array.from(uri).findIndex((c) => !URI_CHARS.test(c));
    return fail(
      "dl_syntax",
      bad + 1,
      `${JSON.stringify(Array.from(uri)[bad])} at position ${bad + 1} cannot appear in a URI`,
    );
  }
  const scheme = SCHEMES.find((s) => uri.startsWith(s));
  if (!scheme)
    return fail("dl_syntax", 1, "A GS1 Digital Link URI starts with http:// or https://");
  const pathStart = uri.indexOf("/", scheme.length);
  if (pathStart <= scheme.length)
    return fail("dl_syntax", scheme.length + 1, "The URI has no domain or no path");
  const badDomain = uri.slice(scheme.length, pathStart).search(BAD_DOMAIN_CHARS);
  if (badDomain >= 0) {
    const at = scheme.length + badDomain + 1;
    return fail(
      "dl_syntax",
      at,
      `${JSON.stringify(uri[at - 1])} at position ${at} cannot appear in a domain`,
    );
  }
  const hash = uri.indexOf("#");
  const end = hash < 0 ? uri.length : hash;
  const questionMark = uri.indexOf("?");
  const pathEnd = questionMark >= 0 && questionMark < end ? questionMark : end;

  // 2. The path: segments with their start offsets; the key is found walking left.
  const segments: { text: string; start: number }[] = [];
  for (let i = pathStart; i < pathEnd; ) {
    const next = uri.indexOf("/", i + 1);
    const stop = next < 0 || next > pathEnd ? pathEnd : next;
    segments.push({ text: uri.slice(i + 1, stop), start: i + 1 });
    i = stop;
  }
  let keyAt = -1;
  for (let k = segments.length - 2; k >= 0; k -= 2) {
    const entry = /^[0-9]+$/.test(segments[k].text) ? aiEntry(segments[k].text) : undefined;
    if (!entry) break;
    if (entry.dlPrimaryKey) {
      keyAt = k;
      break;
    }
  }
  if (keyAt < 0)
    return fail(
      "dl_syntax",
      pathStart + 1,
      "The path holds no GS1 primary key followed by AI/value pairs",
    );
  const baseUrl = uri.slice(0, segments[keyAt].start - 1);

  const elements: AiElement[] = [];
  const positions: number[] = [];
  const add = (ai: string, raw: string, start: number, inQuery: boolean) => {
    if (raw === "") {
      fail("empty_value", start + 1, `AI (${ai}) at position ${start + 1} has an empty value`);
      return;
    }
    const value = decodeValue(inQuery ? raw.replace(/\+/g, " ") : raw);
    if (value === null) {
      fail(
        "dl_encoding",
        start + 1,
        `The value of AI (${ai}) at position ${start + 1} holds a malformed or NUL percent-escape`,
      );
      return;
    }
    const padded =
      inQuery && ai === "01" && /^([0-9]{8}|[0-9]{12,13})$/.test(value)
        ? value.padStart(14, "0")
        : value;
    elements.push({ ai, value: padded });
    positions.push(start + 1);
  };
  for (let k = keyAt; k < segments.length; k += 2) {
    add(segments[k].text, segments[k + 1].text, segments[k + 1].start, false);
  }
  const pathCount = elements.length;
  const pathAis = segments.filter((_, k) => k >= keyAt && (k - keyAt) % 2 === 0).map((s) => s.text);
  const key = aiEntry(pathAis[0]) as AiEntry;
  if (!isQualifierSequence(key, pathAis.slice(1))) {
    const qualifierList = pathAis
      .slice(1)
      .map((ai) => `(${ai})`)
      .join(" ");
    fail(
      "dl_path",
      (segments[keyAt + 2] ?? segments[keyAt]).start + 1,
      `The qualifiers ${qualifierList} after ${label(key)} are not ` +
        `in an allowed order: ${describeQualifiers(key)}`,
    );
  }

  // 3. The query string.
  if (pathEnd < end) {
    for (let i = pathEnd + 1; i < end; ) {
      const amp = uri.indexOf("&", i);
      const stop = amp < 0 || amp > end ? end : amp;
      const param = uri.slice(i, stop);
      const eq = param.indexOf("=");
      const ai = eq < 0 ? "" : param.slice(0, eq);
      if (/^[0-9]+$/.test(ai)) {
        if (aiEntry(ai)) add(ai, param.slice(eq + 1), i + eq + 1, true);
        else
          fail(
            "unknown_ai",
            i + 1,
            `AI (${ai}) at position ${i + 1} is not in the GS1 Barcode Syntax Dictionary`,
          );
      }
      i = stop + 1;
    }
  }

  // 4. Query AIs: once each, data attributes, not a qualifier that belongs in the path.
  const seen = new Set<string>();
  elements.forEach((element, index) => {
    const entry = aiEntry(element.ai) as AiEntry;
    const at = positions[index];
    if (seen.has(element.ai)) fail("repeated_ai", at, `${label(entry)} appears more than once`);
    seen.add(element.ai);
    if (index < pathCount) return;
    if (!entry.dlDataAttribute) {
      fail("dl_attribute", at, `${label(entry)} is not a GS1 Digital Link data attribute`);
    } else if (fitsPath(key, pathAis.slice(1), element.ai)) {
      fail(
        "dl_attribute",
        at,
        `${label(entry)} is a key qualifier of ${label(key)}: it belongs in the path`,
      );
    }
  });
  return issues.length > 0
    ? { baseUrl: null, elements: null, issues }
    : { baseUrl, elements, issues };
}

/**
 * Returns `value` percent-encoded for a GS1 Digital Link path segment or query value: UTF-8, every
 * byte outside A-Z a-z 0-9 - . _ ~ as %XX with upper-case hex. Throws URIError for a lone
 * surrogate.
 */
export function encodeValue(value: string): string {
  // encodeURIComponent leaves ! ' ( ) * as they are; the unreserved set does not include them.
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

// Percent-decodes UTF-8; null for a malformed escape, invalid UTF-8 or a NUL.
function decodeValue(raw: string): string | null {
  try {
    const value = decodeURIComponent(raw);
    return value.includes("\0") ? null : value;
  } catch {
    return null;
  }
}

// Trailing slashes dropped; null (after recording why) when the stem is unusable.
function checkBaseUrl(baseUrl: string, issues: Issue[]): string | null {
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

// Picks the qualifier alternative for `key` (dlpkey order) among the present elements: one that
// leaves only data attributes over if any does, and of those the one placing most qualifiers.
function choosePath(key: AiEntry, entries: readonly AiEntry[], keyIndex: number) {
  const alternatives = key.dlKeyQualifiers.length > 0 ? key.dlKeyQualifiers : [[]];
  let best: { path: number[]; rest: number[]; valid: boolean } | null = null;
  for (const qualifiers of alternatives) {
    const path: number[] = [];
    for (const q of qualifiers) {
      const index = entries.findIndex((e) => e.ai === q);
      if (index >= 0 && index !== keyIndex) path.push(index);
    }
    const rest = entries.map((_, i) => i).filter((i) => i !== keyIndex && !path.includes(i));
    const valid = rest.every((i) => entries[i].dlDataAttribute);
    const better =
      best === null ||
      (valid && !best.valid) ||
      (valid === best.valid && path.length > best.path.length);
    if (better) best = { path, rest, valid };
  }
  return best as { path: number[]; rest: number[]; valid: boolean };
}

// True when `qualifiers` is an in-order selection from one alternative of `key`'s dlpkey.
function isQualifierSequence(key: AiEntry, qualifiers: readonly string[]): boolean {
  if (qualifiers.length === 0) return true;
  return key.dlKeyQualifiers.some((alternative) => {
    let j = 0;
    for (const q of alternative) if (q === qualifiers[j]) j++;
    return j === qualifiers.length;
  });
}

// True when inserting `ai` somewhere after the key would still give a valid qualifier sequence.
function fitsPath(key: AiEntry, qualifiers: readonly string[], ai: string): boolean {
  for (let i = 0; i <= qualifiers.length; i++) {
    if (isQualifierSequence(key, [...qualifiers.slice(0, i), ai, ...qualifiers.slice(i)]))
      return true;
  }
  return false;
}

function describeQualifiers(key: AiEntry): string {
  if (key.dlKeyQualifiers.length === 0) return `${label(key)} takes no key qualifiers`;
  const alternatives = key.dlKeyQualifiers.map((alt) => alt.map((q) => `(${q})`).join(" "));
  return `they must be some of ${alternatives.join(", or of ")}, in that order`;
}
