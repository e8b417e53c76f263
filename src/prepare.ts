// Payload to symbol, browser-safe (the preview page imports this file, the server too):
// payload -> payload.ts (validation: gs1/payload + render/options) -> gs1/ai/element-string (or
// gs1/ai/digital-link) -> engine/encode (WASM: encodation, Reed-Solomon, placement). Rendering to
// bytes is the caller's next step.

import { INPUT_CAPACITY, Status } from "./engine/abi.js";
import {
  EncodeError,
  encodeBytes,
  encodeSmallest,
  type SymbolMatrix,
  shapeMask,
} from "./engine/encode.js";
import {
  buildElementString,
  buildHriLines,
  candidateOrders,
  orderForSymbol,
} from "./gs1/ai/element-string.js";
import type { AiElement } from "./gs1/ai/types.js";
import { type Issue, ValidationError } from "./issues.js";
import { parsePayload } from "./payload.js";
import { type Picture, pictureOf } from "./render/layout.js";
import type { RenderOptions } from "./render/options.js";
import type { DataMatrixPayload } from "./request-schema.js";
import type { Shape } from "./types.js";

/** A GS1 DataMatrix symbol: its module matrix and what it encodes. */
export interface EncodeResult extends SymbolMatrix {
  /** The element string as decoders report it: AIs and values, GS ("\x1d") between variable fields. */
  elementString: string;
  /** Human-readable interpretation, e.g. "(01) 00012345678905 (10) LOT-A001". */
  hri: string;
  /** The elements of `hri`, one per line as renderers draw them. */
  hriLines: string[];
}

/** An encoded symbol together with the validated rendering options. */
export interface Prepared {
  symbol: EncodeResult;
  options: RenderOptions;
}

/**
 * Validates the GS1 fields and the rendering options of `payload` together, reporting every
 * problem at once as a ValidationError, then encodes the smallest symbol of the requested shape.
 */
export function prepare(payload: unknown): Prepared {
  const { data, options, issues } = parsePayload(payload);
  if (data === null) throw new ValidationError(issues);
  const { shape, hriTitles } = options;
  const { elements, keepOrder, digitalLink, dlBaseUrl } = data;
  let chosen: { order: AiElement[]; text: string; matrix: SymbolMatrix };
  if (digitalLink !== null) {
    // The URI as plain data: no FNC1 first, so scanners report ]d1 and hand over the URI.
    chosen = {
      order: orderForSymbol(elements),
      text: digitalLink,
      matrix: encodeData(digitalLink, shape, false, dlBaseUrl),
    };
  } else {
    chosen = smallestSymbol(keepOrder ? [elements] : candidateOrders(elements), shape);
  }
  const hriLines = buildHriLines(chosen.order, { titles: hriTitles });
  const symbol: EncodeResult = {
    rows: chosen.matrix.rows,
    columns: chosen.matrix.columns,
    modules: chosen.matrix.modules,
    elementString: chosen.text,
    hri: hriLines.join(" "),
    hriLines,
  };
  return { symbol, options };
}

/**
 * Returns the order whose element string gives the smallest symbol (fewest modules; the first
 * order on a tie, which is the usual one), with that string and symbol. Orders differ only in
 * which variable-length element goes last and so needs no separator; encodation can make any of
 * them the shortest. engine/encode.ts encodeSmallest sizes the others with the planner alone and
 * stops at a lower bound, so most payloads cost one encode. Capacity overflow is a 422.
 */
function smallestSymbol(
  orders: readonly AiElement[][],
  shape: Shape,
): { order: AiElement[]; text: string; matrix: SymbolMatrix } {
  // Every order's string up front (a fraction of a microsecond each): drawing them lazily from a
  // generator, so that most payloads built only the first, cost 5-7 us an encode in V8, more
  // than the whole symbol (encode() of a lot+serial payload 16-17 -> 9-10 us).
  const texts = orders.map(buildElementString);
  try {
    const { choice, matrix } = encodeSmallest(texts, { shapes: shapeMask(shape), gs1: true });
    return { order: orders[choice], text: texts[choice], matrix };
  } catch (err) {
    // Judged on the usual order, as a single order would be (see encodeData).
    if (!(err instanceof EncodeError) || orders.length === 0) throw err;
    throw new ValidationError([encodeIssue(err.status, texts[0], shape, true, undefined)]);
  }
}

/**
 * Encodes `data` (a GS1 element string, or a Digital Link URI as plain data) into the smallest
 * symbol of `shape`. Every refusal of the core becomes a 422 naming a field: too long for the
 * shape or for any symbol (TOO_LONG, INPUT_TOO_LONG), a byte it cannot encode (INVALID_BYTE),
 * nothing to encode (EMPTY). `dlBaseUrl` is the resolver a Digital Link URI starts with.
 */
