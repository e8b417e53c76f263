// Hostile bodies over real HTTP against the server as `npm start` runs it: a seeded generator of
// long values, every AI of the GS1 Barcode Syntax Dictionary (read from reference/, not from our
// generated table), every option, Digital Link on and off, and JSON of the wrong types. No body
// may get a 5xx, and no error answer may be out of all proportion to its request. Prints the
// status histogram, the largest answer to a body of up to 16 KB and the slowest request.
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededRandom } from "../helpers/corpus.js";
import { SLOW, start, stopAll, tempDir } from "../helpers/fleet.js";
import { hostileBodies } from "../helpers/hostile.js";
import { DATAMATRIX, QR } from "../helpers/http.js";
import { createKeyWithCli, type ServerProcess } from "../helpers/processes.js";

const SEED = 20261207;
const COUNT = 3_000;
const CONCURRENCY = 4;
const PARSE = "/products/api/v1/digital-link/parse";
const LIMIT_BYTES = 16 * 1024;

/** What one request cost and got. */
interface Measured {
  index: number;
  status: number;
  requestBytes: number;
  responseBytes: number;
  ms: number;
}

let server: ServerProcess;
let key: string;

beforeAll(async () => {
  const dataDir = tempDir();
  // A long render queue wait: a 503 of the heavy-render gate is not what this probes.
  // Label jobs are accepted but not run: the fuzz is about the answers, not the renders.
  server = await start({
    DATA_DIR: dataDir,
    RENDER_QUEUE_WAIT_MS: "60000",
    LABELS_RUN_JOBS: "false",
  });
  ({ key } = await createKeyWithCli(dataDir, "--per-minute", "1000000", "--per-day", "1000000000"));
});

afterAll(stopAll);

describe("3,000 seeded hostile bodies over real HTTP", () => {
  it(
    "never answer 5xx, and no error answer to a body of up to 16 KB exceeds 32 KB",
    async () => {
      const requests = hostileBodies(SEED, COUNT);
      const results: Measured[] = [];
      let next = 0;
      const worker = async () => {
        while (next < requests.length) {
          const index = next++;
          const { body, contentType } = requests[index];
          const t0 = performance.now();
          const res = await fetch(server.url + DATAMATRIX, {
            method: "POST",
            headers: { "content-type": contentType, "x-api-key": key },
            body,
            signal: AbortSignal.timeout(30_000),
          });
          const answer = await res.arrayBuffer();
          results.push({
            index,
            status: res.status,
            requestBytes: Buffer.byteLength(body),
            responseBytes: answer.byteLength,
            ms: performance.now() - t0,
          });
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));

      const histogram: Record<number, number> = {};
      for (const r of results) histogram[r.status] = (histogram[r.status] ?? 0) + 1;
      const small = results.filter((r) => r.requestBytes <= LIMIT_BYTES);
      const largest = small.reduce((a, b) => (b.responseBytes > a.responseBytes ? b : a));
      const largestError = small
        .filter((r) => r.status >= 400)
        .reduce((a, b) => (b.responseBytes > a.responseBytes ? b : a));
      const slowest = small.reduce((a, b) => (b.ms > a.ms ? b : a));
      const amplification = (r: Measured) => r.responseBytes / Math.max(1, r.requestBytes);
      const mostAmplified = small.reduce((a, b) => (amplification(b) > amplification(a) ? b : a));
      const mostAmplifiedError = small
        .filter((r) => r.status >= 400)
        .reduce((a, b) => (amplification(b) > amplification(a) ? b : a));
      const ratio = (r: Measured) => (r.responseBytes / Math.max(1, r.requestBytes)).toFixed(2);
      const describe = (r: Measured) =>
        `#${r.index} ${r.status}, ${r.requestBytes} B in, ${r.responseBytes} B out ` +
        `(ratio ${ratio(r)}), ${r.ms.toFixed(1)} ms`;
      console.log(
        [
          `fuzz seed ${SEED}: ${results.length} requests`,
          `statuses ${JSON.stringify(histogram)}`,
          `largest answer to a body <= 16 KB: ${describe(largest)}`,
          `largest error answer to a body <= 16 KB: ${describe(largestError)}`,
          `largest answer/request ratio: ${describe(mostAmplified)}`,
          `largest answer/request ratio of an error: ${describe(mostAmplifiedError)}`,
          `slowest request <= 16 KB: ${describe(slowest)}: ${requests[slowest.index].body.slice(0, 300)}`,
        ].join("\n"),
      );

      expect(results).toHaveLength(COUNT);
      const failures = results.filter((r) => r.status >= 500);
      expect(failures.map((r) => `${r.status}: ${requests[r.index].body.slice(0, 200)}`)).toEqual(
        [],
      );
      expect(largestError.responseBytes).toBeLessThanOrEqual(32 * 1024);
    },
    SLOW * 3,
  );
});

