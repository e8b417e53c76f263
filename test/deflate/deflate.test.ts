// The deflate core checked by an independent decoder: every stream deflateRaw returns must
// inflate (zlib's inflateRawSync, and Python's zlib for a sample) to exactly the input, for
// label SVGs, text, incompressible bytes, long-distance repeats, skewed frequencies that force
// Huffman codes past 15 bits, and the capacity bounds.
import { execFileSync } from "node:child_process";
import { constants, deflateRawSync, deflateSync, inflateRawSync, inflateSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFLATE_CAPACITY, deflateRaw, zlibOfRuns } from "../../src/deflate/deflate.js";
import { render } from "../../src/index.js";

// A seeded xorshift generator, so failures reproduce.
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

function roundTrips(input: Uint8Array): Uint8Array | null {
  const out = deflateRaw(input);
  if (out !== null) {
    expect(out.length).toBeLessThan(input.length);
    expect(Buffer.compare(inflateRawSync(out), Buffer.from(input))).toBe(0);
  }
  return out;
}

describe("deflateRaw", () => {
  it("answers null for input that deflate cannot shorten", () => {
    expect(deflateRaw(new Uint8Array(0))).toBeNull();
    expect(deflateRaw(new Uint8Array([65]))).toBeNull();
    const next = random(7);
    const noise = Uint8Array.from({ length: 10_000 }, () => Math.floor(next() * 256));
    expect(deflateRaw(noise)).toBeNull();
  });

  it("round-trips label SVGs, with and without HRI, close to zlib's level 6 in size", async () => {
    let ours = 0;
    let zlib = 0;
    for (let i = 0; i < 200; i++) {
      const { body } = await render({
        gtin: "09506000134352",
        lot: `L${i}`,
        expiry: "270630",
        serial: String(i * 7919).padStart(8, "0"),
        format: "svg",
        hri: i % 4 === 0,
      });
      const out = roundTrips(body);
      expect(out).not.toBeNull();
      ours += (out as Uint8Array).length;
      zlib += deflateRawSync(body).length;
    }
    // Greedy matching with short chains trades a little size for speed (see lz77.ts).
    expect(ours / zlib).toBeLessThan(1.1);
  });

  it("finds repeats up to the 32 KiB window and none beyond it", () => {
    const next = random(11);
    const block = Uint8Array.from({ length: 40_000 }, () => Math.floor(next() * 256));
    const repeated = new Uint8Array(5 * block.length);
    for (let k = 0; k < 5; k++) repeated.set(block, k * block.length);
    // 40,000-byte distances are out of reach: stays incompressible.
    expect(deflateRaw(repeated)).toBeNull();
    const near = new Uint8Array(8 * 20_000);
    for (let k = 0; k < 8; k++) near.set(block.subarray(0, 20_000), k * 20_000);
    const out = roundTrips(near) as Uint8Array;
    expect(out.length).toBeLessThan(22_000);
  });

  it("limits Huffman codes to 15 bits when frequencies would make them longer", () => {
    // Byte k appears fib(k) times: an unlimited Huffman code would give the rarest 23 bits.
    const counts: number[] = [1, 1];
    while (counts.length < 25) counts.push(counts[counts.length - 1] + counts[counts.length - 2]);
    const bytes: number[] = [];
    counts.forEach((c, k) => {
      for (let i = 0; i < c; i++) bytes.push(k * 9 + 1);
    });
    const next = random(3);
    for (let i = bytes.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [bytes[i], bytes[j]] = [bytes[j], bytes[i]];
    }
    expect(bytes.length).toBeLessThanOrEqual(DEFLATE_CAPACITY);
    expect(roundTrips(Uint8Array.from(bytes))).not.toBeNull();
  });

  it("takes exactly DEFLATE_CAPACITY bytes and refuses one more", () => {
    const text = Buffer.from("M43 2h1v1h-1zM45 2h2v1h-2z".repeat(20_000)).subarray(
      0,
      DEFLATE_CAPACITY,
    );
    expect(roundTrips(text)).not.toBeNull();
    expect(() => deflateRaw(new Uint8Array(DEFLATE_CAPACITY + 1))).toThrow(RangeError);
  });

  it("gives the same bytes for the same input, whatever came before", () => {
    const input = Buffer.from("the same request gives the same bytes ".repeat(30));
    const first = deflateRaw(input) as Uint8Array;
    deflateRaw(Buffer.from("something else entirely, ".repeat(5_000)));
    expect(Buffer.from(deflateRaw(input) as Uint8Array).equals(Buffer.from(first))).toBe(true);
  });

  it("round-trips arbitrary bytes of small alphabets", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 3000 }),
        fc.integer({ min: 1, max: 255 }),
        (symbols, scale) => {
          roundTrips(Uint8Array.from(symbols, (s) => (s * scale) & 0xff));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("writes streams Python's zlib reads too", () => {
    const input = Buffer.from('<path d="M1 2h3v4h-3z"/>'.repeat(100));
    const out = Buffer.from(deflateRaw(input) as Uint8Array);
    const decoded = execFileSync(
      "python3",
      [
        "-c",
        "import sys,zlib; sys.stdout.buffer.write(zlib.decompress(sys.stdin.buffer.read(), -15))",
      ],
      { input: out },
    );
    expect(decoded.equals(input)).toBe(true);
  });
});

// PNG scanlines as the 1-bit renderer writes them: a filter byte, then rows of 0x00/0xff runs
// with a few mixed bytes, and filter-Up repeats of zeros.
function scanlines(next: () => number, rows: number, stride: number): Uint8Array {
  const out = new Uint8Array(rows * stride);
  for (let y = 0; y < rows; y++) {
    const repeat = y % 4 !== 0;
    out[y * stride] = repeat ? 2 : 0;
    if (repeat) continue;
    for (let x = 1; x < stride; x++) {
      const r = next();
      out[y * stride + x] = r < 0.4 ? 0 : r < 0.8 ? 0xff : Math.floor(next() * 256);
    }
  }
  return out;
}

describe("zlibOfRuns", () => {
  it("writes zlib streams (zlib's inflateSync checks the header and Adler-32) of exactly the input", () => {
    const next = random(20261207);
    const inputs = [
      new Uint8Array(0),
      Uint8Array.of(7),
      new Uint8Array(DEFLATE_CAPACITY), // one long run
      ...Array.from({ length: 60 }, (_, n) => scanlines(next, 4 + n * 3, 2 + (n % 40))),
      // Incompressible: stored blocks, more than one past 65,535 bytes.
      Uint8Array.from({ length: 1000 }, () => Math.floor(next() * 256)),
      Uint8Array.from({ length: 150_000 }, () => Math.floor(next() * 256)),
    ];
    for (const [n, input] of inputs.entries()) {
      const out = zlibOfRuns(input);
      expect(Buffer.compare(inflateSync(out), Buffer.from(input)), `input ${n}`).toBe(0);
    }
  });

  it("is about as small as zlib's own Z_RLE strategy on image scanlines (within 5 %)", () => {
    const next = random(5);
    let ours = 0;
    let theirs = 0;
    for (let n = 0; n < 40; n++) {
      const input = scanlines(next, 40 + n * 4, 8 + n);
      ours += zlibOfRuns(input).length;
      theirs += deflateSync(input, { level: 6, strategy: constants.Z_RLE }).length;
    }
    expect(ours).toBeLessThanOrEqual(theirs * 1.05);
  });

  it("refuses more than DEFLATE_CAPACITY bytes", () => {
    expect(() => zlibOfRuns(new Uint8Array(DEFLATE_CAPACITY + 1))).toThrow(RangeError);
  });
});
