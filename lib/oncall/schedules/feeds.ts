// Calendar feeds: a schedule's shifts, or one person's shifts across the org's schedules, as iCalendar.
// Calendar apps cannot sign in, so each person may make a secret link per feed (`?token=`): it reads as
// that person, only that feed, only while they are an enabled member; making a new one revokes the old.
import { createHash, randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError, notFound } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { shiftsBetween } from "@/lib/oncall/schedules/compute";
import { loadSpec, namesOf } from "@/lib/oncall/schedules/load-spec";
import { renderCalendar, shiftUid, type CalendarEvent } from "@/lib/oncall/schedules/ical";

const DAY = 86_400_000;
const TOKEN_RE = /^ncal_[A-Za-z0-9_-]{43}$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// lastUsedAt is informational; calendar apps poll, and each poll need not be a write.
const TOUCH_INTERVAL_MS = 60_000;
/** Past shifts a feed keeps showing. */
const FEED_PAST_DAYS = 7;
export const FEED_DEFAULT_WEEKS = 12;
export const FEED_MAX_WEEKS = 52;

export type FeedTarget = { kind: "schedule"; scheduleId: string } | { kind: "user"; userId: string };

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
const targetWhere = (t: FeedTarget) => (t.kind === "schedule" ? { scheduleId: t.scheduleId, subjectUserId: null } : { subjectUserId: t.userId, scheduleId: null });
const feedPath = (t: FeedTarget) => (t.kind === "schedule" ? `/api/v1/schedules/${t.scheduleId}/ical` : `/api/v1/users/${t.userId}/oncall.ical`);

/** The person behind the actor: a feed link belongs to someone who can lose access. */
function personOf(actor: Actor): string {
  const person = actor.type === "user" ? actor.id : actor.userId;
  if (!person) throw new AppError("forbidden", "a calendar feed link belongs to a person; a service token cannot make one");
  return person;
}

async function assertTargetExists(orgId: string, t: FeedTarget) {
  const found =
    t.kind === "schedule"
      ? await db.schedule.findFirst({ where: { id: t.scheduleId, orgId }, select: { id: true } })
      : await db.membership.findUnique({ where: { orgId_userId: { orgId, userId: t.userId } }, select: { id: true } });
  if (!found) throw notFound(t.kind === "schedule" ? "schedule" : "member");
}

/** A new secret link for the actor's person to this feed (any earlier link of theirs to it stops working). */
export async function createFeedToken({ actor, target }: { actor: Actor; target: FeedTarget }) {
  assertCan(actor, "oncall.read");
  const ownerId = personOf(actor);
  await assertTargetExists(actor.orgId, target);
  const token = `ncal_${randomBytes(32).toString("base64url")}`;
  await db.$transaction(async (tx) => {
    const revoked = await tx.calendarFeed.updateMany({ where: { orgId: actor.orgId, ownerId, ...targetWhere(target), revokedAt: null }, data: { revokedAt: new Date() } });
    const feed = await tx.calendarFeed.create({ data: { orgId: actor.orgId, ownerId, ...targetWhere(target), tokenHash: hashToken(token) } });
    await appendAudit(tx, { actor, action: "calendar_feed.created", target: { type: "calendar_feed", id: feed.id }, data: { feed: target, ownerId, replaced: revoked.count } });
  });
  return { token, path: `${feedPath(target)}?token=${token}` };
}

/** Revokes the actor's person's link to this feed. */
export async function revokeFeedToken({ actor, target }: { actor: Actor; target: FeedTarget }) {
  assertCan(actor, "oncall.read");
  const ownerId = personOf(actor);
  await assertTargetExists(actor.orgId, target);
  return db.$transaction(async (tx) => {
    const feeds = await tx.calendarFeed.findMany({ where: { orgId: actor.orgId, ownerId, ...targetWhere(target), revokedAt: null }, select: { id: true } });
    if (feeds.length === 0) throw notFound("calendar feed link");
    await tx.calendarFeed.updateMany({ where: { id: { in: feeds.map((f) => f.id) } }, data: { revokedAt: new Date() } });
    for (const f of feeds) await appendAudit(tx, { actor, action: "calendar_feed.revoked", target: { type: "calendar_feed", id: f.id }, data: { feed: target, ownerId } });
    return { revoked: feeds.length };
  });
}

