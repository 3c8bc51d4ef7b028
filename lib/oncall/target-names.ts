// What escalation targets are called, for people reading policies: channel, schedule and person names
// (names only: members' emails are for admins).
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { namesOf } from "@/lib/oncall/schedules/load-spec";
import type { Target } from "@/lib/oncall/schemas";

export type TargetNames = {
  channels: Record<string, { name: string; type: string; enabled: boolean }>;
  schedules: Record<string, string>;
  people: Record<string, string>;
};

export async function targetNames({ actor, targets }: { actor: Actor; targets: readonly Target[] }): Promise<TargetNames> {
  assertCan(actor, "oncall.read");
  const userIds = targets.flatMap((t) => ("user" in t ? [t.user] : []));
  const [channels, schedules, people] = await Promise.all([
    db.notificationChannel.findMany({ where: { orgId: actor.orgId }, select: { id: true, name: true, type: true, enabled: true } }),
    db.schedule.findMany({ where: { orgId: actor.orgId }, select: { id: true, name: true } }),
    namesOf(db, actor.orgId, userIds),
  ]);
  return {
    channels: Object.fromEntries(channels.map((c) => [c.id, { name: c.name, type: c.type, enabled: c.enabled }])),
    schedules: Object.fromEntries(schedules.map((s) => [s.id, s.name])),
    people: Object.fromEntries(people),
  };
}
