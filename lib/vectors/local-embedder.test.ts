import { describe, expect, it, vi } from "vitest";
import { analyze, createLocalEmbedder, DEFAULT_IDF, featureHashes, idfFromDocumentFrequencies, wordFeatureHash } from "@/lib/vectors/local-embedder";
import { dot } from "@/lib/vectors/types";

const e = createLocalEmbedder();
const cos = (a: string, b: string) => dot(e.embedSync(a), e.embedSync(b));
const norm = (v: Float32Array) => Math.sqrt(dot(v, v));

describe("createLocalEmbedder", () => {
  it("names its vector space after the algorithm, the dimension and a custom idf", () => {
    expect(e.id).toBe("local-hash-v1-512");
    expect(e.dim).toBe(512);
    expect(createLocalEmbedder({ dim: 256 }).id).toBe("local-hash-v1-256");
    expect(createLocalEmbedder({ idf: () => 1 }).id).toBe("local-hash-v1-512-idf:custom");
    expect(createLocalEmbedder({ idf: () => 1, idfId: "org42-v3" }).id).toBe("local-hash-v1-512-idf:org42-v3");
    expect(() => createLocalEmbedder({ dim: 0 })).toThrow();
    expect(() => createLocalEmbedder({ idfId: "has space" })).toThrow();
  });

  it("is deterministic across calls and instances, and embed() matches embedSync()", async () => {
    const texts = ["checkout pods CrashLoopBackOff OOMKilled after deploy", "disk full on db-1 /var/lib/postgresql", ""];
    const a = await e.embed(texts);
    const b = await createLocalEmbedder().embed(texts);
    expect(a).toHaveLength(3);
    for (let i = 0; i < texts.length; i++) {
      expect(a[i]).toBeInstanceOf(Float32Array);
      expect(a[i]).toHaveLength(512);
      expect(b[i]).toEqual(a[i]);
      expect(e.embedSync(texts[i]!)).toEqual(a[i]);
    }
    // interleaving other texts leaves no state behind
    e.embedSync("something else entirely ".repeat(500));
    expect(e.embedSync(texts[0]!)).toEqual(a[0]);
  });

  it("returns unit vectors (the zero vector for text without features)", () => {
    for (const t of ["db", "OOMKilled", "HTTP 503 from payments-api, upstream connect error or disconnect/reset before headers", "x ".repeat(10_000) + "timeout"]) {
      expect(norm(e.embedSync(t))).toBeCloseTo(1, 5);
    }
    for (const t of ["", "   ", "the of and", "2024-06-01T12:34:56Z", "7d9f8b6c5 x2k4q"]) {
      expect(norm(e.embedSync(t))).toBe(0);
    }
    const small = createLocalEmbedder({ dim: 64 }).embedSync("kafka consumer lag growing on orders topic");
    expect(small).toHaveLength(64);
    expect(norm(small)).toBeCloseTo(1, 5);
  });

  it("embeds big batches in order (yielding to the event loop on the way)", async () => {
    const texts = Array.from({ length: 300 }, (_, i) => `incident ${i % 7 === 0 ? "disk full" : "OOMKilled"} on node-${i}`);
    const out = await e.embed(texts);
    expect(out).toHaveLength(300);
    expect(out[299]).toEqual(e.embedSync(texts[299]!));
  });
});

