// The on-call contract end to end: channels, policies and routes made through the route handlers, an
// Alertmanager delivery ingested as the webhook route would, the oncall queue run by a real BullMQ
// worker, and a local receiver that verifies the Standard Webhooks signature the documented way.
import "@/test/own-redis-prefix";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import type { Worker } from "bullmq";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { ingestAlertmanagerWebhook } from "@/lib/incidents/alertmanager";
import { acknowledgeIncident } from "@/lib/incidents/change-incident-status";
import { queue } from "@/lib/jobs/queue";
import { escalateJobId } from "@/lib/oncall/escalation-jobs";
import { sweepOncall } from "@/lib/oncall/sweep";
import { deliverNotification } from "@/lib/oncall/deliver";
import { POST as createChannelRoute } from "@/app/api/v1/channels/route";
import { POST as createPolicyRoute } from "@/app/api/v1/escalation-policies/route";
import { POST as createRouteRoute } from "@/app/api/v1/routes/route";
import { GET as listSilencesRoute, POST as createSilenceRoute } from "@/app/api/v1/silences/route";
import { DELETE as expireSilenceRoute } from "@/app/api/v1/silences/[id]/route";
import { POST as createInhibitionRoute } from "@/app/api/v1/inhibition-rules/route";
import { GET as notificationsRoute } from "@/app/api/v1/incidents/[id]/notifications/route";
import { allowTestEgress, makeActor, makeOrg } from "@/test/factories";
import { bearer, callRoute, tokenFor } from "@/test/call-route";
import { startTarget, type Target } from "@/test/target-server";
import { alertDelivery, sleep, startOncallWorker, verifyStandardWebhook } from "@/test/oncall";
import { until } from "@/test/worker-process";

type Team = { orgId: string; admin: string; operator: string; viewer: string; operatorActor: Actor };

let target: Target;
let worker: Worker;

beforeAll(async () => {
  target = await startTarget();
  worker = startOncallWorker();
});
afterAll(async () => {
  await worker.close();
  await target.close();
});

async function team(): Promise<Team> {
  const org = await makeOrg("oncall");
  await allowTestEgress(org.id);
  return {
    orgId: org.id,
    admin: await tokenFor(org.id, "admin"),
    operator: await tokenFor(org.id, "operator"),
    viewer: await tokenFor(org.id, "viewer"),
    operatorActor: await makeActor(org.id, "operator"),
  };
}

const hookPath = () => `/hook-${randomBytes(4).toString("hex")}`;

async function webhookChannel(t: Team, path: string) {
  const res = await callRoute(createChannelRoute, { headers: bearer(t.admin), body: { name: `ops-hook-${path.slice(6)}`, type: "webhook", url: `${target.url}${path}` } });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; signingSecret: string };
}

async function policy(t: Team, steps: { afterMinutes: number; targets: unknown[] }[], extra: Record<string, unknown> = {}) {
  const res = await callRoute(createPolicyRoute, { headers: bearer(t.admin), body: { name: `payments-${randomBytes(3).toString("hex")}`, steps, ...extra } });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string };
}

async function routeTo(t: Team, policyId: string, matchers: unknown[] = [{ label: "team", op: "=", value: "payments" }]) {
  const res = await callRoute(createRouteRoute, { headers: bearer(t.admin), body: { name: `payments-${randomBytes(3).toString("hex")}`, matchers, policy: policyId } });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string };
}

/** The contract's setup: one webhook channel, a one-step policy, a route on team=payments. */
async function contractSetup(t: Team) {
  const path = hookPath();
  const channel = await webhookChannel(t, path);
  const p = await policy(t, [{ afterMinutes: 0, targets: [{ channel: channel.id }] }]);
  await routeTo(t, p.id);
  return { path, channel };
}

async function ingest(t: Team, labels: Record<string, string>, opts: Parameters<typeof alertDelivery>[1] = {}) {
  const result = await ingestAlertmanagerWebhook({ actor: t.operatorActor, payload: alertDelivery(labels, opts) });
  return result;
}

const pageOf = (incidentId: string, status?: string) =>
  until(`page ${status ?? ""} of ${incidentId}`, async () => {
    const p = await db.incidentPage.findUnique({ where: { incidentId } });
    return p && (!status || p.status === status) ? p : null;
  }, 15_000);

const alertname = (base: string) => `${base}${randomBytes(3).toString("hex")}`;

