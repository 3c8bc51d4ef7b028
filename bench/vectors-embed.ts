/**
 * Vector benchmarks, single core:
 *  1. local embedder throughput (texts/s, MB/s of UTF-8) on generated, realistic incident texts of 300–1000 chars
 *     (alert bodies, log lines, run output, redaction placeholders, pod hashes, timestamps);
 *  2. VectorIndex top-k latency (p50/p99) over N random unit vectors: the default index (int8 WebAssembly
 *     prefilter + exact rescoring), the same index scanning float32 in plain JS (`quantize: false`), and a
 *     brute-force baseline (plain JS loop over number[][] and a full sort). All three must agree exactly.
 * Wall-clock figures include time the process waited for the core; CPU-time figures (process.cpuUsage, so GC
 * threads included) are what the work costs on one core, and are the ones to read on a busy machine.
 *
 *   npx tsx bench/vectors-embed.ts [--texts 5000] [--rows 100000] [--dim 512] [--k 10] [--queries 500]
 */
import os from "node:os";
import { parseArgs } from "node:util";

import { createLocalEmbedder } from "@/lib/vectors/local-embedder";
import { simdAvailable, VectorIndex, type SearchHit } from "@/lib/vectors/vector-index";
import { mulberry32 } from "../test/random";

const { values: args } = parseArgs({
  options: {
    texts: { type: "string", default: "5000" },
    rows: { type: "string", default: "100000" },
    dim: { type: "string", default: "512" },
    k: { type: "string", default: "10" },
    queries: { type: "string", default: "500" },
  },
});
const N_TEXTS = Number(args.texts);
const ROWS = Number(args.rows);
const DIM = Number(args.dim);
const K = Number(args.k);
const QUERIES = Number(args.queries);

const rand = mulberry32(20260601);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const hex = (n: number) => Array.from({ length: n }, () => "0123456789abcdef"[int(0, 15)]).join("");
const podHash = () => `${Array.from({ length: 9 }, () => pick([..."bcdfghjklmnpqrstvwxz2456789"])).join("")}-${Array.from({ length: 5 }, () => pick([..."bcdfghjklmnpqrstvwxz2456789"])).join("")}`;
const ts = () => `2026-0${int(1, 9)}-${String(int(10, 28))}T${String(int(10, 23))}:${String(int(10, 59))}:${String(int(10, 59))}.${int(100, 999)}Z`;

// ---------------------------------------------------------------------------------------------------------------
// Realistic incident texts

const SERVICES = ["checkout", "payments-api", "orders", "inventory", "search", "auth-gateway", "notifications", "cart", "pricing", "shipping"];
const NS = ["prod", "staging", "shop", "platform"];
const SNIPPETS: Array<(s: string) => string> = [
  (s) => `[FIRING:${int(1, 5)}] KubePodCrashLooping (${pick(NS)} ${s}-${podHash()} kube-state-metrics critical)\nsummary: Pod is crash looping.\ndescription: Pod ${pick(NS)}/${s}-${podHash()} (${s}) is in waiting state (reason: "CrashLoopBackOff").`,
  (s) => `${s}-${podHash()} OOMKilled: container ${s} exceeded memory limit ${pick(["256Mi", "512Mi", "1Gi", "2Gi"])}, restart count ${int(3, 40)}, last restart ${ts()}`,
  (s) => `[FIRING:1] ${s.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}HighErrorRate (${s} prod page)\nsummary: 5xx ratio ${int(2, 30)}.${int(0, 9)}% over 5m (threshold 5%)\ndescription: requests to ${s} failed in the last 5m; upstream connect error or disconnect/reset before headers.`,
  (s) => `${ts()} level=error msg="request failed" service=${s} status=${pick([500, 502, 503, 504])} duration=${int(100, 30000)}ms trace_id=${hex(32)} user=<email:${hex(8)}> client_ip=<ipv4:${hex(8)}>`,
  (s) => `Postgres db-${int(1, 3)} disk usage ${int(85, 99)}% on /var/lib/postgresql/data, no space left on device; ${s} writes failing with "could not extend file": WAL archiving stuck for ${int(10, 90)} minutes`,
  (s) => `[run r-${int(1000, 9999)} step ${int(1, 5)}/5 restart-deployment] kubectl -n ${pick(NS)} rollout restart deploy/${s}\ndeployment.apps/${s} restarted\nWaiting for deployment "${s}" rollout to finish: ${int(1, 5)} of ${int(6, 12)} updated replicas are available...`,
  (s) => `node ip-10-0-${int(0, 9)}-${int(1, 254)}.eu-west-1.compute.internal NotReady: kubelet stopped posting node status, PLEG is not healthy; ${int(5, 40)} pods of ${s} evicted (request ${crypto.randomUUID()})`,
  (s) => `kafka consumer lag on topic ${s}-events growing (${int(10, 900)}k messages), consumer group ${s}-processor stuck rebalancing since ${ts()}; broker-${int(0, 5)} ISR shrank`,
  (s) => `TLS certificate for ${s}.example.com expires in ${int(1, 7)} days: cert-manager renewal failed (ACME http-01 challenge timeout), ticket raised by <email:${hex(8)}>`,
  (s) => `p99 latency of ${s} at ${int(800, 9000)}ms (SLO 500ms) after deploy ${hex(7)} by <email:${hex(8)}>; http_requests_total{code="5xx",service="${s}"} up ${int(3, 20)}x, connection pool exhausted (max ${int(10, 100)})`,
];

