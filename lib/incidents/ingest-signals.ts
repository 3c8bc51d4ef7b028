// The one way signals enter NeuralOps (anomaly scans, Alertmanager, remote_write). In one transaction:
// deduplicate on (fingerprint, startsAt), attach new firing signals to the open incident of their group
// whose time they fall in (or open one), resolve signals, auto-resolve incidents whose signals have all
// resolved, and write the timeline. Incident lifecycle changes are audited; individual signal hits are
// not (they are data).
//
// A signal from the past (a new monitor's first scan over its history, a late delivery) joins only an
// incident of its own time: it opens its own, and when it has already ended, that incident is resolved
// in the same delivery. An incident resolves at the time its last signal ended. Nobody is paged for
// the past, nothing is lost.
import { randomUUID } from "node:crypto";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { appendAudit } from "@/lib/audit/append-audit";
import { groupKeyFor, incidentServiceFor, maxSeverity } from "@/lib/incidents/grouping";
import { lockIncidentGroups } from "@/lib/incidents/group-lock";
import { requestEmbedding } from "@/lib/vectors/embed-objects";
import { incidentsChanged, incidentsOpened } from "@/lib/oncall/hooks";
import { DEFAULT_GROUP_WINDOW_MS, EARLY_SIGNAL_TOLERANCE_MS, ZSignalInput, type Severity, type SignalInput } from "@/lib/incidents/schemas";

export type IngestResult = { created: number; updated: number; resolved: number; openedIncidents: string[]; resolvedIncidents: string[]; touchedIncidents: string[] };

type Parsed = ReturnType<typeof ZSignalInput.parse>;
type Tx = Prisma.TransactionClient;


