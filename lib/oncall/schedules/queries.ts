// Reads: schedules, their shifts, who is on call. Everything is filtered by the actor's org.
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { notFound } from "@/lib/errors";
import { onCallNowAndNext, shiftsBetween, NOW_NEXT_HORIZON_DAYS, NOW_NEXT_LOOKBACK_DAYS } from "@/lib/oncall/schedules/compute";
import { loadSpec, namesOf } from "@/lib/oncall/schedules/load-spec";
import { AppError } from "@/lib/errors";
import { MAX_WINDOW_DAYS } from "@/lib/oncall/schedules/schemas";

const DAY = 86_400_000;
/** Past overrides stay on the schedule's page this long. */
const RECENT_OVERRIDES_DAYS = 30;

/** The org's schedules, by name, each with who is on call now and who is next. */
export async function listSchedules({ actor, now = new Date() }: { actor: Actor; now?: Date }) {
  assertCan(actor, "oncall.read");
  const rows = await db.schedule.findMany({ where: { orgId: actor.orgId }, orderBy: { name: "asc" }, select: { id: true, name: true, timeZone: true, description: true, updatedAt: true, _count: { select: { layers: true } } } });
  const byScheduleId = new Map<string, ReturnType<typeof onCallNowAndNext> | null>();
  for (const r of rows) {
    const loaded = await loadSpec(db, r.id, { from: now, to: new Date(now.getTime() + NOW_NEXT_HORIZON_DAYS * DAY) }, actor.orgId);
    byScheduleId.set(r.id, loaded ? onCallNowAndNext(loaded.spec, now) : null);
  }
  const names = await namesOf(db, actor.orgId, [...byScheduleId.values()].flatMap((n) => [n?.now?.userId, n?.next?.userId].filter((u): u is string => !!u)));
  return rows.map(({ _count, ...r }) => {
    const n = byScheduleId.get(r.id);
    return {
      ...r,
      layerCount: _count.layers,
      onCallNow: n?.now ? { userId: n.now.userId, name: names.get(n.now.userId) ?? null, until: n.now.until } : null,
      onCallNext: n?.next ? { userId: n.next.userId, name: names.get(n.next.userId) ?? null, startsAt: n.next.startsAt } : null,
    };
  });
}

/** One schedule with its layers, its current, future and recent overrides, and the names of the people in them. */
export async function getSchedule({ actor, id, now = new Date() }: { actor: Actor; id: string; now?: Date }) {
  assertCan(actor, "oncall.read");
  const schedule = await db.schedule.findFirst({
    where: { id, orgId: actor.orgId },
    include: {
      layers: { orderBy: { position: "asc" } },
      overrides: { where: { endsAt: { gt: new Date(now.getTime() - RECENT_OVERRIDES_DAYS * DAY) } }, orderBy: { startsAt: "asc" } },
    },
  });
  if (!schedule) throw notFound("schedule");
  const names = await namesOf(db, actor.orgId, [...schedule.layers.flatMap((l) => l.participants), ...schedule.overrides.map((o) => o.userId)]);
  return { ...schedule, people: [...names].map(([userId, name]) => ({ userId, name })) };
}

/** The final timeline of [from, to) (default: the next 14 days), each shift with the person's name. */
export async function upcomingShifts({ actor, scheduleId, from = new Date(), to }: { actor: Actor; scheduleId: string; from?: Date; to?: Date }) {
  assertCan(actor, "oncall.read");
  const end = to ?? new Date(from.getTime() + 14 * DAY);
  if (!(end > from) || end.getTime() - from.getTime() > MAX_WINDOW_DAYS * DAY) {
    throw new AppError("validation_failed", `to must be after from, at most ${MAX_WINDOW_DAYS} days`, [{ path: ["to"], message: "out of range" }]);
  }
  const loaded = await loadSpec(db, scheduleId, { from, to: end }, actor.orgId);
  if (!loaded) throw notFound("schedule");
  const shifts = shiftsBetween(loaded.spec, from, end);
  const names = await namesOf(db, actor.orgId, shifts.map((s) => s.userId));
  return { from, to: end, timeZone: loaded.schedule.timeZone, shifts: shifts.map((s) => ({ ...s, name: names.get(s.userId) ?? null })) };
}

/** Who is on call at `at` (default now), until when, and who is next. */
export async function scheduleOnCall({ actor, scheduleId, at = new Date() }: { actor: Actor; scheduleId: string; at?: Date }) {
  assertCan(actor, "oncall.read");
  const window = { from: new Date(at.getTime() - NOW_NEXT_LOOKBACK_DAYS * DAY), to: new Date(at.getTime() + NOW_NEXT_HORIZON_DAYS * DAY) };
  const loaded = await loadSpec(db, scheduleId, window, actor.orgId);
  if (!loaded) throw notFound("schedule");
  const r = onCallNowAndNext(loaded.spec, at);
  const names = await namesOf(db, actor.orgId, [r.now?.userId, r.next?.userId].filter((u): u is string => !!u));
  return {
    scheduleId,
    at: r.at,
    now: r.now ? { ...r.now, name: names.get(r.now.userId) ?? null } : null,
    next: r.next ? { ...r.next, name: names.get(r.next.userId) ?? null } : null,
  };
}
