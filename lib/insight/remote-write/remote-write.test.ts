import { fixture as capturedFixture } from "@/test/fixtures";
import { describe, expect, it } from "vitest";
import { decodeWriteRequest, decodeWriteRequestProto, RemoteWriteError, snappyDecompress, type RemoteWriteErrorCode } from ".";
import { LabelSetCache } from "./decode";
import { copy4, encodeWriteRequest, encodeWriteRequestProto, ProtoWriter, snappyCompress, type EncodeSeries } from "./encode.testing";

// Captured from a real Prometheus 2.42 (Debian) remote_write request: its own /metrics, one scrape.
const fixture = new Uint8Array(capturedFixture("remote_write/prometheus-2.42-writerequest.snappy"));
const FIXTURE_DECOMPRESSED = 87_668; // the fixture's snappy preamble
const MB = 1 << 20;

function codeOf(fn: () => unknown): RemoteWriteErrorCode | "ok" {
  try {
    fn();
    return "ok";
  } catch (e) {
    if (e instanceof RemoteWriteError) return e.code;
    throw e; // anything else (RangeError, TypeError…) is a decoder bug
  }
}

describe("decodeWriteRequest on a real Prometheus 2.42 body", () => {
  const decoded = decodeWriteRequest(fixture, { maxDecompressedBytes: MB });

  it("decodes every series with its labels and one sample each", () => {
    expect(decoded.series).toHaveLength(500);
    expect(decoded.metadataCount).toBe(0);
    expect(decoded.histogramCount).toBe(0);
    for (const s of decoded.series) {
      expect(s.labels).toMatchObject({ job: "prometheus", instance: "127.0.0.1:9090", cluster: "integ-test" });
      expect(s.samples).toHaveLength(1);
      // Prometheus sends labels sorted by name; the decoder preserves that order.
      const names = Object.keys(s.labels);
      expect(names).toEqual([...names].sort());
    }
  });

  it("finds known series and values", () => {
    const byName = (n: string) => decoded.series.filter((s) => s.labels.__name__ === n);
    expect(byName("go_goroutines")[0]?.samples[0]?.v).toBe(51);
    expect(byName("prometheus_build_info")[0]?.labels).toMatchObject({ version: "2.42.0+ds", goversion: "go1.19.8" });
    expect(byName("go_gc_duration_seconds").map((s) => s.labels.quantile)).toEqual(["0", "0.25", "0.5", "0.75", "1"]);
    expect(byName("go_gc_duration_seconds")[0]?.samples[0]?.v).toBeCloseTo(0.000081942, 12);
    expect(byName("prometheus_http_request_duration_seconds_bucket").length).toBe(50);
    // A summary with no observations reports NaN quantiles: ordinary NaN, not a stale marker.
    const empty = byName("prometheus_sd_file_scan_duration_seconds");
    expect(empty).toHaveLength(3);
    for (const s of empty) expect(s.samples[0]).toEqual({ t: 1795760565333, v: NaN });
  });

  it("has plausible millisecond timestamps", () => {
    const ts = new Set(decoded.series.flatMap((s) => s.samples.map((x) => x.t)));
    expect([...ts]).toEqual([1795760565333]); // one scrape → one timestamp
    const t = [...ts][0]!;
    expect(Number.isInteger(t)).toBe(true);
    expect(t).toBeGreaterThan(Date.UTC(2020, 0, 1));
    expect(t).toBeLessThan(Date.UTC(2100, 0, 1)); // seconds or µs would be far outside this window
  });

  it("checks the declared size against the limit before decompressing", () => {
    expect(codeOf(() => decodeWriteRequest(fixture, { maxDecompressedBytes: FIXTURE_DECOMPRESSED - 1 }))).toBe("too_large");
    expect(codeOf(() => decodeWriteRequest(fixture, { maxDecompressedBytes: FIXTURE_DECOMPRESSED }))).toBe("ok");
  });

  it("rejects every truncation of the body with bad_snappy", () => {
    for (let len = 0; len < fixture.length; len += len < 64 ? 1 : 97) {
      expect(codeOf(() => decodeWriteRequest(fixture.subarray(0, len), { maxDecompressedBytes: MB })), `prefix ${len}`).toBe("bad_snappy");
    }
    expect(codeOf(() => decodeWriteRequest(fixture.subarray(0, fixture.length - 1), { maxDecompressedBytes: MB }))).toBe("bad_snappy");
  });

  it("never fails with anything but RemoteWriteError on corrupted bytes", () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 2 ** 24;
    for (let i = 0; i < 300; i++) {
      const body = fixture.slice();
      for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) body[Math.floor(rnd() * body.length)] = Math.floor(rnd() * 256);
      codeOf(() => decodeWriteRequest(body, { maxDecompressedBytes: MB })); // throws if the error is not ours
    }
  });
});

