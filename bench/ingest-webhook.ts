// `npm run bench:ingest -- [--requests 2000] [--concurrency 16] [--alerts 10] [--port 3390] [--no-anchor] [--overload 0]`
// Alertmanager webhook ingestion, end to end over HTTP against `next start` (production build, run
// `npx next build` first) on a throwaway database, beside its anchor: Debian's Alertmanager itself
// (`/usr/bin/prometheus-alertmanager`, blackhole receiver, in memory) fed the same deliveries at the
// same concurrency through `POST /api/v2/alerts`, in the same run. Prints alerts/s and latency
// percentiles for both, the ratio, and an exactly-once check (unique alerts sent = signals stored).
//
// Each request is one delivery of `--alerts` alerts of one alert group (Alertmanager's group_by
// [alertname, service]: one service, several instances), over 50 services; a third of deliveries repeat
// an earlier one, as Alertmanager does every group_interval.
//
// `--overload N` adds a phase at concurrency N against NeuralOps (past its in-flight cap, INGEST_MAX_INFLIGHT)
// where a 503/429 is retried after its Retry-After, as Alertmanager does; it reports how many were
// refused and how fast, and the exactly-once check covers it.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import path from "node:path";
import pg from "pg";
import { throwawayEnvironment } from "../test/services";
import { ALERTMANAGER_BIN, startAlertmanager, stopAll } from "../test/prom/harness";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "16" },
    alerts: { type: "string", default: "10" },
    port: { type: "string", default: "3390" },
    "no-anchor": { type: "boolean", default: false },
    overload: { type: "string", default: "0" },
    // Writes the server's CPU profile (node --cpu-prof) into this directory.
    profile: { type: "string" },
  },
});
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const ALERTS = Number(values.alerts);
const PORT = Number(values.port);
const OVERLOAD = Number(values.overload);
const root = path.resolve(import.meta.dirname, "..");

type Alert = { labels: Record<string, string>; annotations: Record<string, string>; startsAt: string; generatorURL: string; fingerprint: string };

function alertsOf(n: number): Alert[] {
  return Array.from({ length: ALERTS }, (_, k) => ({
    labels: { alertname: `Alert${n % 5}`, service: `svc-${n % 50}`, severity: k % 3 ? "warning" : "critical", instance: `i-${n}-${k}` },
    annotations: { summary: `bench alert ${n}/${k}` },
    startsAt: new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString(),
    generatorURL: "http://prometheus/graph",
    fingerprint: `b${n.toString(16)}x${k}`,
  }));
}

/** Every third delivery repeats an earlier one. */
const deliveryNumber = (i: number) => (i % 3 === 2 ? Math.floor(i / 2) : i);

type Row = { name: string; alertsPerSec: number; p50: number; p90: number; p99: number; max: number };

/** Sends `count` deliveries at `concurrency`; `post` returns when the delivery was accepted. */
async function drive(name: string, count: number, concurrency: number, post: (n: number) => Promise<void>): Promise<Row> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const n = deliveryNumber(next++);
        const t = performance.now();
        await post(n);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return { name, alertsPerSec: (count * ALERTS) / seconds, p50: pct(50), p90: pct(90), p99: pct(99), max: latencies[latencies.length - 1]! };
}

const fmt = (r: Row) =>
  `| ${r.name.padEnd(44)} | ${r.alertsPerSec.toFixed(0).padStart(8)} | ${r.p50.toFixed(1).padStart(7)} | ${r.p90.toFixed(1).padStart(7)} | ${r.p99.toFixed(1).padStart(7)} | ${r.max.toFixed(1).padStart(7)} |`;

console.log(`deliveries ${REQUESTS} × ${ALERTS} alerts (one group each, 50 services, a third repeats), concurrency ${CONCURRENCY}`);
const rows: Row[] = [];

// --- Anchor: Alertmanager itself ---------------------------------------------------------------------
if (!values["no-anchor"]) {
  if (!existsSync(ALERTMANAGER_BIN)) {
    console.log(`anchor skipped: ${ALERTMANAGER_BIN} not found (apt-get install prometheus-alertmanager, or ALERTMANAGER_BIN)`);
  } else {
    const am = await startAlertmanager({ groupBy: ["alertname", "service"], groupWait: "30s", groupInterval: "5m", repeatInterval: "4h", receiver: "blackhole" });
    try {
      const post = async (n: number) => {
        const body = JSON.stringify(alertsOf(n).map(({ fingerprint: _, ...a }) => a));
        const res = await fetch(`${am.url}/api/v2/alerts`, { method: "POST", headers: { "content-type": "application/json" }, body });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`alertmanager: status ${res.status}`);
      };
      for (let i = 0; i < 50; i++) await post(1_000_000 + i);
      rows.push(await drive("Alertmanager (Debian), POST /api/v2/alerts", REQUESTS, CONCURRENCY, post));
    } finally {
      await am.stop();
    }
  }
}

// --- NeuralOps ------------------------------------------------------------------------------------------
const { url, prefix, drop } = await throwawayEnvironment();
const { db } = await import("../lib/db");
const { seedDemo } = await import("../lib/orgs/seed-demo");
const { createApiToken } = await import("../lib/tokens/create-api-token");
const { systemActor } = await import("../lib/context");
const { org } = await seedDemo();
const { token } = await createApiToken({ actor: systemActor("bench", org.id), input: { name: "bench", role: "operator", scopes: ["signals.ingest"], service: true } });
await db.$disconnect();

