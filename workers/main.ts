// Worker process entry. Starts one BullMQ Worker per queue (WORKER_QUEUES="maintenance:2,…" selects
// queues and concurrency; default: all queues, concurrency 4), keeps the job schedulers of its queues in
// Redis (lib/jobs/schedulers.ts: at start, after every reconnect, every minute), serves /metrics, and
// drains on SIGTERM/SIGINT.
import { Worker } from "bullmq";
import type { Server } from "node:http";
import { env } from "@/lib/env";
import { db } from "@/lib/db";
import { redis, closeRedis, evictionPolicy } from "@/lib/redis";
import { bullPrefix, closeQueues } from "@/lib/jobs/queue";
import { QUEUES, type QueueName } from "@/lib/jobs/definitions";
import { keepSchedulersReconciled } from "@/lib/jobs/schedulers";
import { processJob } from "@/workers/process-job";
import { startMetricsServer } from "@/workers/metrics-server";
import { log, setLogService } from "@/lib/log";

setLogService("worker");

function selectedQueues(spec: string | undefined): Map<QueueName, number> {
  const out = new Map<QueueName, number>();
  if (!spec) {
    for (const q of QUEUES) out.set(q, 4);
    return out;
  }
  for (const part of spec.split(",").map((s) => s.trim()).filter(Boolean)) {
    const [name, conc] = part.split(":");
    if (!(QUEUES as readonly string[]).includes(name!)) throw new Error(`WORKER_QUEUES: unknown queue ${name} (known: ${QUEUES.join(", ")})`);
    out.set(name as QueueName, Math.max(1, Number(conc ?? 4) || 4));
  }
  return out;
}

/** BullMQ's keys must never be evicted: a Redis that may evict can drop jobs and schedulers silently. */
async function warnUnlessNoeviction() {
  const policy = await evictionPolicy(redis()).catch(() => undefined);
  if (policy && policy !== "noeviction") {
    log("warn", "Redis maxmemory-policy is not noeviction: under memory pressure it may evict queued jobs and job schedulers; set maxmemory-policy noeviction", { maxmemoryPolicy: policy });
  }
}

async function main() {
  const cfg = env();
  const queues = selectedQueues(cfg.WORKER_QUEUES);
  const workers = [...queues].map(
    ([name, concurrency]) =>
      new Worker(name, processJob, {
        connection: redis().duplicate({ maxRetriesPerRequest: null }),
        prefix: bullPrefix(),
        concurrency,
        lockDuration: cfg.WORKER_LOCK_MS,
        stalledInterval: cfg.WORKER_LOCK_MS,
      }),
  );
  for (const w of workers) {
    w.on("failed", (job, err) => log("warn", "job attempt failed", { queue: w.name, job: job?.name, jobId: job?.id, error: err.message }));
    w.on("error", (err) => log("error", "worker error", { queue: w.name, error: err.message }));
  }
  await warnUnlessNoeviction();
  const schedulers = keepSchedulersReconciled({ queues: new Set(queues.keys()), log });
  await schedulers.runNow();
  let server: Server | undefined;
  if (cfg.WORKER_METRICS_PORT > 0) server = await startMetricsServer(cfg.WORKER_METRICS_PORT, cfg.METRICS_HOST);
  log("info", "worker started", { queues: Object.fromEntries(queues), metricsPort: cfg.WORKER_METRICS_PORT || null });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log("info", "worker stopping: finishing active jobs", { signal });
    // Worker.close() waits for active jobs; a second signal or 30 s later we give up.
    const force = setTimeout(() => {
      log("error", "shutdown timed out; exiting");
      process.exit(1);
    }, 30_000);
    force.unref();
    schedulers.stop();
    await Promise.all(workers.map((w) => w.close()));
    server?.close();
    await closeQueues();
    await db.$disconnect();
    await closeRedis();
    log("info", "worker stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((err) => {
  log("error", "worker failed to start", { error: (err as Error).message });
  process.exit(1);
});
