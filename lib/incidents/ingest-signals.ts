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
import { inFlight, rawSql, rawTransaction } from "@/lib/db/raw";
import { env } from "@/lib/env";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { appendAudit } from "@/lib/audit/append-audit";
import { groupKeyFor, incidentServiceFor, maxSeverity } from "@/lib/incidents/grouping";
import { lockIncidentGroups } from "@/lib/incidents/group-lock";
import { requestEmbeddingSoon } from "@/lib/vectors/embed-objects";
import { incidentsChanged, incidentsOpened } from "@/lib/oncall/hooks";
import { DEFAULT_GROUP_WINDOW_MS, EARLY_SIGNAL_TOLERANCE_MS, ZSignalInput, type Severity, type SignalInput } from "@/lib/incidents/schemas";

export type IngestResult = { created: number; updated: number; resolved: number; openedIncidents: string[]; resolvedIncidents: string[]; touchedIncidents: string[] };

type Parsed = ReturnType<typeof ZSignalInput.parse>;
type Tx = Prisma.TransactionClient;


// Recently stored signal keys (fingerprint|startsAt → status), per process: a hint that a delivery is a
// pure repeat, which then costs one statement instead of a transaction. Only a hint: the statement itself
// checks every key (another process may have changed a signal), and anything else takes the full path.
// About 50k alerts: a storm's working set between two group_interval resends, in a few MB.
const RECENT_MAX = 50_000;
const recent = new Map<string, string>();
function remember(orgId: string, inputs: readonly Parsed[]) {
  for (const s of inputs) {
    const key = `${orgId}|${s.fingerprint}|${s.startsAt.toISOString()}`;
    recent.delete(key);
    recent.set(key, s.status);
  }
  for (const key of recent.keys()) {
    if (recent.size <= RECENT_MAX) break;
    recent.delete(key);
  }
}

/**
 * A repeat delivery (every key stored, same status, no new score or value) only bumps hit counts, and
 * does so all or nothing in one statement: 0 rows when any key is new or changed, then the caller takes
 * the full path. No group lock: a repeat changes no incident.
 */
async function bumpRepeats(orgId: string, inputs: readonly Parsed[], now: Date): Promise<boolean> {
  if (!inputs.every((s) => s.score == null && s.value == null && recent.get(`${orgId}|${s.fingerprint}|${s.startsAt.toISOString()}`) === s.status)) return false;
  const n = await rawSql().$executeRaw`
    WITH m AS (
      SELECT s.id FROM "Signal" s
      JOIN unnest(${inputs.map((i) => i.fingerprint)}::text[], ${inputs.map((i) => i.startsAt.toISOString())}::timestamp[], ${inputs.map((i) => i.status)}::text[]) AS k(fingerprint, starts_at, status)
        ON s.fingerprint = k.fingerprint AND s."startsAt" = k.starts_at AND s.status::text = k.status
      WHERE s."orgId" = ${orgId}::uuid)
    UPDATE "Signal" SET hits = hits + 1, "lastSeenAt" = ${now.toISOString()}::timestamp, "updatedAt" = ${now.toISOString()}::timestamp
    WHERE id IN (SELECT id FROM m) AND (SELECT count(*) FROM m) = ${inputs.length}`;
  return n === inputs.length;
}

type Known = { id: string; fingerprint: string; startsAt: number; status: "firing" | "resolved"; score: number | null; title: string; incidentId: string | null };
type OpenIncident = { id: string; groupKey: string; severity: Severity; openedAt: number; lastSignalAt: number };

/** Signals by key (later entries win), which of them fired, and in how many deliveries each key came. */
type Merged = { inputs: Parsed[]; firedInBatch: Set<Parsed>; deliveries: Map<string, number[]>; keyOf: Map<Parsed, string> };

const keyOfSignal = (s: Parsed) => `${s.fingerprint}|${s.startsAt.toISOString()}`;