describe("the contract", () => {
  it("an incident for team=payments makes one signed POST to the channel within 10 s", async () => {
    const t = await team();
    const { path, channel } = await contractSetup(t);
    expect(channel.signingSecret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);

    const started = Date.now();
    const result = await ingest(t, { alertname: alertname("PaymentsDown"), team: "payments", severity: "critical" }, { summary: "Payments API down" });
    const incidentId = result.openedIncidents[0]!;
    expect(incidentId).toBeDefined();
    const [call] = await target.waitFor(path, 1, 10_000);
    expect(call!.at - started).toBeLessThan(10_000);

    expect(verifyStandardWebhook(call!.headers, call!.body, channel.signingSecret)).toBe(true);
    expect(verifyStandardWebhook(call!.headers, call!.body.replace("Payments", "Paymentz"), channel.signingSecret)).toBe(false);
    expect(call!.headers["webhook-signature"]).toMatch(/^v1,/);
    const body = JSON.parse(call!.body);
    expect(body).toMatchObject({ type: "incident.triggered", step: 0, attempt: 1, incident: { id: incidentId, title: "Payments API down", severity: "critical", status: "open", labels: { team: "payments" } } });
    expect(body.incident.url).toMatch(new RegExp(`^https?://[^/]+/incidents/${incidentId}$`));

    // Exactly one: nothing else arrives once the delivery is recorded.
    await until("the attempt recorded as sent", async () => (await db.notificationAttempt.findFirst({ where: { incidentId, status: "sent" } })) ?? null);
    await sleep(1000);
    expect(target.calls(path)).toHaveLength(1);

    const res = await callRoute(notificationsRoute, { method: "GET", params: { id: incidentId }, headers: bearer(t.viewer) });
    expect(res.status, res.text).toBe(200);
    expect(res.json.page).toMatchObject({ status: "active", notifiedSteps: 1, totalSteps: 1, next: null });
    expect(res.json.attempts).toEqual([
      expect.objectContaining({ channel: { id: channel.id, name: expect.any(String), type: "webhook" }, recipient: "channel", status: "sent", attempts: 1, retries: 0, responseStatus: 200, latencyMs: expect.any(Number) }),
    ]);
    const events = (await db.incidentEvent.findMany({ where: { incidentId }, orderBy: { at: "asc" } })).map((e) => e.type);
    expect(events).toEqual(expect.arrayContaining(["opened", "paging_started", "notified", "notification_sent"]));
  });

  it("an incident that matches no route and no default route pages nobody", async () => {
    const t = await team();
    const { path } = await contractSetup(t);
    const { openedIncidents } = await ingest(t, { alertname: alertname("Other"), team: "search" });
    const page = await pageOf(openedIncidents[0]!, "unrouted");
    expect(page.reason).toMatch(/no route/);
    expect(target.calls(path)).toHaveLength(0);
  });

  it("the first matching route by position wins; the default route takes the rest", async () => {
    const t = await team();
    const [a, b, d] = [hookPath(), hookPath(), hookPath()];
    const [ca, cb, cd] = [await webhookChannel(t, a), await webhookChannel(t, b), await webhookChannel(t, d)];
    const [pa, pb, pd] = [
      await policy(t, [{ afterMinutes: 0, targets: [{ channel: ca.id }] }]),
      await policy(t, [{ afterMinutes: 0, targets: [{ channel: cb.id }] }]),
      await policy(t, [{ afterMinutes: 0, targets: [{ channel: cd.id }] }]),
    ];
    await callRoute(createRouteRoute, { headers: bearer(t.admin), body: { name: "default", policy: pd.id, isDefault: true, position: 0 } });
    await routeTo(t, pa.id, [{ label: "env", op: "=~", value: "prod|production" }]);
    await routeTo(t, pb.id, [{ label: "team", op: "=", value: "payments" }]);
    await ingest(t, { alertname: alertname("A"), team: "payments", env: "production" });
    await target.waitFor(a);
    await ingest(t, { alertname: alertname("B"), team: "payments", env: "prod-eu" });
    await target.waitFor(b);
    await ingest(t, { alertname: alertname("C"), team: "search" });
    await target.waitFor(d);
    expect([target.calls(a).length, target.calls(b).length, target.calls(d).length]).toEqual([1, 1, 1]);
  });
});

