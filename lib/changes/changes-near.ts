// The changes that happened shortly before (and during) something going wrong, closest subject first in
// meaning but returned in time order: the evidence "a change to the affected service shortly before the
// first signal". Used by the recommender and the incident page.
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { notFound } from "@/lib/errors";
import { matchChange, minutesBefore, resolveSubject, type MatchStrength, type Subject } from "@/lib/changes/match";

export const DEFAULT_WINDOW_MINUTES = 120;
/** More than this many candidate rows in the window is a noisy sender; the newest are kept. */
const CANDIDATES_MAX = 1000;

export type NearChange = {
  id: string;
  at: Date;
  source: string;
  kind: string;
  title: string;
  service: string | null;
  namespace: string | null;
  deployment: string | null;
  cluster: string | null;
  revision: string | null;
  version: string | null;
  actor: string | null;
  url: string | null;
  labels: Record<string, string>;
  match: MatchStrength;
  /** Positive: that many minutes before `before`; negative: after it (during the incident). */
  minutesBefore: number;
};

export type ChangesNearInput = {
  orgId: string;
  subject: Subject;
  /** The reference time, usually the first signal. */
  before: Date;
  windowMinutes?: number;
  /** Also changes after `before`, up to this time (the incident's end, or now). */
  after?: Date;
};

/** Internal query, scoped to `orgId` by its caller (which has checked the actor). Oldest first. */
export async function changesNear({ orgId, subject, before, windowMinutes = DEFAULT_WINDOW_MINUTES, after }: ChangesNearInput): Promise<NearChange[]> {
  const from = new Date(before.getTime() - windowMinutes * 60_000);
  const to = after && after > before ? after : before;
  const who = resolveSubject(subject);
  const names = [who.service, who.deployment].filter((n): n is string => !!n);
  const ci = (v: string) => ({ equals: v, mode: "insensitive" as const });
  // A first cut in SQL (uses the indexes); matchChange decides.
  const related: Prisma.ChangeWhereInput[] = [
    ...names.flatMap((n) => [{ service: ci(n) }, { deployment: ci(n) }]),
    ...(who.namespace ? [{ namespace: ci(who.namespace) }] : []),
    { service: null, deployment: null, namespace: null },
  ];
  const rows = await db.change.findMany({
    where: { orgId, at: { gte: from, lte: to }, ...(names.length || who.namespace ? { OR: related } : {}) },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: CANDIDATES_MAX,
  });
  const out: NearChange[] = [];
  for (const r of rows.reverse()) {
    const match = matchChange(who, r);
    if (!match) continue;
    out.push({
      id: r.id,
      at: r.at,
      source: r.source,
      kind: r.kind,
      title: r.title,
      service: r.service,
      namespace: r.namespace,
      deployment: r.deployment,
      cluster: r.cluster,
      revision: r.revision,
      version: r.version,
      actor: r.actor,
      url: r.url,
      labels: (r.labels ?? {}) as Record<string, string>,
      match,
      minutesBefore: minutesBefore(r.at, before),
    });
  }
  return out;
}

/** For an incident: its service and labels, the window before its first signal, and its duration so far. */
export async function changesNearIncident({ actor, incidentId, windowMinutes = DEFAULT_WINDOW_MINUTES, now = new Date() }: { actor: Actor; incidentId: string; windowMinutes?: number; now?: Date }) {
  assertCan(actor, "incidents.read");
  const incident = await db.incident.findFirst({ where: { id: incidentId, orgId: actor.orgId }, select: { service: true, labels: true, openedAt: true, resolvedAt: true } });
  if (!incident) throw notFound("incident");
  const firstSignal = (await db.signal.aggregate({ where: { orgId: actor.orgId, incidentId }, _min: { startsAt: true } }))._min.startsAt;
  const reference = firstSignal && firstSignal < incident.openedAt ? firstSignal : incident.openedAt;
  const labels = Object.fromEntries(Object.entries((incident.labels ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  const changes = await changesNear({
    orgId: actor.orgId,
    subject: { service: incident.service, labels },
    before: reference,
    windowMinutes,
    after: incident.resolvedAt ?? now,
  });
  return { reference, referenceIsFirstSignal: !!firstSignal && firstSignal <= incident.openedAt, windowMinutes, changes };
}
