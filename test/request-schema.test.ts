// src/request-schema.ts: the request described once. The published values (README's field
// table) are written out here, so the table cannot drift from what the service promises.
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { field, flagOf, payloadJsonSchema, REQUEST_FIELDS } from "../src/request-schema.js";

describe("REQUEST_FIELDS", () => {
  it("lists the README's fields in its order", () => {
    expect(REQUEST_FIELDS.map((f) => f.name)).toEqual([
      "gtin",
      "lot",
      "serial",
      "expiry",
      "production_date",
      "ais",
      "element_string",
      "strict_expiry",
      "data_format",
      "dl_base_url",
      "format",
      "shape",
      "xdim_mm",
      "quiet_zone",
      "dpi",
      "dark_color",
      "light_color",
      "hri",
      "hri_titles",
    ]);
  });

  it.each([
    ["strict_expiry", false],
    ["data_format", "element_string"],
    ["dl_base_url", "https://id.gs1.org"],
    ["format", "svg"],
    ["shape", "square"],
    ["xdim_mm", 0.38],
    ["quiet_zone", 2],
    ["dpi", 300],
    ["dark_color", "#000000"],
    ["light_color", "#ffffff"],
    ["hri", false],
    ["hri_titles", false],
  ])("gives %s the published default %j", (name, value) => {
    expect(field(name).default).toBe(value);
  });

  it.each([
    ["xdim_mm", 0.254, 1.5],
    ["quiet_zone", 1, 10],
    ["dpi", 72, 1200],
  ])("bounds %s to %d-%d", (name, minimum, maximum) => {
    expect([field(name).minimum, field(name).maximum]).toEqual([minimum, maximum]);
  });

  it.each([
    ["format", ["svg", "png", "pdf"]],
    ["shape", ["square", "rectangle", "dmre", "auto"]],
    ["data_format", ["element_string", "digital_link"]],
  ])("offers %s as %j", (name, values) => {
    expect(field(name).enum).toEqual(values);
  });

  it("makes lot, serial, expiry, production_date, ais and element_string nullable, no other", () => {
    expect(REQUEST_FIELDS.filter((f) => f.nullable).map((f) => f.name)).toEqual([
      "lot",
      "serial",
      "expiry",
      "production_date",
      "ais",
      "element_string",
    ]);
  });

  it("throws RangeError for a field it lacks", () => {
    expect(() => field("colour")).toThrow(new RangeError('no request field "colour"'));
  });
});

describe("flagOf", () => {
  it("writes underscores as hyphens, and ais as --ai (one AI a flag)", () => {
    expect(flagOf(field("xdim_mm"))).toBe("xdim-mm");
    expect(flagOf(field("gtin"))).toBe("gtin");
    expect(flagOf(field("ais"))).toBe("ai");
  });
});

describe("payloadJsonSchema", () => {
  const schema = payloadJsonSchema() as {
    properties: Record<string, Record<string, unknown>>;
    anyOf: unknown;
  };

  it("requires gtin unless element_string replaces it", () => {
    expect(schema.anyOf).toEqual([{ required: ["gtin"] }, { required: ["element_string"] }]);
  });

  it("writes a nullable field as anyOf with null, its default and words beside", () => {
    expect(schema.properties.expiry).toEqual({
      anyOf: [{ type: "string" }, { type: "null" }],
      title: "Expiry",
      description: field("expiry").description,
    });
  });

  it("writes ais as an object of strings keyed by 2 to 4 digits", () => {
    expect(schema.properties.ais.anyOf).toEqual([
      {
        type: "object",
        additionalProperties: { type: "string" },
        propertyNames: { pattern: "^[0-9]{2,4}$" },
      },
      { type: "null" },
    ]);
  });

  it("carries bounds, enums and patterns", () => {
    expect(schema.properties.dpi).toMatchObject({
      type: "integer",
      minimum: 72,
      maximum: 1200,
      default: 300,
    });
    expect(schema.properties.shape).toMatchObject({
      type: "string",
      enum: ["square", "rectangle", "dmre", "auto"],
    });
    const pattern = new RegExp(String(schema.properties.dark_color.pattern));
    expect(["#000", "#A0b1C2"].map((c) => pattern.test(c))).toEqual([true, true]);
    expect(["black", "#0000", "#00000g"].map((c) => pattern.test(c))).toEqual([
      false,
      false,
      false,
    ]);
  });
});

describe("DataMatrixPayload", () => {
  // The type is derived from the table; the fixture holds what it must accept and refuse (each
  // refusal marked expect-error, which the compiler reports when the refusal does not happen).
  // Compiling takes seconds, more on a loaded machine: hence the long timeout.
  it("accepts the published payloads and refuses wrong fields, types and enum values", () => {
    const fixture = fileURLToPath(new URL("./types/payload.fixture.ts", import.meta.url));
    const program = ts.createProgram([fixture], {
      strict: true,
      noEmit: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      lib: ["lib.es2022.d.ts"],
      skipLibCheck: true,
      types: [],
    });
    const messages = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(messages).toEqual([]);
  }, 120_000);
});