describe("silences", () => {
  const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();

  it("an active silence matching the incident: no POST, the page says silenced, the timeline says by which", async () => {
    const t = await team();
    const { path } = await contractSetup(t);
    const s = await callRoute(createSilenceRoute, {
      headers: bearer(t.operator),
      body: { matchers: [{ label: "team", op: "=", value: "payments" }], startsAt: new Date(Date.now() - 1000).toISOString(), endsAt: inAnHour(), comment: "db migration" },
    });
    expect(s.status, s.text).toBe(201);
    expect(s.json).toMatchObject({ id: expect.any(String), state: "active", createdBy: expect.stringContaining("@") });

    const { openedIncidents } = await ingest(t, { alertname: alertname("PaymentsDown"), team: "payments" });
    const page = await pageOf(openedIncidents[0]!, "silenced");
    expect(page.silenceId).toBe(s.json.id);
    const event = await db.incidentEvent.findFirstOrThrow({ where: { incidentId: openedIncidents[0]!, type: "silenced" } });
    expect((event.data as { message: string }).message).toContain('silenced by "db migration"');
    await sleep(1500);
    expect(target.calls(path)).toHaveLength(0);
    expect(await db.notificationAttempt.count({ where: { incidentId: openedIncidents[0]! } })).toBe(0);

    // The silence ends while the incident is still open: the next sweep starts paging.
    await callRoute(expireSilenceRoute, { method: "DELETE", params: { id: s.json.id }, headers: bearer(t.operator) });
    await sweepOncall({ orgId: t.orgId });
    const [call] = await target.waitFor(path);
    expect(JSON.parse(call!.body).incident.id).toBe(openedIncidents[0]);
    const started = await db.incidentEvent.findFirstOrThrow({ where: { incidentId: openedIncidents[0]!, type: "paging_started" } });
    expect((started.data as { message: string }).message).toContain("silence ended");
  });

  it("a silence that does not match (or has expired) does not mute", async () => {
    const t = await team();
    const { path } = await contractSetup(t);
    await callRoute(createSilenceRoute, { headers: bearer(t.operator), body: { matchers: [{ label: "team", op: "=", value: "search" }], endsAt: inAnHour(), comment: "other team" } });
    const expired = await callRoute(createSilenceRoute, { headers: bearer(t.operator), body: { matchers: [{ label: "team", op: "=", value: "payments" }], endsAt: inAnHour(), comment: "done early" } });
    expect((await callRoute(expireSilenceRoute, { method: "DELETE", params: { id: expired.json.id }, headers: bearer(t.operator) })).json.state).toBe("expired");
    await ingest(t, { alertname: alertname("PaymentsDown"), team: "payments" });
    await target.waitFor(path);
    const list = await callRoute(listSilencesRoute, { method: "GET", headers: bearer(t.viewer) });
    expect(list.json.silences.map((x: { comment: string }) => x.comment)).toEqual(["other team"]);
  });

  it("a recurring maintenance window mutes inside its window and not outside it", async () => {
    const t = await team();
    const { path } = await contractSetup(t);
    const now = new Date();
    const hhmm = (d: Date) => d.toISOString().slice(11, 16);
    const days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    // A window around now today (UTC), and one that starts in two hours, for two different services.
    const around = { days: [days[now.getUTCDay()]], start: hhmm(new Date(now.getTime() - 30 * 60_000)), end: hhmm(new Date(now.getTime() + 30 * 60_000)), timeZone: "UTC" };
    const later = { days: [days[now.getUTCDay()]], start: hhmm(new Date(now.getTime() + 2 * 3600_000)), end: hhmm(new Date(now.getTime() + 3 * 3600_000)), timeZone: "UTC" };
    for (const [service, recurrence] of [["checkout", around], ["ledger", later]] as const) {
      const res = await callRoute(createSilenceRoute, {
        headers: bearer(t.operator),
        body: { matchers: [{ label: "service", op: "=", value: service }], endsAt: new Date(Date.now() + 30 * 24 * 3600_000).toISOString(), comment: `weekly ${service} maintenance`, recurrence },
      });
      expect(res.status, res.text).toBe(201);
      expect(res.json.state).toBe(service === "checkout" ? "active" : "outside_window");
    }
    const inside = await ingest(t, { alertname: alertname("Down"), team: "payments", service: "checkout" });
    const page = await pageOf(inside.openedIncidents[0]!, "silenced");
    expect(page.reason).toContain("weekly checkout maintenance");
    const outside = await ingest(t, { alertname: alertname("Down"), team: "payments", service: "ledger" });
    const [call] = await target.waitFor(path);
    expect(JSON.parse(call!.body).incident.id).toBe(outside.openedIncidents[0]);
    await sleep(500);
    expect(target.calls(path)).toHaveLength(1);
  });

  it("a silence needs a matcher that does not match everything; a viewer may not create one", async () => {
    const t = await team();
    const everything = await callRoute(createSilenceRoute, { headers: bearer(t.operator), body: { matchers: [{ label: "team", op: "=~", value: ".*" }], endsAt: inAnHour(), comment: "all" } });
    expect(everything.status).toBe(400);
    const viewer = await callRoute(createSilenceRoute, { headers: bearer(t.viewer), body: { matchers: [{ label: "team", op: "=", value: "x" }], endsAt: inAnHour(), comment: "x" } });
    expect(viewer.status).toBe(403);
    const channel = await callRoute(createChannelRoute, { headers: bearer(t.operator), body: { name: "x", type: "webhook", url: `${target.url}/x` } });
    expect(channel.status).toBe(403);
  });
});

