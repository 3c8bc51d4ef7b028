// Faults under load, on a PostgreSQL and a Redis this file owns: while senders post Alertmanager
// deliveries (retrying every non-2xx, as Alertmanager does), Redis is killed with -9 and restarted
// empty, then PostgreSQL is stopped with -m immediate and restarted. Afterwards:
// - every acknowledged alert is exactly one signal (none lost, none duplicated);
// - the BullMQ job schedulers are back without restarting the worker (an empty Redis has none);
// - /api/health answered 503 during each outage and 200 within seconds after it;
// - the webhook answered 503 (store_unavailable, with Retry-After), never 500, during the outages;
// - runs approved before the faults finish: one mid-step through both outages, one whose queued job
//   died with Redis (only runs.sweep, i.e. a scheduler, brings it back).
//
// Only vitest, node and test helpers that do not load lib/ are imported statically: lib/env reads
// DATABASE_URL and REDIS_URL once, and they must name this file's own servers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { startOwnPostgres, startOwnRedis } from "@/test/own-stores";
import { killAllWorkers, startWorker, stopWorker, until, type WorkerProc } from "@/test/worker-process";
import { startTarget, type Target } from "@/test/target-server";

type Pg = Awaited<ReturnType<typeof startOwnPostgres>>;
type RedisServer = Awaited<ReturnType<typeof startOwnRedis>>;

let pg: Pg;
let redisServer: RedisServer;
let worker: WorkerProc | undefined;
let target: Target;
let lib: Awaited<ReturnType<typeof loadLib>>;
let stopLoad: (() => Promise<void>) | undefined;

async function loadLib() {
  return {
    ...(await import("@/lib/db")),
    ...(await import("@/lib/jobs/queue")),
    ...(await import("@/lib/jobs/definitions")),
    ...(await import("@/test/factories")),
    ...(await import("@/test/call-route")),
    ...(await import("@/test/playbook-fixtures")),
    health: (await import("@/app/api/health/route")).GET,
    webhook: (await import("@/app/api/v1/integrations/alertmanager/route")).POST,
    createMonitor: (await import("@/lib/monitors/manage-monitors")).createMonitor,
    requestRun: (await import("@/lib/orchestrator/request-run")).requestRun,
    runDryRun: (await import("@/lib/orchestrator/dry-run")).runDryRun,
    approveRun: (await import("@/lib/orchestrator/approve-run")).approveRun,
  };
}

beforeAll(async () => {
  [pg, redisServer, target] = await Promise.all([startOwnPostgres(), startOwnRedis(), startTarget()]);
  const { ensureDatabase, applyMigrations } = await import("@/lib/db/migrations");
  const url = pg.urlFor("neuralops_faults");
  await ensureDatabase(url);
  await applyMigrations(url);
  process.env.DATABASE_URL = url;
  process.env.REDIS_URL = redisServer.url;
  process.env.REDIS_PREFIX = "neuralops-faults";
  lib = await loadLib();
}, 120_000);

afterAll(async () => {
  await stopLoad?.();
  killAllWorkers();
  await target?.close();
  await lib?.closeQueues();
  await lib?.db.$disconnect();
  const { closeRedis } = await import("@/lib/redis");
  await closeRedis();
  await redisServer?.stop();
  await pg?.destroy();
});

/** Alertmanager's webhook sender: the same delivery until a 2xx, with capped exponential backoff. */
function startSenders(token: string, senders: number) {
  const acked = new Set<string>();
  const statuses = new Map<string, number>();
  const sent: string[][] = [];
  let stop = false;
  let abandoned = false;
  const count = (k: string) => statuses.set(k, (statuses.get(k) ?? 0) + 1);
  const deliver = async (body: unknown) => {
    for (let attempt = 0; ; attempt++) {
      const res = await Promise.race([
        lib.callRoute(lib.webhook, { headers: lib.bearer(token), body }).then((r) => (r.status === 503 && !r.headers.get("retry-after") ? "503 without Retry-After" : String(r.status))),
        // An answer that takes this long is a timeout to Alertmanager; the request may still commit.
        new Promise<string>((r) => setTimeout(() => r("timeout"), 10_000)),
      ]).catch(() => "error");
      count(res);
      if (res.startsWith("2") || abandoned) return;
      await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
    }
  };
  const loops = Array.from({ length: senders }, async (_, s) => {
    for (let n = 0; !stop; n++) {
      // Every third delivery repeats an earlier one, as Alertmanager does every group_interval.
      const repeat = n % 3 === 2 && sent.length > 0 ? sent[(n * 7919) % sent.length]! : null;
      const fingerprints = repeat ?? Array.from({ length: 10 }, (_, k) => `f${s}-${n}-${k}`);
      const alerts = fingerprints.map((fp) => ({
        status: "firing",
        labels: { alertname: "Storm", service: `svc-${Number(fp.split("-")[1]) % 50}`, instance: fp },
        annotations: { summary: `storm ${fp}` },
        startsAt: "2026-01-01T00:00:00Z",
        endsAt: "0001-01-01T00:00:00Z",
        fingerprint: fp,
      }));
      await deliver({ version: "4", status: "firing", receiver: "neuralops", groupLabels: {}, commonLabels: {}, commonAnnotations: {}, truncatedAlerts: 0, alerts });
      if (!repeat) sent.push(fingerprints);
      for (const fp of fingerprints) acked.add(fp);
    }
  });
  return {
    acked,
    statuses,
    async stop() {
      stop = true;
      await Promise.all(loops);
    },
    /** After a failure: stop without waiting for the deliveries in flight to be acknowledged. */
    async abandon() {
      stop = abandoned = true;
      await Promise.all(loops);
    },
  };
}

