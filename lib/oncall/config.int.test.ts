// Escalation policies, routes, silences and inhibition rules as admins and operators manage them:
// validation, conflicts, audit, and tenant isolation.
import { createSchedule } from "@/lib/oncall/schedules/manage-schedules";
import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { createChannel } from "@/lib/oncall/manage-channels";
import { createPolicy, deletePolicy, getPolicy, updatePolicy } from "@/lib/oncall/manage-policies";
import { createRoute, deleteRoute, listRoutes, updateRoute } from "@/lib/oncall/manage-routes";
import { createSilence, expireSilence, listSilences } from "@/lib/oncall/manage-silences";
import { createInhibitionRule, deleteInhibitionRule, listInhibitionRules } from "@/lib/oncall/manage-inhibitions";
import { pickRoute } from "@/lib/oncall/route-incident";
import { makeActor, makeOrg } from "@/test/factories";

async function setup() {
  const org = await makeOrg("oncfg");
  const admin = await makeActor(org.id, "admin");
  const channel = await createChannel({ actor: admin, input: { name: "hook", type: "webhook", url: "https://example.com/hook" } });
  return { orgId: org.id, admin, operator: await makeActor(org.id, "operator"), approver: await makeActor(org.id, "approver"), channel };
}

const oneStep = (channel: string) => [{ afterMinutes: 0, targets: [{ channel }] }];

describe("escalation policies", () => {
  it("stores fractional minutes as seconds and reads them back; saving replaces the steps", async () => {
    const t = await setup();
    const member = await makeActor(t.orgId, "viewer");
    const schedule = await createSchedule({ actor: t.admin, input: { name: "primary", timeZone: "Europe/Berlin", layers: [] } });
    await expect(
      createPolicy({ actor: t.admin, input: { name: "nowhere", steps: [{ afterMinutes: 0, targets: [{ schedule: randomUUID() }] }] } }),
    ).rejects.toMatchObject({ code: "validation_failed", message: expect.stringContaining("no such schedule") });
    const p = await createPolicy({
      actor: t.admin,
      input: { name: "payments", steps: [{ afterMinutes: 0, targets: [{ channel: t.channel.id }] }, { afterMinutes: 2.5, targets: [{ user: member.id }, { schedule: schedule.id }] }], repeat: 1, repeatAfterMinutes: 10 },
    });
    expect(p).toMatchObject({ repeat: 1, repeatAfterMinutes: 10, steps: [{ afterMinutes: 0 }, { afterMinutes: 2.5, targets: [{ user: member.id }, { schedule: expect.any(String) }] }] });
    expect(await db.escalationStep.findMany({ where: { policyId: p.id }, orderBy: { position: "asc" }, select: { afterSeconds: true } })).toEqual([{ afterSeconds: 0 }, { afterSeconds: 150 }]);
    const updated = await updatePolicy({ actor: t.admin, id: p.id, input: { name: "payments", steps: oneStep(t.channel.id) } });
    expect(updated.steps).toHaveLength(1);
    expect((await getPolicy({ actor: t.admin, id: p.id })).steps).toHaveLength(1);
  });

  it("refuses targets that are not in the organization, steps out of order, and duplicate names", async () => {
    const t = await setup();
    const other = await setup();
    const outsider = await makeActor(other.orgId, "admin");
    await expect(createPolicy({ actor: t.admin, input: { name: "x", steps: oneStep(other.channel.id) } })).rejects.toMatchObject({ code: "validation_failed", message: expect.stringContaining("no such channel") });
    await expect(createPolicy({ actor: t.admin, input: { name: "x", steps: [{ afterMinutes: 0, targets: [{ user: outsider.id }] }] } })).rejects.toMatchObject({ code: "validation_failed" });
    await expect(
      createPolicy({ actor: t.admin, input: { name: "x", steps: [{ afterMinutes: 5, targets: [{ channel: t.channel.id }] }, { afterMinutes: 1, targets: [{ channel: t.channel.id }] }] } }),
    ).rejects.toMatchObject({ name: "ZodError" });
    await createPolicy({ actor: t.admin, input: { name: "dup", steps: oneStep(t.channel.id) } });
    await expect(createPolicy({ actor: t.admin, input: { name: "dup", steps: oneStep(t.channel.id) } })).rejects.toMatchObject({ code: "conflict" });
  });

  it("only admins manage them; a policy in use by a route cannot be deleted", async () => {
    const t = await setup();
    await expect(createPolicy({ actor: t.approver, input: { name: "x", steps: oneStep(t.channel.id) } })).rejects.toMatchObject({ code: "forbidden" });
    const p = await createPolicy({ actor: t.admin, input: { name: "used", steps: oneStep(t.channel.id) } });
    const r = await createRoute({ actor: t.admin, input: { name: "r", policy: p.id } });
    await expect(deletePolicy({ actor: t.admin, id: p.id })).rejects.toMatchObject({ code: "conflict" });
    await deleteRoute({ actor: t.admin, id: r.id });
    await deletePolicy({ actor: t.admin, id: p.id });
  });
});

