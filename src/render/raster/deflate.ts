// A zlib stream (RFC 1950) of fixed-Huffman deflate blocks (RFC 1951 §3.2.6) written from byte
// runs and pre-encoded fragments: the first byte of a run is a literal, the rest distance-1
// matches (./deflate-codes.ts). The PNG renderer knows its scanlines as runs (margins, modules,
// blank rows) and glyph rows it has encoded before, so it skips zlib's byte-by-byte search:
// a glyph row is deflated once and then copied as bits, a repeated text line as one block.
// Files come out ~1.2–1.4x what zlib makes at level 6 (fixed codes, runs but no other matches).
// Past 400 lines because putSpans is one function on purpose: its state lives in locals.

import {
  END_OF_BLOCK,
  MATCH_BITS,
  MATCH_LENGTH,
  MAX_MATCH,
  MIN_MATCH,
  SYMBOL_BITS,
  SYMBOL_LENGTH,
} from "./deflate-codes.js";

const ADLER_MOD = 65521;
// Adler-32's sums (a, b) are kept below these between steps and reduced mod 65521 only when
// they pass them; a step adds at most SHORT_STEP bytes in closed form, so b stays below 2^31
// (int32 arithmetic, no divisions on the hot path). Longer steps reduce first.
const A_LIMIT = 1 << 20;
const B_LIMIT = 1 << 29;
const SHORT_STEP = 1 << 9;
// Block headers, 3 bits LSB first: BFINAL, then BTYPE (00 stored, 01 fixed Huffman codes).
const FINAL = 1;
const STORED_BLOCK = 0;
const FIXED_BLOCK = 1 << 1;
// A single fragment at offset 0, for putFragment.
const ONE_AT_ZERO = new Int32Array(1);
const ONE_FRAGMENT: Fragment[] = [];
// An empty stored block's LEN and NLEN, after the header and padding to a byte boundary.
const EMPTY_STORED = new Uint8Array([0x00, 0x00, 0xff, 0xff]);

/**
 * Bytes pre-encoded as deflate symbols (see RunDeflater.beginFragment and encodeFragment), to
 * be appended by putScanline or putBlock: the bits (LSB first from bit 0 of `bits[0]`) and the
 * sums Adler-32 needs, so appending costs a shift per byte of code, or a copy when `block`,
 * rather than a symbol per byte of data.
 */
export interface Fragment {
  bits: Uint8Array;
  /** `bits` for reads four bytes at a time (little-endian, unaligned). */
  view: DataView;
  bitLength: number;
  /** Whether the bits open a fixed-Huffman block of their own, to be appended byte-aligned. */
  block: boolean;
  /** Bytes encoded (n), their sum, and Σ (n − i)·byte[i] over i = 0 … n − 1, both mod 65521. */
  length: number;
  sum: number;
  weighted: number;
}

/**
 * Writes one zlib stream from runs of bytes. Use: begin(total), then put, putRun, putScanline,
 * putFragment, putRepeated and putBlock exactly `total` bytes in order, then end(). The same calls between
 * beginFragment and endFragment pre-encode bytes as a fragment instead. Reusable; one instance
 * per call site (rendering is synchronous between begin and end).
 */
export class RunDeflater {
  private out = new Uint8Array(1 << 16);
  // `out` for writes four bytes at a time: copying a fragment word by word takes half the
  // time of byte by byte, and its bits are most of what a text line costs to write.
  private outView = new DataView(this.out.buffer);
  private at = 0;
  private bits = 0;
  private bitCount = 0;
  private a = 1;
  private b = 0;
  private value = -1;
  private count = 0;
  private declared = 0;
  private written = 0;
  private block = false;
  private blockAt = -1;

  /**
   * Starts a stream of `total` bytes (a non-negative integer): sizes the output for the worst
   * case (every byte a 9-bit literal) and writes the zlib header and a block header.
   */
  begin(total: number): void {
    this.reset(total, 8);
    this.out[0] = 0x78; // deflate, 32 KiB window
    this.out[1] = 0x01; // fastest-level hint; (0x78 << 8 | 0x01) % 31 === 0 as RFC 1950 asks
    this.at = 2;
    this.emit(FIXED_BLOCK, 3);
  }