function incidentText(): string {
  const s = pick(SERVICES);
  const target = int(300, 1000);
  let out = "";
  while (out.length < target) {
    const next = pick(SNIPPETS)(rand() < 0.8 ? s : pick(SERVICES));
    if (out && out.length + next.length > 1000) break;
    out += (out ? "\n" : "") + next;
  }
  return out.slice(0, 1000);
}

// ---------------------------------------------------------------------------------------------------------------

function percentiles(ms: number[]): { min: number; p50: number; p99: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
  return { min: s[0]!, p50: at(50), p99: at(99) };
}
const f = (x: number, d = 2) => x.toFixed(d);

function gaussianUnit(r: () => number, dim: number): Float32Array {
  const v = new Float32Array(dim);
  let s = 0;
  for (let i = 0; i < dim; i += 2) {
    const m = Math.sqrt(-2 * Math.log(1 - r()));
    const a = 2 * Math.PI * r();
    v[i] = m * Math.cos(a);
    if (i + 1 < dim) v[i + 1] = m * Math.sin(a);
  }
  for (let i = 0; i < dim; i++) s += v[i]! * v[i]!;
  const inv = 1 / Math.sqrt(s);
  for (let i = 0; i < dim; i++) v[i] = v[i]! * inv;
  return v;
}

function bruteForce(rows: number[][], ids: string[], q: number[], k: number): SearchHit[] {
  const all: SearchHit[] = [];
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    let s = 0;
    for (let i = 0; i < row.length; i++) s += row[i]! * q[i]!;
    all.push({ id: ids[r]!, score: s });
  }
  all.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
  return all.slice(0, k);
}

/** Wall-clock and CPU milliseconds per query (CPU time is what a query costs when other processes compete for the core). */
function timeQueries(queries: Float32Array[], run: (q: Float32Array) => SearchHit[]): { ms: number[]; cpu: number[]; results: SearchHit[][] } {
  const ms: number[] = [];
  const cpu: number[] = [];
  const results: SearchHit[][] = [];
  for (const q of queries) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    results.push(run(q));
    ms.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { ms, cpu, results };
}

const sameIds = (a: SearchHit[][], b: SearchHit[][]) => a.every((r, i) => r.map((h) => h.id).join() === b[i]!.map((h) => h.id).join());

