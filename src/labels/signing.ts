// Download URLs that carry their own authority: HMAC-SHA256 over the job id and the expiry, with
// a secret every instance shares (LABELS_SIGNING_SECRET, or one kept in the database), so a
// link handed to a print shop works without an API key until it expires, and a link whose id or
// expiry was changed is refused.
import { createHmac, timingSafeEqual } from "node:crypto";

/** Returns the signature of (jobId, expiresSec) under `secret`, base64url. */
export function sign(secret: string, jobId: string, expiresSec: number): string {
  return createHmac("sha256", secret).update(`${jobId}\n${expiresSec}`).digest("base64url");
}

/**
 * Judges a download request: "ok", "expired" (the link's time has passed: 410) or "tampered"
 * (malformed, or a signature that does not match: 403). Constant-time comparison.
 */
export function verify(
  secret: string,
  jobId: string,
  expires: unknown,
  signature: unknown,
  nowMs: number,
): "ok" | "expired" | "tampered" {
  if (typeof expires !== "string" || !/^\d{1,12}$/.test(expires)) return "tampered";
  if (typeof signature !== "string") return "tampered";
  const want = Buffer.from(sign(secret, jobId, Number(expires)));
  const got = Buffer.from(signature);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return "tampered";
  return Number(expires) * 1000 <= nowMs ? "expired" : "ok";
}
