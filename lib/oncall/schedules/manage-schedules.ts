// Schedule writes: create, replace (with its layers), delete, and overrides. Each is audited in its
// own transaction; every person named must be an enabled member of the org.
import { db, type Tx } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError, notFound } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { activeMembers } from "@/lib/oncall/schedules/load-spec";
import { ZOverrideInput, ZScheduleInput, type LayerInput, type OverrideInput, type ScheduleInput } from "@/lib/oncall/schedules/schemas";

type Issue = { path: (string | number)[]; message: string };

function notMembers(issues: Issue[]) {
  return new AppError("validation_failed", `not a member of this organization: ${issues.map((i) => i.path.join(".")).join(", ")}`, issues);
}

async function assertParticipantsAreMembers(tx: Tx, orgId: string, layers: LayerInput[]) {
  const active = await activeMembers(tx, orgId, layers.flatMap((l) => l.participants));
  const issues: Issue[] = [];
  layers.forEach((l, i) => l.participants.forEach((p, j) => active.has(p) || issues.push({ path: ["layers", i, "participants", j], message: "not a member of this organization" })));
  if (issues.length > 0) throw notMembers(issues);
}

function layerRows(scheduleId: string, layers: LayerInput[]) {
  return layers.map((l, position) => ({
    scheduleId,
    position,
    name: l.name,
    rotation: l.rotation,
    handoffTime: l.rotation === "custom" ? null : l.handoffTime,
    handoffWeekday: l.rotation === "weekly" ? l.handoffWeekday : null,
    lengthMinutes: l.rotation === "custom" ? l.lengthMinutes : null,
    startsAt: l.startsAt,
    participants: l.participants,
    restrictions: l.restrictions,
  }));
}

/** What the audit trail keeps of a schedule: enough to tell versions apart, without restating every field. */
function auditSummary(name: string, timeZone: string, layers: LayerInput[]) {
  return { name, timeZone, layers: layers.map((l) => ({ rotation: l.rotation, participants: l.participants, restricted: l.restrictions.length > 0 })) };
}

async function withUniqueName<T>(name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") throw new AppError("conflict", `a schedule named '${name}' exists`);
    throw err;
  }
}

export async function createSchedule({ actor, input }: { actor: Actor; input: ScheduleInput }) {
  assertCan(actor, "oncall.manage");
  const data = ZScheduleInput.parse(input);
  return withUniqueName(data.name, () =>
    db.$transaction(async (tx) => {
      await assertParticipantsAreMembers(tx, actor.orgId, data.layers);
      const s = await tx.schedule.create({ data: { orgId: actor.orgId, name: data.name, timeZone: data.timeZone, description: data.description } });
      await tx.scheduleLayer.createMany({ data: layerRows(s.id, data.layers) });
      await appendAudit(tx, { actor, action: "schedule.created", target: { type: "schedule", id: s.id }, data: auditSummary(data.name, data.timeZone, data.layers) });
      return s;
    }),
  );
}

/** Replaces the schedule's name, zone, description and all its layers; overrides stay. */
export async function updateSchedule({ actor, id, input }: { actor: Actor; id: string; input: ScheduleInput }) {
  assertCan(actor, "oncall.manage");
  const data = ZScheduleInput.parse(input);
  return withUniqueName(data.name, () =>
    db.$transaction(async (tx) => {
      const prior = await tx.schedule.findFirst({ where: { id, orgId: actor.orgId } });
      if (!prior) throw notFound("schedule");
      await assertParticipantsAreMembers(tx, actor.orgId, data.layers);
      const s = await tx.schedule.update({ where: { id }, data: { name: data.name, timeZone: data.timeZone, description: data.description } });
      await tx.scheduleLayer.deleteMany({ where: { scheduleId: id } });
      await tx.scheduleLayer.createMany({ data: layerRows(id, data.layers) });
      await appendAudit(tx, { actor, action: "schedule.updated", target: { type: "schedule", id }, data: auditSummary(data.name, data.timeZone, data.layers) });
      return s;
    }),
  );
}

export async function deleteSchedule({ actor, id }: { actor: Actor; id: string }) {
  assertCan(actor, "oncall.manage");
  await db.$transaction(async (tx) => {
    const s = await tx.schedule.findFirst({ where: { id, orgId: actor.orgId } });
    if (!s) throw notFound("schedule");
    await tx.schedule.delete({ where: { id } });
    await appendAudit(tx, { actor, action: "schedule.deleted", target: { type: "schedule", id }, data: { name: s.name } });
  });
}

export async function createOverride({ actor, scheduleId, input }: { actor: Actor; scheduleId: string; input: OverrideInput }) {
  assertCan(actor, "oncall.manage");
  const data = ZOverrideInput.parse(input);
  return db.$transaction(async (tx) => {
    const s = await tx.schedule.findFirst({ where: { id: scheduleId, orgId: actor.orgId }, select: { id: true } });
    if (!s) throw notFound("schedule");
    if (!(await activeMembers(tx, actor.orgId, [data.userId])).has(data.userId)) throw notMembers([{ path: ["userId"], message: "not a member of this organization" }]);
    const o = await tx.scheduleOverride.create({ data: { scheduleId, userId: data.userId, startsAt: data.startsAt, endsAt: data.endsAt, reason: data.reason, createdBy: actor.label ?? `${actor.type}:${actor.id}` } });
    await appendAudit(tx, { actor, action: "schedule.override_created", target: { type: "schedule", id: scheduleId }, data: { overrideId: o.id, userId: o.userId, startsAt: o.startsAt, endsAt: o.endsAt, reason: o.reason } });
    return o;
  });
}

export async function deleteOverride({ actor, scheduleId, overrideId }: { actor: Actor; scheduleId: string; overrideId: string }) {
  assertCan(actor, "oncall.manage");
  await db.$transaction(async (tx) => {
    const o = await tx.scheduleOverride.findFirst({ where: { id: overrideId, scheduleId, schedule: { orgId: actor.orgId } } });
    if (!o) throw notFound("override");
    await tx.scheduleOverride.delete({ where: { id: overrideId } });
    await appendAudit(tx, { actor, action: "schedule.override_deleted", target: { type: "schedule", id: scheduleId }, data: { overrideId, userId: o.userId, startsAt: o.startsAt, endsAt: o.endsAt } });
  });
}
