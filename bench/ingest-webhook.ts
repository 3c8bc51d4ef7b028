// `npm run bench:ingest -- [--requests 2000] [--concurrency 16] [--alerts 10] [--port 3390] [--no-anchor] [--overload 0]
//                          [--web 2] [--embedded] [--no-visibility] [--plain] [--cpu] [--profile DIR]`
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
//
// Webhook → incident visible: a second phase at the same concurrency runs beside a sampler that every 50 ms
// sends a delivery opening a new incident and polls GET /api/v1/incidents for it (p50/p99 printed;
// `--no-visibility` skips the phase).
// `--web N` adds a phase with N `next start` processes on the same database and Redis, deliveries
// round-robin over them (the load generator shares the machine's cores with all of them).
// `--embedded` runs the same phases against the embedded database `npm run up` uses without DATABASE_URL
// (bench/embedded-host.ts) and prints its row and exactly-once check.
// `--plain` serves the same route handlers with plain node:http (test/web-process.ts) instead of `next
// start`: the difference is what Next's own request handling costs.
// `--cpu` prints, per row, the CPU milliseconds per delivery of the server, the database and the load
// generator (Linux /proc): unlike alerts/s, it hardly moves when other work shares the machine.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import path from "node:path";
import pg from "pg";
import { deleteRedisPrefix, runId, throwawayEnvironment } from "../test/services";
import { ALERTMANAGER_BIN, startAlertmanager, stopAll } from "../test/prom/harness";
import { seedIngestOrg } from "./seed-ingest";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "16" },
    alerts: { type: "string", default: "10" },
    port: { type: "string", default: "3390" },
    "no-anchor": { type: "boolean", default: false },
    overload: { type: "string", default: "0" },
    web: { type: "string", default: "1" },
    embedded: { type: "boolean", default: false },
    "no-visibility": { type: "boolean", default: false },
    plain: { type: "boolean", default: false },
    cpu: { type: "boolean", default: false },
    // Writes each server's CPU profile (node --cpu-prof) into <this directory>/<target>-<port>/.
    profile: { type: "string" },
  },
});
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const ALERTS = Number(values.alerts);
const PORT = Number(values.port);
const OVERLOAD = Number(values.overload);
const WEB = Number(values.web);
const EMBEDDED = values.embedded;
const VISIBILITY = !values["no-visibility"];
const VISIBILITY_EVERY_MS = 50;
const PLAIN = values.plain;
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

type Row = { name: string; alertsPerSec: number; p50: number; p90: number; p99: number; max: number; cpu?: Cpu };

// --- CPU accounting (Linux /proc) ----------------------------------------------------------------------
type Cpu = { server: number; database: number; client: number };
const TICK_MS = 10; // USER_HZ = 100
type Proc = { pid: number; pgrp: number; ms: number };
function processes(): Proc[] {
  const out: Proc[] = [];
  let pids: string[] = [];
  try {
    pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
      out.push({ pid: Number(pid), pgrp: Number(f[2]), ms: (Number(f[11]) + Number(f[12])) * TICK_MS });
    } catch {}
  }
  return out;
}
/** What uses CPU for one row: the server processes (process groups, or single processes) and the database processes. */
type CpuProbe = { serverGroups?: () => number[]; serverPids?: () => number[]; databasePids: () => Promise<number[]> };
async function cpuSnapshot(probe: CpuProbe | undefined): Promise<{ server: Map<number, number>; database: Map<number, number>; client: number } | null> {
  if (!values.cpu || !probe) return null;
  const groups = new Set(probe.serverGroups?.() ?? []);
  const serverPids = new Set(probe.serverPids?.() ?? []);
  const dbPids = new Set(await probe.databasePids());
  const all = processes();
  const u = process.cpuUsage();
  return {
    server: new Map(all.filter((p) => groups.has(p.pgrp) || serverPids.has(p.pid)).map((p) => [p.pid, p.ms])),
    database: new Map(all.filter((p) => dbPids.has(p.pid)).map((p) => [p.pid, p.ms])),
    client: (u.user + u.system) / 1000,
  };
}
function cpuPerDelivery(a: Awaited<ReturnType<typeof cpuSnapshot>>, b: Awaited<ReturnType<typeof cpuSnapshot>>, deliveries: number): Cpu | undefined {
  if (!a || !b) return undefined;
  const delta = (x: Map<number, number>, y: Map<number, number>) => [...y].reduce((sum, [pid, ms]) => sum + ms - (x.get(pid) ?? 0), 0);
  return { server: delta(a.server, b.server) / deliveries, database: delta(a.database, b.database) / deliveries, client: (b.client - a.client) / deliveries };
}