  /**
   * Starts pre-encoding `total` bytes as a fragment: for putScanline, or, when `block`, as a
   * block of their own for putBlock (worth it from a few hundred bytes: appending it then
   * copies bytes instead of shifting them).
   */
  beginFragment(total: number, block: boolean): void {
    this.reset(total, 0);
    this.block = block;
    if (block) this.emit(FIXED_BLOCK, 3);
  }

  /** Appends one byte (0–255). */
  put(value: number): void {
    this.written++;
    if (value === this.value) this.count++;
    else {
      this.flush();
      this.value = value;
      this.count = 1;
    }
  }

  /** Appends `count` (a non-negative integer) copies of the byte `value` (0–255). */
  putRun(value: number, count: number): void {
    this.written += count;
    if (value === this.value) this.count += count;
    else {
      this.flush();
      this.value = value;
      this.count = count;
    }
  }

  /** Appends the bytes of `fragment` (not a block), its bits shifted into place. */
  putFragment(fragment: Fragment): void {
    ONE_FRAGMENT[0] = fragment;
    this.putSpans(-1, 0, 0, -1, ONE_AT_ZERO, ONE_FRAGMENT, 0, 1);
  }

  /**
   * Appends `count` (a non-negative integer) copies of `fragment` (not a block), as `count`
   * putFragment calls would, in one loop: the PNG renderers' repeated scanlines (filter Up
   * rows of zeros, light rows) cost a few shifts each instead of a call.
   */
  putRepeated(fragment: Fragment, count: number): void {
    if (fragment.block) throw new RangeError("putRepeated needs a fragment that is not a block");
    this.flush();
    this.value = -1;
    this.written += count * fragment.length;
    const out = this.out;
    const bits = fragment.bits;
    const whole = fragment.bitLength >> 3;
    const tail = fragment.bitLength & 7;
    const last = tail > 0 ? bits[whole] : 0;
    const { length: n, sum, weighted } = fragment;
    let at = this.at;
    let pending = this.bits;
    let bitCount = this.bitCount;
    let a = this.a;
    let b = this.b;
    const view = fragment.view;
    const outView = this.outView;
    for (let r = 0; r < count; r++) {
      // Words as in putSpans, then bytes: fewer than 8 bits are pending, so a byte shifted in
      // fits and one comes out.
      const back = 31 - bitCount;
      let i = 0;
      for (; i + 4 <= whole; i += 4) {
        const word = view.getInt32(i, true);
        outView.setInt32(at, pending | (word << bitCount), true);
        at += 4;
        pending = (word >>> 1) >>> back;
      }
      for (; i < whole; i++) {
        pending |= bits[i] << bitCount;
        out[at++] = pending & 0xff;
        pending >>>= 8;
      }
      if (tail > 0) {
        pending |= last << bitCount;
        bitCount += tail;
        if (bitCount >= 8) {
          out[at++] = pending & 0xff;
          pending >>>= 8;
          bitCount -= 8;
        }
      }
      if (n > SHORT_STEP) {
        a %= ADLER_MOD;
        b = (b % ADLER_MOD) + (((n % ADLER_MOD) * a) % ADLER_MOD);
      } else b += n * a;
      b += weighted;
      a += sum;
      if (a > A_LIMIT || b > B_LIMIT) {
        a %= ADLER_MOD;
        b %= ADLER_MOD;
      }
    }
    this.at = at;
    this.bits = pending;
    this.bitCount = bitCount;
    this.a = a;
    this.b = b;
  }

  /**
   * Appends the bytes of `block`, a fragment pre-encoded as a block of its own: ends the
   * current block, aligns to a byte with an empty stored block (RFC 1951 §3.2.4) and copies
   * the block's bytes, so a cached text line costs a memcpy. Throws a RangeError for a fragment
   * that is not a block.
   */
  putBlock(block: Fragment): void {
    if (!block.block) throw new RangeError("putBlock needs a fragment encoded as a block");
    this.flush();
    this.value = -1;
    this.written += block.length;
    const whole = block.bitLength >> 3;
    this.emit(SYMBOL_BITS[END_OF_BLOCK], SYMBOL_LENGTH[END_OF_BLOCK]);
    this.emit(STORED_BLOCK, 3);
    if (this.bitCount > 0) this.emit(0, 8 - this.bitCount);
    this.reserve(EMPTY_STORED.length + block.bits.length);
    this.blockAt = this.at + EMPTY_STORED.length;
    this.out.set(EMPTY_STORED, this.at);
    this.out.set(block.bits.subarray(0, whole), this.at + EMPTY_STORED.length);
    this.at += EMPTY_STORED.length + whole;
    if ((block.bitLength & 7) !== 0) this.emit(block.bits[whole], block.bitLength & 7);
    this.addAdler(block.length, block.sum, block.weighted);
  }

