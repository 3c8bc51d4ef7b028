// A pending escalation survives kill -9 of the worker: the next step is a BullMQ delayed job in Redis,
// so a worker started afterwards notifies it (once) even though the one that scheduled it is gone.
import "@/test/own-redis-prefix";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import { queue } from "@/lib/jobs/queue";
import { ingestAlertmanagerWebhook } from "@/lib/incidents/alertmanager";
import { createChannel } from "@/lib/oncall/manage-channels";
import { createPolicy } from "@/lib/oncall/manage-policies";
import { createRoute } from "@/lib/oncall/manage-routes";
import { escalateJobId } from "@/lib/oncall/escalation-jobs";
import { allowTestEgress, makeActor, makeOrg } from "@/test/factories";
import { startTarget, type Target } from "@/test/target-server";
import { alertDelivery, sleep } from "@/test/oncall";
import { kill9, killAllWorkers, startWorker, stopWorker, until } from "@/test/worker-process";

const STEP2_SECONDS = 8;

let target: Target;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(async () => {
  killAllWorkers();
  await target.close();
});

describe("escalation timers and worker crashes", { timeout: 90_000 }, () => {
  it("kill -9 while step 2 is pending: a restarted worker still notifies step 2, once", async () => {
    const org = await makeOrg("oncall-kill");
    await allowTestEgress(org.id);
    const admin = await makeActor(org.id, "admin");
    const operator = await makeActor(org.id, "operator");
    const [first, second] = [`/first-${randomBytes(3).toString("hex")}`, `/second-${randomBytes(3).toString("hex")}`];
    const a = await createChannel({ actor: admin, input: { name: "first", type: "webhook", url: `${target.url}${first}` } });
    const b = await createChannel({ actor: admin, input: { name: "second", type: "webhook", url: `${target.url}${second}` } });
    const policy = await createPolicy({
      actor: admin,
      input: {
        name: "payments",
        steps: [
          { afterMinutes: 0, targets: [{ channel: a.id }] },
          { afterMinutes: STEP2_SECONDS / 60, targets: [{ channel: b.id }] },
        ],
      },
    });
    await createRoute({ actor: admin, input: { name: "payments", matchers: [{ label: "team", op: "=", value: "payments" }], policy: policy.id } });

    const worker1 = startWorker({ WORKER_QUEUES: "oncall:2" });
    await worker1.started;
    const { openedIncidents } = await ingestAlertmanagerWebhook({ actor: operator, payload: alertDelivery({ alertname: "PaymentsDown", team: "payments" }) });
    const incidentId = openedIncidents[0]!;
    await target.waitFor(first);
    // Step 1 done and recorded (a kill in the middle of a delivery re-sends it, with the same webhook-id).
    await until("step 1 recorded", async () => (await db.notificationAttempt.findFirst({ where: { incidentId, step: 0, status: "sent" } })) ?? null);
    const page = await db.incidentPage.findUniqueOrThrow({ where: { incidentId } });
    const pending = await until("step 2 delayed in Redis", async () => queue("oncall").getJob(escalateJobId(page.id, 1)), 10_000);
    expect(await pending.getState()).toBe("delayed");
    await kill9(worker1);

    // Past the due time with no worker: nothing can fire.
    const due = page.startedAt.getTime() + STEP2_SECONDS * 1000;
    await sleep(Math.max(0, due - Date.now()) + 1000);
    expect(target.calls(second)).toHaveLength(0);

    const worker2 = startWorker({ WORKER_QUEUES: "oncall:2" });
    await worker2.started;
    const [call] = await target.waitFor(second, 1, 20_000);
    expect(JSON.parse(call!.body)).toMatchObject({ type: "incident.escalated", step: 1, incident: { id: incidentId } });
    await until("step 2 recorded", async () => (await db.notificationAttempt.findFirst({ where: { incidentId, step: 1, status: "sent" } })) ?? null);
    await sleep(1000);
    await stopWorker(worker2);
    expect(target.calls(first)).toHaveLength(1);
    expect(target.calls(second)).toHaveLength(1);
    expect(await db.incidentPage.findUniqueOrThrow({ where: { incidentId } })).toMatchObject({ status: "active", seq: 2, nextAt: null });
  });
});