describe("decodeWriteRequest error codes", () => {
  const opts = { maxDecompressedBytes: MB };

  it("empty body → bad_snappy", () => {
    expect(codeOf(() => decodeWriteRequest(new Uint8Array(0), opts))).toBe("bad_snappy");
  });

  it("random bytes → bad_snappy or bad_protobuf, never a crash", () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) & 0xff;
    const codes = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const body = Uint8Array.from({ length: 1 + (i % 200) }, rnd);
      codes.add(codeOf(() => decodeWriteRequest(body, opts)));
    }
    expect(codes.has("bad_snappy")).toBe(true);
    expect([...codes].every((c) => ["bad_snappy", "bad_protobuf", "too_large", "ok"].includes(c))).toBe(true);
  });

  it("a huge declared length → too_large without allocating it", () => {
    // 0xFFFFFFFF declared (a 4 GiB "zip bomb") followed by a few bytes.
    const bomb = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 0x61);
    const err = (() => {
      try {
        decodeWriteRequest(bomb, { maxDecompressedBytes: 10 * MB });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(RemoteWriteError);
    expect((err as RemoteWriteError).code).toBe("too_large");
    expect((err as RemoteWriteError).httpStatus).toBe(413);
    expect((err as RemoteWriteError).message).toMatch(/4294967295 bytes exceeds the limit of 10485760/);
  });

  it("malformed snappy streams → bad_snappy", () => {
    const cases: [string, number[]][] = [
      ["preamble longer than 32 bits", [0x80, 0x80, 0x80, 0x80, 0x80, 0x01]],
      ["preamble value over 32 bits", [0xff, 0xff, 0xff, 0xff, 0x7f]],
      ["copy before any output", [4, 0x01 | (0 << 2), 1]],
      ["copy offset zero", [8, 0x00, 0x61, 0x01 | (0 << 2), 0]],
      ["copy past the declared length", [5, 0x00, 0x61, 0x01 | (7 << 2), 1]],
      ["literal past the input", [5, 4 << 2, 0x61]],
      ["literal past the declared length", [1, 1 << 2, 0x61, 0x62]],
      ["output shorter than declared", [3, 0x00, 0x61]],
      ["truncated 4-byte copy", [5, 0x00, 0x61, 0x03, 1, 0]],
    ];
    for (const [name, bytes] of cases) {
      expect(codeOf(() => snappyDecompress(Uint8Array.from(bytes), 100)), name).toBe("bad_snappy");
    }
  });

  it("valid snappy around a broken protobuf → bad_protobuf", () => {
    const good = encodeWriteRequestProto({ series: [{ labels: { __name__: "up" }, samples: [{ t: 1, v: 1 }] }] });
    const cases: [string, Uint8Array][] = [
      ["truncated message", good.subarray(0, good.length - 3)],
      ["length past the end", Uint8Array.of(0x0a, 0x7f, 0x00)],
      ["group wire type", Uint8Array.of(0x0b)],
      ["field number 0", Uint8Array.of(0x02, 0x00)],
      ["timeseries as a varint", Uint8Array.of(0x08, 0x01)],
      ["unterminated varint", Uint8Array.of(0x10, 0xff, 0xff)],
      ["sample value as varint", new ProtoWriter().lenDelim(1, new ProtoWriter().lenDelim(2, Uint8Array.of(0x08, 0x01)).bytes()).bytes()],
      ["duplicate label", new ProtoWriter().lenDelim(1, new ProtoWriter()
        .lenDelim(1, new ProtoWriter().string(1, "a").string(2, "1").bytes())
        .lenDelim(1, new ProtoWriter().string(1, "a").string(2, "2").bytes()).bytes()).bytes()],
      ["empty label name", new ProtoWriter().lenDelim(1, new ProtoWriter().lenDelim(1, new ProtoWriter().string(2, "x").bytes()).bytes()).bytes()],
    ];
    for (const [name, proto] of cases) {
      expect(codeOf(() => decodeWriteRequest(snappyCompress(proto), opts)), name).toBe("bad_protobuf");
    }
  });
});

