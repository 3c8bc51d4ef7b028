// Every channel type against a local stand-in that checks what the real service documents: Slack's
// chat.postMessage (bot token, Block Kit buttons), a Teams Workflows webhook (an Adaptive Card), an SMTP
// server (smtp-server, in process) and PagerDuty's Events API v2 (trigger, then resolve on the same key).
// Also: credentials are sealed at rest and never shown; user targets reach people through their contacts.
import { createSchedule } from "@/lib/oncall/schedules/manage-schedules";
import "@/test/own-redis-prefix";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import type { Worker } from "bullmq";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { ingestAlertmanagerWebhook } from "@/lib/incidents/alertmanager";
import { resolveIncident } from "@/lib/incidents/change-incident-status";
import { createChannel, updateChannel } from "@/lib/oncall/manage-channels";
import { createPolicy } from "@/lib/oncall/manage-policies";
import { createRoute } from "@/lib/oncall/manage-routes";
import { SLACK_ACTIONS } from "@/lib/oncall/senders/slack";
import { POST as createChannelRoute, GET as listChannelsRoute } from "@/app/api/v1/channels/route";
import { DELETE as deleteChannelRoute, PUT as updateChannelRoute } from "@/app/api/v1/channels/[id]/route";
import { GET as notificationsRoute } from "@/app/api/v1/incidents/[id]/notifications/route";
import { allowTestEgress, makeActor, makeOrg } from "@/test/factories";
import { bearer, callRoute, tokenFor } from "@/test/call-route";
import { startTarget, type Target } from "@/test/target-server";
import { alertDelivery, startOncallWorker, verifyStandardWebhook } from "@/test/oncall";
import { until } from "@/test/worker-process";

type Mail = { from: string; to: string[]; raw: string };

