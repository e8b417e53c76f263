// POST /products/api/v1/qr/ over HTTP with the real engine: images decoded by zxing-wasm back to
// the Digital Link URI (]Q1) or element string (]Q3) written out here from the GS1 rules, the
// published fields (gtin separators, size, error_correction), caching and 304, and the 4xx.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeImage } from "../../helpers/decode.js";
import {
  decodeBody,
  expectedElementString,
  type Harness,
  postTo,
  QR,
  startApp,
} from "../../helpers/http.js";

const PAYLOAD = { gtin: "09506000134352", lot: "LOT-A001", serial: "SN-0001", expiry: "270630" };
// The GS1 Digital Link URI of PAYLOAD (DL standard 1.4: key, qualifiers 10 then 21 in the path,
// data attribute 17 in the query), written out by hand.
const PAYLOAD_URI = "https://id.gs1.org/01/09506000134352/10/LOT-A001/21/SN-0001?17=270630";
const CONTENT_TYPES = { svg: "image/svg+xml", png: "image/png", pdf: "application/pdf" } as const;

let h: Harness;
beforeAll(async () => {
  h = await startApp({ keyDefault: { perMinute: 100_000, perDay: 1_000_000 } });
});
afterAll(() => h.close());

function post(body: unknown, headers: Record<string, string> = {}, key?: string | null) {
  return postTo(h, QR, body, headers, key === undefined ? h.key : key);
}

async function decoded(res: Response) {
  const body = new Uint8Array(await res.arrayBuffer());
  const read = await decodeBody(body, res.headers.get("content-type") ?? "", "QRCode");
  return { body, text: read.text, symbology: read.symbologyIdentifier };
}

