// `npm run bench:remote-write -- [--batches 150] [--series 2000] [--shards 4] [--monitors 20] [--matched 1] [--profile DIR]`
// Prometheus remote_write, end to end, beside Prometheus itself in the same run. The same snappy-compressed
// WriteRequests (realistic batches: `--series` series × 1 sample, 10 labels each, like Prometheus' own
// queue manager sends) go to:
//   - Prometheus 2.42 (Debian) started with --web.enable-remote-write-receiver: its TSDB append path;
//   - NeuralOps' POST /api/v1/write in a web process of its own (the real route: token check, body read,
//     snappy + protobuf decode, monitor matching, detector update per matched series, checkpoint save),
//     with `--monitors` monitors whose selectors match every series (`--matched 0.1`: one series in ten; in a real
//     deployment most pushed series match no monitor).
// Each is sent `--shards` concurrent streams (each shard owns its series, in time order, as Prometheus'
// shards do). Printed: samples/s over wall time, request p50/p99, and samples per CPU-second of the server
// process (its utime+stime from /proc: what one core does), and NeuralOps / Prometheus.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { throwawayEnvironment } from "../test/services";
import { encodeWriteRequest } from "../lib/insight/remote-write/encode.testing";
import { pct } from "./percentile";

const { values } = parseArgs({
  options: {
    batches: { type: "string", default: "150" },
    series: { type: "string", default: "2000" },
    shards: { type: "string", default: "4" },
    monitors: { type: "string", default: "20" },
    matched: { type: "string", default: "1" },
    // Writes the NeuralOps web process's CPU profile (node --cpu-prof) into this directory.
    profile: { type: "string" },
  },
});
const BATCHES = Number(values.batches);
const SERIES = Number(values.series);
const SHARDS = Number(values.shards);
const MONITORS = Number(values.monitors);
const MATCHED = Number(values.matched);
if (!(MATCHED >= 0 && MATCHED <= 1)) throw new Error("--matched is a fraction between 0 and 1");

const env = await throwawayEnvironment("rw");
process.env.DATABASE_URL = env.url;
process.env.REDIS_PREFIX = env.prefix;
process.env.NEXTAUTH_SECRET ??= "bench-secret-0123456789abcdef0123";
process.env.REMOTE_WRITE_SAMPLES_PER_SECOND = "0";

const { db } = await import("../lib/db");
const { seedDemo } = await import("../lib/orgs/seed-demo");
const { createApiToken } = await import("../lib/tokens/create-api-token");
const { systemActor } = await import("../lib/context");
const { createMonitor } = await import("../lib/monitors/manage-monitors");
const { startPrometheus, stopAll } = await import("../test/prom/harness");
const { startWebProcess, killAllWebProcesses } = await import("../test/web-process");

const started = performance.now();
const at = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
const { org } = await seedDemo();
const actor = systemActor("bench", org.id);
const { token } = await createApiToken({ actor, input: { name: "bench-rw", role: "operator", service: true, scopes: ["signals.ingest"] } });
// Monitors whose plain selectors match the benchmark's series: job="api-<m>" splits them among monitors.
console.log(`[${at()}] seeded`);
for (let m = 0; m < MONITORS; m++) await createMonitor({ actor, input: { name: `rw-${m}`, query: `http_requests_total{job="api-${m}"}` } });

/** Batch b of shard s: the shard's own SERIES series, one sample each, 15 s after the previous batch. */
function batch(shard: number, b: number, t0: number): Uint8Array {
  const series = Array.from({ length: SERIES }, (_, i) => {
    const id = shard * SERIES + i;
    return {
      labels: {
        __name__: "http_requests_total",
        // Series i matches a monitor when it falls in the first MATCHED of each block of 100.
        job: `${i % 100 < MATCHED * 100 ? "api" : "batch"}-${id % MONITORS}`,
        instance: `10.0.${(id >> 8) & 255}.${id & 255}:8080`,
        namespace: "prod",
        pod: `api-${id}-7d9f`,
        container: "api",
        service: `svc-${id % 50}`,
        method: id % 3 ? "GET" : "POST",
        code: id % 17 ? "200" : "500",
        cluster: "prod-eu-1",
      },
      samples: [{ t: t0 + b * 15_000, v: 100 + (id % 13) + Math.sin(b / 10) * 5 + ((b * 7919 + id) % 11) / 10 }],
    };
  });
  return encodeWriteRequest({ series });
}

function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  // utime, stime: fields 14 and 15 of stat (11 and 12 after the command), in clock ticks (100 Hz on Linux).
  return (Number(f[11]) + Number(f[12])) / 100;
}

