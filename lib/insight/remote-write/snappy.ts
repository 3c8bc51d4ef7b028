/**
 * Snappy **block** format decoder (https://github.com/google/snappy/blob/main/format_description.txt),
 * the format remote_write 1.0 uses (not the framed/stream format with its `sNaPpY` header).
 *
 * Hand-written rather than a dependency because it is ~100 lines, and because we need the declared
 * length *before* allocating anything: a 10 KB body can legally declare 4 GB of output (a zip bomb),
 * so the caller checks {@link snappyDeclaredLength} against its limit first and we never allocate
 * more than that. Every read and every back-reference is bounds-checked; malformed input throws
 * `RemoteWriteError("bad_snappy")`, never a RangeError or an out-of-bounds read that returns zeros.
 *
 * `snappyjs` was weighed against it (`npm run bench:snappy`, which runs this decoder's fuzz cases through both):
 * it returns zero-padded output for truncated bodies and drops writes past the declared length instead of
 * failing, turns a declared 2^31 into a RangeError, keeps the event loop busy for minutes on the 7-byte body
 * `fc7cfc7cfc7cfc` (a literal length read with `<< 24` goes negative and walks the input back), and decoded
 * no faster (64–96 % of this speed on remote_write batches).
 */
import { RemoteWriteError } from "./errors";

const bad = (why: string) => new RemoteWriteError("bad_snappy", `invalid snappy block: ${why}`);

/**
 * Reads the preamble: the uncompressed length as a little-endian base-128 varint of at most 32 bits
 * (5 bytes). Returns the length and where the compressed elements start.
 */
export function snappyDeclaredLength(src: Uint8Array): { length: number; headerBytes: number } {
  let result = 0;
  for (let i = 0; i < 5; i++) {
    if (i >= src.length) throw bad(src.length === 0 ? "empty body" : "truncated length preamble");
    const b = src[i]!;
    // Multiply instead of shifting: `<<` would go negative at bit 31.
    result += (b & 0x7f) * 2 ** (7 * i);
    if (b < 0x80) {
      if (result > 0xffffffff) break;
      return { length: result, headerBytes: i + 1 };
    }
  }
  throw bad("length preamble is longer than 32 bits");
}

/**
 * Decompresses a snappy block. `maxLength` is checked against the declared length before the output
 * buffer is allocated (throws `too_large`); the output is exactly the declared length or it throws.
 */
export function snappyDecompress(src: Uint8Array, maxLength: number): Uint8Array {
  const { length, headerBytes } = snappyDeclaredLength(src);
  if (length > maxLength) {
    throw new RemoteWriteError("too_large", `decompressed size ${length} bytes exceeds the limit of ${maxLength} bytes`, "decompressed_bytes");
  }
  const out = new Uint8Array(length);
  let s = headerBytes;
  let d = 0;
  const end = src.length;

  while (s < end) {
    const tag = src[s++]!;
    switch (tag & 3) {
      case 0: {
        // Literal: length-1 in the upper 6 bits, or (60..63) in the next 1..4 little-endian bytes.
        let len = tag >>> 2;
        if (len >= 60) {
          const n = len - 59;
          if (s + n > end) throw bad("truncated literal length");
          len = 0;
          for (let i = 0; i < n; i++) len += src[s + i]! * 2 ** (8 * i);
          s += n;
        }
        len += 1;
        if (s + len > end) throw bad("literal runs past the end of the input");
        if (d + len > length) throw bad("literal overflows the declared length");
        if (len < 16) {
          for (let i = 0; i < len; i++) out[d + i] = src[s + i]!;
        } else {
          out.set(src.subarray(s, s + len), d);
        }
        s += len;
        d += len;
        continue;
      }
      case 1: {
        // Copy, 1-byte offset: length 4..11 in bits 2-4, offset's high 3 bits in bits 5-7.
        if (s + 1 > end) throw bad("truncated copy");
        const len = 4 + ((tag >>> 2) & 7);
        const offset = ((tag >>> 5) << 8) | src[s]!;
        s += 1;
        d = copy(out, d, offset, len, length);
        continue;
      }
      case 2: {
        if (s + 2 > end) throw bad("truncated copy");
        const len = 1 + (tag >>> 2);
        const offset = src[s]! | (src[s + 1]! << 8);
        s += 2;
        d = copy(out, d, offset, len, length);
        continue;
      }
      default: {
        if (s + 4 > end) throw bad("truncated copy");
        const len = 1 + (tag >>> 2);
        const offset = (src[s]! | (src[s + 1]! << 8) | (src[s + 2]! << 16)) + src[s + 3]! * 0x1000000;
        s += 4;
        d = copy(out, d, offset, len, length);
        continue;
      }
    }
  }
  if (d !== length) throw bad(`decoded ${d} bytes but the header declared ${length} (truncated body?)`);
  return out;
}

/** Back-reference `len` bytes from `offset` bytes behind `d`; returns the new write position. */
function copy(out: Uint8Array, d: number, offset: number, len: number, limit: number): number {
  if (offset === 0 || offset > d) throw bad(`copy offset ${offset} points before the start of the output`);
  if (d + len > limit) throw bad("copy overflows the declared length");
  const from = d - offset;
  if (offset >= len && len >= 32) {
    // Non-overlapping: a native memmove beats the loop once the copy is long enough.
    out.copyWithin(d, from, from + len);
  } else {
    // Overlapping copies (offset < len) repeat the last `offset` bytes, so go byte by byte (copyWithin
    // would have memmove semantics, which is different).
    for (let i = 0; i < len; i++) out[d + i] = out[from + i]!;
  }
  return d + len;
}
