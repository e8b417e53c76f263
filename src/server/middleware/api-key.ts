// The X-API-Key credential check: shape and CRC-32 first (no lookup for typos or garbage), then
// the hashed lookup in the key store's memory (or, for a key it lacks, one database lookup once
// the client IP has been charged), then expiry.
import type { Request } from "express";
import type { Clock } from "../../clock.js";
import { hashKey, isWellFormedKey } from "../../keys/format.js";
import { type ActiveKey, type KeyLookup, KeyStoreUnavailableError } from "../../keys/store.js";
import { ProblemError } from "../problems.js";
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

/** Seconds a client is asked to wait when the key database cannot check its key. */
export const KEY_CHECK_RETRY_SECONDS = 5;

/**
 * Returns the credential check for the `X-API-Key` header against `keys`, with expiry judged by
 * `clock`. Absent header: "absent". Wrong shape or checksum: refused before any lookup. A key
 * in the snapshot: accepted (use noted) or refused as expired, synchronously. A well-formed key
 * the snapshot lacks: deferred to one database lookup (a key created a moment ago elsewhere),
 * refused as unknown when the database has no such active key, and 503 service_unavailable
 * when the database cannot answer. The comparison is a Map lookup on the SHA-256 digest, so
 * its timing depends on the digest, which an attacker cannot steer, never on the secret.
 */
export function apiKeyCheck(keys: KeyLookup, clock: Clock): CredentialCheck {
  // One Credential per key record, rebuilt only when the store reloads (new record objects).
  const accepted = new WeakMap<ActiveKey, Credential>();
  const judge = (key: ActiveKey): Credential => {
    if (key.expiresAtMs !== null && key.expiresAtMs <= clock.now()) return EXPIRED;
    keys.touch(key.id);
    let credential = accepted.get(key);
    if (credential === undefined) {
      credential = {
        outcome: "accepted",
        principal: {
          subject: `key:${key.id}`,
          method: "api_key",
          limits: { perMinute: key.perMinute, perDay: key.perDay },
          // The owner's account, so user-scoped routes work with the owner's keys too.
          userId: key.ownerId ?? undefined,
        },
      };
      accepted.set(key, credential);
    }
    return credential;
  };
  return function checkApiKey(req: Request): Credential {
    const raw = req.headers["x-api-key"];
    if (raw === undefined) return ABSENT;
    if (typeof raw !== "string" || !isWellFormedKey(raw)) return MALFORMED;
    const digest = hashKey(raw);
    const key = keys.find(digest);
    if (key !== undefined) return judge(key);
    return {
      outcome: "deferred",
      verify: async () => {
        let found: ActiveKey | undefined;
        try {
          found = await keys.lookup(digest);
        } catch (err) {
          if (!(err instanceof KeyStoreUnavailableError)) throw err;
          throw new ProblemError("service_unavailable", {
            detail: "The API key cannot be checked right now. Please retry shortly.",
            retryAfter: KEY_CHECK_RETRY_SECONDS,
          });
        }
        return found === undefined ? NOT_RECOGNISED : judge(found);
      },
    };
  };
}
