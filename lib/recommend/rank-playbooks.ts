// "Which playbook should I run for this incident?": every playbook of the org scored by named, visible
// factors (weights.ts), best first, each with the numbers behind it, a justification assembled from those
// factors and params prefilled from the incident's labels.
//
// Cost per call, whatever the catalog and history size: four things at once — the incident with its signals
// and runs (1 query), the similar-incident search (lib/vectors: 3 queries and its in-memory index), a probe of
// the org (1 query; candidates and outcome statistics come from process caches it validates, see
// candidates.ts and stats.ts) and the incident's vector (1 query) — then scoring in memory. After a run
// finished, the statistics are brought up to date incrementally (2 more small queries).
import { z } from "zod";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError, notFound } from "@/lib/errors";
import { similarIncidents } from "@/lib/vectors/similar-incidents";
import { embedder } from "@/lib/vectors/embed-objects";
import { fromBytes } from "@/lib/vectors/vector-index";
import { dot } from "@/lib/vectors/types";
import { candidateSet, descriptionVectors } from "@/lib/recommend/candidates";
import { KIND_BIT, outcomeStats, probeOrg } from "@/lib/recommend/stats";
import {
  compareRanked,
  normalize,
  rawRange,
  round4,
  factor,
  historyFromIndex,
  historyIndex,
  justification,
  labelSets,
  diagnosisFactor,
  textRemedy,
  readinessFactor,
  outcomePrior,
  recencyFactor,
  riskPenalty,
  sameIncidentFailure,
  selectorMatch,
  severityFit,
  suggestParams,
  textMatch,
  type BlastRadius,
  type Factor,
  type Neighbour,
  type ParamValue,
  type Severity,
  type SignalKind,
} from "@/lib/recommend/score";
import { PARAMS, WEIGHTS, type Weights } from "@/lib/recommend/weights";
import { diagnose, type Diagnosis, type DiagnosisItem } from "@/lib/recommend/diagnose";
import { subjectOf } from "@/lib/incidents/subject";
import { orgCapabilities, readiness, type Readiness } from "@/lib/recommend/readiness";
import { changesNear } from "@/lib/changes/changes-near";
import type { Risk } from "@/lib/playbooks/schema";

export const ZRecommendationsQuery = z.object({ limit: z.coerce.number().int().min(1).max(50).default(10) }).strict();

export type Recommendation = {
  playbook: { name: string; version: number; risk: Risk; description: string; blastRadius: BlastRadius | null };
  score: number;
  rank: number;
  factors: Factor[];
  justification: string;
  suggestedParams: Record<string, ParamValue>;
  /** Whether it can run here as things stand (else why not), and the required params the incident cannot fill. */
  readiness: Readiness;
};

export type Recommendations = {
  /** The most likely failure hypotheses first, each with the evidence for it: what the ranking starts from. */
  diagnosis: DiagnosisItem[];
  incident: { id: string; title: string; status: string; severity: Severity; service: string | null; labels: Record<string, string>; signalKinds: SignalKind[]; openedAt: Date };
  items: Recommendation[];
  /** Candidates scored (all playbooks of the org) and how many similar past incidents informed `history`. */
  considered: { playbooks: number; similarIncidents: number };
  /** Parts that could not be computed (e.g. the embeddings endpoint was down); their factors are neutral. */
  warnings: string[];
  computedAt: Date;
  latencyMs: number;
  /** Where the time went: similar-incident search and candidates + statistics run concurrently. */
  timingsMs: { incident: number; similar: number; candidatesAndStats: number; changes: number; text: number; scoring: number };
};


const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type IncidentRow = {
  id: string;
  title: string;
  status: string;
  severity: string;
  service: string | null;
  labels: unknown;
  openedAt: Date;
  signals: { kind: SignalKind; title: string; labels: Record<string, string> | null; annotations: Record<string, string> | null }[];
  runs: { playbookName: string; status: string }[];
};

