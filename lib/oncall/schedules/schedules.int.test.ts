// On-call schedules through their API routes, on the real database: writes, who is on call, overrides,
// roles, organizations, and the calendar feeds with their secret links.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { systemActor, type Actor } from "@/lib/context";
import { createApiToken } from "@/lib/tokens/create-api-token";
import { removeMember } from "@/lib/users/remove-member";
import { onCallAt } from "@/lib/oncall/schedules/on-call";
import { makeActor, makeOrg } from "@/test/factories";
import { bearer, callRoute } from "@/test/call-route";
import { validateICalendar } from "@/test/ical-validate";
import { GET as listRoute, POST as createRoute } from "@/app/api/v1/schedules/route";
import { GET as getRoute, PUT as putRoute, DELETE as deleteRoute } from "@/app/api/v1/schedules/[id]/route";
import { POST as overrideRoute } from "@/app/api/v1/schedules/[id]/overrides/route";
import { DELETE as deleteOverrideRoute } from "@/app/api/v1/schedules/[id]/overrides/[overrideId]/route";
import { GET as oncallRoute } from "@/app/api/v1/schedules/[id]/oncall/route";
import { GET as shiftsRoute } from "@/app/api/v1/schedules/[id]/shifts/route";
import { GET as icalRoute } from "@/app/api/v1/schedules/[id]/ical/route";
import { POST as icalTokenRoute, DELETE as icalRevokeRoute } from "@/app/api/v1/schedules/[id]/ical/token/route";
import { GET as userIcalRoute } from "@/app/api/v1/users/[userId]/oncall.ical/route";
import { POST as userIcalTokenRoute, DELETE as userIcalRevokeRoute } from "@/app/api/v1/users/[userId]/oncall.ical/token/route";

type Org = { id: string; admin: string; operator: string; viewer: string; ada: Actor; bo: Actor; cy: Actor };

/** A person's token: acts for that member with their role. */
async function tokenOf(member: Actor, role: "viewer" | "operator" | "approver" | "admin" = member.role as "viewer") {
  const { token } = await createApiToken({ actor: systemActor("test", member.orgId), ownerEmail: member.label!, input: { name: `t-${randomUUID().slice(0, 6)}`, role } });
  return token;
}

async function setupOrg(label: string): Promise<Org> {
  const org = await makeOrg(label);
  const [adminUser, operatorUser, viewerUser] = [await makeActor(org.id, "admin"), await makeActor(org.id, "operator"), await makeActor(org.id, "viewer")];
  const [ada, bo, cy] = [await makeActor(org.id, "viewer"), await makeActor(org.id, "viewer"), await makeActor(org.id, "operator")];
  await db.user.update({ where: { id: ada.id }, data: { name: "Ada Lovelace" } });
  await db.user.update({ where: { id: bo.id }, data: { name: "Bo, the second" } });
  return { id: org.id, admin: await tokenOf(adminUser), operator: await tokenOf(operatorUser), viewer: await tokenOf(viewerUser), ada, bo, cy };
}