/**
 * `?token=` → the actor it reads as, or null: unknown or revoked, made for another feed than `target`,
 * or its owner is no longer an enabled member. The actor can only read on-call data (scope oncall.read).
 */
export async function authenticateFeedToken(token: string, target: FeedTarget): Promise<Actor | null> {
  const id = target.kind === "schedule" ? target.scheduleId : target.userId;
  if (!TOKEN_RE.test(token) || !UUID_RE.test(id)) return null;
  const feed = await db.calendarFeed.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!feed || feed.revokedAt) return null;
  if (target.kind === "schedule" ? feed.scheduleId !== target.scheduleId : feed.subjectUserId !== target.userId) return null;
  const m = await db.membership.findUnique({
    where: { orgId_userId: { orgId: feed.orgId, userId: feed.ownerId } },
    select: { role: true, user: { select: { email: true, disabledAt: true } } },
  });
  if (!m || m.user.disabledAt) return null;
  const now = Date.now();
  if (!feed.lastUsedAt || now - feed.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) await db.calendarFeed.update({ where: { id: feed.id }, data: { lastUsedAt: new Date(now) } });
  return { type: "token", id: feed.id, orgId: feed.orgId, role: m.role, scopes: ["oncall.read"], userId: feed.ownerId, label: `calendar feed of ${m.user.email}` };
}

/** From a week back to `weeks` weeks ahead, on whole UTC days so the window moves once a day. */
function feedWindow(now: Date, weeks: number) {
  const today = Math.floor(now.getTime() / DAY) * DAY;
  return { from: new Date(today - FEED_PAST_DAYS * DAY), to: new Date(today + weeks * 7 * DAY) };
}

export async function scheduleCalendar({ actor, scheduleId, weeks = FEED_DEFAULT_WEEKS, now = new Date() }: { actor: Actor; scheduleId: string; weeks?: number; now?: Date }) {
  assertCan(actor, "oncall.read");
  const window = feedWindow(now, weeks);
  const loaded = await loadSpec(db, scheduleId, window, actor.orgId);
  if (!loaded) throw notFound("schedule");
  const shifts = shiftsBetween(loaded.spec, window.from, window.to);
  const names = await namesOf(db, actor.orgId, shifts.map((s) => s.userId));
  const events: CalendarEvent[] = shifts.map((s) => ({
    uid: shiftUid(scheduleId, s.userId, s.startsAt),
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    summary: `On call: ${names.get(s.userId) ?? "someone"}`,
    description: `Schedule: ${loaded.schedule.name}`,
  }));
  return renderCalendar({ name: `On call: ${loaded.schedule.name}`, events, now });
}

export async function userCalendar({ actor, userId, weeks = FEED_DEFAULT_WEEKS, now = new Date() }: { actor: Actor; userId: string; weeks?: number; now?: Date }) {
  assertCan(actor, "oncall.read");
  const names = await namesOf(db, actor.orgId, [userId]);
  if (!names.has(userId)) throw notFound("member");
  const window = feedWindow(now, weeks);
  const schedules = await db.schedule.findMany({ where: { orgId: actor.orgId }, select: { id: true }, orderBy: { name: "asc" } });
  const events: CalendarEvent[] = [];
  for (const { id } of schedules) {
    const loaded = await loadSpec(db, id, window, actor.orgId);
    if (!loaded) continue; // deleted meanwhile
    for (const s of shiftsBetween(loaded.spec, window.from, window.to)) {
      if (s.userId !== userId) continue;
      events.push({ uid: shiftUid(id, s.userId, s.startsAt), startsAt: s.startsAt, endsAt: s.endsAt, summary: `On call: ${loaded.schedule.name}`, description: `${names.get(userId)} is on call for ${loaded.schedule.name}` });
    }
  }
  events.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  return renderCalendar({ name: `On call: ${names.get(userId)}`, events, now });
}