function merge(lists: readonly Parsed[][]): Merged {
  // Later entries win when a batch repeats a signal (Alertmanager can, across groups).
  const byKey = new Map<string, Parsed>();
  // A short anomaly can start and end within one batch: it still fired, so it still opens an incident.
  const firedInBatch = new Set<Parsed>();
  const deliveries = new Map<string, number[]>();
  lists.forEach((list, li) => {
    for (const s of list) {
      const key = keyOfSignal(s);
      const fired = s.status === "firing" || byKey.get(key)?.status === "firing";
      byKey.set(key, s);
      if (fired) firedInBatch.add(s);
      const owners = deliveries.get(key) ?? [];
      if (owners[owners.length - 1] !== li) owners.push(li);
      deliveries.set(key, owners);
    }
  });
  const inputs = [...byKey.values()];
  return { inputs, firedInBatch, deliveries, keyOf: new Map(inputs.map((s) => [s, keyOfSignal(s)])) };
}

const emptyResult = (): IngestResult => ({ created: 0, updated: 0, resolved: 0, openedIncidents: [], resolvedIncidents: [], touchedIncidents: [] });

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
  const inputs = signals.map((x) => ZSignalInput.parse(x));
  if (inputs.length === 0) return emptyResult();
  const repeat = await bumpIfRepeat(actor.orgId, inputs);
  if (repeat) return repeat;
  const [result] = await commitBatch(actor, [inputs], groupBy, windowMs);
  return result!;
}

async function bumpIfRepeat(orgId: string, list: Parsed[]): Promise<IngestResult | null> {
  const { inputs } = merge([list]);
  if (!(await bumpRepeats(orgId, inputs, new Date()))) return null;
  return { ...emptyResult(), updated: inputs.length };
}

// Group commit for senders that post many deliveries at once (Alertmanager during a storm): while
// INGEST_BATCHES_PER_SENDER transactions of one sender are in flight, its next deliveries wait together
// and commit as one transaction (same locks, reads and writes as one delivery, each delivery gets its own
// answer). Fewer, larger transactions: the database does a fraction of the round trips per alert.
type Waiter = { list: Parsed[]; resolve: (r: IngestResult) => void; reject: (e: unknown) => void };
const senders = new Map<string, { running: number; waiting: Waiter[]; actor: Actor }>();

/**
 * ingestSignals for the Alertmanager webhook: the same outcome, but concurrent deliveries of one sender
 * (token) share a transaction. A batch that fails is retried delivery by delivery, so one delivery the
 * database refuses does not fail the others.
 */
export async function ingestSignalsCoalesced({ actor, signals }: { actor: Actor; signals: SignalInput[] }): Promise<IngestResult> {
  assertCan(actor, "signals.ingest");
  const list = signals.map((x) => ZSignalInput.parse(x));
  if (list.length === 0) return emptyResult();
  const repeat = await bumpIfRepeat(actor.orgId, list);
  if (repeat) return repeat;
  const key = `${actor.orgId}|${actor.type}:${actor.id}`;
  let sender = senders.get(key);
  if (!sender) senders.set(key, (sender = { running: 0, waiting: [], actor }));
  const result = new Promise<IngestResult>((resolve, reject) => sender.waiting.push({ list, resolve, reject }));
  drain(key);
  return result;
}

function drain(key: string) {
  const sender = senders.get(key);
  if (!sender) return;
  while (sender.running < env().INGEST_BATCHES_PER_SENDER && sender.waiting.length) {
    const batch = sender.waiting.splice(0, sender.waiting.length);
    sender.running++;
    void runBatch(sender.actor, batch).finally(() => {
      sender.running--;
      if (sender.running === 0 && sender.waiting.length === 0) senders.delete(key);
      else drain(key);
    });
  }
}

async function runBatch(actor: Actor, batch: Waiter[]) {
  try {
    const results = await commitBatch(actor, batch.map((w) => w.list));
    batch.forEach((w, i) => w.resolve(results[i]!));
  } catch (err) {
    if (batch.length === 1) return batch[0]!.reject(err);
    for (const w of batch) {
      await commitBatch(actor, [w.list]).then(([r]) => w.resolve(r!), w.reject);
    }
  }
}