export async function rankPlaybooks({ actor, incidentId, limit = 10, weights = WEIGHTS }: { actor: Actor; incidentId: string; limit?: number; weights?: Weights }): Promise<Recommendations> {
  const started = performance.now();
  assertCan(actor, "incidents.read");
  if (!UUID.test(incidentId)) throw notFound("incident");
  const ms = (t: number) => Math.round((performance.now() - t) * 10) / 10;
  const timingsMs = { incident: 0, similar: 0, candidatesAndStats: 0, changes: 0, text: 0, scoring: 0 };
  const warnings: string[] = [];
  // Everything that does not need another step's answer starts at once. similarIncidents checks the incident's
  // org itself (not found → the same error as ours); the vector prefetch is only read after the incident was
  // found in the actor's org. The incident query is one round trip: the incident, its first 50 signals' kinds
  // and labels, and the runs on it.
  const incidentP = db.$queryRaw<IncidentRow[]>`
      SELECT i.id::text AS id, i.title, i.status::text AS status, i.severity::text AS severity, i.service, i.labels, i."openedAt" AS "openedAt",
             coalesce((SELECT json_agg(json_build_object('kind', s.kind, 'title', s.title, 'labels', s.labels, 'annotations', s.annotations) ORDER BY s."startsAt")
                       FROM (SELECT kind, title, labels, annotations, "startsAt" FROM "Signal" WHERE "incidentId" = i.id ORDER BY "startsAt" LIMIT 50) s), '[]'::json) AS signals,
             coalesce((SELECT json_agg(json_build_object('playbookName', r."playbookName", 'status', r.status)) FROM "Run" r WHERE r."incidentId" = i.id), '[]'::json) AS runs
      FROM "Incident" i
      WHERE i.id = ${incidentId}::uuid AND i."orgId" = ${actor.orgId}::uuid`
    .then((rows) => rows[0] ?? null)
    .finally(() => (timingsMs.incident = ms(started)));
  const similarP = similarIncidents({ actor, id: incidentId, k: PARAMS.neighbours })
    .catch((err: unknown) => {
      if (err instanceof AppError) throw err;
      warnings.push(`similar-incident search unavailable: ${(err as Error).message}`);
      return { items: [] as Awaited<ReturnType<typeof similarIncidents>>["items"] };
    })
    .finally(() => (timingsMs.similar = ms(started)));
  const candidatesP = probeOrg(actor.orgId)
    .then(async (keys) => {
      const set = await candidateSet(actor.orgId, keys.playbooks);
      return { set, stats: await outcomeStats(actor.orgId, set.readOnly, keys.runs) };
    })
    .finally(() => (timingsMs.candidatesAndStats = ms(started)));
  const vectorOf = () => db.embedding.findUnique({ where: { kind_objectId: { kind: "incident", objectId: incidentId } }, select: { embedder: true, vector: true } });
  const vectorP = vectorOf().catch(() => null);
  const capsP = orgCapabilities(actor.orgId);
  const [incident, similar, { set, stats }, prefetched, caps] = await Promise.all([incidentP, similarP, candidatesP, vectorP, capsP]);
  if (!incident) throw notFound("incident");
  const severity = incident.severity as Severity;
  const incidentLabels = (incident.labels ?? {}) as Record<string, string>;
  const kinds = new Set(incident.signals.map((s) => s.kind as SignalKind));
  const kindMask = [...kinds].reduce((m, k) => m | KIND_BIT[k], 0);
  const kindsText = kinds.size === 0 ? "any" : [...kinds].sort().join(" or ");
  // Selectors and params see the subject's labels (the thing that is broken), not the exporter's that reported it.
  const sets = labelSets(subjectLabels(incidentLabels), incident.signals.map((s) => subjectLabels((s.labels ?? {}) as Record<string, string>)));
  const subject = subjectOf({ ...Object.assign({}, ...incident.signals.map((s) => s.labels ?? {})), ...incidentLabels });
  const ownRuns = incident.runs.map((r) => ({ playbookName: r.playbookName, status: r.status as string }));
  const candidates = set.list;
  // Playbooks no longer in the catalog count as state-changing (the conservative reading of their successes).
  const changesState = (name: string) => set.changesState.get(name) ?? true;
  const neighbours: Neighbour[] = similar.items.map((i) => ({ similarity: i.similarity, runs: i.runs.map((r) => ({ playbookName: r.playbookName, status: r.status as string, finishedAt: r.finishedAt, note: r.note })) }));
  const addressesOf = new Map(candidates.map((c) => [c.name, c.addresses]));
  // What changed to this subject in the two hours before its first signal (deploys, flags, config); the query
  // runs while the description similarity is computed.
  const tChanges = performance.now();
  const changesP = changesNear({
    orgId: actor.orgId,
    subject: { service: subject.service ?? subject.deployment ?? null, deployment: subject.deployment ?? null, namespace: subject.namespace ?? null, cluster: subject.cluster ?? null, labels: incidentLabels },
    before: incident.openedAt,
  }).catch((err: Error) => {
    warnings.push(`change events unavailable: ${err.message}`);
    return [];
  }).finally(() => (timingsMs.changes = ms(tChanges)));

  // The incident's vector against each description. Usually the prefetched row; if it was missing or from another
  // embedder, similarIncidents has just (re)computed it.
  const tText = performance.now();
  let cosines: Float64Array | null = null;
  try {
    const e = await embedder();
    const row = prefetched && prefetched.embedder === e.id ? prefetched : await vectorOf();
    if (row && row.embedder === e.id) {
      const q = fromBytes(row.vector);
      const dv = await descriptionVectors(e, set);
      cosines = new Float64Array(dv.length);
      for (let i = 0; i < dv.length; i++) cosines[i] = dot(q, dv[i]!);
    }
  } catch (err) {
    warnings.push(`description similarity unavailable: ${(err as Error).message}`);
  }
  let cosMedian = 0;
  let cosMax = 0;
  if (cosines && cosines.length) {
    const sorted = Float64Array.from(cosines).sort();
    const m = sorted.length >> 1;
    cosMedian = sorted.length % 2 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
    cosMax = sorted[sorted.length - 1]!;
  }
  timingsMs.text = ms(tText);
  const changes = await changesP;
  const dx: Diagnosis = diagnose({
    alertnames: [incidentLabels.alertname, ...incident.signals.map((s) => s.labels?.alertname)].filter((a): a is string => Boolean(a)),
    texts: [incident.title, ...incident.signals.flatMap((s) => [s.title, s.annotations?.summary, s.annotations?.description, s.annotations?.message])].filter((t): t is string => typeof t === "string" && t !== ""),
    subjectKind: subject.kind,
    changes: changes.map((c) => ({ kind: c.kind, title: c.title, minutesBefore: c.minutesBefore, sameService: c.match === "service" })),
    severity,
    past: neighbours.map((n) => ({ similarity: n.similarity, runs: n.runs.map((r) => ({ playbookName: r.playbookName, status: r.status, note: r.note, addresses: addressesOf.get(r.playbookName) ?? [] })) })),
  });
  const tScore = performance.now();

  const history = historyIndex(neighbours, changesState);
  const suggested = candidates.map((c) => suggestParams(c, sets[0]!));
  const ready = candidates.map((c, i) => readiness(c, caps, suggested[i]!));
  // Every factor of candidate i, with its sentence. Pass 1 below must sum the same values (the tests check
  // that each item's score is combine(factors)).
  const factorsOf = (i: number): Factor[] => {
    const d = true;
    const c = candidates[i]!;
    const s = stats.get(c.name, kindMask);
    return [
      factor("diagnosis", diagnosisFactor(c, dx, d), weights),
      factor("text_remedy", textRemedy(c.name, dx.remedies, d), weights),
      factor("selector_match", selectorMatch(c, sets, kinds, d), weights),
      factor("history", historyFromIndex(history, c.name, !c.changesState, d), weights),
      factor("outcome_prior", outcomePrior(s, kindsText, d), weights),
      factor("text_match", textMatch(cosines ? cosines[i]! : null, cosMedian, cosMax, d), weights),
      factor("severity_fit", severityFit(c, severity, d), weights),
      factor("risk_penalty", riskPenalty(c, severity, d), weights),
      factor("recency", recencyFactor(s, d), weights),
      factor("same_incident_failure", sameIncidentFailure(c.name, ownRuns), weights),
      factor("readiness", readinessFactor(ready[i]!), weights),
    ];
  };
  // Pass 1: the score of every candidate, from values only (the same functions, no sentences, no objects per
  // factor); pass 2: factors with their sentences for the items returned. Both round values alike.
  const range = rawRange(weights);
  const w = weights;
  const scored = candidates.map((c, i) => {
    const s = stats.get(c.name, kindMask);
    const raw =
      w.diagnosis * round4(diagnosisFactor(c, dx, false).value) +
      w.text_remedy * round4(textRemedy(c.name, dx.remedies, false).value) +
      w.selector_match * round4(selectorMatch(c, sets, kinds, false).value) +
      w.history * round4(historyFromIndex(history, c.name, !c.changesState, false).value) +
      w.outcome_prior * round4(outcomePrior(s, kindsText, false).value) +
      w.text_match * round4(textMatch(cosines ? cosines[i]! : null, cosMedian, cosMax, false).value) +
      w.severity_fit * round4(severityFit(c, severity, false).value) +
      w.risk_penalty * round4(riskPenalty(c, severity, false).value) +
      w.recency * round4(recencyFactor(s, false).value) +
      w.same_incident_failure * round4(sameIncidentFailure(c.name, ownRuns).value) +
      w.readiness * round4(readinessFactor(ready[i]!).value);
    return { i, name: c.name, score: round4(normalize(raw, range)) };
  });
  scored.sort(compareRanked);
  const items: Recommendation[] = scored.slice(0, limit).map((x, r) => {
    const c = candidates[x.i]!;
    const factors = factorsOf(x.i);
    return {
      playbook: { name: c.name, version: c.version, risk: c.risk, description: c.description, blastRadius: c.blastRadius },
      score: x.score,
      rank: r + 1,
      factors,
      justification: justification(c.name, r + 1, x.score, factors, dx),
      suggestedParams: suggested[x.i]!,
      readiness: ready[x.i]!,
    };
  });
  timingsMs.scoring = ms(tScore);
  return {
    diagnosis: dx.items.filter((i) => i.probability >= 0.05).slice(0, 4),
    incident: {
      id: incident.id,
      title: incident.title,
      status: incident.status,
      severity,
      service: incident.service,
      labels: incidentLabels,
      signalKinds: [...kinds].sort(),
      openedAt: incident.openedAt,
    },
    items,
    considered: { playbooks: candidates.length, similarIncidents: neighbours.length },
    warnings,
    computedAt: new Date(),
    latencyMs: ms(started),
    timingsMs,
  };
}

/** An alert's labels as the subject's: the reporter's own removed, the subject's node/workload/pod named. */
function subjectLabels(labels: Record<string, string>): Record<string, string> {
  const s = subjectOf(labels, labels.alertname);
  const out: Record<string, string> = { ...s.labels };
  if (labels.alertname) out.alertname = labels.alertname;
  for (const k of ["node", "namespace", "service", "deployment", "statefulset", "daemonset", "pod", "container", "cluster"] as const) {
    const v = s[k];
    if (v) out[k] = v;
  }
  return out;
}
