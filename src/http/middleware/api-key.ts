// The X-API-Key credential check: shape and CRC-32 first (no lookup for typos or garbage), then
// the hashed lookup in the key store's memory, then expiry.
import type { Request } from "express";
import type { Clock } from "../clock.js";
import { hashKey, isWellFormedKey } from "../keys/format.js";
import type { ActiveKey, KeyLookup } from "../keys/store.js";
import { ABSENT, type Credential, type CredentialCheck } from "./authenticate.js";

const MALFORMED: Credential = Object.freeze({
  outcome: "refused",
  detail: "The API key is malformed or its checksum does not match.",
});
// Unknown and revoked read the same: the answer must not reveal which keys ever existed.
const NOT_RECOGNISED: Credential = Object.freeze({
  outcome: "refused",
  detail: "The API key is not recognised or has been revoked.",
});
const EXPIRED: Credential = Object.freeze({
  outcome: "refused",
  detail: "The API key has expired.",
});

/**
 * Returns the credential check for the `X-API-Key` header against `keys`, with expiry judged by
 * `clock`. Absent header: "absent". Wrong shape or checksum: refused before any lookup. Unknown,
 * revoked or expired: refused. Otherwise accepted, with the key's limits, and the use noted.
 * The comparison is a Map lookup on the SHA-256 digest, so its timing depends on the digest,
 * which an attacker cannot steer toward a stored one, never on the secret itself.
 */
export function apiKeyCheck(keys: KeyLookup, clock: Clock): CredentialCheck {
  // One Credential per key record, rebuilt only when the store reloads (new record objects).
  const accepted = new WeakMap<ActiveKey, Credential>();
  return function checkApiKey(req: Request): Credential {
    const raw = req.headers["x-api-key"];
    if (raw === undefined) return ABSENT;
    if (typeof raw !== "string" || !isWellFormedKey(raw)) return MALFORMED;
    const key = keys.find(hashKey(raw));
    if (key === undefined) return NOT_RECOGNISED;
    if (key.expiresAtMs !== null && key.expiresAtMs <= clock.now()) return EXPIRED;
    keys.touch(key.id);
    let credential = accepted.get(key);
    if (credential === undefined) {
      credential = {
        outcome: "accepted",
        principal: {
          subject: `key:${key.id}`,
          limits: { perMinute: key.perMinute, perDay: key.perDay },
        },
      };
      accepted.set(key, credential);
    }
    return credential;
  };
}
