// Gs1Fields → the GS1 element string a decoder reports, its HRI and its bracketed form.
// Concatenation per GS1 General Specifications §7.8.4 (a separator after every element string
// not of predefined length, Figure 7.8.4-2, unless it is last); HRI with AIs in parentheses.
import { checkCset82, codePointLength } from "./cset82.js";
import { type Gs1Fields, VARIABLE_FIELD_MAX, VARIABLE_FIELD_MIN } from "./payload.js";

/**
 * Group separator (ASCII 29): what a decoder transmits for an FNC1 that ends a variable-length
 * field. The encoder turns it back into FNC1 (codeword 232).
 */
export const GS = "\x1d";

/** Application identifiers used here, in element-string order (predefined lengths first). */
export const AI = { GTIN: "01", EXPIRY: "17", LOT: "10", SERIAL: "21" } as const;

interface Element {
  ai: string;
  value: string;
  /** True for AIs without a predefined length, which need a separator when not last. */
  variable: boolean;
}

/**
 * Returns the element string of `fields` as a GS1 decoder transmits it after `]d2`: the leading
 * FNC1 is implied and not included; AI 01 and 17 (predefined lengths) first, then the variable
 * 10 and 21, with GS ("\x1d") only between variable fields and never at the end, e.g.
 * "01000123456789051727063010LOT-A001\x1d21SN-0001". Throws RangeError when `fields` could not
 * have come from parseGs1Payload (gtin not 14 digits, expiry not 6 digits, lot or serial not
 * 1-20 characters of set 82).
 */
export function buildElementString(fields: Gs1Fields): string {
  let out = "";
  let previousVariable = false;
  for (const element of listElements(fields)) {
    if (previousVariable) out += GS;
    out += element.ai + element.value;
    previousVariable = element.variable;
  }
  return out;
}

/**
 * Returns the human-readable interpretation of `fields`, one element per entry with its AI in
 * parentheses and a space, in element-string order, e.g. ["(01) 00012345678905",
 * "(17) 270630", "(10) LOT-A001", "(21) SN-0001"]. Join with " " for one line; renderers draw
 * one entry per line. Throws RangeError like buildElementString.
 */
export function buildHri(fields: Gs1Fields): string[] {
  return listElements(fields).map((e) => `(${e.ai}) ${e.value}`);
}

/**
 * Returns `fields` in GS1 bracketed syntax, e.g. "[01]00012345678905[17]270630[10]LOT-A001",
 * the input form of zint (`--gs1`) and the CLI. Brackets are safe delimiters because set 82 has
 * no "[" or "]" (parentheses are in it, so the "(01)" form is ambiguous for some lots). Throws
 * RangeError like buildElementString.
 */
export function buildBracketed(fields: Gs1Fields): string {
  return listElements(fields)
    .map((e) => `[${e.ai}]${e.value}`)
    .join("");
}

// The one place that fixes the order: 01, 17, then 10, 21. Undefined counts as absent too, for
// JavaScript callers that leave a key out.
function listElements(fields: Gs1Fields): Element[] {
  assertFields(fields);
  const elements: Element[] = [{ ai: AI.GTIN, value: fields.gtin, variable: false }];
  if (present(fields.expiry)) {
    elements.push({ ai: AI.EXPIRY, value: fields.expiry, variable: false });
  }
  if (present(fields.lot)) {
    elements.push({ ai: AI.LOT, value: fields.lot, variable: true });
  }
  if (present(fields.serial)) {
    elements.push({ ai: AI.SERIAL, value: fields.serial, variable: true });
  }
  return elements;
}

function present(value: string | null | undefined): value is string {
  return value !== null && value !== undefined;
}

// Guards the element string's framing: a GS or bracket inside a value would split or shift fields.
function assertFields(fields: Gs1Fields): void {
  if (typeof fields.gtin !== "string" || !/^[0-9]{14}$/.test(fields.gtin)) {
    throw new RangeError(`gtin must be 14 digits; got ${JSON.stringify(fields.gtin)}`);
  }
  if (present(fields.expiry) && !/^[0-9]{6}$/.test(fields.expiry)) {
    throw new RangeError(`expiry must be 6 digits; got ${JSON.stringify(fields.expiry)}`);
  }
  for (const name of ["lot", "serial"] as const) {
    const value = fields[name];
    if (!present(value)) continue;
    const length = codePointLength(value);
    const badLength = length < VARIABLE_FIELD_MIN || length > VARIABLE_FIELD_MAX;
    if (badLength || checkCset82(value).length > 0) {
      throw new RangeError(
        `${name} must be 1-20 characters of set 82; got ${JSON.stringify(value)}`,
      );
    }
  }
}
