// src/server/representation.ts: strong ETag and the If-None-Match weak comparison
// (RFC 9110 §8.8.3.2, §13.1.2), and one table over every response that carries an ETag (image,
// OpenAPI document, preview page and assets, dashboard script): one ETag format, one 304.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ifNoneMatchHits, strongEtag } from "../../src/server/representation.js";
import { type AccountHarness, DATAMATRIX, startAccountsApp } from "../helpers/http.js";

const TAG = '"abc-_123"';

describe("strongEtag", () => {
  it("is the quoted base64url SHA-256 of the bytes (FIPS 180-2 vectors)", () => {
    expect(strongEtag(new Uint8Array())).toBe('"47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"');
    expect(strongEtag(Buffer.from("abc"))).toBe('"ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0"');
  });
});

describe("ifNoneMatchHits", () => {
  it.each([
    ["the tag alone", TAG],
    ["the weak form of the tag", `W/${TAG}`],
    ["a wildcard", "*"],
    ["the tag first in a list", `${TAG}, "other"`],
    ["the tag last in a list", `"other", ${TAG}`],
    ["the weak tag in a list without spaces", `"other",W/${TAG}`],
    ["the tag after a malformed member", `bogus, ${TAG}`],
    ["the tag with tabs around commas", `"x"\t,\t${TAG}`],
  ])("matches %s", (_why, header) => {
    expect(ifNoneMatchHits(header, TAG)).toBe(true);
  });

  it.each([
    ["no header", undefined],
    ["an empty header", ""],
    ["another tag", '"abc-_124"'],
    ["a prefix of the tag", '"abc-_12"'],
    ["a longer tag", '"abc-_1234"'],
    ["the tag without quotes", "abc-_123"],
    ["a list of other tags", '"a", W/"b"'],
    ["an unterminated tag", '"abc-_123'],
    ["the tag as a lower-case weak prefix", `w/${TAG}`],
  ])("does not match %s", (_why, header) => {
    expect(ifNoneMatchHits(header, TAG)).toBe(false);
  });
});

describe("every conditional response", () => {
  let h: AccountHarness;
  const urls: Record<string, string> = {};
  beforeAll(async () => {
    h = await startAccountsApp();
    const page = await (await fetch(`${h.url}/preview`)).text();
    urls["preview script"] = /src="([^"]+preview\.js)"/.exec(page)?.[1] ?? "";
    const login = await fetch(`${h.url}/account/login`);
    expect(login.status).toBe(200);
  });
  afterAll(() => h.close());

  const requests: [string, () => [string, RequestInit]][] = [
    [
      "an image (POST)",
      () => [
        DATAMATRIX,
        {
          method: "POST",
          headers: { "content-type": "application/json", "x-api-key": h.key },
          body: JSON.stringify({ gtin: "09506000134352", lot: "A" }),
        },
      ],
    ],
    ["the OpenAPI document", () => ["/openapi.json", {}]],
    ["the preview page", () => ["/preview", {}]],
    ["the preview script", () => [urls["preview script"], {}]],
  ];

  it.each(requests)(
    "%s: strong SHA-256 ETag, 304 on a match (weak form too), 200 otherwise",
    async (_n, make) => {
      const [path, init] = make();
      const first = await fetch(h.url + path, init);
      expect(first.status).toBe(200);
      const body = Buffer.from(await first.arrayBuffer());
      const etag = first.headers.get("etag") ?? "";
      expect(etag).toBe(strongEtag(body));
      for (const header of [etag, `W/${etag}`, `"other", ${etag}`]) {
        const again = await fetch(h.url + path, {
          ...init,
          headers: { ...(init.headers as Record<string, string>), "if-none-match": header },
        });
        expect(again.status).toBe(304);
        expect(again.headers.get("etag")).toBe(etag);
        expect(again.headers.get("cache-control")).toBe(first.headers.get("cache-control"));
        expect((await again.arrayBuffer()).byteLength).toBe(0);
      }
      const other = await fetch(h.url + path, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), "if-none-match": '"nope"' },
      });
      expect(other.status).toBe(200);
    },
  );
});
