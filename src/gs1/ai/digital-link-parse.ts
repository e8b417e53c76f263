// GS1 Digital Link URI → AI elements (uncompressed form), the inverse of buildDigitalLinkUri
// (digital-link.ts) under the same rules: what the service generates parses back to exactly its
// AIs, and what this refuses the builder never writes. The syntax only; the values are judged
// by validate.ts, as every other element is (see digital-link-read.ts).

import type { Issue } from "../../issues.js";
import { BAD_DOMAIN_CHARS, SCHEMES, URI_CHARS } from "./digital-link.js";
import { aiEntry } from "./lookup.js";
import type { AiElement, AiEntry } from "./types.js";
import { label } from "./validate.js";

/** What parseDigitalLinkUri read. */
export interface ParsedDigitalLink {
  /** The stem before the primary key, e.g. "https://example.com/products"; null on issues. */
  baseUrl: string | null;
  /** The elements: key, qualifiers in path order, then query AIs in query order; null on issues. */
  elements: AiElement[] | null;
  issues: Issue[];
  /** Per element of `elements`: the 1-based position of its value in the URI, path or query. */
  places?: { position: number; inQuery: boolean }[];
  /** Query parameters that are not GS1 AIs (not all digits, or no "="), as written, ignored. */
  ignored?: string[];
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
 * `repeated_ai`, `dl_path_attribute` (a data attribute, such as (17), written in the path).
 * `elements` and `baseUrl` are null exactly when `issues` is non-empty; then `places` and
 * `ignored` are absent.
 */
export function parseDigitalLinkUri(uri: string, field = "uri"): ParsedDigitalLink {
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
  const inQueries: boolean[] = [];
  const ignored: string[] = [];
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
    inQueries.push(inQuery);
  };
  for (let k = keyAt; k < segments.length; k += 2) {
    add(segments[k].text, segments[k + 1].text, segments[k + 1].start, false);
  }
  const pathCount = elements.length;
  const pathAis = segments.filter((_, k) => k >= keyAt && (k - keyAt) % 2 === 0).map((s) => s.text);
  const key = aiEntry(pathAis[0]) as AiEntry;
  const misplaced = pathAis.slice(1).findIndex((ai) => {
    const entry = aiEntry(ai) as AiEntry;
    return entry.dlDataAttribute && !key.dlKeyQualifiers.some((alt) => alt.includes(ai));
  });
  if (misplaced >= 0) {
    const entry = aiEntry(pathAis[misplaced + 1]) as AiEntry;
    fail(
      "dl_path_attribute",
      segments[keyAt + 2 * (misplaced + 1)].start + 1,
      `${label(entry)} is a data attribute of ${label(key)}: it belongs in the query ` +
        `(?${entry.ai}=…), not the path`,
    );
  } else if (!isQualifierSequence(key, pathAis.slice(1))) {
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
      } else if (param !== "") {
        ignored.push(param);
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
  if (issues.length > 0) return { baseUrl: null, elements: null, issues };
  const places = positions.map((position, i) => ({ position, inQuery: inQueries[i] }));
  return { baseUrl, elements, issues, places, ignored };
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
