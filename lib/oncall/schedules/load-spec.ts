// From rows to the pure computation's input. People who are no longer enabled members of the schedule's
// org drop out here: their turns become nobody's (the layers below show through) and their overrides
// stop counting, so nobody is paged who can no longer act.
import type { Tx } from "@/lib/db";
import type { LayerSpec, Restriction, ScheduleSpec } from "@/lib/oncall/schedules/compute";

type LayerRow = Omit<LayerSpec, "restrictions" | "participants"> & { participants: string[]; restrictions: unknown };
type OverrideRow = { id: string; userId: string; startsAt: Date; endsAt: Date; createdAt: Date };

/** Which of these users are enabled members of the org. */
export async function activeMembers(tx: Tx, orgId: string, userIds: Iterable<string>): Promise<Set<string>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Set();
  const rows = await tx.membership.findMany({ where: { orgId, userId: { in: ids }, user: { disabledAt: null } }, select: { userId: true } });
  return new Set(rows.map((r) => r.userId));
}

export function toSpec(timeZone: string, layers: LayerRow[], overrides: OverrideRow[], active: Set<string>): ScheduleSpec {
  return {
    timeZone,
    layers: layers.map((l) => ({
      ...l,
      participants: l.participants.map((p) => (active.has(p) ? p : null)),
      // Validated by ZRestriction when written.
      restrictions: l.restrictions as Restriction[],
    })),
    overrides: overrides.filter((o) => active.has(o.userId)),
  };
}

/** The schedule (in `orgId` when given) with what is needed to compute [from, to), or null. */
export async function loadSpec(tx: Tx, id: string, window: { from: Date; to: Date }, orgId?: string) {
  const schedule = await tx.schedule.findFirst({ where: { id, ...(orgId ? { orgId } : {}) }, include: { layers: { orderBy: { position: "asc" } } } });
  if (!schedule) return null;
  const overrides = await tx.scheduleOverride.findMany({
    where: { scheduleId: id, startsAt: { lt: window.to }, endsAt: { gt: window.from } },
    orderBy: { createdAt: "asc" },
  });
  const active = await activeMembers(tx, schedule.orgId, [...schedule.layers.flatMap((l) => l.participants), ...overrides.map((o) => o.userId)]);
  return { schedule, spec: toSpec(schedule.timeZone, schedule.layers, overrides, active) };
}

/** Display names of the org's members among these ids (names only: the member list with emails is for admins). */
export async function namesOf(tx: Tx, orgId: string, userIds: Iterable<string>): Promise<Map<string, string>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Map();
  const rows = await tx.membership.findMany({ where: { orgId, userId: { in: ids } }, select: { user: { select: { id: true, name: true } } } });
  return new Map(rows.map((r) => [r.user.id, r.user.name]));
}
