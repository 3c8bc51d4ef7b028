/**
 * Decodes a Prometheus remote_write 1.0 body: snappy block → protobuf `prometheus.WriteRequest`.
 *
 * The protobuf side is a hand-written reader for the handful of fields we use (schema below) rather
 * than protobufjs: no dependency, no generated code, and it never builds objects for what it skips
 * (exemplars, native histograms, metadata bodies). Unknown fields of any wire type are skipped per
 * the protobuf spec, so newer senders that add fields keep working.
 *
 *   WriteRequest  { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
 *   TimeSeries    { repeated Label labels = 1; repeated Sample samples = 2;
 *                   repeated Exemplar exemplars = 3; repeated Histogram histograms = 4; }
 *   Label         { string name = 1; string value = 2; }
 *   Sample        { double value = 1; int64 timestamp = 2; }   // timestamp in ms since the epoch
 *
 * Stale markers (Prometheus writes NaN with the exact bits 0x7ff0000000000002 when a series
 * disappears from a scrape) are **kept** with `stale: true`: a detector must treat them as "series
 * ended", not as a value, and dropping them would lose that signal. Any other NaN is an ordinary
 * (if odd) sample value and is kept without the flag.
 */
import { RemoteWriteError } from "./errors";
import { snappyDecompress } from "./snappy";

export type RemoteWriteSample = {
  /** Milliseconds since the epoch, as Prometheus sent it. */
  t: number;
  v: number;
  /** Present (and true) only for Prometheus staleness markers; then `v` is NaN. */
  stale?: true;
};

export type RemoteWriteSeries = {
  /**
   * A plain object: null-prototype objects are dictionary-mode in V8 (~6x slower to build, measured).
   * A `__proto__` label (a valid Prometheus name) is stored as an own property, not as the prototype.
   * Read it with own-property access (`Object.hasOwn`, `Object.entries`), not `in`.
   */
  labels: Record<string, string>;
  samples: RemoteWriteSample[];
};

export type DecodedWriteRequest = {
  /** Every TimeSeries in the body, in order, including ones that only carried histograms/exemplars (then `samples` is empty). */
  series: RemoteWriteSeries[];
  /** MetricMetadata entries (Prometheus sends these in separate requests with no series). */
  metadataCount: number;
  /** Native-histogram samples we skipped (not supported yet); non-zero tells the operator why data is missing. */
  histogramCount: number;
};

export type DecodeOptions = {
  /** Upper bound on the snappy-declared uncompressed size, checked before anything is allocated. */
  maxDecompressedBytes: number;
  /**
   * Upper bounds on what the body may expand into, checked while decoding so the rest is never built:
   * a few MB of snappy can hold millions of samples (hundreds of MB once decoded).
   */
  maxSamples?: number;
  maxSeries?: number;
  /**
   * Label sets seen before, by their encoded bytes: a series that comes back (every series, every scrape
   * interval) gets the same frozen labels object without decoding a string. See LabelSetCache.
   */
  labelSets?: LabelSetCache;
};

/**
 * Decoded label sets by their protobuf bytes. remote_write sends every series again each scrape interval with
 * the same label bytes, and decoding ten labels into an object cost more than everything else a sample needs.
 * A hit returns the object decoded the first time: frozen, and the same object each time, so what a consumer
 * derives from it (matching monitors, the series key) can be kept in a WeakMap beside it.
 *
 * Two generations, each of at most half the entries and half the bytes: a hit in the old one moves the entry
 * to the young one, and when the young one is full the old one is dropped. Bounded without per-hit bookkeeping.
 * Bytes count the key twice (the key string and, about as large, the decoded labels), and a label set larger
 * than MAX_CACHED_LABEL_BYTES is never cached, so a sender of huge or ever-new series cannot grow it past its
 * byte budget; those are decoded each time.
 */
export class LabelSetCache {
  static readonly MAX_CACHED_LABEL_BYTES = 4096;
  private young = new Map<string, Readonly<Record<string, string>>>();
  private old = new Map<string, Readonly<Record<string, string>>>();
  private youngBytes = 0;
  private oldBytes = 0;
  private readonly halfEntries: number;
  private readonly halfBytes: number;