function encodeData(data: string, shape: Shape, gs1: boolean, dlBaseUrl?: string): SymbolMatrix {
  try {
    return encodeBytes(data, { shapes: shapeMask(shape), gs1 });
  } catch (err) {
    if (!(err instanceof EncodeError)) throw err;
    throw new ValidationError([encodeIssue(err.status, data, shape, gs1, dlBaseUrl)]);
  }
}

/** The issue for a core refusal `status` of `data`: what was refused, in which field, and why. */
function encodeIssue(
  status: Status,
  data: string,
  shape: Shape,
  gs1: boolean,
  dlBaseUrl: string | undefined,
): Issue {
  const what = gs1 ? "element string" : "Digital Link URI";
  if (status === Status.TOO_LONG || status === Status.INPUT_TOO_LONG) {
    return capacityIssue(data, shape, gs1, dlBaseUrl);
  }
  if (status === Status.INVALID_BYTE) {
    const at = [...data].findIndex((c) => c.charCodeAt(0) > (gs1 ? 127 : 255));
    return {
      field: gs1 ? null : "dl_base_url",
      value: null,
      rule: "encodable",
      position: at + 1,
      message: `The ${what} holds a character the symbol cannot encode at position ${at + 1}.`,
    };
  }
  // EMPTY and NO_SHAPE cannot follow a valid payload (validation requires data and a shape),
  // but are answered as the caller's data all the same rather than as a 500.
  return {
    field: status === Status.NO_SHAPE ? "shape" : null,
    value: status === Status.NO_SHAPE ? shape : null,
    rule: "encodable",
    message: `The ${what} cannot be encoded: ${new EncodeError(status).message}`,
  };
}

/**
 * Explains which field makes the data too long and what would fit. A Digital Link URI names
 * dl_base_url when the resolver is most of it, else the payload; an element string that no
 * square holds names the payload; one that a square holds names `shape`.
 */
function capacityIssue(data: string, shape: Shape, gs1: boolean, dlBaseUrl?: string): Issue {
  let square: SymbolMatrix | undefined;
  if (data.length <= INPUT_CAPACITY) {
    try {
      square = encodeBytes(data, { shapes: shapeMask("square"), gs1 });
    } catch {
      square = undefined;
    }
  }
  if (square === undefined && !gs1) {
    const base = dlBaseUrl ?? "";
    const byBase = base.length * 2 > data.length;
    return {
      field: byBase ? "dl_base_url" : null,
      value: byBase ? base : null,
      rule: "capacity",
      message:
        `The Digital Link URI (${data.length} characters, ${base.length} of them dl_base_url) ` +
        "does not fit even the largest symbol (144x144); " +
        (byBase
          ? "a shorter dl_base_url would."
          : 'shorter values or data_format "element_string" would.'),
    };
  }
  if (square === undefined) {
    return {
      field: null,
      value: null,
      rule: "capacity",
      message: `The data (${data.length} characters) does not fit even the largest symbol (144x144).`,
    };
  }
  return {
    field: "shape",
    value: shape,
    rule: "capacity",
    message:
      `shape "${shape}" has no symbol large enough for this data; ` +
      `the smallest square that holds it is ${square.rows}x${square.columns}.`,
  };
}

/**
 * Returns the GS1 DataMatrix for `payload` (the HTTP body shape: gtin, lot, serial, expiry and
 * options): the smallest symbol of the requested shape as a row-major module matrix (1 = dark),
 * the element string and the HRI. Throws ValidationError listing every problem with the payload.
 */
export function encode(payload: DataMatrixPayload): EncodeResult {
  return prepare(payload).symbol;
}

/**
 * Returns the HRI lines to print under a prepared symbol: its lines when its options ask for
 * HRI, else none. The one place that decides it; every renderer prints what it is given.
 */
export function hriLinesOf({ symbol, options }: Prepared): readonly string[] {
  return options.hri ? symbol.hriLines : [];
}

/**
 * Returns the picture of a prepared symbol, laid out once for whichever format draws it
 * (render/svg.ts drawSvg, render/pdf.ts drawPdf, render/png.ts drawPng), with its HRI lines
 * (hriLinesOf). The server and the browser preview both draw from this, so their SVG bytes are
 * identical.
 */
export function pictureOfPrepared(prepared: Prepared): Picture {
  return pictureOf(prepared.symbol, prepared.options, hriLinesOf(prepared));
}
