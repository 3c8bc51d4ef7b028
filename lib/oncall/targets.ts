// Who an escalation step reaches, and through which channel: a {channel} target is the channel's own
// destination; a {user} target (or the person a {schedule} has on call) is reached through the
// channels in `via`, by default the organization's oldest enabled email channel (their address) and
// oldest enabled Slack channel (a direct message, when their Slack member id is known).
import type { Tx } from "@/lib/db";
import type { ChannelType } from "@/lib/oncall/schemas";
import type { Target } from "@/lib/oncall/schemas";
import { onCallAt } from "@/lib/oncall/schedules/on-call";

export type Recipient = {
  channelId: string;
  channelName: string;
  channelType: ChannelType;
  /** "channel", or "user:<id>". */
  recipient: string;
  address: string | null;
  /** For the timeline: "ops-hook", "alice@example.com via email-ops". */
  label: string;
};

type Channel = { id: string; name: string; type: ChannelType; enabled: boolean };
type Person = { id: string; email: string; slackUserId: string | null };

export async function resolveTargets(tx: Tx, orgId: string, targets: readonly Target[], at: Date): Promise<{ recipients: Recipient[]; problems: string[] }> {
  const channels = await tx.notificationChannel.findMany({ where: { orgId }, select: { id: true, name: true, type: true, enabled: true }, orderBy: { createdAt: "asc" } });
  const byId = new Map(channels.map((c) => [c.id, c]));
  const recipients: Recipient[] = [];
  const problems: string[] = [];
  const usable = (id: string): Channel | null => {
    const c = byId.get(id);
    if (!c) problems.push(`channel ${id} no longer exists`);
    else if (!c.enabled) problems.push(`channel '${c.name}' is disabled`);
    return c?.enabled ? c : null;
  };

  const reachPerson = async (userId: string, via: string[] | undefined, why: string) => {
    const member = await tx.membership.findFirst({ where: { orgId, userId }, select: { user: { select: { id: true, email: true, slackUserId: true, disabledAt: true } } } });
    if (!member || member.user.disabledAt) return void problems.push(`${why}: user ${userId} is not an active member`);
    const person: Person = member.user;
    const paths = via
      ? via.map(usable).filter((c): c is Channel => c !== null)
      : (["email", "slack"] as const).map((t) => channels.find((c) => c.enabled && c.type === t)).filter((c): c is Channel => c !== undefined);
    if (!paths.length) return void problems.push(`${why}: no channel reaches ${person.email} (add an email or Slack channel, or set 'via')`);
    for (const c of paths) {
      const address = c.type === "email" ? person.email : c.type === "slack" ? person.slackUserId : null;
      if (c.type === "slack" && !address) {
        problems.push(`${person.email} has no Slack member id: not messaged through '${c.name}'`);
        continue;
      }
      recipients.push({ channelId: c.id, channelName: c.name, channelType: c.type, recipient: `user:${person.id}`, address, label: `${person.email} via ${c.name}` });
    }
  };

  for (const t of targets) {
    if ("channel" in t) {
      const c = usable(t.channel);
      if (c) recipients.push({ channelId: c.id, channelName: c.name, channelType: c.type, recipient: "channel", address: null, label: c.name });
    } else if ("user" in t) {
      await reachPerson(t.user, t.via, `user ${t.user}`);
    } else {
      const who = await onCallAt(t.schedule, at);
      if (!who) problems.push(`nobody is on call in schedule ${t.schedule}`);
      else await reachPerson(who.userId, t.via, `on call in schedule ${t.schedule}`);
    }
  }
  // A person named twice in one step (directly and through a schedule) is notified once per channel.
  const seen = new Set<string>();
  return { recipients: recipients.filter((r) => !seen.has(`${r.channelId}|${r.recipient}`) && seen.add(`${r.channelId}|${r.recipient}`)), problems };
}
