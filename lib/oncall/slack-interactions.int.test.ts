// Acting from Slack: button presses signed the way Slack documents it (test/slack.ts) against the real
// interactions route, real PostgreSQL and Redis, a real BullMQ worker delivering the notifications, and
// a local stand-in for Slack's Web API (chat.postMessage, chat.update, chat.postEphemeral).
import "@/test/own-redis-prefix";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import type { Worker } from "bullmq";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { ingestAlertmanagerWebhook } from "@/lib/incidents/alertmanager";
import { createChannel } from "@/lib/oncall/manage-channels";
import { createPolicy } from "@/lib/oncall/manage-policies";
import { createRoute } from "@/lib/oncall/manage-routes";
import { SLACK_ACTIONS } from "@/lib/oncall/senders/slack";
import { handleSlackInteraction } from "@/lib/oncall/slack-interactions";
import { linkSlackAccount, previewSlackLink } from "@/lib/oncall/slack-link";
import { requestRun } from "@/lib/orchestrator/request-run";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { runDryRun } from "@/lib/orchestrator/dry-run";
import { POST as slackLinkRoute } from "@/app/api/v1/me/slack-link/route";
import { GET as runNotificationsRoute } from "@/app/api/v1/runs/[id]/notifications/route";
import { allowTestEgress, makeActor, makeOrg } from "@/test/factories";
import { bearer, callRoute, tokenFor } from "@/test/call-route";
import { startTarget, type Target } from "@/test/target-server";
import { alertDelivery, startOncallWorker } from "@/test/oncall";
import { until } from "@/test/worker-process";
import { blockActions, formBody, press, slackHeaders } from "@/test/slack";
import { playbookYaml, trustNewKey, uploadSigned } from "@/test/playbook-fixtures";

const TEAM = "T0NEURAL";

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

const hex = () => randomBytes(4).toString("hex");

/** An org with a Slack channel whose Web API is the stand-in: every message it posts is <slackChannel>:<ts>. */
async function slackOrg(label = "slk") {
  const org = await makeOrg(label);
  await allowTestEgress(org.id);
  const admin = await makeActor(org.id, "admin");
  const secret = `signing-${hex()}`;
  const api = `/slack-${hex()}`;
  const slackChannel = `C${hex().toUpperCase()}`;
  const ts = `${Math.floor(Date.now() / 1000)}.${hex()}`;
  target.on(`${api}/chat.postMessage`, { body: { ok: true, channel: slackChannel, ts } });
  target.on(`${api}/chat.update`, { body: { ok: true, channel: slackChannel, ts } });
  target.on(`${api}/chat.postEphemeral`, { body: { ok: true, message_ts: "1.2" } });
  const channel = await createChannel({ actor: admin, input: { name: `slack-${hex()}`, type: "slack", channel: "#ops", botToken: "xoxb-test", signingSecret: secret, apiUrl: `${target.url}${api}` } });
  return { org, admin, secret, api, slackChannel, ts, channel };
}
type SlackOrg = Awaited<ReturnType<typeof slackOrg>>;

/** A member linked to a Slack member id of TEAM (the link flow itself is tested below). */
async function linked(orgId: string, role: "viewer" | "operator" | "approver" | "admin") {
  const actor = await makeActor(orgId, role);
  const slackId = `U${hex().toUpperCase()}`;
  await db.user.update({ where: { id: actor.id }, data: { slackUserId: slackId, slackTeamId: TEAM } });
  return { actor, slackId };
}

/** Pages an incident to the org's Slack channel; resolves once the message is posted (its id is the message's). */
async function pagedIncident(s: SlackOrg, operator: Actor) {
  const team = `t${hex()}`;
  const policy = await createPolicy({ actor: s.admin, input: { name: `p-${team}`, steps: [{ afterMinutes: 0, targets: [{ channel: s.channel.id }] }] } });
  await createRoute({ actor: s.admin, input: { name: `r-${team}`, matchers: [{ label: "team", op: "=", value: team }], policy: policy.id } });
  const res = await ingestAlertmanagerWebhook({ actor: operator, payload: alertDelivery({ alertname: `Down${team}`, team, severity: "critical", service: "checkout" }) });
  const incidentId = res.openedIncidents[0]!;
  await until("slack message posted", async () => db.notificationAttempt.findFirst({ where: { incidentId, status: "sent", externalRef: `${s.slackChannel}:${s.ts}` } }), 20_000);
  return incidentId;
}