describe("round trip through the test encoder", () => {
  it("preserves labels, samples, stale markers, special floats and int64 timestamps", () => {
    const exemplar = new ProtoWriter()
      .lenDelim(1, new ProtoWriter().string(1, "trace_id").string(2, "abc").bytes())
      .double(2, 1.5)
      .tag(3, 0)
      .varint(1700000000000)
      .bytes();
    const extra = new ProtoWriter()
      .lenDelim(3, exemplar) // exemplar
      .lenDelim(4, Uint8Array.of(0x08, 0x05, 0x21, 1, 2, 3, 4, 5, 6, 7, 8)) // histogram (opaque to us)
      .tag(15, 0).varint(-5) // unknown varint field, 10 bytes
      .tag(16, 5).raw(Uint8Array.of(1, 2, 3, 4)) // unknown fixed32
      .tag(17, 1).raw(new Uint8Array(8)) // unknown fixed64
      .bytes();
    const series: EncodeSeries[] = [
      {
        labels: { __name__: "http_requests_total", job: "api", path: "/ünïcödé/✓", empty: "" },
        samples: [
          { t: 1_700_000_000_000, v: 1 },
          { t: 1_700_000_015_000, v: -0.5 },
          { t: 1_700_000_030_000, v: Infinity },
          { t: 1_700_000_045_000, v: -Infinity },
          { t: 1_700_000_060_000, v: NaN },
          { t: 1_700_000_075_000, v: NaN, stale: true },
          { t: 0, v: 0 },
          { t: -1, v: 1e-300 },
          { t: -1_700_000_000_000, v: Number.MAX_VALUE },
          { t: 2 ** 53 - 1, v: 3 },
        ],
        extraFields: extra,
      },
      { labels: { __name__: "native_histogram_only" }, samples: [], extraFields: new ProtoWriter().lenDelim(4, Uint8Array.of(0x08, 0x01)).bytes() },
      { labels: { __name__: "weird", __proto__: "x", constructor: "y" } as Record<string, string>, samples: [{ t: 5, v: 5 }] },
    ];
    // `{__proto__: "x"}` in a literal does not create a key; build that one explicitly.
    Object.defineProperty(series[2]!.labels, "__proto__", { value: "x", enumerable: true });

    const body = encodeWriteRequest({ series, metadata: [{ name: "http_requests_total", help: "Requests.", type: 1 }] });
    const out = decodeWriteRequest(body, { maxDecompressedBytes: MB });

    expect(out.metadataCount).toBe(1);
    expect(out.histogramCount).toBe(2);
    expect(out.series).toHaveLength(3);
    expect({ ...out.series[0]!.labels }).toEqual(series[0]!.labels);
    expect(out.series[0]!.samples).toEqual([
      { t: 1_700_000_000_000, v: 1 },
      { t: 1_700_000_015_000, v: -0.5 },
      { t: 1_700_000_030_000, v: Infinity },
      { t: 1_700_000_045_000, v: -Infinity },
      { t: 1_700_000_060_000, v: NaN }, // ordinary NaN: no flag
      { t: 1_700_000_075_000, v: NaN, stale: true },
      { t: 0, v: 0 },
      { t: -1, v: 1e-300 },
      { t: -1_700_000_000_000, v: Number.MAX_VALUE },
      { t: 2 ** 53 - 1, v: 3 },
    ]);
    expect(out.series[1]!.samples).toEqual([]);
    const weird = out.series[2]!.labels;
    // `__proto__` is an own key, not a prototype change (no prototype pollution from a label name).
    expect(Object.getPrototypeOf(weird)).toBe(Object.prototype);
    expect(Object.keys(weird).sort()).toEqual(["__name__", "__proto__", "constructor"]);
    expect(Object.getOwnPropertyDescriptor(weird, "__proto__")?.value).toBe("x");
    expect(weird.constructor).toBe("y");
  });

  it("an empty WriteRequest decodes to nothing", () => {
    expect(decodeWriteRequest(encodeWriteRequest({ series: [] }), { maxDecompressedBytes: MB })).toEqual({ series: [], metadataCount: 0, histogramCount: 0 });
  });

  it("the snappy decoder handles every copy form, including overlapping runs", () => {
    const src = new TextEncoder().encode("abcabcabcabc" + "x".repeat(300) + "abcdefgh".repeat(50));
    expect(snappyDecompress(snappyCompress(src), src.length)).toEqual(src);
    // Hand-built: literal "ab", 4-byte-offset copy of 10 bytes at offset 2 (overlapping → "ababababab").
    const hand = Uint8Array.from([12, 0x04, 0x61, 0x62, ...copy4(2, 10)]);
    expect(new TextDecoder().decode(snappyDecompress(hand, 12))).toBe("abababababab");
    // Long literal with a 2-byte length (tag 61).
    const long = new Uint8Array(5000).map((_, i) => (i * 7919) % 251);
    expect(snappyDecompress(snappyCompress(long), 5000)).toEqual(long);
  });

  it("decodeWriteRequestProto accepts an already-decompressed body", () => {
    const proto = encodeWriteRequestProto({ series: [{ labels: { __name__: "up" }, samples: [{ t: 1, v: 1 }] }] });
    expect(decodeWriteRequestProto(proto).series[0]!.samples).toEqual([{ t: 1, v: 1 }]);
  });
});