  constructor(capacity: number, maxBytes = capacity * 1024) {
    this.halfEntries = Math.max(1, Math.floor(capacity / 2));
    this.halfBytes = Math.max(1, Math.floor(maxBytes / 2));
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  /** About what the cached keys and labels hold (see the class comment). */
  get bytes(): number {
    return this.youngBytes + this.oldBytes;
  }

  get(key: string): Readonly<Record<string, string>> | undefined {
    const hit = this.young.get(key);
    if (hit !== undefined) return hit;
    const aged = this.old.get(key);
    if (aged !== undefined) {
      this.old.delete(key);
      this.oldBytes -= 2 * key.length;
      this.set(key, aged);
    }
    return aged;
  }

  set(key: string, labels: Readonly<Record<string, string>>): void {
    if (key.length > LabelSetCache.MAX_CACHED_LABEL_BYTES) return;
    if (this.young.size >= this.halfEntries || this.youngBytes + 2 * key.length > this.halfBytes) {
      this.old = this.young;
      this.oldBytes = this.youngBytes;
      this.young = new Map();
      this.youngBytes = 0;
    }
    this.young.set(key, labels);
    this.youngBytes += 2 * key.length;
  }
}

export function decodeWriteRequest(body: Uint8Array, opts: DecodeOptions): DecodedWriteRequest {
  if (!(Number.isSafeInteger(opts.maxDecompressedBytes) && opts.maxDecompressedBytes >= 0)) {
    throw new TypeError("maxDecompressedBytes must be a non-negative integer");
  }
  const raw = snappyDecompress(body, opts.maxDecompressedBytes);
  return decodeWriteRequestProto(raw, opts);
}

// ---------------------------------------------------------------------------------------------------
// Protobuf reader

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

const bad = (why: string) => new RemoteWriteError("bad_protobuf", `invalid WriteRequest protobuf: ${why}`);

/** Exact bit pattern of Prometheus' stale NaN, as the two little-endian 32-bit halves of the double. */
const STALE_LO = 0x00000002;
const STALE_HI = 0x7ff00000;

/**
 * Intern table for short ASCII strings (see Reader.string). Module-level on purpose: series repeat
 * from one request to the next, and sharing strings also shrinks whatever keeps the labels around.
 * Bounded: 4096 slots × ≤128 bytes, replaced on collision.
 */
const INTERN_MAX_LEN = 128;
const INTERN_MASK = 4095;
const INTERN: (string | undefined)[] = new Array<string | undefined>(INTERN_MASK + 1).fill(undefined);

class Reader {
  pos = 0;
  /** Out-parameters of readLabel. */
  labelName = "";
  labelValue = "";
  readonly view: DataView;
  /** Zero-copy Buffer view, only for its native UTF-8 decoder (much faster than TextDecoder per small string). */
  private readonly text: Buffer;

  constructor(readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.text = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** Unsigned varint that must fit 32 bits (tags, lengths). */
  uint32(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= end) throw bad("truncated varint");
    let b = buf[pos++]!;
    if (b < 0x80) {
      this.pos = pos;
      return b;
    }
    let result = b & 0x7f;
    for (let shift = 7; shift < 35; shift += 7) {
      if (pos >= end) throw bad("truncated varint");
      b = buf[pos++]!;
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) {
        if (result > 0xffffffff) throw bad("varint does not fit 32 bits");
        this.pos = pos;
        return result;
      }
    }
    throw bad("varint does not fit 32 bits");
  }

  /**
   * Signed int64 varint as a JS number (exact within ±2^53, which every ms timestamp is). Split into
   * two 32-bit halves so negative values (10-byte two's complement) come out right.
   */
  int64(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let b = 0;
    for (let i = 0; i < 4; i++) {
      if (pos >= end) throw bad("truncated varint");
      b = buf[pos++]!;
      lo |= (b & 0x7f) << (7 * i);
      if (b < 0x80) {
        this.pos = pos;
        return lo; // < 2^28, never negative
      }
    }
    if (pos >= end) throw bad("truncated varint");
    b = buf[pos++]!;
    lo |= (b & 0x7f) << 28;
    hi = (b & 0x7f) >>> 4;
    if (b >= 0x80) {
      for (let i = 0; i < 5; i++) {
        if (pos >= end) throw bad("truncated varint");
        b = buf[pos++]!;
        hi |= (b & 0x7f) << (7 * i + 3);
        if (b < 0x80) break;
        if (i === 4) throw bad("varint longer than 10 bytes");
      }
    }
    this.pos = pos;
    // hi as signed int32 carries the sign; lo is the unsigned low word.
    return (hi | 0) * 4294967296 + (lo >>> 0);
  }