describe("200", () => {
  it.each(["svg", "png", "pdf"] as const)(
    "renders %s of the Digital Link URI by default, with strong ETag and 30-day caching",
    async (format) => {
      const res = await post({ ...PAYLOAD, format });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe(CONTENT_TYPES[format]);
      expect(res.headers.get("cache-control")).toBe("public, max-age=2592000");
      const { body, text, symbology } = await decoded(res);
      expect({ text, symbology }).toEqual({ text: PAYLOAD_URI, symbology: "]Q1" });
      const tag = `"${createHash("sha256").update(body).digest("base64url")}"`;
      expect(res.headers.get("etag")).toBe(tag);
    },
  );

  it("encodes a GS1 QR Code (FNC1 first, ]Q3) for data_format element_string", async () => {
    const res = await post({ ...PAYLOAD, data_format: "element_string", format: "png" });
    expect(res.status).toBe(200);
    const { text, symbology } = await decoded(res);
    expect({ text, symbology }).toEqual({ text: expectedElementString(PAYLOAD), symbology: "]Q3" });
  });

  it("strips spaces and hyphens from gtin", async () => {
    const res = await post({ gtin: "0 9506-0001 3435-2", lot: "A1", format: "png" });
    expect(res.status).toBe(200);
    expect((await decoded(res)).text).toBe("https://id.gs1.org/01/09506000134352/10/A1");
  });

  it("takes dl_base_url and further AIs as the datamatrix endpoint does", async () => {
    const res = await post({
      gtin: "09506000134352",
      serial: "X/1",
      ais: { "7003": "2706301200" },
      dl_base_url: "https://brand.example/dl/",
      format: "png",
    });
    expect(res.status).toBe(200);
    expect((await decoded(res)).text).toBe(
      "https://brand.example/dl/01/09506000134352/21/X%2F1?7003=2706301200",
    );
  });

  it("draws a PNG at most size pixels wide, in whole pixels per module", async () => {
    for (const size of [50, 400, 777, 2000]) {
      const res = await post({ ...PAYLOAD, format: "png", size });
      expect(res.status).toBe(200);
      const body = new Uint8Array(await res.arrayBuffer());
      const { width, height } = await sharp(body).metadata();
      expect(width).toBe(height);
      expect(width).toBeLessThanOrEqual(Math.max(size, 3 * 41));
      // The symbol with its quiet zone (version 3 here: 29 + 8 modules) fills all but a module.
      expect(width as number).toBeGreaterThan(size - 37 * 2);
    }
  });

  it("makes an SVG size points wide, and ignores size when xdim_mm is given", async () => {
    const svg = async (extra: object) => {
      const res = await post({ ...PAYLOAD, ...extra });
      return Buffer.from(await res.arrayBuffer()).toString("latin1");
    };
    const widthMm = (text: string) => Number(/width="([0-9.]+)mm"/.exec(text)?.[1]);
    expect(widthMm(await svg({ size: 720 }))).toBeCloseTo(254, 2);
    const fixed = await svg({ size: 720, xdim_mm: 0.5 });
    expect(widthMm(fixed) / 0.5).toBe(Math.round(widthMm(fixed) / 0.5));
    expect(widthMm(fixed)).not.toBeCloseTo(254, 0);
  });

  it("grows the symbol with error_correction, and every level decodes", async () => {
    const sides: number[] = [];
    for (const level of ["L", "M", "Q", "H"]) {
      const res = await post({
        ...PAYLOAD,
        error_correction: level,
        format: "png",
        xdim_mm: 0.5,
        dpi: 254,
      });
      expect(res.status).toBe(200);
      const body = new Uint8Array(await res.arrayBuffer());
      const { width } = await sharp(body).metadata();
      // 5 pixels per module at 254 dpi and 0.5 mm; 4 modules of quiet zone each side.
      sides.push((width as number) / 5 - 8);
      expect((await decodeBody(body, "image/png", "QRCode")).text).toBe(PAYLOAD_URI);
    }
    expect(sides).toEqual([...sides].sort((a, b) => a - b));
    expect(sides[3]).toBeGreaterThan(sides[0]);
  });

  it("draws version 40 (177x177) in every format the renderers share", async () => {
    // A 2,820-character resolver: past version 39-L (2,809 bytes), within 40-L (2,953).
    const base = `https://example.com/${"a/".repeat(1400)}`;
    const uri = `${base.slice(0, -1)}/01/09506000134352/10/A`;
    for (const format of ["png", "svg", "pdf", "eps", "tif"] as const) {
      const res = await post({
        gtin: "09506000134352",
        lot: "A",
        dl_base_url: base,
        error_correction: "L",
        format,
        size: 2000,
      });
      expect(res.status, format).toBe(200);
      if (format === "png") {
        const body = new Uint8Array(await res.arrayBuffer());
        const { width } = await sharp(body).metadata();
        // 177 modules and 4 on each side at 10 pixels each.
        expect(width).toBe(1850);
        expect((await decodeBody(body, "image/png", "QRCode")).text).toBe(uri);
      }
    }
  });

  it("answers 304 to If-None-Match with the ETag it sent", async () => {
    const first = await post(PAYLOAD);
    const etag = first.headers.get("etag") as string;
    const again = await post(PAYLOAD, { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
  });
});

describe("4xx", () => {
  async function details(res: Response) {
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const body = (await res.json()) as { details: { loc: string[]; type: string }[] };
    return body.details.map((d) => [d.loc.join("."), d.type]);
  }

  it("refuses size, error_correction and a bad GTIN check digit naming each field and rule", async () => {
    const res = await post({
      gtin: "09506000134353",
      lot: "A",
      size: 49,
      error_correction: "X",
    });
    expect(await details(res)).toEqual([
      ["body.gtin", "csum"],
      ["body.error_correction", "enum"],
      ["body.size", "range"],
    ]);
  });

  it("names error_correction when a lower level would hold data too long for version 40", async () => {
    const lot = "A".repeat(20);
    // A 1,420-character resolver: past version 40-H's 1,273 bytes, within 40-Q's 1,663.
    const res = await post({
      gtin: "09506000134352",
      lot,
      dl_base_url: `https://example.com/${"p/".repeat(700)}`,
      error_correction: "H",
    });
    expect(await details(res)).toEqual([["body.error_correction", "capacity"]]);
  });

  it("needs a key (401) and allows POST only (405)", async () => {
    expect((await post(PAYLOAD, {}, null)).status).toBe(401);
    const res = await fetch(h.url + QR, { headers: { "x-api-key": h.key } });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });
});

describe("OpenAPI", () => {
  it("documents the endpoint with QrPayload, whose examples the endpoint renders and zxing reads", async () => {
    const doc = (await (await fetch(`${h.url}/openapi.json`)).json()) as {
      paths: Record<string, { post?: { operationId: string; requestBody: unknown } }>;
      components: { schemas: Record<string, { examples: object[]; properties: object }> };
    };
    expect(doc.paths[QR]?.post?.operationId).toBe("generate_qr");
    expect(JSON.stringify(doc.paths[QR]?.post?.requestBody)).toContain("QrPayload");
    const schema = doc.components.schemas.QrPayload;
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(["gtin", "size", "error_correction", "data_format", "quiet_zone"]),
    );
    expect(Object.keys(schema.properties)).not.toContain("shape");
    for (const example of schema.examples) {
      const res = await post({ ...example, format: "png" });
      expect(res.status).toBe(200);
      expect((await decoded(res)).symbology).toBe("]Q1");
    }
  });
});

describe("TIFF", () => {
  it("holds the PNG's pixels and resolution as image/tiff, and decodes", async () => {
    const tif = await post({ ...PAYLOAD, format: "tif", size: 300, dpi: 600 });
    expect(tif.status).toBe(200);
    expect(tif.headers.get("content-type")).toBe("image/tiff");
    const body = new Uint8Array(await tif.arrayBuffer());
    const meta = await sharp(body).metadata();
    expect(meta.format).toBe("tiff");
    const png = new Uint8Array(
      await (await post({ ...PAYLOAD, format: "png", size: 300, dpi: 600 })).arrayBuffer(),
    );
    const pngMeta = await sharp(png).metadata();
    expect([meta.width, meta.height]).toEqual([pngMeta.width, pngMeta.height]);
    expect(Math.round(meta.density ?? 0)).toBe(Math.round(pngMeta.density ?? 0));
    const [a, b] = await Promise.all(
      [body, png].map((image) => sharp(image).greyscale().raw().toBuffer()),
    );
    expect(a.equals(b)).toBe(true);
    const read = await decodeImage(body, "QRCode");
    expect([read.text, read.symbologyIdentifier]).toEqual([PAYLOAD_URI, "]Q1"]);
  });
});

describe("EPS", () => {
  // Ghostscript renders the EPS (cropped to its %%BoundingBox) to a PNG zxing-wasm reads.
  function ghostscript(eps: Uint8Array, dpi: number): Uint8Array {
    const dir = mkdtempSync(join(tmpdir(), "qr-eps-"));
    try {
      writeFileSync(join(dir, "in.eps"), eps);
      const run = spawnSync(
        "gs",
        [
          "-q",
          "-dSAFER",
          "-dBATCH",
          "-dNOPAUSE",
          "-dEPSCrop",
          "-sDEVICE=pnggray",
          `-r${dpi}`,
          `-sOutputFile=${join(dir, "out.png")}`,
          join(dir, "in.eps"),
        ],
        { encoding: "utf8" },
      );
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      return new Uint8Array(readFileSync(join(dir, "out.png")));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it("is DSC-conformant EPSF 3.0, size points square, that Ghostscript draws and zxing reads", async () => {
    const res = await post({ ...PAYLOAD, format: "eps", size: 288 });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/postscript");
    const eps = new Uint8Array(await res.arrayBuffer());
    const text = Buffer.from(eps).toString("latin1");
    expect(text.startsWith("%!PS-Adobe-3.0 EPSF-3.0\n")).toBe(true);
    expect(text).toContain("\n%%BoundingBox: 0 0 288 288\n");
    expect(text).toContain("\n%%HiResBoundingBox: 0 0 288 288\n");
    expect(text).toContain("\n%%EndComments\n");
    expect(text.endsWith("%%EOF\n")).toBe(true);
    expect(text.slice(text.indexOf("%%EndProlog"))).not.toMatch(/ k\n/);
    // 288 pt at 100 dpi: a 400-pixel square.
    const png = ghostscript(eps, 100);
    const meta = await sharp(png).metadata();
    expect([meta.width, meta.height]).toEqual([400, 400]);
    const read = await decodeBody(png, "image/png", "QRCode");
    expect([read.text, read.symbologyIdentifier]).toEqual([PAYLOAD_URI, "]Q1"]);
    // Deterministic: the same body, the same bytes.
    const again = new Uint8Array(
      await (await post({ ...PAYLOAD, format: "eps", size: 288 })).arrayBuffer(),
    );
    expect(Buffer.from(again).equals(Buffer.from(eps))).toBe(true);
  });

  it("is QR only: the datamatrix endpoint refuses format eps", async () => {
    const res = await postTo(h, "/products/api/v1/datamatrix/", { ...PAYLOAD, format: "eps" });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { details: { loc: string[] }[] };
    expect(body.details.map((d) => d.loc.join("."))).toEqual(["body.format"]);
  });

  it("writes CMYK colours with cmyk, and still reads", async () => {
    const res = await post({
      ...PAYLOAD,
      format: "eps",
      cmyk: true,
      dark_color: "#102030",
      light_color: "#ffffee",
      hri: true,
    });
    expect(res.status).toBe(200);
    const eps = new Uint8Array(await res.arrayBuffer());
    const text = Buffer.from(eps).toString("latin1");
    const body = text.slice(text.indexOf("%%EndProlog"));
    expect(body).toMatch(/ k\n/);
    expect(body).not.toMatch(/ (rg|g)\n/);
    const read = await decodeBody(ghostscript(eps, 150), "image/png", "QRCode");
    expect(read.text).toBe(PAYLOAD_URI);
  });
});
