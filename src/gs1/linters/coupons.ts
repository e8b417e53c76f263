// Coupon linters. `couponcode` checks AI (8110), the North American Coupon Code ("North American
// Coupon Application Guideline Using GS1 DataBar Expanded Symbols"); `couponposoffer` checks AI
// (8112), the positive offer file coupon ("GS1 AI (8112) Coupon Data Specification"). Both are
// digit strings of fields, many led by a one-digit length indicator (VLI); field order, ranges
// and fault positions follow the reference linters of gs1/gs1-syntax-engine.
import { resolveCentury } from "../date.js";
import { lintYymmdd } from "./dates.js";
import { faultAt, firstNonDigit, type LintFault } from "./fault.js";
import { lintKey } from "./gcp.js";

const ANY_DIGIT = "0123456789";

/** A cursor over a coupon value; each read returns a fault or null and moves past the field. */
class CouponReader {
  /** UTF-16 index of the next unread digit. */
  p = 0;
  /** The digit the last readDigit accepted. */
  digit = 0;
  /** The digits the last take consumed. */
  text = "";

  constructor(readonly value: string) {}

  /** Consumes `marker` if the next digit is it (an optional field's lead digit). */
  next(marker: string): boolean {
    if (this.value[this.p] !== marker) return false;
    this.p++;
    return true;
  }

  /** Reads one digit of `what` that must be one of `allowed` (described by `range`). */
  readDigit(what: string, allowed: string, range: string): LintFault {
    // A field missing at the very end is reported on the whole value, as the reference does.
    if (this.p >= this.value.length) return this.missing(what);
    const d = this.value[this.p];
    if (!allowed.includes(d)) {
      return faultAt(this.value, this.p, `The ${what} is ${d}; it must be ${range}.`);
    }
    this.digit = Number(d);
    this.p++;
    return null;
  }

  /** Consumes the `length` digits of `what`, or reports how short they fall. */
  take(what: string, length: number): LintFault {
    const rest = this.value.length - this.p;
    if (rest < length) {
      return faultAt(
        this.value,
        rest === 0 ? 0 : this.p,
        `The ${what} needs ${length} digits; ${rest} remain.`,
      );
    }
    this.text = this.value.slice(this.p, this.p + length);
    this.p += length;
    return null;
  }

  /** Reads a VLI digit from `allowed` and the `base + VLI` digits of `what` after it. */
  readSized(what: string, allowed: string, range: string, base: number): LintFault {
    return (
      this.readDigit(`${what} length indicator`, allowed, range) ??
      this.take(what, base + this.digit)
    );
  }

  /** Reports digits left over after the last field. */
  end(): LintFault {
    if (this.p === this.value.length) return null;
    return faultAt(this.value, this.p, "Unexpected digits follow the last coupon field.");
  }

  private missing(what: string): LintFault {
    return faultAt(this.value, 0, `The coupon ends where the ${what} should be.`);
  }
}

/**
 * Lints `value` as an AI (8110) North American Coupon Code (linter `couponcode`): GCP with VLI
 * 0-6, 6-digit offer code, save value (VLI 1-5), first purchase requirement (VLI 1-5, code 0-4
 * or 9, 3-digit family code), then the optional fields 1, 2, 3, 4, 5, 6 and 9, each at most
 * once and in that order, and nothing else. Dates are YYMMDD with a real day, centuries per
 * §7.12 judged from `now` (default: today). Faults name the first field that is wrong: at the
 * field, or at position 1 when the value ends where a field should start.
 */
export function lintCouponCode(value: string, now: Date = new Date()): LintFault {
  const nonDigit = firstNonDigit(value);
  if (nonDigit) return nonDigit;
  const r = new CouponReader(value);
  return (
    readCompanyPrefix(r, "GS1 Company Prefix", "0123456", "0 to 6") ??
    r.take("offer code", 6) ??
    r.readSized("save value", "12345", "1 to 5", 0) ??
    readPurchase(r, "first purchase") ??
    (r.next("1") ? readSecondPurchase(r) : null) ??
    (r.next("2") ? readThirdPurchase(r) : null) ??
    readDates(r, now) ??
    (r.next("5") ? r.readSized("serial number", ANY_DIGIT, "a digit", 6) : null) ??
    (r.next("6") ? readCompanyPrefix(r, "retailer GCP or GLN", "1234567", "1 to 7") : null) ??
    (r.next("9") ? readMiscellaneous(r) : null) ??
    r.end()
  );
}

