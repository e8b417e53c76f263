// Hostile bodies over real HTTP against the server as `npm start` runs it: a seeded generator of
// long values, every AI of the GS1 Barcode Syntax Dictionary (read from reference/, not from our
// generated table), every option, Digital Link on and off, and JSON of the wrong types. No body
// may get a 5xx, and no error answer may be out of all proportion to its request. Prints the
// status histogram, the largest answer to a body of up to 16 KB and the slowest request.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CSET82, checkDigit, seededRandom } from "../helpers/corpus.js";
import { SLOW, start, stopAll, tempDir } from "../helpers/fleet.js";
import { DATAMATRIX } from "../helpers/http.js";
import { createKeyWithCli, type ServerProcess } from "../helpers/processes.js";

const SEED = 20261207;
const COUNT = 3_000;
const CONCURRENCY = 4;
const LIMIT_BYTES = 16 * 1024;

/** Every AI of the dictionary, ranges such as 3100-3105 expanded. */
function dictionaryAis(): string[] {
  const text = readFileSync("reference/gs1-syntax-dictionary.txt", "utf8");
  const ais: string[] = [];
  for (const line of text.split("\n")) {
    const first = /^([0-9]{2,4})(?:-([0-9]{2,4}))?\s/.exec(line);
    if (!first) continue;
    const from = Number(first[1]);
    const to = first[2] === undefined ? from : Number(first[2]);
    for (let n = from; n <= to; n++) ais.push(String(n).padStart(first[1].length, "0"));
  }
  return ais;
}

/** One generated request: the raw body and its content type. */
interface Hostile {
  body: string;
  contentType: string;
}

