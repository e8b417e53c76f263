// A 1D payload → image bytes: validate (payload.ts), encode in the WASM core, lay out once, draw
// the format asked for. The one entry the HTTP route, and any other caller, uses.
import { LinearStatus } from "../engine/abi.js";
import {
  encodeLinearRuns,
  isRefusal,
  type LinearRefusal,
  type LinearRuns,
} from "../engine/linear.js";
import { type Issue, ValidationError } from "../issues.js";
import { linearEps } from "../render/linear/eps.js";
import { type LinearLayout, layoutLinear } from "../render/linear/layout.js";
import { linearPdf } from "../render/linear/pdf.js";
import { linearSvg } from "../render/linear/svg.js";
import { MAX_PNG_PIXELS } from "../render/options.js";
import { linearDots, linearPng } from "../render/raster/linear-png.js";
import { GS1_128_MAX_WIDTH_MM } from "./fields.js";
import { type BarcodeRequest, parseBarcodePayload } from "./payload.js";

const CONTENT_TYPES = {
  svg: "image/svg+xml",
  png: "image/png",
  pdf: "application/pdf",
  eps: "application/postscript",
} as const;

/** A rendered 1D barcode: its bytes, MIME type, and the module width drawn. */
export interface BarcodeImage {
  body: Buffer;
  contentType: string;
  /** X as drawn, mm: module_width for the vector formats, whole dots at dpi for PNG. */
  moduleWidthMm: number;
}

/** What the 1D route renders with: renderBarcode, or a stand-in in tests. */
export type BarcodeRenderer = (payload: unknown) => Promise<BarcodeImage>;

/**
 * Validates `payload` (see parseBarcodePayload), encodes and draws it, and resolves to the image
 * bytes, MIME type and the module width drawn; identical payloads give identical bytes. Rejects with ValidationError
 * listing every problem: the payload's, then the core's refusals (UPC-E digits no UPC-A
 * suppresses to, a UPC-E check digit), a GS1-128 wider than 165 mm, a PNG over MAX_PNG_PIXELS.
 */
export async function renderBarcode(payload: unknown): Promise<BarcodeImage> {
  return draw(payload).image;
}

/** A drawn 1D barcode with what was judged and laid out: for callers that describe it (label export). */
export interface DrawnBarcode {
  image: BarcodeImage;
  request: BarcodeRequest;
  /** The characters the symbol carries, as a scanner would transmit them less the symbology
   * identifier, check characters included; GS1-128 as its bracketed element string. */
  text: string;
  /** The printed human-readable text ("" without write_text). */
  hri: string;
  /** Picture size in mm, quiet zones, bearer bars and text included (PNG: as the whole dots). */
  widthMm: number;
  heightMm: number;
}

/**
 * The synchronous core of renderBarcode: the same validation, refusals and bytes (throws the
 * same ValidationError), plus the request, the encoded text, the printed text and the size.
 */
export function drawBarcode(payload: unknown): DrawnBarcode {
  const { image, request, runs, layout, widthMm } = draw(payload);
  const text = request.hri ?? runs.text;
  // As the layout prints it: unprintable characters (a GS) as spaces; the quiet-zone marks are
  // no part of the text.
  const hri = request.layout.writeText ? text.replace(/[^\x20-\x7e]/g, " ") : "";
  if (request.format !== "png") {
    return { image, request, text, hri, widthMm, heightMm: layout.heightMm };
  }
  const { width, height } = linearDots(layout, request.dpi);
  const mmPerDot = 25.4 / request.dpi;
  return { image, request, text, hri, widthMm: width * mmPerDot, heightMm: height * mmPerDot };
}

