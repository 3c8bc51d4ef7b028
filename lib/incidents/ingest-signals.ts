// The one way signals enter NeuralOps (anomaly scans, Alertmanager, remote_write). In one transaction:
// deduplicate on (fingerprint, startsAt), attach new firing signals to the open incident of their group
// (or open one), resolve signals, auto-resolve incidents whose signals have all resolved, and write the
// timeline. Incident lifecycle changes are audited; individual signal hits are not (they are data).
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { appendAudit } from "@/lib/audit/append-audit";
import { groupKeyFor, maxSeverity } from "@/lib/incidents/grouping";
import { DEFAULT_GROUP_WINDOW_MS, ZSignalInput, type Severity, type SignalInput } from "@/lib/incidents/schemas";

export type IngestResult = { created: number; updated: number; resolved: number; openedIncidents: string[]; resolvedIncidents: string[] };

type Parsed = ReturnType<typeof ZSignalInput.parse>;
type Tx = Prisma.TransactionClient;

const GROUP_LOCK_CLASS = 0x494e; // "IN"

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
  for (const s of signals.map((x) => ZSignalInput.parse(x))) byKey.set(`${s.fingerprint}|${s.startsAt.toISOString()}`, s);
  const inputs = [...byKey.values()];
  const result: IngestResult = { created: 0, updated: 0, resolved: 0, openedIncidents: [], resolvedIncidents: [] };
  if (inputs.length === 0) return result;

  return db.$transaction(
    async (tx) => {
      const orgId = actor.orgId;
      const groups = [...new Set(inputs.map((s) => groupKeyFor(s.labels, groupBy)))].sort();
      // Two deliveries for one group must not both open an incident; sorted order avoids deadlocks.
      for (const g of groups) await tx.$executeRaw`SELECT pg_advisory_xact_lock(${GROUP_LOCK_CLASS}::int, hashtext(${`${orgId}|${g}`}))`;

      const existing = await tx.signal.findMany({
        where: { orgId, OR: inputs.map((s) => ({ fingerprint: s.fingerprint, startsAt: s.startsAt })) },
      });
      const known = new Map(existing.map((e) => [`${e.fingerprint}|${e.startsAt.toISOString()}`, e]));
      const touched = new Set<string>();
      const now = new Date();

      for (const s of inputs) {
        const prior = known.get(`${s.fingerprint}|${s.startsAt.toISOString()}`);
        if (prior) {
          const resolving = s.status === "resolved" && prior.status === "firing";
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
          result.updated += 1;
          if (resolving) {
            result.resolved += 1;
            if (prior.incidentId) {
              touched.add(prior.incidentId);
              await timeline(tx, orgId, prior.incidentId, "signal_resolved", actor, { signalId: prior.id, title: prior.title });
            }
          }
          continue;
        }

        const groupKey = groupKeyFor(s.labels, groupBy);
        const signalTime = s.startsAt;
        let incident = await tx.incident.findFirst({
          where: { orgId, groupKey, status: { not: "resolved" }, lastSignalAt: { gte: new Date(signalTime.getTime() - windowMs) } },
          orderBy: { lastSignalAt: "desc" },
        });
        if (!incident && s.status === "firing") {
          incident = await tx.incident.create({
            data: {
              orgId,
              title: s.title,
              severity: s.severity,
              groupKey,
              service: s.labels.service ?? s.labels.namespace ?? null,
              labels: s.labels,
              openedAt: signalTime,
              lastSignalAt: signalTime,
            },
          });
          result.openedIncidents.push(incident.id);
          await timeline(tx, orgId, incident.id, "opened", actor, { groupKey, severity: s.severity, title: s.title });
          await appendAudit(tx, { actor, action: "incident.opened", target: { type: "incident", id: incident.id }, data: { groupKey, severity: s.severity, title: s.title } });
        }
        const created = await tx.signal.create({
          data: {
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
            incidentId: incident?.id ?? null,
          },
        });
        result.created += 1;
        if (s.status === "resolved") result.resolved += 1;
        if (incident) {
          touched.add(incident.id);
          const severity = maxSeverity(incident.severity as Severity, s.severity);
          const lastSignalAt = incident.lastSignalAt > signalTime ? incident.lastSignalAt : signalTime;
          incident = await tx.incident.update({ where: { id: incident.id }, data: { severity, lastSignalAt } });
          await timeline(tx, orgId, incident.id, "signal_added", actor, { signalId: created.id, kind: s.kind, title: s.title, severity: s.severity, status: s.status });
        }
      }

      for (const incidentId of touched) {
        const firing = await tx.signal.count({ where: { incidentId, status: "firing" } });
        if (firing > 0) continue;
        const inc = await tx.incident.findUniqueOrThrow({ where: { id: incidentId } });
        if (inc.status === "resolved") continue;
        await tx.incident.update({ where: { id: incidentId }, data: { status: "resolved", resolvedAt: now, resolvedBy: "auto: all signals resolved" } });
        await timeline(tx, orgId, incidentId, "resolved", actor, { reason: "all signals resolved" });
        await appendAudit(tx, { actor, action: "incident.resolved", target: { type: "incident", id: incidentId }, data: { reason: "all signals resolved", auto: true } });
        result.resolvedIncidents.push(incidentId);
      }
      return result;
    },
    { timeout: 30_000, maxWait: 10_000 },
  );
}

export async function timeline(tx: Tx, orgId: string, incidentId: string, type: string, actor: Actor, data: Record<string, unknown> = {}) {
  await tx.incidentEvent.create({
    data: { orgId, incidentId, type, actorLabel: actor.label ?? `${actor.type}:${actor.id}`, data: data as Prisma.InputJsonValue },
  });
}
