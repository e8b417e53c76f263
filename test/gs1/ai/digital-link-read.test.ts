// readDigitalLink (src/gs1/ai/digital-link-read.ts) under arbitrary input: it never throws;
// an invalid reading has errors and nothing else; a valid one the Digital Link builder writes
// again (the same rules both ways) and reads back to the same AIs.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildDigitalLinkUri } from "../../../src/gs1/ai/digital-link.js";
import { readDigitalLink } from "../../../src/gs1/ai/digital-link-read.js";

// Pieces of real and broken Digital Links, so a useful share of the strings reads as valid.
const PIECE = fc.constantFrom(
  "https://id.gs1.org",
  "https://example.com/x",
  "HTTP://A.B",
  "/01/09506000134352",
  "/01/09506000134353",
  "/00/106141411234567897",
  "/10/ABC",
  "/21/S%2F1",
  "/22/CPV",
  "/17/271231",
  "/10/%zz",
  "?17=271231",
  "?3103=000189",
  "&7003=2712311200",
  "&utm=x",
  "?99=X+Y",
  "#frag",
  "%00",
  "/",
  "?",
);

// Mostly valid links: a stem, a key, qualifiers in order, query attributes and noise.
const LINK = fc
  .tuple(
    fc.constantFrom("https://id.gs1.org", "https://example.com/x", "HTTP://A.B"),
    fc.constantFrom("/01/09506000134352", "/00/106141411234567897", "/01/09506000134353"),
    fc.subarray(["/22/CPV", "/10/ABC", "/21/S%2F1"]),
    fc.subarray(["17=271231", "3103=000189", "7003=2712311200", "utm=x", "17=271331"]),
    fc.constantFrom("", "#f"),
  )
  .map(([stem, key, qualifiers, query, fragment]) => {
    const q = query.length > 0 ? `?${query.join("&")}` : "";
    return `${stem}${key}${qualifiers.join("")}${q}${fragment}`;
  });

describe("readDigitalLink", () => {
  it("never throws; invalid readings are empty with errors; valid ones the builder writes back (fast-check)", () => {
    let valid = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.array(PIECE, { maxLength: 7 }).map((p) => p.join("")),
          LINK,
        ),
        (url) => {
          const reading = readDigitalLink(url, new Date("2026-03-31T00:00:00Z"));
          if (!reading.isValid) {
            expect(reading.errors.length).toBeGreaterThan(0);
            expect([reading.primaryKey, reading.bracketed, reading.elementString]).toEqual([
              null,
              null,
              null,
            ]);
            expect(reading.ais).toEqual([]);
            for (const e of reading.errors) expect(typeof e.segment).toBe("string");
            return;
          }
          valid++;
          const built = buildDigitalLinkUri(reading.ais, reading.baseUrl ?? "");
          expect(built.issues).toEqual([]);
          const again = readDigitalLink(built.uri ?? "", new Date("2026-03-31T00:00:00Z"));
          const pairs = (r: typeof reading) => r.ais.map((a) => `${a.ai}=${a.value}`).sort();
          expect(pairs(again)).toEqual(pairs(reading));
        },
      ),
      { seed: 19, numRuns: 3000 },
    );
    expect(valid).toBeGreaterThan(50);
  });
});