describe("inhibition", () => {
  it("a firing critical NodeDown on node X mutes pod alerts on node X, not on node Y", async () => {
    const t = await team();
    const path = hookPath();
    const channel = await webhookChannel(t, path);
    const p = await policy(t, [{ afterMinutes: 0, targets: [{ channel: channel.id }] }]);
    await routeTo(t, p.id, [{ label: "team", op: "=", value: "platform" }]);
    const rule = await callRoute(createInhibitionRoute, {
      headers: bearer(t.admin),
      body: {
        name: "node down mutes its pods",
        sourceMatchers: [
          { label: "alertname", op: "=", value: "NodeDown" },
          { label: "severity", op: "=", value: "critical" },
        ],
        targetMatchers: [{ label: "alertname", op: "=~", value: "Pod.*" }],
        equal: ["node"],
      },
    });
    expect(rule.status, rule.text).toBe(201);

    const nodeDown = await ingest(t, { alertname: "NodeDown", severity: "critical", node: "node-x", team: "platform" });
    await target.waitFor(path, 1); // the node alert itself pages
    const podOnX = await ingest(t, { alertname: "PodCrashLooping", namespace: "shop", pod: "web-1", node: "node-x", team: "platform" });
    const muted = await pageOf(podOnX.openedIncidents[0]!, "inhibited");
    expect(muted.reason).toContain("node down mutes its pods");
    const podOnY = await ingest(t, { alertname: "PodCrashLooping", namespace: "shop", pod: "cart-2", node: "node-y", team: "platform" });
    const calls = await target.waitFor(path, 2);
    expect(calls.map((c) => JSON.parse(c.body).incident.id)).toEqual([nodeDown.openedIncidents[0], podOnY.openedIncidents[0]]);
    await sleep(500);
    expect(target.calls(path)).toHaveLength(2);

    // Once the node alert resolves, the sweep finds the pod incident no longer muted and pages for it.
    const signal = await db.signal.findFirstOrThrow({ where: { incidentId: nodeDown.openedIncidents[0]! } });
    await db.signal.update({ where: { id: signal.id }, data: { status: "resolved", endsAt: new Date() } });
    await sweepOncall({ orgId: t.orgId });
    const third = await target.waitFor(path, 3);
    expect(JSON.parse(third[2]!.body).incident.id).toBe(podOnX.openedIncidents[0]);
    expect((await pageOf(podOnX.openedIncidents[0]!)).status).toBe("active");
  });
});