describe("the QR and Digital Link endpoints", () => {
  it(
    "never answer 5xx to the first 1,000 hostile bodies, as QR payloads and as Digital Links to parse",
    async () => {
      const requests = hostileBodies(SEED, 1_000);
      const failures: string[] = [];
      const statuses: Record<string, number> = {};
      let next = 0;
      const post = async (path: string, contentType: string, body: string) => {
        const res = await fetch(server.url + path, {
          method: "POST",
          headers: { "content-type": contentType, "x-api-key": key },
          body,
          signal: AbortSignal.timeout(30_000),
        });
        await res.arrayBuffer();
        const tag = `${path === QR ? "qr" : "parse"} ${res.status}`;
        statuses[tag] = (statuses[tag] ?? 0) + 1;
        if (res.status >= 500) failures.push(`${tag}: ${body.slice(0, 200)}`);
        return res.status;
      };
      const worker = async () => {
        while (next < requests.length) {
          const { body, contentType } = requests[next++];
          await post(QR, contentType, body);
          // The body's text as the URL to parse: anything at all must be a 200 (a 422 for a url
          // that is empty or too long, a 413 for a body past the parse endpoint's 64 KB).
          const status = await post(PARSE, "application/json", JSON.stringify({ url: body }));
          if (![200, 413, 422].includes(status))
            failures.push(`parse ${status}: ${body.slice(0, 200)}`);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      console.log(`QR and parse statuses: ${JSON.stringify(statuses)}`);
      expect(failures).toEqual([]);
    },
    SLOW * 3,
  );
});

describe("the reported bodies", () => {
  const send = async (body: unknown) => {
    const res = await fetch(server.url + DATAMATRIX, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": key },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, bytes: Buffer.byteLength(text), problem: JSON.parse(text) };
  };

  it("a Digital Link with a 3,208-character resolver is a 422 naming dl_base_url", async () => {
    const { status, problem } = await send({
      gtin: "09506000134352",
      lot: "A",
      data_format: "digital_link",
      dl_base_url: `https://${"a".repeat(3200)}`,
    });
    expect(status).toBe(422);
    expect(problem.details).toEqual([
      {
        loc: ["body", "dl_base_url"],
        msg:
          `The Digital Link URI (${`https://${"a".repeat(3200)}/01/09506000134352/10/A`.length} ` +
          "characters, 3208 of them dl_base_url) does not fit even " +
          "the largest symbol (144x144); a shorter dl_base_url would.",
        type: "capacity",
      },
    ]);
  });

  it("percent signs that percent-encoding triples past 3,116 bytes are a 422 for the payload", async () => {
    const ais: Record<string, string> = {};
    for (const ai of ["91", "92", "93", "94", "95", "96", "97", "98", "99"])
      ais[ai] = "%".repeat(90);
    // 810 "%" become 2,430 bytes of "%25", plus the 90 of each AI's key and the resolver.
    const { status, problem } = await send({
      gtin: "09506000134352",
      lot: "%".repeat(20),
      ais: { ...ais, "240": "%".repeat(30), "241": "%".repeat(30) },
      data_format: "digital_link",
    });
    expect(status).toBe(422);
    expect(problem.details).toHaveLength(1);
    expect(problem.details[0].loc).toEqual(["body"]);
    expect(problem.details[0].type).toBe("capacity");
    expect(problem.details[0].msg).toMatch(
      /^The Digital Link URI \(\d+ characters, 18 of them dl_base_url\) does not fit even the largest symbol \(144x144\); shorter values or data_format "element_string" would\.$/,
    );
  });

  it("an element string with 16,300 stray parentheses lists 100 problems and counts the rest", async () => {
    const elementString = `(01)09506000134352(10)ABC${")".repeat(16_300)}`;
    const { status, bytes, problem } = await send({ element_string: elementString });
    expect(status).toBe(422);
    expect(problem.details).toHaveLength(101);
    expect(problem.details[0]).toEqual({
      loc: ["body", "element_string"],
      msg:
        'The ")" at position 26 has no matching "("; write \\) for a parenthesis in a value ' +
        "(rule unbalanced).",
      type: "unbalanced",
    });
    expect(problem.details[100]).toEqual({
      loc: ["body"],
      msg: "16200 more problems are not listed; only the first 100 are.",
      type: "too_many_issues",
    });
    expect(bytes).toBeLessThan(32 * 1024);
  });
});

describe("300 seeded hostile label-export jobs over real HTTP", () => {
  it(
    "never answer 5xx",
    async () => {
      const rnd = seededRandom(SEED + 1);
      const int = (n: number) => Math.floor(rnd() * n);
      const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
      // The JSON objects among the hostile datamatrix bodies (not the 5,000-deep arrays).
      const payloads = hostileBodies(SEED + 2, 600).flatMap((h) => {
        if (!h.body.startsWith("{")) return [];
        try {
          return [JSON.parse(h.body) as unknown];
        } catch {
          return [];
        }
      });
      const odd = () => pick<unknown>([null, 1, "x", [], {}, { toString: 1 }, true]);
      const bodies = Array.from({ length: 300 }, () => {
        const k = int(payloads.length - 6);
        const body: Record<string, unknown> = {
          export_type: rnd() < 0.8 ? pick(["datamatrix", "qr_codes", "sheet_pdf", "x"]) : odd(),
          file_format: rnd() < 0.8 ? pick(["svg", "png", "pdf", "zip"]) : odd(),
        };
        if (rnd() < 0.3) body.on_invalid = rnd() < 0.7 ? pick(["fail", "skip", "x"]) : odd();
        if (rnd() < 0.8) body.items = rnd() < 0.9 ? payloads.slice(k, k + 1 + int(5)) : odd();
        if (rnd() < 0.3) body.asset_config = rnd() < 0.7 ? payloads[k] : odd();
        if (rnd() < 0.2) {
          body.serials =
            rnd() < 0.7
              ? {
                  gtin: pick(["09506000134352", "1", odd()]),
                  mode: pick(["random", "range", "x", odd()]),
                  count: pick([1, 0, -1, 1e9, 2.5, odd()]),
                  start: pick([1, -1, 1e20, odd()]),
                  width: pick([6, 0, 100, odd()]),
                  length: pick([8, 0, 1000, odd()]),
                  alphabet: pick(["digits", "alphanumeric", "x", odd()]),
                  prefix: pick(["SN", "", "%%%", odd()]),
                }
              : odd();
        }
        if (rnd() < 0.1) body.filename_pattern = pick(["{index}", "../{index}", "{gtin}", odd()]);
        return JSON.stringify(rnd() < 0.05 ? odd() : body);
      });
      const statuses: Record<number, number> = {};
      const failures: string[] = [];
      for (const [i, body] of bodies.entries()) {
        const res = await fetch(`${server.url}/products/api/v1/labels/export/`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-api-key": key,
            ...(i % 7 === 0 ? { "idempotency-key": `fuzz-${i % 3}` } : {}),
          },
          body,
        });
        await res.arrayBuffer();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status >= 500) failures.push(`${res.status}: ${body.slice(0, 300)}`);
      }
      console.log(`label-export fuzz: 300 requests, statuses ${JSON.stringify(statuses)}`);
      expect(failures).toEqual([]);
    },
    SLOW,
  );
});
