import { afterAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { QueueEvents, Worker } from "bullmq";
import { db } from "@/lib/db";
import { redis } from "@/lib/redis";
import { bullPrefix, enqueue, queue } from "@/lib/jobs/queue";
import { processJob } from "@/workers/process-job";
import { makeOrg } from "@/test/factories";

const root = path.resolve(import.meta.dirname, "..");

describe("jobs through real BullMQ", () => {
  const worker = new Worker("maintenance", processJob, { connection: redis().duplicate(), prefix: bullPrefix(), concurrency: 2 });
  const events = new QueueEvents("maintenance", { connection: redis().duplicate(), prefix: bullPrefix() });
  afterAll(async () => {
    await worker.close();
    await events.close();
  });

  it("audit.verify runs in a worker and records its result", async () => {
    const org = await makeOrg("job");
    await events.waitUntilReady();
    const job = await enqueue("audit.verify", { orgId: org.id });
    const result = await job.waitUntilFinished(events, 20_000);
    expect(result).toEqual({ [org.id]: { ok: true, checked: 1 } });
    const recorded = await db.jobResult.findFirstOrThrow({ where: { orgId: org.id, job: "audit.verify" } });
    expect(recorded.ok).toBe(true);
    expect(recorded.data).toMatchObject({ ok: true, checked: 1, head: { seq: 1 } });
  });

  it("enqueue refuses an invalid payload before it reaches Redis", async () => {
    const before = await queue("maintenance").count();
    await expect(enqueue("audit.verify", { orgId: "not-a-uuid" })).rejects.toMatchObject({ code: "validation_failed" });
    await expect(enqueue("audit.verify", { orgId: undefined, extra: 1 } as never)).rejects.toMatchObject({ code: "validation_failed" });
    expect(await queue("maintenance").count()).toBe(before);
  });

  it("the worker validates again and fails a forged payload without retrying", async () => {
    await events.waitUntilReady();
    const job = await queue("maintenance").add("audit.verify", { orgId: 42 }, { attempts: 3 });
    await expect(job.waitUntilFinished(events, 20_000)).rejects.toThrow(/invalid payload for audit.verify/);
    const after = await queue("maintenance").getJob(job.id!);
    expect(after?.attemptsMade).toBe(1);
    expect(await after?.getState()).toBe("failed");
  });

  it("completes jobs with unknown names instead of blocking the queue", async () => {
    await events.waitUntilReady();
    const job = await queue("maintenance").add("no.such.job", {});
    expect(await job.waitUntilFinished(events, 20_000)).toEqual({ skipped: "unknown job" });
  });
});

describe("worker process", () => {
  it("starts, serves /metrics, schedules cron jobs and exits 0 on SIGTERM", async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    // One process (as npm run worker starts it): the tsx CLI would relay the signal to a child and, when
    // the child answers late, exit 143 itself.
    const child = spawn(process.execPath, ["--import", "tsx", "workers/main.ts"], {
      cwd: root,
      env: { ...process.env, WORKER_METRICS_PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    for (let i = 0; i < 150 && !out.includes("worker started"); i++) await new Promise((r) => setTimeout(r, 100));
    expect(out).toContain("worker started");

    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain("process_cpu_seconds_total");
    expect(text).toContain("job_duration_seconds");

    const schedulers = await queue("maintenance").getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toContain("cron:audit.verify");

    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
    expect(out).toContain("worker stopped");
  });
});