describe("per-request caps on what a body may expand into", () => {
  const t0 = Date.UTC(2026, 0, 1);
  const series = (n: number, samples: number): EncodeSeries[] =>
    Array.from({ length: n }, (_, s) => ({ labels: { __name__: "m", i: String(s) }, samples: Array.from({ length: samples }, (_, i) => ({ t: t0 + i, v: i })) }));

  it("more samples than maxSamples → too_large, while decoding (the rest is never built)", () => {
    const body = encodeWriteRequest({ series: series(3, 100) });
    expect(codeOf(() => decodeWriteRequest(body, { maxDecompressedBytes: MB, maxSamples: 300 }))).toBe("ok");
    expect(codeOf(() => decodeWriteRequest(body, { maxDecompressedBytes: MB, maxSamples: 299 }))).toBe("too_large");
    expect(() => decodeWriteRequest(body, { maxDecompressedBytes: MB, maxSamples: 299 })).toThrow(/more than 299 samples/);
  });

  it("more series than maxSeries → too_large", () => {
    const body = encodeWriteRequest({ series: series(50, 1) });
    expect(codeOf(() => decodeWriteRequest(body, { maxDecompressedBytes: MB, maxSeries: 50 }))).toBe("ok");
    expect(() => decodeWriteRequest(body, { maxDecompressedBytes: MB, maxSeries: 49 })).toThrow(/more than 49 series/);
  });

  it("the captured Prometheus body fits the default caps", () => {
    expect(codeOf(() => decodeWriteRequest(fixture, { maxDecompressedBytes: MB, maxSamples: 500, maxSeries: 500 }))).toBe("ok");
    expect(codeOf(() => decodeWriteRequest(fixture, { maxDecompressedBytes: MB, maxSamples: 499 }))).toBe("too_large");
  });
});

