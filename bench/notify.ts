// `npm run bench:notify -- [--rate 100] [--seconds 30] [--workers 1] [--concurrency 16]`
// Incident opened → first notification sent, end to end: a real worker process (node workers/main.ts,
// oncall queue only) on a throwaway database and Redis prefix pages a webhook channel whose receiver is a
// local HTTP server. Incidents are opened at --rate per second for --seconds (each its own incident, one
// alert signal, through the same ingest as Alertmanager deliveries). The latency of an incident is from
// just before its ingest call to the moment the receiver has the signed POST (same clock: one machine).
// The receiver verifies every signature, so a figure never counts an unsigned or wrong delivery.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { throwawayEnvironment } from "../test/services";
import { pct } from "./percentile";

const { values } = parseArgs({
  options: {
    rate: { type: "string", default: "100" },
    seconds: { type: "string", default: "30" },
    workers: { type: "string", default: "1" },
    concurrency: { type: "string", default: "16" },
  },
});
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const WORKERS = Number(values.workers);
const CONCURRENCY = Number(values.concurrency);
const TOTAL = Math.round(RATE * SECONDS);
const MAX_INFLIGHT = 64;

const { id, drop } = await throwawayEnvironment();
process.env.DATABASE_POOL_MAX = "20";
// The worker opens the channel's sealed credentials with the same secret (it inherits this environment).
process.env.NEXTAUTH_SECRET ??= `bench-${id}-secret-0123456789`;

const { db } = await import("../lib/db");
const { closeRedis } = await import("../lib/redis");
const { closeQueues } = await import("../lib/jobs/queue");
const { ensureOrg } = await import("../lib/orgs/ensure-org");
const { ingestSignals } = await import("../lib/incidents/ingest-signals");
const { createChannel } = await import("../lib/oncall/manage-channels");
const { createPolicy } = await import("../lib/oncall/manage-policies");
const { createRoute } = await import("../lib/oncall/manage-routes");
const { allowTestEgress, makeActor } = await import("../test/factories");
const { verifyStandardWebhook } = await import("../test/oncall");
const { startWorker, stopWorker } = await import("../test/worker-process");
type WorkerProc = import("../test/worker-process").WorkerProc;

