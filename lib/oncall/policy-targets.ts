// What an escalation step's targets refer to: they must exist in the organization when a policy is
// saved, and a channel a policy names cannot be deleted from under it.
import type { Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Target } from "@/lib/oncall/schemas";

export function storedTargets(json: unknown): Target[] {
  return Array.isArray(json) ? (json as Target[]) : [];
}

const channelsOf = (t: Target) => ("channel" in t ? [t.channel] : (t.via ?? []));

/** Policies of the org with a step naming the channel (directly or as `via`). */
export async function policiesUsing(tx: Tx, orgId: string, ref: { channel: string }) {
  const policies = await tx.escalationPolicy.findMany({ where: { orgId }, select: { id: true, name: true, steps: { select: { targets: true } } } });
  return policies.filter((p) => p.steps.some((s) => storedTargets(s.targets).some((t) => channelsOf(t).includes(ref.channel))));
}

/** Throws 400 naming the first target that is not a channel or member of the org. */
export async function assertTargetsExist(tx: Tx, orgId: string, steps: { targets: Target[] }[]) {
  const channelIds = [...new Set(steps.flatMap((s) => s.targets.flatMap(channelsOf)))];
  const userIds = [...new Set(steps.flatMap((s) => s.targets.flatMap((t) => ("user" in t ? [t.user] : []))))];
  const scheduleIds = [...new Set(steps.flatMap((s) => s.targets.flatMap((t) => ("schedule" in t ? [t.schedule] : []))))];
  const [channels, members, schedules] = await Promise.all([
    tx.notificationChannel.findMany({ where: { orgId, id: { in: channelIds } }, select: { id: true } }),
    tx.membership.findMany({ where: { orgId, userId: { in: userIds } }, select: { userId: true } }),
    tx.schedule.findMany({ where: { orgId, id: { in: scheduleIds } }, select: { id: true } }),
  ]);
  const known = new Set([...channels.map((c) => c.id), ...members.map((m) => m.userId), ...schedules.map((x) => x.id)]);
  const problems: { path: (string | number)[]; message: string }[] = [];
  steps.forEach((s, i) =>
    s.targets.forEach((t, j) => {
      if ("user" in t && !known.has(t.user)) problems.push({ path: ["steps", i, "targets", j, "user"], message: "no such member of this organization" });
      if ("schedule" in t && !known.has(t.schedule)) problems.push({ path: ["steps", i, "targets", j, "schedule"], message: "no such schedule in this organization" });
      for (const c of channelsOf(t)) if (!known.has(c)) problems.push({ path: ["steps", i, "targets", j, "channel" in t ? "channel" : "via"], message: `no such channel: ${c}` });
    }),
  );
  if (problems.length) throw new AppError("validation_failed", `invalid targets: ${problems.map((p) => `${p.path.join(".")}: ${p.message}`).join("; ")}`, problems);
}
