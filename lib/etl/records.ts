// What an export line contains, and how a batch of them is read: keyset pagination over (time, id), so
// each batch is an index range scan however far into the table the export is.
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ExportKind } from "@/lib/etl/schemas";

export type Keyset = { at: Date; id: string } | null;
export type Range = { from?: Date | null; to?: Date | null };

function after(field: "openedAt" | "createdAt", k: Keyset) {
  return k ? { OR: [{ [field]: { gt: k.at } }, { [field]: k.at, id: { gt: k.id } }] } : {};
}

function within(field: "openedAt" | "createdAt", r: Range) {
  return r.from || r.to ? { [field]: { ...(r.from ? { gte: r.from } : {}), ...(r.to ? { lt: r.to } : {}) } } : {};
}

export async function countRecords(orgId: string, kind: ExportKind, range: Range): Promise<number> {
  return kind === "incidents"
    ? db.incident.count({ where: { orgId, ...within("openedAt", range) } })
    : db.run.count({ where: { orgId, ...within("createdAt", range) } });
}

export type Batch = { records: Record<string, unknown>[]; last: Keyset };

export async function readBatch(orgId: string, kind: ExportKind, range: Range, cursor: Keyset, size: number): Promise<Batch> {
  if (kind === "incidents") {
    const rows = await db.incident.findMany({
      where: { orgId, ...within("openedAt", range), ...after("openedAt", cursor) } as Prisma.IncidentWhereInput,
      orderBy: [{ openedAt: "asc" }, { id: "asc" }],
      take: size,
      include: { signals: { orderBy: { startsAt: "asc" } }, events: { orderBy: { at: "asc" } } },
    });
    const last = rows.at(-1);
    return { records: rows.map(incidentRecord), last: last ? { at: last.openedAt, id: last.id } : null };
  }
  const rows = await db.run.findMany({
    where: { orgId, ...within("createdAt", range), ...after("createdAt", cursor) } as Prisma.RunWhereInput,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: size,
    include: { steps: { orderBy: { idx: "asc" } }, approvals: { orderBy: { createdAt: "asc" } }, playbookVersion: { select: { version: true, digest: true } } },
  });
  const last = rows.at(-1);
  return { records: rows.map(runRecord), last: last ? { at: last.createdAt, id: last.id } : null };
}

type IncidentRow = Prisma.IncidentGetPayload<{ include: { signals: true; events: true } }>;
type RunRow = Prisma.RunGetPayload<{ include: { steps: true; approvals: true; playbookVersion: { select: { version: true; digest: true } } } }>;

export function incidentRecord(i: IncidentRow) {
  return {
    type: "incident",
    id: i.id,
    title: i.title,
    status: i.status,
    severity: i.severity,
    service: i.service,
    groupKey: i.groupKey,
    labels: i.labels,
    openedAt: i.openedAt,
    lastSignalAt: i.lastSignalAt,
    acknowledgedAt: i.acknowledgedAt,
    acknowledgedBy: i.acknowledgedBy,
    resolvedAt: i.resolvedAt,
    resolvedBy: i.resolvedBy,
    signals: i.signals.map((s) => ({
      id: s.id,
      kind: s.kind,
      title: s.title,
      severity: s.severity,
      status: s.status,
      labels: s.labels,
      annotations: s.annotations,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      hits: s.hits,
      score: s.score,
      value: s.value,
      source: s.source,
    })),
    timeline: i.events.map((e) => ({ at: e.at, type: e.type, actor: e.actorLabel, data: e.data })),
  };
}

export function runRecord(r: RunRow) {
  return {
    type: "run",
    id: r.id,
    playbook: r.playbookName,
    version: r.playbookVersion.version,
    digest: r.playbookVersion.digest,
    incidentId: r.incidentId,
    status: r.status,
    risk: r.risk,
    params: r.params,
    reason: r.reason,
    requestedBy: r.requestedByLabel,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    error: r.error,
    steps: r.steps.map((s) => ({ stepId: s.stepId, action: s.action, status: s.status, attempts: s.attempts, startedAt: s.startedAt, finishedAt: s.finishedAt, output: s.output, error: s.error })),
    approvals: r.approvals.map((a) => ({ by: a.userLabel, decision: a.decision, comment: a.comment, at: a.createdAt })),
  };
}
