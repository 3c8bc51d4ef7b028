// Who may read what of the on-call configuration, and the writes the UI adds: route order, inhibition
// rule edits. Policies, routes and inhibition rules hold no credentials: anyone who sees on-call reads
// them (the UI's read-only views); channels' configuration and credentials stay with admins, viewers see
// only their names.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createChannel, listChannelNames, listChannels } from "@/lib/oncall/manage-channels";
import { createPolicy, getPolicy, listPolicies } from "@/lib/oncall/manage-policies";
import { createRoute, listRoutes, moveRoute } from "@/lib/oncall/manage-routes";
import { createInhibitionRule, listInhibitionRules, updateInhibitionRule } from "@/lib/oncall/manage-inhibitions";
import { listSchedules } from "@/lib/oncall/schedules/queries";
import { createSchedule } from "@/lib/oncall/schedules/manage-schedules";
import { GET as listPoliciesRoute } from "@/app/api/v1/escalation-policies/route";
import { GET as listChannelsRoute } from "@/app/api/v1/channels/route";
import { PUT as updateInhibitionRoute } from "@/app/api/v1/inhibition-rules/[id]/route";
import { makeActor, makeOrg } from "@/test/factories";
import { bearer, callRoute, tokenFor } from "@/test/call-route";

async function setup() {
  const org = await makeOrg("ocread");
  const admin = await makeActor(org.id, "admin");
  const viewer = await makeActor(org.id, "viewer");
  const channel = await createChannel({ actor: admin, input: { name: "hook", type: "webhook", url: "https://example.com/hook?key=not-for-viewers" } });
  const policy = await createPolicy({ actor: admin, input: { name: "p", steps: [{ afterMinutes: 0, targets: [{ channel: channel.id }] }] } });
  return { org, admin, viewer, channel, policy };
}

describe("reading on-call configuration", () => {
  it("viewers read policies, routes and inhibition rules, and channel names only", async () => {
    const t = await setup();
    await createRoute({ actor: t.admin, input: { name: "r", matchers: [{ label: "team", op: "=", value: "a" }], policy: t.policy.id } });
    await createInhibitionRule({ actor: t.admin, input: { name: "i", sourceMatchers: [{ label: "a", op: "=", value: "b" }], targetMatchers: [{ label: "c", op: "=", value: "d" }] } });
    expect((await listPolicies({ actor: t.viewer })).map((p) => p.name)).toEqual(["p"]);
    expect((await getPolicy({ actor: t.viewer, id: t.policy.id })).steps).toHaveLength(1);
    expect((await listRoutes({ actor: t.viewer })).map((r) => r.name)).toEqual(["r"]);
    expect((await listInhibitionRules({ actor: t.viewer })).map((r) => r.name)).toEqual(["i"]);
    expect(await listChannelNames({ actor: t.viewer })).toEqual([{ id: t.channel.id, name: "hook", type: "webhook", enabled: true }]);
    await expect(listChannels({ actor: t.viewer })).rejects.toMatchObject({ code: "forbidden" });

    const viewerToken = await tokenFor(t.org.id, "viewer");
    const policies = await callRoute(listPoliciesRoute, { method: "GET", headers: bearer(viewerToken) });
    expect(policies.status).toBe(200);
    expect(policies.text).not.toContain("not-for-viewers");
    expect((await callRoute(listChannelsRoute, { method: "GET", headers: bearer(viewerToken) })).status).toBe(403);
  });

  it("the schedule list says who is on call now and who is next", async () => {
    const t = await setup();
    const [ada, bo] = [await makeActor(t.org.id, "viewer"), await makeActor(t.org.id, "viewer")];
    const startsAt = new Date(Date.now() - 3600_000);
    await createSchedule({ actor: t.admin, input: { name: "s", timeZone: "UTC", layers: [{ rotation: "custom", lengthMinutes: 240, startsAt, participants: [ada.id, bo.id] }] } });
    const [s] = await listSchedules({ actor: t.viewer });
    expect(s!.onCallNow).toMatchObject({ userId: ada.id, until: new Date(startsAt.getTime() + 240 * 60_000) });
    expect(s!.onCallNext).toMatchObject({ userId: bo.id, startsAt: new Date(startsAt.getTime() + 240 * 60_000) });
  });
});

describe("route order", () => {
  it("moves a route up or down, numbers every route, and audits it; only admins may", async () => {
    const t = await setup();
    const mk = (name: string) => createRoute({ actor: t.admin, input: { name, matchers: [{ label: "n", op: "=", value: name }], policy: t.policy.id } });
    const [a, , c] = [await mk("a"), await mk("b"), await mk("c")];
    await expect(moveRoute({ actor: t.viewer, id: c.id, direction: "up" })).rejects.toMatchObject({ code: "forbidden" });
    expect((await moveRoute({ actor: t.admin, id: c.id, direction: "up" })).map((r) => [r.name, r.position])).toEqual([
      ["a", 0],
      ["c", 1],
      ["b", 2],
    ]);
    // Past the top: nothing moves.
    expect((await moveRoute({ actor: t.admin, id: a.id, direction: "up" })).map((r) => r.name)).toEqual(["a", "c", "b"]);
    expect((await listRoutes({ actor: t.viewer })).map((r) => r.name)).toEqual(["a", "c", "b"]);
    expect(await db.auditEvent.count({ where: { orgId: t.org.id, action: "oncall.routes_reordered" } })).toBe(1);
  });
});

describe("inhibition rule edits", () => {
  it("an admin edits a rule in place (audited with before and after); others may not; the API validates", async () => {
    const t = await setup();
    const r = await createInhibitionRule({ actor: t.admin, input: { name: "i", sourceMatchers: [{ label: "a", op: "=", value: "b" }], targetMatchers: [{ label: "c", op: "=", value: "d" }] } });
    const input = { name: "renamed", sourceMatchers: [{ label: "alertname", op: "=" as const, value: "NodeDown" }], targetMatchers: [{ label: "c", op: "=~" as const, value: "d.*" }], equal: ["node"] };
    await expect(updateInhibitionRule({ actor: t.viewer, id: r.id, input })).rejects.toMatchObject({ code: "forbidden" });
    expect(await updateInhibitionRule({ actor: t.admin, id: r.id, input })).toMatchObject({ id: r.id, ...input });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { orgId: t.org.id, action: "oncall.inhibition_updated" } });
    expect(audit.data).toMatchObject({ before: { name: "i" }, after: { name: "renamed" } });
    const adminToken = await tokenFor(t.org.id, "admin");
    const bad = await callRoute(updateInhibitionRoute, { method: "PUT", params: { id: r.id }, headers: bearer(adminToken), body: { ...input, targetMatchers: [] } });
    expect(bad.status).toBe(400);
    const other = await setup();
    const foreign = await callRoute(updateInhibitionRoute, { method: "PUT", params: { id: r.id }, headers: bearer(await tokenFor(other.org.id, "admin")), body: input });
    expect(foreign.status).toBe(404);
  });
});
