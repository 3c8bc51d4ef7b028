/**
 * Test/bench-only encoder for remote_write bodies: protobuf WriteRequest writer + snappy block
 * compressor. Production code never encodes (NeuralOps only receives remote_write), so this lives in
 * a `*.testing.ts` file that nothing outside tests and benchmarks imports.
 *
 * The compressor is a real (greedy, hash-table) snappy compressor, not literal-only, so round trips
 * exercise the decoder's copy paths, including overlapping copies and all three copy tag kinds.
 */

export type EncodeSample = { t: number; v: number; stale?: boolean };
export type EncodeSeries = {
  labels: Record<string, string>;
  samples: EncodeSample[];
  /** Raw bytes appended inside the TimeSeries as unknown/ignored fields (exemplars, histograms…). */
  extraFields?: Uint8Array;
};
export type EncodeWriteRequest = { series: EncodeSeries[]; metadata?: { name: string; help: string; type: number }[] };

/** Float64 bits of Prometheus' staleness marker. */
export const STALE_NAN_BYTES = Uint8Array.of(0x02, 0, 0, 0, 0, 0, 0xf0, 0x7f);

export class ProtoWriter {
  private buf = new Uint8Array(64);
  private len = 0;

  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  private push(b: number): void {
    this.reserve(1);
    this.buf[this.len++] = b;
  }

  varint(n: number | bigint): this {
    if (typeof n === "number" && Number.isSafeInteger(n) && n >= 0) {
      while (n >= 0x80) {
        this.push((n % 0x80) | 0x80);
        n = Math.floor(n / 0x80);
      }
      this.push(n);
      return this;
    }
    // int64 semantics: negative numbers are 10-byte two's complement.
    let v = BigInt.asUintN(64, BigInt(n));
    while (v >= 0x80n) {
      this.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.push(Number(v));
    return this;
  }

  tag(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }

  raw(b: Uint8Array): this {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  lenDelim(field: number, payload: Uint8Array): this {
    return this.tag(field, 2).varint(payload.length).raw(payload);
  }

  string(field: number, s: string): this {
    return this.lenDelim(field, new TextEncoder().encode(s));
  }

  double(field: number, v: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    return this.tag(field, 1).raw(b);
  }
}

export function encodeWriteRequestProto(req: EncodeWriteRequest): Uint8Array {
  const w = new ProtoWriter();
  for (const s of req.series) {
    const ts = new ProtoWriter();
    // Prometheus sorts labels by name; do the same so bodies look like the real thing.
    for (const [name, value] of Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      ts.lenDelim(1, new ProtoWriter().string(1, name).string(2, value).bytes());
    }
    for (const sample of s.samples) {
      const sw = new ProtoWriter();
      if (sample.stale) sw.tag(1, 1).raw(STALE_NAN_BYTES);
      else sw.double(1, sample.v);
      sw.tag(2, 0).varint(sample.t);
      ts.lenDelim(2, sw.bytes());
    }
    if (s.extraFields) ts.raw(s.extraFields);
    w.lenDelim(1, ts.bytes());
  }
  for (const m of req.metadata ?? []) {
    w.lenDelim(3, new ProtoWriter().tag(1, 0).varint(m.type).string(2, m.name).string(4, m.help).bytes());
  }
  return w.bytes();
}

export function encodeWriteRequest(req: EncodeWriteRequest): Uint8Array {
  return snappyCompress(encodeWriteRequestProto(req));
}

// ---------------------------------------------------------------------------------------------------
// Snappy block compressor (greedy, 4-byte hash matches; simple rather than fast).

export function snappyCompress(src: Uint8Array): Uint8Array {
  // Worst case: every byte a literal, plus a few tag bytes per 64 KiB literal and the preamble.
  const out = new Uint8Array(32 + src.length + Math.ceil(src.length / 6));
  let o = 0;
  let n = src.length;
  do {
    out[o++] = (n & 0x7f) | (n >= 0x80 ? 0x80 : 0);
    n = Math.floor(n / 128);
  } while (n > 0);

  const table = new Int32Array(1 << 14).fill(-1);
  const load32 = (i: number) => (src[i]! | (src[i + 1]! << 8) | (src[i + 2]! << 16) | (src[i + 3]! << 24)) >>> 0;
  let litStart = 0;
  let i = 0;
  while (i + 4 <= src.length) {
    const word = load32(i);
    const h = Math.imul(word, 0x1e35a7bd) >>> 18;
    const cand = table[h]!;
    table[h] = i;
    if (cand >= 0 && i - cand <= 0xffff && load32(cand) === word) {
      let len = 4;
      while (i + len < src.length && src[cand + len] === src[i + len]) len++;
      o = emitLiteral(out, o, src, litStart, i);
      o = emitCopy(out, o, i - cand, len);
      i += len;
      litStart = i;
    } else {
      i++;
    }
  }
  o = emitLiteral(out, o, src, litStart, src.length);
  return out.slice(0, o);
}

function emitLiteral(out: Uint8Array, o: number, src: Uint8Array, from: number, to: number): number {
  let pos = from;
  while (pos < to) {
    const len = Math.min(to - pos, 65536);
    const n = len - 1;
    if (n < 60) out[o++] = n << 2;
    else if (n < 0x100) {
      out[o++] = 60 << 2;
      out[o++] = n;
    } else {
      out[o++] = 61 << 2;
      out[o++] = n & 0xff;
      out[o++] = n >>> 8;
    }
    out.set(src.subarray(pos, pos + len), o);
    o += len;
    pos += len;
  }
  return o;
}

function emitCopy(out: Uint8Array, o: number, offset: number, len: number): number {
  while (len > 0) {
    if (len >= 4 && len <= 11 && offset < 2048) {
      // 1-byte-offset form
      out[o++] = 1 | ((len - 4) << 2) | ((offset >>> 8) << 5);
      out[o++] = offset & 0xff;
      return o;
    }
    // 2-byte-offset form carries at most 64 bytes; keep ≥4 for a possible 1-byte-offset tail.
    const chunk = len > 64 ? (len - 64 < 4 ? 60 : 64) : len;
    out[o++] = 2 | ((chunk - 1) << 2);
    out[o++] = offset & 0xff;
    out[o++] = offset >>> 8;
    len -= chunk;
  }
  return o;
}

/** The 4-byte-offset copy form: our compressor never emits it (offsets ≤ 65535), so tests hand-build it. */
export function copy4(offset: number, len: number): number[] {
  return [3 | ((len - 1) << 2), offset & 0xff, (offset >>> 8) & 0xff, (offset >>> 16) & 0xff, offset >>> 24];
}
