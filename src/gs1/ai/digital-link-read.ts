// A GS1 Digital Link URI read back into GS1 data, judged like every other input: the syntax by
// digital-link-parse.ts (the builder's rules inverted), each value by validateElement (its
// dictionary format and linters: check digits, dates, ...) and the set by validateCombination.
// What the parse endpoint (POST /products/api/v1/digital-link/parse) answers, before naming.
import type { Issue } from "../../issues.js";
import { parseDigitalLinkUri } from "./digital-link-parse.js";
import { buildElementString, orderForSymbol } from "./element-string.js";
import { aiEntry } from "./lookup.js";
import type { AiElement } from "./types.js";
import { validateCombination, validateElement } from "./validate.js";

/** One AI read from the URI, with its data title and where it was. */
export interface ReadAi {
  ai: string;
  /** The dictionary's data title, e.g. "BATCH/LOT" ("" when it gives none). */
  title: string;
  value: string;
  place: "path" | "query";
}

/** One reason the URI is not a valid GS1 Digital Link. */
export interface ReadError {
  /** The piece of the URI it is about: "01/09506000134353", "17=271340", or the token at fault. */
  segment: string;
  /** 1-based position in the URI. */
  position: number;
  /** The rule, as Issue.rule: dl_syntax, dl_path, dl_path_attribute, csum, unknown_ai, … */
  rule: string;
  message: string;
}

/** What a Digital Link URI says. On isValid false every field but url, ignored and errors is empty. */
export interface DigitalLinkReading {
  isValid: boolean;
  url: string;
  /** The resolver stem before the primary key. */
  baseUrl: string | null;
  primaryKey: ReadAi | null;
  /** Every AI: key, qualifiers in path order, then the query's in query order. */
  ais: ReadAi[];
  /** The same data as a GS1 element string: bracketed, and as scanners report it (GS between). */
  bracketed: string | null;
  elementString: string | null;
  /** Query parameters that are not GS1 AIs, as written (ignored, as the standard says). */
  ignored: string[];
  errors: ReadError[];
}

/**
 * Reads `url` as an uncompressed GS1 Digital Link URI and judges it: the syntax (scheme, domain,
 * a primary key in the path, qualifiers in an allowed order, no data attribute in the path,
 * query AIs that are data attributes, once each, well-formed percent-encoding), then every value
 * against the GS1 Barcode Syntax Dictionary and its linters (`now` dates two-digit years), then
 * the AI associations. Never throws: anything that is not a valid Digital Link gives isValid
 * false with the reasons in `errors`, each with the segment, position and rule.
 */
export function readDigitalLink(url: string, now?: Date): DigitalLinkReading {
  const parsed = parseDigitalLinkUri(url, "url");
  const invalid = (issues: readonly Issue[], ignored: string[] = []): DigitalLinkReading => ({
    isValid: false,
    url,
    baseUrl: null,
    primaryKey: null,
    ais: [],
    bracketed: null,
    elementString: null,
    ignored,
    errors: issues.map((issue) => toError(url, issue)),
  });
  if (parsed.elements === null || parsed.places === undefined) return invalid(parsed.issues);
  const { elements, places } = parsed;
  const ignored = parsed.ignored ?? [];
  const issues: Issue[] = [];
  elements.forEach((element, i) => {
    const at = places[i].position;
    const source = { field: "url", value: url, at, position: (p: number) => at + p - 1 };
    issues.push(...validateElement(element.ai, element.value, source, { now }));
  });
  if (issues.length === 0) {
    issues.push(
      ...validateCombination(elements, (_, i) => ({
        field: "url",
        value: url,
        at: places[i].position,
      })),
    );
  }
  if (issues.length > 0) return invalid(issues, ignored);
  const ais = elements.map((element, i) => readAi(element, places[i].inQuery));
  const ordered = orderForSymbol(elements);
  return {
    isValid: true,
    url,
    baseUrl: parsed.baseUrl,
    primaryKey: ais[0],
    ais,
    bracketed: ordered.map((e) => `(${e.ai})${e.value.replace(/[()]/g, "\\$&")}`).join(""),
    elementString: buildElementString(ordered),
    ignored,
    errors: [],
  };
}

function readAi(element: AiElement, inQuery: boolean): ReadAi {
  return {
    ai: element.ai,
    title: aiEntry(element.ai)?.title ?? "",
    value: element.value,
    place: inQuery ? "query" : "path",
  };
}

// The path pair ("10/ABC") or query parameter ("17=270630") holding `position`, else the text
// between the separators around it.
function segmentAt(url: string, position: number): string {
  const isSeparator = (c: string) => c === "/" || c === "?" || c === "&" || c === "#";
  let at = Math.min(Math.max(position - 1, 0), Math.max(url.length - 1, 0));
  // A position on a separator ("the path at /…") means what follows it.
  if (isSeparator(url[at] ?? "") && at + 1 < url.length) at++;
  let start = at;
  while (start > 0 && !isSeparator(url[start - 1])) start--;
  let end = at;
  while (end < url.length && !isSeparator(url[end])) end++;
  // A path value: take its AI along ("10/ABC"); a path AI: take its value along.
  if (url[start - 1] === "/" && url.lastIndexOf("?", start) < 0) {
    const before = url.lastIndexOf("/", start - 2);
    const previous = url.slice(before + 1, start - 1);
    const current = url.slice(start, end);
    if (/^[0-9]{2,4}$/.test(previous) && aiEntry(previous) && !/^[0-9]{2,4}$/.test(current)) {
      return `${previous}/${current}`;
    }
    if (/^[0-9]{2,4}$/.test(current) && aiEntry(current) && url[end] === "/") {
      let next = end + 1;
      while (next < url.length && !isSeparator(url[next])) next++;
      return url.slice(start, next);
    }
  }
  return url.slice(start, end);
}

function toError(url: string, issue: Issue): ReadError {
  const position = issue.position ?? 1;
  return { segment: segmentAt(url, position), position, rule: issue.rule, message: issue.message };
}