const pressAs = (s: SlackOrg, slackId: string, actionId: string, value: string, opts: { timestamp?: number; secret?: string } = {}) =>
  press(opts.secret ?? s.secret, { teamId: TEAM, userId: slackId, channelId: s.slackChannel, ts: s.ts, actionId, value }, opts);

const lastCall = (path: string) => {
  const calls = target.calls(path);
  return calls.length ? (JSON.parse(calls[calls.length - 1]!.body) as Record<string, unknown>) : null;
};

async function auditOf(orgId: string, action: string) {
  return db.auditEvent.findMany({ where: { orgId, action }, orderBy: { seq: "asc" } });
}

describe("approvals from Slack", () => {
  it("an approver approves a high-risk run from a signed interaction payload, a second approver's payload completes the quorum, the requester's own payload is refused", async () => {
    const s = await slackOrg("appr");
    const key = await trustNewKey(s.admin);
    const playbook = `risky-${hex()}`;
    await uploadSigned(s.admin, playbookYaml(playbook, "high", [{ id: "pause", action: "wait", with: { duration: "1ms" } }]), key.sign);
    // Approvers are paged through the route that takes approval requests.
    const policy = await createPolicy({ actor: s.admin, input: { name: `approvers-${hex()}`, steps: [{ afterMinutes: 0, targets: [{ channel: s.channel.id }] }] } });
    await createRoute({ actor: s.admin, input: { name: "approvals", matchers: [{ label: "neuralops_event", op: "=", value: "approval_requested" }], policy: policy.id } });
    const requester = await linked(s.org.id, "approver");
    const first = await linked(s.org.id, "approver");
    const second = await linked(s.org.id, "approver");

    const run = await requestRun({ actor: requester.actor, input: { playbook, params: {} } });
    await runDryRun(run.id);
    const request = await until("approval request posted", async () => db.notificationAttempt.findFirst({ where: { runId: run.id, status: "sent" } }), 20_000);
    expect(request).toMatchObject({ event: "run.approval_requested", externalRef: `${s.slackChannel}:${s.ts}`, incidentId: null });
    const posted = lastCall(`${s.api}/chat.postMessage`)!;
    const buttons = (posted.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]).find((b) => b.type === "actions")!.elements!;
    expect(buttons.map((b) => [b.action_id, b.value])).toEqual([
      [SLACK_ACTIONS.approve, run.id],
      [SLACK_ACTIONS.reject, run.id],
      [SLACK_ACTIONS.open, run.id],
    ]);

    // The requester's own approval is refused (high risk: two approvers, neither the requester).
    const own = await pressAs(s, requester.slackId, SLACK_ACTIONS.approve, run.id);
    expect(own.status, own.text).toBe(200);
    expect(own.json).toMatchObject({ ok: false, outcome: "refused", message: expect.stringContaining("someone other than the requester") });
    expect(lastCall(`${s.api}/chat.postEphemeral`)).toMatchObject({ channel: s.slackChannel, user: requester.slackId, text: expect.stringContaining("someone other than the requester") });
    expect((await db.run.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("awaiting_approval");

    const one = await pressAs(s, first.slackId, SLACK_ACTIONS.approve, run.id);
    expect(one.json).toMatchObject({ ok: true, outcome: "approval_recorded" });
    expect((await db.run.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("awaiting_approval");
    const updated = lastCall(`${s.api}/chat.update`)!;
    expect(updated).toMatchObject({ channel: s.slackChannel, ts: s.ts, text: expect.stringContaining("1 of 2 approvals") });

    const two = await pressAs(s, second.slackId, SLACK_ACTIONS.approve, run.id);
    expect(two.json).toMatchObject({ ok: true, outcome: "approved" });
    expect((await db.run.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("approved");
    // The message has no decision buttons left.
    const final = lastCall(`${s.api}/chat.update`)!;
    const finalButtons = (final.blocks as { type: string; elements?: { action_id: string }[] }[]).find((b) => b.type === "actions")!.elements!;
    expect(finalButtons.map((b) => b.action_id)).toEqual([SLACK_ACTIONS.open]);

    const approvals = await db.approval.findMany({ where: { runId: run.id }, orderBy: { createdAt: "asc" } });
    expect(approvals.map((a) => [a.userId, a.decision])).toEqual([
      [`user:${first.actor.id}`, "approved"],
      [`user:${second.actor.id}`, "approved"],
    ]);
    expect(approvals[0]!.userLabel).toBe(`${first.actor.label} (via Slack)`);
    // The chain says who, and that it came from Slack: the refusal, both approvals, the approval.
    const refused = await auditOf(s.org.id, "run.approval_refused");
    expect(refused.map((e) => [e.actorId, (e.data as { reason: string; via: string }).reason, (e.data as { via: string }).via])).toEqual([[requester.actor.id, "self_approval", "slack"]]);
    const recorded = await auditOf(s.org.id, "run.approval_recorded");
    expect(recorded.map((e) => [e.actorId, (e.data as { via: string }).via])).toEqual([
      [first.actor.id, "slack"],
      [second.actor.id, "slack"],
    ]);
    expect((await auditOf(s.org.id, "run.approved")).map((e) => (e.data as { via: string }).via)).toEqual(["slack"]);
    expect(await verifyAuditChain(s.org.id)).toMatchObject({ ok: true });
  });

  it("Reject from Slack rejects the run as the linked approver; a viewer's press is refused by role", async () => {
    const s = await slackOrg("rej");
    const key = await trustNewKey(s.admin);
    const playbook = `medium-${hex()}`;
    await uploadSigned(s.admin, playbookYaml(playbook, "medium", [{ id: "pause", action: "wait", with: { duration: "1ms" } }]), key.sign);
    const policy = await createPolicy({ actor: s.admin, input: { name: `approvers-${hex()}`, steps: [{ afterMinutes: 0, targets: [{ channel: s.channel.id }] }] } });
    await createRoute({ actor: s.admin, input: { name: "approvals", matchers: [{ label: "neuralops_event", op: "=", value: "approval_requested" }, { label: "risk", op: "=~", value: "medium|high" }], policy: policy.id } });
    const operator = await makeActor(s.org.id, "operator");
    const viewer = await linked(s.org.id, "viewer");
    const approver = await linked(s.org.id, "approver");
    const run = await requestRun({ actor: operator, input: { playbook, params: {} } });
    await runDryRun(run.id);
    await until("approval request posted", async () => db.notificationAttempt.findFirst({ where: { runId: run.id, status: "sent" } }), 20_000);

    const denied = await pressAs(s, viewer.slackId, SLACK_ACTIONS.approve, run.id);
    expect(denied.json).toMatchObject({ ok: false, outcome: "refused" });
    expect(lastCall(`${s.api}/chat.postEphemeral`)).toMatchObject({ user: viewer.slackId, text: expect.stringContaining("your role in NeuralOps (viewer)") });
    const rejected = await pressAs(s, approver.slackId, SLACK_ACTIONS.reject, run.id);
    expect(rejected.json).toMatchObject({ ok: true, outcome: "rejected" });
    expect(await db.run.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({ status: "rejected" });
    expect((await auditOf(s.org.id, "run.rejected")).map((e) => [e.actorId, (e.data as { via: string }).via])).toEqual([[approver.actor.id, "slack"]]);
  });
});

describe("the signature is the only credential", () => {
  async function setup() {
    const s = await slackOrg("sig");
    const operator = await makeActor(s.org.id, "operator");
    const member = await linked(s.org.id, "operator");
    const incidentId = await pagedIncident(s, operator);
    return { s, member, incidentId };
  }
  const stillOpen = async (incidentId: string) => expect((await db.incident.findUniqueOrThrow({ where: { id: incidentId } })).status).toBe("open");

  it("a bad signature, a missing one, or a body changed after signing is 401 and does nothing", async () => {
    const { s, member, incidentId } = await setup();
    const p = { teamId: TEAM, userId: member.slackId, channelId: s.slackChannel, ts: s.ts, actionId: SLACK_ACTIONS.acknowledge, value: incidentId };
    const wrong = await press("not-the-secret", p);
    expect(wrong.status, wrong.text).toBe(401);
    expect(wrong.json.error.code).toBe("unauthenticated");

    const body = formBody(blockActions(p));
    const headers = slackHeaders(s.secret, body);
    const { ["x-slack-signature"]: _sig, ...unsigned } = headers;
    const route = (await import("@/app/api/v1/integrations/slack/interactions/route")).POST;
    expect((await callRoute(route, { headers: unsigned, body })).status).toBe(401);
    const tampered = formBody(blockActions({ ...p, userId: "U0SOMEONEELSE" }));
    expect((await callRoute(route, { headers, body: tampered })).status).toBe(401);
    await stillOpen(incidentId);
  });

  it("a stale timestamp is 401, and so is a replay of an accepted payload, inside the window and after it", async () => {
    const { s, member, incidentId } = await setup();
    const p = { teamId: TEAM, userId: member.slackId, channelId: s.slackChannel, ts: s.ts, actionId: SLACK_ACTIONS.acknowledge, value: incidentId };
    const stale = await press(s.secret, p, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    expect(stale.status, stale.text).toBe(401);
    const future = await press(s.secret, p, { timestamp: Math.floor(Date.now() / 1000) + 301 });
    expect(future.status, future.text).toBe(401);
    await stillOpen(incidentId);

    // The same signed request, captured and sent again.
    const body = formBody(blockActions({ ...p, actionId: SLACK_ACTIONS.silence1h }));
    const headers = slackHeaders(s.secret, body);
    const raw = new TextEncoder().encode(body);
    const once = await handleSlackInteraction({ rawBody: raw, timestamp: headers["x-slack-request-timestamp"], signature: headers["x-slack-signature"] });
    expect(once).toMatchObject({ ok: true, outcome: "silenced" });
    await expect(handleSlackInteraction({ rawBody: raw, timestamp: headers["x-slack-request-timestamp"], signature: headers["x-slack-signature"] })).rejects.toMatchObject({ code: "unauthenticated" });
    await expect(
      handleSlackInteraction({ rawBody: raw, timestamp: headers["x-slack-request-timestamp"], signature: headers["x-slack-signature"], now: new Date(Date.now() + 6 * 60_000) }),
    ).rejects.toMatchObject({ code: "unauthenticated", message: expect.stringContaining("stale") });
    expect(await db.silence.count({ where: { orgId: s.org.id } })).toBe(1);
  });

  it("another organization's signing secret never acts on this organization's incident", async () => {
    const { s, member, incidentId } = await setup();
    // The other org's admin knows their own channel's signing secret, and signs a press on this org's message.
    const other = await slackOrg("evil");
    const forged = await pressAs(s, member.slackId, SLACK_ACTIONS.acknowledge, incidentId, { secret: other.secret });
    expect(forged.status, forged.text).toBe(401);
    await stillOpen(incidentId);

    // Even when their channel claims the very same Slack message (their "Slack API" answered with it),
    // a request their secret verifies can only act on their own notification's incident.
    const otherOperator = await makeActor(other.org.id, "operator");
    const theirIncident = await pagedIncident(other, otherOperator);
    await db.notificationAttempt.updateMany({ where: { incidentId: theirIncident }, data: { externalRef: `${s.slackChannel}:${s.ts}` } });
    const collided = await pressAs(s, member.slackId, SLACK_ACTIONS.acknowledge, incidentId, { secret: other.secret });
    expect(collided.status, collided.text).toBe(200);
    expect(collided.json).toMatchObject({ ok: false, outcome: "refused", message: expect.stringContaining("does not belong") });
    await stillOpen(incidentId);
    // And this org's own secret still works on this org's incident, with the message claimed twice.
    const mine = await pressAs(s, member.slackId, SLACK_ACTIONS.acknowledge, incidentId);
    expect(mine.json).toMatchObject({ ok: true, outcome: "acknowledged" });
    expect((await db.incident.findUniqueOrThrow({ where: { id: theirIncident } })).status).toBe("open");
  });

  it("a button whose value is not the message's own incident is refused", async () => {
    const { s, member, incidentId } = await setup();
    const operator = await makeActor(s.org.id, "operator");
    const elsewhere = (await ingestAlertmanagerWebhook({ actor: operator, payload: alertDelivery({ alertname: `Other${hex()}`, team: `u${hex()}` }) })).openedIncidents[0]!;
    const res = await pressAs(s, member.slackId, SLACK_ACTIONS.acknowledge, elsewhere);
    expect(res.json).toMatchObject({ ok: false, outcome: "refused" });
    await stillOpen(elsewhere);
    await stillOpen(incidentId);
  });
});

describe("incidents from Slack", () => {
  it("Acknowledge acts as the linked member, stops the escalation, and updates the message", async () => {
    const s = await slackOrg("ack");
    const operator = await makeActor(s.org.id, "operator");
    const member = await linked(s.org.id, "operator");
    const incidentId = await pagedIncident(s, operator);
    const res = await pressAs(s, member.slackId, SLACK_ACTIONS.acknowledge, incidentId);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ ok: true, outcome: "acknowledged" });
    expect(await db.incident.findUniqueOrThrow({ where: { id: incidentId } })).toMatchObject({ status: "acknowledged", acknowledgedBy: `${member.actor.label} (via Slack)` });
    const update = lastCall(`${s.api}/chat.update`)!;
    expect(update).toMatchObject({ channel: s.slackChannel, ts: s.ts, text: expect.stringContaining("acknowledged by") });
    const buttons = (update.blocks as { type: string; elements?: { action_id: string }[] }[]).find((b) => b.type === "actions")!.elements!.map((b) => b.action_id);
    expect(buttons).toEqual([SLACK_ACTIONS.resolve, SLACK_ACTIONS.silence1h, SLACK_ACTIONS.open]);
    expect((await auditOf(s.org.id, "incident.acknowledged")).map((e) => [e.actorId, (e.data as { via: string }).via])).toEqual([[member.actor.id, "slack"]]);
    await until("escalation stopped", async () => (await db.incidentPage.findUnique({ where: { incidentId } }))?.status === "acknowledged", 20_000);
  });

  it("Silence 1 h creates a silence on the incident's labels and stops its paging; Resolve resolves", async () => {
    const s = await slackOrg("sil");
    const operator = await makeActor(s.org.id, "operator");
    const member = await linked(s.org.id, "operator");
    const incidentId = await pagedIncident(s, operator);
    const before = Date.now();
    const res = await pressAs(s, member.slackId, SLACK_ACTIONS.silence1h, incidentId);
    expect(res.json).toMatchObject({ ok: true, outcome: "silenced" });
    const [silence] = await db.silence.findMany({ where: { orgId: s.org.id } });
    const labels = (await db.incident.findUniqueOrThrow({ where: { id: incidentId } })).labels as Record<string, string>;
    expect(silence!.matchers).toEqual(Object.entries(labels).map(([label, value]) => ({ label, op: "=", value })));
    expect(silence!.endsAt.getTime() - before).toBeGreaterThanOrEqual(3600_000 - 1000);
    expect(silence!.endsAt.getTime() - before).toBeLessThanOrEqual(3600_000 + 60_000);
    expect(silence!.createdById).toBe(member.actor.id);
    expect(await db.incidentPage.findUniqueOrThrow({ where: { incidentId } })).toMatchObject({ status: "silenced", silenceId: silence!.id, nextAt: null });
    expect((await auditOf(s.org.id, "oncall.silence_created")).map((e) => (e.data as { via: string }).via)).toEqual(["slack"]);

    const resolved = await pressAs(s, member.slackId, SLACK_ACTIONS.resolve, incidentId);
    expect(resolved.json).toMatchObject({ ok: true, outcome: "resolved" });
    expect(await db.incident.findUniqueOrThrow({ where: { id: incidentId } })).toMatchObject({ status: "resolved", resolvedBy: `${member.actor.label} (via Slack)` });
    const buttons = (lastCall(`${s.api}/chat.update`)!.blocks as { type: string; elements?: { action_id: string }[] }[]).find((b) => b.type === "actions")!.elements!.map((b) => b.action_id);
    expect(buttons).toEqual([SLACK_ACTIONS.open]);
  });

  it("refuses, privately, a viewer and someone who is not a member of the incident's organization", async () => {
    const s = await slackOrg("ref");
    const operator = await makeActor(s.org.id, "operator");
    const viewer = await linked(s.org.id, "viewer");
    const incidentId = await pagedIncident(s, operator);
    const v = await pressAs(s, viewer.slackId, SLACK_ACTIONS.acknowledge, incidentId);
    expect(v.json).toMatchObject({ ok: false, outcome: "refused" });
    expect(lastCall(`${s.api}/chat.postEphemeral`)).toMatchObject({ user: viewer.slackId, text: expect.stringContaining("(viewer)") });

    const outsiderOrg = await makeOrg("out");
    const outsider = await linked(outsiderOrg.id, "admin");
    const o = await pressAs(s, outsider.slackId, SLACK_ACTIONS.acknowledge, incidentId);
    expect(o.json).toMatchObject({ ok: false, outcome: "refused", message: expect.stringContaining("not a member") });
    expect((await db.incident.findUniqueOrThrow({ where: { id: incidentId } })).status).toBe("open");
  });
});

describe("linking a Slack member", () => {
  it("an unlinked member gets a one-time link privately; the signed-in user who confirms it becomes that member; then their presses act", async () => {
    const s = await slackOrg("link");
    const operator = await makeActor(s.org.id, "operator");
    const incidentId = await pagedIncident(s, operator);
    const alice = await makeActor(s.org.id, "operator");
    const slackId = `U${hex().toUpperCase()}`;

    const first = await pressAs(s, slackId, SLACK_ACTIONS.acknowledge, incidentId);
    expect(first.json).toMatchObject({ ok: false, outcome: "link_required" });
    const reply = lastCall(`${s.api}/chat.postEphemeral`)!;
    expect(reply).toMatchObject({ channel: s.slackChannel, user: slackId });
    const url = /<(https?:\/\/[^|>]+\/oncall\/link-slack\/(nsl_[A-Za-z0-9_-]{43}))\|/.exec(String(reply.text));
    expect(url, String(reply.text)).not.toBeNull();
    const token = url![2]!;
    expect(JSON.stringify(await db.slackLinkToken.findMany({ where: { orgId: s.org.id } }))).not.toContain(token);
    expect((await db.incident.findUniqueOrThrow({ where: { id: incidentId } })).status).toBe("open");

    // An API token never links a person; the page (a session) does.
    const apiToken = await tokenFor(s.org.id, "operator");
    const viaToken = await callRoute(slackLinkRoute, { headers: bearer(apiToken), body: { token } });
    expect(viaToken.status, viaToken.text).toBe(403);
    // Someone signed in to another organization is told to switch, and nothing is linked.
    const otherOrg = await makeOrg("elsewhere");
    const stranger = await makeActor(otherOrg.id, "admin");
    expect((await previewSlackLink({ actor: stranger, token })).sameOrg).toBe(false);
    await expect(linkSlackAccount({ actor: stranger, token })).rejects.toMatchObject({ code: "forbidden" });

    expect(await previewSlackLink({ actor: alice, token })).toMatchObject({ sameOrg: true, slack: { teamId: TEAM, userId: slackId }, channel: s.channel.name });
    expect(await linkSlackAccount({ actor: alice, token })).toMatchObject({ linked: true, slack: { teamId: TEAM, userId: slackId } });
    expect(await db.user.findUniqueOrThrow({ where: { id: alice.id } })).toMatchObject({ slackUserId: slackId, slackTeamId: TEAM });
    await expect(linkSlackAccount({ actor: alice, token })).rejects.toMatchObject({ code: "not_found" });
    expect((await auditOf(s.org.id, "user.slack_linked")).map((e) => [e.actorId, (e.data as { slackUserId: string }).slackUserId])).toEqual([[alice.id, slackId]]);

    const second = await pressAs(s, slackId, SLACK_ACTIONS.acknowledge, incidentId);
    expect(second.json).toMatchObject({ ok: true, outcome: "acknowledged" });
    expect((await db.incident.findUniqueOrThrow({ where: { id: incidentId } })).acknowledgedBy).toBe(`${alice.label} (via Slack)`);
  });

  it("an expired link does nothing", async () => {
    const s = await slackOrg("exp");
    const operator = await makeActor(s.org.id, "operator");
    const incidentId = await pagedIncident(s, operator);
    const slackId = `U${hex().toUpperCase()}`;
    await pressAs(s, slackId, SLACK_ACTIONS.acknowledge, incidentId);
    const token = /\/oncall\/link-slack\/(nsl_[A-Za-z0-9_-]{43})/.exec(String(lastCall(`${s.api}/chat.postEphemeral`)!.text))![1]!;
    await db.slackLinkToken.updateMany({ where: { orgId: s.org.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const bob = await makeActor(s.org.id, "operator");
    await expect(linkSlackAccount({ actor: bob, token })).rejects.toMatchObject({ code: "not_found" });
    expect((await db.user.findUniqueOrThrow({ where: { id: bob.id } })).slackUserId).toBeNull();
  });
});

describe("approvers are paged", () => {
  it("only a route naming neuralops_event takes approval requests; the run's notifications say who was asked", async () => {
    const s = await slackOrg("page");
    const key = await trustNewKey(s.admin);
    const playbook = `low-${hex()}`;
    await uploadSigned(s.admin, playbookYaml(playbook, "low", [{ id: "pause", action: "wait", with: { duration: "1ms" } }]), key.sign);
    const operator = await makeActor(s.org.id, "operator");
    // A default route pages every incident; it must not page for approvals.
    const incidents = await createPolicy({ actor: s.admin, input: { name: `incidents-${hex()}`, steps: [{ afterMinutes: 0, targets: [{ channel: s.channel.id }] }] } });
    await createRoute({ actor: s.admin, input: { name: "default", isDefault: true, policy: incidents.id } });
    // So must an incident route whose matchers happen to match anything.
    await createRoute({ actor: s.admin, input: { name: "catch-all", matchers: [{ label: "severity", op: "=~", value: ".*" }], policy: incidents.id } });
    const quiet = await requestRun({ actor: operator, input: { playbook, params: {} } });
    await runDryRun(quiet.id);
    expect(await db.notificationAttempt.count({ where: { runId: quiet.id } })).toBe(0);

    const approverUser = await makeActor(s.org.id, "approver");
    await db.user.update({ where: { id: approverUser.id }, data: { slackUserId: "U0APPROVER", slackTeamId: TEAM } });
    const wh = `/wh-${hex()}`;
    const hook = await createChannel({ actor: s.admin, input: { name: `hook-${hex()}`, type: "webhook", url: `${target.url}${wh}` } });
    const pd = await createChannel({ actor: s.admin, input: { name: `pd-${hex()}`, type: "pagerduty", routingKey: "R0UTING", url: `${target.url}/pd-${hex()}` } });
    const approvers = await createPolicy({
      actor: s.admin,
      input: {
        name: `approvers-${hex()}`,
        steps: [
          { afterMinutes: 0, targets: [{ user: approverUser.id, via: [s.channel.id] }, { channel: hook.id }, { channel: pd.id }] },
          { afterMinutes: 5, targets: [{ channel: s.channel.id }] },
        ],
      },
    });
    await createRoute({ actor: s.admin, input: { name: "approvals", position: 0, matchers: [{ label: "neuralops_event", op: "=", value: "approval_requested" }, { label: "playbook", op: "=", value: playbook }], policy: approvers.id } });
    const run = await requestRun({ actor: operator, input: { playbook, params: {} } });
    await runDryRun(run.id);
    await until("approval requests sent", async () => (await db.notificationAttempt.count({ where: { runId: run.id, status: "sent" } })) === 2, 20_000);
    // Only the first step, once: a direct message to the approver and the webhook; PagerDuty is not asked.
    const sent = await db.notificationAttempt.findMany({ where: { runId: run.id } });
    expect(sent.map((a) => [a.channelType, a.recipient, a.address]).sort()).toEqual([
      ["slack", `user:${approverUser.id}`, "U0APPROVER"],
      ["webhook", "channel", null],
    ]);
    expect(target.calls(`${s.api}/chat.postMessage`).some((c) => JSON.parse(c.body).channel === "U0APPROVER")).toBe(true);
    const [delivery] = await target.waitFor(wh);
    expect(JSON.parse(delivery!.body)).toMatchObject({ type: "run.approval_requested", run: { id: run.id, playbook, risk: "low", status: "awaiting_approval", url: expect.stringMatching(new RegExp(`/runs/${run.id}$`)) } });
    const [paged] = await auditOf(s.org.id, "run.approvers_paged");
    expect(paged).toMatchObject({
      targetId: run.id,
      data: { route: { name: "approvals" }, recipients: [`${approverUser.label} via ${s.channel.name}`, hook.name], problems: [expect.stringContaining("PagerDuty")] },
    });

    const viewer = await tokenFor(s.org.id, "viewer");
    const list = await callRoute(runNotificationsRoute, { method: "GET", params: { id: run.id }, headers: bearer(viewer) });
    expect(list.status, list.text).toBe(200);
    expect(list.json.attempts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ status: "sent", event: "run.approval_requested", user: { id: approverUser.id, email: approverUser.label, name: "approver" }, channel: expect.objectContaining({ type: "slack" }) }),
        expect.objectContaining({ status: "sent", user: null, recipient: "channel", channel: expect.objectContaining({ type: "webhook" }) }),
      ]),
    );
    // Another org sees nothing of it.
    const other = await makeOrg("other");
    expect((await callRoute(runNotificationsRoute, { method: "GET", params: { id: run.id }, headers: bearer(await tokenFor(other.id, "admin")) })).status).toBe(404);
  });
});
