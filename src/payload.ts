// The one entry for a payload (HTTP body, library input, CLI flags, preview form): judged once as
// a JSON object, then its GS1 data (gs1/payload.ts: the GS1 rules) and its rendering options
// (render/options.ts), with every problem of both reported together, in field order.

import { type Gs1Data, parseGs1Payload } from "./gs1/payload.js";
import { describeValue, type Issue } from "./issues.js";
import { DEFAULT_RENDER_OPTIONS, type RenderOptions } from "./render/options.js";
import { parseRenderOptions } from "./render/parse-options.js";

/** A judged payload: the data and options (null data when anything is wrong) and every issue. */
export interface ParsedPayload {
  data: Gs1Data | null;
  options: RenderOptions;
  issues: Issue[];
}

/**
 * Validates `input` as a whole. A non-object gives exactly one `object_type` issue; otherwise
 * the GS1 issues come first, then the rendering ones. `data` is null exactly when `issues` is
 * non-empty; `options` holds the defaults for fields that failed. `now` judges two-digit years.
 */
export function parsePayload(input: unknown, now?: Date): ParsedPayload {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    const issue: Issue = {
      field: null,
      value: input,
      rule: "object_type",
      message: `The payload must be a JSON object; got ${describeValue(input)}.`,
    };
    return { data: null, options: { ...DEFAULT_RENDER_OPTIONS }, issues: [issue] };
  }
  const gs1 = parseGs1Payload(input, now);
  const options = parseRenderOptions(input);
  const issues = [...gs1.issues, ...options.issues];
  return { data: issues.length === 0 ? gs1.data : null, options: options.options, issues };
}