// Validate, encode, lay out and draw: the endpoint's path, with what drawBarcode describes.
function draw(payload: unknown): {
  image: BarcodeImage;
  request: BarcodeRequest;
  runs: LinearRuns;
  layout: LinearLayout;
  widthMm: number;
} {
  const { request, issues } = parseBarcodePayload(payload);
  if (request === null) throw new ValidationError(issues);
  const runs = encodeLinearRuns(request.symbology, request.data, request.flags);
  if (isRefusal(runs)) throw new ValidationError([toIssue(runs, request)]);
  const layout = layoutLinear(runs, request.layout, request.hri);
  const widthMm = layout.widthModules * layout.moduleMm;
  if (request.hri !== undefined && widthMm > GS1_128_MAX_WIDTH_MM) {
    throw new ValidationError([
      {
        field: "module_width",
        value: request.layout.moduleWidthMm,
        rule: "max_width",
        message: `A GS1-128 symbol may be at most ${GS1_128_MAX_WIDTH_MM} mm wide with its quiet zones; this one is ${widthMm.toFixed(2)} mm. Lower module_width or quiet_zone, or send less data.`,
      },
    ]);
  }
  const colors = { darkColor: request.darkColor, lightColor: request.lightColor };
  const contentType = CONTENT_TYPES[request.format];
  const moduleWidthMm = request.layout.moduleWidthMm;
  let body: Buffer;
  if (request.format === "png") {
    const dots = linearDots(layout, request.dpi);
    const { width, height } = dots;
    if (width * height > MAX_PNG_PIXELS) {
      throw new ValidationError([
        {
          field: "dpi",
          value: request.dpi,
          rule: "max_pixels",
          message:
            `The PNG would be ${width}x${height} pixels (${width * height}), over the limit of ` +
            `${MAX_PNG_PIXELS}; lower dpi, module_width or module_height, or ask for svg or pdf.`,
        },
      ]);
    }
    const image = {
      body: linearPng(layout, colors, request.dpi),
      contentType,
      moduleWidthMm: dots.moduleMm,
    };
    return { image, request, runs, layout, widthMm };
  }
  if (request.format === "pdf") {
    const bytes = linearPdf(layout, colors);
    body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } else if (request.format === "eps") {
    body = Buffer.from(linearEps(layout, colors), "latin1");
  } else {
    const svg = linearSvg(layout, colors, request.embedFont);
    body = Buffer.from(svg.buffer, svg.byteOffset, svg.byteLength);
  }
  return { image: { body, contentType, moduleWidthMm }, request, runs, layout, widthMm };
}

// The core's refusal of data the payload reader let through, as an issue on gtin.
function toIssue(refusal: LinearRefusal, request: BarcodeRequest): Issue {
  const value = request.data;
  const position = refusal.position >= 0 ? refusal.position + 1 : undefined;
  const at = position === undefined ? {} : { position };
  switch (refusal.status) {
    case LinearStatus.BAD_CHECK_DIGIT:
      return {
        field: "gtin",
        value,
        rule: "csum",
        ...at,
        message: `gtin ${JSON.stringify(value)}: check digit ${value[refusal.position]} at position ${position} is wrong; the ${request.type === "upce" ? "UPC-A this UPC-E expands to calls" : "data calls"} for ${refusal.expectedCheck} (rule csum).`,
      };
    case LinearStatus.NOT_SUPPRESSED:
      return {
        field: "gtin",
        value,
        rule: "upce",
        ...at,
        message: `gtin ${JSON.stringify(value)} is no UPC-E: no UPC-A zero-suppresses to it (with a last digit of 3 the third must be 3-9, with 4 the fourth not 0, with 5-9 the fifth not 0; the digit at position ${position} breaks this) (rule upce).`,
      };
    case LinearStatus.NOT_COMPRESSIBLE:
      return {
        field: "gtin",
        value,
        rule: "upce",
        message: `gtin ${JSON.stringify(value)}: this UPC-A has no UPC-E form (its manufacturer and product codes lack the zeros UPC-E suppresses) (rule upce).`,
      };
    case LinearStatus.BAD_NUMBER_SYSTEM:
      return {
        field: "gtin",
        value,
        rule: "upce",
        ...at,
        message: `gtin ${JSON.stringify(value)}: UPC-E needs number system 0 or 1 as its first digit; got ${value[0]} (rule upce).`,
      };
    default:
      return {
        field: "gtin",
        value,
        rule: "encodable",
        ...at,
        message: `gtin ${JSON.stringify(value)} cannot be encoded as ${request.type} (${LinearStatus[refusal.status]}).`,
      };
  }
}
