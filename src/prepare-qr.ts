// QR payload to symbol, browser-safe like prepare.ts: payload -> payload.ts parseQrPayload
// (the same GS1 and rendering validation as DataMatrix, QR defaults) -> the Digital Link URI
// (plain data, ]Q1) or the element string (GS1 QR Code, FNC1 first, ]Q3) -> engine/qr (WASM)
// -> the requested size as a module size. Rendering to bytes is the caller's next step.
import { QR_INPUT_CAPACITY, Status } from "./engine/abi.js";
import { EncodeError } from "./engine/encode.js";
import { encodeQr, type QrLevel, type QrSymbol } from "./engine/qr.js";
import {
  buildElementString,
  buildHriLines,
  candidateOrders,
  orderForSymbol,
} from "./gs1/ai/element-string.js";
import type { AiElement } from "./gs1/ai/types.js";
import { type Issue, ValidationError } from "./issues.js";
import { parseQrPayload } from "./payload.js";
import type { EncodeResult, Prepared } from "./prepare.js";
import {
  DPI_MAX,
  DPI_MIN,
  type RenderOptions,
  XDIM_MM_MAX,
  XDIM_MM_MIN,
} from "./render/options.js";
import { MM_PER_INCH, PT_PER_INCH } from "./render/units.js";

/** A QR symbol with what it encodes (as EncodeResult) and what the encoder chose. */
export interface QrEncodeResult extends EncodeResult {
  version: number;
  level: QrLevel;
  mask: number;
}

/** An encoded QR symbol together with its rendering options (module size set from `size`). */
export interface PreparedQr extends Prepared {
  symbol: QrEncodeResult;
  /** EPS colours as CMYK (the cmyk field). */
  cmyk: boolean;
}

const LEVEL_ORDER: readonly QrLevel[] = ["L", "M", "Q", "H"];

/**
 * Validates `payload` (the QR body: the GS1 fields, data_format default digital_link, the
 * rendering options, size and error_correction), reporting every problem at once as a
 * ValidationError, then encodes the smallest QR version at the level: the Digital Link URI as
 * plain data, or the element string in GS1 mode (of the orders that differ in which
 * variable-length element is last, the one giving the smallest version). When `size` is in
 * effect (no xdim_mm) the options' module size (and for PNG, if needed, dpi) is set so that the
 * symbol with its quiet zone is `size` points wide (svg, pdf) or at most `size` pixels (png).
 * Data too long for version 40 is a 422 naming error_correction when a lower level would hold it.
 */
export function prepareQr(payload: unknown, now?: Date): PreparedQr {
  const { data, options, issues, level, size, cmyk } = parseQrPayload(payload, now);
  if (data === null) throw new ValidationError(issues);
  const { elements, keepOrder, digitalLink } = data;
  let chosen: { order: AiElement[]; text: string; symbol: QrSymbol };
  if (digitalLink !== null) {
    chosen = {
      order: orderForSymbol(elements),
      text: digitalLink,
      symbol: encodeOrRefuse(digitalLink, level, false),
    };
  } else {
    const orders = keepOrder ? [elements] : candidateOrders(elements);
    let best: typeof chosen | undefined;
    for (const order of orders) {
      const text = buildElementString(order);
      const symbol = encodeOrRefuse(text, level, true);
      if (best === undefined || symbol.version < best.symbol.version)
        best = { order, text, symbol };
    }
    chosen = best as typeof chosen;
  }
  const hriLines = buildHriLines(chosen.order, { titles: options.hriTitles });
  const symbol: QrEncodeResult = {
    rows: chosen.symbol.rows,
    columns: chosen.symbol.columns,
    modules: chosen.symbol.modules,
    elementString: chosen.text,
    hri: hriLines.join(" "),
    hriLines,
    version: chosen.symbol.version,
    level,
    mask: chosen.symbol.mask,
  };
  const sized = size === null ? options : sizeOptions(options, symbol.columns, size);
  return { symbol, options: sized, cmyk };
}

// Encodes or throws the 422 for the data: too long (naming error_correction when a lower level
// holds it), or a character the mode cannot take.
function encodeOrRefuse(text: string, level: QrLevel, gs1: boolean): QrSymbol {
  try {
    return encodeQr(text, { level, gs1 });
  } catch (err) {
    if (!(err instanceof EncodeError)) throw err;
    throw new ValidationError([qrIssue(err.status, text, level, gs1)]);
  }
}

function qrIssue(status: Status, text: string, level: QrLevel, gs1: boolean): Issue {
  const what = gs1 ? "element string" : "Digital Link URI";
  if (status === Status.TOO_LONG || status === Status.INPUT_TOO_LONG) {
    const lower = LEVEL_ORDER.slice(0, LEVEL_ORDER.indexOf(level)).find((l) => {
      if (text.length > QR_INPUT_CAPACITY) return false;
      try {
        encodeQr(text, { level: l, gs1 });
        return true;
      } catch {
        return false;
      }
    });
    return {
      field: lower ? "error_correction" : null,
      value: lower ? level : null,
      rule: "capacity",
      message:
        `The ${what} (${text.length} characters) does not fit the largest QR Code (version 40) ` +
        `at error correction ${level}; ` +
        (lower ? `error_correction "${lower}" would hold it.` : "shorter values would."),
    };
  }
  return {
    field: gs1 ? null : "dl_base_url",
    value: null,
    rule: "encodable",
    message: `The ${what} cannot be encoded in a QR Code: ${new EncodeError(status).message}`,
  };
}

/**
 * Returns `options` with the module size that makes a symbol of `columns` modules plus its
 * quiet zones `size` wide: points for svg, pdf and eps; for png and tif the most whole pixels per module
 * that fit in `size` pixels (at least 1), keeping the requested dpi when that module size lies
 * in the GS1 X-dimension range at it, else the dpi (72..1200) that puts it there.
 */
export function sizeOptions(options: RenderOptions, columns: number, size: number): RenderOptions {
  const width = columns + 2 * options.quietZoneModules;
  if (options.format !== "png" && options.format !== "tif") {
    return { ...options, xdimMm: ((size / width) * MM_PER_INCH) / PT_PER_INCH };
  }
  const ppm = Math.max(1, Math.floor(size / width));
  let dpi = options.dpi;
  const xdimAt = (d: number) => (ppm * MM_PER_INCH) / d;
  if (xdimAt(dpi) > XDIM_MM_MAX) dpi = Math.ceil((ppm * MM_PER_INCH) / XDIM_MM_MAX);
  else if (xdimAt(dpi) < XDIM_MM_MIN) dpi = Math.floor((ppm * MM_PER_INCH) / XDIM_MM_MIN);
  dpi = Math.min(DPI_MAX, Math.max(DPI_MIN, dpi));
  // At the dpi bounds the GS1 range may not reach ppm; the renderer's pixelsPerModule keeps
  // the module size in the range, so the image comes out as near to size as the range allows.
  return { ...options, dpi, xdimMm: xdimAt(dpi) };
}
