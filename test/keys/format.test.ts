// src/keys/format.ts: the published key format, checksum and storage hash.
import { describe, expect, it } from "vitest";
import {
  generateKey,
  hashKey,
  isWellFormedKey,
  keyChecksum,
  keyHint,
  keyLabel,
} from "../../src/keys/format.js";

// contract.md: the documentation's example key fails its own checksum; the CRC-32 of its body
// is 84041098.
const DOC_EXAMPLE = "csb_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEf_1a2b3c4d";
const DOC_BODY = "AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEf";

// A body whose checksum has hex letters, to show case matters.
const LETTER_BODY = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef";

describe("keyChecksum", () => {
  it("has hex letters for LETTER_BODY (so the upper-case case below means something)", () => {
    expect(keyChecksum(LETTER_BODY)).toMatch(/[a-f]/);
  });

  it("is the 8-digit lowercase hex CRC-32 of the body (value from contract.md)", () => {
    expect(keyChecksum(DOC_BODY)).toBe("84041098");
  });

  it("pads to 8 digits (CRC-32 of the empty string is 0)", () => {
    expect(keyChecksum("")).toBe("00000000");
  });
});

describe("isWellFormedKey", () => {
  it("refuses the documentation's example key: its checksum is wrong", () => {
    expect(isWellFormedKey(DOC_EXAMPLE)).toBe(false);
  });

  it("accepts the same body with its real checksum, for each prefix", () => {
    for (const prefix of ["csb", "csu", "cpk"]) {
      expect(isWellFormedKey(`${prefix}_${DOC_BODY}_84041098`)).toBe(true);
    }
  });

  it.each([
    ["unknown prefix", `csx_${DOC_BODY}_84041098`],
    ["upper-case prefix", `CSB_${DOC_BODY}_84041098`],
    ["upper-case checksum", `csb_${LETTER_BODY}_${keyChecksum(LETTER_BODY).toUpperCase()}`],
    ["body too short", `csb_${DOC_BODY.slice(1)}_84041098`],
    ["body too long", `csb_${DOC_BODY}x_84041098`],
    ["non-alphanumeric body", `csb_${DOC_BODY.slice(0, 31)}-_84041098`],
    ["missing checksum", `csb_${DOC_BODY}`],
    ["extra suffix", `csb_${DOC_BODY}_84041098_`],
    ["surrounding space", ` csb_${DOC_BODY}_84041098`],
    ["empty", ""],
  ])("refuses a key with %s", (_why, key) => {
    expect(isWellFormedKey(key)).toBe(false);
  });
});

describe("generateKey", () => {
  it("makes well-formed, distinct keys with the requested prefix", () => {
    const keys = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const key = generateKey(i % 2 === 0 ? "csb" : "cpk");
      expect(key).toMatch(/^(csb|cpk)_[A-Za-z0-9]{32}_[0-9a-f]{8}$/);
      expect(isWellFormedKey(key)).toBe(true);
      keys.add(key);
    }
    expect(keys.size).toBe(500);
  });

  it("uses all 62 characters of the alphabet", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) for (const c of generateKey().slice(4, 36)) seen.add(c);
    expect(seen.size).toBe(62);
  });
});

describe("hashKey", () => {
  it("is base64 SHA-256 (FIPS 180-2 test vector for 'abc')", () => {
    expect(hashKey("abc")).toBe("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
  });
});

describe("keyHint", () => {
  it("shows the documentation's example key by its prefix, first 4 body characters and last 4", () => {
    expect(keyHint(DOC_EXAMPLE)).toBe("csb_AbCd…3c4d");
  });

  it("tells apart keys that share a prefix, and never holds more than 8 of their 44 characters", () => {
    const keys = Array.from({ length: 50 }, () => generateKey("csu"));
    const hints = new Set(keys.map(keyHint));
    expect(hints.size).toBe(50);
    for (const key of keys) {
      const hint = keyHint(key);
      expect(hint).toMatch(/^csu_[A-Za-z0-9]{4}…[0-9a-f]{4}$/);
      expect(hint.replace("…", "")).toBe(key.slice(0, 8) + key.slice(-4));
    }
  });

  it("keyLabel falls back to the prefix for keys made before hints", () => {
    expect(keyLabel({ prefix: "csb", hint: null })).toBe("csb");
    expect(keyLabel({ prefix: "csb", hint: "csb_AbCd…3c4d" })).toBe("csb_AbCd…3c4d");
  });
});