describe("LabelSetCache: series seen before are not decoded again", () => {
  const series = (n: number, t: number): EncodeSeries[] =>
    Array.from({ length: n }, (_, i) => ({ labels: { __name__: "http_requests_total", job: `api-${i % 3}`, pod: `pod-${i}`, "é": "ü" }, samples: [{ t, v: i }] }));

  it("decodes exactly as without it, and hands back the same frozen labels object for the same bytes", () => {
    const cache = new LabelSetCache(100);
    const first = decodeWriteRequest(encodeWriteRequest({ series: series(10, 1) }), { maxDecompressedBytes: MB, labelSets: cache });
    const again = decodeWriteRequest(encodeWriteRequest({ series: series(10, 2) }), { maxDecompressedBytes: MB, labelSets: cache });
    const plain = decodeWriteRequest(encodeWriteRequest({ series: series(10, 2) }), { maxDecompressedBytes: MB });
    expect(again).toEqual(plain);
    expect(cache.size).toBe(10);
    again.series.forEach((s, i) => {
      expect(s.labels).toBe(first.series[i]!.labels);
      expect(Object.isFrozen(s.labels)).toBe(true);
      expect(s.samples).toEqual([{ t: 2, v: i }]);
    });
    // The real Prometheus body decodes the same with a cache, twice.
    const real = decodeWriteRequest(fixture, { maxDecompressedBytes: MB });
    const fixtureCache = new LabelSetCache(10_000);
    decodeWriteRequest(fixture, { maxDecompressedBytes: MB, labelSets: fixtureCache });
    expect(decodeWriteRequest(fixture, { maxDecompressedBytes: MB, labelSets: fixtureCache })).toEqual(real);
  });

  it("a label set that fails its checks is refused every time, never cached", () => {
    const cache = new LabelSetCache(100);
    const dup = new ProtoWriter().lenDelim(1, new ProtoWriter()
      .lenDelim(1, new ProtoWriter().string(1, "a").string(2, "1").bytes())
      .lenDelim(1, new ProtoWriter().string(1, "a").string(2, "2").bytes()).bytes()).bytes();
    for (let i = 0; i < 2; i++) expect(codeOf(() => decodeWriteRequest(snappyCompress(dup), { maxDecompressedBytes: MB, labelSets: cache }))).toBe("bad_protobuf");
    expect(cache.size).toBe(0);
  });

  it("labels interleaved with samples are decoded in place (not cached), with the same result", () => {
    const label = (n: string, v: string) => new ProtoWriter().string(1, n).string(2, v).bytes();
    const sample = new ProtoWriter().double(1, 7).tag(2, 0).varint(5).bytes();
    const ts = new ProtoWriter().lenDelim(1, label("__name__", "up")).lenDelim(2, sample).lenDelim(1, label("job", "x")).bytes();
    const proto = new ProtoWriter().lenDelim(1, ts).bytes();
    const cache = new LabelSetCache(100);
    const out = decodeWriteRequestProto(proto, { labelSets: cache });
    expect(out.series).toEqual([{ labels: { __name__: "up", job: "x" }, samples: [{ t: 5, v: 7 }] }]);
    expect(cache.size).toBe(0);
  });

  it("stays within its capacity however many series pass", () => {
    const cache = new LabelSetCache(50);
    for (let b = 0; b < 10; b++) {
      const body = encodeWriteRequest({ series: series(40, b).map((s, i) => ({ ...s, labels: { ...s.labels, pod: `pod-${b}-${i}` } })) });
      decodeWriteRequest(body, { maxDecompressedBytes: MB, labelSets: cache });
      expect(cache.size).toBeLessThanOrEqual(50);
    }
  });
});

describe("LabelSetCache: bounded in bytes too", () => {
  it("never caches a huge label set, and ever-new large series stay within the byte budget", () => {
    const cache = new LabelSetCache(1_000, 64 * 1024);
    const huge = encodeWriteRequest({ series: [{ labels: { __name__: "x", blob: "a".repeat(10_000) }, samples: [{ t: 1, v: 1 }] }] });
    expect(decodeWriteRequest(huge, { maxDecompressedBytes: MB, labelSets: cache }).series[0]!.labels.blob).toHaveLength(10_000);
    expect(cache.size).toBe(0);
    for (let i = 0; i < 200; i++) {
      const body = encodeWriteRequest({ series: [{ labels: { __name__: "x", blob: `${i}-${"b".repeat(3_000)}` }, samples: [{ t: 1, v: 1 }] }] });
      decodeWriteRequest(body, { maxDecompressedBytes: MB, labelSets: cache });
      expect(cache.bytes).toBeLessThanOrEqual(64 * 1024);
    }
    expect(cache.size).toBeGreaterThan(0);
  });
});