/** Returns `COUNT` hostile requests drawn from `seed`. */
function hostileBodies(seed: number): Hostile[] {
  const rnd = seededRandom(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const ais = dictionaryAis();
  const gtin = () => {
    const body = Array.from({ length: 13 }, () => int(10)).join("");
    return body + checkDigit(body);
  };
  const alphabets = [
    "0123456789",
    CSET82,
    "%%%%%%/?#&=",
    "()\\)(",
    "éü€𝔘\u0000\u001d\u007f\ud800",
    " \t\n\r",
  ];
  const lengths = [0, 1, 2, 6, 14, 20, 21, 90, 91, 300, 1300, 3200, 5000];
  const text = (length = pick(lengths)) => {
    const alphabet = pick(alphabets);
    let s = "";
    for (let i = 0; i < length; i++) s += alphabet[int(alphabet.length)];
    return s;
  };
  const odd = () =>
    pick<unknown>([
      null,
      true,
      0,
      -1,
      1e308,
      Number.MAX_SAFE_INTEGER + 2,
      [],
      [text(5)],
      {},
      { toString: 1 },
      { valueOf: "x" },
      "",
      text(),
    ]);
  const value = () => (rnd() < 0.75 ? text() : odd());
  const options = (): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    // PNG rarely, and small: a 4-megapixel render is legitimate but not what is probed here.
    if (rnd() < 0.6) o.format = rnd() < 0.9 ? pick(["svg", "pdf", "png", "gif", ""]) : odd();
    if (o.format === "png") o.dpi = pick([72, 150, 300]);
    else if (rnd() < 0.2) o.dpi = rnd() < 0.8 ? pick([0, 71, 72, 1200, 1201, 300.5]) : odd();
    if (rnd() < 0.3)
      o.shape = rnd() < 0.9 ? pick(["square", "rectangle", "dmre", "auto", "x"]) : odd();
    if (rnd() < 0.2) o.xdim_mm = rnd() < 0.8 ? pick([0, 0.254, 0.38, 1.5, 1.51, -1]) : odd();
    if (rnd() < 0.2) o.quiet_zone = rnd() < 0.8 ? pick([0, 1, 10, 11, 2.5]) : odd();
    if (rnd() < 0.2) o.dark_color = rnd() < 0.8 ? pick(["#000", "#fff", "#12345", "red"]) : odd();
    if (rnd() < 0.2) o.light_color = rnd() < 0.8 ? pick(["#fff", "#000000", "#ffffffff"]) : odd();
    if (rnd() < 0.3) o.hri = rnd() < 0.9 ? rnd() < 0.5 : odd();
    if (rnd() < 0.2) o.hri_titles = rnd() < 0.9 ? rnd() < 0.5 : odd();
    if (rnd() < 0.2) o.strict_expiry = rnd() < 0.9 ? rnd() < 0.5 : odd();
    if (rnd() < 0.5) {
      o.data_format = rnd() < 0.9 ? pick(["digital_link", "element_string", "dl"]) : odd();
    }
    if (rnd() < 0.3) {
      o.dl_base_url =
        rnd() < 0.8
          ? pick(["https://", "http://", "ftp://", "https://x.example/"]) + text()
          : odd();
    }
    return o;
  };
  const named = (): Record<string, unknown> => {
    const b: Record<string, unknown> = { gtin: rnd() < 0.6 ? gtin() : value() };
    for (const f of ["lot", "serial", "expiry", "production_date"]) {
      if (rnd() < 0.5) b[f] = value();
    }
    return b;
  };
  // Valid data that only a long resolver or percent-encoding makes too long, and near-valid data.
  const nearValid = (): Record<string, unknown> => {
    const cset = (n: number) => Array.from({ length: n }, () => pick([...CSET82])).join("");
    const b: Record<string, unknown> = { gtin: gtin(), lot: cset(1 + int(20)) };
    if (rnd() < 0.5) b.serial = cset(1 + int(20));
    if (rnd() < 0.3) b.expiry = pick(["270630", "270600", "271331", "2706"]);
    if (rnd() < 0.5) {
      b.ais = { "91": "%".repeat(1 + int(90)), "92": "%".repeat(1 + int(90)) };
      for (const ai of ["93", "94", "95", "96", "97", "98", "99"]) {
        if (rnd() < 0.7) (b.ais as Record<string, string>)[ai] = cset(1 + int(90));
      }
    }
    b.data_format = rnd() < 0.8 ? "digital_link" : "element_string";
    if (rnd() < 0.5) b.dl_base_url = `https://${"a".repeat(pick([10, 1500, 2300, 3000, 3200]))}`;
    return b;
  };
  const withAis = (): Record<string, unknown> => {
    const b = named();
    const extra: Record<string, unknown> = {};
    const n = pick([1, 2, 5, 40]);
    for (let i = 0; i < n; i++) extra[pick(ais)] = value();
    b.ais = rnd() < 0.9 ? extra : odd();
    return b;
  };
  const elementString = (): Record<string, unknown> => {
    let s = "";
    const n = pick([0, 1, 3, 10]);
    for (let i = 0; i < n; i++) s += `(${pick(ais)})${text()}`;
    if (rnd() < 0.2) s = `(01)${gtin()}(10)ABC${")".repeat(pick([100, 5000, 16_300]))}`;
    return { element_string: rnd() < 0.9 ? s : odd() };
  };
  const raw = (): Hostile => {
    const json = "application/json";
    return pick<Hostile>([
      { body: "", contentType: json },
      { body: "{", contentType: json },
      { body: "[]", contentType: json },
      { body: '"x"', contentType: json },
      { body: "null", contentType: json },
      { body: "1e999", contentType: json },
      { body: `${"[".repeat(5000)}${"]".repeat(5000)}`, contentType: json },
      { body: `{"gtin":"${"9".repeat(17_000)}"}`, contentType: json },
      { body: '{"gtin":"09506000134352","lot":"A"}', contentType: "text/plain" },
      { body: '{"__proto__":{"lot":"A"},"gtin":"09506000134352"}', contentType: json },
      { body: '{"gtin":"\\ud800"}', contentType: json },
    ]);
  };

  const out: Hostile[] = [];
  // The two reported ways to an encoder's "input too long": a long resolver, and percent signs
  // that percent-encoding triples.
  out.push({
    body: JSON.stringify({
      gtin: "09506000134352",
      lot: "A",
      data_format: "digital_link",
      dl_base_url: `https://${"a".repeat(3200)}`,
    }),
    contentType: "application/json",
  });
  const percent = { "91": "%".repeat(90), "92": "%".repeat(90), "93": "%".repeat(90) };
  for (const ai of ["94", "95", "96", "97", "98", "99", "7240", "710", "711", "712", "713"]) {
    Object.assign(percent, { [ai]: "%".repeat(ai.length === 2 ? 90 : 20) });
  }
  out.push({
    body: JSON.stringify({
      gtin: "09506000134352",
      lot: "%".repeat(20),
      ais: percent,
      data_format: "digital_link",
    }),
    contentType: "application/json",
  });
  // Every AI of the dictionary at least once, alone with a GTIN and in Digital Link too.
  for (const ai of ais) {
    out.push({
      body: JSON.stringify({
        gtin: gtin(),
        lot: "A",
        ais: { [ai]: text() },
        ...options(),
        data_format: pick(["element_string", "digital_link"]),
      }),
      contentType: "application/json",
    });
  }
  while (out.length < COUNT) {
    const kind = int(10);
    if (kind === 0) out.push(raw());
    else {
      const data =
        kind < 3 ? named() : kind < 6 ? withAis() : kind < 8 ? elementString() : nearValid();
      const body = JSON.stringify(kind < 8 ? { ...data, ...options() } : { ...options(), ...data });
      out.push({ body, contentType: "application/json" });
    }
  }
  return out;
}

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
  server = await start({ DATA_DIR: dataDir, RENDER_QUEUE_WAIT_MS: "60000" });
  ({ key } = await createKeyWithCli(dataDir, "--per-minute", "1000000", "--per-day", "1000000000"));
});

afterAll(stopAll);

describe("3,000 seeded hostile bodies over real HTTP", () => {
  it(
    "never answer 5xx, and no error answer to a body of up to 16 KB exceeds 32 KB",
    async () => {
      const requests = hostileBodies(SEED);
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
          `slowest request <= 16 KB: ${describe(slowest)}`,
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
