// Overview figures: open incidents by severity, signals per hour, MTTA and MTTR.
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";

export type IncidentStats = {
  openBySeverity: Record<"info" | "warning" | "critical", number>;
  signalsPerHour: { hour: string; count: number }[];
  mttaSeconds: number | null;
  mttrSeconds: number | null;
  windowDays: number;
};

export async function incidentStats({ actor, now = new Date(), windowDays = 30 }: { actor: Actor; now?: Date; windowDays?: number }): Promise<IncidentStats> {
  assertCan(actor, "incidents.read");
  const orgId = actor.orgId;
  const since = new Date(now.getTime() - windowDays * 86_400_000);
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const [open, hourly, times] = await Promise.all([
    db.incident.groupBy({ by: ["severity"], where: { orgId, status: { not: "resolved" } }, _count: true }),
    db.$queryRaw<{ hour: Date; count: bigint }[]>`
      SELECT date_trunc('hour', "startsAt") AS hour, count(*) AS count
      FROM "Signal" WHERE "orgId" = ${orgId}::uuid AND "startsAt" >= ${dayAgo}
      GROUP BY 1 ORDER BY 1`,
    db.$queryRaw<{ mtta: number | null; mttr: number | null }[]>`
      SELECT avg(extract(epoch FROM "acknowledgedAt" - "openedAt"))::float8 AS mtta,
             avg(extract(epoch FROM "resolvedAt" - "openedAt"))::float8 AS mttr
      FROM "Incident" WHERE "orgId" = ${orgId}::uuid AND "openedAt" >= ${since}`,
  ]);
  const openBySeverity = { info: 0, warning: 0, critical: 0 };
  for (const row of open) openBySeverity[row.severity] = row._count;
  // Every hour of the last day, zeros included, so a chart has no gaps.
  const counts = new Map(hourly.map((h) => [h.hour.toISOString(), Number(h.count)]));
  const signalsPerHour: IncidentStats["signalsPerHour"] = [];
  const first = new Date(Math.floor(dayAgo.getTime() / 3_600_000) * 3_600_000);
  for (let t = first.getTime(); t <= now.getTime(); t += 3_600_000) {
    const hour = new Date(t).toISOString();
    signalsPerHour.push({ hour, count: counts.get(hour) ?? 0 });
  }
  return { openBySeverity, signalsPerHour, mttaSeconds: times[0]?.mtta ?? null, mttrSeconds: times[0]?.mttr ?? null, windowDays };
}

/** The overview's short list: unacknowledged before acknowledged, then most severe, then most recently active. */
export async function topOpenIncidents({ actor, limit = 5 }: { actor: Actor; limit?: number }) {
  assertCan(actor, "incidents.read");
  return db.incident.findMany({
    where: { orgId: actor.orgId, status: { not: "resolved" } },
    // Postgres orders enums by declaration: status open < acknowledged, severity info < warning < critical.
    orderBy: [{ status: "asc" }, { severity: "desc" }, { lastSignalAt: "desc" }],
    take: limit,
    select: { id: true, title: true, status: true, severity: true, service: true, openedAt: true, lastSignalAt: true },
  });
}