describe("escalation", () => {
  // Step 2 is due 3 s after the incident opened (afterMinutes may be fractional).
  const STEP2_MINUTES = 0.05;

  async function twoSteps(t: Team) {
    const [first, second] = [hookPath(), hookPath()];
    const [c1, c2] = [await webhookChannel(t, first), await webhookChannel(t, second)];
    const p = await policy(t, [
      { afterMinutes: 0, targets: [{ channel: c1.id }] },
      { afterMinutes: STEP2_MINUTES, targets: [{ channel: c2.id }] },
    ]);
    await routeTo(t, p.id);
    return { first, second };
  }

  it("nobody acknowledges: step 2 is notified after its delay", async () => {
    const t = await team();
    const { first, second } = await twoSteps(t);
    const { openedIncidents } = await ingest(t, { alertname: alertname("PaymentsDown"), team: "payments" });
    const [a] = await target.waitFor(first);
    const [b] = await target.waitFor(second, 1, 15_000);
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(STEP2_MINUTES * 60_000 - 500);
    expect(JSON.parse(b!.body)).toMatchObject({ type: "incident.escalated", step: 1, incident: { id: openedIncidents[0] } });
    const page = await pageOf(openedIncidents[0]!);
    expect(page).toMatchObject({ status: "active", seq: 2, nextAt: null });
  });

  it("an acknowledgement stops it: the pending step is removed and never notifies", async () => {
    const t = await team();
    const { first, second } = await twoSteps(t);
    const { openedIncidents } = await ingest(t, { alertname: alertname("PaymentsDown"), team: "payments" });
    const incidentId = openedIncidents[0]!;
    await target.waitFor(first);
    const page = await pageOf(incidentId);
    await until("step 2 scheduled", async () => (await queue("oncall").getJob(escalateJobId(page.id, 1))) ?? null, 10_000);
    await acknowledgeIncident({ actor: t.operatorActor, id: incidentId });
    await pageOf(incidentId, "acknowledged");
    expect(await queue("oncall").getJob(escalateJobId(page.id, 1))).toBeUndefined();
    await sleep(STEP2_MINUTES * 60_000 + 1500);
    expect(target.calls(second)).toHaveLength(0);
    const stopped = await db.incidentEvent.findFirstOrThrow({ where: { incidentId, type: "escalation_stopped" } });
    expect(stopped.data).toMatchObject({ reason: "acknowledged" });
    // The channel that was paged hears about the acknowledgement.
    const calls = await target.waitFor(first, 2);
    expect(JSON.parse(calls[1]!.body)).toMatchObject({ type: "incident.acknowledged", incident: { id: incidentId, status: "acknowledged" } });
  });

  it("a resolution (its alert resolving) stops it too", async () => {
    const t = await team();
    const { first, second } = await twoSteps(t);
    const fingerprint = randomBytes(8).toString("hex");
    const labels = { alertname: alertname("PaymentsDown"), team: "payments" };
    const startsAt = new Date();
    const { openedIncidents } = await ingest(t, labels, { fingerprint, startsAt });
    const incidentId = openedIncidents[0]!;
    await target.waitFor(first);
    const resolved = await ingest(t, labels, { fingerprint, startsAt, status: "resolved" });
    expect(resolved.resolvedIncidents).toEqual([incidentId]);
    await pageOf(incidentId, "resolved");
    await sleep(STEP2_MINUTES * 60_000 + 1500);
    expect(target.calls(second)).toHaveLength(0);
    const calls = await target.waitFor(first, 2);
    expect(JSON.parse(calls[1]!.body)).toMatchObject({ type: "incident.resolved", incident: { id: incidentId, status: "resolved" } });
  });

  it("repeats the policy while nobody acknowledges", async () => {
    const t = await team();
    const path = hookPath();
    const c = await webhookChannel(t, path);
    const p = await policy(t, [{ afterMinutes: 0, targets: [{ channel: c.id }] }], { repeat: 2, repeatAfterMinutes: 0.02 });
    await routeTo(t, p.id);
    const { openedIncidents } = await ingest(t, { alertname: alertname("PaymentsDown"), team: "payments" });
    const calls = await target.waitFor(path, 3, 15_000);
    expect(calls.map((c) => JSON.parse(c.body).type)).toEqual(["incident.triggered", "incident.escalated", "incident.escalated"]);
    expect(await pageOf(openedIncidents[0]!)).toMatchObject({ seq: 3, nextAt: null });
    await sleep(2000);
    expect(target.calls(path)).toHaveLength(3);
  });
});

