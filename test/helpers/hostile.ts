// Seeded hostile request bodies for the fuzz test (test/process/fuzz.test.ts): long values, every
// AI of the GS1 Barcode Syntax Dictionary (read from reference/, not from our generated table),
// every option, Digital Link on and off, and JSON of the wrong types.
import { readFileSync } from "node:fs";
import { CSET82, checkDigit, seededRandom } from "./corpus.js";

/** Every AI of the dictionary, ranges such as 3100-3105 expanded. */
export function dictionaryAis(): string[] {
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
export interface Hostile {
  body: string;
  contentType: string;
}

/** Returns `count` hostile requests drawn from `seed`. */
export function hostileBodies(seed: number, count = 3_000): Hostile[] {
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
  while (out.length < count) {
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
