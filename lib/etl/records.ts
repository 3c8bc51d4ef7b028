// What an export line contains, and how a batch of them is read: one SQL statement per batch (children
// aggregated as JSON), keyset pagination over (time, id) so each batch is an index range scan however far
// into the table the export is. Fields split into `keep` (ids, times, enums, numbers: never PII) and
// `text` (everything a person or a system wrote), and only `text` goes through redaction.
import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import type { ExportKind } from "@/lib/etl/schemas";

export type Keyset = { at: Date; id: string } | null;
export type Range = { from?: Date | null; to?: Date | null };
export type ExportRecord = { keep: Record<string, unknown>; text: Record<string, unknown> };
export type Batch = { records: ExportRecord[]; last: Keyset };

// UTC ISO-8601 for timestamps inside JSON aggregates (the columns are timestamp(3) holding UTC).
const iso = (col: string) => Prisma.raw(`to_char(${col}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

function where(alias: string, timeCol: string, orgId: string, range: Range, cursor: Keyset) {
  const t = Prisma.raw(`${alias}."${timeCol}"`);
  const id = Prisma.raw(`${alias}.id`);
  return Prisma.sql`${Prisma.raw(alias)}."orgId" = ${orgId}::uuid
    ${range.from ? Prisma.sql`AND ${t} >= ${range.from}` : Prisma.empty}
    ${range.to ? Prisma.sql`AND ${t} < ${range.to}` : Prisma.empty}
    ${cursor ? Prisma.sql`AND (${t} > ${cursor.at} OR (${t} = ${cursor.at} AND ${id} > ${cursor.id}::uuid))` : Prisma.empty}`;
}

export async function countRecords(orgId: string, kind: ExportKind, range: Range): Promise<number> {
  return kind === "incidents"
    ? db.incident.count({ where: { orgId, openedAt: { ...(range.from ? { gte: range.from } : {}), ...(range.to ? { lt: range.to } : {}) } } })
    : db.run.count({ where: { orgId, createdAt: { ...(range.from ? { gte: range.from } : {}), ...(range.to ? { lt: range.to } : {}) } } });
}

type RunRow = {
  id: string; playbookName: string; version: number; digest: string; incidentId: string | null; status: string; risk: string; params: unknown; reason: string | null;
  requestedByLabel: string; createdAt: Date; startedAt: Date | null; finishedAt: Date | null; error: string | null;
  steps: Array<{ stepId: string; action: string; status: string; attempts: number; startedAt: string | null; finishedAt: string | null; output: unknown; error: string | null }>;
  approvals: Array<{ by: string; decision: string; comment: string | null; at: string }>;
};

type IncidentRow = {
  id: string; title: string; status: string; severity: string; service: string | null; groupKey: string; labels: unknown; openedAt: Date; lastSignalAt: Date;
  acknowledgedAt: Date | null; acknowledgedBy: string | null; resolvedAt: Date | null; resolvedBy: string | null;
  signals: Array<{ id: string; kind: string; title: string; severity: string; status: string; labels: unknown; annotations: unknown; startsAt: string; endsAt: string | null; hits: number; score: number | null; value: number | null; source: string }>;
  timeline: Array<{ at: string; type: string; actor: string; data: unknown }>;
};

export async function readBatch(orgId: string, kind: ExportKind, range: Range, cursor: Keyset, size: number): Promise<Batch> {
  if (kind === "runs") {
    const rows = await db.$queryRaw<RunRow[]>`
      SELECT r.id, r."playbookName", v.version, v.digest, r."incidentId", r.status::text, r.risk::text, r.params, r.reason, r."requestedByLabel",
             r."createdAt", r."startedAt", r."finishedAt", r.error,
             COALESCE((SELECT json_agg(json_build_object('stepId', s."stepId", 'action', s.action, 'status', s.status, 'attempts', s.attempts,
                        'startedAt', ${iso('s."startedAt"')}, 'finishedAt', ${iso('s."finishedAt"')}, 'output', s.output, 'error', s.error) ORDER BY s.idx)
                       FROM "RunStep" s WHERE s."runId" = r.id), '[]'::json) AS steps,
             COALESCE((SELECT json_agg(json_build_object('by', a."userLabel", 'decision', a.decision, 'comment', a.comment, 'at', ${iso('a."createdAt"')}) ORDER BY a."createdAt")
                       FROM "Approval" a WHERE a."runId" = r.id), '[]'::json) AS approvals
      FROM "Run" r JOIN "PlaybookVersion" v ON v.id = r."playbookVersionId"
      WHERE ${where("r", "createdAt", orgId, range, cursor)}
      ORDER BY r."createdAt", r.id
      LIMIT ${size}`;
    const last = rows.at(-1);
    return { records: rows.map(runRecord), last: last ? { at: last.createdAt, id: last.id } : null };
  }
  const rows = await db.$queryRaw<IncidentRow[]>`
    SELECT i.id, i.title, i.status::text, i.severity::text, i.service, i."groupKey", i.labels, i."openedAt", i."lastSignalAt",
           i."acknowledgedAt", i."acknowledgedBy", i."resolvedAt", i."resolvedBy",
           COALESCE((SELECT json_agg(json_build_object('id', s.id, 'kind', s.kind, 'title', s.title, 'severity', s.severity, 'status', s.status, 'labels', s.labels,
                      'annotations', s.annotations, 'startsAt', ${iso('s."startsAt"')}, 'endsAt', ${iso('s."endsAt"')}, 'hits', s.hits, 'score', s.score, 'value', s.value, 'source', s.source) ORDER BY s."startsAt")
                     FROM "Signal" s WHERE s."incidentId" = i.id), '[]'::json) AS signals,
           COALESCE((SELECT json_agg(json_build_object('at', ${iso("e.at")}, 'type', e.type, 'actor', e."actorLabel", 'data', e.data) ORDER BY e.at)
                     FROM "IncidentEvent" e WHERE e."incidentId" = i.id), '[]'::json) AS timeline
    FROM "Incident" i
    WHERE ${where("i", "openedAt", orgId, range, cursor)}
    ORDER BY i."openedAt", i.id
    LIMIT ${size}`;
  const last = rows.at(-1);
  return { records: rows.map(incidentRecord), last: last ? { at: last.openedAt, id: last.id } : null };
}

function incidentRecord(i: IncidentRow): ExportRecord {
  return {
    keep: {
      type: "incident",
      id: i.id,
      status: i.status,
      severity: i.severity,
      openedAt: i.openedAt,
      lastSignalAt: i.lastSignalAt,
      acknowledgedAt: i.acknowledgedAt,
      resolvedAt: i.resolvedAt,
    },
    text: {
      title: i.title,
      service: i.service,
      groupKey: i.groupKey,
      labels: i.labels,
      acknowledgedBy: i.acknowledgedBy,
      resolvedBy: i.resolvedBy,
      signals: i.signals,
      timeline: i.timeline,
    },
  };
}

function runRecord(r: RunRow): ExportRecord {
  return {
    keep: {
      type: "run",
      id: r.id,
      version: r.version,
      digest: r.digest,
      incidentId: r.incidentId,
      status: r.status,
      risk: r.risk,
      createdAt: r.createdAt,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
    },
    text: { playbook: r.playbookName, params: r.params, reason: r.reason, requestedBy: r.requestedByLabel, error: r.error, steps: r.steps, approvals: r.approvals },
  };
}