describe("routes", () => {
  it("are evaluated in position order; one default route per organization takes the rest", async () => {
    const t = await setup();
    const p = await createPolicy({ actor: t.admin, input: { name: "p", steps: oneStep(t.channel.id) } });
    const broad = await createRoute({ actor: t.admin, input: { name: "broad", matchers: [{ label: "team", op: "=~", value: ".+" }], policy: p.id } });
    const narrow = await createRoute({ actor: t.admin, input: { name: "narrow", matchers: [{ label: "team", op: "=", value: "payments" }], policy: p.id } });
    await createRoute({ actor: t.admin, input: { name: "default", policy: p.id, isDefault: true } });
    await expect(createRoute({ actor: t.admin, input: { name: "default2", policy: p.id, isDefault: true } })).rejects.toMatchObject({ code: "conflict" });
    await expect(createRoute({ actor: t.admin, input: { name: "bad", policy: p.id, isDefault: true, matchers: [{ label: "a", op: "=", value: "b" }] } })).rejects.toMatchObject({ name: "ZodError" });
    await expect(createRoute({ actor: t.admin, input: { name: "nopolicy", policy: randomUUID() } })).rejects.toMatchObject({ code: "validation_failed" });

    expect((await listRoutes({ actor: t.admin })).map((r) => [r.name, r.position])).toEqual([["broad", 0], ["narrow", 1], ["default", 2]]);
    expect((await pickRoute(t.orgId, { team: "payments" }))?.name).toBe("broad");
    await updateRoute({ actor: t.admin, id: narrow.id, input: { name: "narrow", matchers: [{ label: "team", op: "=", value: "payments" }], policy: p.id, position: 0 } });
    await updateRoute({ actor: t.admin, id: broad.id, input: { name: "broad", matchers: [{ label: "team", op: "=~", value: ".+" }], policy: p.id, position: 1 } });
    expect((await pickRoute(t.orgId, { team: "payments" }))?.name).toBe("narrow");
    expect((await pickRoute(t.orgId, {}))?.name).toBe("default");
    await updateRoute({ actor: t.admin, id: narrow.id, input: { name: "narrow", matchers: [{ label: "team", op: "=", value: "payments" }], policy: p.id, enabled: false } });
    expect((await pickRoute(t.orgId, { team: "payments" }))?.name).toBe("broad");
  });
});

describe("silences", () => {
  it("operators create and expire them, viewers list them; the audit chain records both", async () => {
    const t = await setup();
    const viewer = await makeActor(t.orgId, "viewer");
    const endsAt = new Date(Date.now() + 3600_000).toISOString();
    await expect(createSilence({ actor: viewer, input: { matchers: [{ label: "a", op: "=", value: "b" }], endsAt, comment: "x" } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(createSilence({ actor: t.operator, input: { matchers: [{ label: "a", op: "=", value: "b" }], endsAt: new Date(Date.now() - 1000).toISOString(), comment: "past" } })).rejects.toMatchObject({ code: "validation_failed" });
    const future = await createSilence({ actor: t.operator, input: { matchers: [{ label: "a", op: "=", value: "b" }], startsAt: new Date(Date.now() + 600_000).toISOString(), endsAt, comment: "later" } });
    expect(future.state).toBe("pending");
    const s = await createSilence({ actor: t.operator, input: { matchers: [{ label: "a", op: "=", value: "b" }], endsAt, comment: "now" } });
    expect((await listSilences({ actor: viewer })).map((x) => x.comment).sort()).toEqual(["later", "now"]);
    expect((await expireSilence({ actor: t.operator, id: s.id })).state).toBe("expired");
    await expect(expireSilence({ actor: t.operator, id: s.id })).rejects.toMatchObject({ code: "conflict" });
    expect((await listSilences({ actor: viewer })).map((x) => x.comment)).toEqual(["later"]);
    expect((await listSilences({ actor: viewer, includeExpired: true })).map((x) => x.comment).sort()).toEqual(["later", "now"]);
    const actions = (await db.auditEvent.findMany({ where: { orgId: t.orgId, action: { startsWith: "oncall.silence" } } })).map((e) => e.action).sort();
    expect(actions).toEqual(["oncall.silence_created", "oncall.silence_created", "oncall.silence_expired"]);
    expect((await verifyAuditChain(t.orgId)).ok).toBe(true);
  });
});

describe("inhibition rules and tenants", () => {
  it("another organization's admin can neither see nor delete this organization's on-call objects", async () => {
    const t = await setup();
    const other = await setup();
    const rule = await createInhibitionRule({
      actor: t.admin,
      input: { name: "node down", sourceMatchers: [{ label: "alertname", op: "=", value: "NodeDown" }], targetMatchers: [{ label: "alertname", op: "=~", value: "Pod.*" }], equal: ["node"] },
    });
    const p = await createPolicy({ actor: t.admin, input: { name: "p", steps: oneStep(t.channel.id) } });
    expect(await listInhibitionRules({ actor: other.admin })).toEqual([]);
    await expect(deleteInhibitionRule({ actor: other.admin, id: rule.id })).rejects.toMatchObject({ code: "not_found" });
    await expect(getPolicy({ actor: other.admin, id: p.id })).rejects.toMatchObject({ code: "not_found" });
    await expect(createRoute({ actor: other.admin, input: { name: "steal", policy: p.id } })).rejects.toMatchObject({ code: "validation_failed" });
    await deleteInhibitionRule({ actor: t.admin, id: rule.id });
    expect(await listInhibitionRules({ actor: t.admin })).toEqual([]);
  });
});
