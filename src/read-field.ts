// Readers of one optional JSON field of a request body, shared by the payload
// (src/gs1/payload.ts) and the render options (src/render/parse-options.ts), so the same kind of
// mistake reads the same in every field: each returns the value, or `fallback` when it is
// absent, or `fallback` after recording an Issue that names the field, the value and the rule.
// Browser-safe (the preview validates with it too).

import { describeValue, type Issue } from "./issues.js";

/**
 * Returns `body[field]` when `body` has it as an own property, else undefined (an inherited
 * property is no field of a payload). Looked up through Object.hasOwn first: a missing field
 * read straight from an object made by spreading another ({ ...payload, serial }) cost about
 * 150 ns in V8 once the read had seen several payload shapes, against 10 through hasOwn; a
 * payload has some twenty optional fields and most are absent.
 */
export function fieldOf(body: Record<string, unknown>, field: string): unknown {
  return Object.hasOwn(body, field) ? body[field] : undefined;
}

/** Reads `body[field]` as true or false (rule "boolean_type"). */
export function readBoolean(
  body: Record<string, unknown>,
  field: string,
  fallback: boolean,
  issues: Issue[],
): boolean {
  const value = fieldOf(body, field);
  if (value === undefined) return fallback;
  if (typeof value === "boolean") return value;
  issues.push({
    field,
    value,
    rule: "boolean_type",
    message: `${field} must be true or false; got ${describeValue(value)}.`,
  });
  return fallback;
}

/** Reads `body[field]` as a string (rule "string_type"). */
export function readText(
  body: Record<string, unknown>,
  field: string,
  fallback: string,
  issues: Issue[],
): string {
  const value = fieldOf(body, field);
  if (value === undefined) return fallback;
  if (typeof value === "string") return value;
  issues.push({
    field,
    value,
    rule: "string_type",
    message: `${field} must be a string; got ${describeValue(value)}.`,
  });
  return fallback;
}

/** Reads `body[field]` as one of `allowed`, exactly (rules "string_type", then "enum"). */
export function readEnum<T extends string>(
  body: Record<string, unknown>,
  field: string,
  allowed: readonly T[],
  fallback: T,
  issues: Issue[],
): T {
  const value = fieldOf(body, field);
  if (value === undefined) return fallback;
  if (typeof value !== "string") return readText(body, field, fallback, issues) as T;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const list = allowed.map((a) => JSON.stringify(a));
  const expected =
    list.length === 1 ? list[0] : `one of ${list.slice(0, -1).join(", ")} or ${list.at(-1)}`;
  issues.push({
    field,
    value,
    rule: "enum",
    message: `${field} must be ${expected}; got ${JSON.stringify(value)}.`,
  });
  return fallback;
}
