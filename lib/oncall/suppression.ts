// Whether an incident must stay quiet: an active silence or maintenance window matching it, or an
// inhibition rule with a firing source alert. An incident matches a set of matchers when its own labels
// do, or when every one of its signals' labels do.
import { db, type Tx } from "@/lib/db";
import { matchesAll, storedMatchers, type Labels, type Matcher } from "@/lib/oncall/matchers";
import { inWindow, type Recurrence } from "@/lib/oncall/recurrence";

export type Subject = { incidentId: string; orgId: string; labels: Labels; signalLabels: Labels[] };

const matchesSubject = (matchers: readonly Matcher[], s: Subject) =>
  matchesAll(matchers, s.labels) || (s.signalLabels.length > 0 && s.signalLabels.every((l) => matchesAll(matchers, l)));

export async function findSilence(s: Subject, at: Date, tx: Tx = db) {
  const silences = await tx.silence.findMany({ where: { orgId: s.orgId, startsAt: { lte: at }, endsAt: { gt: at } }, orderBy: { createdAt: "asc" } });
  return silences.find((x) => (!x.recurrence || inWindow(x.recurrence as Recurrence, at)) && matchesSubject(storedMatchers(x.matchers), s)) ?? null;
}

const labelOf = (labels: Labels, name: string) => (Object.hasOwn(labels, name) ? (labels[name] ?? "") : "");

/** Equality matchers with a value: the part of a matcher list the database can filter on (jsonb @>). */
function containment(matchers: readonly Matcher[], extra: Labels = {}): Labels {
  const out: Labels = { ...extra };
  for (const m of matchers) if (m.op === "=" && m.value !== "") out[m.label] = m.value;
  return out;
}

/**
 * Alertmanager's inhibition: a rule mutes the incident when a firing alert (a signal of another
 * incident, or of none) matches its source matchers and has the same values as the incident for every
 * `equal` label (a missing label counts as empty). As in Alertmanager, an alert matching both sides of a
 * rule is not muted by another alert that also matches both sides (no mutual suppression).
 */
export async function findInhibition(s: Subject, tx: Tx = db) {
  const rules = await tx.inhibitionRule.findMany({ where: { orgId: s.orgId }, orderBy: { createdAt: "asc" } });
  for (const rule of rules) {
    const source = storedMatchers(rule.sourceMatchers);
    const target = storedMatchers(rule.targetMatchers);
    // The label set that makes the incident a target: its own, or (all signals matching) its first signal's.
    const targetLabels = matchesAll(target, s.labels) ? s.labels : s.signalLabels.length && s.signalLabels.every((l) => matchesAll(target, l)) ? s.signalLabels[0]! : null;
    if (!targetLabels) continue;
    const equalValues = Object.fromEntries(rule.equal.map((name) => [name, labelOf(targetLabels, name)]));
    const filter = containment(source, Object.fromEntries(Object.entries(equalValues).filter(([, v]) => v !== "")));
    const candidates = await tx.$queryRaw<{ id: string; labels: Labels }[]>`
      SELECT id, labels FROM "Signal"
      WHERE "orgId" = ${s.orgId}::uuid AND status = 'firing'
        AND ("incidentId" IS NULL OR "incidentId" <> ${s.incidentId}::uuid)
        AND labels @> ${JSON.stringify(filter)}::jsonb
      ORDER BY "lastSeenAt" DESC
      LIMIT 500`;
    const targetIsSource = matchesAll(source, targetLabels);
    const hit = candidates.find(
      (c) =>
        matchesAll(source, c.labels) &&
        rule.equal.every((name) => labelOf(c.labels, name) === equalValues[name]) &&
        !(targetIsSource && matchesAll(target, c.labels)),
    );
    if (hit) return { rule, sourceSignalId: hit.id, sourceLabels: hit.labels };
  }
  return null;
}

/** The incident and its firing signals' labels, or null when it does not exist. */
export async function loadSubject(incidentId: string, tx: Tx = db): Promise<(Subject & { status: string; title: string }) | null> {
  const inc = await tx.incident.findUnique({ where: { id: incidentId }, select: { id: true, orgId: true, status: true, title: true, labels: true } });
  if (!inc) return null;
  const signals = await tx.signal.findMany({ where: { incidentId, status: "firing" }, select: { labels: true }, take: 200 });
  return { incidentId, orgId: inc.orgId, status: inc.status, title: inc.title, labels: (inc.labels ?? {}) as Labels, signalLabels: signals.map((x) => x.labels as Labels) };
}
