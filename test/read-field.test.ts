// src/read-field.ts: one optional field read the same way wherever it is, payload or options.
import { describe, expect, it } from "vitest";
import type { Issue } from "../src/issues.js";
import { parsePayload } from "../src/payload.js";
import { fieldOf, readBoolean, readEnum, readText } from "../src/read-field.js";

/** Runs a reader on `{ f: value }` (or `{}` for undefined); returns what it read and said. */
function read<T>(value: unknown, reader: (body: Record<string, unknown>, issues: Issue[]) => T) {
  const issues: Issue[] = [];
  const body = value === undefined ? {} : { f: value };
  return { value: reader(body, issues), issues: issues.map((i) => [i.rule, i.message]) };
}

const bool = (value: unknown) => read(value, (b, i) => readBoolean(b, "f", true, i));
const text = (value: unknown) => read(value, (b, i) => readText(b, "f", "dflt", i));
const oneOf = (value: unknown, allowed: readonly string[] = ["a", "b", "c"]) =>
  read(value, (b, i) => readEnum(b, "f", allowed, "a", i));

describe("readBoolean, readText, readEnum", () => {
  it.each([
    ["boolean, absent", bool(undefined), { value: true, issues: [] }],
    ["boolean, false", bool(false), { value: false, issues: [] }],
    [
      "boolean, a string",
      bool("false"),
      {
        value: true,
        issues: [["boolean_type", 'f must be true or false; got the string "false".']],
      },
    ],
    [
      "boolean, null",
      bool(null),
      { value: true, issues: [["boolean_type", "f must be true or false; got null."]] },
    ],
    ["text, absent", text(undefined), { value: "dflt", issues: [] }],
    ["text, empty", text(""), { value: "", issues: [] }],
    [
      "text, a number",
      text(7),
      { value: "dflt", issues: [["string_type", "f must be a string; got the number 7."]] },
    ],
    ["enum, absent", oneOf(undefined), { value: "a", issues: [] }],
    ["enum, allowed", oneOf("c"), { value: "c", issues: [] }],
    [
      "enum, another case",
      oneOf("B"),
      { value: "a", issues: [["enum", 'f must be one of "a", "b" or "c"; got "B".']] },
    ],
    [
      "enum of two",
      oneOf("x", ["a", "b"]),
      { value: "a", issues: [["enum", 'f must be one of "a" or "b"; got "x".']] },
    ],
    [
      "enum of one",
      oneOf("x", ["a"]),
      { value: "a", issues: [["enum", 'f must be "a"; got "x".']] },
    ],
    [
      "enum, an array",
      oneOf(["a"]),
      { value: "a", issues: [["string_type", "f must be a string; got an array."]] },
    ],
  ])("%s", (_case, actual, expected) => {
    expect(actual).toEqual(expected);
  });

  it("words a payload field and a rendering option alike", () => {
    const { issues } = parsePayload({
      gtin: "09506000134352",
      serial: "7",
      data_format: "uri",
      format: "gif",
      strict_expiry: "yes",
      hri: "yes",
    });
    expect(issues.map((i) => i.message)).toEqual([
      'data_format must be one of "element_string" or "digital_link"; got "uri".',
      'strict_expiry must be true or false; got the string "yes".',
      'format must be one of "svg", "png" or "pdf"; got "gif".',
      'hri must be true or false; got the string "yes".',
    ]);
  });
});

describe("fieldOf", () => {
  it("reads own fields only: an inherited one is absent, as is a missing one", () => {
    const inherited = Object.create({ format: "png" }) as Record<string, unknown>;
    inherited.gtin = "09501101530003";
    expect(fieldOf(inherited, "gtin")).toBe("09501101530003");
    expect(fieldOf(inherited, "format")).toBeUndefined();
    expect(fieldOf({}, "toString")).toBeUndefined();
    expect(fieldOf({ hri: null }, "hri")).toBeNull();
  });

  it("gives a payload made by spreading another the same reading as its literal twin", () => {
    const base = { gtin: "09501101530003", lot: "A1", format: "pdf" };
    const spread = { ...base, serial: "S1", hri: true };
    const literal = { gtin: "09501101530003", lot: "A1", format: "pdf", serial: "S1", hri: true };
    expect(parsePayload(spread)).toEqual(parsePayload(literal));
    expect(parsePayload(spread).options.format).toBe("pdf");
  });
});