const nextArgs = ["start", "-p", String(PORT), "-H", "127.0.0.1"];
const [cmd, args] = values.profile
  ? [process.execPath, ["--cpu-prof", `--cpu-prof-dir=${path.resolve(values.profile)}`, path.join(root, "node_modules/next/dist/bin/next"), ...nextArgs]]
  : [path.join(root, "node_modules/.bin/next"), nextArgs];
const server = spawn(cmd, args, {
  cwd: root,
  env: { ...process.env, DATABASE_URL: url, REDIS_PREFIX: prefix, NEXTAUTH_SECRET: "bench-secret-0123456789abcdef", NEXTAUTH_URL: `http://127.0.0.1:${PORT}`, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  stdio: ["ignore", "ignore", "inherit"],
  detached: true,
});
const base = `http://127.0.0.1:${PORT}`;
const sent = new Set<string>();
let refused = 0;
let refusedWithoutRetryAfter = 0;
const refusalMs: number[] = [];
try {
  for (let i = 0; ; i++) {
    if (i > 120) throw new Error("server did not start");
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }

  const webhookBody = (n: number) =>
    JSON.stringify({
      version: "4",
      status: "firing",
      receiver: "neuralops",
      groupKey: `{}:{alertname="Alert${n % 5}",service="svc-${n % 50}"}`,
      groupLabels: { alertname: `Alert${n % 5}`, service: `svc-${n % 50}` },
      commonLabels: {},
      commonAnnotations: {},
      externalURL: "http://am",
      truncatedAlerts: 0,
      alerts: alertsOf(n).map((a) => ({ status: "firing", ...a, endsAt: "0001-01-01T00:00:00Z" })),
    });
  // Alertmanager's sender: a 429/503 is retried after Retry-After (capped here at 1 s to keep the bench short).
  const post = async (n: number) => {
    const body = webhookBody(n);
    for (;;) {
      const t = performance.now();
      const res = await fetch(`${base}/api/v1/integrations/alertmanager`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body });
      await res.arrayBuffer();
      if (res.status === 200) break;
      if (res.status !== 503 && res.status !== 429) throw new Error(`neuralops: status ${res.status}`);
      refused++;
      refusalMs.push(performance.now() - t);
      const retryAfter = Number(res.headers.get("retry-after"));
      if (!retryAfter) refusedWithoutRetryAfter++;
      await new Promise((r) => setTimeout(r, Math.min(1000, (retryAfter || 1) * 1000) * (0.5 + Math.random() / 2)));
    }
    for (const a of alertsOf(n)) sent.add(`${a.fingerprint}|${a.startsAt}`);
  };

  // Warm-up (JIT, connection pools).
  for (let i = 0; i < 50; i++) await post(1_000_000 + i);
  rows.push(await drive("NeuralOps webhook, PostgreSQL", REQUESTS, CONCURRENCY, post));
  if (OVERLOAD > 0) {
    const before = refused;
    // New deliveries (offset) so the overload phase adds signals the exactly-once check must find.
    rows.push(await drive(`NeuralOps webhook, concurrency ${OVERLOAD} (retries)`, REQUESTS, OVERLOAD, (n) => post(2_000_000 + n)));
    refusalMs.sort((a, b) => a - b);
    console.log(
      `overload: ${refused - before} refusals (503/429), ${refusedWithoutRetryAfter} without Retry-After, refusal latency p50 ${(refusalMs[Math.floor(refusalMs.length / 2)] ?? 0).toFixed(1)} ms p99 ${(refusalMs[Math.floor(refusalMs.length * 0.99)] ?? 0).toFixed(1)} ms`,
    );
  }
} finally {
  try {
    process.kill(-server.pid!, "SIGTERM");
  } catch {}
  await new Promise((r) => setTimeout(r, 1000));
}

const client = new pg.Client({ connectionString: url });
await client.connect();
const { rows: counted } = await client.query<{ n: string; distinct_keys: string }>(
  `SELECT count(*) AS n, count(DISTINCT (fingerprint, "startsAt")) AS distinct_keys FROM "Signal" WHERE "orgId" = $1::uuid`,
  [org.id],
);
await client.end();
await drop();
await stopAll();

console.log(`| ${"target".padEnd(44)} | alerts/s | p50 ms  | p90 ms  | p99 ms  | max ms  |`);
console.log(`|${"-".repeat(46)}|----------|---------|---------|---------|---------|`);
for (const r of rows) console.log(fmt(r));
const anchor = rows.find((r) => r.name.startsWith("Alertmanager"));
const ours = rows.find((r) => r.name === "NeuralOps webhook, PostgreSQL")!;
if (anchor) console.log(`ratio NeuralOps / Alertmanager (alerts/s): ${(ours.alertsPerSec / anchor.alertsPerSec).toFixed(3)}  (goal ≥ 0.35)`);
const stored = Number(counted[0]!.n);
const ok = stored === sent.size && Number(counted[0]!.distinct_keys) === stored;
console.log(`exactly once: ${sent.size} unique alerts sent, ${stored} signals stored (${counted[0]!.distinct_keys} distinct keys) — ${ok ? "OK" : "MISMATCH"}`);
if (!ok) process.exitCode = 1;
