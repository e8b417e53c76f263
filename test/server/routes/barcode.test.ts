// POST /products/api/v1/barcode/ over HTTP with the real engine: every barcode_type's image read
// back by zxing-wasm (PNG directly, SVG through rsvg-convert, PDF through pdftoppm) to the right
// data and symbology identifier, caching and 304, and 422s naming the field, value and rule.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeLinearImage } from "../../helpers/decode.js";
import { expectProblem, type Harness, startApp } from "../../helpers/http.js";
import { rasteriseEps, rasterisePdf, rasteriseSvg } from "../../helpers/raster.js";

const BARCODE = "/products/api/v1/barcode/";

let h: Harness;
beforeAll(async () => {
  h = await startApp({ keyDefault: { perMinute: 100_000, perDay: 1_000_000 } });
});
afterAll(() => h.close());

function post(body: unknown, headers: Record<string, string> = {}, key: string | null = h.key) {
  return fetch(h.url + BARCODE, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(key === null ? {} : { "x-api-key": key }),
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

async function decodeResponse(res: Response) {
  const body = new Uint8Array(await res.arrayBuffer());
  const type = res.headers.get("content-type");
  const png =
    type === "image/png"
      ? body
      : type === "image/svg+xml"
        ? rasteriseSvg(body, ["--dpi-x", "300", "--dpi-y", "300", "--background-color", "white"])
        : type === "application/postscript"
          ? rasteriseEps(body, 300)
          : rasterisePdf(body, 300);
  return { body, decoded: await decodeLinearImage(png) };
}

// What zxing-cpp reads from each type: the digits as an EAN-13 for UPC-A and the expanded
// UPC-A for UPC-E, GS1 data as its element string with GS between variable fields.
const CASES = [
  ["auto, 13 digits → EAN-13", { gtin: "5901234123457" }, "5901234123457", "]E0"],
  ["auto, 8 digits → EAN-8", { gtin: "96385074" }, "96385074", "]E4"],
  ["auto, 12 digits → UPC-A", { gtin: "036000291452" }, "0036000291452", "]E0"],
  ["auto, 14 digits → ITF-14", { gtin: "15400141288763" }, "15400141288763", "]I1"],
  [
    "auto, bracketed AIs → GS1-128",
    { gtin: "(01)09506000134352(10)ABC(21)12" },
    "010950600013435210ABC\x1d2112",
    "]C1",
  ],
  [
    "ean13 without its check digit",
    { gtin: "590123412345", barcode_type: "ean13" },
    "5901234123457",
    "]E0",
  ],
  ["jan", { gtin: "4901234567894", barcode_type: "jan" }, "4901234567894", "]E0"],
  ["upce from 7 digits", { gtin: "0425261", barcode_type: "upce" }, "0042100005264", "]E0"],
  ["upce from its UPC-A", { gtin: "042100005264", barcode_type: "upce" }, "0042100005264", "]E0"],
  [
    "itf14 from a GTIN-13",
    { gtin: "5901234123457", barcode_type: "itf14" },
    "05901234123457",
    "]I1",
  ],
  ["ean14", { gtin: "15400141288763", barcode_type: "ean14" }, "0115400141288763", "]C1"],
  [
    "gs1_128 from element_string (SSCC)",
    { element_string: "(00)106141412345678908", barcode_type: "gs1_128" },
    "00106141412345678908",
    "]C1",
  ],
  [
    "gs1_128 from ais",
    { ais: { "10": "LOT7", "01": "09506000134352", "17": "270630" } },
    "01095060001343521727063010LOT7",
    "]C1",
  ],
  ["code128", { gtin: "Hello, 128!", barcode_type: "code128" }, "Hello, 128!", "]C0"],
  ["code39", { gtin: "CODE 39", barcode_type: "code39" }, "CODE 39", "]A0"],
  [
    "code39 with its check character",
    { gtin: "CODE39", barcode_type: "code39", check_character: true },
    "CODE39W",
    "]A1",
  ],
] as const;

describe("200", () => {
  it.each(CASES)("%s is read back from svg, png, pdf and eps", async (_why, payload, text, id) => {
    for (const format of ["svg", "png", "pdf", "eps"]) {
      const res = await post({ ...payload, format });
      expect(res.status, format).toBe(200);
      const { decoded } = await decodeResponse(res);
      expect([decoded.text, decoded.symbologyIdentifier], format).toEqual([text, id]);
    }
  });

  it("sends a strong ETag over the bytes and 30-day caching, and 304 on If-None-Match", async () => {
    const payload = { gtin: "5901234123457", format: "png", dpi: 600, module_width: 0.5 };
    const res = await post(payload);
    const body = new Uint8Array(await res.arrayBuffer());
    const etag = `"${createHash("sha256").update(body).digest("base64url")}"`;
    expect(res.headers.get("etag")).toBe(etag);
    expect(res.headers.get("cache-control")).toBe("public, max-age=2592000");
    expect(res.headers.get("content-type")).toBe("image/png");
    const again = await post(payload, { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
  });

  it("draws the published defaults: X 0.33 mm, bars 25 mm, quiet zones 6.5 mm (19.7X → 20X)", async () => {
    const res = await post({ gtin: "5901234123457" });
    const svg = await res.text();
    // 20X + 95X + 20X at 0.33 mm
    expect(svg).toContain(`width="${((20 + 95 + 20) * 0.33).toFixed(2)}mm"`);
    expect(svg).not.toContain("<text");
  });

  it("states the module width drawn: whole dots in PNG, as asked in SVG", async () => {
    const png = await post({ gtin: "5901234123457", format: "png", dpi: 300 });
    // 0.33 mm at 300 dpi is 3.9 dots: 4 dots of 25.4 / 300 mm
    expect(png.headers.get("x-module-width-mm")).toBe("0.3387");
    await png.arrayBuffer();
    const svg = await post({ gtin: "5901234123457", format: "svg", module_width: 0.5 });
    expect(svg.headers.get("x-module-width-mm")).toBe("0.5");
    await svg.arrayBuffer();
  });

  it("answers 401 without a key", async () => {
    const res = await post({ gtin: "5901234123457" }, {}, null);
    expect(res.status).toBe(401);
    await res.text();
  });
});

describe("422 validation_error", () => {
  async function expect422(
    payload: unknown,
    details: { loc: string[]; type: string; msg?: string }[],
  ) {
    const res = await post(payload);
    const body = (await res.clone().json()) as {
      details: { loc: string[]; msg: string; type: string }[];
    };
    expect(body.details.map((d) => ({ loc: d.loc, type: d.type }))).toEqual(
      details.map(({ loc, type }) => ({ loc, type })),
    );
    details.forEach((d, i) => {
      if (d.msg) expect(body.details[i].msg).toBe(d.msg);
    });
    await expectProblem(res, 422, "validation_error", "Validation Error", "Validation error.", {
      details: body.details,
    });
  }

  it("names the right check digit of an EAN-13", () =>
    expect422({ gtin: "5901234123458" }, [
      {
        loc: ["body", "gtin"],
        type: "csum",
        msg: 'gtin "5901234123458": check digit 8 at position 13 is wrong; the GS1 mod-10 check digit of the digits before it is 7 (rule csum).',
      },
    ]));

  it("names the right check digit of a UPC-E, from its UPC-A", () =>
    expect422({ gtin: "04252613", barcode_type: "upce" }, [
      {
        loc: ["body", "gtin"],
        type: "csum",
        msg: 'gtin "04252613": check digit 3 at position 8 is wrong; the UPC-A this UPC-E expands to calls for 4 (rule csum).',
      },
    ]));

  it("refuses UPC-E digits no UPC-A suppresses to, like zint", () =>
    expect422({ gtin: "0120003", barcode_type: "upce" }, [
      { loc: ["body", "gtin"], type: "upce" },
    ]));

  it("refuses a JAN outside 45/49", () =>
    expect422({ gtin: "5901234123457", barcode_type: "jan" }, [
      { loc: ["body", "gtin"], type: "jan_prefix" },
    ]));

  it("judges GS1-128 data by the GS1 dictionary (AI 17 month 13, AI 10 without a GTIN)", async () => {
    await expect422({ gtin: "(01)09506000134352(17)271301" }, [
      { loc: ["body", "gtin"], type: "yymmd0" },
    ]);
    await expect422({ element_string: "(10)ABC" }, [
      { loc: ["body", "element_string"], type: "req" },
    ]);
  });

  it("refuses more than 48 GS1-128 data characters", () =>
    expect422({ gtin: `(01)09506000134352(10)${"A".repeat(20)}(21)${"B".repeat(15)}` }, [
      { loc: ["body", "gtin"], type: "length" },
    ]));

  it("tells auto what it cannot guess, and reports every render problem at once", () =>
    expect422({ gtin: "12345", module_width: 3, quiet_zone: -1, bwr_mm: 0.4, font_size: "big" }, [
      { loc: ["body", "gtin"], type: "auto_type" },
      { loc: ["body", "module_width"], type: "range" },
      { loc: ["body", "font_size"], type: "number_type" },
      { loc: ["body", "quiet_zone"], type: "range" },
      { loc: ["body", "bwr_mm"], type: "bwr_width" },
    ]));

  it("refuses a GS1-128 wider than GS1's 165 mm, naming module_width", () =>
    // (01) + (10) of 20: 41 characters, about 250 modules: 250 mm at X = 1 mm.
    expect422({ gtin: `(01)09506000134352(10)${"A1".repeat(10)}`, module_width: 1 }, [
      { loc: ["body", "module_width"], type: "max_width" },
    ]));

  it("refuses a PNG over 4,000,000 pixels, naming dpi", () =>
    expect422(
      { gtin: "5901234123457", format: "png", dpi: 1200, module_width: 1, module_height: 100 },
      [{ loc: ["body", "dpi"], type: "max_pixels" }],
    ));

  it("refuses Code 39 characters outside its set, at their position", () =>
    expect422({ gtin: "abc", barcode_type: "code39" }, [
      {
        loc: ["body", "gtin"],
        type: "charset",
        msg: 'gtin for Code 39: "a" at position 1 is not encodable; Code 39 takes 0-9, A-Z, space and - . $ / + %.',
      },
    ]));
});