  /** Length prefix of a length-delimited field; returns the end offset of its payload. */
  lengthDelimited(end: number): number {
    const len = this.uint32(end);
    const stop = this.pos + len;
    if (stop > end) throw bad("length-delimited field runs past its parent");
    return stop;
  }

  /**
   * Label names and values repeat massively (every series of a request carries the same `job`,
   * `instance`, metric names, `le` buckets…). Short ASCII strings are therefore interned through a
   * small fixed-size table: a hit returns the existing string instead of allocating a new one. That
   * made a 40k-series body decode ~2.5x faster (measured), mostly saved garbage-collector time, since
   * the whole decoded request stays live while it is built.
   * A hit is verified byte by byte, so a hash collision only costs a miss.
   */
  string(stop: number): string {
    const start = this.pos;
    this.pos = stop;
    const len = stop - start;
    if (len === 0) return "";
    if (len > INTERN_MAX_LEN) return this.text.toString("utf8", start, stop);
    const buf = this.buf;
    let h = 0x811c9dc5; // FNV-1a
    let high = 0;
    for (let i = start; i < stop; i++) {
      const c = buf[i]!;
      high |= c;
      h = Math.imul(h ^ c, 0x01000193);
    }
    if (high >= 0x80) return this.text.toString("utf8", start, stop); // non-ASCII: not interned
    const slot = (h ^ (h >>> 15)) & INTERN_MASK;
    const cached = INTERN[slot];
    if (cached !== undefined && cached.length === len) {
      let i = 0;
      while (i < len && cached.charCodeAt(i) === buf[start + i]) i++;
      if (i === len) return cached;
    }
    const s = this.text.toString("latin1", start, stop); // == ASCII here, and cheaper than a UTF-8 decode
    INTERN[slot] = s;
    return s;
  }

  latin1(start: number, stop: number): string {
    return this.text.toString("latin1", start, stop);
  }

  skip(wireType: number, end: number): void {
    switch (wireType) {
      case WIRE_VARINT: {
        for (let i = 0; i < 10; i++) {
          if (this.pos >= end) throw bad("truncated varint");
          if (this.buf[this.pos++]! < 0x80) return;
        }
        throw bad("varint longer than 10 bytes");
      }
      case WIRE_I64:
        this.need(8, end);
        this.pos += 8;
        return;
      case WIRE_LEN:
        this.pos = this.lengthDelimited(end);
        return;
      case WIRE_I32:
        this.need(4, end);
        this.pos += 4;
        return;
      default:
        // 3/4 are the deprecated group markers (never used by Prometheus' proto3 schema); 6/7 do not exist.
        throw bad(`unsupported wire type ${wireType}`);
    }
  }

  need(n: number, end: number): void {
    if (this.pos + n > end) throw bad("truncated fixed-width field");
  }
}

function expectWire(field: string, got: number, want: number): void {
  if (got !== want) throw bad(`${field} has wire type ${got}, expected ${want}`);
}

type Counters = { histograms: number; samples: number; maxSamples: number };

export function decodeWriteRequestProto(buf: Uint8Array, limits: Pick<DecodeOptions, "maxSamples" | "maxSeries" | "labelSets"> = {}): DecodedWriteRequest {
  const r = new Reader(buf);
  const end = buf.length;
  const series: RemoteWriteSeries[] = [];
  let metadataCount = 0;
  const maxSeries = limits.maxSeries ?? Infinity;
  const counters: Counters = { histograms: 0, samples: 0, maxSamples: limits.maxSamples ?? Infinity };
  while (r.pos < end) {
    const tag = r.uint32(end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 0) throw bad("field number 0");
    if (field === 1) {
      expectWire("WriteRequest.timeseries", wire, WIRE_LEN);
      if (series.length >= maxSeries) throw new RemoteWriteError("too_large", `more than ${maxSeries} series in one request; send smaller batches`, "series");
      const stop = r.lengthDelimited(end);
      series.push(readTimeSeries(r, stop, counters, limits.labelSets ?? null));
    } else if (field === 3) {
      expectWire("WriteRequest.metadata", wire, WIRE_LEN);
      r.pos = r.lengthDelimited(end); // counted, not decoded: nothing downstream uses type/help/unit yet
      metadataCount++;
    } else {
      r.skip(wire, end);
    }
  }
  return { series, metadataCount, histogramCount: counters.histograms };
}

/**
 * The labels are first only delimited. With a LabelSetCache, when they are contiguous (Prometheus writes them
 * first, together) their bytes are the cache key, and only a miss decodes them.
 */
