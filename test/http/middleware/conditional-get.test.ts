// src/http/middleware/conditional-get.ts: strong ETag and the If-None-Match weak comparison
// (RFC 9110 §8.8.3.2, §13.1.2). The 304 responses themselves are tested over HTTP in
// routes/datamatrix.test.ts.
import { describe, expect, it } from "vitest";
import { ifNoneMatchHits, strongEtag } from "../../../src/http/middleware/conditional-get.js";

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