describe("similarity", () => {
  it("puts the same incident closer than unrelated ones", () => {
    const a = "checkout pods CrashLoopBackOff OOMKilled after deploy";
    const similar = "checkout-7d9f8 OOMKilled, restarting";
    const unrelated = "disk full on db-1 /var/lib/postgresql";
    expect(cos(a, similar)).toBeGreaterThan(cos(a, unrelated) + 0.2);
  });

  it("ranks a realistic set: every text's nearest neighbour is its twin", () => {
    // Pairs describe the same problem in different words, formats or with different ids; neighbours are other incidents.
    const pairs: Array<[string, string]> = [
      [
        "[FIRING:1] KubePodCrashLooping prod checkout-7d9f8b6c5-x2k4q: Pod is crash looping (reason CrashLoopBackOff), last state OOMKilled",
        "checkout pods OOMKilled and restarting in a loop since the 14:05 deploy; memory limit 512Mi hit",
      ],
      [
        "Postgres db-1 disk usage 97% on /var/lib/postgresql/data, no space left on device",
        "disk full on db-1 /var/lib/postgresql, WAL archiving stuck",
      ],
      [
        "payments-api returning HTTP 503 for 5% of requests, upstream connect error or disconnect/reset before headers",
        "PaymentsHighErrorRate: 5xx ratio 6.1% over 5m for payments-api (envoy upstream reset)",
      ],
      [
        "TLS certificate for api.example.com expires in 3 days (cert-manager renewal failed: ACME challenge timeout)",
        "cert-manager could not renew the api.example.com certificate, ACME http-01 challenge timed out",
      ],
      [
        "kafka consumer lag on topic orders growing, consumer group order-processor stuck rebalancing",
        "order-processor consumers stuck in rebalance, lag on the orders topic above 1M messages",
      ],
      [
        "node ip-10-0-1-23 NotReady: kubelet stopped posting node status, PLEG is not healthy",
        "kubelet on ip-10-0-2-7 not ready, PLEG not healthy, pods evicted",
      ],
    ];
    const texts = pairs.flat();
    const vs = texts.map((t) => e.embedSync(t));
    for (let i = 0; i < texts.length; i++) {
      const twin = i ^ 1;
      let best = -1;
      for (let j = 0; j < texts.length; j++) if (j !== i && (best < 0 || dot(vs[i]!, vs[j]!) > dot(vs[i]!, vs[best]!))) best = j;
      expect({ text: texts[i], nearest: texts[best] }).toEqual({ text: texts[i], nearest: texts[twin] });
    }
  });

  it("ignores pod hashes, timestamps, UUIDs and the hex of placeholders", () => {
    expect(e.embedSync("checkout-5f6b7c8d9-h7k2p OOMKilled at 2024-06-01T12:34:56Z (req 550e8400-e29b-41d4-a716-446655440000)")).toEqual(
      e.embedSync("checkout-7d9f8b6c5-x2k4q OOMKilled at 2025-01-09 08:00:01 (req 123e4567-e89b-12d3-a456-426614174000)"),
    );
    expect(e.embedSync("login failures for <email:4f9a12ab> from <ipv4:0a1b2c3d>")).toEqual(e.embedSync("login failures for <email:deadbeef> from <ipv4:12345678>"));
  });

  it("does not let shared placeholders make unrelated texts similar", () => {
    const a = "payments-api 503s after the connection pool was exhausted";
    const b = "disk full on db-1, WAL archiving stuck";
    // only placeholders (and stopwords) in common
    const pii = " by <email:4f9a12ab> and <email:99aa00bb> from <ipv4:0a1b2c3d>, <ipv4:11111111> with <bearer:abcdef01>";
    const pii2 = " by <email:77777777> and <email:12121212> from <ipv4:0f0f0f0f>, <ipv4:22222222> with <bearer:00000001>";
    const plain = cos(a, b);
    const withPii = cos(a + pii, b + pii2);
    expect(withPii).toBeLessThan(0.15);
    expect(withPii - plain).toBeLessThan(0.06);
    // and a placeholder-heavy related pair is still far closer than the unrelated one
    expect(cos(a + pii, "connection pool exhausted on payments-api, 503 errors" + pii2)).toBeGreaterThan(withPii + 0.2);
  });

  it("reads \"503s\" as the status code", () => {
    expect([...analyze("payments 503s").unigrams.keys()]).toEqual(["payments", "503", "5xx"]);
    expect([...analyze("404s, took 120s then 500ms").unigrams.keys()]).toEqual(["404", "4xx", "took", "<num_s>", "<num_ms>"]);
  });

  it("makes status codes of one class meet, and a different class not", () => {
    const base = "checkout returning 503 to clients";
    expect(cos(base, "checkout returning 502 to clients")).toBeGreaterThan(cos(base, "checkout returning 200 to clients"));
  });
});

describe("analyze (the tokenizer)", () => {
  it("keeps ops tokens whole, splits compounds, shapes numbers and drops noise", () => {
    const { unigrams, bigrams } = analyze(
      "CheckoutHighErrorRate: http_requests_total 5xx at 503, OOMKilled on checkout-7d9f8b6c5-x2k4q; latency 500ms p99 95%. CrashLoopBackOff <email:4f9a12ab> 2024-06-01T12:34:56Z",
    );
    expect(Object.fromEntries(unigrams)).toEqual({
      checkouthigherrorrate: 1,
      checkout: 1, // a part (0.5) and a word (1): the larger wins
      high: 0.5,
      error: 0.5,
      rate: 0.5,
      http_requests_total: 1,
      http: 0.5,
      requests: 0.5,
      total: 0.5,
      "5xx": 1, // a word, and 503's class
      "503": 1,
      oomkilled: 1,
      oom: 0.5,
      killed: 0.5,
      latency: 1,
      "<num_ms>": 0.2,
      p99: 1,
      "<num2>": 0.2,
      crashloopbackoff: 1,
      crash: 0.5,
      loop: 0.5,
      back: 0.5,
      off: 0.5,
      email: 0.25,
    });
    // bigrams skip stopwords, numbers and placeholders, and stop at sentence ends
    expect(bigrams).toEqual([
      "checkouthigherrorrate http_requests_total",
      "http_requests_total 5xx",
      "5xx 503",
      "503 oomkilled",
      "oomkilled checkout",
      "latency p99",
    ]);
  });
});

describe("idf", () => {
  it("down-weights common ops words by default", () => {
    expect(DEFAULT_IDF(wordFeatureHash("error"))).toBe(0.35);
    expect(DEFAULT_IDF(wordFeatureHash("pod"))).toBe(0.6);
    expect(DEFAULT_IDF(wordFeatureHash("etcd"))).toBe(1);
    expect(featureHashes("error")).toContain(wordFeatureHash("error"));
  });

  it("calls a custom provider with the hashes featureHashes reports, and uses its weights", () => {
    const text = "etcd leader election lost, apiserver timeouts";
    const seen = new Set<number>();
    const spy = vi.fn((h: number) => {
      seen.add(h);
      return 1;
    });
    const custom = createLocalEmbedder({ idf: spy });
    const v = custom.embedSync(text);
    expect(spy).toHaveBeenCalled();
    expect(new Set(featureHashes(text))).toEqual(seen);
    expect(v).not.toEqual(e.embedSync(text)); // the static table would weigh "timeouts"' n-grams etc. differently

    // dropping every feature but one word's gives the same vector for two texts sharing only that word
    const keep = wordFeatureHash("etcd");
    const only = createLocalEmbedder({ idf: (h) => (h === keep ? 1 : 0) });
    expect(only.embedSync("etcd is slow")).toEqual(only.embedSync("disk pressure on etcd"));
  });

  it("builds a smoothed idf from document frequencies", () => {
    const df = new Map([[1, 99]]);
    const idf = idfFromDocumentFrequencies((h) => df.get(h), 100);
    expect(idf(1)).toBeCloseTo(Math.log(101 / 100) + 1, 12);
    expect(idf(2)).toBeCloseTo(Math.log(101) + 1, 12);
  });
});
