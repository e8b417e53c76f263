// Every GS1 AI, element strings and Digital Link over real HTTP: the 422 details point into the
// body (["body", "ais", "7003"]) and name the AI, its title and the rule; symbols decode.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hriOutlines, outlineOf } from "../../helpers/hri-outlines.js";
import { decodeBody, type Harness, post, startApp } from "../../helpers/http.js";

let h: Harness;
beforeAll(async () => {
  h = await startApp();
});
afterAll(() => h.close());

async function details(res: Response) {
  expect(res.status).toBe(422);
  const body = (await res.json()) as { details: { loc: string[]; msg: string; type: string }[] };
  return body.details;
}

async function decoded(res: Response) {
  expect(res.status).toBe(200);
  return decodeBody(new Uint8Array(await res.arrayBuffer()), res.headers.get("content-type") ?? "");
}

describe("ais and production_date", () => {
  it("encode further AIs and the production date, decoded back", async () => {
    const res = await post(h, {
      gtin: "09506000134352",
      lot: "ABC123",
      production_date: "260115",
      ais: { "7003": "2706301200", "714": "1234567" },
      format: "png",
    });
    const d = await decoded(res);
    expect(d.symbologyIdentifier).toBe("]d2");
    // Predefined-length AIs first (01, 11), then the variable ones, GS between them.
    expect(d.text.startsWith("0109506000134352" + "11260115")).toBe(true);
    expect(d.text.slice(24).split("\x1d").sort()).toEqual(
      ["10ABC123", "70032706301200", "7141234567"].sort(),
    );
  });

  it("point each problem at its AI in ais, naming the AI, its title and the rule", async () => {
    const res = await post(h, {
      gtin: "09506000134352",
      lot: "A",
      ais: { "7003": "2713301200", "9999": "x", "8200": 5 },
    });
    const found = await details(res);
    // JSON object keys that are integers come out in numeric order.
    expect(found.map((d) => [d.loc, d.type])).toEqual([
      [["body", "ais", "7003"], "yymmdd"],
      [["body", "ais", "8200"], "string_type"],
      [["body", "ais", "9999"], "unknown_ai"],
    ]);
    expect(found[0].msg).toContain("AI (7003) EXPIRY TIME");
  });

  it("refuse an association the dictionary forbids: 21 with 235", async () => {
    const res = await post(h, { gtin: "09506000134352", serial: "1", ais: { "235": "12" } });
    const found = await details(res);
    expect(found.map((d) => [d.loc, d.type])).toEqual([[["body", "serial"], "ex"]]);
    expect(found[0].msg).toBe("AI (21) SERIAL may not be used with AI (235) TPX (rule ex).");
  });

  it("refuse an AI given both as a named field and in ais", async () => {
    const res = await post(h, { gtin: "09506000134352", lot: "A", ais: { "10": "B" } });
    const found = await details(res);
    expect(found.map((d) => [d.loc, d.type])).toEqual([[["body", "ais", "10"], "repeated_ai"]]);
  });
});

describe("element_string", () => {
  it("keeps the order given, with escaped parentheses in values", async () => {
    const res = await post(h, {
      element_string: "(01)09506000134352(10)A\\(B\\)(17)270630",
      format: "svg",
    });
    const d = await decoded(res);
    expect([d.text, d.symbologyIdentifier]).toEqual([
      "0109506000134352" + "10A(B)\x1d" + "17270630",
      "]d2",
    ]);
  });

  it("is refused beside the named fields, and its problems carry a position", async () => {
    const both = await details(await post(h, { gtin: "09506000134352", element_string: "(01)1" }));
    expect(both.map((d) => [d.loc, d.type])).toContainEqual([
      ["body", "element_string"],
      "exclusive",
    ]);
    const bad = await details(await post(h, { element_string: "(01)09506000134353(10)A" }));
    expect(bad.map((d) => [d.loc, d.type])).toEqual([[["body", "element_string"], "csum"]]);
  });
});

describe("GS1 Digital Link", () => {
  it("encodes the URI (]d1), primary key and qualifiers in the path, attributes in the query", async () => {
    const res = await post(h, {
      gtin: "09506000134352",
      lot: "ABC123",
      expiry: "270630",
      data_format: "digital_link",
      format: "png",
    });
    const d = await decoded(res);
    expect([d.text, d.symbologyIdentifier]).toEqual([
      "https://id.gs1.org/01/09506000134352/10/ABC123?17=270630",
      "]d1",
    ]);
  });

  it("takes another resolver, and refuses one that is not http(s)", async () => {
    const ok = await post(h, {
      gtin: "09506000134352",
      serial: "S/1",
      data_format: "digital_link",
      dl_base_url: "https://example.com/dl/",
      format: "png",
    });
    expect((await decoded(ok)).text).toBe("https://example.com/dl/01/09506000134352/21/S%2F1");
    const bad = await post(h, {
      gtin: "09506000134352",
      lot: "A",
      data_format: "digital_link",
      dl_base_url: "ftp://example.com",
    });
    expect((await details(bad)).map((d) => [d.loc, d.type])).toEqual([
      [["body", "dl_base_url"], "base_url"],
    ]);
  });
});

describe("hri_titles", () => {
  it("prints each AI's data title before it", async () => {
    const res = await post(h, { gtin: "09506000134352", lot: "A", hri: true, hri_titles: true });
    const svg = await res.text();
    // HRI is outlines: each line's path is the font table's glyphs for the titled text.
    expect(hriOutlines(svg)).toEqual([
      outlineOf("GTIN (01) 09506000134352"),
      outlineOf("BATCH/LOT (10) A"),
    ]);
  });
});