describe("deliveries", () => {
  it("a failing receiver is retried with backoff; every try is recorded and the next one succeeds", async () => {
    const t = await team();
    const { path } = await contractSetup(t);
    target.on(path, { status: 503, body: "try later" });
    const { openedIncidents } = await ingest(t, { alertname: alertname("PaymentsDown"), team: "payments" });
    const incidentId = openedIncidents[0]!;
    await target.waitFor(path, 1);
    target.on(path, { status: 200 });
    const calls = await target.waitFor(path, 2, 15_000);
    expect(calls[1]!.headers["webhook-id"]).toBe(calls[0]!.headers["webhook-id"]);
    expect(JSON.parse(calls[1]!.body).attempt).toBe(2);
    const row = await until("sent", async () => (await db.notificationAttempt.findFirst({ where: { incidentId, status: "sent" } })) ?? null);
    expect(row).toMatchObject({ attempts: 2, responseStatus: 200, error: null });
    const tries = await db.incidentEvent.findMany({ where: { incidentId, type: { in: ["notification_failed", "notification_sent"] } }, orderBy: { at: "asc" } });
    expect(tries.map((e) => [e.type, (e.data as { attempt: number }).attempt])).toEqual([
      ["notification_failed", 1],
      ["notification_sent", 2],
    ]);
    expect(tries[0]!.data).toMatchObject({ final: false, error: expect.stringContaining("503") });
  });

  it("after the last retry a failing notification shows failed", async () => {
    const t = await team();
    const { path, channel } = await contractSetup(t);
    target.on(path, { status: 502 });
    const inc = await db.incident.create({ data: { orgId: t.orgId, title: "retries", labels: {}, groupKey: `alertname=${alertname("R")}` } });
    // A delivery with no job behind it, run by hand as its fifth and last try.
    const row = await db.notificationAttempt.create({
      data: { orgId: t.orgId, incidentId: inc.id, channelId: channel.id, channelName: "hook", channelType: "webhook", recipient: "channel", event: "incident.triggered", step: 0, dedupKey: `test-${inc.id}`, attempts: 4 },
    });
    expect(await deliverNotification({ attemptId: row.id }, { attempt: 5, maxAttempts: 5 })).toMatchObject({ failed: expect.stringContaining("502") });
    expect(await db.notificationAttempt.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "failed", attempts: 5, responseStatus: null });
    const event = await db.incidentEvent.findFirstOrThrow({ where: { incidentId: inc.id, type: "notification_failed" } });
    expect(event.data).toMatchObject({ attempt: 5, final: true });
    // A finished delivery is never sent again.
    expect(await deliverNotification({ attemptId: row.id }, { attempt: 1, maxAttempts: 5 })).toEqual({ skipped: "failed" });
    expect(target.calls(path)).toHaveLength(1);
  });

  it("a 4xx is not retried: the notification shows failed at once", async () => {
    const t = await team();
    const { path } = await contractSetup(t);
    target.on(path, { status: 410, body: "gone" });
    const { openedIncidents } = await ingest(t, { alertname: alertname("PaymentsDown"), team: "payments" });
    const row = await until("failed", async () => (await db.notificationAttempt.findFirst({ where: { incidentId: openedIncidents[0]!, status: "failed" } })) ?? null, 15_000);
    expect(row).toMatchObject({ attempts: 1, responseStatus: 410, error: expect.stringContaining("410") });
    await sleep(2500);
    expect(target.calls(path)).toHaveLength(1);
  });

  it("the org's egress policy applies: a destination it does not allow is never contacted", async () => {
    const t = await team();
    const { path } = await contractSetup(t);
    await db.organization.update({ where: { id: t.orgId }, data: { egressAllowCidrs: [] } });
    const { openedIncidents } = await ingest(t, { alertname: alertname("PaymentsDown"), team: "payments" });
    const row = await until("failed", async () => (await db.notificationAttempt.findFirst({ where: { incidentId: openedIncidents[0]!, status: "failed" } })) ?? null, 15_000);
    expect(row.error).toMatch(/egress policy denies 127\.0\.0\.1/);
    expect(target.calls(path)).toHaveLength(0);
  });
});

describe("the sweep", () => {
  it("pages for an incident whose paging job was lost", async () => {
    const t = await team();
    const { path } = await contractSetup(t);
    // Committed with no job behind it, as when Redis was away at the end of the ingest transaction.
    const inc = await db.incident.create({ data: { orgId: t.orgId, title: "lost job", labels: { team: "payments" }, groupKey: `alertname=${alertname("Lost")}` } });
    await db.incidentEvent.create({ data: { orgId: t.orgId, incidentId: inc.id, type: "opened", actorLabel: "test" } });
    expect(await sweepOncall({ orgId: t.orgId })).toMatchObject({ unpaged: 0 }); // too fresh: its own job may still come
    expect(await sweepOncall({ orgId: t.orgId, now: new Date(Date.now() + 120_000) })).toMatchObject({ unpaged: 1 });
    const [call] = await target.waitFor(path);
    expect(JSON.parse(call!.body).incident).toMatchObject({ id: inc.id, title: "lost job" });
  });
});