  /**
   * Starts a block of its own as putBlock starts one, for `total` bytes to be put next (as
   * putScanline, putSpans, put…) and ended by closeBlock: the stream comes out as if they had
   * been pre-encoded with beginFragment(total, true) and appended by putBlock, without the
   * fragment's copies (a line drawn once, never cached, is written straight into the stream).
   */
  openBlock(total: number): void {
    this.flush();
    this.value = -1;
    this.emit(SYMBOL_BITS[END_OF_BLOCK], SYMBOL_LENGTH[END_OF_BLOCK]);
    this.emit(STORED_BLOCK, 3);
    if (this.bitCount > 0) this.emit(0, 8 - this.bitCount);
    // Room as beginFragment makes for the block's bytes, beside the alignment.
    this.reserve(EMPTY_STORED.length + Math.ceil((total * 9) / 8) + 16);
    this.out.set(EMPTY_STORED, this.at);
    this.at += EMPTY_STORED.length;
    this.emit(FIXED_BLOCK, 3);
  }

  /**
   * Ends the bytes of a block opened by openBlock: its last run is written out, as
   * endFragment writes it, so no later byte extends it (putBlock's stream never merges them).
   */
  closeBlock(): void {
    this.flush();
    this.value = -1;
  }

  /**
   * Returns where in the output the last putBlock copied its block's whole bytes (the first
   * bitLength >> 3 of its bits, unchanged), or -1 if there was none since begin.
   */
  lastBlockAt(): number {
    return this.blockAt;
  }

  /**
   * Appends a scanline: the byte `filter`, then `width` bytes of `light` except where fragments
   * `fragments[from … to − 1]` start, at offsets `xs[from … to − 1]` (ascending, each past the
   * end of the one before, all within `width`; none a block). The same bytes as put and
   * putRun would write, in one call with the state in locals: a text row has a dozen small
   * fragments, and calls per fragment cost more than its bits.
   */
  putScanline(
    filter: number,
    light: number,
    width: number,
    xs: Int32Array,
    fragments: readonly Fragment[],
    from: number,
    to: number,
  ): void {
    this.putSpans(filter, light, 0, width, xs, fragments, from, to);
  }