/** One transaction for several deliveries; a result per delivery, as if each had been committed alone, in order. */
async function commitBatch(actor: Actor, lists: Parsed[][], groupBy?: readonly string[], windowMs = DEFAULT_GROUP_WINDOW_MS): Promise<IngestResult[]> {
  const { inputs, firedInBatch, deliveries, keyOf } = merge(lists);
  const result = emptyResult();
  const orgId = actor.orgId;
  // What happened to each key, to answer each delivery.
  const createdKeys = new Set<string>();
  const resolvedKeys = new Set<string>();
  const incidentOfKey = new Map<string, string>();
  const openedByKey = new Map<string, string>();
  const hitsOf = (s: Parsed) => deliveries.get(keyOf.get(s)!)!.length;

  // The full path is one transaction of four statements whatever the batch size, in two round trips
  // (pipelined): lock the groups and read the stored signals and open incidents; write everything (one
  // statement) and commit. Opening an incident
  // adds its audit append; a resolution adds the auto-resolve check. Raw SQL on Prisma's pool
  // (lib/db/raw.ts): Prisma's per-statement cost was a fifth of the webhook's CPU.
  const done = await rawTransaction(
    async (tx) => {
      const now = new Date();
      const nowIso = now.toISOString();
      const groupOf = new Map(inputs.map((s) => [s, groupKeyFor(s.labels, groupBy)]));
      const groups = [...new Set(groupOf.values())].sort();
      // Two deliveries for one group must not both open an incident, nor join one being resolved.
      const locked = lockIncidentGroups(tx, orgId, groups);

      // Both reads in one statement, pipelined behind the lock (rawTransaction): the server starts it, and
      // takes its snapshot, only once the lock is held, so it sees what the lock's last holder committed.
      // Times come back as epoch milliseconds: the columns are UTC timestamps without a zone.
      const earliest = Math.min(...inputs.map((s) => s.startsAt.getTime()));
      const read = tx.$queryRaw<{ signals: Known[]; incidents: OpenIncident[] }[]>`
        SELECT
          (SELECT coalesce(json_agg(json_build_object('id', s.id, 'fingerprint', s.fingerprint, 'startsAt', (extract(epoch FROM s."startsAt") * 1000)::bigint,
                    'status', s.status, 'score', s.score, 'title', s.title, 'incidentId', s."incidentId")), '[]'::json)
           FROM "Signal" s
           JOIN unnest(${inputs.map((i) => i.fingerprint)}::text[], ${inputs.map((i) => i.startsAt.toISOString())}::timestamp[]) AS k(fingerprint, starts_at)
             ON s.fingerprint = k.fingerprint AND s."startsAt" = k.starts_at
           WHERE s."orgId" = ${orgId}::uuid) AS signals,
          (SELECT coalesce(json_agg(json_build_object('id', i.id, 'groupKey', i."groupKey", 'severity', i.severity, 'openedAt', (extract(epoch FROM i."openedAt") * 1000)::bigint,
                    'lastSignalAt', (extract(epoch FROM i."lastSignalAt") * 1000)::bigint) ORDER BY i."lastSignalAt" DESC), '[]'::json)
           FROM "Incident" i
           WHERE i."orgId" = ${orgId}::uuid AND i."groupKey" = ANY(${groups}::text[]) AND i.status <> 'resolved'
             AND i."lastSignalAt" >= ${new Date(earliest - windowMs).toISOString()}::timestamp) AS incidents`;
      const [, [snapshot]] = await Promise.all([locked, read]);
      const known = new Map(snapshot!.signals.map((e) => [`${e.fingerprint}|${new Date(e.startsAt).toISOString()}`, e]));
      const touched = new Set<string>();
      const events: { incidentId: string; type: string; data: Record<string, unknown> }[] = [];
      const event = (incidentId: string, type: string, data: Record<string, unknown>) => events.push({ incidentId, type, data });

      // 1. Signals seen before: a repeat delivery bumps the hit count; a resolution closes them.
      type Update = { id: string; hits: number; bumpOnly: boolean; status: string; endsAt: string | null; score: number | null; value: number | null };
      const updates: Update[] = [];
      const fresh: Parsed[] = [];
      for (const s of inputs) {
        const prior = known.get(`${s.fingerprint}|${s.startsAt.toISOString()}`);
        if (!prior) {
          fresh.push(s);
          continue;
        }
        result.updated += 1;
        if (s.status === prior.status && s.score == null && s.value == null) {
          updates.push({ id: prior.id, hits: hitsOf(s), bumpOnly: true, status: s.status, endsAt: null, score: null, value: null });
          continue;
        }
        updates.push({
          id: prior.id,
          hits: hitsOf(s),
          bumpOnly: false,
          status: s.status,
          endsAt: s.status === "resolved" ? (s.endsAt ?? now).toISOString() : null,
          score: s.score != null ? Math.max(prior.score ?? 0, s.score) : null,
          value: s.value ?? null,
        });
        if (s.status === "resolved" && prior.status === "firing") {
          result.resolved += 1;
          resolvedKeys.add(keyOf.get(s)!);
          if (prior.incidentId) {
            incidentOfKey.set(keyOf.get(s)!, prior.incidentId);
            touched.add(prior.incidentId);
            event(prior.incidentId, "signal_resolved", { signalId: prior.id, title: prior.title, endsAt: (s.endsAt ?? now).toISOString() });
          }
        }
      }

      // 2. New signals join the open incident of their group whose time they fall in, or open one.
      type Inc = { id: string; groupKey: string; title: string; openedSeverity: Severity; service: string | null; labels: Record<string, string>; severity: Severity; openedAt: Date; lastSignalAt: Date; created: boolean; changed: boolean };
      const byGroup = new Map<string, Inc[]>();
      for (const inc of snapshot!.incidents) {
        const list = byGroup.get(inc.groupKey) ?? [];
        list.push({ id: inc.id, groupKey: inc.groupKey, title: "", openedSeverity: inc.severity, service: null, labels: {}, severity: inc.severity, openedAt: new Date(Number(inc.openedAt)), lastSignalAt: new Date(Number(inc.lastSignalAt)), created: false, changed: false });
        byGroup.set(inc.groupKey, list);
      }
      // The incident's time, widened by the group window after its last signal and a little before it opened.
      const joins = (i: Inc, at: number) => at >= i.openedAt.getTime() - EARLY_SIGNAL_TOLERANCE_MS && at <= i.lastSignalAt.getTime() + windowMs;
      const opened: Inc[] = [];
      const signalRows: { id: string; s: Parsed; incidentId: string | null }[] = [];
      for (const s of [...fresh].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())) {
        const groupKey = groupOf.get(s)!;
        let inc = byGroup.get(groupKey)?.find((i) => joins(i, s.startsAt.getTime()));
        if (!inc && firedInBatch.has(s)) {
          inc = { id: randomUUID(), groupKey, title: s.title, openedSeverity: s.severity, service: incidentServiceFor(s.labels), labels: s.labels, severity: s.severity, openedAt: s.startsAt, lastSignalAt: s.startsAt, created: true, changed: false };
          byGroup.set(groupKey, [inc, ...(byGroup.get(groupKey) ?? [])]);
          opened.push(inc);
          result.openedIncidents.push(inc.id);
          openedByKey.set(keyOf.get(s)!, inc.id);
          event(inc.id, "opened", { groupKey, severity: s.severity, title: s.title, startsAt: s.startsAt.toISOString() });
        }
        const id = randomUUID();
        signalRows.push({ id, s, incidentId: inc?.id ?? null });
        result.created += 1;
        createdKeys.add(keyOf.get(s)!);
        if (s.status === "resolved") {
          result.resolved += 1;
          resolvedKeys.add(keyOf.get(s)!);
        }
        if (inc) {
          touched.add(inc.id);
          incidentOfKey.set(keyOf.get(s)!, inc.id);
          const severity = maxSeverity(inc.severity, s.severity);
          const lastSignalAt = inc.lastSignalAt > s.startsAt ? inc.lastSignalAt : s.startsAt;
          inc.changed ||= severity !== inc.severity || lastSignalAt !== inc.lastSignalAt;
          Object.assign(inc, { severity, lastSignalAt });
          // The event is stamped when the signal arrived; startsAt is when it happened.
          event(inc.id, "signal_added", { signalId: id, kind: s.kind, title: s.title, severity: s.severity, status: s.status, startsAt: s.startsAt.toISOString() });
        }
      }
      const changed = [...byGroup.values()].flat().filter((i) => i.changed && !i.created);

      // 3. Everything above in one statement. Data-modifying CTEs run on one snapshot and cannot see each
      // other's rows, which is fine: each touches different rows, and foreign keys are checked at the end
      // of the statement (a signal may point at an incident inserted beside it). A signal key that another
      // group's delivery stored meanwhile (same fingerprint under other labels) counts as a repeat
      // instead of failing the delivery.
      const actorLabel = actor.label ?? `${actor.type}:${actor.id}`;
      const rows = signalRows.map((r) => r.s);
      // Not awaited: it goes out with COMMIT (or before the statements below), and rawTransaction commits
      // only when it succeeded.
      inFlight(tx.$executeRaw`
        WITH new_incidents AS (
          INSERT INTO "Incident" (id, "orgId", title, severity, "groupKey", service, labels, "openedAt", "lastSignalAt", "updatedAt")
          SELECT v.id, ${orgId}::uuid, v.title, v.severity::"Severity", v.group_key, v.service, v.labels::jsonb, v.opened_at, v.last_signal_at, ${nowIso}::timestamp
          FROM unnest(${opened.map((i) => i.id)}::uuid[], ${opened.map((i) => i.title)}::text[], ${opened.map((i) => i.severity)}::text[], ${opened.map((i) => i.groupKey)}::text[],
                      ${opened.map((i) => i.service)}::text[], ${opened.map((i) => JSON.stringify(i.labels))}::text[],
                      ${opened.map((i) => i.openedAt.toISOString())}::timestamp[], ${opened.map((i) => i.lastSignalAt.toISOString())}::timestamp[])
            AS v(id, title, severity, group_key, service, labels, opened_at, last_signal_at)
          RETURNING 1
        ), changed_incidents AS (
          UPDATE "Incident" AS i SET severity = v.severity::"Severity", "lastSignalAt" = v.at, "updatedAt" = ${nowIso}::timestamp
          FROM unnest(${changed.map((c) => c.id)}::uuid[], ${changed.map((c) => c.severity)}::text[], ${changed.map((c) => c.lastSignalAt.toISOString())}::timestamp[]) AS v(id, severity, at)
          WHERE i.id = v.id
          RETURNING 1
        ), updated_signals AS (
          UPDATE "Signal" AS s SET hits = s.hits + v.hits, "lastSeenAt" = ${nowIso}::timestamp, "updatedAt" = ${nowIso}::timestamp,
            status = CASE WHEN v.bump_only THEN s.status ELSE v.status::"SignalStatus" END,
            "endsAt" = CASE WHEN v.bump_only THEN s."endsAt" ELSE v.ends_at END,
            score = CASE WHEN v.bump_only OR v.score IS NULL THEN s.score ELSE v.score END,
            value = CASE WHEN v.bump_only OR v.value IS NULL THEN s.value ELSE v.value END
          FROM unnest(${updates.map((u) => u.id)}::uuid[], ${updates.map((u) => u.hits)}::int[], ${updates.map((u) => u.bumpOnly)}::boolean[], ${updates.map((u) => u.status)}::text[],
                      ${updates.map((u) => u.endsAt)}::timestamp[], ${updates.map((u) => u.score)}::float8[], ${updates.map((u) => u.value)}::float8[])
            AS v(id, hits, bump_only, status, ends_at, score, value)
          WHERE s.id = v.id
          RETURNING 1
        ), new_signals AS (
          INSERT INTO "Signal" (id, "orgId", hits, kind, fingerprint, "startsAt", status, "endsAt", "lastSeenAt", title, labels, annotations, severity, score, value, source, "incidentId", "updatedAt")
          SELECT v.id, ${orgId}::uuid, v.hits, v.kind::"SignalKind", v.fingerprint, v.starts_at, v.status::"SignalStatus", v.ends_at, ${nowIso}::timestamp, v.title, v.labels::jsonb,
                 v.annotations::jsonb, v.severity::"Severity", v.score, v.value, v.source, v.incident_id, ${nowIso}::timestamp
          FROM unnest(${signalRows.map((r) => r.id)}::uuid[], ${rows.map((s) => hitsOf(s))}::int[], ${rows.map((s) => s.kind)}::text[], ${rows.map((s) => s.fingerprint)}::text[],
                      ${rows.map((s) => s.startsAt.toISOString())}::timestamp[], ${rows.map((s) => s.status)}::text[],
                      ${rows.map((s) => (s.status === "resolved" ? (s.endsAt ?? now).toISOString() : null))}::timestamp[], ${rows.map((s) => s.title)}::text[],
                      ${rows.map((s) => JSON.stringify(s.labels))}::text[], ${rows.map((s) => JSON.stringify(s.annotations))}::text[], ${rows.map((s) => s.severity)}::text[],
                      ${rows.map((s) => s.score ?? null)}::float8[], ${rows.map((s) => s.value ?? null)}::float8[], ${rows.map((s) => s.source)}::text[],
                      ${signalRows.map((r) => r.incidentId)}::uuid[])
            AS v(id, hits, kind, fingerprint, starts_at, status, ends_at, title, labels, annotations, severity, score, value, source, incident_id)
          ON CONFLICT ("orgId", fingerprint, "startsAt") DO UPDATE SET hits = "Signal".hits + EXCLUDED.hits, "lastSeenAt" = EXCLUDED."lastSeenAt"
          RETURNING 1
        ), new_events AS (
          INSERT INTO "IncidentEvent" (id, "orgId", "incidentId", at, type, "actorLabel", data)
          SELECT gen_random_uuid(), ${orgId}::uuid, v.incident_id, v.at, v.type, ${actorLabel}, v.data::jsonb
          FROM unnest(${events.map((e) => e.incidentId)}::uuid[], ${events.map((_, i) => new Date(now.getTime() + i).toISOString())}::timestamp[],
                      ${events.map((e) => e.type)}::text[], ${events.map((e) => JSON.stringify(e.data))}::text[]) AS v(incident_id, at, type, data)
          RETURNING 1
        )
        SELECT (SELECT count(*) FROM new_incidents) + (SELECT count(*) FROM changed_incidents) + (SELECT count(*) FROM updated_signals)
             + (SELECT count(*) FROM new_signals) + (SELECT count(*) FROM new_events)`);
      // Incident lifecycle changes are audited (one chain lock for all of them).
      for (const inc of opened) {
        await appendAudit(tx, { actor, action: "incident.opened", target: { type: "incident", id: inc.id }, data: { groupKey: inc.groupKey, severity: inc.openedSeverity, title: inc.title } });
      }

      // 4. An incident whose signals have all resolved resolves itself (only a resolution can cause that).
      if (touched.size && result.resolved > 0) {
        // Touched, not resolved, no signal still firing; with the time its last signal ended.
        const candidates = await tx.$queryRaw<{ id: string; openedAt: string; lastEndedAt: string | null }[]>`
          SELECT i.id, (extract(epoch FROM i."openedAt") * 1000)::bigint AS "openedAt",
                 (SELECT (extract(epoch FROM max(s."endsAt")) * 1000)::bigint FROM "Signal" s WHERE s."incidentId" = i.id) AS "lastEndedAt"
          FROM "Incident" i
          WHERE i.id = ANY(${[...touched]}::uuid[]) AND i.status <> 'resolved'
            AND NOT EXISTS (SELECT 1 FROM "Signal" s WHERE s."incidentId" = i.id AND s.status = 'firing')
          ORDER BY i.id`;
        // Resolved when its last signal ended, not when we learned of it: for history a new monitor's
        // first scan loads, that is hours earlier (and counting the delay would inflate time to resolve).
        const resolutions = candidates.map(({ id, openedAt, lastEndedAt }, k) => {
          const opened = Number(openedAt);
          const last = lastEndedAt == null ? null : Number(lastEndedAt);
          const resolvedAt = new Date(last != null && last < now.getTime() ? Math.max(last, opened) : now.getTime());
          return { id, resolvedAt, eventAt: new Date(now.getTime() + events.length + k) };
        });
        if (resolutions.length) {
          await tx.$executeRaw`
            WITH resolved AS (
              UPDATE "Incident" AS i SET status = 'resolved', "resolvedAt" = v.resolved_at, "resolvedBy" = 'auto: all signals resolved', "updatedAt" = ${nowIso}::timestamp
              FROM unnest(${resolutions.map((r) => r.id)}::uuid[], ${resolutions.map((r) => r.resolvedAt.toISOString())}::timestamp[]) AS v(id, resolved_at)
              WHERE i.id = v.id
              RETURNING 1
            ), resolved_events AS (
              INSERT INTO "IncidentEvent" (id, "orgId", "incidentId", at, type, "actorLabel", data)
              SELECT gen_random_uuid(), ${orgId}::uuid, v.id, v.at, 'resolved', ${actorLabel}, jsonb_build_object('reason', 'all signals resolved', 'resolvedAt', v.resolved_at_iso)
              FROM unnest(${resolutions.map((r) => r.id)}::uuid[], ${resolutions.map((r) => r.eventAt.toISOString())}::timestamp[], ${resolutions.map((r) => r.resolvedAt.toISOString())}::text[])
                AS v(id, at, resolved_at_iso)
              RETURNING 1
            )
            SELECT (SELECT count(*) FROM resolved) + (SELECT count(*) FROM resolved_events)`;
        }
        for (const { id } of resolutions) {
          await appendAudit(tx, { actor, action: "incident.resolved", target: { type: "incident", id }, data: { reason: "all signals resolved", auto: true } });
          result.resolvedIncidents.push(id);
        }
      }
      result.touchedIncidents = [...new Set([...result.openedIncidents, ...touched])];
      return result;
    },
    { maxWaitMs: 10_000 },
  );
  remember(orgId, inputs);
  // After commit, off the request path: paging and embeddings are Redis enqueues that must not hold the
  // answer (nor hang it while Redis is away: ioredis queues commands until it reconnects). A lost one is
  // caught up by the oncall.sweep job (paging) and the hourly vectors.reembed job (embeddings).
  void incidentsOpened(done.openedIncidents);
  void incidentsChanged(done.resolvedIncidents, "resolved");
  requestEmbeddingSoon("incident", done.touchedIncidents);
  if (lists.length === 1) return [done];

  // Each delivery's answer: a key counts as created (or resolved) for the first delivery that carried it,
  // and as a repeat for the later ones.
  const autoResolved = new Set(done.resolvedIncidents);
  return lists.map((list, li) => {
    const r = emptyResult();
    const touchedHere = new Set<string>();
    for (const key of new Set(list.map(keyOfSignal))) {
      const first = deliveries.get(key)![0] === li;
      if (first && createdKeys.has(key)) r.created += 1;
      else r.updated += 1;
      if (first && resolvedKeys.has(key)) r.resolved += 1;
      const opened = first ? openedByKey.get(key) : undefined;
      if (opened) r.openedIncidents.push(opened);
      const inc = incidentOfKey.get(key);
      if (inc) touchedHere.add(inc);
    }
    r.resolvedIncidents = [...touchedHere].filter((id) => autoResolved.has(id));
    r.touchedIncidents = [...new Set([...r.openedIncidents, ...touchedHere])];
    return r;
  });
}

export async function timeline(tx: Tx, orgId: string, incidentId: string, type: string, actor: Actor, data: Record<string, unknown> = {}) {
  await tx.incidentEvent.create({
    data: { orgId, incidentId, type, actorLabel: actor.label ?? `${actor.type}:${actor.id}`, data: data as Prisma.InputJsonValue },
  });
}