/** The Subject header, unfolded, with its RFC 2047 Q-encoded words decoded. */
function subjectOf(raw: string): string {
  const folded = /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(raw)?.[1] ?? "";
  const bytes = (q: string) => Buffer.from(q.replace(/_/g, " ").replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1");
  const words = [...folded.replace(/\r?\n[ \t]/g, " ").matchAll(/=\?UTF-8\?Q\?(.*?)\?=/gi)].map((w) => bytes(w[1]!));
  return words.length ? Buffer.concat(words).toString("utf8") : folded;
}

let target: Target;
let worker: Worker;
let smtp: SMTPServer;
let smtpPort: number;
const mails: Mail[] = [];

beforeAll(async () => {
  target = await startTarget();
  worker = startOncallWorker();
  smtp = new SMTPServer({
    authOptional: true,
    // Plain SMTP on loopback: the stand-in has no certificate to offer.
    hideSTARTTLS: true,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") });
        done();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", r));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await worker.close();
  await target.close();
  await new Promise<void>((r) => smtp.close(() => r()));
});

async function setup() {
  const org = await makeOrg("chan");
  await allowTestEgress(org.id);
  const admin = await makeActor(org.id, "admin");
  const operator = await makeActor(org.id, "operator");
  return { orgId: org.id, admin, operator, token: await tokenFor(org.id, "admin") };
}

/** A policy with one step for these targets, routed on team=<team>; then an incident for that team. */
async function page(admin: Actor, operator: Actor, targets: unknown[], team = `t${randomBytes(3).toString("hex")}`) {
  const policy = await createPolicy({ actor: admin, input: { name: `p-${team}`, steps: [{ afterMinutes: 0, targets: targets as never }] } });
  await createRoute({ actor: admin, input: { name: `r-${team}`, matchers: [{ label: "team", op: "=", value: team }], policy: policy.id } });
  const res = await ingestAlertmanagerWebhook({ actor: operator, payload: alertDelivery({ alertname: `Down${team}`, team, severity: "critical", service: "checkout" }, { summary: "Checkout <down> & out" }) });
  return res.openedIncidents[0]!;
}

const sentOrFailed = (incidentId: string, n = 1) =>
  until(`${n} notifications settled`, async () => {
    const rows = await db.notificationAttempt.findMany({ where: { incidentId, status: { in: ["sent", "failed"] } } });
    return rows.length >= n ? rows : null;
  }, 20_000);

describe("Slack", () => {
  it("posts a Block Kit message with the bot token and Acknowledge / Resolve / Silence 1 h buttons carrying the incident id", async () => {
    const t = await setup();
    const api = `/slack-${randomBytes(3).toString("hex")}`;
    target.on(`${api}/chat.postMessage`, { body: { ok: true, channel: "C0OPS", ts: "1700000000.000100" } });
    const channel = await createChannel({ actor: t.admin, input: { name: "slack-ops", type: "slack", channel: "#ops", botToken: "xoxb-test-token", signingSecret: "slack-signing", apiUrl: `${target.url}${api}` } });
    const incidentId = await page(t.admin, t.operator, [{ channel: channel.id }]);
    const [call] = await target.waitFor(`${api}/chat.postMessage`);
    expect(call!.headers.authorization).toBe("Bearer xoxb-test-token");
    expect(call!.headers["content-type"]).toMatch(/^application\/json/);
    const body = JSON.parse(call!.body);
    expect(body.channel).toBe("#ops");
    expect(body.text).toContain("Checkout <down> & out");
    const section = body.blocks.find((b: { type: string }) => b.type === "section");
    expect(section.text.text).toContain("Checkout &lt;down&gt; &amp; out");
    expect(section.text.text).toContain(`/incidents/${incidentId}|`);
    const actions = body.blocks.find((b: { type: string }) => b.type === "actions");
    expect(actions.elements.map((e: { action_id: string; value: string }) => [e.action_id, e.value])).toEqual([
      [SLACK_ACTIONS.acknowledge, incidentId],
      [SLACK_ACTIONS.resolve, incidentId],
      [SLACK_ACTIONS.silence1h, incidentId],
      [SLACK_ACTIONS.open, incidentId],
    ]);
    const [row] = await sentOrFailed(incidentId);
    expect(row).toMatchObject({ status: "sent", externalRef: "C0OPS:1700000000.000100" });
  });

  it("a user target gets a direct message at their Slack member id; Slack's ok:false is a failure", async () => {
    const t = await setup();
    const api = `/slack-${randomBytes(3).toString("hex")}`;
    const alice = await makeActor(t.orgId, "operator");
    await db.user.update({ where: { id: alice.id }, data: { slackUserId: "U0ALICE" } });
    target.on(`${api}/chat.postMessage`, { body: { ok: false, error: "channel_not_found" } });
    await createChannel({ actor: t.admin, input: { name: "slack-dm", type: "slack", channel: "#unused", botToken: "xoxb-dm", apiUrl: `${target.url}${api}` } });
    const incidentId = await page(t.admin, t.operator, [{ user: alice.id }]);
    const [call] = await target.waitFor(`${api}/chat.postMessage`);
    expect(JSON.parse(call!.body).channel).toBe("U0ALICE");
    const [row] = await sentOrFailed(incidentId);
    expect(row).toMatchObject({ status: "failed", recipient: `user:${alice.id}`, address: "U0ALICE", attempts: 1, error: expect.stringContaining("channel_not_found") });
  });
});

describe("Microsoft Teams", () => {
  it("posts an Adaptive Card to the webhook", async () => {
    const t = await setup();
    const hook = `/teams-${randomBytes(3).toString("hex")}`;
    target.on(hook, { status: 202, body: "" });
    const channel = await createChannel({ actor: t.admin, input: { name: "teams", type: "teams", webhookUrl: `${target.url}${hook}?sig=secret-part` } });
    expect(channel.config).toEqual({ webhookHost: new URL(target.url).host });
    const incidentId = await page(t.admin, t.operator, [{ channel: channel.id }]);
    const [call] = await target.waitFor(hook);
    const msg = JSON.parse(call!.body);
    expect(msg.type).toBe("message");
    expect(msg.attachments).toHaveLength(1);
    const [att] = msg.attachments;
    expect(att.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(att.content).toMatchObject({ type: "AdaptiveCard", $schema: "http://adaptivecards.io/schemas/adaptive-card.json", version: expect.stringMatching(/^1\.\d$/) });
    expect(att.content.body[0]).toMatchObject({ type: "TextBlock", text: "Checkout <down> & out" });
    expect(att.content.body.find((b: { type: string }) => b.type === "FactSet").facts).toEqual(expect.arrayContaining([{ title: "Severity", value: "critical" }]));
    expect(att.content.actions).toEqual([{ type: "Action.OpenUrl", title: "Open in NeuralOps", url: expect.stringMatching(new RegExp(`/incidents/${incidentId}$`)) }]);
    expect((await sentOrFailed(incidentId))[0]).toMatchObject({ status: "sent", responseStatus: 202 });
  });
});

describe("email", () => {
  it("sends through the channel's SMTP server, to the channel's addresses and to a user target's own address", async () => {
    const t = await setup();
    const bob = await makeActor(t.orgId, "operator");
    const channel = await createChannel({
      actor: t.admin,
      input: { name: "mail", type: "email", to: ["oncall@example.com"], from: "NeuralOps <noreply@example.com>", smtp: { host: "127.0.0.1", port: smtpPort, secure: false } },
    });
    const before = mails.length;
    const incidentId = await page(t.admin, t.operator, [{ channel: channel.id }, { user: bob.id, via: [channel.id] }]);
    await until("two mails", async () => mails.length >= before + 2, 20_000);
    const got = mails.slice(before).sort((a, b) => a.to[0]!.localeCompare(b.to[0]!));
    expect(got.map((m) => m.to)).toEqual([[bob.label], ["oncall@example.com"]].sort((a, b) => a[0]!.localeCompare(b[0]!)));
    for (const m of got) {
      expect(m.from).toBe("noreply@example.com");
      expect(subjectOf(m.raw)).toBe("[CRITICAL] Checkout <down> & out — new incident");
      expect(m.raw).toContain("[CRITICAL] Checkout <down> & out =E2=80=94 new incident");
      expect(m.raw).toContain(`/incidents/${incidentId}`);
    }
    const rows = await sentOrFailed(incidentId, 2);
    expect(rows.every((r) => r.status === "sent")).toBe(true);
  });

  it("the SMTP host is subject to the org's egress policy", async () => {
    const t = await setup();
    await db.organization.update({ where: { id: t.orgId }, data: { egressAllowCidrs: [] } });
    const channel = await createChannel({ actor: t.admin, input: { name: "mail", type: "email", to: ["x@example.com"], smtp: { host: "127.0.0.1", port: smtpPort } } });
    const before = mails.length;
    const incidentId = await page(t.admin, t.operator, [{ channel: channel.id }]);
    const [row] = await sentOrFailed(incidentId);
    expect(row).toMatchObject({ status: "failed", attempts: 1, error: expect.stringMatching(/egress policy denies 127\.0\.0\.1/) });
    expect(mails.length).toBe(before);
  });
});

describe("PagerDuty", () => {
  it("triggers with dedup_key neuralops-<incident>, then resolves the same key when the incident resolves", async () => {
    const t = await setup();
    const base = `/pd-${randomBytes(3).toString("hex")}`;
    target.on(`${base}/v2/enqueue`, { status: 202, body: { status: "success", message: "Event processed" } });
    const channel = await createChannel({ actor: t.admin, input: { name: "pd", type: "pagerduty", routingKey: "R0UTINGKEY0000000000000000000000", url: `${target.url}${base}` } });
    const incidentId = await page(t.admin, t.operator, [{ channel: channel.id }]);
    const [trigger] = await target.waitFor(`${base}/v2/enqueue`);
    const ev = JSON.parse(trigger!.body);
    expect(ev).toMatchObject({
      routing_key: "R0UTINGKEY0000000000000000000000",
      event_action: "trigger",
      dedup_key: `neuralops-${incidentId}`,
      payload: { summary: expect.stringContaining("Checkout <down> & out"), source: "checkout", severity: "critical" },
      links: [{ href: expect.stringMatching(new RegExp(`/incidents/${incidentId}$`)) }],
    });
    await sentOrFailed(incidentId);
    await resolveIncident({ actor: t.operator, id: incidentId, note: "fixed" });
    const calls = await target.waitFor(`${base}/v2/enqueue`, 2);
    expect(JSON.parse(calls[1]!.body)).toEqual({ routing_key: "R0UTINGKEY0000000000000000000000", event_action: "resolve", dedup_key: `neuralops-${incidentId}` });
    await until("resolve recorded", async () => (await db.notificationAttempt.count({ where: { incidentId, event: "incident.resolved", status: "sent" } })) === 1);
    const list = await callRoute(notificationsRoute, { method: "GET", params: { id: incidentId }, headers: bearer(t.token) });
    expect(list.json.attempts.map((a: { event: string; status: string }) => [a.event, a.status])).toEqual([
      ["incident.triggered", "sent"],
      ["incident.resolved", "sent"],
    ]);
  });
});

describe("people and schedules", () => {
  it("a schedule with nobody on call notifies nobody and says so on the timeline", async () => {
    const t = await setup();
    const hook = `/h-${randomBytes(3).toString("hex")}`;
    const c = await createChannel({ actor: t.admin, input: { name: "hook", type: "webhook", url: `${target.url}${hook}` } });
    const empty = await createSchedule({ actor: t.admin, input: { name: `empty-${randomBytes(3).toString("hex")}`, timeZone: "UTC", layers: [] } });
    const incidentId = await page(t.admin, t.operator, [{ schedule: empty.id, via: [c.id] }]);
    const event = await until("notified event", async () => db.incidentEvent.findFirst({ where: { incidentId, type: "notified" } }));
    expect(event.data).toMatchObject({ message: expect.stringContaining("nobody reachable"), problems: [expect.stringContaining("nobody is on call")] });
    expect(target.calls(hook)).toHaveLength(0);
  });
});

describe("channel credentials", () => {
  it("are sealed at rest, never returned, kept when an update omits them, and a webhook secret rotates on request", async () => {
    const t = await setup();
    const hook = `/h-${randomBytes(3).toString("hex")}`;
    const created = await callRoute(createChannelRoute, { headers: bearer(t.token), body: { name: "ops-hook", type: "webhook", url: `${target.url}${hook}` } });
    expect(created.status, created.text).toBe(201);
    const { id, signingSecret } = created.json;
    const slack = await callRoute(createChannelRoute, { headers: bearer(t.token), body: { name: "slack", type: "slack", channel: "#ops", botToken: "xoxb-very-secret" } });
    expect(slack.status, slack.text).toBe(201);
    expect(slack.json).not.toHaveProperty("botToken");

    const rows = await db.notificationChannel.findMany({ where: { orgId: t.orgId } });
    for (const r of rows) {
      expect(r.secretsSealed).toMatch(/^v1\./);
      expect(JSON.stringify(r)).not.toContain(signingSecret.slice(6));
      expect(JSON.stringify(r)).not.toContain("xoxb-very-secret");
    }
    const list = await callRoute(listChannelsRoute, { method: "GET", headers: bearer(t.token) });
    expect(list.text).not.toContain("xoxb-very-secret");
    expect(list.text).not.toContain(signingSecret.slice(6));
    expect(list.json.channels.find((c: { name: string }) => c.name === "slack").credentials).toEqual(["botToken"]);
    const audit = await db.auditEvent.findMany({ where: { orgId: t.orgId, action: { startsWith: "oncall." } } });
    expect(JSON.stringify(audit)).not.toContain("xoxb-very-secret");

    const kept = await callRoute(updateChannelRoute, { method: "PUT", params: { id }, headers: bearer(t.token), body: { name: "ops-hook", type: "webhook", url: `${target.url}${hook}` } });
    expect(kept.status, kept.text).toBe(200);
    expect(kept.json).not.toHaveProperty("signingSecret");
    const rotated = await callRoute(updateChannelRoute, { method: "PUT", params: { id }, headers: bearer(t.token), body: { name: "ops-hook", type: "webhook", url: `${target.url}${hook}`, rotateSigningSecret: true } });
    expect(rotated.json.signingSecret).toMatch(/^whsec_/);
    expect(rotated.json.signingSecret).not.toBe(signingSecret);
    const changedType = await callRoute(updateChannelRoute, { method: "PUT", params: { id }, headers: bearer(t.token), body: { name: "ops-hook", type: "pagerduty", routingKey: "k" } });
    expect(changedType.status).toBe(409);

    // The new secret signs from now on.
    const incidentId = await page(t.admin, t.operator, [{ channel: id }]);
    const [call] = await target.waitFor(hook);
    expect(verifyStandardWebhook(call!.headers, call!.body, rotated.json.signingSecret)).toBe(true);
    expect(verifyStandardWebhook(call!.headers, call!.body, signingSecret)).toBe(false);
    expect(JSON.parse(call!.body).incident.id).toBe(incidentId);

    // A channel a policy uses cannot be deleted; an unused one can.
    expect((await callRoute(deleteChannelRoute, { method: "DELETE", params: { id }, headers: bearer(t.token) })).status).toBe(409);
    expect((await callRoute(deleteChannelRoute, { method: "DELETE", params: { id: slack.json.id }, headers: bearer(t.token) })).status).toBe(200);
  });

  it("refuses bad input with 400 and names that exist with 409", async () => {
    const t = await setup();
    const bad = [
      { name: "x", type: "webhook", url: "ftp://example.com/x" },
      { name: "x", type: "webhook", url: "https://user:pw@example.com/x" },
      { name: "x", type: "webhook", url: "https://example.com/x", signingSecret: "not-whsec" },
      { name: "x", type: "slack", channel: "#ops" },
      { name: "x", type: "pagerduty" },
      { name: "x", type: "email", to: ["not an address"] },
      { name: "x", type: "sms", to: "+1" },
    ];
    for (const body of bad) expect((await callRoute(createChannelRoute, { headers: bearer(t.token), body })).status, JSON.stringify(body)).toBe(400);
    expect((await callRoute(createChannelRoute, { headers: bearer(t.token), body: { name: "dup", type: "webhook", url: "https://example.com/x" } })).status).toBe(201);
    expect((await callRoute(createChannelRoute, { headers: bearer(t.token), body: { name: "dup", type: "webhook", url: "https://example.com/y" } })).status).toBe(409);
    await expect(updateChannel({ actor: t.admin, id: "00000000-0000-4000-8000-000000000000", input: { name: "n", type: "webhook", url: "https://example.com/x" } })).rejects.toMatchObject({ code: "not_found" });
  });
});