const sentAt = new Map<string, number>();
const arrivedAt = new Map<string, number>();
const waiting = new Map<string, () => void>();
let secret = "";
let badSignatures = 0;
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const at = Date.now();
    const body = Buffer.concat(chunks).toString("utf8");
    if (!verifyStandardWebhook(req.headers, body, secret)) {
      badSignatures++;
      return void res.writeHead(401).end();
    }
    res.writeHead(204).end();
    const incidentId = (JSON.parse(body) as { incident: { id: string } }).incident.id;
    if (!arrivedAt.has(incidentId)) arrivedAt.set(incidentId, at);
    waiting.get(incidentId)?.();
  });
});
await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/page`;

const workers: WorkerProc[] = [];
/** CPU seconds a process has used (Linux /proc; 0 elsewhere), to tell the load generator's share from the worker's. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

try {
  const org = await ensureOrg({ slug: "bench-notify", name: "Bench notify" });
  await allowTestEgress(org.id);
  const admin = await makeActor(org.id, "admin");
  const operator = await makeActor(org.id, "operator");
  const channel = await createChannel({ actor: admin, input: { name: "bench-hook", type: "webhook", url: receiverUrl } });
  secret = (channel as { signingSecret: string }).signingSecret;
  const policy = await createPolicy({ actor: admin, input: { name: "bench", steps: [{ afterMinutes: 0, targets: [{ channel: channel.id }] }] } });
  await createRoute({ actor: admin, input: { name: "bench", matchers: [{ label: "team", op: "=", value: "bench" }], policy: policy.id } });

  for (let i = 0; i < WORKERS; i++) workers.push(startWorker({ WORKER_QUEUES: `oncall:${CONCURRENCY}`, NODE_ENV: "production", DATABASE_POOL_MAX: "20" }));
  await Promise.all(workers.map((w) => w.started));
  console.error(`${WORKERS} worker process(es) × oncall:${CONCURRENCY} started; receiver ${receiverUrl}`);

  // Each call opens one incident of its own (a service nobody else has).
  let n = 0;
  const open = async () => {
    const k = n++;
    const t0 = Date.now();
    const r = await ingestSignals({
      actor: operator,
      signals: [{ kind: "alert", fingerprint: `bench-${k}`, startsAt: new Date(), status: "firing", title: `bench incident ${k}`, labels: { alertname: "BenchDown", team: "bench", service: `svc-${k}` }, severity: "critical", source: "bench" }],
    });
    const incidentId = r.openedIncidents[0]!;
    sentAt.set(incidentId, t0);
    return { incidentId, ingestMs: Date.now() - t0 };
  };

  // Warm-up: JIT and connections in both processes, one incident at a time.
  for (let i = 0; i < 20; i++) {
    const reached = new Promise<void>((resolve) => {
      void open().then(({ incidentId }) => (arrivedAt.has(incidentId) ? resolve() : waiting.set(incidentId, resolve)));
    });
    await reached;
  }
  sentAt.clear();
  arrivedAt.clear();

  // The load: incident k is opened at start + k / RATE seconds, whether or not earlier ones finished, up
  // to MAX_INFLIGHT ingest calls at once (an ingest endpoint's worth of concurrent requests); past that
  // the generator falls behind, and the figures say so (offered rate below the target).
  const ingestMs: number[] = [];
  const inflight = new Set<Promise<void>>();
  let ingestErrors = 0;
  const cpuBefore = { bench: cpuSeconds(process.pid), workers: workers.reduce((a, w) => a + cpuSeconds(w.child.pid!), 0) };
  const start = Date.now();
  for (let k = 0; k < TOTAL; k++) {
    const due = start + (k * 1000) / RATE;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    while (inflight.size >= MAX_INFLIGHT) await Promise.race(inflight);
    const p: Promise<void> = open()
      .then((r) => void ingestMs.push(r.ingestMs))
      .catch(() => void ingestErrors++)
      .finally(() => inflight.delete(p));
    inflight.add(p);
  }
  await Promise.all(inflight);
  const offeredSeconds = (Date.now() - start) / 1000;
  const deadline = Date.now() + 120_000;
  while (arrivedAt.size < sentAt.size && Date.now() < deadline) await sleep(100);
  const drainedSeconds = (Math.max(...arrivedAt.values()) - start) / 1000;
  const cpu = { bench: cpuSeconds(process.pid) - cpuBefore.bench, workers: workers.reduce((a, w) => a + cpuSeconds(w.child.pid!), 0) - cpuBefore.workers };

  const latencies = [...sentAt].flatMap(([incidentId, t0]) => (arrivedAt.has(incidentId) ? [arrivedAt.get(incidentId)! - t0] : []));
  const missing = sentAt.size - latencies.length;
  const sent = await db.notificationAttempt.count({ where: { orgId: org.id, status: "sent" } });
  const failed = await db.notificationAttempt.count({ where: { orgId: org.id, status: "failed" } });
  console.log(
    `incidents opened: ${sentAt.size} in ${offeredSeconds.toFixed(1)} s (${(sentAt.size / offeredSeconds).toFixed(1)}/s offered, target ${RATE}/s); ingest call p50 ${pct(ingestMs, 50)} ms, p99 ${pct(ingestMs, 99)} ms${ingestErrors ? `, ${ingestErrors} failed` : ""}`,
  );
  console.log(
    `incident opened → first notification received (${latencies.length} incidents, ${WORKERS} worker × oncall:${CONCURRENCY}): p50 ${pct(latencies, 50)} ms, p90 ${pct(latencies, 90)} ms, p99 ${pct(latencies, 99)} ms, max ${Math.max(...latencies)} ms`,
  );
  console.log(`last POST at ${drainedSeconds.toFixed(1)} s; sent ${sent}, failed ${failed}, never received ${missing}, bad signatures ${badSignatures}`);
  console.log(
    `CPU during the run: load generator (ingest, this process) ${cpu.bench.toFixed(1)} s, worker(s) ${cpu.workers.toFixed(1)} s, over ${drainedSeconds.toFixed(1)} s on ${availableParallelism()} cores; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
} finally {
  await Promise.all(workers.map(stopWorker));
  receiver.close();
  await closeQueues();
  await db.$disconnect();
  await closeRedis();
  await drop();
}
