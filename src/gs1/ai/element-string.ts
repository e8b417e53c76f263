// Any AIs ↔ GS1 element strings: the bracketed input form "(01)...(10)...", the order and FNC1
// separators of a symbol (GS1 General Specifications §7.8.4-§7.8.5: a separator after every
// element string not of predefined length unless it is last), and the HRI text (§4.15).
import { type Issue, MAX_ISSUES, tooManyIssues } from "../../issues.js";
import { aiEntry } from "./lookup.js";
import type { AiElement, AiEntry, IssueSource } from "./types.js";

/**
 * Group separator (ASCII 29): what a decoder transmits for an FNC1 that ends a variable-length
 * field; the encoder turns it back into FNC1.
 */
export const GS = "\x1d";

/** One element of a bracketed string, with where it came from for issue positions. */
export interface BracketedElement extends AiElement {
  /** 1-based position (in code points) of the "(" that opens the AI. */
  position: number;
  /** 1-based position in the text of each code point of `value` (of its backslash, if escaped). */
  valuePositions: readonly number[];
}

/**
 * Parses the bracketed form with parentheses, e.g. "(01)09506000134352(17)270630(10)ABC123",
 * into its elements in the given order. In values, "\(" and "\)" stand for parentheses and "\\"
 * for a backslash; any other backslash is an error. Returns every problem at once (the first
 * MAX_ISSUES, then one `too_many_issues` entry counting the rest), each with
 * field `field` (default "element_string"), the whole text as value and a 1-based position in
 * code points; `elements` is null exactly when `issues` is non-empty. Rules: `empty` (no text),
 * `syntax` (text not starting with "("), `unbalanced` ("(" without ")", or an unescaped ")" in a
 * value), `ai_digits` (not 2 to 4 digits between the parentheses), `unknown_ai`, `empty_value`,
 * `escape`. Values are not validated here: see validateElement, with sourceInBracketed.
 */
export function parseBracketed(
  text: string,
  field = "element_string",
): { elements: BracketedElement[] | null; issues: Issue[] } {
  // Positions count code points: a text without surrogates (nearly all) is indexed as it
  // stands, without an array of its characters.
  const chars = hasSurrogate(text) ? Array.from(text) : text;
  const issues: Issue[] = [];
  const found: BracketIssues = { issues, field, text, more: 0 };
  const elements: BracketedElement[] = [];

  if (chars.length === 0) {
    issues.push({ field, value: text, rule: "empty", message: `${field} is empty (rule empty).` });
    return { elements: null, issues };
  }
  let i = 0;
  if (chars[0] !== "(") {
    addIssue(
      found,
      "syntax",
      1,
      `${field} must start with an AI in parentheses, e.g. "(01)"; got ${JSON.stringify(chars[0])}`,
    );
    while (i < chars.length && chars[i] !== "(") i++;
  }
  while (i < chars.length) {
    // chars[i] is "(": an AI up to ")".
    const open = i;
    let close = open + 1;
    while (close < chars.length && chars[close] !== ")" && chars[close] !== "(") close++;
    if (close >= chars.length || chars[close] !== ")") {
      addIssue(
        found,
        "unbalanced",
        open + 1,
        `The "(" at position ${open + 1} has no matching ")"`,
      );
      i = close;
      continue;
    }
    const ai =
      typeof chars === "string"
        ? chars.slice(open + 1, close)
        : chars.slice(open + 1, close).join("");
    // Every AI of the table is 2 to 4 digits: looked up first, the pattern is only tested for
    // one that is not there.
    const known = aiEntry(ai) !== undefined;
    if (known) {
      // An AI of the dictionary.
    } else if (!/^[0-9]{2,4}$/.test(ai)) {
      addIssue(
        found,
        "ai_digits",
        open + 2,
        `"(${ai})" at position ${open + 1} is not an AI: an AI is 2 to 4 digits`,
      );
    } else {
      addIssue(
        found,
        "unknown_ai",
        open + 2,
        `AI (${ai}) at position ${open + 1} is not in the GS1 Barcode Syntax Dictionary`,
      );
    }

    // The value: up to the next unescaped "(" or the end.
    let value = "";
    const valuePositions: number[] = [];
    i = close + 1;
    if (typeof chars === "string") {
      // A value without backslash or ")" (nearly all) is the text as it stands: one slice
      // instead of a string grown character by character.
      let end = i;
      let plain = true;
      for (; end < chars.length; end++) {
        const c = chars.charCodeAt(end);
        if (c === 0x28) break; // "(": the next AI
        if (c === 0x5c || c === 0x29) {
          plain = false; // "\" or ")": the loop below, with its escapes and issues
          break;
        }
      }
      if (plain) {
        value = chars.slice(i, end);
        for (let k = i; k < end; k++) valuePositions.push(k + 1);
        i = end;
      }
    }
    while (i < chars.length && chars[i] !== "(") {
      const c = chars[i];
      if (c === "\\") {
        const next = chars[i + 1];
        if (next === "(" || next === ")" || next === "\\") {
          value += next;
          valuePositions.push(i + 1);
          i += 2;
          continue;
        }
        const what =
          next === undefined
            ? `The "\\" at position ${i + 1} ends the text`
            : `"\\${next}" at position ${i + 1} is not an escape`;
        addIssue(found, "escape", i + 1, `${what}; write \\(, \\) or \\\\`);
      } else if (c === ")") {
        addIssue(
          found,
          "unbalanced",
          i + 1,
          `The ")" at position ${i + 1} has no matching "("; write \\) for a parenthesis in a value`,
        );
      } else {
        value += c;
        valuePositions.push(i + 1);
      }
      i++;
    }
    if (value === "" && /^[0-9]{2,4}$/.test(ai)) {
      addIssue(
        found,
        "empty_value",
        open + 1,
        `AI (${ai}) at position ${open + 1} has an empty value`,
      );
    }
    if (known) elements.push({ ai, value, position: open + 1, valuePositions });
  }
  if (found.more > 0) issues.push(tooManyIssues(found.more));
  return issues.length > 0 ? { elements: null, issues } : { elements, issues };
}

