// src/payload.ts: one judgement of the whole payload, GS1 data and rendering options together.
import { describe, expect, it } from "vitest";
import { parsePayload } from "../src/payload.js";

describe("parsePayload", () => {
  it.each([["a string"], [null], [[1]], [undefined]])(
    "gives exactly one object_type issue for %j",
    (input) => {
      const { data, issues } = parsePayload(input);
      expect(data).toBeNull();
      expect(issues.map((i) => [i.field, i.rule])).toEqual([[null, "object_type"]]);
    },
  );

  it("reports GS1 and rendering problems together, GS1 first", () => {
    const { data, issues } = parsePayload({ gtin: "1", lot: "A", dpi: 5, ais: { "7003": "x" } });
    expect(data).toBeNull();
    expect(issues.map((i) => [i.field, i.rule])).toEqual([
      ["gtin", "length"],
      ["ais.7003", "length"],
      ["ais.7003", "csetnumeric"],
      ["dpi", "range"],
    ]);
  });

  it("gives the data and the options when all is well", () => {
    const { data, options, issues } = parsePayload({
      gtin: "09506000134352",
      serial: "7",
      format: "pdf",
    });
    expect(issues).toEqual([]);
    expect(data?.elements).toEqual([
      { ai: "01", value: "09506000134352" },
      { ai: "21", value: "7" },
    ]);
    expect(options.format).toBe("pdf");
  });
});