async function main() {
  console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? "?"}, ${os.cpus().length} cpus, load average ${os.loadavg().map((x) => f(x)).join(" ")}`);
  console.log(`WebAssembly SIMD: ${simdAvailable() ? "yes" : "no"}\n`);

  // 1. embedder ------------------------------------------------------------------------------------------------
  const texts = Array.from({ length: N_TEXTS }, incidentText);
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  const e = createLocalEmbedder();
  for (let i = 0; i < 300; i++) e.embedSync(texts[i % texts.length]!); // warm-up
  const runs: number[] = [];
  const cpuRuns: number[] = [];
  for (let rep = 0; rep < 3; rep++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (const t of texts) e.embedSync(t);
    runs.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpuRuns.push((c.user + c.system) / 1000);
  }
  const best = Math.min(...runs);
  const median = [...runs].sort((a, b) => a - b)[1]!;
  const cpuMedian = [...cpuRuns].sort((a, b) => a - b)[1]!;
  const t0 = performance.now();
  await e.embed(texts);
  const asyncMs = performance.now() - t0;
  console.log(`local embedder ${e.id}: ${N_TEXTS} texts, mean ${f(bytes / N_TEXTS, 0)} bytes (300–1000 chars)`);
  console.log(`  embedSync  median of 3: ${f((N_TEXTS / median) * 1000, 0)} texts/s, ${f(bytes / 1e6 / (median / 1000))} MB/s, ${f((median / N_TEXTS) * 1000, 1)} µs/text (best ${f((N_TEXTS / best) * 1000, 0)} texts/s)`);
  console.log(`             per CPU second: ${f((N_TEXTS / cpuMedian) * 1000, 0)} texts/s, ${f(bytes / 1e6 / (cpuMedian / 1000))} MB/s`);
  console.log(`  embed()    (async, yields every 128): ${f((N_TEXTS / asyncMs) * 1000, 0)} texts/s\n`);

  // 2. index ---------------------------------------------------------------------------------------------------
  const r = mulberry32(42);
  const vectors: Float32Array[] = Array.from({ length: ROWS }, () => gaussianUnit(r, DIM));
  const ids = vectors.map((_, i) => `incident-${i}`);
  const build = (quantize: boolean) => {
    const idx = new VectorIndex(DIM, { quantize });
    const t = performance.now();
    for (let i = 0; i < ROWS; i++) idx.upsert(ids[i]!, vectors[i]!);
    return { idx, ms: performance.now() - t };
  };
  const fast = build(true);
  const exact = build(false);
  console.log(`VectorIndex: ${ROWS} × ${DIM} random unit vectors, top-${K}; build (upserts) ${f(fast.ms, 0)} ms with int8 copy, ${f(exact.ms, 0)} ms without`);
  console.log(`  memory per row: ${DIM * 4} B float32${fast.idx.quantized ? ` + ${Math.ceil(DIM / 64) * 64 + 24} B int8 copy, scale and norms` : ""} (+ id and map entry)`);

  // random queries (no stored vector is close) and "a similar incident exists" queries (a stored vector + noise)
  const randomQ = Array.from({ length: QUERIES }, () => gaussianUnit(r, DIM));
  const nearQ = Array.from({ length: QUERIES }, () => {
    const base = vectors[Math.floor(r() * ROWS)]!;
    const noise = gaussianUnit(r, DIM);
    const v = new Float32Array(DIM);
    for (let i = 0; i < DIM; i++) v[i] = base[i]! * 0.8 + noise[i]! * 0.6;
    return v;
  });
  for (const q of randomQ.slice(0, 20)) fast.idx.search(q, K); // warm-up

  const line = (name: string, r: { ms: number[]; cpu: number[] }) => {
    const p = percentiles(r.ms);
    const c = percentiles(r.cpu);
    console.log(
      `  ${name.padEnd(44)} wall p50 ${f(p.p50).padStart(7)} p99 ${f(p.p99).padStart(7)} min ${f(p.min).padStart(7)} | cpu p50 ${f(c.p50).padStart(7)} p99 ${f(c.p99).padStart(7)} ms  (${r.ms.length} q)`,
    );
  };
  const fr = timeQueries(randomQ, (q) => fast.idx.search(q, K));
  const fn = timeQueries(nearQ, (q) => fast.idx.search(q, K));
  line(`default (int8 wasm + exact), random queries`, fr);
  line(`default (int8 wasm + exact), near queries`, fn);

  const nExact = Math.min(QUERIES, 60);
  for (const q of randomQ.slice(0, 3)) exact.idx.search(q, K); // warm-up
  const er = timeQueries(randomQ.slice(0, nExact), (q) => exact.idx.search(q, K));
  line(`quantize: false (float32 JS scan), random q`, er);

  const nBrute = Math.min(QUERIES, 20);
  const rows = vectors.map((v) => Array.from(v));
  const qs = randomQ.slice(0, nBrute).map((q) => Array.from(q));
  bruteForce(rows, ids, qs[0]!, K); // warm-up
  const brute = timeQueries(randomQ.slice(0, nBrute), (_q) => bruteForce(rows, ids, qs.shift()!, K));
  line(`brute force (number[][] + full sort), random q`, brute);

  const agree = sameIds(fr.results.slice(0, nExact), er.results) && sameIds(fr.results.slice(0, nBrute), brute.results);
  console.log(`\n  top-${K} ids identical across the three: ${agree ? "yes" : "NO"}`);
  if (!agree) process.exitCode = 1;
  const pf = percentiles(fr.ms).p50;
  console.log(`  speed-up at p50: ${f(percentiles(er.ms).p50 / pf, 1)}× vs the float32 JS scan, ${f(percentiles(brute.ms).p50 / pf, 1)}× vs brute force`);
}

await main();
