// Job schedulers live only in Redis; reconcileSchedulers puts back what the platform needs (cron jobs,
// a scan per enabled monitor from the database), idempotently, and the worker runs it on reconnect.
import "@/test/own-redis-prefix";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { redis } from "@/lib/redis";
import { queue } from "@/lib/jobs/queue";
import { QUEUES } from "@/lib/jobs/definitions";
import { cronSchedulers, keepSchedulersReconciled, missingSchedulers, reconcileSchedulers } from "@/lib/jobs/schedulers";
import { makeOrg } from "@/test/factories";
import { until } from "@/test/worker-process";

async function present(): Promise<Map<string, { every?: number; pattern?: string }>> {
  const out = new Map<string, { every?: number; pattern?: string }>();
  for (const q of QUEUES) for (const s of await queue(q).getJobSchedulers(0, -1)) out.set(`${q}/${s.key}`, { every: s.every ?? undefined, pattern: s.pattern ?? undefined });
  return out;
}

async function wipeSchedulers() {
  for (const q of QUEUES) for (const s of await queue(q).getJobSchedulers(0, -1)) await queue(q).removeJobScheduler(s.key);
}

async function monitor(orgId: string, name: string, data: { enabled?: boolean; stepSeconds?: number } = {}) {
  return db.monitor.create({ data: { orgId, name, query: "up", detector: { type: "ensemble" }, ...data } });
}

describe("reconcileSchedulers", () => {
  it("creates every cron job and one scan per enabled monitor, and a second run changes nothing", async () => {
    await wipeSchedulers();
    const org = await makeOrg("sched");
    const on = await monitor(org.id, "on", { stepSeconds: 30 });
    const off = await monitor(org.id, "off", { enabled: false });

    const first = await reconcileSchedulers();
    const now = await present();
    for (const c of cronSchedulers()) expect(now.get(`${c.queue}/${c.id}`), c.id).toEqual({ pattern: (c.repeat as { pattern: string }).pattern, every: undefined });
    expect(now.get(`insight/scan:${on.id}`)).toMatchObject({ every: 30_000 });
    expect(now.has(`insight/scan:${off.id}`)).toBe(false);
    expect(first.created).toEqual(expect.arrayContaining(["cron:runs.sweep", "cron:audit.verify", "cron:exports.nightly", "cron:vectors.reembed", "cron:oncall.sweep", `scan:${on.id}`]));
    expect(await missingSchedulers()).toEqual({ jobs: [], count: 0 });

    const delayed = await queue("maintenance").getDelayedCount();
    expect(await reconcileSchedulers()).toEqual({ created: [], updated: [], removed: [] });
    // No second "next" job per scheduler.
    expect(await queue("maintenance").getDelayedCount()).toBe(delayed);
  });

  it("fixes a changed interval, removes the scans of deleted and disabled monitors, and leaves foreign schedulers alone", async () => {
    const org = await makeOrg("sched");
    const changed = await monitor(org.id, "changed", { stepSeconds: 60 });
    const deleted = await monitor(org.id, "deleted");
    const disabled = await monitor(org.id, "disabled");
    await reconcileSchedulers();
    await queue("insight").upsertJobScheduler("someone-else", { every: 60_000 }, { name: "x" });

    await db.monitor.update({ where: { id: changed.id }, data: { stepSeconds: 10 } });
    await db.monitor.delete({ where: { id: deleted.id } });
    await db.monitor.update({ where: { id: disabled.id }, data: { enabled: false } });
    const r = await reconcileSchedulers();
    expect(r.updated).toEqual([`scan:${changed.id}`]);
    expect(r.removed.sort()).toEqual([`scan:${deleted.id}`, `scan:${disabled.id}`].sort());
    const now = await present();
    expect(now.get(`insight/scan:${changed.id}`)).toMatchObject({ every: 10_000 });
    expect(now.has("insight/someone-else")).toBe(true);
    await queue("insight").removeJobScheduler("someone-else");
  });

  it("only touches the queues it is given (a worker reconciles the queues it serves)", async () => {
    await wipeSchedulers();
    await reconcileSchedulers(new Set(["oncall"]));
    expect([...(await present()).keys()]).toEqual(["oncall/cron:oncall.sweep"]);
    expect((await missingSchedulers()).jobs).toEqual(expect.arrayContaining(["runs.sweep", "audit.verify", "exports.nightly", "vectors.reembed"]));
  });
});

describe("keepSchedulersReconciled", () => {
  it("puts the schedulers back when its Redis connection is ready again, and on its timer", async () => {
    const logs: string[] = [];
    const keeper = keepSchedulersReconciled({ queues: new Set(QUEUES), everyMs: 60_000, log: (_level, msg) => logs.push(msg) });
    try {
      await keeper.runNow();
      await wipeSchedulers(); // what a Redis restarted empty looks like
      expect((await missingSchedulers()).count).toBeGreaterThan(0);
      redis().disconnect(true); // ioredis reconnects and emits "ready"
      await until("schedulers after the reconnect", async () => (await missingSchedulers()).count === 0, 10_000, 100);
      expect(logs).toContain("job schedulers reconciled");
    } finally {
      keeper.stop();
    }

    const timed = keepSchedulersReconciled({ queues: new Set(["maintenance"]), everyMs: 300, log: () => {} });
    try {
      await timed.runNow();
      await queue("maintenance").removeJobScheduler("cron:runs.sweep");
      await until("runs.sweep re-created by the timer", async () => !!(await queue("maintenance").getJobScheduler("cron:runs.sweep")), 5_000, 100);
    } finally {
      timed.stop();
    }
  });
});