  /**
   * Appends part of a scanline as putScanline does, from offset `start` to `end`: the byte
   * `filter` first unless it is -1, and when `end` is -1 nothing after the last fragment (a
   * row's prefix, to be continued by another call from where it stopped).
   */
  putSpans(
    filter: number,
    light: number,
    start: number,
    end: number,
    xs: Int32Array,
    fragments: readonly Fragment[],
    from: number,
    to: number,
  ): void {
    this.flush();
    this.value = -1;
    const outView = this.outView;
    const last = to > from ? xs[to - 1] + fragments[to - 1].length : start;
    this.written += (filter >= 0 ? 1 : 0) + (end >= 0 ? end : last) - start;
    const out = this.out;
    let at = this.at;
    let pending = this.bits;
    let count = this.bitCount;
    let a = this.a;
    let b = this.b;
    // One symbol is held back (code, length) so a fragment's last partial byte can be one.
    let code = 0;
    let length = 0;
    if (filter >= 0) {
      code = SYMBOL_BITS[filter];
      length = SYMBOL_LENGTH[filter];
      a += filter;
      b += a;
    }
    let x = start;
    for (let k = from; k <= to; k++) {
      // The light gap before fragment k, or before the end: a literal, then matches.
      let gap = (k < to ? xs[k] : end >= 0 ? end : x) - x;
      if (gap > 0) {
        if (gap > SHORT_STEP) {
          a %= ADLER_MOD;
          b = (b % ADLER_MOD) + (((gap % ADLER_MOD) * a) % ADLER_MOD);
          b += (light * (((gap * (gap + 1)) / 2) % ADLER_MOD)) % ADLER_MOD;
          a += ((gap % ADLER_MOD) * light) % ADLER_MOD;
        } else {
          b += gap * a + ((light * gap * (gap + 1)) >> 1);
          a += gap * light;
        }
        pending |= code << count;
        count += length;
        while (count >= 8) {
          out[at++] = pending & 0xff;
          pending >>>= 8;
          count -= 8;
        }
        code = SYMBOL_BITS[light];
        length = SYMBOL_LENGTH[light];
        for (gap--; gap > 0; ) {
          pending |= code << count;
          count += length;
          while (count >= 8) {
            out[at++] = pending & 0xff;
            pending >>>= 8;
            count -= 8;
          }
          if (gap >= MIN_MATCH) {
            const m = Math.min(gap, MAX_MATCH);
            code = MATCH_BITS[m];
            length = MATCH_LENGTH[m];
            gap -= m;
          } else {
            code = SYMBOL_BITS[light];
            length = SYMBOL_LENGTH[light];
            gap--;
          }
        }
      }
      if (k < to) {
        // Fragment k: the held-back symbol, then its bits shifted into place.
        const fragment = fragments[k];
        pending |= code << count;
        count += length;
        while (count >= 8) {
          out[at++] = pending & 0xff;
          pending >>>= 8;
          count -= 8;
        }
        const bits = fragment.bits;
        const view = fragment.view;
        const bitLength = fragment.bitLength;
        const whole = bitLength >> 3;
        // Four bytes a step: the word shifted up past the pending bits is the next four bytes
        // out, and its top `count` bits stay pending.
        const back = 31 - count;
        let i = 0;
        for (; i + 4 <= whole; i += 4) {
          const word = view.getInt32(i, true);
          outView.setInt32(at, pending | (word << count), true);
          at += 4;
          pending = (word >>> 1) >>> back;
        }
        for (; i < whole; i++) {
          pending |= bits[i] << count;
          out[at++] = pending & 0xff;
          pending >>>= 8;
        }
        length = bitLength & 7;
        code = length > 0 ? bits[whole] : 0;
        const n = fragment.length;
        if (n > SHORT_STEP) {
          a %= ADLER_MOD;
          b = (b % ADLER_MOD) + (((n % ADLER_MOD) * a) % ADLER_MOD);
        } else b += n * a;
        b += fragment.weighted;
        a += fragment.sum;
        x = xs[k] + n;
      }
      if (a > A_LIMIT || b > B_LIMIT) {
        a %= ADLER_MOD;
        b %= ADLER_MOD;
      }
    }
    pending |= code << count;
    count += length;
    while (count >= 8) {
      out[at++] = pending & 0xff;
      pending >>>= 8;
      count -= 8;
    }
    this.at = at;
    this.bits = pending;
    this.bitCount = count;
    this.a = a;
    this.b = b;
  }

  /**
   * Ends the stream (end-of-block, an empty final block, padding, Adler-32) and returns it: a
   * view of an internal buffer, valid until the next begin. Throws if the bytes put were not
   * the `total` declared.
   */
  end(): Uint8Array {
    this.flush();
    this.checkWritten();
    this.emit(SYMBOL_BITS[END_OF_BLOCK], SYMBOL_LENGTH[END_OF_BLOCK]);
    this.emit(FIXED_BLOCK | FINAL, 3);
    this.emit(SYMBOL_BITS[END_OF_BLOCK], SYMBOL_LENGTH[END_OF_BLOCK]);
    if (this.bitCount > 0) this.emit(0, 8 - this.bitCount);
    const adler = (((this.b % ADLER_MOD) << 16) | (this.a % ADLER_MOD)) >>> 0;
    const out = this.out;
    out[this.at] = adler >>> 24;
    out[this.at + 1] = (adler >>> 16) & 0xff;
    out[this.at + 2] = (adler >>> 8) & 0xff;
    out[this.at + 3] = adler & 0xff;
    return out.subarray(0, this.at + 4);
  }

  /** Ends a fragment and returns it, its bits copied out. */
  endFragment(): Fragment {
    this.flush();
    this.checkWritten();
    const bitLength = this.at * 8 + this.bitCount;
    const bits = new Uint8Array(this.at + (this.bitCount > 0 ? 1 : 0));
    bits.set(this.out.subarray(0, this.at));
    if (this.bitCount > 0) bits[this.at] = this.bits;
    const view = new DataView(bits.buffer);
    // From a = 1, b = 0: a = 1 + sum, b = n + weighted.
    const n = this.written;
    return {
      bits,
      view,
      bitLength,
      block: this.block,
      length: n,
      sum: (this.a - 1 + ADLER_MOD) % ADLER_MOD,
      weighted: (((this.b - n) % ADLER_MOD) + ADLER_MOD) % ADLER_MOD,
    };
  }