function readTimeSeries(r: Reader, end: number, counters: Counters, cache: LabelSetCache | null): RemoteWriteSeries {
  const start = r.pos;
  const samples: RemoteWriteSample[] = [];
  let labelsStart = -1;
  let labelsEnd = -1;
  let contiguous = true;
  while (r.pos < end) {
    const tagAt = r.pos;
    const tag = r.uint32(end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 0) throw bad("field number 0");
    if (field === 1) {
      expectWire("TimeSeries.labels", wire, WIRE_LEN);
      if (labelsStart < 0) labelsStart = tagAt;
      else if (labelsEnd !== tagAt) contiguous = false;
      r.pos = labelsEnd = r.lengthDelimited(end);
    } else if (field === 2) {
      expectWire("TimeSeries.samples", wire, WIRE_LEN);
      if (++counters.samples > counters.maxSamples) {
        throw new RemoteWriteError("too_large", `more than ${counters.maxSamples} samples in one request; send smaller batches`, "samples");
      }
      samples.push(readSample(r, r.lengthDelimited(end)));
    } else {
      if (field === 4) counters.histograms++;
      r.skip(wire, end);
    }
  }
  const after = r.pos;
  if (labelsStart < 0) return { labels: {}, samples };
  if (!contiguous || !cache) {
    // Labels interleaved with other fields are decoded where they are and not cached (no sender known does this).
    r.pos = start;
    const labels = readLabels(r, end);
    r.pos = after;
    return { labels, samples };
  }
  // latin1 maps each byte to one char: distinct bytes, distinct keys.
  const key = r.latin1(labelsStart, labelsEnd);
  let labels = cache.get(key);
  if (labels === undefined) {
    r.pos = labelsStart;
    labels = Object.freeze(readLabels(r, labelsEnd));
    cache.set(key, labels);
    r.pos = after;
  }
  return { labels, samples };
}

/** The labels among the fields of [r.pos, end) (other fields are skipped). */
function readLabels(r: Reader, end: number): Record<string, string> {
  const labels: Record<string, string> = {};
  // Prometheus sends label names sorted, so "strictly greater than the previous name" proves a name
  // is new without a property lookup; only unsorted input pays for the hasOwn check.
  let prevName = "";
  let sorted = true;
  while (r.pos < end) {
    const tag = r.uint32(end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field !== 1) {
      r.skip(wire, end);
      continue;
    }
    readLabel(r, r.lengthDelimited(end));
    const name = r.labelName;
    const value = r.labelValue;
    // Prometheus itself rejects these; accepting them would make two different series collide.
    if (name === "") throw bad("label with an empty name");
    if (sorted && name > prevName) prevName = name;
    else {
      sorted = false;
      if (Object.hasOwn(labels, name)) throw bad(`duplicate label name "${name}"`);
    }
    if (name === "__proto__") Object.defineProperty(labels, name, { value, enumerable: true, writable: true, configurable: true });
    else labels[name] = value;
  }
  return labels;
}

/** Reads one Label into r.labelName / r.labelValue (no per-label object allocated). */
function readLabel(r: Reader, end: number): void {
  let name = "";
  let value = "";
  while (r.pos < end) {
    const tag = r.uint32(end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1) {
      expectWire("Label.name", wire, WIRE_LEN);
      name = r.string(r.lengthDelimited(end));
    } else if (field === 2) {
      expectWire("Label.value", wire, WIRE_LEN);
      value = r.string(r.lengthDelimited(end));
    } else {
      if (field === 0) throw bad("field number 0");
      r.skip(wire, end);
    }
  }
  r.labelName = name;
  r.labelValue = value;
}

function readSample(r: Reader, end: number): RemoteWriteSample {
  let t = 0;
  let v = 0; // proto3 defaults: an omitted field is zero
  let stale = false;
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag === 0x09) {
      // field 1, wire type 1 (fixed64 double)
      r.need(8, end);
      stale = r.view.getUint32(r.pos, true) === STALE_LO && r.view.getUint32(r.pos + 4, true) === STALE_HI;
      v = r.view.getFloat64(r.pos, true);
      r.pos += 8;
    } else if (tag === 0x10) {
      // field 2, wire type 0 (varint int64)
      t = r.int64(end);
    } else {
      const field = tag >>> 3;
      if (field === 0) throw bad("field number 0");
      if (field === 1 || field === 2) throw bad(`Sample field ${field} has wire type ${tag & 7}`);
      r.skip(tag & 7, end);
    }
  }
  return stale ? { t, v, stale: true } : { t, v };
}