/**
 * Lints `value` as an AI (8112) positive offer file coupon (linter `couponposoffer`): format
 * code 0 or 1, funder ID (VLI 0-6, 6 + VLI digits), 6-digit offer code, serial number (VLI 0-9,
 * 6 + VLI digits) and nothing after it. Faults as lintCouponCode.
 */
export function lintCouponPosOffer(value: string): LintFault {
  const nonDigit = firstNonDigit(value);
  if (nonDigit) return nonDigit;
  const r = new CouponReader(value);
  return (
    r.readDigit("format code", "01", "0 or 1") ??
    r.readSized("funder ID", "0123456", "0 to 6", 6) ??
    r.take("offer code", 6) ??
    r.readSized("serial number", ANY_DIGIT, "a digit", 6) ??
    r.end()
  );
}

/** Reads a GCP behind a VLI (6 + VLI digits; VLI 9, where `allowed` has it, means none). */
function readCompanyPrefix(
  r: CouponReader,
  what: string,
  allowed: string,
  range: string,
): LintFault {
  const vli = r.readDigit(`${what} length indicator`, allowed, range);
  if (vli) return vli;
  if (r.digit === 9) return null;
  const start = r.p;
  const taken = r.take(what, 6 + r.digit);
  if (taken) return taken;
  const key = lintKey(r.text);
  return key && faultAt(r.value, start, `The ${what} is not valid: ${key.detail}`);
}

/** Reads a purchase requirement (VLI 1-5), its code (0-4 or 9) and its 3-digit family code. */
function readPurchase(r: CouponReader, ordinal: string): LintFault {
  return (
    r.readSized(`${ordinal} requirement`, "12345", "1 to 5", 0) ??
    r.readDigit(`${ordinal} requirement code`, "012349", "0 to 4 or 9") ??
    r.take(`${ordinal} family code`, 3)
  );
}

/** Optional field 1: additional purchase rules code (0-3), second purchase and its GCP. */
function readSecondPurchase(r: CouponReader): LintFault {
  return (
    r.readDigit("additional purchase rules code", "0123", "0 to 3") ??
    readPurchase(r, "second purchase") ??
    readCompanyPrefix(r, "second purchase GS1 Company Prefix", "01234569", "0 to 6 or 9")
  );
}

/** Optional field 2: third purchase and its GCP. */
function readThirdPurchase(r: CouponReader): LintFault {
  return (
    readPurchase(r, "third purchase") ??
    readCompanyPrefix(r, "third purchase GS1 Company Prefix", "01234569", "0 to 6 or 9")
  );
}

/**
 * Optional fields 3 (expiration date) and 4 (start date). A start after the expiration is a
 * fault at the field 3 lead digit. Dates are compared with their §7.12 centuries, not as text,
 * so an expiration in 2000 ("000101") is after a start in 1999 ("991231").
 */
function readDates(r: CouponReader, now: Date): LintFault {
  let expiry: number | undefined;
  const expiryField = r.p;
  if (r.next("3")) {
    const fault = readDate(r, "expiration date", now);
    if (fault) return fault;
    expiry = dayNumber(r.text, now);
  }
  if (!r.next("4")) return null;
  const fault = readDate(r, "start date", now);
  if (fault) return fault;
  if (expiry === undefined || dayNumber(r.text, now) <= expiry) return null;
  return faultAt(r.value, expiryField, "The expiration date is before the start date.");
}

function readDate(r: CouponReader, what: string, now: Date): LintFault {
  const start = r.p;
  const fault = r.take(what, 6) ?? lintYymmdd(r.text, now);
  if (!fault || r.p === start) return fault;
  return faultAt(r.value, start, `The ${what} is not a date: ${fault.detail}`);
}

/** Returns YYMMDD as the sortable number YYYYMMDD, the century resolved per §7.12. */
function dayNumber(yymmdd: string, now: Date): number {
  return resolveCentury(Number(yymmdd.slice(0, 2)), now) * 10_000 + Number(yymmdd.slice(2));
}

/** Optional field 9: save value code, applies-to-item, store coupon flag, don't-multiply flag. */
function readMiscellaneous(r: CouponReader): LintFault {
  return (
    r.readDigit("save value code", "01256", "0, 1, 2, 5 or 6") ??
    r.readDigit("save value applies to item", "012", "0 to 2") ??
    r.readDigit("store coupon flag", ANY_DIGIT, "a digit") ??
    r.readDigit("don't multiply flag", "01", "0 or 1")
  );
}
