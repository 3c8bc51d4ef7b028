// `npm run bench:ingest -- [--requests 2000] [--concurrency 16] [--alerts 10] [--port 3390]`
// Alertmanager webhook ingestion, end to end over HTTP against `next start` (production build) on a
// throwaway database: alerts/s and request latency percentiles. Each request is one delivery of
// `--alerts` alerts of one alert group (Alertmanager's group_by [alertname, service]: one service,
// several instances), over 50 services; a third of deliveries repeat an earlier one, as Alertmanager
// does every group_interval.
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import path from "node:path";
import { throwawayEnvironment } from "../test/services";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "16" },
    alerts: { type: "string", default: "10" },
    port: { type: "string", default: "3390" },
  },
});
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const ALERTS = Number(values.alerts);
const PORT = Number(values.port);
const root = path.resolve(import.meta.dirname, "..");

const { url, prefix, drop } = await throwawayEnvironment();
const { db } = await import("../lib/db");
const { seedDemo } = await import("../lib/orgs/seed-demo");
const { createApiToken } = await import("../lib/tokens/create-api-token");
const { systemActor } = await import("../lib/context");
const { org } = await seedDemo();
const { token } = await createApiToken({ actor: systemActor("bench", org.id), input: { name: "bench", role: "operator", scopes: ["signals.ingest"] } });
await db.$disconnect();

const server = spawn(path.join(root, "node_modules/.bin/next"), ["start", "-p", String(PORT), "-H", "127.0.0.1"], {
  cwd: root,
  env: { ...process.env, DATABASE_URL: url, REDIS_PREFIX: prefix, NEXTAUTH_SECRET: "bench-secret-0123456789abcdef", NEXTAUTH_URL: `http://127.0.0.1:${PORT}`, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  stdio: ["ignore", "ignore", "inherit"],
  detached: true,
});
const base = `http://127.0.0.1:${PORT}`;
try {
  for (let i = 0; ; i++) {
    if (i > 120) throw new Error("server did not start");
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }

  const delivery = (n: number) => {
    const alerts = Array.from({ length: ALERTS }, (_, k) => ({
      status: "firing",
      labels: { alertname: `Alert${n % 5}`, service: `svc-${n % 50}`, severity: k % 3 ? "warning" : "critical", instance: `i-${n}-${k}` },
      annotations: { summary: `bench alert ${n}/${k}` },
      startsAt: new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString(),
      endsAt: "0001-01-01T00:00:00Z",
      generatorURL: "http://prometheus/graph",
      fingerprint: `b${n.toString(16)}x${k}`,
    }));
    return JSON.stringify({ version: "4", status: "firing", receiver: "neuralops", groupKey: `{}:{alertname="Alert${n % 5}",service="svc-${n % 50}"}`, groupLabels: { alertname: `Alert${n % 5}`, service: `svc-${n % 50}` }, commonLabels: {}, commonAnnotations: {}, externalURL: "http://am", truncatedAlerts: 0, alerts });
  };
  const post = async (body: string) => {
    const t = performance.now();
    const res = await fetch(`${base}/api/v1/integrations/alertmanager`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`status ${res.status}`);
    return performance.now() - t;
  };

  // Warm-up (JIT, connection pools).
  for (let i = 0; i < 50; i++) await post(delivery(1_000_000 + i));

  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        const n = next++;
        // Every third delivery repeats an earlier one.
        latencies.push(await post(delivery(n % 3 === 2 ? Math.floor(n / 2) : n)));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
  console.log(`requests ${REQUESTS} × ${ALERTS} alerts, concurrency ${CONCURRENCY}`);
  console.log(`alerts/s ${((REQUESTS * ALERTS) / seconds).toFixed(0)}   requests/s ${(REQUESTS / seconds).toFixed(0)}`);
  console.log(`latency ms  p50 ${pct(50)}  p90 ${pct(90)}  p99 ${pct(99)}  max ${latencies[latencies.length - 1]!.toFixed(1)}`);
} finally {
  try {
    process.kill(-server.pid!, "SIGTERM");
  } catch {}
  await new Promise((r) => setTimeout(r, 1000));
  await drop();
}
