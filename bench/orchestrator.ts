// `npm run bench:orchestrator -- [--workers 4] [--latency-runs 200] [--throughput-runs 400] [--concurrency 4]`
// Orchestrator, end to end through real worker processes (node workers/main.ts, orchestrator queue
// only) on a throwaway database and Redis prefix, against a local HTTP target:
//  1. approve → first step started: runs approved one at a time on an idle system; the latency is from
//     just before approveRun() (the approval transaction, signature check, enqueue) to the step's
//     `startedAt`, which the worker commits right before calling the target. Same clock (one machine).
//  2. runs/min: all runs approved at once; time from the first approval to the last run succeeded.
// Each run is a signed low-risk playbook with one http step.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { throwawayEnvironment } from "../test/services";
import { pct } from "./percentile";

const { values } = parseArgs({
  options: {
    workers: { type: "string", default: "4" },
    concurrency: { type: "string", default: "4" },
    "latency-runs": { type: "string", default: "200" },
    "throughput-runs": { type: "string", default: "400" },
  },
});
const WORKERS = Number(values.workers);
const CONCURRENCY = Number(values.concurrency);
const LATENCY_RUNS = Number(values["latency-runs"]);
const THROUGHPUT_RUNS = Number(values["throughput-runs"]);

const { drop } = await throwawayEnvironment();
process.env.DATABASE_POOL_MAX = "20";

const { db } = await import("../lib/db");
const { closeRedis } = await import("../lib/redis");
const { closeQueues } = await import("../lib/jobs/queue");
const { ensureOrg } = await import("../lib/orgs/ensure-org");
const { requestRun } = await import("../lib/orchestrator/request-run");
const { runDryRun } = await import("../lib/orchestrator/dry-run");
const { approveRun, executeJobId } = await import("../lib/orchestrator/approve-run");
const { queue } = await import("../lib/jobs/queue");
const { allowTestEgress, makeActor } = await import("../test/factories");
const { startWorker, stopWorker } = await import("../test/worker-process");
type WorkerProc = import("../test/worker-process").WorkerProc;
const { trustNewKey, playbookYaml, uploadSigned } = await import("../test/playbook-fixtures");

let hits = 0;
// The target tells the bench when a run's step arrived, so the latency phase waits without polling the
// database (polling would compete with the worker for the two cores).
const arrived = new Map<string, () => void>();
const target = createServer((req, res) => {
  hits++;
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    res.end("ok");
    const runId = (JSON.parse(body || "{}") as { run?: string }).run;
    if (runId) arrived.get(runId)?.();
  });
});
await new Promise<void>((r) => target.listen(0, "127.0.0.1", r));
const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/hook`;

const workers: WorkerProc[] = [];
async function startWorkers(n: number) {
  for (let i = 0; i < n; i++) workers.push(startWorker({ WORKER_QUEUES: `orchestrator:${CONCURRENCY}`, WORKER_LOCK_MS: "30000", NODE_ENV: "production" }));
  await Promise.all(workers.map((w) => w.started));
}



try {
  const org = await ensureOrg({ slug: "bench", name: "Bench" });
  // The target is on 127.0.0.1, which a new org's egress policy denies.
  await allowTestEgress(org.id);
  const admin = await makeActor(org.id, "admin");
  const operator = await makeActor(org.id, "operator");
  const approver = await makeActor(org.id, "approver");
  const key = await trustNewKey(admin);
  await uploadSigned(admin, playbookYaml("bench-call", "low", [{ id: "call", action: "http", with: { url: targetUrl, method: "POST", body: { run: "{{ run.id }}" } }, timeout: "10s" }]), key.sign);

  async function prepare(n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const run = await requestRun({ actor: operator, input: { playbook: "bench-call" } });
      await runDryRun(run.id);
      ids.push(run.id);
    }
    return ids;
  }

  async function waitFor(check: () => Promise<boolean>, timeoutMs = 600_000, everyMs = 50) {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error("timed out");
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }

  console.error(`preparing ${LATENCY_RUNS + THROUGHPUT_RUNS} runs (requested + dry-run, in-process)…`);
  const latencyIds = await prepare(LATENCY_RUNS);
  const throughputIds = await prepare(THROUGHPUT_RUNS);
  await startWorkers(WORKERS);
  console.error(`${WORKERS} worker processes × concurrency ${CONCURRENCY} started`);

  // Warm-up: the first jobs pay for JIT and connection set-up in each worker.
  const warm = await prepare(WORKERS * 2);
  for (const runId of warm) await approveRun({ actor: approver, id: runId });
  await waitFor(async () => (await db.run.count({ where: { id: { in: warm }, status: "succeeded" } })) === warm.length);

  const latencies: number[] = [];
  const approveMs: number[] = [];
  const pickupMs: number[] = [];
  const toStepMs: number[] = [];
  for (const runId of latencyIds) {
    const reached = new Promise<void>((resolve) => arrived.set(runId, resolve));
    const t0 = Date.now();
    await approveRun({ actor: approver, id: runId });
    approveMs.push(Date.now() - t0);
    await reached;
    const startedAt = (await db.runStep.findFirst({ where: { runId, idx: 0 }, select: { startedAt: true } }))?.startedAt ?? null;
    latencies.push(startedAt!.getTime() - t0);
    const job = await queue("orchestrator").getJob(executeJobId(runId));
    if (job?.processedOn) {
      pickupMs.push(job.processedOn - job.timestamp);
      toStepMs.push(startedAt!.getTime() - job.processedOn);
    }
    await waitFor(async () => (await db.run.findUnique({ where: { id: runId }, select: { status: true } }))?.status === "succeeded", 60_000, 20);
  }

  const t1 = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < throughputIds.length) await approveRun({ actor: approver, id: throughputIds[next++]! });
    }),
  );
  await waitFor(async () => (await db.run.count({ where: { id: { in: throughputIds }, status: { in: ["succeeded", "failed"] } } })) === throughputIds.length);
  const elapsed = Date.now() - t1;
  const failed = await db.run.count({ where: { id: { in: throughputIds }, status: "failed" } });

  console.log(`approve → first step started (${latencies.length} runs, idle system): p50 ${pct(latencies, 50)} ms, p90 ${pct(latencies, 90)} ms, p99 ${pct(latencies, 99)} ms, max ${Math.max(...latencies)} ms; p50 of the parts: approveRun() ${pct(approveMs, 50)} ms, enqueue → worker picks the job ${pct(pickupMs, 50)} ms, job start → step started ${pct(toStepMs, 50)} ms`);
  console.log(
    `throughput: ${THROUGHPUT_RUNS} runs with ${WORKERS} workers × concurrency ${CONCURRENCY}: ${(elapsed / 1000).toFixed(1)} s → ${Math.round((THROUGHPUT_RUNS / elapsed) * 60_000)} runs/min (${failed} failed); target calls ${hits}`,
  );
} finally {
  await Promise.all(workers.map(stopWorker));
  target.close();
  await closeQueues();
  await db.$disconnect();
  await closeRedis();
  await drop();
}
