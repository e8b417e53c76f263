// src/prepare-qr.ts under hostile input: any JSON body built from the QR payload's field names
// (and a few others) either prepares a symbol or is refused with a ValidationError naming
// issues, never another error (which the HTTP API would answer as a 500); and what it prepares
// decodes (zxing-wasm) to the data it reports.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../src/issues.js";
import { prepareQr } from "../src/prepare-qr.js";
import { QR_REQUEST_FIELDS } from "../src/request-schema.js";
import { decodeMatrix } from "./helpers/decode.js";

const NAMES = [...QR_REQUEST_FIELDS.map((f) => f.name), "shape", "items", "__proto__"];
// Values near the valid ones as well as wrong types, so some payloads get through to the encoder.
const VALUE = fc.oneof(
  fc.constantFrom(
    "09506000134352",
    "0950 6000-13435 2",
    "ABC123",
    "271231",
    "digital_link",
    "element_string",
    "eps",
    "tif",
    "png",
    "L",
    "H",
    "https://example.com/x",
    "(01)09506000134352(10)A%B",
  ),
  fc.string({ maxLength: 30 }),
  fc.integer({ min: -10, max: 3000 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.dictionary(fc.stringMatching(/^[0-9]{2,4}$/), fc.string({ maxLength: 12 }), { maxKeys: 3 }),
);

describe("prepareQr", () => {
  it("prepares or refuses with a ValidationError, whatever the body (fast-check, 400 runs)", async () => {
    let prepared = 0;
    const decoded: Promise<void>[] = [];
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...NAMES), VALUE, { maxKeys: 4 }),
        fc.constantFrom("09506000134352", "96385074", undefined),
        fc.constantFrom("LOT-1", undefined),
        (body, gtin, lot) => {
          const payload: Record<string, unknown> = { ...body };
          if (gtin !== undefined && payload.element_string === undefined) payload.gtin ??= gtin;
          if (lot !== undefined) payload.lot ??= lot;
          try {
            const { symbol } = prepareQr(payload);
            prepared++;
            if (prepared % 10 === 1) {
              decoded.push(
                decodeMatrix(
                  symbol.rows,
                  symbol.columns,
                  symbol.modules,
                  2,
                  4,
                  undefined,
                  "QRCode",
                ).then((read) => expect(read.text).toBe(symbol.elementString)),
              );
            }
          } catch (err) {
            expect(err).toBeInstanceOf(ValidationError);
            expect((err as ValidationError).issues.length).toBeGreaterThan(0);
          }
        },
      ),
      { seed: 19, numRuns: 400 },
    );
    await Promise.all(decoded);
    // The generator must reach the encoder often enough to mean something.
    expect(prepared).toBeGreaterThan(20);
  });
});