// Daily at 09:00 Berlin from Friday 27 March 2026 (Ada, Bo); business hours on weekdays: Cy.
function berlinBody(o: Org, name = `Primary ${randomUUID().slice(0, 6)}`) {
  return {
    name,
    timeZone: "Europe/Berlin",
    description: "Primary on-call",
    layers: [
      { rotation: "daily", handoffTime: "09:00", startsAt: "2026-03-27T09:00:00+01:00", participants: [o.ada.id, o.bo.id] },
      { name: "business hours", rotation: "weekly", handoffTime: "09:00", handoffWeekday: 1, startsAt: "2026-03-02T08:00:00Z", participants: [o.cy.id], restrictions: [{ days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" }] },
    ],
  };
}

async function createSchedule(o: Org, body: unknown = berlinBody(o)) {
  const res = await callRoute(createRoute, { headers: bearer(o.admin), body });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; layers: { position: number; participants: string[] }[]; people: { userId: string; name: string }[] };
}

const oncall = async (token: string, id: string, at: string) => (await callRoute(oncallRoute, { method: "GET", path: `/?at=${encodeURIComponent(at)}`, params: { id }, headers: bearer(token) })).json;

let a: Org;
let b: Org;

beforeAll(async () => {
  a = await setupOrg("sched-a");
  b = await setupOrg("sched-b");
}, 60_000);

describe("schedules API", () => {
  it("an admin creates a schedule with layers; readers see it with the people's names", async () => {
    const s = await createSchedule(a);
    expect(s.layers.map((l) => [l.position, l.participants])).toEqual([
      [0, [a.ada.id, a.bo.id]],
      [1, [a.cy.id]],
    ]);
    const got = await callRoute(getRoute, { method: "GET", params: { id: s.id }, headers: bearer(a.viewer) });
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ id: s.id, timeZone: "Europe/Berlin", description: "Primary on-call", overrides: [] });
    expect(got.json.people).toEqual(expect.arrayContaining([{ userId: a.ada.id, name: "Ada Lovelace" }]));
    const list = await callRoute(listRoute, { method: "GET", headers: bearer(a.viewer) });
    expect(list.json.schedules.map((x: { id: string }) => x.id)).toContain(s.id);
    const audit = await db.auditEvent.findMany({ where: { orgId: a.id, action: "schedule.created", targetId: s.id } });
    expect(audit).toHaveLength(1);
  });

  it("who is on call at various instants: rotation, DST, the business-hours layer", async () => {
    const { id } = await createSchedule(a);
    // Saturday 28 March 20:00 Berlin: Bo (day 2); Sunday 29 March 09:00 CEST (07:00Z) Ada takes over.
    const sat = await oncall(a.viewer, id, "2026-03-28T19:00:00Z");
    expect(sat).toMatchObject({ now: { userId: a.bo.id, name: "Bo, the second", until: "2026-03-29T07:00:00.000Z" }, next: { userId: a.ada.id, startsAt: "2026-03-29T07:00:00.000Z" } });
    expect((await oncall(a.viewer, id, "2026-03-29T07:00:00Z")).now.userId).toBe(a.ada.id);
    // Monday 30 March 10:00 CEST: business hours → Cy until 17:00 CEST (15:00Z).
    expect((await oncall(a.viewer, id, "2026-03-30T08:00:00Z")).now).toMatchObject({ userId: a.cy.id, until: "2026-03-30T15:00:00.000Z" });
    expect((await oncall(a.viewer, id, "2026-03-30T15:00:00Z")).now.userId).toBe(a.bo.id);
    // Before the layers start nobody is on call; next is the first shift.
    expect(await oncall(a.viewer, id, "2026-03-01T00:00:00Z")).toMatchObject({ now: null, next: { userId: a.cy.id, startsAt: "2026-03-02T08:00:00.000Z" } });
    // The engine's entry point agrees.
    expect(await onCallAt(id, new Date("2026-03-28T19:00:00Z"))).toEqual({ userId: a.bo.id });
    expect(await onCallAt(id, new Date("2026-03-01T00:00:00Z"))).toBeNull();
    expect(await onCallAt(randomUUID(), new Date())).toBeNull();
    expect(await onCallAt("not-a-uuid", new Date())).toBeNull();
  });

  it("shifts between two instants, merged", async () => {
    const { id } = await createSchedule(a);
    const res = await callRoute(shiftsRoute, { method: "GET", path: "/?from=2026-03-28T08:00:00Z&to=2026-03-30T07:00:00Z", params: { id }, headers: bearer(a.viewer) });
    expect(res.status, res.text).toBe(200);
    expect(res.json.shifts.map((s: { userId: string; startsAt: string; endsAt: string; name: string }) => [s.name, s.startsAt, s.endsAt])).toEqual([
      ["Bo, the second", "2026-03-28T08:00:00.000Z", "2026-03-29T07:00:00.000Z"],
      ["Ada Lovelace", "2026-03-29T07:00:00.000Z", "2026-03-30T07:00:00.000Z"],
    ]);
    const tooLong = await callRoute(shiftsRoute, { method: "GET", path: "/?from=2026-01-01T00:00:00Z&to=2028-01-01T00:00:00Z", params: { id }, headers: bearer(a.viewer) });
    expect(tooLong.status).toBe(400);
  });

  it("an override beats the layers, and deleting it restores them (both audited)", async () => {
    const { id } = await createSchedule(a);
    const res = await callRoute(overrideRoute, { params: { id }, headers: bearer(a.admin), body: { userId: a.cy.id, startsAt: "2026-03-28T18:00:00Z", endsAt: "2026-03-28T22:00:00Z", reason: "swap with Bo" } });
    expect(res.status, res.text).toBe(201);
    expect((await oncall(a.viewer, id, "2026-03-28T19:00:00Z")).now).toMatchObject({ userId: a.cy.id, until: "2026-03-28T22:00:00.000Z" });
    expect((await oncall(a.viewer, id, "2026-03-28T22:00:00Z")).now.userId).toBe(a.bo.id);
    // The schedule lists current, future and recent overrides (this one is long past).
    const soon = { startsAt: new Date(Date.now() + 3_600_000).toISOString(), endsAt: new Date(Date.now() + 7_200_000).toISOString() };
    const upcoming = await callRoute(overrideRoute, { params: { id }, headers: bearer(a.admin), body: { userId: a.ada.id, ...soon, reason: "dentist" } });
    const got = await callRoute(getRoute, { method: "GET", params: { id }, headers: bearer(a.viewer) });
    expect(got.json.overrides).toEqual([expect.objectContaining({ id: upcoming.json.id, userId: a.ada.id, reason: "dentist" })]);

    const del = await callRoute(deleteOverrideRoute, { method: "DELETE", params: { id, overrideId: res.json.id }, headers: bearer(a.admin) });
    expect(del.status).toBe(200);
    expect((await oncall(a.viewer, id, "2026-03-28T19:00:00Z")).now.userId).toBe(a.bo.id);
    expect((await callRoute(deleteOverrideRoute, { method: "DELETE", params: { id, overrideId: res.json.id }, headers: bearer(a.admin) })).status).toBe(404);
    const actions = (await db.auditEvent.findMany({ where: { orgId: a.id, targetId: id }, orderBy: { seq: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["schedule.created", "schedule.override_created", "schedule.override_created", "schedule.override_deleted"]);
  });

  it("PUT replaces the layers; DELETE removes the schedule", async () => {
    const { id } = await createSchedule(a);
    const body = { name: `Renamed ${randomUUID().slice(0, 6)}`, timeZone: "America/New_York", layers: [{ rotation: "custom", lengthMinutes: 720, startsAt: "2026-03-07T08:00:00-05:00", participants: [a.bo.id, a.ada.id] }] };
    const put = await callRoute(putRoute, { method: "PUT", params: { id }, headers: bearer(a.admin), body });
    expect(put.status, put.text).toBe(200);
    expect(put.json).toMatchObject({ name: body.name, timeZone: "America/New_York", layers: [{ rotation: "custom", lengthMinutes: 720, handoffTime: null }] });
    // 08:00 EST Saturday 7 March; 12 h turns keep 08:00/20:00 after the change on the 8th.
    expect((await oncall(a.viewer, id, "2026-03-08T12:30:00Z")).now).toMatchObject({ userId: a.bo.id, since: "2026-03-08T12:00:00.000Z", until: "2026-03-09T00:00:00.000Z" });
    const del = await callRoute(deleteRoute, { method: "DELETE", params: { id }, headers: bearer(a.admin) });
    expect(del.status).toBe(200);
    expect((await callRoute(getRoute, { method: "GET", params: { id }, headers: bearer(a.viewer) })).status).toBe(404);
    expect(await db.scheduleLayer.count({ where: { scheduleId: id } })).toBe(0);
  });

  it("a name is unique in the org (409), not across orgs", async () => {
    const body = berlinBody(a, `Unique ${randomUUID().slice(0, 6)}`);
    await createSchedule(a, body);
    const again = await callRoute(createRoute, { headers: bearer(a.admin), body });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("conflict");
    await createSchedule(b, { ...berlinBody(b), name: body.name });
  });

  it("participants and override people must be members of the org; nothing is half-written", async () => {
    const before = await db.schedule.count({ where: { orgId: a.id } });
    const body = berlinBody(a);
    body.layers[0]!.participants = [a.ada.id, b.ada.id, randomUUID()];
    const res = await callRoute(createRoute, { headers: bearer(a.admin), body });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.code).toBe("validation_failed");
    expect(res.json.error.details.map((d: { path: unknown[] }) => d.path)).toEqual([
      ["layers", 0, "participants", 1],
      ["layers", 0, "participants", 2],
    ]);
    expect(await db.schedule.count({ where: { orgId: a.id } })).toBe(before);

    const { id } = await createSchedule(a);
    const ov = await callRoute(overrideRoute, { params: { id }, headers: bearer(a.admin), body: { userId: b.bo.id, startsAt: "2026-03-28T18:00:00Z", endsAt: "2026-03-28T22:00:00Z" } });
    expect(ov.status, ov.text).toBe(400);
    expect(ov.json.error.details).toEqual([{ path: ["userId"], message: expect.any(String) }]);
  });

  it("rejects bad input with 400: time zone, rotation fields, clock times, reversed override", async () => {
    const bad = [
      { ...berlinBody(a), timeZone: "Mars/Olympus" },
      { ...berlinBody(a), layers: [{ rotation: "weekly", handoffTime: "09:00", startsAt: "2026-03-02T08:00:00Z", participants: [] }] },
      { ...berlinBody(a), layers: [{ rotation: "daily", handoffTime: "9am", startsAt: "2026-03-02T08:00:00Z", participants: [] }] },
      { ...berlinBody(a), layers: [{ rotation: "custom", lengthMinutes: 5, startsAt: "2026-03-02T08:00:00Z", participants: [] }] },
      { ...berlinBody(a), layers: [{ rotation: "daily", handoffTime: "09:00", startsAt: "2026-03-02 08:00", participants: [] }] },
    ];
    for (const body of bad) {
      const res = await callRoute(createRoute, { headers: bearer(a.admin), body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const { id } = await createSchedule(a);
    const reversed = await callRoute(overrideRoute, { params: { id }, headers: bearer(a.admin), body: { userId: a.ada.id, startsAt: "2026-03-28T22:00:00Z", endsAt: "2026-03-28T18:00:00Z" } });
    expect(reversed.status).toBe(400);
  });

  it("only admins write: operators and viewers get 403 and nothing changes; viewers read", async () => {
    const { id } = await createSchedule(a);
    for (const token of [a.viewer, a.operator]) {
      expect((await callRoute(createRoute, { headers: bearer(token), body: berlinBody(a) })).status).toBe(403);
      expect((await callRoute(putRoute, { method: "PUT", params: { id }, headers: bearer(token), body: berlinBody(a) })).status).toBe(403);
      expect((await callRoute(deleteRoute, { method: "DELETE", params: { id }, headers: bearer(token) })).status).toBe(403);
      const ov = await callRoute(overrideRoute, { params: { id }, headers: bearer(token), body: { userId: a.ada.id, startsAt: "2026-03-28T18:00:00Z", endsAt: "2026-03-28T22:00:00Z" } });
      expect(ov.status).toBe(403);
      expect(ov.json.error.code).toBe("forbidden");
      expect((await callRoute(deleteOverrideRoute, { method: "DELETE", params: { id, overrideId: randomUUID() }, headers: bearer(token) })).status).toBe(403);
    }
    expect(await db.scheduleOverride.count({ where: { scheduleId: id } })).toBe(0);
    expect((await callRoute(getRoute, { method: "GET", params: { id }, headers: bearer(a.viewer) })).status).toBe(200);
  });

  it("another org's schedule is 404 for every route, even to its admin", async () => {
    const { id } = await createSchedule(a);
    const other = bearer(b.admin);
    expect((await callRoute(getRoute, { method: "GET", params: { id }, headers: other })).status).toBe(404);
    expect((await callRoute(putRoute, { method: "PUT", params: { id }, headers: other, body: berlinBody(b) })).status).toBe(404);
    expect((await callRoute(deleteRoute, { method: "DELETE", params: { id }, headers: other })).status).toBe(404);
    expect((await callRoute(overrideRoute, { params: { id }, headers: other, body: { userId: b.ada.id, startsAt: "2026-03-28T18:00:00Z", endsAt: "2026-03-28T22:00:00Z" } })).status).toBe(404);
    expect((await callRoute(oncallRoute, { method: "GET", params: { id }, headers: other })).status).toBe(404);
    expect((await callRoute(shiftsRoute, { method: "GET", params: { id }, headers: other })).status).toBe(404);
    expect((await callRoute(icalRoute, { method: "GET", params: { id }, headers: other })).status).toBe(404);
    expect((await callRoute(icalTokenRoute, { params: { id }, headers: other })).status).toBe(404);
    expect((await callRoute(userIcalRoute, { method: "GET", params: { userId: a.ada.id }, headers: other })).status).toBe(404);
    // Their override cannot be deleted through another org's schedule either.
    const ov = await callRoute(overrideRoute, { params: { id }, headers: bearer(a.admin), body: { userId: a.ada.id, startsAt: "2026-03-28T18:00:00Z", endsAt: "2026-03-28T22:00:00Z" } });
    const theirs = await createSchedule(b);
    expect((await callRoute(deleteOverrideRoute, { method: "DELETE", params: { id: theirs.id, overrideId: ov.json.id }, headers: other })).status).toBe(404);
    expect((await callRoute(listRoute, { method: "GET", headers: other })).json.schedules.map((s: { id: string }) => s.id)).not.toContain(id);
  });

  it("someone who leaves the org is on call no more: their turns fall through to the layer below", async () => {
    const o = await setupOrg("sched-leave");
    const body = berlinBody(o);
    body.layers.push({ rotation: "daily", handoffTime: "09:00", startsAt: "2026-03-27T08:00:00Z", participants: [o.bo.id] } as never);
    const { id } = await createSchedule(o, body);
    expect((await onCallAt(id, new Date("2026-03-28T19:00:00Z")))?.userId).toBe(o.bo.id);
    const adminActor = await makeActor(o.id, "admin");
    await removeMember({ actor: adminActor, userId: o.bo.id });
    expect((await onCallAt(id, new Date("2026-03-28T19:00:00Z")))?.userId).toBeUndefined(); // Bo had the bottom layer's turn too
    expect((await onCallAt(id, new Date("2026-03-27T19:00:00Z")))?.userId).toBe(o.ada.id);
  });
});

describe("calendar feeds", () => {
  const feed = (path: string, id: string, headers: Record<string, string> = {}) => callRoute(icalRoute, { method: "GET", path, params: { id }, headers });

  it("a schedule feed: valid iCalendar for the signed-in, and by secret link without any session", async () => {
    const { id } = await createSchedule(a);
    const signedIn = await feed("/?weeks=2", id, bearer(a.viewer));
    expect(signedIn.status, signedIn.text).toBe(200);
    expect(signedIn.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    const { problems, events } = validateICalendar(signedIn.text);
    expect(problems).toEqual([]);
    // The feed runs from a week back to two weeks on from today, with today's shifts in it.
    expect(events.length).toBeGreaterThan(10);
    expect(events.map((e) => e.SUMMARY)).toEqual(expect.arrayContaining(["On call: Ada Lovelace", "On call: Bo\\, the second"]));

    const link = await callRoute(icalTokenRoute, { params: { id }, headers: bearer(a.viewer) });
    expect(link.status, link.text).toBe(201);
    expect(link.json.path).toBe(`/api/v1/schedules/${id}/ical?token=${link.json.token}`);
    const byLink = await feed(`/?token=${link.json.token}&weeks=2`, id);
    expect(byLink.status, byLink.text).toBe(200);
    // Same shifts, same UIDs: the link reads what its owner reads.
    expect(validateICalendar(byLink.text).events.map((e) => e.UID)).toEqual(events.map((e) => e.UID));
    expect(await db.calendarFeed.count({ where: { orgId: a.id, scheduleId: id, revokedAt: null } })).toBe(1);
    // Stored hashed only.
    const row = await db.calendarFeed.findFirst({ where: { scheduleId: id }, omit: { tokenHash: false } });
    expect(row!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.tokenHash).not.toContain(link.json.token);
  });

  it("a wrong, foreign or revoked link is 401; a new link replaces the old", async () => {
    const { id } = await createSchedule(a);
    const other = await createSchedule(a);
    const first = (await callRoute(icalTokenRoute, { params: { id }, headers: bearer(a.viewer) })).json.token as string;
    expect((await feed(`/?token=${first}`, id)).status).toBe(200);
    expect((await feed(`/?token=${first.slice(0, -2)}xx`, id)).status).toBe(401);
    expect((await feed(`/?token=nonsense`, id)).status).toBe(401);
    // A link is for its own feed only.
    expect((await feed(`/?token=${first}`, other.id)).status).toBe(401);
    expect((await callRoute(userIcalRoute, { method: "GET", path: `/?token=${first}`, params: { userId: a.ada.id } })).status).toBe(401);

    // An Authorization header wins over a link: the link neither adds to nor replaces it.
    expect((await feed(`/?token=nonsense`, id, bearer(a.viewer))).status).toBe(200);
    expect((await feed(`/?token=${first}`, id, bearer(b.admin))).status).toBe(404);
    expect((await feed(`/?token=%00`, id)).status).toBe(401);

    const second = (await callRoute(icalTokenRoute, { params: { id }, headers: bearer(a.viewer) })).json.token as string;
    expect((await feed(`/?token=${first}`, id)).status).toBe(401);
    expect((await feed(`/?token=${second}`, id)).status).toBe(200);

    const revoked = await callRoute(icalRevokeRoute, { method: "DELETE", params: { id }, headers: bearer(a.viewer) });
    expect(revoked.status, revoked.text).toBe(200);
    const res = await feed(`/?token=${second}`, id);
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe("unauthenticated");
    expect((await callRoute(icalRevokeRoute, { method: "DELETE", params: { id }, headers: bearer(a.viewer) })).status).toBe(404);
    const actions = (await db.auditEvent.findMany({ where: { orgId: a.id, action: { startsWith: "calendar_feed." } } })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["calendar_feed.created", "calendar_feed.revoked"]));
  });

  it("a link stops working when its owner leaves the org, and a service token cannot make one", async () => {
    const o = await setupOrg("sched-feed");
    const { id } = await createSchedule(o);
    const link = (await callRoute(icalTokenRoute, { params: { id }, headers: bearer(await tokenOf(o.ada)) })).json.token as string;
    expect((await feed(`/?token=${link}`, id)).status).toBe(200);
    await removeMember({ actor: await makeActor(o.id, "admin"), userId: o.ada.id });
    expect((await feed(`/?token=${link}`, id)).status).toBe(401);

    const { token: service } = await createApiToken({ actor: systemActor("test", o.id), input: { name: "svc", role: "viewer", service: true } });
    const res = await callRoute(icalTokenRoute, { params: { id }, headers: bearer(service) });
    expect(res.status).toBe(403);
  });

  it("a person's feed: their shifts across all the org's schedules, and only theirs", async () => {
    const o = await setupOrg("sched-user");
    const first = await createSchedule(o, { ...berlinBody(o), name: "Alpha" });
    await createSchedule(o, { name: "Beta", timeZone: "America/New_York", layers: [{ rotation: "weekly", handoffTime: "10:00", handoffWeekday: 1, startsAt: "2026-01-05T15:00:00Z", participants: [o.ada.id, o.cy.id] }] });
    await createSchedule(o, { name: "Gamma", timeZone: "UTC", layers: [{ rotation: "daily", handoffTime: "00:00", startsAt: "2026-01-01T00:00:00Z", participants: [o.bo.id] }] });

    const link = await callRoute(userIcalTokenRoute, { params: { userId: o.ada.id }, headers: bearer(await tokenOf(o.ada)) });
    expect(link.status, link.text).toBe(201);
    expect(link.json.path).toBe(`/api/v1/users/${o.ada.id}/oncall.ical?token=${link.json.token}`);
    const res = await callRoute(userIcalRoute, { method: "GET", path: `/?token=${link.json.token}&weeks=4`, params: { userId: o.ada.id } });
    expect(res.status, res.text).toBe(200);
    const { problems, events, calendar } = validateICalendar(res.text);
    expect(problems).toEqual([]);
    expect(calendar["X-WR-CALNAME"]).toBe("On call: Ada Lovelace");
    const summaries = new Set(events.map((e) => e.SUMMARY));
    expect(summaries).toEqual(new Set(["On call: Alpha", "On call: Beta"]));
    // Sorted by start, and the Alpha events are the ones in Alpha's own feed for Ada.
    expect(events.map((e) => e.DTSTART)).toEqual([...events.map((e) => e.DTSTART!)].sort());
    const alpha = validateICalendar((await feed("/?weeks=4", first.id, bearer(o.viewer))).text).events.filter((e) => e.SUMMARY === "On call: Ada Lovelace");
    expect(events.filter((e) => e.SUMMARY === "On call: Alpha").map((e) => e.UID)).toEqual(alpha.map((e) => e.UID));

    // A viewer reads anyone's feed signed in; an unknown person is 404; revoking kills the link.
    expect((await callRoute(userIcalRoute, { method: "GET", params: { userId: o.bo.id }, headers: bearer(o.viewer) })).status).toBe(200);
    expect((await callRoute(userIcalRoute, { method: "GET", params: { userId: randomUUID() }, headers: bearer(o.viewer) })).status).toBe(404);
    expect((await callRoute(userIcalRevokeRoute, { method: "DELETE", params: { userId: o.ada.id }, headers: bearer(await tokenOf(o.ada)) })).status).toBe(200);
    expect((await callRoute(userIcalRoute, { method: "GET", path: `/?token=${link.json.token}`, params: { userId: o.ada.id } })).status).toBe(401);
  });
});
