// One-time acknowledge links in people's notifications: sent by email (a real SMTP stand-in), Teams and
// webhooks by a real worker, then used through the public route handlers. GET never acknowledges;
// POST does, once, as the recipient, within 24 hours.
import "@/test/own-redis-prefix";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import type { Worker } from "bullmq";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { ingestAlertmanagerWebhook } from "@/lib/incidents/alertmanager";
import { createChannel } from "@/lib/oncall/manage-channels";
import { createPolicy } from "@/lib/oncall/manage-policies";
import { createRoute } from "@/lib/oncall/manage-routes";
import { createAckLink } from "@/lib/oncall/action-links";
import { GET as previewRoute, POST as actRoute } from "@/app/api/v1/oncall/act/[token]/route";
import { allowTestEgress, makeActor, makeOrg } from "@/test/factories";
import { callRoute } from "@/test/call-route";
import { startTarget, type Target } from "@/test/target-server";
import { alertDelivery, startOncallWorker } from "@/test/oncall";
import { until } from "@/test/worker-process";

let target: Target;
let worker: Worker;
let smtp: SMTPServer;
let smtpPort: number;
const mails: { to: string[]; raw: string }[] = [];

beforeAll(async () => {
  target = await startTarget();
  worker = startOncallWorker();
  smtp = new SMTPServer({
    authOptional: true,
    hideSTARTTLS: true,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") });
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

const hex = () => randomBytes(4).toString("hex");
const LINK = /\/oncall\/act\/(noa_[A-Za-z0-9_-]{43})/;

/** The mail as a reader sees it: quoted-printable soft line breaks joined and =XX decoded. */
const readable = (raw: string) => raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

async function setup() {
  const org = await makeOrg("act");
  await allowTestEgress(org.id);
  const admin = await makeActor(org.id, "admin");
  const operator = await makeActor(org.id, "operator");
  return { orgId: org.id, admin, operator };
}

async function page(admin: Actor, operator: Actor, targets: unknown[]) {
  const team = `t${hex()}`;
  const policy = await createPolicy({ actor: admin, input: { name: `p-${team}`, steps: [{ afterMinutes: 0, targets: targets as never }] } });
  await createRoute({ actor: admin, input: { name: `r-${team}`, matchers: [{ label: "team", op: "=", value: team }], policy: policy.id } });
  const res = await ingestAlertmanagerWebhook({ actor: operator, payload: alertDelivery({ alertname: `Down${team}`, team, severity: "critical" }) });
  return res.openedIncidents[0]!;
}

const act = (token: string, method: "GET" | "POST" = "POST") => callRoute(method === "GET" ? previewRoute : actRoute, { method, params: { token }, path: `/api/v1/oncall/act/${token}` });

describe("email links", () => {
  it("a person's mail carries a link that acknowledges as them: GET changes nothing, POST acknowledges once, a second POST is refused", async () => {
    const t = await setup();
    const bob = await makeActor(t.orgId, "operator");
    const mail = await createChannel({ actor: t.admin, input: { name: "mail", type: "email", to: ["team@example.com"], smtp: { host: "127.0.0.1", port: smtpPort, secure: false } } });
    const before = mails.length;
    const incidentId = await page(t.admin, t.operator, [{ user: bob.id, via: [mail.id] }, { channel: mail.id }]);
    await until("two mails", async () => mails.length >= before + 2, 20_000);
    const got = mails.slice(before);
    const toBob = readable(got.find((m) => m.to[0] === bob.label)!.raw);
    const toTeam = readable(got.find((m) => m.to[0] === "team@example.com")!.raw);
    // Only the person's notification can act as someone; the team mailbox's has no link.
    expect(toTeam).not.toMatch(LINK);
    const token = LINK.exec(toBob)![1]!;
    expect(toBob).toContain(`Acknowledge (one click, valid 24 h, works once): `);
    expect(JSON.stringify(await db.actionLink.findMany({ where: { orgId: t.orgId } }))).not.toContain(token);

    // A link scanner or preview fetching the page (or the API's GET) acknowledges nothing.
    const preview = await act(token, "GET");
    expect(preview.status, preview.text).toBe(200);
    expect(preview.json).toMatchObject({ action: "ack", via: "email", as: { email: bob.label }, incident: { id: incidentId, status: "open" } });
    expect((await db.incident.findUniqueOrThrow({ where: { id: incidentId } })).status).toBe("open");

    const done = await act(token);
    expect(done.status, done.text).toBe(200);
    expect(done.json).toMatchObject({ acknowledged: true, incident: { id: incidentId, status: "acknowledged" } });
    expect(await db.incident.findUniqueOrThrow({ where: { id: incidentId } })).toMatchObject({ status: "acknowledged", acknowledgedBy: `${bob.label} (via email link)` });
    const [audit] = await db.auditEvent.findMany({ where: { orgId: t.orgId, action: "incident.acknowledged" } });
    expect(audit).toMatchObject({ actorType: "user", actorId: bob.id, data: { via: "email" } });
    await until("escalation stopped", async () => (await db.incidentPage.findUnique({ where: { incidentId } }))?.status === "acknowledged", 20_000);

    const again = await act(token);
    expect(again.status, again.text).toBe(404);
    expect((await act(token, "GET")).status).toBe(404);
  });

  it("an expired link, an unknown one and a malformed one are refused", async () => {
    const t = await setup();
    const bob = await makeActor(t.orgId, "operator");
    const incidentId = (await ingestAlertmanagerWebhook({ actor: t.operator, payload: alertDelivery({ alertname: `X${hex()}`, team: `t${hex()}` }) })).openedIncidents[0]!;
    const expired = await createAckLink({ orgId: t.orgId, incidentId, userId: bob.id, via: "email", now: new Date(Date.now() - 25 * 3600_000) });
    const token = LINK.exec(expired)![1]!;
    expect((await act(token)).status).toBe(404);
    expect((await act(token, "GET")).status).toBe(404);
    expect((await act(`noa_${"x".repeat(43)}`)).status).toBe(404);
    expect((await act("noa_short")).status).toBe(400);
    expect((await db.incident.findUniqueOrThrow({ where: { id: incidentId } })).status).toBe("open");
  });

  it("acts with the person's role now: a demoted person's link is refused and stays unused; a removed member's too", async () => {
    const t = await setup();
    const carol = await makeActor(t.orgId, "operator");
    const incidentId = (await ingestAlertmanagerWebhook({ actor: t.operator, payload: alertDelivery({ alertname: `Y${hex()}`, team: `t${hex()}` }) })).openedIncidents[0]!;
    const token = LINK.exec(await createAckLink({ orgId: t.orgId, incidentId, userId: carol.id, via: "teams" }))![1]!;
    await db.membership.update({ where: { orgId_userId: { orgId: t.orgId, userId: carol.id } }, data: { role: "viewer" } });
    const demoted = await act(token);
    expect(demoted.status, demoted.text).toBe(403);
    expect(await db.actionLink.findFirst({ where: { userId: carol.id } })).toMatchObject({ usedAt: null });
    await db.membership.delete({ where: { orgId_userId: { orgId: t.orgId, userId: carol.id } } });
    expect((await act(token)).status).toBe(403);
    expect((await db.incident.findUniqueOrThrow({ where: { id: incidentId } })).status).toBe("open");
  });

  it("two simultaneous POSTs of one link acknowledge once", async () => {
    const t = await setup();
    const dan = await makeActor(t.orgId, "operator");
    const incidentId = (await ingestAlertmanagerWebhook({ actor: t.operator, payload: alertDelivery({ alertname: `Z${hex()}`, team: `t${hex()}` }) })).openedIncidents[0]!;
    const token = LINK.exec(await createAckLink({ orgId: t.orgId, incidentId, userId: dan.id, via: "email" }))![1]!;
    const results = await Promise.all([act(token), act(token), act(token)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 404, 404]);
    expect(await db.auditEvent.count({ where: { orgId: t.orgId, action: "incident.acknowledged" } })).toBe(1);
  });
});

describe("Teams and webhook links", () => {
  it("a person's Teams card has an Acknowledge button to the link; a person's webhook body has actions.ack", async () => {
    const t = await setup();
    const erin = await makeActor(t.orgId, "operator");
    const hook = `/teams-${hex()}`;
    const wh = `/wh-${hex()}`;
    target.on(hook, { status: 202, body: "" });
    const teams = await createChannel({ actor: t.admin, input: { name: "teams", type: "teams", webhookUrl: `${target.url}${hook}` } });
    const webhook = await createChannel({ actor: t.admin, input: { name: "hook", type: "webhook", url: `${target.url}${wh}` } });
    const incidentId = await page(t.admin, t.operator, [{ user: erin.id, via: [teams.id, webhook.id] }]);
    const [card] = await target.waitFor(hook);
    const actions = JSON.parse(card!.body).attachments[0].content.actions as { type: string; title: string; url: string }[];
    // makeActor names people after their role.
    expect(actions.map((a) => a.title)).toEqual(["Acknowledge as operator", "Open in NeuralOps"]);
    const teamsToken = LINK.exec(actions[0]!.url)![1]!;
    const [body] = await target.waitFor(wh);
    const payload = JSON.parse(body!.body);
    expect(payload).toMatchObject({ type: "incident.triggered", user: { id: erin.id }, actions: { ack: expect.stringMatching(LINK) } });
    const webhookToken = LINK.exec(payload.actions.ack)![1]!;
    expect(webhookToken).not.toBe(teamsToken);

    expect((await act(webhookToken)).status).toBe(200);
    expect((await db.auditEvent.findFirstOrThrow({ where: { orgId: t.orgId, action: "incident.acknowledged" } })).data).toMatchObject({ via: "webhook" });
    // The incident is no longer open: the other link has nothing left to do.
    expect((await act(teamsToken)).status).toBe(409);
    expect(incidentId).toBeTruthy();
  });
});