// parseBracketed's issues: the first MAX_ISSUES in full, past them only a count (no issue
// objects, no details in the answer). A plain object and a function, not a closure per parse
// nor a class (an instance's map dies in a full GC and takes the optimised caller with it).
interface BracketIssues {
  issues: Issue[];
  field: string;
  text: string;
  more: number;
}

function addIssue(found: BracketIssues, rule: string, position: number, message: string): void {
  if (found.issues.length < MAX_ISSUES) {
    const { field, text: value } = found;
    found.issues.push({ field, value, rule, position, message: `${message} (rule ${rule}).` });
  } else found.more++;
}

/**
 * Returns the IssueSource that makes validateElement and validateCombination point into the
 * bracketed `text` an element came from: field `field`, the whole text as value, positions in it.
 */
export function sourceInBracketed(
  text: string,
  element: BracketedElement,
  field = "element_string",
): IssueSource {
  return {
    field,
    value: text,
    at: element.position,
    position: (p) => element.valuePositions[p - 1] ?? element.position,
  };
}

/**
 * Returns `elements` in the usual order for a symbol: AIs of predefined length (flag "*") first,
 * then the others, each group in the given order. Throws RangeError for an AI not in the table.
 */
export function orderForSymbol<T extends AiElement>(elements: readonly T[]): T[] {
  return [
    ...elements.filter((e) => entryOf(e).fixedLength),
    ...elements.filter((e) => !entryOf(e).fixedLength),
  ];
}

/**
 * Returns the orders worth encoding: orderForSymbol(elements) first, then each order that differs
 * only in which variable-length element goes last (the last needs no separator, so the symbol
 * size may differ). One order when there are fewer than two variable-length elements; as many
 * orders as variable-length elements otherwise. Throws RangeError like orderForSymbol.
 * (An array, not a generator: every caller wants them all, and a generator cost more per
 * request than building them.)
 */
export function candidateOrders<T extends AiElement>(elements: readonly T[]): T[][] {
  const ordered = orderForSymbol(elements);
  const orders = [ordered];
  const firstVariable = ordered.findIndex((e) => !entryOf(e).fixedLength);
  if (firstVariable < 0) return orders;
  for (let i = firstVariable; i < ordered.length - 1; i++) {
    orders.push([...ordered.slice(0, i), ...ordered.slice(i + 1), ordered[i]]);
  }
  return orders;
}

/**
 * Returns the element string of `elements`, in the given order, as a GS1 decoder transmits it
 * after "]d2": the leading FNC1 implied and not included, a GS after each element whose AI is
 * not of predefined length unless it is last: (01) (17) (10) (21) give
 * "0109506000134352" + "17270630" + "10ABC123" + GS + "21XYZ".
 * Call orderForSymbol (or candidateOrders) first for the usual order. Throws RangeError for an
 * AI not in the table, an empty value, a value holding GS, or a predefined-length value of the
 * wrong length (any of which would shift the fields a decoder reads); validate first.
 */
export function buildElementString(elements: readonly AiElement[]): string {
  let out = "";
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i];
    const entry = entryOf(element);
    const { ai, value } = element;
    if (value === "" || value.includes(GS)) {
      throw new RangeError(`AI (${ai}) value ${JSON.stringify(value)} is empty or holds a GS`);
    }
    if (entry.fixedLength) {
      // Code points, counted without an array unless the value has surrogates.
      const length = hasSurrogate(value) ? Array.from(value).length : value.length;
      let fixed = 0;
      for (const c of entry.components) fixed += c.max;
      if (length !== fixed) {
        throw new RangeError(
          `AI (${ai}) has a predefined length of ${fixed}; got ${JSON.stringify(value)}`,
        );
      }
    }
    out += ai + value;
    if (!entry.fixedLength && i < elements.length - 1) out += GS;
  }
  return out;
}

/**
 * Returns true when `text` holds a UTF-16 surrogate, i.e. a character outside the BMP: only
 * then do code points differ from code units. A loop: values are short, and a regular
 * expression test per value showed in the validation profile.
 */
export function hasSurrogate(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return true;
  }
  return false;
}

/**
 * Returns the human-readable interpretation, one line per element in the given order: "(01)
 * 09506000134352", or with `titles` the dictionary's data title first, "GTIN (01) 09506000134352"
 * (an AI without a title gets none). Throws RangeError for an AI not in the table when `titles`.
 */
export function buildHriLines(
  elements: readonly AiElement[],
  options: { titles?: boolean } = {},
): string[] {
  return elements.map((element) => {
    const line = `(${element.ai}) ${element.value}`;
    if (!options.titles) return line;
    const title = entryOf(element).title;
    return title === "" ? line : `${title} ${line}`;
  });
}

function entryOf(element: AiElement): AiEntry {
  const entry = aiEntry(element.ai);
  if (!entry)
    throw new RangeError(`AI (${element.ai}) is not in the GS1 Barcode Syntax Dictionary`);
  return entry;
}