async function healthStatus(): Promise<number> {
  const res = await Promise.race([lib.callRoute(lib.health, { method: "GET" }), new Promise<{ status: number }>((r) => setTimeout(() => r({ status: 0 }), 5_000))]);
  return res.status;
}

/** Every scheduler the worker is expected to keep: the cron jobs, and one scan per enabled monitor. */
function expectedSchedulers(monitorIds: string[]) {
  const cron = Object.entries(lib.JOBS)
    .filter(([, def]) => "schedule" in def && def.schedule)
    .map(([name, def]) => `${def.queue}/cron:${name}`);
  return [...cron, ...monitorIds.map((id) => `insight/scan:${id}`)].sort();
}

async function presentSchedulers(): Promise<string[]> {
  const out: string[] = [];
  for (const q of lib.QUEUES) for (const s of await lib.queue(q).getJobSchedulers(0, -1)) out.push(`${q}/${s.key}`);
  return out.sort();
}

describe("Redis killed and PostgreSQL stopped under webhook load", { timeout: 170_000 }, () => {
  it("keeps exactly-once signals, brings the schedulers back, reports health, and finishes approved runs", async () => {
    const t0 = Date.now();
    const at = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
    const org = await lib.makeOrg("faults");
    await lib.allowTestEgress(org.id);
    const admin = await lib.makeActor(org.id, "admin");
    const approver = await lib.makeActor(org.id, "approver");
    const operator = await lib.makeActor(org.id, "operator");
    const token = await lib.tokenFor(org.id, "operator", ["signals.ingest"]);
    const monitor = await lib.createMonitor({ actor: admin, input: { name: "faults", query: "up" } });
    const key = await lib.trustNewKey(admin);

    // One orchestrator slot: run A holds it mid-step, so run B's job waits in Redis and dies with it.
    worker = startWorker({ WORKER_QUEUES: "maintenance:2,insight:1,orchestrator:1,etl:1,vectors:1,oncall:2", RUN_RESUME_AFTER_MS: "3000" });
    await worker.started;
    const expected = expectedSchedulers([monitor.id]);
    await until("the worker's schedulers", async () => JSON.stringify(await presentSchedulers()) === JSON.stringify(expected), 20_000);

    const approved = async (path: string) => {
      const name = `faults-${randomBytes(4).toString("hex")}`;
      await lib.uploadSigned(admin, lib.playbookYaml(name, "low", [{ id: "act", action: "http", with: { url: `${target.url}${path}`, method: "PUT" }, timeout: "120s" }]), key.sign);
      const run = await lib.requestRun({ actor: operator, input: { playbook: name } });
      await lib.runDryRun(run.id);
      await lib.approveRun({ actor: approver, id: run.id });
      return run.id;
    };
    const heldPath = `/held-${randomBytes(3).toString("hex")}`;
    target.on(heldPath, { hold: true });
    const senders = startSenders(token, 4);
    stopLoad = senders.abandon;
    const runA = await approved(heldPath);
    await target.waitFor(heldPath);
    const runB = await approved(`/queued-${randomBytes(3).toString("hex")}`);
    expect(await lib.queue("orchestrator").getJobCountByTypes("waiting", "prioritized")).toBeGreaterThanOrEqual(1);
    await until("acknowledged alerts before the faults", async () => senders.acked.size >= 200, 30_000);
    expect(await healthStatus()).toBe(200);

    // --- Redis: kill -9, restart empty -----------------------------------------------------------
    console.log(`[faults] ${at()} kill -9 redis (${senders.acked.size} alerts acknowledged)`);
    await redisServer.kill9();
    await until("/api/health 503 while Redis is down", async () => (await healthStatus()) === 503, 15_000);
    await new Promise((r) => setTimeout(r, 2_000));
    await redisServer.start();
    const redisBack = Date.now();
    await until("/api/health 200 after Redis is back", async () => (await healthStatus()) === 200, 15_000, 200);
    const healthyAfterRedisMs = Date.now() - redisBack;
    console.log(`[faults] ${at()} redis back; health 200 after ${healthyAfterRedisMs} ms`);
    expect(healthyAfterRedisMs).toBeLessThan(5_000);
    // The same worker process, never restarted, must have re-created every scheduler.
    await until("the schedulers after the Redis restart", async () => JSON.stringify(await presentSchedulers()) === JSON.stringify(expected), 20_000, 250).catch(async (err) => {
      throw new Error(`${(err as Error).message}: present ${JSON.stringify(await presentSchedulers())}, expected ${JSON.stringify(expected)}`);
    });
    expect(worker.child.exitCode).toBeNull();

    // --- PostgreSQL: stop -m immediate, restart ------------------------------------------------------
    const before = senders.acked.size;
    await until("more acknowledged alerts after the Redis restart", async () => senders.acked.size >= before + 100, 30_000);
    console.log(`[faults] ${at()} pg_ctl stop -m immediate (${senders.acked.size} alerts acknowledged)`);
    await pg.stopImmediate();
    await until("/api/health 503 while PostgreSQL is down", async () => (await healthStatus()) === 503, 15_000);
    await new Promise((r) => setTimeout(r, 2_000));
    await pg.start();
    const pgBack = Date.now();
    await until("/api/health 200 after PostgreSQL is back", async () => (await healthStatus()) === 200, 15_000, 200);
    const healthyAfterPgMs = Date.now() - pgBack;
    console.log(`[faults] ${at()} postgres back; health 200 after ${healthyAfterPgMs} ms`);
    expect(healthyAfterPgMs).toBeLessThan(5_000);

    const afterPg = senders.acked.size;
    await until("acknowledged alerts after the PostgreSQL restart", async () => senders.acked.size >= afterPg + 100, 30_000);
    await senders.stop();
    target.release({ status: 200 });
    console.log(`[faults] ${at()} load stopped: ${senders.acked.size} alerts acknowledged, answers ${JSON.stringify(Object.fromEntries(senders.statuses))}`);

    // A store outage is a 503 with Retry-After (retried by the sender), never a 500.
    expect(senders.statuses.get("500") ?? 0).toBe(0);
    expect(senders.statuses.get("503 without Retry-After") ?? 0).toBe(0);

    // --- exactly once ---------------------------------------------------------------------------------
    const rows = await lib.db.signal.groupBy({ by: ["fingerprint"], where: { orgId: org.id }, _count: { _all: true } });
    const duplicated = rows.filter((r) => r._count._all !== 1).map((r) => r.fingerprint);
    const stored = new Set(rows.map((r) => r.fingerprint));
    const lost = [...senders.acked].filter((fp) => !stored.has(fp));
    const unacknowledged = [...stored].filter((fp) => !senders.acked.has(fp));
    expect({ lost: lost.length, duplicated: duplicated.length, unacknowledged: unacknowledged.length }).toEqual({ lost: 0, duplicated: 0, unacknowledged: 0 });
    expect(rows.length).toBe(senders.acked.size);

    // --- the runs approved before the faults --------------------------------------------------------
    const finished = await until(
      "both runs to finish",
      async () => {
        const runs = await lib.db.run.findMany({ where: { id: { in: [runA, runB] } }, select: { id: true, status: true } });
        return runs.every((r) => !["approved", "executing"].includes(r.status)) && runs;
      },
      // runs.sweep fires on the minute; one tick may fall into the PostgreSQL outage.
      90_000,
      500,
    );
    console.log(`[faults] ${at()} runs: ${JSON.stringify(finished.map((r) => r.status))}`);
    expect(Object.fromEntries(finished.map((r) => [r.id === runA ? "A" : "B", r.status]))).toEqual({ A: "succeeded", B: "succeeded" });
    expect(worker.child.exitCode).toBeNull();
    await stopWorker(worker);
  });
});