async function drive(name: string, url: string, headers: Record<string, string>, pid: number, bodies: Uint8Array[][]) {
  const post = async (body: Uint8Array) => {
    const t = performance.now();
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/x-protobuf", "content-encoding": "snappy", "x-prometheus-remote-write-version": "0.1.0", ...headers }, body: body as BodyInit });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${name}: HTTP ${res.status} ${text.slice(0, 300)}`);
    return performance.now() - t;
  };
  // Warm-up: the first two batches of every shard (JIT, pools, series creation).
  for (let b = 0; b < 2; b++) await Promise.all(bodies.map((shard) => post(shard[b]!)));
  const latencies: number[] = [];
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  await Promise.all(
    bodies.map(async (shard) => {
      for (let b = 2; b < shard.length; b++) latencies.push(await post(shard[b]!));
    }),
  );
  const wall = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(pid) - cpu0;
  const samples = latencies.length * SERIES;
  return { name, samples, wall, cpu, perSecond: samples / wall, perCpuSecond: samples / Math.max(cpu, 0.01), p50: pct(latencies, 50), p99: pct(latencies, 99) };
}

console.log(`[${at()}] ${MONITORS} monitors`);
const t0 = Date.now() - BATCHES * 15_000; // samples end "now": Prometheus refuses samples too far in the future
const bodies = Array.from({ length: SHARDS }, (_, s) => Array.from({ length: BATCHES }, (_, b) => batch(s, b, t0)));
const bytes = bodies.flat().reduce((n, b) => n + b.length, 0);
console.log(`${SHARDS} shards × ${BATCHES} batches × ${SERIES} series × 1 sample (10 labels): ${(SHARDS * BATCHES * SERIES).toLocaleString("en-US")} samples, ${(bytes / 1e6).toFixed(1)} MB snappy; ${MONITORS} monitors match ${MATCHED === 1 ? "every series" : `${Math.round(MATCHED * 100)}% of the series`}`);

const rows = [];
try {
  const prom = await startPrometheus({ extraFlags: ["--web.enable-remote-write-receiver"] });
  rows.push(await drive("Prometheus 2.42 (--web.enable-remote-write-receiver)", `${prom.url}/api/v1/write`, {}, prom.pid!, bodies));
  await prom.stop();

  // Every series the bench sends stays live (README: REMOTE_WRITE_LIVE_SERIES, about 250 KB per full ensemble).
  const web = startWebProcess({ DATABASE_URL: env.url, REDIS_PREFIX: env.prefix, REMOTE_WRITE_SAMPLES_PER_SECOND: "0", REMOTE_WRITE_LIVE_SERIES: String(SHARDS * SERIES), REMOTE_WRITE_LABEL_SETS: String(2 * SHARDS * SERIES), LOG_LEVEL: "warn" }, values.profile ? ["--cpu-prof", `--cpu-prof-dir=${values.profile}`] : []);
  const base = await web.url;
  rows.push(await drive("NeuralOps POST /api/v1/write (decode, match, detect, checkpoint)", `${base}/api/v1/write`, { authorization: `Bearer ${token}` }, web.child.pid!, bodies));
  if (values.profile) {
    // SIGTERM, not SIGKILL: node writes the profile on its way out.
    const exited = new Promise((r) => web.child.once("exit", r));
    web.child.kill("SIGTERM");
    await exited;
    console.log(`CPU profile of the web process written to ${values.profile}`);
  }
  const states = await db.monitorSeries.count().catch(() => null);
  if (states !== null) console.log(`detector checkpoints stored: ${states.toLocaleString("en-US")} (one per matched series)`);
} finally {
  killAllWebProcesses();
  await stopAll();
  await db.$disconnect();
  await env.drop();
}

// The floor under the end-to-end figure: snappy + protobuf decode alone, in this process, on the same bodies.
// With a label-set cache (as the route has), series seen before are not decoded again: the second figure.
const { decodeWriteRequest, LabelSetCache } = await import("../lib/insight/remote-write/decode");
const decodeRate = (labelSets?: InstanceType<typeof LabelSetCache>) => {
  const start = performance.now();
  for (const body of bodies.flat()) decodeWriteRequest(body, { maxDecompressedBytes: 1e9, maxSamples: 1e7, maxSeries: 1e7, labelSets });
  return (SHARDS * BATCHES * SERIES) / ((performance.now() - start) / 1000);
};
const decodePerSecond = decodeRate();
const cachedDecodePerSecond = decodeRate(new LabelSetCache(2 * SHARDS * SERIES));

console.log("\n| receiver | samples/s (wall) | samples per CPU-second of the server | p50 ms | p99 ms |\n|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.name} | ${Math.round(r.perSecond).toLocaleString("en-US")} | ${Math.round(r.perCpuSecond).toLocaleString("en-US")} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} |`);
if (rows.length === 2) {
  console.log(`\nNeuralOps / Prometheus: ${(rows[1]!.perSecond / rows[0]!.perSecond).toFixed(2)} (wall), ${(rows[1]!.perCpuSecond / rows[0]!.perCpuSecond).toFixed(2)} (per CPU-second)`);
  console.log(`decode alone (snappy + protobuf, one core, same bodies): ${Math.round(decodePerSecond).toLocaleString("en-US")} samples/s; with the label-set cache: ${Math.round(cachedDecodePerSecond).toLocaleString("en-US")} samples/s`);
  console.log(`goal (issue 18): ≥ 1,000,000 samples per CPU-second end to end: ${rows[1]!.perCpuSecond >= 1_000_000 ? "met" : "not met"}`);
}