/** Sends `count` deliveries at `concurrency`; `post` returns when the delivery was accepted. */
async function drive(name: string, count: number, concurrency: number, post: (n: number) => Promise<void>, probe?: CpuProbe): Promise<Row> {
  const before = await cpuSnapshot(probe);
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
  const cpu = cpuPerDelivery(before, await cpuSnapshot(probe), count);
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return { name, alertsPerSec: (count * ALERTS) / seconds, p50: pct(50), p90: pct(90), p99: pct(99), max: latencies[latencies.length - 1]!, cpu };
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
      // Alertmanager is not started in a process group of its own: count its process alone.
      const amPids = () => processes().filter((p) => {
        try {
          return readFileSync(`/proc/${p.pid}/cmdline`, "utf8").includes(`--web.listen-address=127.0.0.1:${am.port}`);
        } catch {
          return false;
        }
      }).map((p) => p.pid);
      rows.push(await drive("Alertmanager (Debian), POST /api/v2/alerts", REQUESTS, CONCURRENCY, post, { serverPids: amPids, databasePids: async () => [] }));
    } finally {
      await am.stop();
    }
  }
}

// --- NeuralOps ------------------------------------------------------------------------------------------
type Target = { label: string; dbUrl: string; orgId: string; token: string; readToken: string; prefix: string; databasePids(): Promise<number[]>; close(): Promise<void> };

/** The PostgreSQL target: a throwaway database on the local server, seeded from here. */
async function postgresTarget(): Promise<Target> {
  const { url, prefix, drop } = await throwawayEnvironment();
  const { orgId, token, readToken } = await seedIngestOrg();
  const databasePids = async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const { rows } = await c.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
      return rows.map((r) => r.pid);
    } finally {
      await c.end();
    }
  };
  return { label: PLAIN ? "PostgreSQL, node:http" : "PostgreSQL", dbUrl: url, orgId, token, readToken, prefix, databasePids, close: drop };
}

/**
 * The embedded target, as `npm run up` runs without DATABASE_URL: PGlite behind pglite-socket in a process of
 * its own (bench/embedded-host.ts: the same startEmbeddedPostgres, data on disk under .data/), migrated and seeded.
 */
