// The shape of one GS1 Application Identifier as the GS1 Barcode Syntax Dictionary describes it
// (reference/gs1-syntax-dictionary.txt), and of one AI with its value as the rest of src/gs1/ai/ uses it.

/**
 * One component of an AI's data field, e.g. "N6,yymmdd" or "[X..17]". Only the last component may
 * have a variable length (min < max); optional components only follow mandatory ones.
 */
export interface AiComponent {
  /** "N" digits, "X" set 82, "Y" set 39, "Z" set 64 (base64url). */
  charset: "N" | "X" | "Y" | "Z";
  /** Shortest length in characters (1 for "X..20"). */
  min: number;
  /** Longest length in characters. */
  max: number;
  /** True for "[...]" components, which may be left out once the value is exhausted. */
  optional: boolean;
  /** Content linters after the charset, e.g. ["csum", "gcppos2"]; the charset linter is implied. */
  linters: readonly string[];
}

/** One AI of the GS1 Barcode Syntax Dictionary; ranges such as 3100-3105 appear as single AIs. */
export interface AiEntry {
  /** 2 to 4 digits, e.g. "01", "235", "3103". */
  ai: string;
  /** The data title after "#", e.g. "BATCH/LOT"; "" when the dictionary gives none. */
  title: string;
  /** Flag "*": a predefined length, so no FNC1 separator ever follows it. */
  fixedLength: boolean;
  /** Flag "?": permitted as a GS1 Digital Link data attribute (query parameter). */
  dlDataAttribute: boolean;
  components: readonly AiComponent[];
  /**
   * From "req=01+21,02,35nn": alternatives, each a group of AIs or patterns ("n" = any digit) that
   * must all be present; one complete group satisfies the rule. Empty: no requirement.
   */
  req: readonly (readonly string[])[];
  /** From "ex=8111,394n": AIs or patterns that may not appear with this AI (never itself). */
  ex: readonly string[];
  /** "dlpkey" present: a GS1 Digital Link primary key. */
  dlPrimaryKey: boolean;
  /** From "dlpkey=22,10,21|235": alternative ordered qualifier sequences; [] for plain "dlpkey". */
  dlKeyQualifiers: readonly (readonly string[])[];
}

/** One element string: an AI and its value, as given (not yet validated). */
export interface AiElement {
  ai: string;
  value: string;
}

/** Where the issues of one element point: the caller's field, value and positions. */
export interface IssueSource {
  /** Issue.field for every issue of this element; default `ais.<ai>` (see aiField). */
  field?: string | null;
  /** Issue.value; default the element's value. */
  value?: unknown;
  /** Issue.position for issues about the element as a whole (req, ex, repeats, unknown AI). */
  at?: number;
  /** Maps a 1-based position in the element's value to Issue.position; default unchanged. */
  position?: (valuePosition: number) => number;
}
