// The organization's on-call configuration as it is now, in the configuration file's terms: references by
// name and email, minutes instead of seconds. Comparing these with the file's objects tells what an apply
// would change.
import { db } from "@/lib/db";
import { openSecrets, type ChannelSecrets } from "@/lib/oncall/channel-config";
import { storedMatchers } from "@/lib/oncall/matchers";
import { storedTargets } from "@/lib/oncall/policy-targets";
import { toSeconds, type Target } from "@/lib/oncall/schemas";
import type { Recurrence } from "@/lib/oncall/recurrence";
import type { FileTarget } from "@/lib/oncall/config/file-schema";

export type Names = {
  channelById: Map<string, string>;
  scheduleById: Map<string, string>;
  emailByUserId: Map<string, string>;
};

/** A stored target with names instead of ids (an id that no longer resolves shows as "#<id>"). */
export function namedTarget(t: Target, n: Names): FileTarget {
  const ch = (id: string) => n.channelById.get(id) ?? `#${id}`;
  if ("channel" in t) return { channel: ch(t.channel) };
  const via = t.via ? { via: t.via.map(ch) } : {};
  if ("user" in t) return { user: n.emailByUserId.get(t.user) ?? `#${t.user}`, ...via };
  return { schedule: n.scheduleById.get(t.schedule) ?? `#${t.schedule}`, ...via };
}

/** Minutes as the file writes them, rounded the way they are stored (whole seconds). */
export const storedMinutes = (minutes: number) => toSeconds(minutes) / 60;

type LayerLike = {
  name: string;
  rotation: string;
  handoffTime?: string | null;
  handoffWeekday?: number | null;
  lengthMinutes?: number | null;
  startsAt: Date;
  participants: string[];
  restrictions: unknown;
};

/** Only the fields the rotation uses, so a stored null and an absent field compare equal. */
export function layerShape(l: LayerLike) {
  return {
    name: l.name,
    rotation: l.rotation,
    ...(l.rotation !== "custom" ? { handoffTime: l.handoffTime } : {}),
    ...(l.rotation === "weekly" ? { handoffWeekday: l.handoffWeekday } : {}),
    ...(l.rotation === "custom" ? { lengthMinutes: l.lengthMinutes } : {}),
    startsAt: l.startsAt.toISOString(),
    participants: l.participants,
    restrictions: l.restrictions,
  };
}

export async function loadCurrentState(orgId: string, now = new Date()) {
  const [channels, schedules, policies, routes, silences, inhibitionRules, members] = await Promise.all([
    db.notificationChannel.findMany({ where: { orgId }, orderBy: { name: "asc" } }),
    db.schedule.findMany({ where: { orgId }, orderBy: { name: "asc" }, include: { layers: { orderBy: { position: "asc" } } } }),
    db.escalationPolicy.findMany({ where: { orgId }, orderBy: { name: "asc" }, include: { steps: { orderBy: { position: "asc" } } } }),
    db.alertRoute.findMany({ where: { orgId }, orderBy: [{ position: "asc" }, { createdAt: "asc" }], include: { policy: { select: { name: true } } } }),
    db.silence.findMany({ where: { orgId, endsAt: { gt: now } }, orderBy: { createdAt: "asc" } }),
    db.inhibitionRule.findMany({ where: { orgId }, orderBy: { createdAt: "asc" } }),
    db.membership.findMany({ where: { orgId }, select: { userId: true, user: { select: { email: true } } } }),
  ]);
  const names: Names = {
    channelById: new Map(channels.map((c) => [c.id, c.name])),
    scheduleById: new Map(schedules.map((s) => [s.id, s.name])),
    emailByUserId: new Map(members.map((m) => [m.userId, m.user.email.toLowerCase()])),
  };
  const userIdByEmail = new Map([...names.emailByUserId].map(([id, email]) => [email, id]));

  return {
    names,
    userIdByEmail,
    channels: channels.map((c) => {
      let secrets: ChannelSecrets | null;
      try {
        secrets = openSecrets(c.secretsSealed);
      } catch {
        // Sealed under another key: the apply saves the credentials again.
        secrets = null;
      }
      return { id: c.id, name: c.name, type: c.type, enabled: c.enabled, config: c.config as Record<string, unknown>, secrets };
    }),
    schedules: schedules.map((s) => ({
      id: s.id,
      name: s.name,
      shape: {
        timeZone: s.timeZone,
        description: s.description,
        layers: s.layers.map((l) => layerShape({ ...l, participants: l.participants.map((p) => names.emailByUserId.get(p) ?? `#${p}`) })),
      },
    })),
    policies: policies.map((p) => ({
      id: p.id,
      name: p.name,
      shape: {
        description: p.description ?? null,
        repeat: p.repeat,
        repeatAfterMinutes: p.repeatAfterSeconds / 60,
        steps: p.steps.map((s) => ({ afterMinutes: s.afterSeconds / 60, targets: storedTargets(s.targets).map((t) => namedTarget(t, names)) })),
      },
    })),
    routes: routes.map((r) => ({
      id: r.id,
      name: r.name,
      isDefault: r.isDefault,
      shape: { position: r.position, matchers: storedMatchers(r.matchers), policy: r.policy.name, isDefault: r.isDefault, enabled: r.enabled },
    })),
    silences: silences.map((s) => ({
      id: s.id,
      comment: s.comment,
      createdBy: s.createdBy,
      startsAt: s.startsAt,
      shape: { matchers: storedMatchers(s.matchers), endsAt: s.endsAt.toISOString(), recurrence: (s.recurrence as Recurrence | null) ?? null },
    })),
    inhibitionRules: inhibitionRules.map((r) => ({
      id: r.id,
      name: r.name,
      shape: { sourceMatchers: storedMatchers(r.sourceMatchers), targetMatchers: storedMatchers(r.targetMatchers), equal: r.equal },
    })),
  };
}
export type CurrentState = Awaited<ReturnType<typeof loadCurrentState>>;