  // Grows the output, keeping its contents, so `bytes` more fit after what is written.
  private reserve(bytes: number): void {
    if (this.at + bytes + 16 <= this.out.length) return;
    const grown = new Uint8Array(2 * (this.at + bytes + 16));
    grown.set(this.out.subarray(0, this.at));
    this.out = grown;
    this.outView = new DataView(grown.buffer);
  }

  // Sizes the output for `total` bytes after `extra` and clears the state.
  private reset(total: number, extra: number): void {
    const capacity = Math.ceil((total * 9) / 8) + extra + 16;
    if (this.out.length < capacity) {
      this.out = new Uint8Array(capacity);
      this.outView = new DataView(this.out.buffer);
    }
    this.at = 0;
    this.bits = 0;
    this.bitCount = 0;
    this.a = 1;
    this.b = 0;
    this.value = -1;
    this.count = 0;
    this.declared = total;
    this.written = 0;
    this.block = false;
    this.blockAt = -1;
  }

  private checkWritten(): void {
    if (this.written !== this.declared) {
      throw new Error(`deflate stream got ${this.written} bytes, ${this.declared} declared`);
    }
  }

  // Writes the pending run: a literal, then matches of up to 258 bytes, a 1–2 byte tail as
  // literals; Adler-32 advances in closed form per match.
  private flush(): void {
    let n = this.count;
    if (n === 0) return;
    const v = this.value;
    this.emit(SYMBOL_BITS[v], SYMBOL_LENGTH[v]);
    this.addRun(v, 1);
    n--;
    while (n >= MIN_MATCH) {
      const k = Math.min(n, MAX_MATCH);
      this.emit(MATCH_BITS[k], MATCH_LENGTH[k]);
      this.addRun(v, k);
      n -= k;
    }
    for (; n > 0; n--) {
      this.emit(SYMBOL_BITS[v], SYMBOL_LENGTH[v]);
      this.addRun(v, 1);
    }
    this.count = 0;
  }

  // Advances Adler-32 over k (≤ 258) bytes of v: b += k·a + v·k(k+1)/2, a += k·v.
  private addRun(v: number, k: number): void {
    this.b += k * this.a + ((v * k * (k + 1)) >> 1);
    this.a += k * v;
    if (this.a > A_LIMIT || this.b > B_LIMIT) {
      this.a %= ADLER_MOD;
      this.b %= ADLER_MOD;
    }
  }

  // Advances Adler-32 over n bytes of the given sums (both < 65521): b += n·a + weighted, a += sum.
  private addAdler(n: number, sum: number, weighted: number): void {
    let a = this.a;
    let b = this.b;
    if (n > SHORT_STEP) {
      a %= ADLER_MOD;
      b = (b % ADLER_MOD) + (((n % ADLER_MOD) * a) % ADLER_MOD);
    } else b += n * a;
    b += weighted;
    a += sum;
    if (a > A_LIMIT || b > B_LIMIT) {
      a %= ADLER_MOD;
      b %= ADLER_MOD;
    }
    this.a = a;
    this.b = b;
  }

  // Appends `length` (≤ 18) bits, LSB first; fewer than 8 are ever pending, so 32 bits suffice.
  private emit(bits: number, length: number): void {
    let pending = this.bits | (bits << this.bitCount);
    let count = this.bitCount + length;
    while (count >= 8) {
      this.out[this.at++] = pending & 0xff;
      pending >>>= 8;
      count -= 8;
    }
    this.bits = pending;
    this.bitCount = count;
  }
}

const fragmentWriter = new RunDeflater();

/**
 * Returns `bytes` (values 0–255) pre-encoded for RunDeflater.putScanline: a literal for the
 * first byte, then runs as putRun writes them. The first byte never refers back, so a fragment
 * can follow anything.
 */
export function encodeFragment(bytes: ArrayLike<number>): Fragment {
  fragmentWriter.beginFragment(bytes.length, false);
  for (let i = 0; i < bytes.length; i++) fragmentWriter.put(bytes[i]);
  return fragmentWriter.endFragment();
}