export async function ingestSignals({
  actor,
  signals,
  groupBy,
  windowMs = DEFAULT_GROUP_WINDOW_MS,
}: {
  actor: Actor;
  signals: SignalInput[];
  groupBy?: readonly string[];
  windowMs?: number;
}): Promise<IngestResult> {
  assertCan(actor, "signals.ingest");
  // Later entries win when a batch repeats a signal (Alertmanager can, across groups).
  const byKey = new Map<string, Parsed>();
  // A short anomaly can start and end within one batch: it still fired, so it still opens an incident.
  const firedInBatch = new Set<Parsed>();
  for (const s of signals.map((x) => ZSignalInput.parse(x))) {
    const key = `${s.fingerprint}|${s.startsAt.toISOString()}`;
    const fired = s.status === "firing" || byKey.get(key)?.status === "firing";
    byKey.set(key, s);
    if (fired) firedInBatch.add(s);
  }
  const inputs = [...byKey.values()];
  const result: IngestResult = { created: 0, updated: 0, resolved: 0, openedIncidents: [], resolvedIncidents: [], touchedIncidents: [] };
  if (inputs.length === 0) return result;

  const done = await db.$transaction(
    async (tx) => {
      const orgId = actor.orgId;
      const now = new Date();
      const groupOf = new Map(inputs.map((s) => [s, groupKeyFor(s.labels, groupBy)]));
      const groups = [...new Set(groupOf.values())].sort();
      // Two deliveries for one group must not both open an incident, nor join one being resolved.
      await lockIncidentGroups(tx, orgId, groups);

      // Raw SQL on the hot path: Prisma compiles a new plan for every distinct OR-list length.
      const existing = await tx.$queryRaw<{ id: string; fingerprint: string; startsAt: Date; status: "firing" | "resolved"; score: number | null; title: string; incidentId: string | null }[]>`
        SELECT s.id, s.fingerprint, s."startsAt", s.status::text AS status, s.score, s.title, s."incidentId"
        FROM "Signal" s
        JOIN unnest(${inputs.map((i) => i.fingerprint)}::text[], ${inputs.map((i) => i.startsAt)}::timestamp[]) AS k(fingerprint, starts_at)
          ON s.fingerprint = k.fingerprint AND s."startsAt" = k.starts_at
        WHERE s."orgId" = ${orgId}::uuid`;
      const known = new Map(existing.map((e) => [`${e.fingerprint}|${e.startsAt.toISOString()}`, e]));
      const touched = new Set<string>();
      const events: Prisma.IncidentEventCreateManyInput[] = [];
      const event = (incidentId: string, type: string, data: Record<string, unknown>) =>
        events.push({ orgId, incidentId, type, actorLabel: actor.label ?? `${actor.type}:${actor.id}`, data: data as Prisma.InputJsonValue });

      // 1. Signals seen before: a repeat delivery bumps the hit count; a resolution closes them.
      const repeats: string[] = [];
      const fresh: Parsed[] = [];
      for (const s of inputs) {
        const prior = known.get(`${s.fingerprint}|${s.startsAt.toISOString()}`);
        if (!prior) {
          fresh.push(s);
          continue;
        }
        result.updated += 1;
        if (s.status === prior.status && s.score == null && s.value == null) {
          repeats.push(prior.id);
          continue;
        }
        await tx.signal.update({
          where: { id: prior.id },
          data: {
            hits: { increment: 1 },
            lastSeenAt: now,
            status: s.status,
            endsAt: s.status === "resolved" ? (s.endsAt ?? now) : null,
            ...(s.score != null ? { score: Math.max(prior.score ?? 0, s.score) } : {}),
            ...(s.value != null ? { value: s.value } : {}),
          },
        });
        if (s.status === "resolved" && prior.status === "firing") {
          result.resolved += 1;
          if (prior.incidentId) {
            touched.add(prior.incidentId);
            event(prior.incidentId, "signal_resolved", { signalId: prior.id, title: prior.title, endsAt: (s.endsAt ?? now).toISOString() });
          }
        }
      }
      if (repeats.length) await tx.signal.updateMany({ where: { id: { in: repeats } }, data: { hits: { increment: 1 }, lastSeenAt: now } });

      // 2. New signals join the open incident of their group whose time they fall in, or open one.
      if (fresh.length) {
        const earliest = Math.min(...fresh.map((s) => s.startsAt.getTime()));
        const open = await tx.incident.findMany({
          where: { orgId, groupKey: { in: [...new Set(fresh.map((s) => groupOf.get(s)!))] }, status: { not: "resolved" }, lastSignalAt: { gte: new Date(earliest - windowMs) } },
          orderBy: { lastSignalAt: "desc" },
        });
        type Inc = { id: string; severity: Severity; openedAt: Date; lastSignalAt: Date; created: boolean; changed: boolean };
        const byGroup = new Map<string, Inc[]>();
        for (const inc of open)
          byGroup.set(inc.groupKey, [...(byGroup.get(inc.groupKey) ?? []), { id: inc.id, severity: inc.severity as Severity, openedAt: inc.openedAt, lastSignalAt: inc.lastSignalAt, created: false, changed: false }]);
        // The incident's time, widened by the group window after its last signal and a little before it opened.
        const joins = (i: Inc, at: number) => at >= i.openedAt.getTime() - EARLY_SIGNAL_TOLERANCE_MS && at <= i.lastSignalAt.getTime() + windowMs;
        const signalRows: Prisma.SignalCreateManyInput[] = [];
        for (const s of [...fresh].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())) {
          const groupKey = groupOf.get(s)!;
          let inc = byGroup.get(groupKey)?.find((i) => joins(i, s.startsAt.getTime()));
          if (!inc && firedInBatch.has(s)) {
            const created = await tx.incident.create({
              data: { orgId, title: s.title, severity: s.severity, groupKey, service: incidentServiceFor(s.labels), labels: s.labels, openedAt: s.startsAt, lastSignalAt: s.startsAt },
            });
            inc = { id: created.id, severity: s.severity, openedAt: s.startsAt, lastSignalAt: s.startsAt, created: true, changed: false };
            byGroup.set(groupKey, [inc, ...(byGroup.get(groupKey) ?? [])]);
            result.openedIncidents.push(created.id);
            event(created.id, "opened", { groupKey, severity: s.severity, title: s.title, startsAt: s.startsAt.toISOString() });
            await appendAudit(tx, { actor, action: "incident.opened", target: { type: "incident", id: created.id }, data: { groupKey, severity: s.severity, title: s.title } });
          }
          const id = randomUUID();
          signalRows.push({
            id,
            orgId,
            kind: s.kind,
            fingerprint: s.fingerprint,
            startsAt: s.startsAt,
            status: s.status,
            endsAt: s.status === "resolved" ? (s.endsAt ?? now) : null,
            lastSeenAt: now,
            title: s.title,
            labels: s.labels,
            annotations: s.annotations,
            severity: s.severity,
            score: s.score ?? null,
            value: s.value ?? null,
            source: s.source,
            incidentId: inc?.id ?? null,
          });
          result.created += 1;
          if (s.status === "resolved") result.resolved += 1;
          if (inc) {
            touched.add(inc.id);
            const severity = maxSeverity(inc.severity, s.severity);
            const lastSignalAt = inc.lastSignalAt > s.startsAt ? inc.lastSignalAt : s.startsAt;
            inc.changed ||= severity !== inc.severity || lastSignalAt !== inc.lastSignalAt;
            Object.assign(inc, { severity, lastSignalAt });
            // The event is stamped when the signal arrived; startsAt is when it happened.
            event(inc.id, "signal_added", { signalId: id, kind: s.kind, title: s.title, severity: s.severity, status: s.status, startsAt: s.startsAt.toISOString() });
          }
        }
        await tx.signal.createMany({ data: signalRows });
        const changed = [...byGroup.values()].flat().filter((i) => i.changed);
        if (changed.length) {
          // One statement for all incidents this delivery touched (each would otherwise be a round trip).
          await tx.$executeRaw`
            UPDATE "Incident" AS i SET severity = v.severity::"Severity", "lastSignalAt" = v.at, "updatedAt" = now()
            FROM unnest(${changed.map((c) => c.id)}::uuid[], ${changed.map((c) => c.severity)}::text[], ${changed.map((c) => c.lastSignalAt)}::timestamptz[]) AS v(id, severity, at)
            WHERE i.id = v.id`;
        }
      }

      // 3. An incident whose signals have all resolved resolves itself (only a resolution can cause that).
      if (touched.size && result.resolved > 0) {
        const stillFiring = await tx.signal.groupBy({ by: ["incidentId"], where: { incidentId: { in: [...touched] }, status: "firing" }, _count: true });
        const firingIds = new Set(stillFiring.map((r) => r.incidentId));
        const candidates = await tx.incident.findMany({ where: { id: { in: [...touched].filter((id) => !firingIds.has(id)) }, status: { not: "resolved" } }, select: { id: true, openedAt: true } });
        // Resolved when its last signal ended, not when we learned of it: for history a new monitor's
        // first scan loads, that is hours earlier (and counting the delay would inflate time to resolve).
        const ended = candidates.length ? await tx.signal.groupBy({ by: ["incidentId"], where: { incidentId: { in: candidates.map((c) => c.id) } }, _max: { endsAt: true } }) : [];
        const endedAt = new Map(ended.map((r) => [r.incidentId, r._max.endsAt]));
        for (const { id, openedAt } of candidates) {
          const last = endedAt.get(id);
          const resolvedAt = last && last < now ? (last > openedAt ? last : openedAt) : now;
          await tx.incident.update({ where: { id }, data: { status: "resolved", resolvedAt, resolvedBy: "auto: all signals resolved" } });
          event(id, "resolved", { reason: "all signals resolved", resolvedAt: resolvedAt.toISOString() });
          await appendAudit(tx, { actor, action: "incident.resolved", target: { type: "incident", id }, data: { reason: "all signals resolved", auto: true } });
          result.resolvedIncidents.push(id);
        }
      }
      if (events.length) await tx.incidentEvent.createMany({ data: events.map((e, i) => ({ ...e, at: new Date(now.getTime() + i) })) });
      result.touchedIncidents = [...new Set([...result.openedIncidents, ...touched])];
      return result;
    },
    { timeout: 30_000, maxWait: 10_000 },
  );
  // Paging starts only once the incident is committed (the job reads it); see lib/oncall/hooks.ts.
  await incidentsOpened(done.openedIncidents);
  await incidentsChanged(done.resolvedIncidents, "resolved");
  // The signals are committed; a missed embedding is caught up by the hourly vectors.reembed job.
  await requestEmbedding("incident", done.touchedIncidents).catch((err: Error) =>
    console.error(JSON.stringify({ level: "warn", msg: "could not queue incident embeddings", error: err.message })),
  );
  return done;
}

export async function timeline(tx: Tx, orgId: string, incidentId: string, type: string, actor: Actor, data: Record<string, unknown> = {}) {
  await tx.incidentEvent.create({
    data: { orgId, incidentId, type, actorLabel: actor.label ?? `${actor.type}:${actor.id}`, data: data as Prisma.InputJsonValue },
  });
}