async function embeddedTarget(): Promise<Target> {
  const dataDir = path.join(root, ".data", `bench-pglite-${runId()}`);
  const host = spawn(process.execPath, ["--import", "tsx", path.join(root, "bench/embedded-host.ts"), dataDir], {
    cwd: root,
    env: { ...process.env, NEURALOPS_SEED_DEMO: "true" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const ready = await new Promise<{ url: string; orgId: string; token: string; readToken: string }>((resolve, reject) => {
    let out = "";
    host.stdout!.on("data", (b: Buffer) => {
      out += b.toString("utf8");
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve(JSON.parse(line));
    });
    host.once("exit", (code) => reject(new Error(`embedded database host exited (${code}) before it was ready:\n${out}`)));
  });
  const prefix = `neuralops-test-${runId()}-bench-embedded`;
  return {
    label: PLAIN ? "embedded PGlite, node:http" : "embedded PGlite",
    dbUrl: ready.url,
    orgId: ready.orgId,
    token: ready.token,
    readToken: ready.readToken,
    prefix,
    databasePids: async () => [host.pid!],
    async close() {
      const exited = new Promise((r) => host.once("exit", r));
      host.kill("SIGTERM");
      await exited;
      await deleteRedisPrefix(prefix);
    },
  };
}

type Server = { base: string; pid: number; stop(): Promise<void> };

/** `next start` (or, with --plain, the same route handlers on node:http: test/web-process.ts) on `port`. */
async function startServer(target: Target, port: number, profileTag: string): Promise<Server> {
  const env = {
    ...process.env,
    DATABASE_URL: target.dbUrl,
    REDIS_PREFIX: target.prefix,
    NEXTAUTH_SECRET: "bench-secret-0123456789abcdef",
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
  } as NodeJS.ProcessEnv;
  // One directory per server (a process may write a profile per thread: tsx's loader has one).
  const prof = values.profile ? [`--cpu-prof`, `--cpu-prof-dir=${path.resolve(values.profile, `${profileTag}-${port}`)}`] : [];
  const nextArgs = ["start", "-p", String(port), "-H", "127.0.0.1"];
  const [cmd, args] = PLAIN
    ? [process.execPath, [...prof, "--import", "tsx", path.join(root, "test/web-process.ts")]]
    : values.profile
      ? [process.execPath, [...prof, path.join(root, "node_modules/next/dist/bin/next"), ...nextArgs]]
      : [path.join(root, "node_modules/.bin/next"), nextArgs];
  const server = spawn(cmd, args, { cwd: root, env, stdio: ["ignore", "ignore", "inherit"], detached: true });
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    try {
      process.kill(-server.pid!, "SIGTERM");
    } catch {}
    await new Promise((r) => setTimeout(r, 1000));
  };
  for (let i = 0; ; i++) {
    if (i > 120) {
      await stop();
      throw new Error("server did not start");
    }
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  return { base, pid: server.pid!, stop };
}

const webhookBody = (alerts: Alert[], groupLabels: Record<string, string>) =>
  JSON.stringify({
    version: "4",
    status: "firing",
    receiver: "neuralops",
    groupKey: `{}:{${Object.entries(groupLabels)
      .map(([k, v]) => `${k}="${v}"`)
      .join(",")}}`,
    groupLabels,
    commonLabels: {},
    commonAnnotations: {},
    externalURL: "http://am",
    truncatedAlerts: 0,
    alerts: alerts.map((a) => ({ status: "firing", ...a, endsAt: "0001-01-01T00:00:00Z" })),
  });

const sent = new Map<Target, Set<string>>();
let refused = 0;
let refusedWithoutRetryAfter = 0;
const refusalMs: number[] = [];
const visibilityLines: string[] = [];
const exactlyOnceLines: string[] = [];
let exactlyOnceOk = true;

/**
 * Alertmanager's sender: a 429/503 is retried after Retry-After (capped here at 1 s to keep the bench short).
 * Deliveries go round-robin over `servers`.
 */
function sender(target: Target, servers: Server[]) {
  const keys = sent.get(target) ?? new Set<string>();
  sent.set(target, keys);
  let turn = 0;
  return async (alerts: Alert[], groupLabels: Record<string, string>) => {
    const body = webhookBody(alerts, groupLabels);
    const base = servers[turn++ % servers.length]!.base;
    for (;;) {
      const t = performance.now();
      const res = await fetch(`${base}/api/v1/integrations/alertmanager`, { method: "POST", headers: { authorization: `Bearer ${target.token}`, "content-type": "application/json" }, body });
      await res.arrayBuffer();
      if (res.status === 200) break;
      if (res.status !== 503 && res.status !== 429) throw new Error(`neuralops: status ${res.status}`);
      refused++;
      refusalMs.push(performance.now() - t);
      const retryAfter = Number(res.headers.get("retry-after"));
      if (!retryAfter) refusedWithoutRetryAfter++;
      await new Promise((r) => setTimeout(r, Math.min(1000, (retryAfter || 1) * 1000) * (0.5 + Math.random() / 2)));
    }
    for (const a of alerts) keys.add(`${a.fingerprint}|${a.startsAt}`);
  };
}

const benchDelivery = (n: number): [Alert[], Record<string, string>] => [alertsOf(n), { alertname: `Alert${n % 5}`, service: `svc-${n % 50}` }];

/**
 * Webhook → incident visible in the API, measured beside a load phase: every VISIBILITY_EVERY_MS while `load`
 * runs, one delivery of a new group (a service label no other delivery has) is sent, and as soon as it is
 * answered GET /api/v1/incidents?service=… (read token) is polled every 10 ms until the incident is listed.
 * Latency is from sending the delivery to the first answer that lists the incident.
 */
async function withVisibilitySampler<T>(target: Target, servers: Server[], load: Promise<T>): Promise<{ result: T; latencies: number[] }> {
  const post = sender(target, servers);
  const tag = runId();
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  let done = false;
  let k = 0;
  const sample = async (i: number) => {
    const service = `vis-${tag}-${i}`;
    const t = performance.now();
    const now = Date.now();
    const alerts = Array.from({ length: ALERTS }, (_, j) => ({
      labels: { alertname: "BenchVisibility", service, severity: "critical", instance: `v-${i}-${j}` },
      annotations: { summary: `visibility ${i}/${j}` },
      startsAt: new Date(now - 1000).toISOString(),
      generatorURL: "http://prometheus/graph",
      fingerprint: `v${tag}x${i}x${j}`,
    }));
    await post(alerts, { alertname: "BenchVisibility", service });
    const reader = servers[(i + 1) % servers.length]!.base;
    for (let polls = 0; polls < 1000; polls++) {
      const res = await fetch(`${reader}/api/v1/incidents?service=${encodeURIComponent(service)}&limit=1`, { headers: { authorization: `Bearer ${target.readToken}` } });
      const body = (await res.json()) as { incidents?: unknown[] };
      if (res.status !== 200) throw new Error(`incident list: status ${res.status}`);
      if (body.incidents?.length) return void latencies.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`incident for ${service} not listed after 1000 polls`);
  };
  const ticker = (async () => {
    while (!done) {
      pending.push(sample(k++));
      await new Promise((r) => setTimeout(r, VISIBILITY_EVERY_MS));
    }
  })();
  const result = await load;
  done = true;
  await ticker;
  await Promise.all(pending);
  latencies.sort((a, b) => a - b);
  return { result, latencies };
}

const pctOf = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** Every phase against one target; the exactly-once check at the end covers all of them. */
async function runTarget(target: Target) {
  const label = target.label;
  let servers = [await startServer(target, PORT, label.startsWith("PostgreSQL") ? "pg" : "embedded")];
  try {
    const post = sender(target, servers);
    const probe: CpuProbe = { serverGroups: () => servers.map((s) => s.pid), databasePids: () => target.databasePids() };
    // Warm-up (JIT, connection pools).
    for (let i = 0; i < 50; i++) await post(...benchDelivery(1_000_000 + i));
    rows.push(await drive(`NeuralOps webhook, ${label}`, REQUESTS, CONCURRENCY, (n) => post(...benchDelivery(n)), probe));
    if (OVERLOAD > 0 && label.startsWith("PostgreSQL")) {
      const before = refused;
      // New deliveries (offset) so the overload phase adds signals the exactly-once check must find.
      rows.push(await drive(`NeuralOps webhook, concurrency ${OVERLOAD} (retries)`, REQUESTS, OVERLOAD, (n) => post(...benchDelivery(2_000_000 + n)), probe));
      refusalMs.sort((a, b) => a - b);
      console.log(
        `overload: ${refused - before} refusals (503/429), ${refusedWithoutRetryAfter} without Retry-After, refusal latency p50 ${(refusalMs[Math.floor(refusalMs.length / 2)] ?? 0).toFixed(1)} ms p99 ${(refusalMs[Math.floor(refusalMs.length * 0.99)] ?? 0).toFixed(1)} ms`,
      );
    }
    if (VISIBILITY) {
      const name = `NeuralOps, ${label} + visibility`;
      const { result, latencies } = await withVisibilitySampler(target, servers, drive(name, REQUESTS, CONCURRENCY, (n) => post(...benchDelivery(3_000_000 + n)), probe));
      rows.push(result);
      visibilityLines.push(
        `visibility (${label}, webhook sent → incident listed by GET /api/v1/incidents): ${latencies.length} samples at ${result.alertsPerSec.toFixed(0)} alerts/s, p50 ${pctOf(latencies, 50).toFixed(1)} ms p99 ${pctOf(latencies, 99).toFixed(1)} ms max ${(latencies[latencies.length - 1] ?? NaN).toFixed(1)} ms (goal p99 < 1000 ms)`,
      );
    }
    if (WEB > 1 && label.startsWith("PostgreSQL")) {
      for (let w = 1; w < WEB; w++) servers.push(await startServer(target, PORT + w, "pg"));
      const rr = sender(target, servers);
      for (let i = 0; i < 50 * WEB; i++) await rr(...benchDelivery(4_000_000 + i));
      rows.push(await drive(`NeuralOps webhook, ${label}, ${WEB} web procs`, REQUESTS, CONCURRENCY, (n) => rr(...benchDelivery(5_000_000 + n)), probe));
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    servers = [];
  }
  const client = new pg.Client({ connectionString: target.dbUrl });
  await client.connect();
  const { rows: counted } = await client.query<{ n: string; distinct_keys: string }>(
    `SELECT count(*) AS n, count(DISTINCT (fingerprint, "startsAt")) AS distinct_keys FROM "Signal" WHERE "orgId" = $1::uuid`,
    [target.orgId],
  );
  await client.end();
  const keys = sent.get(target)!;
  const stored = Number(counted[0]!.n);
  const ok = stored === keys.size && Number(counted[0]!.distinct_keys) === stored;
  exactlyOnceOk &&= ok;
  exactlyOnceLines.push(
    `exactly once${label.startsWith("PostgreSQL") ? "" : ` (${label})`}: ${keys.size} unique alerts sent, ${stored} signals stored (${counted[0]!.distinct_keys} distinct keys) — ${ok ? "OK" : "MISMATCH"}`,
  );
}

const pgTarget = await postgresTarget();
try {
  await runTarget(pgTarget);
} finally {
  await pgTarget.close();
}
if (EMBEDDED) {
  const target = await embeddedTarget();
  try {
    await runTarget(target);
  } finally {
    await target.close();
  }
}
await stopAll();

console.log(`| ${"target".padEnd(44)} | alerts/s | p50 ms  | p90 ms  | p99 ms  | max ms  |`);
console.log(`|${"-".repeat(46)}|----------|---------|---------|---------|---------|`);
for (const r of rows) console.log(fmt(r));
const anchor = rows.find((r) => r.name.startsWith("Alertmanager"));
const ours = rows.find((r) => r.name.startsWith("NeuralOps webhook, PostgreSQL"))!;
if (anchor) console.log(`ratio NeuralOps / Alertmanager (alerts/s): ${(ours.alertsPerSec / anchor.alertsPerSec).toFixed(3)}  (goal ≥ 0.35)`);
const embeddedRow = rows.find((r) => r.name.startsWith("NeuralOps webhook, embedded PGlite"));
if (embeddedRow) console.log(`embedded PGlite: ${embeddedRow.alertsPerSec.toFixed(0)} alerts/s (goal ≥ 1000)`);
for (const line of visibilityLines) console.log(line);
if (values.cpu) {
  console.log("CPU ms per delivery (server / database / load generator):");
  for (const r of rows) if (r.cpu) console.log(`  ${r.name.padEnd(44)} ${r.cpu.server.toFixed(2)} / ${r.cpu.database.toFixed(2)} / ${r.cpu.client.toFixed(2)}`);
}
for (const line of exactlyOnceLines) console.log(line);
if (!exactlyOnceOk) process.exitCode = 1;
